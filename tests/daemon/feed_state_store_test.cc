#include "daemon/feed_state_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "daemon/feed_state.h"
#include "tests/support/temp_dir.h"

namespace newswatch::daemon {
namespace {

namespace fs = std::filesystem;
using newswatch::testing::TempDir;

std::unique_ptr<FeedStateStore> OpenStore(
    const fs::path& file,
    FeedStateStore::Mode mode = FeedStateStore::Mode::kReadWrite) {
  auto store = FeedStateStore::Open(file, mode);
  INFO((store.ok() ? std::string() : store.error().ToString()));
  REQUIRE(store.ok());
  return std::move(store).value();
}

std::vector<FeedState> LoadStates(FeedStateStore& store,
                                  const std::vector<std::string>& urls) {
  auto states = store.Load(urls);
  INFO((states.ok() ? std::string() : states.error().ToString()));
  REQUIRE(states.ok());
  return std::move(states).value();
}

void SaveStates(FeedStateStore& store, const std::vector<FeedState>& states) {
  const config::Status saved = store.Save(states);
  INFO((saved.ok() ? std::string() : saved.error().ToString()));
  REQUIRE(saved.ok());
}

// A state with every field away from its default.
FeedState FullState() {
  FeedState state;
  state.url = "https://example.org/feed.xml";
  state.effective_url = "https://news.example.org/feed.xml";
  state.allow_restricted = true;
  state.etag = "W/\"abc-123\"";
  state.last_modified = "Sun, 29 Nov 2026 09:45:00 GMT";
  state.health = FeedHealth::kError;
  state.http_status = 503;
  state.last_error = "server said 503 Service Unavailable";
  state.consecutive_errors = 4;
  state.last_poll = 1'795'950'000;
  state.last_success = 1'795'900'000;
  state.next_poll = 1'795'953'600;
  state.articles_seen = 5'000'000'000LL;  // Beyond 32 bits.
  state.feed_refresh_seconds = 3600;
  state.last_warning =
      "XML breaks at offset 812 (Unexpected end); kept 2 "
      "items before it";
  return state;
}

void CheckSame(const FeedState& got, const FeedState& want) {
  CHECK(got.url == want.url);
  CHECK(got.effective_url == want.effective_url);
  CHECK(got.allow_restricted == want.allow_restricted);
  CHECK(got.etag == want.etag);
  CHECK(got.last_modified == want.last_modified);
  CHECK(got.health == want.health);
  CHECK(got.http_status == want.http_status);
  CHECK(got.last_error == want.last_error);
  CHECK(got.consecutive_errors == want.consecutive_errors);
  CHECK(got.last_poll == want.last_poll);
  CHECK(got.last_success == want.last_success);
  CHECK(got.next_poll == want.next_poll);
  CHECK(got.articles_seen == want.articles_seen);
  CHECK(got.feed_refresh_seconds == want.feed_refresh_seconds);
  CHECK(got.last_warning == want.last_warning);
}

void CheckPending(const FeedState& state, const std::string& url) {
  CheckSame(state, FeedState::Pending(url));
  CHECK(state.health == FeedHealth::kPending);
  CHECK(state.effective_url == url);
}

TEST_CASE("FeedStateStore keeps every field of a state", "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "data" / "newswatch.db";
  const FeedState full = FullState();
  {
    auto store = OpenStore(file);
    SaveStates(*store, {full});
    CheckSame(LoadStates(*store, {full.url}).at(0), full);
  }
  // And across connections, read-only included.
  auto reader = OpenStore(file, FeedStateStore::Mode::kReadOnly);
  CheckSame(LoadStates(*reader, {full.url}).at(0), full);
}

TEST_CASE("FeedStateStore keeps each health", "[feed_state]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  std::vector<FeedState> states;
  std::vector<std::string> urls;
  for (FeedHealth health : {FeedHealth::kPending, FeedHealth::kOk,
                            FeedHealth::kError, FeedHealth::kGone}) {
    FeedState state = FeedState::Pending(std::string("https://example.org/") +
                                         FeedHealthName(health));
    state.health = health;
    urls.push_back(state.url);
    states.push_back(state);
  }
  SaveStates(*store, states);
  const std::vector<FeedState> loaded = LoadStates(*store, urls);
  REQUIRE(loaded.size() == states.size());
  for (size_t i = 0; i < states.size(); ++i) {
    INFO(urls[i]);
    CHECK(loaded[i].health == states[i].health);
  }
}

TEST_CASE("FeedStateStore loads in the given order, pending when unknown",
          "[feed_state]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  FeedState known = FullState();
  known.url = "https://example.org/b.xml";
  SaveStates(*store, {known});

  const std::vector<FeedState> loaded = LoadStates(
      *store,
      {"https://example.org/c.xml", known.url, "file:///srv/feeds/a.xml"});
  REQUIRE(loaded.size() == 3);
  CheckPending(loaded[0], "https://example.org/c.xml");
  CheckSame(loaded[1], known);
  CheckPending(loaded[2], "file:///srv/feeds/a.xml");

  CHECK(LoadStates(*store, {}).empty());
}

TEST_CASE("FeedStateStore gives a row without an effective_url its url",
          "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  auto store = OpenStore(file);
  FeedState state = FeedState::Pending("https://example.org/feed.xml");
  state.effective_url.clear();
  state.health = FeedHealth::kOk;
  SaveStates(*store, {state});
  const FeedState loaded = LoadStates(*store, {state.url}).at(0);
  CHECK(loaded.effective_url == state.url);
  CHECK(loaded.health == FeedHealth::kOk);
}

TEST_CASE("FeedStateStore::Save replaces the row of a URL", "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  auto store = OpenStore(file);
  const FeedState first = FullState();
  FeedState second = FeedState::Pending(first.url);
  second.health = FeedHealth::kOk;
  second.http_status = 304;
  second.next_poll = 42;
  SaveStates(*store, {first});
  SaveStates(*store, {second});
  CheckSame(LoadStates(*store, {first.url}).at(0), second);

  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM feed_state").getInt() == 1);
}

TEST_CASE("FeedStateStore saves a batch, and nothing when it is empty",
          "[feed_state]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  SaveStates(*store, {});
  FeedState a = FullState();
  FeedState b = FullState();
  b.url = "https://example.org/other.xml";
  b.health = FeedHealth::kGone;
  b.http_status = 410;
  SaveStates(*store, {a, b});
  const std::vector<FeedState> loaded = LoadStates(*store, {b.url, a.url});
  CheckSame(loaded.at(0), b);
  CheckSame(loaded.at(1), a);
}

TEST_CASE("FeedStateStore read-only on a missing file: all pending",
          "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "absent" / "newswatch.db";
  auto store = OpenStore(file, FeedStateStore::Mode::kReadOnly);
  const std::vector<FeedState> loaded =
      LoadStates(*store, {"https://example.org/a.xml", "file:///b.xml"});
  REQUIRE(loaded.size() == 2);
  CheckPending(loaded[0], "https://example.org/a.xml");
  CheckPending(loaded[1], "file:///b.xml");
  // Read-only never creates anything.
  CHECK_FALSE(fs::exists(file));
  CHECK_FALSE(fs::exists(file.parent_path()));
}

TEST_CASE("FeedStateStore read-only on a database without the table",
          "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  {
    // As the alert store leaves it before the daemon first saves a state.
    SQLite::Database db(file.string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE alerts (id INTEGER PRIMARY KEY)");
  }
  auto store = OpenStore(file, FeedStateStore::Mode::kReadOnly);
  const std::vector<FeedState> loaded =
      LoadStates(*store, {"https://example.org/a.xml"});
  REQUIRE(loaded.size() == 1);
  CheckPending(loaded[0], "https://example.org/a.xml");

  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  CHECK_FALSE(db.tableExists("feed_state"));
}

TEST_CASE("FeedStateStore::Save fails on a read-only store", "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  const FeedState state = FullState();

  SECTION("over a missing file") {
    auto store = OpenStore(file, FeedStateStore::Mode::kReadOnly);
    const config::Status saved = store->Save({state});
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.error().kind == config::ErrorKind::kFatal);
    CHECK(saved.error().where.find(file.string()) != std::string::npos);
    CHECK_FALSE(fs::exists(file));
  }
  SECTION("over an existing database") {
    OpenStore(file);  // Creates the table.
    auto store = OpenStore(file, FeedStateStore::Mode::kReadOnly);
    const config::Status saved = store->Save({state});
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.error().kind == config::ErrorKind::kFatal);
    CheckPending(LoadStates(*store, {state.url}).at(0), state.url);
  }
}

