#include "config/config_loader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "tests/support/temp_dir.h"

namespace newswatch::config {
namespace {

namespace fs = std::filesystem;
using newswatch::testing::TempDir;

// Every error on its own line, for failure messages.
std::string Describe(const LoadedConfig& loaded) {
  std::string out;
  for (const Error& error : loaded.errors) out += error.ToString() + "\n";
  return out;
}

// The only error of `loaded`; fails the test when there is not exactly one.
Error OnlyError(const LoadedConfig& loaded) {
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.size() == 1);
  return loaded.errors.front();
}

// A minimal valid config, to which a test appends the sections it checks.
constexpr const char* kOneFeed =
    "[[feed]]\n"
    "url = \"https://example.org/feed.xml\"\n";

// Checks the parts every config error must have: it is fatal, and its
// location names the file, the line and the key.
void CheckLocated(const Error& error, const fs::path& file, int line,
                  const std::string& key) {
  INFO(error.ToString());
  CHECK(error.kind == ErrorKind::kFatal);
  CHECK(error.where == file.string() + ":" + std::to_string(line) + ": " + key);
}

TEST_CASE("A full valid config is read into the model", "[config]") {
  TempDir dir;
  const fs::path file = dir.path() / "etc" / "newswatch.toml";
  const std::string text = R"(data_dir = "state/data"

[fetch]
user_agent = "test-agent/1"
max_body_bytes = 2048
timeout = "45s"
connect_timeout = "5s"
low_speed_time = "10s"
max_concurrent = 100
max_per_host = 6
max_interval = "2h"

[[notifier]]
name = "console"
type = "log"

[[notifier]]
name = "desk-mail"
type = "email"
smtp_url = "smtp://mail.example.org:587"
from = "newswatch@example.org"
to = ["desk@example.org", "night@example.org"]
starttls = true
username = "newswatch"
password_file = "secrets/smtp-password"

[[notifier]]
name = "chat"
type = "webhook"
url = "https://hooks.example.org/newswatch"
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
format = "slack"
headers = { "X-Team" = "desk" }
timeout = "5s"

[[feed]]
url = "https://example.org/world.rss"
name = "World"
interval = "1h30m"

[[feed]]
url = "http://example.org/plain.atom"

[[feed]]
url = "file:feeds/local.rss"
name = "Local"

[[search]]
name = "Glaciers"
query = "glacier OR \"ice sheet\""
notify = ["console", "chat"]

[[search]]
name = "Quiet"
query = "anything"
)";
  const LoadedConfig loaded = ParseConfig(text, file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  const Config& config = loaded.config;
  const fs::path folder = fs::absolute(file).parent_path();

  CHECK(config.source_path == file);
  CHECK(config.data_dir == folder / "state" / "data");
  CHECK(config.data_dir.is_absolute());

  CHECK(config.fetch.user_agent == "test-agent/1");
  CHECK(config.fetch.max_body_bytes == 2048);
  CHECK(config.fetch.timeout == Seconds(45));
  CHECK(config.fetch.connect_timeout == Seconds(5));
  CHECK(config.fetch.low_speed_time == Seconds(10));
  CHECK(config.fetch.max_concurrent == 100);
  CHECK(config.fetch.max_per_host == 6);
  CHECK(config.fetch.max_interval == Seconds(2 * 3600));

  REQUIRE(config.feeds.size() == 3);
  CHECK(config.feeds[0].url == "https://example.org/world.rss");
  CHECK(config.feeds[0].name == "World");
  CHECK(config.feeds[0].interval == Seconds(5400));
  CHECK(config.feeds[1].url == "http://example.org/plain.atom");
  CHECK(config.feeds[1].name == "http://example.org/plain.atom");
  CHECK(config.feeds[1].interval == Seconds(15 * 60));
  CHECK(config.feeds[1].interval == kDefaultFeedInterval);
  CHECK(config.feeds[2].url ==
        "file://" + (folder / "feeds" / "local.rss").string());
  CHECK(config.feeds[2].name == "Local");

  REQUIRE(config.searches.size() == 2);
  CHECK(config.searches[0].name == "Glaciers");
  CHECK(config.searches[0].query == "glacier OR \"ice sheet\"");
  CHECK(config.searches[0].notify ==
        std::vector<std::string>{"console", "chat"});
  CHECK(config.searches[1].name == "Quiet");
  CHECK(config.searches[1].notify.empty());

  REQUIRE(config.notifiers.size() == 3);
  const Notifier* console = config.FindNotifier("console");
  REQUIRE(console != nullptr);
  CHECK(console->type == NotifierType::kLog);
  CHECK_FALSE(console->email.has_value());
  CHECK_FALSE(console->webhook.has_value());

  const Notifier* mail = config.FindNotifier("desk-mail");
  REQUIRE(mail != nullptr);
  CHECK(mail->type == NotifierType::kEmail);
  REQUIRE(mail->email.has_value());
  CHECK(mail->email->smtp_url == "smtp://mail.example.org:587");
  CHECK(mail->email->from == "newswatch@example.org");
  CHECK(mail->email->to ==
        std::vector<std::string>{"desk@example.org", "night@example.org"});
  CHECK(mail->email->starttls);
  CHECK(mail->email->username == "newswatch");
  CHECK(mail->email->password_file == folder / "secrets" / "smtp-password");

  const Notifier* chat = config.FindNotifier("chat");
  REQUIRE(chat != nullptr);
  CHECK(chat->type == NotifierType::kWebhook);
  REQUIRE(chat->webhook.has_value());
  CHECK(chat->webhook->url == "https://hooks.example.org/newswatch");
  CHECK(chat->webhook->secret == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  CHECK(chat->webhook->format == "slack");
  CHECK(chat->webhook->headers ==
        std::map<std::string, std::string>{{"X-Team", "desk"}});
  CHECK(chat->webhook->timeout == Seconds(5));

  CHECK(config.FindNotifier("nobody") == nullptr);
}

TEST_CASE("Optional settings take their documented defaults", "[config]") {
  TempDir dir;
  const LoadedConfig loaded =
      ParseConfig(std::string(kOneFeed) +
                      "[[notifier]]\nname = \"hook\"\ntype = \"webhook\"\n"
                      "url = \"https://hooks.example.org/x\"\n",
                  dir.path() / "newswatch.toml");
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  const Config& config = loaded.config;
  CHECK(config.data_dir == fs::path("/var/lib/newswatch"));
  CHECK(config.fetch.user_agent.empty());
  CHECK(config.fetch.max_body_bytes == kDefaultMaxBodyBytes);
  CHECK(config.fetch.timeout == kDefaultFetchTimeout);
  CHECK(config.fetch.connect_timeout == kDefaultConnectTimeout);
  CHECK(config.fetch.low_speed_time == kDefaultLowSpeedTime);
  CHECK(config.fetch.max_concurrent == kDefaultMaxConcurrent);
  CHECK(config.fetch.max_per_host == kDefaultMaxPerHost);
  CHECK(config.fetch.max_interval == kDefaultMaxInterval);
  REQUIRE(config.feeds.size() == 1);
  CHECK(config.feeds[0].interval == Seconds(900));
  CHECK(config.feeds[0].name == "https://example.org/feed.xml");
  REQUIRE(config.notifiers.size() == 1);
  REQUIRE(config.notifiers[0].webhook.has_value());
  CHECK(config.notifiers[0].webhook->format == "generic");
  CHECK(config.notifiers[0].webhook->secret.empty());
  CHECK(config.notifiers[0].webhook->timeout == kDefaultWebhookTimeout);
}

TEST_CASE("An absolute data_dir and file:/// URL are kept as written",
          "[config]") {
  TempDir dir;
  const LoadedConfig loaded = ParseConfig(
      "data_dir = \"/srv/newswatch\"\n"
      "[[feed]]\nurl = \"file:///srv/feeds/a.rss\"\n",
      dir.path() / "newswatch.toml");
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  CHECK(loaded.config.data_dir == fs::path("/srv/newswatch"));
  REQUIRE(loaded.config.feeds.size() == 1);
  CHECK(loaded.config.feeds[0].url == "file:///srv/feeds/a.rss");
}

TEST_CASE("LoadConfig reads a file and resolves paths against its folder",
          "[config]") {
  TempDir dir;
  const fs::path file = dir.Write("conf/newswatch.toml",
                                  "data_dir = \"../var\"\n"
                                  "[[feed]]\n"
                                  "url = \"file:../feeds/world.rss\"\n");
  const LoadedConfig loaded = LoadConfig(file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  CHECK(loaded.config.source_path == file);
  CHECK(loaded.config.data_dir == dir.path() / "var");
  REQUIRE(loaded.config.feeds.size() == 1);
  CHECK(loaded.config.feeds[0].url ==
        "file://" + (dir.path() / "feeds" / "world.rss").string());
}

TEST_CASE("LoadConfig on a missing file says it cannot read it", "[config]") {
  TempDir dir;
  const fs::path file = dir.path() / "absent.toml";
  const LoadedConfig loaded = LoadConfig(file);
  const Error error = OnlyError(loaded);
  CHECK(error.kind == ErrorKind::kFatal);
  CHECK(error.where == file.string());
  CHECK_THAT(error.what, Catch::Contains("cannot read the config file"));
  CHECK_THAT(error.what, Catch::Contains("No such file"));
}

TEST_CASE("A misspelt key is reported with a suggestion", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("in a feed") {
    const LoadedConfig loaded = ParseConfig(
        "[[feed]]\n"
        "url = \"https://example.org/feed.xml\"\n"
        "intervall = \"15m\"\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "feed[1].intervall");
    CHECK_THAT(error.what, Catch::Contains("unknown key"));
    CHECK_THAT(error.what, Catch::Contains("did you mean 'interval'?"));
  }
  SECTION("at the top level") {
    const LoadedConfig loaded =
        ParseConfig(std::string("datadir = \"x\"\n") + kOneFeed, file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 1, "datadir");
    CHECK_THAT(error.what, Catch::Contains("did you mean 'data_dir'?"));
  }
  SECTION("in [fetch]") {
    const LoadedConfig loaded = ParseConfig(
        std::string("[fetch]\nmax_body_byte = 10\n") + kOneFeed, file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 2, "fetch.max_body_byte");
    CHECK_THAT(error.what, Catch::Contains("did you mean 'max_body_bytes'?"));
  }
  SECTION("a key nothing resembles gets no suggestion") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) + "colour_scheme = \"dark\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "feed[1].colour_scheme");
    CHECK(error.what == "unknown key");
  }
}

TEST_CASE("A value of the wrong type names what was expected", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("interval as a bare number") {
    const LoadedConfig loaded = ParseConfig(
        "[[feed]]\n"
        "url = \"https://example.org/feed.xml\"\n"
        "interval = 15\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "feed[1].interval");
    CHECK_THAT(error.what, Catch::Contains("duration string like \"15m\""));
    CHECK_THAT(error.what, Catch::Contains("found an integer"));
  }
  SECTION("max_body_bytes as a string") {
    const LoadedConfig loaded = ParseConfig(
        std::string("[fetch]\nmax_body_bytes = \"10MB\"\n") + kOneFeed, file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 2, "fetch.max_body_bytes");
    CHECK(error.what == "must be an integer, found a string");
  }
  SECTION("max_body_bytes of zero") {
    const LoadedConfig loaded = ParseConfig(
        std::string("[fetch]\nmax_body_bytes = 0\n") + kOneFeed, file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 2, "fetch.max_body_bytes");
    CHECK(error.what == "must be greater than zero");
  }
  SECTION("notify as a single string") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"console\"\ntype = \"log\"\n"
            "[[search]]\nname = \"s\"\nquery = \"q\"\nnotify = \"console\"\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 9, "search[1].notify");
    CHECK(error.what == "must be a list of strings, found a string");
  }
  SECTION("starttls as a string") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"m\"\ntype = \"email\"\n"
            "smtp_url = \"smtp://mail.example.org\"\nfrom = \"a@b.c\"\n"
            "to = [\"d@e.f\"]\nstarttls = \"yes\"\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 9, "notifier[1].starttls");
    CHECK(error.what == "must be true or false, found a string");
  }
}

TEST_CASE("A missing required key is reported where its section starts",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("feed url") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) + "\n[[feed]]\nname = \"Nameless\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 4, "feed[2].url");
    CHECK(error.what == "required key is missing");
  }
  SECTION("search name") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) + "[[search]]\nquery = \"glacier\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "search[1].name");
    CHECK(error.what == "required key is missing");
    CHECK(loaded.config.searches.empty());
  }
  SECTION("search query") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) + "[[search]]\nname = \"Glaciers\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "search[1].query");
    CHECK(error.what == "required key is missing");
  }
  SECTION("notifier type") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) + "[[notifier]]\nname = \"console\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "notifier[1].type");
    CHECK(error.what == "required key is missing");
  }
  SECTION("an empty required string counts as missing") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) + "[[search]]\nname = \"\"\nquery = \"q\"\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 4, "search[1].name");
    CHECK(error.what == "must not be empty");
  }
}

