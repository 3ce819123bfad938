#include "alerts/alert_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

namespace newswatch::alerts {
namespace {

namespace fs = std::filesystem;

// Every transaction here reads, then writes. Begun IMMEDIATE, it takes the
// write lock first (waiting on the busy timeout), instead of failing with
// SQLITE_BUSY when another connection (the daemon's other thread, or the
// CLI's `alerts retry`) wrote since its read.
constexpr SQLite::TransactionBehavior kWriteTransaction =
    SQLite::TransactionBehavior::IMMEDIATE;

// Each statement is idempotent, so opening an existing database is a no-op.
constexpr const char* kSchema[] = {
    R"(CREATE TABLE IF NOT EXISTS batches (
         id          INTEGER PRIMARY KEY,
         feed_url    TEXT NOT NULL,
         created_at  INTEGER NOT NULL,
         matched_at  INTEGER))",
    R"(CREATE TABLE IF NOT EXISTS alerts (
         id          INTEGER PRIMARY KEY,
         search      TEXT NOT NULL,
         article_id  TEXT NOT NULL,
         query       TEXT NOT NULL,
         title       TEXT NOT NULL,
         url         TEXT NOT NULL,
         feed        TEXT NOT NULL,
         feed_url    TEXT NOT NULL,
         snippet     TEXT NOT NULL,
         published   INTEGER NOT NULL,
         fired_at    INTEGER NOT NULL,
         batch_id    INTEGER NOT NULL REFERENCES batches(id),
         matched_terms TEXT NOT NULL DEFAULT '[]',
         UNIQUE (search, article_id)))",
    R"(CREATE TABLE IF NOT EXISTS digests (
         id          INTEGER PRIMARY KEY,
         search      TEXT NOT NULL,
         notifier    TEXT NOT NULL,
         created_at  INTEGER NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS meta (
         key   TEXT PRIMARY KEY,
         value TEXT NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS disabled_notifiers (
         name         TEXT PRIMARY KEY,
         destination  TEXT NOT NULL,
         reason       TEXT NOT NULL,
         disabled_at  INTEGER NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS deliveries (
         id              INTEGER PRIMARY KEY,
         alert_id        INTEGER NOT NULL REFERENCES alerts(id),
         notifier        TEXT NOT NULL,
         state           TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'sent', 'dead')),
         attempts        INTEGER NOT NULL DEFAULT 0,
         last_error      TEXT NOT NULL DEFAULT '',
         next_attempt_at INTEGER NOT NULL,
         sent_at         INTEGER,
         held            INTEGER NOT NULL DEFAULT 0,
         digest_id       INTEGER REFERENCES digests(id),
         UNIQUE (alert_id, notifier)))",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, "
    "next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS alerts_fired ON alerts (fired_at)",
    // max_per_hour counts a search's recent alerts.
    "CREATE INDEX IF NOT EXISTS alerts_search_fired ON alerts (search, "
    "fired_at)",
    "CREATE INDEX IF NOT EXISTS deliveries_digest ON deliveries (digest_id) "
    "WHERE digest_id IS NOT NULL",
    // Recover() looks for unmatched batches on every pass of the daemon.
    "CREATE INDEX IF NOT EXISTS batches_unmatched ON batches (id) "
    "WHERE matched_at IS NULL",
};

// Columns added after the first release, for databases created before them:
// (table, column, definition). CREATE TABLE above has them for new files.
struct AddedColumn {
  const char* table;
  const char* column;
  const char* definition;
};
constexpr AddedColumn kAddedColumns[] = {
    {"alerts", "matched_terms", "TEXT NOT NULL DEFAULT '[]'"},
    {"deliveries", "held", "INTEGER NOT NULL DEFAULT 0"},
    {"deliveries", "digest_id", "INTEGER REFERENCES digests(id)"},
};

