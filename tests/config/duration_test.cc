#include "config/duration.h"

#include <catch2/catch.hpp>
#include <string>

namespace newswatch::config {
namespace {

Seconds Parsed(const std::string& text) {
  const Result<Seconds> result = ParseDuration(text);
  INFO("ParseDuration(\"" << text << "\")");
  REQUIRE(result.ok());
  return result.value();
}

std::string ErrorOf(const std::string& text) {
  const Result<Seconds> result = ParseDuration(text);
  INFO("ParseDuration(\"" << text << "\")");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == ErrorKind::kPermanent);
  CHECK(result.error().where.empty());
  return result.error().what;
}

TEST_CASE("ParseDuration reads each unit and combinations", "[config]") {
  CHECK(Parsed("90s") == Seconds(90));
  CHECK(Parsed("15m") == Seconds(15 * 60));
  CHECK(Parsed("2h") == Seconds(2 * 3600));
  CHECK(Parsed("1h30m") == Seconds(5400));
  CHECK(Parsed("2d") == Seconds(2 * 86400));
  CHECK(Parsed("1d2h3m4s") == Seconds(86400 + 7200 + 180 + 4));
  CHECK(Parsed("1s") == Seconds(1));
  CHECK(Parsed("0h5m") == Seconds(300));
}

TEST_CASE("ParseDuration rejects what an operator might mistype", "[config]") {
  CHECK_THAT(ErrorOf(""), Catch::Contains("it is empty"));
  CHECK_THAT(ErrorOf("15"), Catch::Contains("a number needs a unit"));
  CHECK_THAT(ErrorOf("1h30"), Catch::Contains("a number needs a unit"));
  CHECK_THAT(ErrorOf("m"), Catch::Contains("expected a number at \"m\""));
  CHECK_THAT(ErrorOf("15x"), Catch::Contains("unknown unit 'x'"));
  CHECK_THAT(ErrorOf("15M"), Catch::Contains("unknown unit 'M'"));
  CHECK_THAT(ErrorOf("15 m"), Catch::Contains("unknown unit ' '"));
  CHECK_THAT(ErrorOf("0s"), Catch::Contains("longer than zero"));
  CHECK_THAT(ErrorOf("0m0s"), Catch::Contains("longer than zero"));
  CHECK_THAT(ErrorOf("-5m"), Catch::Contains("expected a number at \"-5m\""));
  CHECK_THAT(ErrorOf("1.5h"), Catch::Contains("unknown unit '.'"));
  CHECK_THAT(ErrorOf("soon"), Catch::Contains("expected a number"));
  CHECK_THAT(ErrorOf(" 5m"), Catch::Contains("expected a number"));
}

TEST_CASE("ParseDuration errors quote the text and show examples", "[config]") {
  const std::string what = ErrorOf("15x");
  CHECK_THAT(what, Catch::StartsWith("invalid duration \"15x\": "));
  CHECK_THAT(what, Catch::Contains("\"1h30m\""));
}

TEST_CASE("ParseDuration rejects absurdly large values without overflow",
          "[config]") {
  CHECK_THAT(ErrorOf("99999999999999999999999999s"),
             Catch::Contains("too long"));
  CHECK_THAT(ErrorOf("100000d"), Catch::Contains("too long"));
  CHECK_THAT(ErrorOf("9223372036854775807s"), Catch::Contains("too long"));
  // Each part within the bound, the sum beyond it.
  CHECK_THAT(ErrorOf("3000d3000d"), Catch::Contains("too long"));
  // Ten years is still accepted.
  CHECK(Parsed("3650d") == Seconds(3650LL * 86400));
}

TEST_CASE("FormatDuration writes the shortest spelling", "[config]") {
  CHECK(FormatDuration(Seconds(5400)) == "1h30m");
  CHECK(FormatDuration(Seconds(90)) == "1m30s");
  CHECK(FormatDuration(Seconds(900)) == "15m");
  CHECK(FormatDuration(Seconds(86400 * 2)) == "2d");
  CHECK(FormatDuration(Seconds(86400 + 1)) == "1d1s");
  CHECK(FormatDuration(Seconds(1)) == "1s");
  CHECK(FormatDuration(Seconds(0)) == "0s");
}

TEST_CASE("FormatDuration and ParseDuration round-trip", "[config]") {
  for (long long seconds :
       {1LL, 59LL, 60LL, 61LL, 3599LL, 3600LL, 5400LL, 86399LL, 86400LL,
        90061LL, 7LL * 86400 + 1, 3650LL * 86400}) {
    INFO(seconds << "s");
    const std::string text = FormatDuration(Seconds(seconds));
    CHECK(Parsed(text) == Seconds(seconds));
  }
  for (const char* text : {"90s", "1h30m", "2d", "1d2h3m4s"}) {
    INFO(text);
    CHECK(Parsed(FormatDuration(Parsed(text))) == Parsed(text));
  }
  CHECK(FormatDuration(Parsed("90s")) == "1m30s");
}

}  // namespace
}  // namespace newswatch::config
