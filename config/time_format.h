// Timestamps as the program shows and stores them: Unix seconds in, RFC 3339
// UTC out ("2025-11-23T09:15:00Z").
#ifndef NEWSWATCH_CONFIG_TIME_FORMAT_H_
#define NEWSWATCH_CONFIG_TIME_FORMAT_H_

#include <cstdint>
#include <string>

namespace newswatch::config {

std::string FormatRfc3339(std::int64_t unix_seconds);

// Seconds since the epoch, now.
std::int64_t UnixNow();

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_TIME_FORMAT_H_
