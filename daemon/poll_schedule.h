// PollSchedule: when each feed is polled next, from what happened this time.
//
// Pure logic over Unix seconds and a random engine the caller passes in, so
// it is tested without waiting:
//   - after a success, the feed's interval, stretched (never shortened) by
//     what the feed or server says about freshness, up to max_interval, with
//     up to 10% jitter so feeds configured together drift apart;
//   - after a failure, exponential backoff from the interval, doubling per
//     consecutive error up to 24 h, with 10% jitter; a Retry-After pushes it
//     later still (up to 7 days, as alerts/retry_after.h bounds it).
#ifndef NEWSWATCH_DAEMON_POLL_SCHEDULE_H_
#define NEWSWATCH_DAEMON_POLL_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "config/config.h"

namespace newswatch::daemon {

inline constexpr std::int64_t kMaxBackoffSeconds = 24 * 60 * 60;

// What the feed and its server say about how long the feed stays fresh.
struct FreshnessHints {
  std::int64_t feed_refresh_seconds = 0;   // <ttl> or sy:update*; 0: none.
  std::optional<std::int64_t> max_age;     // Cache-Control max-age (seconds).
  std::optional<std::int64_t> expires_at;  // Expires (Unix seconds).
};

// The max-age of a Cache-Control value ("public, max-age=600"), unless it
// also says no-cache or no-store; nullopt when absent or unreadable.
std::optional<std::int64_t> ParseMaxAge(std::string_view cache_control);

// An Expires value as Unix seconds (HTTP-date, through curl_getdate);
// nullopt for "0", garbage or an empty value.
std::optional<std::int64_t> ParseExpires(std::string_view expires);

// The next poll after a 200 or 304 at `now`.
std::int64_t NextPollAfterSuccess(const config::Feed& feed,
                                  const config::FetchSettings& fetch,
                                  const FreshnessHints& hints, std::int64_t now,
                                  std::mt19937& random);

// The next poll after the `consecutive_errors`-th failure in a row (>= 1)
// at `now`; `retry_after_at` is the server's Retry-After, if it sent one.
std::int64_t NextPollAfterError(const config::Feed& feed,
                                int consecutive_errors,
                                std::optional<std::int64_t> retry_after_at,
                                std::int64_t now, std::mt19937& random);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_POLL_SCHEDULE_H_
