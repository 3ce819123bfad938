#include "alerts/alert_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <map>

namespace newswatch::alerts {
namespace {

namespace fs = std::filesystem;

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
         UNIQUE (search, article_id)))",
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
         UNIQUE (alert_id, notifier)))",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, "
    "next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS alerts_fired ON alerts (fired_at)",
    // Recover() looks for unmatched batches on every pass of the daemon.
    "CREATE INDEX IF NOT EXISTS batches_unmatched ON batches (id) "
    "WHERE matched_at IS NULL",
};

constexpr const char* kAlertColumns =
    "a.id, a.search, a.article_id, a.query, a.title, a.url, a.feed, "
    "a.feed_url, a.snippet, a.published, a.fired_at";

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
  return alert;
}

constexpr const char* kDeliveryColumns =
    "d.id, d.alert_id, d.notifier, d.state, d.attempts, d.last_error, "
    "d.next_attempt_at";

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

struct AlertStore::Impl {
  fs::path file;
  std::unique_ptr<SQLite::Database> db;

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
    std::string ids;
    for (Alert& alert : alerts) {
      by_id[alert.id] = &alert;
      if (!ids.empty()) ids += ",";
      ids += std::to_string(alert.id);
    }
    // The ids are integers we formatted ourselves, so splicing them is safe.
    SQLite::Statement rows(*db, std::string("SELECT ") + kDeliveryColumns +
                                    " FROM deliveries d WHERE d.alert_id IN (" +
                                    ids + ") ORDER BY d.id");
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
      impl->db->exec("PRAGMA journal_mode=WAL");
      // FULL: a batch row must survive an OS crash as surely as the Xapian
      // commit that follows it, or its articles would be indexed but never
      // matched. One fsync per batch is small beside Xapian's commit.
      impl->db->exec("PRAGMA synchronous=FULL");
      impl->db->exec("PRAGMA foreign_keys=ON");
      for (const char* statement : kSchema) impl->db->exec(statement);
    } else {
      impl->db = std::make_unique<SQLite::Database>(file.string(),
                                                    SQLite::OPEN_READONLY);
    }
    impl->db->setBusyTimeout(5000);
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
    SQLite::Transaction transaction(*impl_->db);
    SQLite::Statement insert_alert(
        *impl_->db,
        "INSERT INTO alerts (search, article_id, query, title, url, feed, "
        "feed_url, snippet, published, fired_at, batch_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (search, article_id) DO NOTHING");
    SQLite::Statement insert_delivery(
        *impl_->db,
        "INSERT INTO deliveries (alert_id, notifier, next_attempt_at) "
        "VALUES (?, ?, ?) ON CONFLICT (alert_id, notifier) DO NOTHING");
    std::vector<Alert> recorded;
    for (const NewAlert& new_alert : alerts) {
      const AlertContent& content = new_alert.content;
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
      if (insert_alert.exec() == 0) continue;  // Fired before: never again.
      Alert alert;
      alert.id = impl_->db->getLastInsertRowid();
      alert.content = content;
      alert.fired_at = now;
      for (const std::string& notifier : new_alert.notifiers) {
        insert_delivery.reset();
        insert_delivery.bind(1, static_cast<int64_t>(alert.id));
        insert_delivery.bind(2, notifier);
        insert_delivery.bind(3, static_cast<int64_t>(now));
        if (insert_delivery.exec() == 0) continue;  // Listed twice.
        Delivery delivery;
        delivery.id = impl_->db->getLastInsertRowid();
        delivery.alert_id = alert.id;
        delivery.notifier = notifier;
        delivery.next_attempt_at = now;
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
    std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alerts a";
    if (query.search_name) sql += " WHERE a.search = ?";
    sql += " ORDER BY a.fired_at DESC, a.id DESC LIMIT ?";
    SQLite::Statement rows(*impl_->db, sql);
    int parameter = 1;
    if (query.search_name) rows.bind(parameter++, *query.search_name);
    rows.bind(parameter, static_cast<int64_t>(query.limit));
    std::vector<Alert> alerts;
    while (rows.executeStep()) alerts.push_back(ReadAlert(rows));
    impl_->AttachDeliveries(alerts);
    return alerts;
  });
}

config::Result<std::vector<DueDelivery>> AlertStore::DueDeliveries(
    std::int64_t now, size_t limit, const std::vector<std::string>& notifiers) {
  if (notifiers.empty()) return std::vector<DueDelivery>{};
  return impl_->Guard([&]() -> config::Result<std::vector<DueDelivery>> {
    std::string placeholders;
    for (size_t i = 0; i < notifiers.size(); ++i) {
      placeholders += i == 0 ? "?" : ", ?";
    }
    SQLite::Statement rows(
        *impl_->db, std::string("SELECT ") + kDeliveryColumns + ", " +
                        kAlertColumns +
                        " FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
                        " WHERE d.state = 'pending' AND d.next_attempt_at <= ?"
                        " AND d.notifier IN (" +
                        placeholders +
                        ")"
                        " ORDER BY d.next_attempt_at, d.id LIMIT ?");
    int parameter = 1;
    rows.bind(parameter++, static_cast<int64_t>(now));
    for (const std::string& notifier : notifiers) {
      rows.bind(parameter++, notifier);
    }
    rows.bind(parameter, static_cast<int64_t>(limit));
    std::vector<DueDelivery> due;
    while (rows.executeStep()) {
      DueDelivery item;
      item.delivery = ReadDelivery(rows);
      item.alert = ReadAlert(rows, 7);
      due.push_back(std::move(item));
    }
    return due;
  });
}

config::Status AlertStore::MarkSent(long long delivery_id, std::int64_t now) {
  return impl_->Guard([&]() -> config::Status {
    SQLite::Statement update(
        *impl_->db,
        "UPDATE deliveries SET state = 'sent', attempts = attempts + 1, "
        "sent_at = ?, last_error = '' WHERE id = ?");
    update.bind(1, static_cast<int64_t>(now));
    update.bind(2, static_cast<int64_t>(delivery_id));
    update.exec();
    return config::Ok{};
  });
}

config::Status AlertStore::MarkFailed(long long delivery_id,
                                      const std::string& error,
                                      std::optional<std::int64_t> retry_at) {
  return impl_->Guard([&]() -> config::Status {
    SQLite::Statement update(
        *impl_->db,
        "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, "
        "state = ?, next_attempt_at = COALESCE(?, next_attempt_at) "
        "WHERE id = ?");
    update.bind(1, error);
    update.bind(2, retry_at ? "pending" : "dead");
    if (retry_at) {
      update.bind(3, static_cast<int64_t>(*retry_at));
    } else {
      update.bind(3);
    }
    update.bind(4, static_cast<int64_t>(delivery_id));
    update.exec();
    return config::Ok{};
  });
}

}  // namespace newswatch::alerts
