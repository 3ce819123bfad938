#include "alerts/delivery_worker.h"

#include <map>

#include "config/text.h"
#include "config/time_format.h"

namespace newswatch::alerts {

namespace {
// Messages fetched per round; bounds memory however large the backlog.
constexpr size_t kMessagesPerPage = 64;
}  // namespace

std::string MessageId(const std::string& instance_id, const DueMessage& due) {
  return "msg_" + instance_id +
         (due.digest_id != 0
              ? "_g" + std::to_string(due.digest_id)
              : "_d" + std::to_string(due.parts.front().delivery.id));
}

void DeliveryWorker::LogLine(const std::string& line) {
  // One write per line: the log is shared with the polling thread.
  log_ << (line + "\n") << std::flush;
}

config::Result<std::vector<std::string>> DeliveryWorker::EnabledNotifiers() {
  config::Result<std::map<std::string, std::string>> disabled =
      store_.DisabledNotifiers();
  if (!disabled.ok()) return disabled.error();
  std::vector<std::string> enabled;
  for (const auto& [name, notifier] : notifiers_) {
    auto found = disabled.value().find(name);
    if (found == disabled.value().end()) {
      disabled_.erase(name);  // Enabled again, by its config or by hand.
      enabled.push_back(name);
    } else if (found->second != notifier->Destination()) {
      config::Status status = store_.EnableNotifier(name);
      if (!status.ok()) return status.error();
      LogLine("notifier \"" + config::OneLine(name) +
              "\": enabled again, its destination changed since it was "
              "disabled");
      disabled_.erase(name);
      enabled.push_back(name);
    } else if (disabled_.insert(name).second) {
      LogLine("notifier \"" + config::OneLine(name) +
              "\" is disabled (its receiver said it is gone); its deliveries "
              "wait until its destination changes in the config");
    }
  }
  return enabled;
}

config::Result<DeliveryCounts> DeliveryWorker::DeliverDue(
    std::int64_t now, const std::function<bool()>& stop) {
  DeliveryCounts counts;
  // Page by page until drained: every attempt moves its deliveries out of
  // the due set (sent, dead, retried later than `now`, or waiting on a
  // notifier that just got disabled), so this terminates.
  while (true) {
    config::Result<std::vector<std::string>> enabled = EnabledNotifiers();
    if (!enabled.ok()) return enabled.error();
    std::map<std::string, size_t> digest_caps;
    for (const std::string& name : enabled.value()) {
      digest_caps[name] = notifiers_.at(name)->MaxAlertsPerMessage();
    }
    config::Result<std::vector<DueMessage>> due =
        store_.DueMessages(now, kMessagesPerPage, enabled.value(), digest_caps);
    if (!due.ok()) return due.error();
    bool disabled_in_page = false;
    for (const DueMessage& message : due.value()) {
      if (stop && stop()) return counts;
      if (disabled_.count(message.notifier)) {  // Gone since the page began.
        disabled_in_page = true;
        continue;
      }
      config::Status sent = Send(message, now, counts);
      if (!sent.ok()) return sent.error();
    }
    // A full page, or one cut short by a notifier that went away, may have
    // more behind it.
    if (due.value().size() < kMessagesPerPage && !disabled_in_page) {
      return counts;
    }
  }
}

config::Result<std::optional<std::int64_t>> DeliveryWorker::NextDueTime() {
  config::Result<std::vector<std::string>> enabled = EnabledNotifiers();
  if (!enabled.ok()) return enabled.error();
  return store_.NextDueTime(enabled.value());
}

config::Status DeliveryWorker::Send(const DueMessage& due,
                                    std::int64_t pass_now,
                                    DeliveryCounts& counts) {
  const std::int64_t now = clock_ ? clock_() : pass_now;
  Message message;
  message.id = MessageId(store_.InstanceId(), due);
  message.digest = due.digest_id != 0;
  for (const DueDelivery& part : due.parts)
    message.alerts.push_back(part.alert);
  const std::vector<long long> ids = due.DeliveryIds();
  const int deliveries = static_cast<int>(ids.size());
  Notifier& notifier = *notifiers_.at(due.notifier);

  const DeliveryOutcome outcome = notifier.Deliver(message, now);
  if (outcome.kind == DeliveryOutcome::Kind::kSent) {
    counts.sent += deliveries;
    return store_.MarkSent(ids, now);
  }
  const std::string what =
      std::string(message.digest ? "digest " : "message ") + message.id + " (" +
      std::to_string(deliveries) + " alert(s)) via \"" + due.notifier + "\"";
  if (outcome.disable_notifier) {
    // The delivery itself is not lost: it waits, pending, for the notifier to
    // be pointed somewhere that answers.
    counts.waiting += deliveries;
    LogLine(what + " failed: " + config::OneLine(outcome.error) +
            "; notifier disabled until its destination changes");
    config::Status failed = store_.MarkFailed(ids, outcome.error, now);
    if (!failed.ok()) return failed;
    config::Status disabled = store_.DisableNotifier(
        due.notifier, notifier.Destination(), outcome.error, now);
    // Only once it is recorded: DeliverDue skips what is in disabled_, and
    // the store must agree, or the skipped message would stay due forever.
    if (disabled.ok()) disabled_.insert(due.notifier);
    return disabled;
  }
  std::optional<std::int64_t> retry_at;
  if (outcome.kind == DeliveryOutcome::Kind::kTransient) {
    // A digest's deliveries share their attempts; the first one counts.
    retry_at = retry_policy_.NextAttempt(
        due.parts.front().delivery.attempts + 1, now, outcome.retry_after);
  }
  (retry_at ? counts.retrying : counts.dead) += deliveries;
  LogLine(what + " failed: " + config::OneLine(outcome.error) +
          (retry_at
               ? " (will retry at " + config::FormatRfc3339(*retry_at) + ")"
               : " (gave up: the delivery is dead; `newswatch alerts "
                 "retry` requeues it)"));
  return store_.MarkFailed(ids, outcome.error, retry_at);
}

}  // namespace newswatch::alerts
