#include "daemon/command_line.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace newswatch::daemon {
namespace {

const OptionSpec kSpec = {{"--json", "--once"}, {"--limit", "--search"}};

ParsedArgs Parse(const std::vector<std::string>& args,
                 const OptionSpec& spec = kSpec) {
  auto parsed = ParseArgs("alerts", args, spec);
  INFO((parsed.ok() ? std::string() : parsed.error().ToString()));
  REQUIRE(parsed.ok());
  return parsed.value();
}

config::Error ParseError(const std::vector<std::string>& args,
                         const std::string& command = "alerts") {
  auto parsed = ParseArgs(command, args, kSpec);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == config::ErrorKind::kFatal);
  return parsed.error();
}

TEST_CASE("ParseArgs reads flags, valued options and positionals", "[daemon]") {
  const ParsedArgs parsed = Parse(
      {"--json", "glacier", "--limit", "5", "--search=Ice sheets", "ice"});
  CHECK(parsed.Has("--json"));
  CHECK_FALSE(parsed.Has("--once"));
  CHECK_FALSE(parsed.Has("--help"));
  CHECK(parsed.Value("--limit") == "5");
  CHECK(parsed.Value("--search") == "Ice sheets");
  CHECK_FALSE(parsed.Value("--json").has_value());
  CHECK(parsed.positional == std::vector<std::string>{"glacier", "ice"});
}

TEST_CASE("ParseArgs accepts --limit 5 and --limit=5 alike", "[daemon]") {
  CHECK(Parse({"--limit", "5"}).Value("--limit") == "5");
  CHECK(Parse({"--limit=5"}).Value("--limit") == "5");
  CHECK(Parse({"--limit="}).Value("--limit") == "");
  // An '=' in the value belongs to the value.
  CHECK(Parse({"--search=a=b"}).Value("--search") == "a=b");
  // The last one wins.
  CHECK(Parse({"--limit=5", "--limit", "7"}).Value("--limit") == "7");
}

TEST_CASE("ParseArgs: -- ends the options", "[daemon]") {
  const ParsedArgs parsed = Parse({"--json", "--", "--limit", "-x", "--"});
  CHECK(parsed.Has("--json"));
  CHECK_FALSE(parsed.Value("--limit").has_value());
  CHECK(parsed.positional == std::vector<std::string>{"--limit", "-x", "--"});
}

TEST_CASE("ParseArgs treats single dashes and '-' as positional", "[daemon]") {
  const ParsedArgs parsed = Parse({"-", "-glacier", "-5"});
  CHECK(parsed.positional == std::vector<std::string>{"-", "-glacier", "-5"});
  CHECK(parsed.flags.empty());
}

TEST_CASE("ParseArgs: an unknown option names the command", "[daemon]") {
  const config::Error error = ParseError({"--jsn"}, "search");
  CHECK(error.where == "search");
  CHECK_THAT(error.what, Catch::Contains("unknown option --jsn"));
  CHECK_THAT(error.what, Catch::Contains("newswatch search --help"));
  CHECK_THAT(ParseError({"--nope=3"}).what,
             Catch::Contains("unknown option --nope"));
}

TEST_CASE("ParseArgs: a valued option without its value is an error",
          "[daemon]") {
  const config::Error error = ParseError({"glacier", "--limit"});
  CHECK(error.where == "alerts");
  CHECK(error.what == "--limit needs a value");
}

TEST_CASE("ParseArgs: a flag given a value is an error", "[daemon]") {
  const config::Error error = ParseError({"--json=yes"});
  CHECK(error.where == "alerts");
  CHECK(error.what == "--json takes no value");
}

TEST_CASE("ParseArgs always accepts --help", "[daemon]") {
  CHECK(Parse({"--help"}, OptionSpec{}).Has("--help"));
  CHECK(Parse({"x", "--help", "--json"}).Has("--help"));
  CHECK_FALSE(ParseArgs("alerts", {"--json"}, OptionSpec{}).ok());
}

TEST_CASE("PositiveNumber accepts positive integers", "[daemon]") {
  auto five = PositiveNumber("--limit", "5");
  REQUIRE(five.ok());
  CHECK(five.value() == 5);
  auto big = PositiveNumber("--limit", "1000");
  REQUIRE(big.ok());
  CHECK(big.value() == 1000);
  auto padded = PositiveNumber("--limit", "007");
  REQUIRE(padded.ok());
  CHECK(padded.value() == 7);
}

TEST_CASE("PositiveNumber rejects zero, negatives, words and nothing",
          "[daemon]") {
  for (const std::string value :
       {"0", "-1", "abc", "", "5x", " 5", "1.5", "+3", "000"}) {
    INFO("value \"" << value << "\"");
    auto number = PositiveNumber("--limit", value);
    REQUIRE_FALSE(number.ok());
    CHECK(number.error().where == "--limit");
    CHECK(number.error().what ==
          "expected a positive number, got \"" + value + "\"");
  }
}

TEST_CASE("PositiveNumber rejects numbers that would overflow", "[daemon]") {
  CHECK_FALSE(PositiveNumber("--limit", "99999999999999999999999").ok());
  CHECK_FALSE(PositiveNumber("--limit", "18446744073709551617").ok());
}

}  // namespace
}  // namespace newswatch::daemon
