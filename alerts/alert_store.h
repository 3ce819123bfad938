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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "config/error.h"

namespace newswatch::alerts {

struct AlertQuery {
  std::optional<std::string> search_name;
  // Only alerts with at least one delivery in this state.
  std::optional<DeliveryState> delivery_state;
  size_t limit = 100;
};

// A delivery that is due, with the alert it delivers.
struct DueDelivery {
  Delivery delivery;
  Alert alert;
};

// A message due to go out through one notifier: a single delivery, or every
// pending delivery of one digest.
struct DueMessage {
  std::string notifier;
  long long digest_id = 0;  // 0: a single delivery.
  std::vector<DueDelivery> parts;

  std::vector<long long> DeliveryIds() const;
};

// Which deliveries `Requeue` puts back in the queue.
struct RequeueTarget {
  std::optional<long long> alert_id;  // This alert's unsent deliveries...
  bool all_dead = false;              // ...or every dead delivery.
};

// A digest lists at most this many alerts; more wait for the next one.
inline constexpr size_t kMaxAlertsPerDigest = 200;

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
  // pending delivery per notifier (held for a digest as its plan says), and
  // marks the batch matched. Returns the alerts newly recorded (pairs already
  // present are skipped silently).
  config::Result<std::vector<Alert>> RecordBatch(
      long long batch_id, const std::vector<NewAlert>& alerts,
      std::int64_t now);

  // Alerts, newest first, each with its deliveries.
  config::Result<std::vector<Alert>> ListAlerts(const AlertQuery& query);

  // The alert that `search_name` fired on `article_id`, with its deliveries,
  // if one was recorded (there is at most one: UNIQUE per pair). One lookup
  // in that index, however many alerts the search has.
  config::Result<std::optional<Alert>> FindAlert(const std::string& search_name,
                                                 const std::string& article_id);

  // The messages due at `now` through any of `notifiers`, oldest first, at
  // most `limit` of them. Held deliveries whose digest time has come are
  // first gathered into digests (one per search and notifier, at most
  // kMaxAlertsPerDigest alerts each), so a digest keeps its id and its
  // alerts through every retry. Naming the notifiers keeps deliveries that
  // nobody here can send from filling every page and starving the rest.
  // `digest_caps` lowers that bound per notifier (what its format can list).
  config::Result<std::vector<DueMessage>> DueMessages(
      std::int64_t now, size_t limit, const std::vector<std::string>& notifiers,
      const std::map<std::string, size_t>& digest_caps = {});

  // The earliest time a pending delivery through `notifiers` falls due, if
  // any is pending.
  config::Result<std::optional<std::int64_t>> NextDueTime(
      const std::vector<std::string>& notifiers);

  config::Status MarkSent(const std::vector<long long>& delivery_ids,
                          std::int64_t now);

  // Records a failed attempt of each delivery. With a `retry_at` they stay
  // pending until then; without, they are dead.
  config::Status MarkFailed(const std::vector<long long>& delivery_ids,
                            const std::string& error,
                            std::optional<std::int64_t> retry_at);

  // Puts deliveries back in the queue, due at `now`, with their attempts
  // counted from zero again. Sent deliveries are never re-sent. A delivery
  // that went out in a digest takes the rest of its digest with it, so the
  // digest's id never stands for fewer alerts than it first did. Returns how
  // many were requeued.
  config::Result<int> Requeue(const RequeueTarget& target, std::int64_t now);

  // A random id made when the database was created: message ids carry it,
  // so two newswatch installations never send the same id.
  const std::string& InstanceId() const;

  // Notifiers whose receiver said it is gone (a webhook's 410), by name,
  // with the destination that said so. Their deliveries stay pending.
  config::Result<std::map<std::string, std::string>> DisabledNotifiers();
  config::Status DisableNotifier(const std::string& name,
                                 const std::string& destination,
                                 const std::string& reason, std::int64_t now);
  config::Status EnableNotifier(const std::string& name);

 private:
  struct Impl;
  explicit AlertStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_ALERT_STORE_H_
