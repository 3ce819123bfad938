// Notifier: the seam between the outbox and a way of delivering an alert.
#ifndef NEWSWATCH_ALERTS_NOTIFIER_H_
#define NEWSWATCH_ALERTS_NOTIFIER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "alerts/alert.h"

namespace newswatch::alerts {

struct DeliveryOutcome {
  enum class Kind {
    kSent,
    kTransient,  // Retry later (connection refused, timeout, 5xx, 429).
    kPermanent,  // Retrying cannot help (rejected recipient, 4xx).
  };
  Kind kind = Kind::kSent;
  std::string error;
  // When the receiver said when to come back (Retry-After), Unix seconds.
  std::optional<std::int64_t> retry_after;

  static DeliveryOutcome Sent() { return {}; }
};

// Delivers one alert. `delivery_id` is stable across retries, so receivers
// can drop repeats. Implementations may block; they are called from the
// delivery worker only.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual DeliveryOutcome Deliver(const Alert& alert,
                                  long long delivery_id) = 0;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_NOTIFIER_H_