bool HasColumn(SQLite::Database& db, const std::string& table,
               const std::string& column) {
  SQLite::Statement info(db,
                         "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  info.bind(1, table);
  info.bind(2, column);
  return info.executeStep();
}

// Creates the schema, or brings an older one up to date, in one transaction.
void CreateOrMigrate(SQLite::Database& db) {
  SQLite::Transaction transaction(db, kWriteTransaction);
  for (const char* statement : kSchema) {
    // The indexes name columns that an old table may lack: add those first.
    if (std::string(statement).rfind("CREATE INDEX", 0) == 0) {
      for (const AddedColumn& added : kAddedColumns) {
        if (!HasColumn(db, added.table, added.column)) {
          db.exec(std::string("ALTER TABLE ") + added.table + " ADD COLUMN " +
                  added.column + " " + added.definition);
        }
      }
    }
    db.exec(statement);
  }
  // The installation's id, made once.
  SQLite::Statement instance(
      db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('instance_id', ?)");
  std::random_device random;
  std::uniform_int_distribution<unsigned> hex_digit(0, 15);
  std::string id;
  for (int i = 0; i < 16; ++i) id += "0123456789abcdef"[hex_digit(random)];
  instance.bind(1, id);
  instance.exec();
  transaction.commit();
}

// Empty for a database from before instance ids, opened read-only.
std::string ReadInstanceId(SQLite::Database& db) {
  if (!db.tableExists("meta")) return "";
  SQLite::Statement row(db, "SELECT value FROM meta WHERE key = 'instance_id'");
  return row.executeStep() ? row.getColumn(0).getString() : "";
}

std::string EncodeTerms(const std::vector<std::string>& terms) {
  return nlohmann::json(terms).dump(-1, ' ', false,
                                    nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> DecodeTerms(const std::string& text) {
  const nlohmann::json terms = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> decoded;
  if (!terms.is_array()) return decoded;
  for (const nlohmann::json& term : terms) {
    if (term.is_string()) decoded.push_back(term.get<std::string>());
  }
  return decoded;
}

// "?, ?, ?" for `count` parameters.
std::string Placeholders(size_t count) {
  std::string placeholders;
  for (size_t i = 0; i < count; ++i) placeholders += i == 0 ? "?" : ", ?";
  return placeholders;
}

// "1,2,3": ids are integers we format ourselves, so splicing them is safe.
std::string IdList(const std::vector<long long>& ids) {
  std::string list;
  for (long long id : ids) {
    if (!list.empty()) list += ",";
    list += std::to_string(id);
  }
  return list;
}

constexpr const char* kAlertColumns =
    "a.id, a.search, a.article_id, a.query, a.title, a.url, a.feed, "
    "a.feed_url, a.snippet, a.published, a.fired_at, a.matched_terms";

Alert ReadAlert(SQLite::Statement& row, int first = 0) {
  Alert alert;
  alert.id = row.getColumn(first + 0).getInt64();
  alert.content.search_name = row.getColumn(first + 1).getString();
  alert.content.article_id = row.getColumn(first + 2).getString();
  alert.content.query = row.getColumn(first + 3).getString();
  alert.content.title = row.getColumn(first + 4).getString();
  alert.content.url = row.getColumn(first + 5).getString();
  alert.content.feed_name = row.getColumn(first + 6).getString();
  alert.content.feed_url = row.getColumn(first + 7).getString();
  alert.content.snippet = row.getColumn(first + 8).getString();
  alert.content.published = row.getColumn(first + 9).getInt64();
  alert.fired_at = row.getColumn(first + 10).getInt64();
  alert.content.matched_terms =
      DecodeTerms(row.getColumn(first + 11).getString());
  return alert;
}

constexpr const char* kDeliveryColumns =
    "d.id, d.alert_id, d.notifier, d.state, d.attempts, d.last_error, "
    "d.next_attempt_at, d.held, IFNULL(d.digest_id, 0)";
constexpr int kDeliveryColumnCount = 9;

DeliveryState ParseState(const std::string& state) {
  if (state == "sent") return DeliveryState::kSent;
  if (state == "dead") return DeliveryState::kDead;
  return DeliveryState::kPending;
}

Delivery ReadDelivery(SQLite::Statement& row, int first = 0) {
  Delivery delivery;
  delivery.id = row.getColumn(first + 0).getInt64();
  delivery.alert_id = row.getColumn(first + 1).getInt64();
  delivery.notifier = row.getColumn(first + 2).getString();
  delivery.state = ParseState(row.getColumn(first + 3).getString());
  delivery.attempts = row.getColumn(first + 4).getInt();
  delivery.last_error = row.getColumn(first + 5).getString();
  delivery.next_attempt_at = row.getColumn(first + 6).getInt64();
  delivery.held = row.getColumn(first + 7).getInt() != 0;
  delivery.digest_id = row.getColumn(first + 8).getInt64();
  return delivery;
}

}  // namespace

const char* DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kDead:
      return "dead";
  }
  return "pending";
}

std::vector<long long> DueMessage::DeliveryIds() const {
  std::vector<long long> ids;
  for (const DueDelivery& part : parts) ids.push_back(part.delivery.id);
  return ids;
}

struct AlertStore::Impl {
  fs::path file;
  std::unique_ptr<SQLite::Database> db;
  std::string instance_id;

  // Runs `work`, turning SQLite's exceptions into Errors; a busy database is
  // transient, anything else fatal (the store is unusable).
  template <typename Work>
  auto Guard(Work work) -> decltype(work()) {
    try {
      return work();
    } catch (const SQLite::Exception& error) {
      const int code = error.getErrorCode() & 0xff;
      const bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
      return config::Error{
          busy ? config::ErrorKind::kTransient : config::ErrorKind::kFatal,
          "database " + file.string(), error.what()};
    }
  }

  void AttachDeliveries(std::vector<Alert>& alerts) {
    if (alerts.empty()) return;
    std::map<long long, Alert*> by_id;
    std::vector<long long> ids;
    for (Alert& alert : alerts) {
      by_id[alert.id] = &alert;
      ids.push_back(alert.id);
    }
    SQLite::Statement rows(*db, std::string("SELECT ") + kDeliveryColumns +
                                    " FROM deliveries d WHERE d.alert_id IN (" +
                                    IdList(ids) + ") ORDER BY d.id");
    while (rows.executeStep()) {
      Delivery delivery = ReadDelivery(rows);
      by_id[delivery.alert_id]->deliveries.push_back(std::move(delivery));
    }
  }
};

AlertStore::AlertStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AlertStore::~AlertStore() = default;

config::Result<std::unique_ptr<AlertStore>> AlertStore::Open(
    const fs::path& file, Mode mode) {
  auto impl = std::make_unique<Impl>();
  impl->file = file;
  std::error_code ignored;
  if (mode == Mode::kReadOnly && !fs::exists(file, ignored)) {
    return config::Error::Permanent(
        "database " + file.string(),
        "no alerts database here yet: run `newswatch run --once` first");
  }
  try {
    if (mode == Mode::kReadWrite) {
      fs::create_directories(file.parent_path());
      impl->db = std::make_unique<SQLite::Database>(
          file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      // First: a reader opening the file at this moment (the CLI, right
      // after a crash, rebuilding the WAL index) must make us wait, not fail.
      impl->db->setBusyTimeout(5000);
      impl->db->exec("PRAGMA journal_mode=WAL");
      // FULL: a batch row must survive an OS crash as surely as the Xapian
      // commit that follows it, or its articles would be indexed but never
      // matched. One fsync per batch is small beside Xapian's commit.
      impl->db->exec("PRAGMA synchronous=FULL");
      impl->db->exec("PRAGMA foreign_keys=ON");
      CreateOrMigrate(*impl->db);
    } else {
      impl->db = std::make_unique<SQLite::Database>(file.string(),
                                                    SQLite::OPEN_READONLY);
      impl->db->setBusyTimeout(5000);
    }
    impl->instance_id = ReadInstanceId(*impl->db);
  } catch (const SQLite::Exception& error) {
    return config::Error::Fatal("database " + file.string(), error.what());
  } catch (const fs::filesystem_error& error) {
    return config::Error::Fatal("database " + file.string(), error.what());
  }
  return std::unique_ptr<AlertStore>(new AlertStore(std::move(impl)));
}

config::Result<long long> AlertStore::BeginBatch(const std::string& feed_url,
                                                 std::int64_t now) {
  return impl_->Guard([&]() -> config::Result<long long> {
    SQLite::Statement insert(
        *impl_->db, "INSERT INTO batches (feed_url, created_at) VALUES (?, ?)");
    insert.bind(1, feed_url);
    insert.bind(2, static_cast<int64_t>(now));
    insert.exec();
    return static_cast<long long>(impl_->db->getLastInsertRowid());
  });
}

config::Status AlertStore::ReserveBatchIds(long long floor, std::int64_t now) {
  return impl_->Guard([&]() -> config::Status {
    // A matched placeholder row at `floor`: ids continue from max(id) + 1.
    SQLite::Statement insert(
        *impl_->db,
        "INSERT INTO batches (id, feed_url, created_at, matched_at) "
        "SELECT ?1, '', ?2, ?2 "
        "WHERE (SELECT IFNULL(MAX(id), 0) FROM batches) < ?1");
    insert.bind(1, static_cast<int64_t>(floor));
    insert.bind(2, static_cast<int64_t>(now));
    insert.exec();
    return config::Ok{};
  });
}

config::Result<std::vector<long long>> AlertStore::UnmatchedBatches() {
  return impl_->Guard([&]() -> config::Result<std::vector<long long>> {
    SQLite::Statement rows(
        *impl_->db,
        "SELECT id FROM batches WHERE matched_at IS NULL ORDER BY id");
    std::vector<long long> ids;
    while (rows.executeStep()) ids.push_back(rows.getColumn(0).getInt64());
    return ids;
  });
}

config::Result<std::vector<Alert>> AlertStore::RecordBatch(
    long long batch_id, const std::vector<NewAlert>& alerts, std::int64_t now) {
  return impl_->Guard([&]() -> config::Result<std::vector<Alert>> {
    SQLite::Transaction transaction(*impl_->db, kWriteTransaction);
    SQLite::Statement insert_alert(
        *impl_->db,
        "INSERT INTO alerts (search, article_id, query, title, url, feed, "
        "feed_url, snippet, published, fired_at, batch_id, matched_terms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (search, article_id) DO NOTHING");
    SQLite::Statement insert_delivery(
        *impl_->db,
        "INSERT INTO deliveries (alert_id, notifier, next_attempt_at, held) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (alert_id, notifier) DO NOTHING");
    // Alerts of a search that went out alone (not held) in the last hour,
    // for max_per_hour; counts the alerts recorded earlier in this batch too.
    SQLite::Statement sent_alone(
        *impl_->db,
        "SELECT COUNT(*) FROM alerts a WHERE a.search = ? AND a.fired_at > ? "
        "AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id "
        "AND d.held = 0)");
    std::vector<Alert> recorded;
    for (const NewAlert& new_alert : alerts) {
      const AlertContent& content = new_alert.content;
      const DeliveryPlan& plan = new_alert.plan;
      std::int64_t due = now;
      bool held = false;
      if (plan.digest_at) {
        due = *plan.digest_at;
        held = true;
      } else if (plan.max_per_hour > 0 && !new_alert.notifiers.empty()) {
        sent_alone.reset();
        sent_alone.bind(1, content.search_name);
        sent_alone.bind(2, static_cast<int64_t>(now - 3600));
        sent_alone.executeStep();
        if (sent_alone.getColumn(0).getInt64() >= plan.max_per_hour) {
          due = plan.overflow_digest_at;
          held = true;
        }
      }
      insert_alert.reset();
      insert_alert.bind(1, content.search_name);
      insert_alert.bind(2, content.article_id);
      insert_alert.bind(3, content.query);
      insert_alert.bind(4, content.title);
      insert_alert.bind(5, content.url);
      insert_alert.bind(6, content.feed_name);
      insert_alert.bind(7, content.feed_url);
      insert_alert.bind(8, content.snippet);
      insert_alert.bind(9, static_cast<int64_t>(content.published));
      insert_alert.bind(10, static_cast<int64_t>(now));
      insert_alert.bind(11, static_cast<int64_t>(batch_id));
      insert_alert.bind(12, EncodeTerms(content.matched_terms));
      if (insert_alert.exec() == 0) continue;  // Fired before: never again.
      Alert alert;
      alert.id = impl_->db->getLastInsertRowid();
      alert.content = content;
      alert.fired_at = now;
      for (const std::string& notifier : new_alert.notifiers) {
        insert_delivery.reset();
        insert_delivery.bind(1, static_cast<int64_t>(alert.id));
        insert_delivery.bind(2, notifier);
        insert_delivery.bind(3, static_cast<int64_t>(due));
        insert_delivery.bind(4, held ? 1 : 0);
        if (insert_delivery.exec() == 0) continue;  // Listed twice.
        Delivery delivery;
        delivery.id = impl_->db->getLastInsertRowid();
        delivery.alert_id = alert.id;
        delivery.notifier = notifier;
        delivery.next_attempt_at = due;
        delivery.held = held;
        alert.deliveries.push_back(std::move(delivery));
      }
      recorded.push_back(std::move(alert));
    }
    SQLite::Statement mark(*impl_->db,
                           "UPDATE batches SET matched_at = ? WHERE id = ?");
    mark.bind(1, static_cast<int64_t>(now));
    mark.bind(2, static_cast<int64_t>(batch_id));
    mark.exec();
    transaction.commit();
    return recorded;
  });
}

config::Result<std::vector<Alert>> AlertStore::ListAlerts(
    const AlertQuery& query) {
  return impl_->Guard([&]() -> config::Result<std::vector<Alert>> {
    std::string sql =
        std::string("SELECT ") + kAlertColumns + " FROM alerts a WHERE 1";
    if (query.search_name) sql += " AND a.search = ?";
    if (query.delivery_state) {
      sql +=
          " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id "
          "AND d.state = ?)";
    }
    sql += " ORDER BY a.fired_at DESC, a.id DESC LIMIT ?";
    SQLite::Statement rows(*impl_->db, sql);
    int parameter = 1;
    if (query.search_name) rows.bind(parameter++, *query.search_name);
    if (query.delivery_state) {
      rows.bind(parameter++, DeliveryStateName(*query.delivery_state));
    }
    rows.bind(parameter, static_cast<int64_t>(query.limit));
    std::vector<Alert> alerts;
    while (rows.executeStep()) alerts.push_back(ReadAlert(rows));
    impl_->AttachDeliveries(alerts);
    return alerts;
  });
}

config::Result<std::optional<Alert>> AlertStore::FindAlert(
    const std::string& search_name, const std::string& article_id) {
  return impl_->Guard([&]() -> config::Result<std::optional<Alert>> {
    SQLite::Statement row(*impl_->db,
                          std::string("SELECT ") + kAlertColumns +
                              " FROM alerts a WHERE a.search = ? AND "
                              "a.article_id = ?");
    row.bind(1, search_name);
    row.bind(2, article_id);
    std::vector<Alert> found;
    if (row.executeStep()) found.push_back(ReadAlert(row));
    impl_->AttachDeliveries(found);
    if (found.empty()) return std::optional<Alert>{};
    return std::optional<Alert>{std::move(found.front())};
  });
}

config::Result<std::vector<DueMessage>> AlertStore::DueMessages(
    std::int64_t now, size_t limit, const std::vector<std::string>& notifiers,
    const std::map<std::string, size_t>& digest_caps) {
  if (notifiers.empty()) return std::vector<DueMessage>{};
  return impl_->Guard([&]() -> config::Result<std::vector<DueMessage>> {
    SQLite::Database& db = *impl_->db;
    const std::string in_notifiers =
        " AND d.notifier IN (" + Placeholders(notifiers.size()) + ")";
    auto bind_notifiers = [&](SQLite::Statement& statement, int first) {
      for (const std::string& notifier : notifiers) {
        statement.bind(first++, notifier);
      }
      return first;
    };

    // Gather held deliveries whose time has come into digests, one per
    // (search, notifier) and at most kMaxAlertsPerDigest alerts each, in one
    // transaction: a crash leaves either no digest or a whole one.
    {
      SQLite::Transaction transaction(db, kWriteTransaction);
      SQLite::Statement groups(
          db,
          "SELECT DISTINCT a.search, d.notifier FROM deliveries d JOIN alerts "
          "a ON a.id = d.alert_id WHERE d.state = 'pending' AND d.held = 1 "
          "AND d.digest_id IS NULL AND d.next_attempt_at <= ?" +
              in_notifiers);
      groups.bind(1, static_cast<int64_t>(now));
      bind_notifiers(groups, 2);
      std::vector<std::pair<std::string, std::string>> pending_groups;
      while (groups.executeStep()) {
        pending_groups.emplace_back(groups.getColumn(0).getString(),
                                    groups.getColumn(1).getString());
      }
      SQLite::Statement insert_digest(
          db,
          "INSERT INTO digests (search, notifier, created_at) VALUES (?, ?, "
          "?)");
      SQLite::Statement assign(
          db,
          "UPDATE deliveries SET digest_id = ?1 WHERE id IN (SELECT d.id FROM "
          "deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.state = "
          "'pending' AND d.held = 1 AND d.digest_id IS NULL AND "
          "d.next_attempt_at <= ?2 AND a.search = ?3 AND d.notifier = ?4 "
          "ORDER BY d.id LIMIT ?5)");
      for (const auto& [search, notifier] : pending_groups) {
        auto capped = digest_caps.find(notifier);
        const size_t cap = std::clamp<size_t>(
            capped != digest_caps.end() ? capped->second : kMaxAlertsPerDigest,
            1, kMaxAlertsPerDigest);
        while (true) {
          insert_digest.reset();
          insert_digest.bind(1, search);
          insert_digest.bind(2, notifier);
          insert_digest.bind(3, static_cast<int64_t>(now));
          insert_digest.exec();
          const long long digest_id = db.getLastInsertRowid();
          assign.reset();
          assign.bind(1, static_cast<int64_t>(digest_id));
          assign.bind(2, static_cast<int64_t>(now));
          assign.bind(3, search);
          assign.bind(4, notifier);
          assign.bind(5, static_cast<int64_t>(cap));
          const size_t assigned = static_cast<size_t>(assign.exec());
          if (assigned == 0) {  // The last one was exactly full.
            SQLite::Statement drop(db, "DELETE FROM digests WHERE id = ?");
            drop.bind(1, static_cast<int64_t>(digest_id));
            drop.exec();
          }
          if (assigned < cap) break;
        }
      }
      transaction.commit();
    }

    // The heads of the due messages: single deliveries by their id, digests
    // by their lowest pending delivery.
    SQLite::Statement heads(
        db,
        "SELECT IFNULL(d.digest_id, 0), MIN(d.id), MIN(d.next_attempt_at) "
        "FROM deliveries d WHERE d.state = 'pending' AND d.next_attempt_at <= "
        "? AND (d.held = 0 OR d.digest_id IS NOT NULL)" +
            in_notifiers +
            " GROUP BY IFNULL(d.digest_id, -d.id) ORDER BY 3, 2 LIMIT ?");
    heads.bind(1, static_cast<int64_t>(now));
    heads.bind(bind_notifiers(heads, 2), static_cast<int64_t>(limit));
    std::vector<std::pair<long long, long long>> due_heads;
    while (heads.executeStep()) {
      due_heads.emplace_back(heads.getColumn(0).getInt64(),
                             heads.getColumn(1).getInt64());
    }

    const std::string select_parts =
        std::string("SELECT ") + kDeliveryColumns + ", " + kAlertColumns +
        " FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE ";
    SQLite::Statement single(db, select_parts + "d.id = ?");
    SQLite::Statement digest(db, select_parts +
                                     "d.digest_id = ? AND d.state = 'pending' "
                                     "ORDER BY a.fired_at, d.id");
    std::vector<DueMessage> messages;
    for (const auto& [digest_id, delivery_id] : due_heads) {
      SQLite::Statement& rows = digest_id != 0 ? digest : single;
      rows.reset();
      rows.bind(1,
                static_cast<int64_t>(digest_id != 0 ? digest_id : delivery_id));
      DueMessage message;
      message.digest_id = digest_id;
      while (rows.executeStep()) {
        DueDelivery part;
        part.delivery = ReadDelivery(rows);
        part.alert = ReadAlert(rows, kDeliveryColumnCount);
        message.parts.push_back(std::move(part));
      }
      if (message.parts.empty()) continue;
      message.notifier = message.parts.front().delivery.notifier;
      messages.push_back(std::move(message));
    }
    return messages;
  });
}

config::Result<std::optional<std::int64_t>> AlertStore::NextDueTime(
    const std::vector<std::string>& notifiers) {
  if (notifiers.empty()) return std::optional<std::int64_t>{};
  return impl_->Guard([&]() -> config::Result<std::optional<std::int64_t>> {
    SQLite::Statement next(*impl_->db,
                           "SELECT MIN(d.next_attempt_at) FROM deliveries d "
                           "WHERE d.state = 'pending' AND d.notifier IN (" +
                               Placeholders(notifiers.size()) + ")");
    int parameter = 1;
    for (const std::string& notifier : notifiers) {
      next.bind(parameter++, notifier);
    }
    if (!next.executeStep() || next.getColumn(0).isNull()) {
      return std::optional<std::int64_t>{};
    }
    return std::optional<std::int64_t>{next.getColumn(0).getInt64()};
  });
}

config::Status AlertStore::MarkSent(const std::vector<long long>& delivery_ids,
                                    std::int64_t now) {
  return impl_->Guard([&]() -> config::Status {
    SQLite::Statement update(
        *impl_->db,
        "UPDATE deliveries SET state = 'sent', attempts = attempts + 1, "
        "sent_at = ?, last_error = '' WHERE id IN (" +
            IdList(delivery_ids) + ")");
    update.bind(1, static_cast<int64_t>(now));
    update.exec();
    return config::Ok{};
  });
}

config::Status AlertStore::MarkFailed(
    const std::vector<long long>& delivery_ids, const std::string& error,
    std::optional<std::int64_t> retry_at) {
  return impl_->Guard([&]() -> config::Status {
    SQLite::Statement update(
        *impl_->db,
        "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, "
        "state = ?, next_attempt_at = COALESCE(?, next_attempt_at) "
        "WHERE id IN (" +
            IdList(delivery_ids) + ")");
    update.bind(1, error);
    update.bind(2, retry_at ? "pending" : "dead");
    if (retry_at) {
      update.bind(3, static_cast<int64_t>(*retry_at));
    } else {
      update.bind(3);
    }
    update.exec();
    return config::Ok{};
  });
}

config::Result<int> AlertStore::Requeue(const RequeueTarget& target,
                                        std::int64_t now) {
  return impl_->Guard([&]() -> config::Result<int> {
    std::string sql =
        "UPDATE deliveries SET state = 'pending', attempts = 0, "
        "next_attempt_at = ? WHERE state != 'sent'";
    if (target.alert_id) {
      sql +=
          " AND (alert_id = ?2 OR digest_id IN (SELECT digest_id FROM "
          "deliveries WHERE alert_id = ?2 AND digest_id IS NOT NULL))";
    }
    if (target.all_dead) sql += " AND state = 'dead'";
    SQLite::Statement update(*impl_->db, sql);
    update.bind(1, static_cast<int64_t>(now));
    if (target.alert_id) update.bind(2, static_cast<int64_t>(*target.alert_id));
    return update.exec();
  });
}

const std::string& AlertStore::InstanceId() const { return impl_->instance_id; }

config::Result<std::map<std::string, std::string>>
AlertStore::DisabledNotifiers() {
  return impl_->Guard(
      [&]() -> config::Result<std::map<std::string, std::string>> {
        std::map<std::string, std::string> disabled;
        if (!impl_->db->tableExists("disabled_notifiers")) return disabled;
        SQLite::Statement rows(
            *impl_->db, "SELECT name, destination FROM disabled_notifiers");
        while (rows.executeStep()) {
          disabled[rows.getColumn(0).getString()] =
              rows.getColumn(1).getString();
        }
        return disabled;
      });
}

config::Status AlertStore::DisableNotifier(const std::string& name,
                                           const std::string& destination,
                                           const std::string& reason,
                                           std::int64_t now) {
  return impl_->Guard([&]() -> config::Status {
    SQLite::Statement upsert(
        *impl_->db,
        "INSERT INTO disabled_notifiers (name, destination, reason, "
        "disabled_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "destination = excluded.destination, reason = excluded.reason, "
        "disabled_at = excluded.disabled_at");
    upsert.bind(1, name);
    upsert.bind(2, destination);
    upsert.bind(3, reason);
    upsert.bind(4, static_cast<int64_t>(now));
    upsert.exec();
    return config::Ok{};
  });
}

config::Status AlertStore::EnableNotifier(const std::string& name) {
  return impl_->Guard([&]() -> config::Status {
    SQLite::Statement remove(*impl_->db,
                             "DELETE FROM disabled_notifiers WHERE name = ?");
    remove.bind(1, name);
    remove.exec();
    return config::Ok{};
  });
}

}  // namespace newswatch::alerts