TEST_CASE("Duplicate names and URLs are rejected", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("search names") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) +
                        "[[search]]\nname = \"Glaciers\"\nquery = \"glacier\"\n"
                        "[[search]]\nname = \"Glaciers\"\nquery = \"ice\"\n",
                    file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 7, "search[2].name");
    CHECK(error.what == "duplicate search name \"Glaciers\"");
    CHECK(loaded.config.searches.size() == 1);
  }
  SECTION("notifier names") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) +
                        "[[notifier]]\nname = \"console\"\ntype = \"log\"\n"
                        "[[notifier]]\nname = \"console\"\ntype = \"log\"\n",
                    file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 7, "notifier[2].name");
    CHECK(error.what == "duplicate notifier name \"console\"");
  }
  SECTION("feed names") {
    const LoadedConfig loaded = ParseConfig(
        "[[feed]]\nurl = \"https://a.example/feed\"\nname = \"News\"\n"
        "[[feed]]\nurl = \"https://b.example/feed\"\nname = \"News\"\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 6, "feed[2].name");
    CHECK(error.what == "duplicate feed name \"News\"");
  }
  SECTION("feed URLs") {
    const LoadedConfig loaded = ParseConfig(
        "[[feed]]\nurl = \"https://a.example/feed\"\nname = \"One\"\n"
        "[[feed]]\nurl = \"https://a.example/feed\"\nname = \"Two\"\n",
        file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 5, "feed[2].url");
    CHECK(error.what == "duplicate feed URL \"https://a.example/feed\"");
    CHECK(loaded.config.feeds.size() == 1);
  }
}

