// `newswatch feeds`, called in-process on a real config and a real SQLite
// database prepared through FeedStateStore.
#include <time.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config/time_format.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
#include "daemon/feed_state.h"
#include "daemon/feed_state_store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_search.h"

namespace newswatch::daemon {
namespace {

namespace fs = std::filesystem;
using newswatch::testing::CountOccurrences;
using newswatch::testing::TempDir;
using nlohmann::json;

// Three feeds: an https one, a local file: one (relative, so the config
// resolves it) and one whose name carries a terminal escape.
constexpr char kConfig[] = R"(data_dir = "data"

[[feed]]
name = "Wire"
url = "https://wire.example.org/rss"

[[feed]]
name = "Local"
url = "file:feeds/local.xml"

[[feed]]
name = "Evil\u001b[31m News"
url = "http://evil.example.net/feed"
)";

constexpr std::int64_t kPolled = 1'795'946'400;  // 2026-11-29T10:00:00Z

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

// Lines of `text`, without their "\n".
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Unix seconds of "YYYY-MM-DDTHH:MM:SSZ"; fails the test on anything else.
std::int64_t ParseRfc3339(const std::string& text) {
  std::tm utc{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  INFO(text);
  REQUIRE(end != nullptr);
  REQUIRE(*end == '\0');
  return static_cast<std::int64_t>(timegm(&utc));
}

class FeedsFixture {
 public:
  FeedsFixture() : config_path_(dir_.Write("etc/newswatch.toml", kConfig)) {
    const config::LoadedConfig loaded = config::LoadConfig(config_path_);
    REQUIRE(loaded.errors.empty());
    data_dir_ = loaded.config.data_dir;
    for (const config::Feed& feed : loaded.config.feeds) {
      urls_.push_back(feed.url);
    }
    REQUIRE(urls_.size() == 3);
  }

  const fs::path& config_path() const { return config_path_; }
  const fs::path& data_dir() const { return data_dir_; }
  // The configured URLs (file: resolved), in config order.
  const std::string& url(size_t i) const { return urls_.at(i); }

  // Runs `feeds` with `args` against `config`.
  Outcome Run(const std::vector<std::string>& args,
              const fs::path& config) const {
    std::ostringstream out;
    std::ostringstream err;
    const CommandContext context{config, out, err};
    Outcome outcome;
    outcome.code = FeedsCommand(context, args);
    outcome.out = out.str();
    outcome.err = err.str();
    return outcome;
  }
  Outcome Run(const std::vector<std::string>& args) const {
    return Run(args, config_path_);
  }

  void Save(const std::vector<FeedState>& states) const {
    auto store = FeedStateStore::Open(DatabaseFile(data_dir_));
    REQUIRE(store.ok());
    const config::Status saved = store.value()->Save(states);
    INFO((saved.ok() ? std::string() : saved.error().ToString()));
    REQUIRE(saved.ok());
  }

  // Wire: ok, redirected, with validators. Local: failing. Evil: gone.
  void SaveMixedStates() const {
    FeedState wire = FeedState::Pending(url(0));
    wire.effective_url = "https://news.example.org/rss";
    wire.health = FeedHealth::kOk;
    wire.http_status = 200;
    wire.etag = "\"v42\"";
    wire.last_modified = "Sat, 28 Nov 2026 10:00:00 GMT";
    wire.last_poll = kPolled;
    wire.last_success = kPolled;
    wire.next_poll = kPolled + 900;
    wire.articles_seen = 37;
    wire.last_warning =
        "XML breaks at offset 812 (Unexpected end); kept 2 items before it";

    FeedState local = FeedState::Pending(url(1));
    local.health = FeedHealth::kError;
    local.last_error = "cannot read\r\nthe file";
    local.consecutive_errors = 3;
    local.last_poll = kPolled + 60;
    local.last_success = 0;
    local.next_poll = config::UnixNow() + 90 * 60;

    FeedState evil = FeedState::Pending(url(2));
    evil.health = FeedHealth::kGone;
    evil.http_status = 410;
    evil.last_error = "410 Gone";
    evil.consecutive_errors = 1;
    evil.last_poll = kPolled + 120;
    evil.last_success = kPolled - 86400;
    evil.next_poll = kPolled + 1200;  // Stale: a gone feed is not polled.
    evil.articles_seen = 5;
    evil.last_warning = "unknown encoding \x1b[31m\r\nx; read as UTF-8";
    Save({wire, local, evil});
  }

 private:
  TempDir dir_;
  fs::path config_path_;
  fs::path data_dir_;
  std::vector<std::string> urls_;
};

std::vector<json> JsonLines(const Outcome& outcome) {
  std::vector<json> parsed;
  for (const std::string& line : Lines(outcome.out)) {
    INFO(line);
    REQUIRE_NOTHROW(parsed.push_back(json::parse(line)));
  }
  return parsed;
}

// Every key of a --json line, in the order it prints them.
const std::vector<std::string> kKeys = {
    "name",         "url",          "effective_url",
    "state",        "http_status",  "consecutive_errors",
    "last_error",   "last_warning", "last_poll",
    "last_success", "next_poll",    "articles_seen",
    "etag",         "last_modified"};

void CheckKeys(const json& line) {
  REQUIRE(line.is_object());
  CHECK(line.size() == kKeys.size());
  for (const std::string& key : kKeys) {
    INFO(key);
    CHECK(line.contains(key));
  }
}

TEST_CASE("feeds --json prints each feed's state in config order", "[feeds]") {
  FeedsFixture fixture;
  fixture.SaveMixedStates();
  const Outcome outcome = fixture.Run({"--json"});
  INFO(outcome.err);
  REQUIRE(outcome.code == kExitOk);
  CHECK(outcome.err.empty());
  const std::vector<json> lines = JsonLines(outcome);
  REQUIRE(lines.size() == 3);
  for (const json& line : lines) CheckKeys(line);
  // In the documented order, for people reading it.
  const nlohmann::ordered_json first =
      nlohmann::ordered_json::parse(Lines(outcome.out).at(0));
  std::vector<std::string> order;
  for (const auto& item : first.items()) order.push_back(item.key());
  CHECK(order == kKeys);

  const json& wire = lines[0];
  CHECK(wire["name"] == "Wire");
  CHECK(wire["url"] == "https://wire.example.org/rss");
  CHECK(wire["effective_url"] == "https://news.example.org/rss");
  CHECK(wire["state"] == "ok");
  CHECK(wire["http_status"] == 200);
  CHECK(wire["consecutive_errors"] == 0);
  CHECK(wire["last_error"].is_null());
  CHECK(wire["last_warning"] ==
        "XML breaks at offset 812 (Unexpected end); kept 2 items before it");
  CHECK(wire["last_poll"] == config::FormatRfc3339(kPolled));
  CHECK(wire["last_success"] == config::FormatRfc3339(kPolled));
  CHECK(wire["next_poll"] == config::FormatRfc3339(kPolled + 900));
  CHECK(wire["articles_seen"] == 37);
  CHECK(wire["etag"] == "\"v42\"");
  CHECK(wire["last_modified"] == "Sat, 28 Nov 2026 10:00:00 GMT");

  const json& local = lines[1];
  CHECK(local["name"] == "Local");
  CHECK(local["url"] == fixture.url(1));
  CHECK(local["url"].get<std::string>().rfind("file:///", 0) == 0);
  CHECK(local["effective_url"] == fixture.url(1));
  CHECK(local["state"] == "error");
  CHECK(local["http_status"].is_null());
  CHECK(local["consecutive_errors"] == 3);
  // Verbatim in JSON: escaping is the JSON encoder's job.
  CHECK(local["last_error"] == "cannot read\r\nthe file");
  CHECK(local["last_warning"].is_null());
  CHECK(local["last_success"].is_null());
  CHECK(local["articles_seen"] == 0);
  CHECK(local["etag"].is_null());
  CHECK(local["last_modified"].is_null());

  const json& evil = lines[2];
  CHECK(evil["name"] == "Evil\x1b[31m News");
  CHECK(evil["state"] == "gone");
  CHECK(evil["http_status"] == 410);
  CHECK(evil["last_error"] == "410 Gone");
  CHECK(evil["last_warning"] ==
        "unknown encoding \x1b[31m\r\nx; read as UTF-8");
  CHECK(evil["last_success"] == config::FormatRfc3339(kPolled - 86400));
  CHECK(evil["next_poll"].is_null());  // Not polled again.
}

TEST_CASE("feeds --json times are RFC 3339 UTC", "[feeds]") {
  FeedsFixture fixture;
  fixture.SaveMixedStates();
  const std::vector<json> lines = JsonLines(fixture.Run({"--json"}));
  REQUIRE(lines.size() == 3);
  for (const json& line : lines) {
    for (const char* key : {"last_poll", "last_success", "next_poll"}) {
      if (line[key].is_null()) continue;
      INFO(key);
      REQUIRE(line[key].is_string());
      const std::string text = line[key];
      CHECK(config::FormatRfc3339(ParseRfc3339(text)) == text);
    }
  }
  CHECK(lines[0]["last_poll"] == "2026-11-29T10:00:00Z");
}

TEST_CASE("feeds shows every feed pending when there is no database",
          "[feeds]") {
  FeedsFixture fixture;
  const std::int64_t before = config::UnixNow();
  const Outcome outcome = fixture.Run({"--json"});
  const std::int64_t after = config::UnixNow();
  INFO(outcome.err);
  REQUIRE(outcome.code == kExitOk);
  const std::vector<json> lines = JsonLines(outcome);
  REQUIRE(lines.size() == 3);
  for (size_t i = 0; i < lines.size(); ++i) {
    const json& line = lines[i];
    INFO(line.dump());
    CheckKeys(line);
    CHECK(line["url"] == fixture.url(i));
    CHECK(line["effective_url"] == fixture.url(i));
    CHECK(line["state"] == "pending");
    CHECK(line["http_status"].is_null());
    CHECK(line["consecutive_errors"] == 0);
    CHECK(line["last_error"].is_null());
    CHECK(line["last_warning"].is_null());
    CHECK(line["last_poll"].is_null());
    CHECK(line["last_success"].is_null());
    CHECK(line["articles_seen"] == 0);
    CHECK(line["etag"].is_null());
    CHECK(line["last_modified"].is_null());
    // Due now.
    REQUIRE(line["next_poll"].is_string());
    const std::int64_t next = ParseRfc3339(line["next_poll"]);
    CHECK(next >= before);
    CHECK(next <= after);
  }
  // Read-only: not even the data_dir appears.
  CHECK_FALSE(fs::exists(fixture.data_dir()));

  const Outcome text = fixture.Run({});
  REQUIRE(text.code == kExitOk);
  CHECK(Lines(text.out).back() ==
        "3 feed(s): 0 ok, 0 error, 0 gone, 3 pending");
  CHECK(text.out.find("pending  Wire\n") != std::string::npos);
  CHECK(text.out.find("    HTTP - · last poll never · last success never\n") !=
        std::string::npos);
  CHECK(text.out.find("    next poll due now · 0 article(s) seen\n") !=
        std::string::npos);
  CHECK(text.out.find("error(s)") == std::string::npos);
  CHECK(text.out.find("warning:") == std::string::npos);
  CHECK_FALSE(fs::exists(fixture.data_dir()));
}

TEST_CASE("feeds lists feeds the database does not know yet as pending",
          "[feeds]") {
  FeedsFixture fixture;
  FeedState local = FeedState::Pending(fixture.url(1));
  local.health = FeedHealth::kOk;
  local.http_status = 304;
  local.next_poll = kPolled;
  FeedState removed = FeedState::Pending("https://old.example.org/feed");
  removed.health = FeedHealth::kOk;
  fixture.Save({local, removed});

  const std::vector<json> lines = JsonLines(fixture.Run({"--json"}));
  REQUIRE(lines.size() == 3);  // Only configured feeds.
  CHECK(lines[0]["state"] == "pending");
  CHECK(lines[1]["state"] == "ok");
  CHECK(lines[1]["http_status"] == 304);
  CHECK(lines[1]["next_poll"] == config::FormatRfc3339(kPolled));
  CHECK(lines[2]["state"] == "pending");
}

TEST_CASE("feeds prints a readable listing and a summary", "[feeds]") {
  FeedsFixture fixture;
  fixture.SaveMixedStates();
  const Outcome outcome = fixture.Run({});
  INFO(outcome.out << outcome.err);
  REQUIRE(outcome.code == kExitOk);
  CHECK(outcome.err.empty());
  const std::vector<std::string> lines = Lines(outcome.out);
  REQUIRE(!lines.empty());
  CHECK(lines.back() == "3 feed(s): 1 ok, 1 error, 1 gone, 0 pending");

  // Config order, one block per feed headed by its state and name.
  const size_t wire = outcome.out.find("ok       Wire\n");
  const size_t local = outcome.out.find("error    Local\n");
  const size_t evil = outcome.out.find("gone     Evil");
  REQUIRE(wire != std::string::npos);
  REQUIRE(local != std::string::npos);
  REQUIRE(evil != std::string::npos);
  CHECK(wire < local);
  CHECK(local < evil);

  CHECK(outcome.out.find("    https://wire.example.org/rss -> "
                         "https://news.example.org/rss\n") !=
        std::string::npos);
  CHECK(outcome.out.find("    " + fixture.url(1) + "\n") != std::string::npos);
  CHECK(outcome.out.find("    HTTP 200 · last poll " +
                         config::FormatRfc3339(kPolled)) != std::string::npos);
  CHECK(outcome.out.find("· last success " + config::FormatRfc3339(kPolled)) !=
        std::string::npos);
  CHECK(outcome.out.find("    next poll " +
                         config::FormatRfc3339(kPolled + 900)) !=
        std::string::npos);
  CHECK(outcome.out.find("· 37 article(s) seen\n") != std::string::npos);
  CHECK(outcome.out.find("    HTTP - · last poll " +
                         config::FormatRfc3339(kPolled + 60)) !=
        std::string::npos);
  CHECK(outcome.out.find("· last success never\n") != std::string::npos);
  CHECK(outcome.out.find("(in 1h) · 0 article(s) seen\n") != std::string::npos);
  CHECK(outcome.out.find("3 error(s) in a row: cannot read  the file\n") !=
        std::string::npos);
  CHECK(outcome.out.find("    HTTP 410 ·") != std::string::npos);
  CHECK(outcome.out.find("    not polled again until its URL changes · 5 "
                         "article(s) seen\n") != std::string::npos);
  CHECK(outcome.out.find("1 error(s) in a row: 410 Gone") != std::string::npos);
  // A warning line for the feeds that have one, after the block's others.
  CHECK(outcome.out.find("· 37 article(s) seen\n    warning: XML breaks at "
                         "offset 812 (Unexpected end); kept 2 items before "
                         "it\nerror    Local\n") != std::string::npos);
  CHECK(outcome.out.find("    warning: unknown encoding  [31m  x; read as "
                         "UTF-8\n") != std::string::npos);
  CHECK(CountOccurrences(outcome.out, "warning:") == 2);
  // Feed servers' and configs' text cannot drive the terminal.
  CHECK(outcome.out.find('\x1b') == std::string::npos);
  CHECK(outcome.out.find('\r') == std::string::npos);
  CHECK(outcome.out.find("gone     Evil [31m News\n") != std::string::npos);
}

TEST_CASE("feeds --help prints the usage", "[feeds]") {
  FeedsFixture fixture;
  const Outcome outcome = fixture.Run({"--help"});
  CHECK(outcome.code == kExitOk);
  CHECK(outcome.out.rfind("usage: newswatch [--config PATH] feeds", 0) == 0);
  CHECK(outcome.out.find("--json") != std::string::npos);
  CHECK(outcome.err.empty());
}

TEST_CASE("feeds refuses unexpected arguments", "[feeds]") {
  FeedsFixture fixture;
  SECTION("a positional") {
    const Outcome outcome = fixture.Run({"everything"});
    CHECK(outcome.code == kExitUsage);
    CHECK(outcome.out.empty());
    CHECK(outcome.err.find("unexpected argument \"everything\"") !=
          std::string::npos);
  }
  SECTION("an unknown option") {
    const Outcome outcome = fixture.Run({"--limit", "3"});
    CHECK(outcome.code == kExitUsage);
    CHECK(outcome.out.empty());
    CHECK(outcome.err.find("unknown option --limit") != std::string::npos);
  }
  SECTION("a value for a flag") {
    const Outcome outcome = fixture.Run({"--json=yes"});
    CHECK(outcome.code == kExitUsage);
    CHECK(outcome.err.find("--json takes no value") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(fixture.data_dir()));
}

TEST_CASE("feeds reports an invalid config and exits 2", "[feeds]") {
  TempDir dir;
  const fs::path config = dir.Write("newswatch.toml",
                                    "data_dir = \"data\"\n"
                                    "[[feed]]\n"
                                    "url = \"gopher://example.org/feed\"\n");
  FeedsFixture fixture;
  const Outcome outcome = fixture.Run({"--json"}, config);
  CHECK(outcome.code == kExitUsage);
  CHECK(outcome.out.empty());
  CHECK(outcome.err.rfind("error: ", 0) == 0);
  CHECK(outcome.err.find("gopher://example.org/feed") != std::string::npos);

  const Outcome missing = fixture.Run({}, dir.path() / "absent.toml");
  CHECK(missing.code == kExitUsage);
  CHECK(missing.out.empty());
  CHECK(missing.err.rfind("error: ", 0) == 0);
}

TEST_CASE("feeds exits 1 when the database cannot be read", "[feeds]") {
  FeedsFixture fixture;
  const fs::path database = DatabaseFile(fixture.data_dir());
  fs::create_directories(database.parent_path());
  {
    std::ofstream garbage(database, std::ios::binary);
    garbage << std::string(4096, 'x');
  }
  const Outcome outcome = fixture.Run({"--json"});
  CHECK(outcome.code == kExitFailure);
  CHECK(outcome.out.empty());
  CHECK(outcome.err.rfind("newswatch: ", 0) == 0);
  CHECK(outcome.err.find(database.string()) != std::string::npos);
}

}  // namespace
}  // namespace newswatch::daemon
