// DeliveryWorker: sends the outbox's due deliveries through their notifiers
// and records each outcome.
#ifndef NEWSWATCH_ALERTS_DELIVERY_WORKER_H_
#define NEWSWATCH_ALERTS_DELIVERY_WORKER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "alerts/alert_store.h"
#include "alerts/notifier.h"
#include "alerts/retry_policy.h"
#include "config/error.h"

namespace newswatch::alerts {

struct DeliveryCounts {
  int sent = 0;
  int retrying = 0;
  int dead = 0;
};

class DeliveryWorker {
 public:
  // `notifiers` maps notifier names to their implementations; deliveries for
  // a name that is not there stay pending, untouched. `log` receives one line
  // per failure. Both must outlive the worker.
  DeliveryWorker(AlertStore& store,
                 std::map<std::string, std::unique_ptr<Notifier>>& notifiers,
                 std::ostream& log)
      : store_(store), notifiers_(notifiers), log_(log) {}

  // Attempts every delivery due at `now` for which it has a notifier.
  config::Result<DeliveryCounts> DeliverDue(std::int64_t now);

 private:
  config::Status DeliverPage(const std::vector<DueDelivery>& due,
                             std::int64_t now, DeliveryCounts& counts);

  AlertStore& store_;
  std::map<std::string, std::unique_ptr<Notifier>>& notifiers_;
  std::ostream& log_;
  RetryPolicy retry_policy_;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_DELIVERY_WORKER_H_