TEST_CASE("A search notifying a notifier that does not exist is rejected",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig(std::string(kOneFeed) +
                      "[[notifier]]\nname = \"console\"\ntype = \"log\"\n"
                      "[[search]]\nname = \"Glaciers\"\nquery = \"glacier\"\n"
                      "notify = [\"console\", \"consle\"]\n",
                  file);
  const Error error = OnlyError(loaded);
  CheckLocated(error, file, 9, "search[1].notify");
  CHECK_THAT(error.what, Catch::Contains("\"Glaciers\""));
  CHECK_THAT(error.what, Catch::Contains("notifies \"consle\""));
  CHECK_THAT(error.what, Catch::Contains("no [[notifier]] has that name"));
}

TEST_CASE("Feed URL schemes other than http, https and file are rejected",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig("[[feed]]\nurl = \"ftp://example.org/feed.xml\"\n", file);
  const Error error = OnlyError(loaded);
  CheckLocated(error, file, 2, "feed[1].url");
  CHECK(error.what ==
        "\"ftp://example.org/feed.xml\" is not an http, https or file URL");
  CHECK(loaded.config.feeds.empty());
}

TEST_CASE("An invalid duration names the key and the reason", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("unknown unit") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) + "interval = \"15x\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "feed[1].interval");
    CHECK_THAT(error.what, Catch::Contains("invalid duration \"15x\""));
    CHECK_THAT(error.what, Catch::Contains("unknown unit 'x'"));
  }
  SECTION("zero") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) + "interval = \"0m\"\n", file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "feed[1].interval");
    CHECK_THAT(error.what, Catch::Contains("invalid duration \"0m\""));
    CHECK_THAT(error.what, Catch::Contains("longer than zero"));
  }
  SECTION("fetch timeout") {
    const LoadedConfig loaded = ParseConfig(
        std::string("[fetch]\ntimeout = \"soon\"\n") + kOneFeed, file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 2, "fetch.timeout");
    CHECK_THAT(error.what, Catch::Contains("invalid duration \"soon\""));
  }
}

