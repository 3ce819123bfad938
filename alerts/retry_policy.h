// RetryPolicy: when a failed delivery is tried again, and when it is given up.
#ifndef NEWSWATCH_ALERTS_RETRY_POLICY_H_
#define NEWSWATCH_ALERTS_RETRY_POLICY_H_

#include <cstdint>
#include <optional>

namespace newswatch::alerts {

// The retry schedule after each failed attempt: 10 s, 1 min, 5 min, 30 min,
// 2 h, 6 h, 12 h, 24 h (about two days in all); after the last, the delivery
// is dead.
class RetryPolicy {
 public:
  // The time of the next attempt after `attempts` failed attempts (counting
  // the one that just failed), or nullopt when the delivery should die.
  // `retry_after`, when the receiver gave one and it is later, wins.
  std::optional<std::int64_t> NextAttempt(
      int attempts, std::int64_t now,
      std::optional<std::int64_t> retry_after) const;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_RETRY_POLICY_H_
