// DeliveryWorker: sends the outbox's due messages through their notifiers
// and records each outcome.
#ifndef NEWSWATCH_ALERTS_DELIVERY_WORKER_H_
#define NEWSWATCH_ALERTS_DELIVERY_WORKER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/notifier.h"
#include "alerts/retry_policy.h"
#include "config/error.h"

namespace newswatch::alerts {

// Deliveries (one per alert and notifier) by what became of them in a pass.
struct DeliveryCounts {
  int sent = 0;
  int retrying = 0;
  int dead = 0;
  int waiting = 0;  // Their notifier is disabled by its receiver.
};

// The message id receivers deduplicate on, stable across retries.
std::string MessageId(const std::string& instance_id, const DueMessage& due);

// Not thread-safe; one thread at a time, with its own AlertStore.
class DeliveryWorker {
 public:
  // `notifiers` maps notifier names to their implementations; deliveries for
  // a name that is not there stay pending, untouched. `log` receives one line
  // per failure. All three must outlive the worker.
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // `retry_policy` is replaceable for tests that need exact retry times.
  // `clock`, when given, stamps each attempt as it happens (a pass through a
  // backlog at a slow receiver can take many minutes, and receivers reject
  // stale webhook timestamps); without it, the `now` of DeliverDue does.
  DeliveryWorker(AlertStore& store,
                 std::map<std::string, std::unique_ptr<Notifier>>& notifiers,
                 std::ostream& log, RetryPolicy retry_policy = RetryPolicy(),
                 Clock clock = {})
      : store_(store),
        notifiers_(notifiers),
        log_(log),
        retry_policy_(std::move(retry_policy)),
        clock_(std::move(clock)) {}

  // Attempts every message due at `now` for which it has an enabled
  // notifier. `stop`, when given, is asked between messages: a true answer
  // ends the pass early, leaving the rest due.
  config::Result<DeliveryCounts> DeliverDue(
      std::int64_t now, const std::function<bool()>& stop = {});

  // When the next delivery this worker can send falls due, if any is
  // pending. Possibly in the past (a pass that stopped early).
  config::Result<std::optional<std::int64_t>> NextDueTime();

 private:
  // The notifiers that may send now: those not disabled by their receiver
  // at their current destination. A changed destination re-enables.
  config::Result<std::vector<std::string>> EnabledNotifiers();

  void LogLine(const std::string& line);

  config::Status Send(const DueMessage& due, std::int64_t now,
                      DeliveryCounts& counts);

  AlertStore& store_;
  std::map<std::string, std::unique_ptr<Notifier>>& notifiers_;
  std::ostream& log_;
  RetryPolicy retry_policy_;
  Clock clock_;
  // Names recorded as disabled in the store, as this worker last saw them
  // (so it logs each once, and skips them within a page).
  std::set<std::string> disabled_;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_DELIVERY_WORKER_H_