TEST_CASE("A feed interval below the minimum is rejected", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig(std::string(kOneFeed) + "interval = \"1s\"\n", file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.size() == 1);
  CheckLocated(loaded.errors[0], file, 3, "feed[1].interval");
}

TEST_CASE("An unknown notifier type lists the known ones", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig(std::string(kOneFeed) +
                      "[[notifier]]\nname = \"pager\"\ntype = \"sms\"\n",
                  file);
  const Error error = OnlyError(loaded);
  CheckLocated(error, file, 5, "notifier[1].type");
  CHECK(error.what ==
        "unknown notifier type \"sms\" (expected \"log\", \"email\" or "
        "\"webhook\")");
}

TEST_CASE("Keys of one notifier type are unknown on another", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig(std::string(kOneFeed) +
                      "[[notifier]]\nname = \"console\"\ntype = \"log\"\n"
                      "url = \"https://hooks.example.org/x\"\n",
                  file);
  const Error error = OnlyError(loaded);
  CheckLocated(error, file, 6, "notifier[1].url");
  CHECK_THAT(error.what, Catch::StartsWith("unknown key"));
}

TEST_CASE("Email and webhook settings are checked", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("email without its required keys") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) +
                        "[[notifier]]\nname = \"m\"\ntype = \"email\"\n",
                    file);
    INFO(Describe(loaded));
    REQUIRE(loaded.errors.size() == 3);
    CheckLocated(loaded.errors[0], file, 3, "notifier[1].smtp_url");
    CheckLocated(loaded.errors[1], file, 3, "notifier[1].from");
    CheckLocated(loaded.errors[2], file, 3, "notifier[1].to");
  }
  SECTION("webhook without a url") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) +
                        "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n",
                    file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 3, "notifier[1].url");
    CHECK(error.what == "required key is missing");
  }
  SECTION("webhook header values must be strings") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) +
                        "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n"
                        "url = \"https://hooks.example.org/x\"\n"
                        "headers = { \"X-Count\" = 3 }\n",
                    file);
    const Error error = OnlyError(loaded);
    CheckLocated(error, file, 7, "notifier[1].headers.X-Count");
    CHECK(error.what == "header values must be strings");
  }
}

