// AlertStore: the SQLite database (<data_dir>/newswatch.db) of batches,
// alerts and their deliveries (the outbox).
//
// Every write is idempotent: an alert is UNIQUE per (search, article), a
// delivery per (alert, notifier), so replaying a batch after a crash records
// nothing twice. The database runs in WAL mode, so the CLI reads while the
// daemon writes. Not thread-safe: one AlertStore per thread.
#ifndef NEWSWATCH_ALERTS_ALERT_STORE_H_
#define NEWSWATCH_ALERTS_ALERT_STORE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "config/error.h"

namespace newswatch::alerts {

struct AlertQuery {
  std::optional<std::string> search_name;
  size_t limit = 100;
};

// A delivery that is due, with the alert it delivers.
struct DueDelivery {
  Delivery delivery;
  Alert alert;
};

class AlertStore {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (kReadWrite: creates) the database file. kFatal on failure; in
  // kReadOnly mode a missing file is kPermanent.
  static config::Result<std::unique_ptr<AlertStore>> Open(
      const std::filesystem::path& file, Mode mode = Mode::kReadWrite);

  ~AlertStore();
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  // A new batch for `feed_url`'s new articles; its id tags them in the index.
  config::Result<long long> BeginBatch(const std::string& feed_url,
                                       std::int64_t now);

  // Makes every later BeginBatch return an id above `floor`. The index tags
  // articles with batch ids; if this database is new (deleted, or restored
  // from an older backup) while the index is not, reused ids would make the
  // matcher see old articles as new.
  config::Status ReserveBatchIds(long long floor, std::int64_t now);

  // Batches begun but never marked matched: after a crash between the index
  // commit and the alert transaction, these are matched again on start-up.
  config::Result<std::vector<long long>> UnmatchedBatches();

  // In one transaction: records each alert not recorded before, with one
  // pending delivery per notifier, and marks the batch matched. Returns the
  // alerts newly recorded (pairs already present are skipped silently).
  config::Result<std::vector<Alert>> RecordBatch(
      long long batch_id, const std::vector<NewAlert>& alerts,
      std::int64_t now);

  // Alerts, newest first, each with its deliveries.
  config::Result<std::vector<Alert>> ListAlerts(const AlertQuery& query);

  // Pending deliveries to any of `notifiers` whose time has come, oldest
  // first. Naming the notifiers keeps deliveries that nobody here can send
  // from filling every page and starving the rest.
  config::Result<std::vector<DueDelivery>> DueDeliveries(
      std::int64_t now, size_t limit,
      const std::vector<std::string>& notifiers);

  config::Status MarkSent(long long delivery_id, std::int64_t now);

  // Records a failed attempt. With a `retry_at` the delivery stays pending
  // until then; without, it is dead.
  config::Status MarkFailed(long long delivery_id, const std::string& error,
                            std::optional<std::int64_t> retry_at);

 private:
  struct Impl;
  explicit AlertStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_ALERT_STORE_H_
