#include "daemon/feed_state_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <map>

namespace newswatch::daemon {
namespace {

namespace fs = std::filesystem;

// Idempotent, so opening an existing database is a no-op. Its own table in
// the alerts database: one file to back up, and the CLI reads both.
constexpr char kSchema[] = R"(CREATE TABLE IF NOT EXISTS feed_state (
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
    feed_refresh_seconds INTEGER NOT NULL DEFAULT 0,
    last_warning        TEXT NOT NULL DEFAULT ''))";

// Columns added after the table first shipped, for databases created before
// them: (column, definition). kSchema has them for new files.
struct AddedColumn {
  const char* column;
  const char* definition;
};
constexpr AddedColumn kAddedColumns[] = {
    {"last_warning", "TEXT NOT NULL DEFAULT ''"},
};

// Every column, in ReadRow's and Save's order; the added ones last.
constexpr char kColumns[] =
    "url, effective_url, allow_restricted, etag, last_modified, health, "
    "http_status, last_error, consecutive_errors, last_poll, last_success, "
    "next_poll, articles_seen, feed_refresh_seconds, last_warning";
// As kColumns, with an empty last_warning for a table that lacks it (an old
// database opened read-only, which cannot be migrated).
constexpr char kColumnsWithoutWarning[] =
    "url, effective_url, allow_restricted, etag, last_modified, health, "
    "http_status, last_error, consecutive_errors, last_poll, last_success, "
    "next_poll, articles_seen, feed_refresh_seconds, '' AS last_warning";

bool HasColumn(SQLite::Database& db, const char* column) {
  SQLite::Statement info(
      db, "SELECT 1 FROM pragma_table_info('feed_state') WHERE name = ?");
  info.bind(1, column);
  return info.executeStep();
}

// Creates the table, or brings an older one up to date. In one IMMEDIATE
// transaction, so two processes opening an old file at once cannot both
// add a column (the second would fail on the duplicate).
void CreateOrMigrate(SQLite::Database& db) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  db.exec(kSchema);
  for (const AddedColumn& added : kAddedColumns) {
    if (!HasColumn(db, added.column)) {
      db.exec(std::string("ALTER TABLE feed_state ADD COLUMN ") + added.column +
              " " + added.definition);
    }
  }
  transaction.commit();
}

FeedState ReadRow(SQLite::Statement& row) {
  FeedState state;
  state.url = row.getColumn(0).getString();
  state.effective_url = row.getColumn(1).getString();
  state.allow_restricted = row.getColumn(2).getInt() != 0;
  state.etag = row.getColumn(3).getString();
  state.last_modified = row.getColumn(4).getString();
  state.health = ParseFeedHealth(row.getColumn(5).getString())
                     .value_or(FeedHealth::kPending);
  state.http_status = static_cast<long>(row.getColumn(6).getInt64());
  state.last_error = row.getColumn(7).getString();
  state.consecutive_errors = row.getColumn(8).getInt();
  state.last_poll = row.getColumn(9).getInt64();
  state.last_success = row.getColumn(10).getInt64();
  state.next_poll = row.getColumn(11).getInt64();
  state.articles_seen = row.getColumn(12).getInt64();
  state.feed_refresh_seconds = row.getColumn(13).getInt64();
  state.last_warning = row.getColumn(14).getString();
  if (state.effective_url.empty()) state.effective_url = state.url;
  return state;
}

}  // namespace

struct FeedStateStore::Impl {
  fs::path file;
  std::unique_ptr<SQLite::Database> db;  // Null: read-only, nothing there.
  // The SELECT list of Load: kColumns, unless the table is too old to have
  // them all and the file is open read-only.
  const char* columns = kColumns;

  // Busy or locked (another connection kept the write lock past the busy
  // timeout) is transient; anything else is fatal.
  config::Error Failure(const std::exception& error) const {
    const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error);
    const bool busy =
        sqlite != nullptr && (sqlite->getErrorCode() == SQLITE_BUSY ||
                              sqlite->getErrorCode() == SQLITE_LOCKED);
    return config::Error{
        busy ? config::ErrorKind::kTransient : config::ErrorKind::kFatal,
        "database " + file.string(), error.what()};
  }
};

