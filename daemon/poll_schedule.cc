#include "daemon/poll_schedule.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "alerts/retry_after.h"

namespace newswatch::daemon {
namespace {

// `seconds` give or take up to a tenth, at least 1.
std::int64_t Jittered(std::int64_t seconds, std::mt19937& random) {
  const std::int64_t spread = seconds / 10;
  std::uniform_int_distribution<std::int64_t> jitter(-spread, spread);
  return std::max<std::int64_t>(1, seconds + jitter(random));
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

}  // namespace

std::optional<std::int64_t> ParseMaxAge(std::string_view cache_control) {
  const std::string value = Lower(cache_control);
  if (value.find("no-cache") != std::string::npos ||
      value.find("no-store") != std::string::npos) {
    return std::nullopt;
  }
  // "s-maxage" is for shared caches; look for the directive itself.
  for (size_t at = value.find("max-age"); at != std::string::npos;
       at = value.find("max-age", at + 1)) {
    if (at > 0 && value[at - 1] != ' ' && value[at - 1] != ',' &&
        value[at - 1] != '\t') {
      continue;
    }
    size_t digit = at + 7;
    while (digit < value.size() && value[digit] == ' ') ++digit;
    if (digit >= value.size() || value[digit] != '=') return std::nullopt;
    ++digit;
    while (digit < value.size() && value[digit] == ' ') ++digit;
    if (digit < value.size() && value[digit] == '"') ++digit;
    std::int64_t seconds = 0;
    bool any = false;
    while (digit < value.size() &&
           std::isdigit(static_cast<unsigned char>(value[digit]))) {
      seconds = std::min<std::int64_t>(seconds * 10 + (value[digit] - '0'),
                                       std::int64_t{1} << 40);
      any = true;
      ++digit;
    }
    return any ? std::optional(seconds) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseExpires(std::string_view expires) {
  const std::string value(expires);
  if (value.empty()) return std::nullopt;
  const time_t parsed = curl_getdate(value.c_str(), nullptr);
  if (parsed <= 0) return std::nullopt;  // -1 unreadable; "0" means expired.
  return static_cast<std::int64_t>(parsed);
}

std::int64_t NextPollAfterSuccess(const config::Feed& feed,
                                  const config::FetchSettings& fetch,
                                  const FreshnessHints& hints, std::int64_t now,
                                  std::mt19937& random) {
  const std::int64_t interval = feed.interval.count();
  std::int64_t fresh_for = hints.feed_refresh_seconds;
  if (hints.max_age) {
    fresh_for = std::max(fresh_for, *hints.max_age);
  } else if (hints.expires_at) {
    fresh_for = std::max(fresh_for, *hints.expires_at - now);
  }
  // Hints only ever lengthen the interval, and only up to the ceiling; an
  // interval configured above the ceiling stays as configured.
  const std::int64_t stretched =
      std::max(interval, std::min(fresh_for, fetch.max_interval.count()));
  return now + Jittered(stretched, random);
}

std::int64_t NextPollAfterError(const config::Feed& feed,
                                int consecutive_errors,
                                std::optional<std::int64_t> retry_after_at,
                                std::int64_t now, std::mt19937& random) {
  std::int64_t delay = feed.interval.count();
  for (int error = 1; error < consecutive_errors && delay < kMaxBackoffSeconds;
       ++error) {
    delay *= 2;
  }
  delay = std::min(Jittered(std::min(delay, kMaxBackoffSeconds), random),
                   kMaxBackoffSeconds);
  std::int64_t next = now + delay;
  if (retry_after_at) {
    next = std::max(
        next, std::min(*retry_after_at, now + alerts::kMaxRetryAfterSeconds));
  }
  return next;
}

}  // namespace newswatch::daemon
