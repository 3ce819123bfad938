// The `digest_every` setting of a saved search: "1h" or "daily 08:00".
#ifndef NEWSWATCH_CONFIG_DIGEST_EVERY_H_
#define NEWSWATCH_CONFIG_DIGEST_EVERY_H_

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/error.h"

namespace newswatch::config {

// A duration between kMinDigestEvery and 7 days ("30m", "1h", "6h"), or
// "daily HH:MM" (24-hour clock, in the config's time_zone).
Result<DigestSchedule> ParseDigestSchedule(std::string_view text);

// The inverse of ParseDigestSchedule, for messages and `check-config`.
std::string FormatDigestSchedule(const DigestSchedule& schedule);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_DIGEST_EVERY_H_
