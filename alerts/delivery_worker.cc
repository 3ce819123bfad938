#include "alerts/delivery_worker.h"

#include "config/text.h"

namespace newswatch::alerts {

namespace {
// Deliveries fetched per round; bounds memory however large the backlog.
constexpr size_t kDeliveryBatch = 256;
}  // namespace

config::Result<DeliveryCounts> DeliveryWorker::DeliverDue(std::int64_t now) {
  DeliveryCounts counts;
  std::vector<std::string> available;
  for (const auto& [name, notifier] : notifiers_) available.push_back(name);
  // Page by page until drained: every attempt moves its row out of the due
  // set (sent, dead, or retried later than `now`), so this terminates.
  while (true) {
    config::Result<std::vector<DueDelivery>> due =
        store_.DueDeliveries(now, kDeliveryBatch, available);
    if (!due.ok()) return due.error();
    config::Status page = DeliverPage(due.value(), now, counts);
    if (!page.ok()) return page.error();
    if (due.value().size() < kDeliveryBatch) return counts;
  }
}

config::Status DeliveryWorker::DeliverPage(const std::vector<DueDelivery>& due,
                                           std::int64_t now,
                                           DeliveryCounts& counts) {
  for (const DueDelivery& item : due) {
    Notifier& notifier = *notifiers_.at(item.delivery.notifier);
    const DeliveryOutcome outcome =
        notifier.Deliver(item.alert, item.delivery.id);
    config::Status marked = config::Ok{};
    if (outcome.kind == DeliveryOutcome::Kind::kSent) {
      marked = store_.MarkSent(item.delivery.id, now);
      ++counts.sent;
    } else {
      std::optional<std::int64_t> retry_at;
      if (outcome.kind == DeliveryOutcome::Kind::kTransient) {
        retry_at = retry_policy_.NextAttempt(item.delivery.attempts + 1, now,
                                             outcome.retry_after);
      }
      marked = store_.MarkFailed(item.delivery.id, outcome.error, retry_at);
      ++(retry_at ? counts.retrying : counts.dead);
      log_ << "delivery " << item.delivery.id << " of alert " << item.alert.id
           << " via \"" << item.delivery.notifier
           << "\" failed: " << config::OneLine(outcome.error)
           << (retry_at ? " (will retry)" : " (gave up)") << std::endl;
    }
    if (!marked.ok()) return marked.error();
  }
  return config::Ok{};
}

}  // namespace newswatch::alerts