// The feed_state table as the release before last_warning created it, with
// one row.
void CreateTableWithoutWarning(const fs::path& file) {
  SQLite::Database db(file.string(),
                      SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(R"(CREATE TABLE feed_state (
      url                 TEXT PRIMARY KEY,
      effective_url       TEXT NOT NULL,
      allow_restricted    INTEGER NOT NULL DEFAULT 0,
      etag                TEXT NOT NULL DEFAULT '',
      last_modified       TEXT NOT NULL DEFAULT '',
      health              TEXT NOT NULL DEFAULT 'pending',
      http_status         INTEGER NOT NULL DEFAULT 0,
      last_error          TEXT NOT NULL DEFAULT '',
      consecutive_errors  INTEGER NOT NULL DEFAULT 0,
      last_poll           INTEGER NOT NULL DEFAULT 0,
      last_success        INTEGER NOT NULL DEFAULT 0,
      next_poll           INTEGER NOT NULL DEFAULT 0,
      articles_seen       INTEGER NOT NULL DEFAULT 0,
      feed_refresh_seconds INTEGER NOT NULL DEFAULT 0))");
  db.exec(
      "INSERT INTO feed_state (url, effective_url, health, http_status, "
      "etag, articles_seen) VALUES ('https://example.org/old.xml', "
      "'https://example.org/old.xml', 'ok', 200, '\"e1\"', 7)");
}