FeedStateStore::FeedStateStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
FeedStateStore::~FeedStateStore() = default;

config::Result<std::unique_ptr<FeedStateStore>> FeedStateStore::Open(
    const fs::path& database, Mode mode) {
  auto impl = std::make_unique<Impl>();
  impl->file = database;
  try {
    if (mode == Mode::kReadWrite) {
      fs::create_directories(database.parent_path());
      impl->db = std::make_unique<SQLite::Database>(
          database.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      impl->db->setBusyTimeout(5000);
      impl->db->exec("PRAGMA journal_mode=WAL");
      // NORMAL: losing the last state writes to an OS crash only means
      // polling those feeds again without their validators; the articles
      // themselves are safe in the index and the alerts tables.
      impl->db->exec("PRAGMA synchronous=NORMAL");
      CreateOrMigrate(*impl->db);
    } else {
      std::error_code ignored;
      if (fs::exists(database, ignored)) {
        auto db = std::make_unique<SQLite::Database>(database.string(),
                                                     SQLite::OPEN_READONLY);
        db->setBusyTimeout(5000);
        if (db->tableExists("feed_state")) {
          if (!HasColumn(*db, "last_warning")) {
            impl->columns = kColumnsWithoutWarning;
          }
          impl->db = std::move(db);
        }
      }
    }
  } catch (const std::exception& error) {
    return impl->Failure(error);
  }
  return std::unique_ptr<FeedStateStore>(new FeedStateStore(std::move(impl)));
}

config::Result<std::vector<FeedState>> FeedStateStore::Load(
    const std::vector<std::string>& urls) {
  std::map<std::string, FeedState> stored;
  if (impl_->db != nullptr) {
    try {
      SQLite::Statement rows(
          *impl_->db,
          std::string("SELECT ") + impl_->columns + " FROM feed_state");
      while (rows.executeStep()) {
        FeedState state = ReadRow(rows);
        stored.emplace(state.url, std::move(state));
      }
    } catch (const std::exception& error) {
      return impl_->Failure(error);
    }
  }
  std::vector<FeedState> states;
  states.reserve(urls.size());
  for (const std::string& url : urls) {
    auto found = stored.find(url);
    states.push_back(found != stored.end() ? std::move(found->second)
                                           : FeedState::Pending(url));
  }
  return states;
}

config::Status FeedStateStore::Save(const std::vector<FeedState>& states) {
  if (states.empty()) return config::Ok{};
  if (impl_->db == nullptr) {
    return config::Error::Fatal("database " + impl_->file.string(),
                                "opened read-only");
  }
  try {
    SQLite::Transaction transaction(*impl_->db,
                                    SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement upsert(
        *impl_->db, std::string("INSERT OR REPLACE INTO feed_state (") +
                        kColumns +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?)");
    for (const FeedState& state : states) {
      upsert.bind(1, state.url);
      upsert.bind(2, state.effective_url);
      upsert.bind(3, state.allow_restricted ? 1 : 0);
      upsert.bind(4, state.etag);
      upsert.bind(5, state.last_modified);
      upsert.bind(6, FeedHealthName(state.health));
      upsert.bind(7, static_cast<int64_t>(state.http_status));
      upsert.bind(8, state.last_error);
      upsert.bind(9, state.consecutive_errors);
      upsert.bind(10, static_cast<int64_t>(state.last_poll));
      upsert.bind(11, static_cast<int64_t>(state.last_success));
      upsert.bind(12, static_cast<int64_t>(state.next_poll));
      upsert.bind(13, static_cast<int64_t>(state.articles_seen));
      upsert.bind(14, static_cast<int64_t>(state.feed_refresh_seconds));
      upsert.bind(15, state.last_warning);
      upsert.exec();
      upsert.reset();
    }
    transaction.commit();
  } catch (const std::exception& error) {
    return impl_->Failure(error);
  }
  return config::Ok{};
}

}  // namespace newswatch::daemon
