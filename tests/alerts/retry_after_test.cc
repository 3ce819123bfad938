#include "alerts/retry_after.h"

#include <catch2/catch.hpp>
#include <optional>

namespace newswatch::alerts {
namespace {

// 2015-10-21T07:28:00Z, the date in RFC 9110's example.
constexpr std::int64_t kDate = 1445412480;
constexpr std::int64_t kNow = kDate - 3600;

TEST_CASE("Retry-After as delta-seconds", "[retry_after]") {
  CHECK(ParseRetryAfter("120", kNow) == kNow + 120);
  CHECK(ParseRetryAfter("0", kNow) == kNow);
  CHECK(ParseRetryAfter(" \t30 ", kNow) == kNow + 30);
  CHECK(ParseRetryAfter("007", kNow) == kNow + 7);
}

TEST_CASE("Retry-After as an HTTP-date", "[retry_after]") {
  // IMF-fixdate, and the two obsolete forms RFC 9110 still requires.
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", kNow) == kDate);
  CHECK(ParseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", kNow) == kDate);
  CHECK(ParseRetryAfter("Wed Oct 21 07:28:00 2015", kNow) == kDate);
}

TEST_CASE("Retry-After in the past or negative means now", "[retry_after]") {
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", kDate + 10) ==
        kDate + 10);
  CHECK(ParseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT", kNow) == kNow);
  CHECK(ParseRetryAfter("-5", kNow) == kNow);
}

TEST_CASE("absurd Retry-After values are capped at a week", "[retry_after]") {
  const std::int64_t latest = kNow + kMaxRetryAfterSeconds;
  CHECK(ParseRetryAfter("604800", kNow) == latest);
  CHECK(ParseRetryAfter("604799", kNow) == latest - 1);
  CHECK(ParseRetryAfter("99999999999999999999999999999", kNow) == latest);
  CHECK(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", kNow) == latest);
}

TEST_CASE("garbage Retry-After values are ignored", "[retry_after]") {
  for (const char* value :
       {"", "  ", "soon", "1.5", "10 seconds", "+5", "-", "0x10",
        "Wed, 32 Oct 2015 07:28:00 GMT", "Monday", "\x01\xff"}) {
    INFO("value: \"" << value << "\"");
    CHECK(ParseRetryAfter(value, kNow) == std::nullopt);
  }
}

}  // namespace
}  // namespace newswatch::alerts