TEST_CASE("Email and webhook value errors name the line of the value",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("smtp_url scheme") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"m\"\ntype = \"email\"\n"
            "smtp_url = \"http://mail.example.org\"\nfrom = \"a@b.c\"\n"
            "to = [\"d@e.f\"]\n",
        file);
    const Error error = OnlyError(loaded);
    CHECK_THAT(error.what, Catch::Contains("\"http://mail.example.org\""));
    CHECK_THAT(error.what,
               Catch::Contains("must start with smtp:// or smtps://"));
    CheckLocated(error, file, 6, "notifier[1].smtp_url");
  }
  SECTION("webhook secret without whsec_") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n"
            "url = \"https://hooks.example.org/x\"\nsecret = \"hunter2\"\n",
        file);
    const Error error = OnlyError(loaded);
    CHECK_THAT(error.what, Catch::StartsWith("must be \"whsec_\" followed by"));
    CHECK_THAT(error.what, !Catch::Contains("hunter2"));
    CheckLocated(error, file, 7, "notifier[1].secret");
  }
  SECTION("unknown webhook format") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n"
            "url = \"https://hooks.example.org/x\"\nformat = \"teams\"\n",
        file);
    const Error error = OnlyError(loaded);
    CHECK_THAT(error.what, Catch::Contains("unknown format \"teams\""));
    CHECK_THAT(error.what, Catch::Contains("generic, slack, discord or ntfy"));
    CheckLocated(error, file, 7, "notifier[1].format");
  }
  SECTION("webhook url scheme") {
    const LoadedConfig loaded =
        ParseConfig(std::string(kOneFeed) +
                        "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n"
                        "url = \"ftp://hooks.example.org/x\"\n",
                    file);
    const Error error = OnlyError(loaded);
    CHECK_THAT(error.what, Catch::Contains("must be an http or https URL"));
    CheckLocated(error, file, 6, "notifier[1].url");
  }
}

TEST_CASE("Email and webhook value errors name the file, key and problem",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("smtp_url scheme") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"m\"\ntype = \"email\"\n"
            "smtp_url = \"http://mail.example.org\"\nfrom = \"a@b.c\"\n"
            "to = [\"d@e.f\"]\n",
        file);
    const Error error = OnlyError(loaded);
    CHECK(error.kind == ErrorKind::kFatal);
    CHECK_THAT(error.where, Catch::StartsWith(file.string()));
    CHECK_THAT(error.where, Catch::EndsWith(": notifier[1].smtp_url"));
    CHECK_THAT(error.what,
               Catch::Contains("must start with smtp:// or smtps://"));
  }
  SECTION("webhook secret without whsec_") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n"
            "url = \"https://hooks.example.org/x\"\nsecret = \"hunter2\"\n",
        file);
    const Error error = OnlyError(loaded);
    CHECK_THAT(error.where, Catch::StartsWith(file.string()));
    CHECK_THAT(error.where, Catch::EndsWith(": notifier[1].secret"));
    CHECK_THAT(error.what, Catch::Contains("whsec_"));
  }
  SECTION("unknown webhook format") {
    const LoadedConfig loaded = ParseConfig(
        std::string(kOneFeed) +
            "[[notifier]]\nname = \"w\"\ntype = \"webhook\"\n"
            "url = \"https://hooks.example.org/x\"\nformat = \"teams\"\n",
        file);
    const Error error = OnlyError(loaded);
    CHECK_THAT(error.where, Catch::StartsWith(file.string()));
    CHECK_THAT(error.where, Catch::EndsWith(": notifier[1].format"));
    CHECK_THAT(error.what, Catch::Contains("unknown format \"teams\""));
  }
}

