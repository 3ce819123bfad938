#include "alerts/digest_schedule.h"

#include <date/tz.h>

#include <chrono>
#include <stdexcept>

namespace newswatch::alerts {

namespace {

config::Result<const date::time_zone*> FindZone(const std::string& time_zone) {
  try {
    return date::locate_zone(time_zone);
  } catch (const std::exception& error) {
    return config::Error::Permanent(
        "time zone \"" + time_zone + "\"",
        "not a time zone in the system's tz database (install tzdata; names "
        "look like \"Europe/Berlin\" or \"UTC\")");
  }
}

}  // namespace

config::Status ValidateTimeZone(const std::string& time_zone) {
  config::Result<const date::time_zone*> zone = FindZone(time_zone);
  if (!zone.ok()) return zone.error();
  return config::Ok{};
}

config::Result<std::int64_t> NextDigestTime(
    const config::DigestSchedule& schedule, const std::string& time_zone,
    std::int64_t now) {
  using std::chrono::seconds;
  if (schedule.kind == config::DigestSchedule::Kind::kEvery) {
    const std::int64_t every =
        std::max<std::int64_t>(schedule.every.count(), 1);
    return (now / every + 1) * every;
  }
  config::Result<const date::time_zone*> zone = FindZone(time_zone);
  if (!zone.ok()) return zone.error();
  const date::sys_seconds instant{seconds(now)};
  const auto local = zone.value()->to_local(instant);
  auto candidate = date::floor<date::days>(local) +
                   std::chrono::minutes(schedule.minute_of_day);
  // Today's time if still ahead, else tomorrow's; a skipped local time can
  // map back to `now` or before, so step on until it is after.
  for (int day = 0; day < 3; ++day) {
    const date::sys_seconds at =
        zone.value()->to_sys(candidate, date::choose::earliest);
    if (at > instant)
      return static_cast<std::int64_t>(at.time_since_epoch().count());
    candidate += date::days(1);
  }
  return config::Error::Permanent("time zone \"" + time_zone + "\"",
                                  "cannot find the next daily digest time");
}

config::Result<DeliveryPlan> PlanDelivery(const config::Search& search,
                                          const std::string& time_zone,
                                          std::int64_t now) {
  DeliveryPlan plan;
  const bool digest = search.delivery == config::DeliveryMode::kDigest;
  if (!digest && search.max_per_hour == 0) return plan;
  config::Result<std::int64_t> next =
      NextDigestTime(search.digest_every, time_zone, now);
  if (!next.ok()) return next.error();
  if (digest) plan.digest_at = next.value();
  plan.max_per_hour = search.max_per_hour;
  plan.overflow_digest_at = next.value();
  return plan;
}

}  // namespace newswatch::alerts
