// Reading an HTTP Retry-After header (RFC 9110 section 10.2.3), the time a
// receiver asks us to wait before trying again.
#ifndef NEWSWATCH_ALERTS_RETRY_AFTER_H_
#define NEWSWATCH_ALERTS_RETRY_AFTER_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace newswatch::alerts {

// The longest wait a receiver can ask for; anything later is cut to this, so
// a hostile or broken receiver cannot park a delivery for years (the retry
// policy gives up after about two days anyway).
inline constexpr std::int64_t kMaxRetryAfterSeconds = 7 * 24 * 60 * 60;

// The absolute Unix time `value` names, given the time `now` (Unix
// seconds): `value` is either delta-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", and the obsolete forms libcurl's
// curl_getdate reads). Surrounding spaces and tabs are ignored.
//
// A negative delta ("-5") or a date in the past gives `now`; anything beyond
// now + kMaxRetryAfterSeconds gives that. Anything else (empty, garbage,
// "1.5", "10 seconds") gives nullopt: the caller falls back to its own
// schedule. Thread-safe.
std::optional<std::int64_t> ParseRetryAfter(std::string_view value,
                                            std::int64_t now);

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_RETRY_AFTER_H_
