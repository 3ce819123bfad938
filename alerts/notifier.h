// Notifier: the seam between the outbox and a way of delivering alerts.
#ifndef NEWSWATCH_ALERTS_NOTIFIER_H_
#define NEWSWATCH_ALERTS_NOTIFIER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"

namespace newswatch::alerts {

// One message to send: a single alert, or a digest of several alerts of one
// search (delivery = "digest", or beyond a search's max_per_hour).
struct Message {
  // Stable across every retry of this message and unique to this database
  // ("msg_<instance>_d<delivery id>" or "msg_<instance>_g<digest id>"), so
  // receivers can drop repeats: the webhook-id, and the local part of the
  // email Message-ID.
  std::string id;
  std::vector<Alert> alerts;  // At least one; all of the same search.
  bool digest = false;

  const std::string& search_name() const {
    return alerts.front().content.search_name;
  }
};

struct DeliveryOutcome {
  enum class Kind {
    kSent,
    kTransient,  // Retry later (connection refused, timeout, 5xx, 408, 429).
    kPermanent,  // Retrying cannot help (rejected recipient, other 4xx).
  };
  Kind kind = Kind::kSent;
  std::string error;
  // When the receiver said when to come back (Retry-After), Unix seconds.
  std::optional<std::int64_t> retry_after;
  // The receiver said it is gone for good (a webhook's 410): the notifier is
  // disabled until its configuration changes.
  bool disable_notifier = false;

  static DeliveryOutcome Sent() { return {}; }
};

// Delivers messages. Implementations may block (bounded by their own
// timeouts); they are called from the delivery worker's thread only.
class Notifier {
 public:
  virtual ~Notifier() = default;

  // Sends `message`; `now` (Unix seconds) stamps it (webhook-timestamp, the
  // email Date header).
  virtual DeliveryOutcome Deliver(const Message& message, std::int64_t now) = 0;

  // What identifies this notifier's destination (a webhook's URL). A
  // notifier disabled by its receiver is enabled again when this changes.
  virtual std::string Destination() const { return {}; }

  // The most alerts one digest message can list in full: a digest never
  // holds more, so marking it sent means every alert in it was shown.
  virtual size_t MaxAlertsPerMessage() const { return 200; }
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_NOTIFIER_H_
