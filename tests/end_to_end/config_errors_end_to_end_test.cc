// Bad configs through the real binary: check-config lists every problem, and
// the daemon refuses to start on the same config with the same messages.
// Queries that are valid but useless are warnings, which refuse nothing.
#include <catch2/catch.hpp>

#include "tests/end_to_end/deployment.h"

namespace newswatch::testing {
namespace {

struct BadConfig {
  const char* description;
  const char* body;
  std::vector<const char*> expected;  // Each must appear in stderr.
};

const std::vector<BadConfig>& BadConfigs() {
  static const std::vector<BadConfig> kCases = {
      {"a misspelt key",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\nintervall = \"5m\"\n",
       {"newswatch.toml:", "feed[1].intervall", "unknown key",
        "did you mean 'interval'"}},
      {"a wrong type",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\ninterval = 15\n",
       {"feed[1].interval", "must be a duration string", "found an integer"}},
      {"a missing required key",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\n[[search]]\nname = \"s\"\n",
       {"search[1].query", "required key is missing"}},
      {"a duplicate search name",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\n"
       "[[search]]\nname = \"s\"\nquery = \"a\"\n"
       "[[search]]\nname = \"s\"\nquery = \"b\"\n",
       {"search[2].name", "duplicate search name \"s\""}},
      {"a notify entry naming no notifier",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\n"
       "[[search]]\nname = \"s\"\nquery = \"a\"\nnotify = [\"pager\"]\n",
       {"search[1].notify", "no [[notifier]] has that name", "\"pager\""}},
      {"a query with an unbalanced parenthesis",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\n"
       "[[search]]\nname = \"troops\"\nquery = \"(Ukraine troops\"\n",
       {"newswatch.toml:11: search[1].query", "search \"troops\"",
        "unbalanced parentheses", "column 1"}},
      {"a query with an unbalanced quote",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\n"
       "[[search]]\nname = \"q\"\nquery = '\"troop cap'\n",
       {"search \"q\"", "unbalanced quotes"}},
      {"a query with a dangling operator",
       "[[feed]]\nurl = \"file:/tmp/x.rss\"\n"
       "[[search]]\nname = \"d\"\nquery = \"Ukraine AND\"\n",
       {"search \"d\"", "AND at column 9 has nothing after it"}},
      {"invalid TOML",
       "[[feed]\nurl = \"file:/tmp/x.rss\"\n",
       {"newswatch.toml:7", "not valid TOML"}},
  };
  return kCases;
}

TEST_CASE("Bad configs fail check-config and run with the right message",
          "[e2e][config]") {
  for (const BadConfig& bad : BadConfigs()) {
    SECTION(bad.description) {
      Deployment deployment;
      deployment.WriteConfig(bad.body);
      const ProcessResult check = deployment.Run({"check-config"});
      INFO(check.err);
      CHECK(check.exit_code == 2);
      for (const char* expected : bad.expected) {
        CHECK_THAT(check.err, Catch::Contains(expected));
      }
      const ProcessResult run = deployment.Run({"run", "--once"});
      INFO(run.err);
      CHECK(run.exit_code == 2);
      CHECK_THAT(run.err, Catch::Contains("refusing to start"));
      for (const char* expected : bad.expected) {
        CHECK_THAT(run.err, Catch::Contains(expected));
      }
      // Nothing was created for a config that was refused.
      CHECK_FALSE(std::filesystem::exists(deployment.dir().path() / "data"));
    }
  }
}

TEST_CASE("check-config reports every error at once", "[e2e][config]") {
  Deployment deployment;
  deployment.WriteConfig(
      "colour = \"blue\"\n"
      "[[feed]]\nurl = \"ftp://example.org/feed\"\n"
      "[[search]]\nname = \"s\"\nquery = \"a OR\"\nnotify = [\"nobody\"]\n");
  const ProcessResult check = deployment.Run({"check-config"});
  INFO(check.err);
  CHECK(check.exit_code == 2);
  CHECK_THAT(check.err, Catch::Contains("colour: unknown key"));
  CHECK_THAT(check.err, Catch::Contains("not an http, https or file URL"));
  CHECK_THAT(check.err, Catch::Contains("\"nobody\""));
  CHECK_THAT(check.err, Catch::Contains("OR at column 3"));
  CHECK_THAT(check.err, Catch::Contains("4 error(s)"));
}

TEST_CASE("A missing config file is a clear error", "[e2e][config]") {
  const ProcessResult result = RunProcess(
      {NEWSWATCH_BINARY, "--config", "/nonexistent/newswatch.toml", "run"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("/nonexistent/newswatch.toml") &&
                             Catch::Contains("cannot read the config file"));
}

TEST_CASE("The bundled default config is valid", "[e2e][config]") {
  const ProcessResult result =
      RunProcess({NEWSWATCH_BINARY, "--config",
                  std::string(NEWSWATCH_SOURCE_DIR) + "/config/newswatch.toml",
                  "check-config"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("0 warning(s)"));
  CHECK_THAT(result.err, !Catch::Contains("warning"));
}

TEST_CASE("check-config warns about useless queries and still exits 0",
          "[e2e][config][lint]") {
  Deployment deployment;
  // WriteConfig puts 6 lines before this: the queries stand on lines 11, 14
  // and 17.
  deployment.WriteConfig(R"([[feed]]
url = "file:/tmp/x.rss"
[[search]]
name = "Anything but sport"
query = "-sport"
[[search]]
name = "Stopwords"
query = "the OR of"
[[search]]
name = "Troop caps"
query = "Ukraine AND troop cap"
)");
  const ProcessResult check = deployment.Run({"check-config"});
  INFO(check.err);
  CHECK(check.exit_code == 0);
  const std::string file = deployment.config_path();
  CHECK_THAT(check.err,
             Catch::Contains("warning: " + file +
                             ":11: search \"Anything but sport\": matches "
                             "nearly every article: "));
  CHECK_THAT(check.err, Catch::Contains("warning: " + file +
                                        ":14: search \"Stopwords\": matches "
                                        "nearly every article: "));
  // None for the ordinary query, no errors, and the OK line counts them.
  CHECK_THAT(check.err, !Catch::Contains("Troop caps"));
  CHECK_THAT(check.err, !Catch::Contains("error"));
  const size_t warnings = CountOccurrences(check.err, "warning: ");
  CHECK(warnings >= 2);
  CHECK_THAT(check.out,
             Catch::Contains(": OK (1 feed(s), 3 search(es), 1 notifier(s), " +
                             std::to_string(warnings) + " warning(s);"));
}

TEST_CASE("A bad language tag fails check-config with its line and key",
          "[e2e][config]") {
  Deployment deployment;
  deployment.WriteConfig(R"([[feed]]
url = "file:/tmp/x.rss"
language = "german"
[[search]]
name = "Truppen"
query = "Truppe"
language = "de_AT"
)");
  const ProcessResult check = deployment.Run({"check-config"});
  INFO(check.err);
  CHECK(check.exit_code == 2);
  CHECK_THAT(check.err,
             Catch::Contains(deployment.config_path() +
                             ":9: feed[1].language: \"german\" is not a "
                             "language tag"));
  // de_AT is a tag (stored as de-at): the only error is the feed's.
  CHECK_THAT(check.err, Catch::Contains("1 error(s)"));
}

}  // namespace
}  // namespace newswatch::testing
