// RetryPolicy: when a failed delivery is tried again, and when it is given up.
#ifndef NEWSWATCH_ALERTS_RETRY_POLICY_H_
#define NEWSWATCH_ALERTS_RETRY_POLICY_H_

#include <cstdint>
#include <optional>
#include <random>

namespace newswatch::alerts {

// The retry schedule after each failed attempt: 10 s, 1 min, 5 min, 30 min,
// 2 h, 6 h, 12 h, 24 h (about two days in all), each stretched by a random
// jitter of up to `jitter` of itself, so deliveries that failed together (a
// receiver's outage) do not all come back in the same second. After the
// last, the delivery is dead. Not thread-safe (the random source).
class RetryPolicy {
 public:
  static constexpr double kDefaultJitter = 0.1;

  explicit RetryPolicy(double jitter = kDefaultJitter,
                       std::uint32_t seed = std::random_device{}())
      : jitter_(jitter), random_(seed) {}

  // The time of the next attempt after `attempts` failed attempts (counting
  // the one that just failed), or nullopt when the delivery should die.
  // `retry_after`, when the receiver gave one and it is later, wins.
  std::optional<std::int64_t> NextAttempt(
      int attempts, std::int64_t now, std::optional<std::int64_t> retry_after);

 private:
  double jitter_;
  std::mt19937 random_;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_RETRY_POLICY_H_
