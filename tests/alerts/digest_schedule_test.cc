#include "alerts/digest_schedule.h"

#include <catch2/catch.hpp>

#include "config/digest_every.h"

namespace newswatch::alerts {
namespace {

config::DigestSchedule Every(std::int64_t seconds) {
  config::DigestSchedule schedule;
  schedule.every = config::Seconds(seconds);
  return schedule;
}

config::DigestSchedule Daily(int hour, int minute) {
  config::DigestSchedule schedule;
  schedule.kind = config::DigestSchedule::Kind::kDaily;
  schedule.minute_of_day = hour * 60 + minute;
  return schedule;
}

std::int64_t Next(const config::DigestSchedule& schedule,
                  const std::string& zone, std::int64_t now) {
  auto next = NextDigestTime(schedule, zone, now);
  INFO((next.ok() ? "" : next.error().ToString()));
  REQUIRE(next.ok());
  return next.value();
}

// 2025-11-14T10:20:00Z, a Friday.
constexpr std::int64_t kFriday = 1'763'115'600;

TEST_CASE("Periodic digests fall on multiples of the period",
          "[alerts][digest]") {
  CHECK(Next(Every(3600), "UTC", kFriday) == 1'763'118'000);  // 11:00Z
  CHECK(Next(Every(3600), "UTC", 1'763'118'000) == 1'763'121'600);
  CHECK(Next(Every(1800), "UTC", kFriday) == 1'763'116'200);  // 10:30Z
}

TEST_CASE("Daily digests are at the local time of the configured zone",
          "[alerts][digest]") {
  // 08:00 UTC has passed on Friday: Saturday 08:00Z.
  CHECK(Next(Daily(8, 0), "UTC", kFriday) == 1'763'193'600);
  // 12:00 UTC is still ahead: today.
  CHECK(Next(Daily(12, 0), "UTC", kFriday) == 1'763'121'600);
  // Berlin is UTC+1 in November: 12:00 there is 11:00Z.
  CHECK(Next(Daily(12, 0), "Europe/Berlin", kFriday) == 1'763'118'000);
  // New York is UTC-5: 08:00 there is 13:00Z, still ahead.
  CHECK(Next(Daily(8, 0), "America/New_York", kFriday) == 1'763'125'200);
}

TEST_CASE("Daily digests follow daylight saving time", "[alerts][digest]") {
  // Berlin, 2025-03-29 (UTC+1) then 2025-03-30 (UTC+2 from 02:00).
  const std::int64_t saturday_noon = 1'743'249'600;  // 2025-03-29T12:00Z
  CHECK(Next(Daily(8, 0), "Europe/Berlin", saturday_noon) ==
        1'743'314'400);  // 2025-03-30T06:00Z = 08:00 CEST
  // 02:30 does not exist on 2025-03-30 in Berlin: the digest goes when the
  // clock jumps (03:00 CEST = 01:00Z), once.
  const std::int64_t next = Next(Daily(2, 30), "Europe/Berlin", saturday_noon);
  CHECK(next == 1'743'296'400);
  CHECK(Next(Daily(2, 30), "Europe/Berlin", next) ==
        1'743'381'000);  // 2025-03-31T00:30Z = 02:30 CEST
}

TEST_CASE("An unknown time zone is a clear error", "[alerts][digest]") {
  auto next = NextDigestTime(Daily(8, 0), "Mars/Olympus_Mons", kFriday);
  REQUIRE_FALSE(next.ok());
  CHECK_THAT(next.error().ToString(), Catch::Contains("Mars/Olympus_Mons"));
  CHECK(ValidateTimeZone("Europe/Berlin").ok());
  CHECK_FALSE(ValidateTimeZone("Nowhere").ok());
}

TEST_CASE("PlanDelivery follows the search's policy", "[alerts][digest]") {
  config::Search search;
  search.name = std::string(1, 'S');  // Not a literal: GCC 12 warns
                                      // (-Wrestrict) under ASan.
  auto plan = PlanDelivery(search, "UTC", kFriday);
  REQUIRE(plan.ok());
  CHECK_FALSE(plan.value().digest_at.has_value());
  CHECK(plan.value().max_per_hour == 0);

  search.max_per_hour = 5;
  plan = PlanDelivery(search, "UTC", kFriday);
  REQUIRE(plan.ok());
  CHECK_FALSE(plan.value().digest_at.has_value());
  CHECK(plan.value().max_per_hour == 5);
  CHECK(plan.value().overflow_digest_at == 1'763'118'000);  // Next hour.

  search.delivery = config::DeliveryMode::kDigest;
  search.digest_every = Daily(8, 0);
  plan = PlanDelivery(search, "UTC", kFriday);
  REQUIRE(plan.ok());
  CHECK(plan.value().digest_at == 1'763'193'600);
}

TEST_CASE("digest_every parses durations and daily times", "[config][digest]") {
  auto every = config::ParseDigestSchedule("1h");
  REQUIRE(every.ok());
  CHECK(every.value().kind == config::DigestSchedule::Kind::kEvery);
  CHECK(every.value().every.count() == 3600);
  CHECK(config::FormatDigestSchedule(every.value()) == "1h");

  auto daily = config::ParseDigestSchedule("daily 08:05");
  REQUIRE(daily.ok());
  CHECK(daily.value().kind == config::DigestSchedule::Kind::kDaily);
  CHECK(daily.value().minute_of_day == 8 * 60 + 5);
  CHECK(config::FormatDigestSchedule(daily.value()) == "daily 08:05");

  for (const char* bad :
       {"daily 8:00", "daily 24:00", "daily 12:60", "weekly", "10s", "30d"}) {
    INFO(bad);
    CHECK_FALSE(config::ParseDigestSchedule(bad).ok());
  }
}

}  // namespace
}  // namespace newswatch::alerts
