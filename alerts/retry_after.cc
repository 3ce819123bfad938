#include "alerts/retry_after.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace newswatch::alerts {
namespace {

std::string_view TrimBlanks(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

}  // namespace

std::optional<std::int64_t> ParseRetryAfter(std::string_view value,
                                            std::int64_t now) {
  value = TrimBlanks(value);
  const std::int64_t latest = now + kMaxRetryAfterSeconds;
  // Not in the grammar, but its meaning is plain: no need to wait.
  if (value.size() > 1 && value.front() == '-' && AllDigits(value.substr(1))) {
    return now;
  }
  if (AllDigits(value)) {
    // Digit by digit, stopping at the cap, so "99999999999999999999999"
    // cannot overflow.
    std::int64_t seconds = 0;
    for (char digit : value) {
      seconds = seconds * 10 + (digit - '0');
      if (seconds >= kMaxRetryAfterSeconds) return latest;
    }
    return now + seconds;
  }
  // curl_getdate wants a terminated string; it returns -1 for what it cannot
  // read. It also reads bare numbers and other non-dates, which the digit
  // checks above and the letter check here keep from it: every HTTP-date
  // form starts with a day name.
  if (value.empty() || !std::isalpha(static_cast<unsigned char>(value[0]))) {
    return std::nullopt;
  }
  const std::string text(value);
  const time_t date = curl_getdate(text.c_str(), nullptr);
  if (date == -1) return std::nullopt;
  const auto when = static_cast<std::int64_t>(date);
  return std::clamp(when, now, latest);
}

}  // namespace newswatch::alerts