bool HasWarningColumn(const fs::path& file) {
  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  SQLite::Statement info(db,
                         "SELECT 1 FROM pragma_table_info('feed_state') "
                         "WHERE name = 'last_warning'");
  return info.executeStep();
}

TEST_CASE("FeedStateStore adds last_warning to an older table",
          "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  CreateTableWithoutWarning(file);
  const std::string old_url = "https://example.org/old.xml";

  SECTION("read-only: the old table is read as is, unchanged") {
    auto reader = OpenStore(file, FeedStateStore::Mode::kReadOnly);
    const FeedState loaded = LoadStates(*reader, {old_url}).at(0);
    CHECK(loaded.health == FeedHealth::kOk);
    CHECK(loaded.http_status == 200);
    CHECK(loaded.etag == "\"e1\"");
    CHECK(loaded.articles_seen == 7);
    CHECK(loaded.last_warning.empty());
    CHECK_FALSE(HasWarningColumn(file));
  }
  SECTION("read-write: migrated, the old rows kept") {
    {
      auto store = OpenStore(file);
      CHECK(HasWarningColumn(file));
      const FeedState loaded = LoadStates(*store, {old_url}).at(0);
      CHECK(loaded.health == FeedHealth::kOk);
      CHECK(loaded.etag == "\"e1\"");
      CHECK(loaded.articles_seen == 7);
      CHECK(loaded.last_warning.empty());
      FeedState warned = loaded;
      warned.last_warning = "dropped item 2: same id, link and title as item 1";
      SaveStates(*store, {warned, FullState()});
    }
    // Opening again is a no-op; every field round-trips.
    auto store = OpenStore(file);
    CHECK(LoadStates(*store, {old_url}).at(0).last_warning ==
          "dropped item 2: same id, link and title as item 1");
    CheckSame(LoadStates(*store, {FullState().url}).at(0), FullState());
    auto reader = OpenStore(file, FeedStateStore::Mode::kReadOnly);
    CheckSame(LoadStates(*reader, {FullState().url}).at(0), FullState());
  }
}

TEST_CASE("FeedStateStore: a saved last_warning is cleared by saving none",
          "[feed_state]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  FeedState state = FullState();
  SaveStates(*store, {state});
  CHECK(LoadStates(*store, {state.url}).at(0).last_warning ==
        state.last_warning);
  state.last_warning.clear();
  SaveStates(*store, {state});
  CHECK(LoadStates(*store, {state.url}).at(0).last_warning.empty());
}

TEST_CASE("FeedStateStore: a second connection sees the first's writes",
          "[feed_state]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  auto writer = OpenStore(file);
  auto other = OpenStore(file);
  const FeedState state = FullState();
  CheckPending(LoadStates(*other, {state.url}).at(0), state.url);

  SaveStates(*writer, {state});
  CheckSame(LoadStates(*other, {state.url}).at(0), state);

  FeedState update = state;
  update.health = FeedHealth::kOk;
  update.consecutive_errors = 0;
  update.last_error.clear();
  SaveStates(*other, {update});
  CheckSame(LoadStates(*writer, {state.url}).at(0), update);
}

}  // namespace
}  // namespace newswatch::daemon