TEST_CASE("[feed] written as a table instead of [[feed]] is explained",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig("[feed]\nurl = \"https://example.org/feed.xml\"\n", file);
  INFO(Describe(loaded));
  REQUIRE_FALSE(loaded.errors.empty());
  const Error& error = loaded.errors.front();
  CheckLocated(error, file, 1, "feed");
  CHECK_THAT(error.what, Catch::Contains("must be written as [[feed]]"));
  CHECK_THAT(error.what, Catch::Contains("found a table"));
  CHECK(loaded.config.feeds.empty());
}

TEST_CASE("Invalid TOML syntax is reported with its line", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded = ParseConfig(
      "[[feed]]\n"
      "url = \"https://example.org/feed.xml\"\n"
      "name = \"unterminated\n",
      file);
  const Error error = OnlyError(loaded);
  CHECK(error.kind == ErrorKind::kFatal);
  CHECK(error.where == file.string() + ":3");
  CHECK_THAT(error.what, Catch::StartsWith("not valid TOML: "));
}

TEST_CASE("A config without feeds is rejected", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded =
      ParseConfig("[[notifier]]\nname = \"console\"\ntype = \"log\"\n", file);
  const Error error = OnlyError(loaded);
  CHECK(error.kind == ErrorKind::kFatal);
  CHECK(error.where == file.string() + ": feed");
  CHECK_THAT(error.what, Catch::Contains("no [[feed]] is configured"));
}

TEST_CASE("Every error in a config is reported at once", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded = ParseConfig(
      "[[feed]]\n"                         // 1
      "url = \"ftp://example.org/a\"\n"    // 2: bad scheme
      "[[feed]]\n"                         // 3
      "url = \"https://example.org/b\"\n"  // 4
      "interval = \"15x\"\n"               // 5: bad duration
      "[[search]]\n"                       // 6
      "name = \"Glaciers\"\n"              // 7: no query
      "notify = [\"missing\"]\n"           // 8: no such notifier
      "[[notifier]]\n"                     // 9
      "name = \"console\"\n"               // 10
      "type = \"sms\"\n"                   // 11: unknown type
      "sizee = 3\n",                       // 12: unknown key
      file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.size() == 6);
  std::vector<std::string> keys;
  for (const Error& error : loaded.errors) {
    CHECK(error.kind == ErrorKind::kFatal);
    CHECK_THAT(error.where, Catch::StartsWith(file.string() + ":"));
    keys.push_back(error.where.substr(error.where.rfind(' ') + 1));
  }
  CHECK_THAT(keys,
             Catch::UnorderedEquals(std::vector<std::string>{
                 "feed[1].url", "feed[2].interval", "search[1].query",
                 "search[1].notify", "notifier[1].type", "notifier[1].sizee"}));
}

TEST_CASE("A saved search records where its query was written", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded = ParseConfig(
      std::string(kOneFeed) + "[[search]]\nname = \"s\"\nquery = \"a b\"\n",
      file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  CHECK(loaded.config.searches[0].location ==
        "/etc/newswatch/newswatch.toml:5: search[1].query");
}

TEST_CASE("Out-of-range and empty values are refused", "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  SECTION("an empty feed name") {
    const Error error =
        OnlyError(ParseConfig(std::string(kOneFeed) + "name = \"\"\n", file));
    CheckLocated(error, file, 3, "feed[1].name");
    CHECK_THAT(error.what, Catch::Contains("must not be empty"));
  }
  SECTION("a fetch timeout over the ceiling") {
    const Error error = OnlyError(ParseConfig(
        std::string(kOneFeed) + "[fetch]\ntimeout = \"2h\"\n", file));
    CheckLocated(error, file, 4, "fetch.timeout");
    CHECK_THAT(error.what, Catch::Contains("at most 10m"));
  }
  SECTION("too many fetches at once") {
    const Error error = OnlyError(ParseConfig(
        std::string(kOneFeed) + "[fetch]\nmax_concurrent = 5000\n", file));
    CheckLocated(error, file, 4, "fetch.max_concurrent");
    CHECK_THAT(error.what, Catch::Contains("at most 1000"));
  }
  SECTION("a slow-server limit no shorter than the timeout") {
    const Error error = OnlyError(ParseConfig(
        std::string(kOneFeed) +
            "[fetch]\ntimeout = \"20s\"\nlow_speed_time = \"30s\"\n",
        file));
    CheckLocated(error, file, 5, "fetch.low_speed_time");
    CHECK_THAT(error.what, Catch::Contains("less than timeout"));
  }
  SECTION("a connect timeout beyond the timeout") {
    const Error error = OnlyError(ParseConfig(
        std::string(kOneFeed) +
            "[fetch]\ntimeout = \"20s\"\nconnect_timeout = \"1m\"\n",
        file));
    CheckLocated(error, file, 5, "fetch.connect_timeout");
  }
  SECTION("no fetches per host") {
    const Error error = OnlyError(ParseConfig(
        std::string(kOneFeed) + "[fetch]\nmax_per_host = 0\n", file));
    CheckLocated(error, file, 4, "fetch.max_per_host");
  }
}

