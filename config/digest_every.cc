#include "config/digest_every.h"

#include <cstdio>

#include "config/duration.h"

namespace newswatch::config {

namespace {
constexpr Seconds kMaxDigestEvery{7 * 24 * 60 * 60};
constexpr std::string_view kDailyPrefix = "daily ";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

Result<DigestSchedule> ParseDigestSchedule(std::string_view text) {
  DigestSchedule schedule;
  if (text.substr(0, kDailyPrefix.size()) == kDailyPrefix) {
    const std::string_view clock = text.substr(kDailyPrefix.size());
    if (clock.size() != 5 || !IsDigit(clock[0]) || !IsDigit(clock[1]) ||
        clock[2] != ':' || !IsDigit(clock[3]) || !IsDigit(clock[4])) {
      return Error::Permanent("", "\"" + std::string(text) +
                                      "\": write the time as \"daily HH:MM\", "
                                      "e.g. \"daily 08:00\"");
    }
    const int hours = (clock[0] - '0') * 10 + (clock[1] - '0');
    const int minutes = (clock[3] - '0') * 10 + (clock[4] - '0');
    if (hours > 23 || minutes > 59) {
      return Error::Permanent(
          "", "\"" + std::string(text) + "\": no such time of day");
    }
    schedule.kind = DigestSchedule::Kind::kDaily;
    schedule.minute_of_day = hours * 60 + minutes;
    return schedule;
  }
  Result<Seconds> every = ParseDuration(text);
  if (!every.ok()) {
    return Error::Permanent("", every.error().what +
                                    " (or write \"daily HH:MM\" for a daily "
                                    "digest)");
  }
  if (every.value() < kMinDigestEvery || every.value() > kMaxDigestEvery) {
    return Error::Permanent("", "must be between " +
                                    FormatDuration(kMinDigestEvery) + " and " +
                                    FormatDuration(kMaxDigestEvery));
  }
  schedule.every = every.value();
  return schedule;
}

std::string FormatDigestSchedule(const DigestSchedule& schedule) {
  if (schedule.kind == DigestSchedule::Kind::kEvery) {
    return FormatDuration(schedule.every);
  }
  char clock[16];
  std::snprintf(clock, sizeof clock, "%02d:%02d", schedule.minute_of_day / 60,
                schedule.minute_of_day % 60);
  return std::string(kDailyPrefix) + clock;
}

}  // namespace newswatch::config