TEST_CASE("LoadConfig on a directory says so", "[config]") {
  TempDir dir;
  const LoadedConfig loaded = LoadConfig(dir.path());
  const Error error = OnlyError(loaded);
  CHECK_THAT(error.what, Catch::Contains("is a directory"));
}

}  // namespace
}  // namespace newswatch::config

namespace newswatch::config {
namespace {

TEST_CASE("Delivery policies, time zone and notifier options are read",
          "[config]") {
  const LoadedConfig loaded = ParseConfig(R"(time_zone = "Europe/Berlin"

[[notifier]]
name = "mail"
type = "email"
smtp_url = "smtp://127.0.0.1:2525"
from = "newswatch@example.org"
to = ["desk@example.org", "night@example.org"]
starttls = true
username = "newswatch"
password_file = "secrets/smtp"
ca_file = "certs/ca.pem"
timeout = "20s"

[[notifier]]
name = "hook"
type = "webhook"
url = "https://hooks.example.org/x"
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
timeout = "5s"

[[feed]]
url = "https://example.org/feed.xml"

[[search]]
name = "Morning"
query = "ukraine"
notify = ["mail"]
delivery = "digest"
digest_every = "daily 08:00"

[[search]]
name = "Capped"
query = "glacier"
notify = ["hook"]
max_per_hour = 10
)",
                                          "/etc/newswatch/newswatch.toml");
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  const Config& config = loaded.config;
  CHECK(config.time_zone == "Europe/Berlin");
  const EmailSettings& email = *config.notifiers[0].email;
  CHECK(email.to.size() == 2);
  CHECK(email.starttls);
  CHECK(email.password_file == "/etc/newswatch/secrets/smtp");
  CHECK(email.ca_file == "/etc/newswatch/certs/ca.pem");
  CHECK(email.timeout.count() == 20);
  CHECK(config.notifiers[1].webhook->timeout.count() == 5);
  REQUIRE(config.searches.size() == 2);
  CHECK(config.searches[0].delivery == DeliveryMode::kDigest);
  CHECK(config.searches[0].digest_every.kind == DigestSchedule::Kind::kDaily);
  CHECK(config.searches[0].digest_every.minute_of_day == 8 * 60);
  CHECK(config.searches[1].delivery == DeliveryMode::kImmediate);
  CHECK(config.searches[1].max_per_hour == 10);
  CHECK(config.searches[1].digest_every.every.count() == 3600);
}

TEST_CASE("Bad delivery settings are refused with their line and key",
          "[config]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  auto one = [&](const std::string& text) {
    return OnlyError(ParseConfig(text, file));
  };
  const std::string mail_head =
      "[[notifier]]\nname = \"mail\"\ntype = \"email\"\n"
      "smtp_url = \"smtp://127.0.0.1:25\"\n";
  CheckLocated(one(std::string("time_zone = \"Mars/Base\"\n") + kOneFeed), file,
               1, "time_zone");
  CheckLocated(
      one(mail_head +
          "from = \"a@b.org\\r\\nBcc: x@y.org\"\nto = [\"d@e.org\"]\n" +
          kOneFeed),
      file, 5, "notifier[1].from");
  CheckLocated(
      one(mail_head + "from = \"a@b.org\"\nto = [\"not an address\"]\n" +
          kOneFeed),
      file, 6, "notifier[1].to");
  CheckLocated(one("[[notifier]]\nname = \"h\"\ntype = \"webhook\"\n"
                   "url = \"https://x.org/\"\nsecret = \"whsec_short\"\n" +
                   std::string(kOneFeed)),
               file, 5, "notifier[1].secret");
  CheckLocated(one("[[notifier]]\nname = \"h\"\ntype = \"webhook\"\n"
                   "url = \"https://x.org/\"\ntimeout = \"1h\"\n" +
                   std::string(kOneFeed)),
               file, 5, "notifier[1].timeout");
  const std::string search =
      std::string(kOneFeed) + "[[search]]\nname = \"S\"\nquery = \"x\"\n";
  CheckLocated(one(search + "delivery = \"weekly\"\n"), file, 6,
               "search[1].delivery");
  CheckLocated(one(search + "digest_every = \"daily 25:00\"\n"), file, 6,
               "search[1].digest_every");
  CheckLocated(one(search + "max_per_hour = 0\n"), file, 6,
               "search[1].max_per_hour");
  // The secret is not repeated in the error.
  const Error secret =
      one("[[notifier]]\nname = \"h\"\ntype = \"webhook\"\nurl = "
          "\"https://x.org/\"\n"
          "secret = \"whsec_not*base64*at*all*but*long*enough\"\n" +
          std::string(kOneFeed));
  CHECK_THAT(secret.ToString(),
             !Catch::Contains("not*base64*at*all*but*long*enough"));
}

}  // namespace
}  // namespace newswatch::config

namespace newswatch::config {
namespace {

TEST_CASE("Feed and search languages are read as normalised tags",
          "[config][language]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const LoadedConfig loaded = ParseConfig(
      "[[feed]]\nurl = \"https://example.org/de.xml\"\nlanguage = \"de\"\n"
      "[[feed]]\nurl = \"https://example.org/br.xml\"\nlanguage = \"pt_BR\"\n"
      "[[feed]]\nurl = \"https://example.org/any.xml\"\n"
      "[[search]]\nname = \"Truppen\"\nquery = \"Truppe\"\n"
      "language = \"DE-at\"\n"
      "[[search]]\nname = \"Tropas\"\nquery = \"tropas\"\n"
      "language = \"zh-Hant-TW\"\n"
      "[[search]]\nname = \"Troops\"\nquery = \"troops\"\n",
      file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  REQUIRE(loaded.config.feeds.size() == 3);
  CHECK(loaded.config.feeds[0].language == "de");
  CHECK(loaded.config.feeds[1].language == "pt-br");
  CHECK(loaded.config.feeds[2].language.empty());  // What the feed says.
  REQUIRE(loaded.config.searches.size() == 3);
  CHECK(loaded.config.searches[0].language == "de-at");
  CHECK(loaded.config.searches[1].language == "zh-hant-tw");
  CHECK(loaded.config.searches[2].language.empty());  // lang:, else English.
}

TEST_CASE("A value that is no language tag is refused with its line and key",
          "[config][language]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  // Each is refused on the feed (line 3) and on a search (line 7).
  const char* bad =
      GENERATE("", "d", "deut", "de-", "-de", "de--at", "de at", "d3",
               "de-toolongsub", "de.at", "de_", "ü", "english (UK)", "12");
  INFO("language = \"" << bad << "\"");
  const LoadedConfig loaded = ParseConfig(
      std::string(kOneFeed) + "language = \"" + bad +
          "\"\n[[search]]\nname = \"s\"\nquery = \"a\"\nlanguage = \"" + bad +
          "\"\n",
      file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.size() == 2);
  CheckLocated(loaded.errors[0], file, 3, "feed[1].language");
  CheckLocated(loaded.errors[1], file, 7, "search[1].language");
  for (const Error& error : loaded.errors) {
    CHECK_THAT(error.what, Catch::Contains(std::string("\"") + bad + "\"") &&
                               Catch::Contains("is not a language tag"));
  }
}

TEST_CASE("Language tags at the edges of the shape are accepted",
          "[config][language]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  using Tag = std::pair<const char*, const char*>;  // Written, stored.
  const auto [written, stored] =
      GENERATE(Tag{"en", "en"}, Tag{"FIL", "fil"}, Tag{"en_GB", "en-gb"},
               Tag{"de-1996", "de-1996"}, Tag{"es-419", "es-419"},
               Tag{"sl-rozaj-biske", "sl-rozaj-biske"},
               Tag{"de-x-12345678", "de-x-12345678"});
  INFO(written);
  const LoadedConfig loaded = ParseConfig(
      std::string(kOneFeed) + "language = \"" + written + "\"\n", file);
  INFO(Describe(loaded));
  REQUIRE(loaded.errors.empty());
  CHECK(loaded.config.feeds[0].language == stored);
}

TEST_CASE("A language that is not a string names what was expected",
          "[config][language]") {
  const fs::path file = "/etc/newswatch/newswatch.toml";
  const Error error =
      OnlyError(ParseConfig(std::string(kOneFeed) + "language = 7\n", file));
  CheckLocated(error, file, 3, "feed[1].language");
  CHECK_THAT(error.what, Catch::Contains("must be a string"));
}

}  // namespace
}  // namespace newswatch::config
