#include "alerts/retry_policy.h"

#include <algorithm>
#include <array>

namespace newswatch::alerts {

namespace {
constexpr std::array<std::int64_t, 8> kDelaysSeconds = {
    10, 60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600, 24 * 3600};
}  // namespace

std::optional<std::int64_t> RetryPolicy::NextAttempt(
    int attempts, std::int64_t now, std::optional<std::int64_t> retry_after) {
  if (attempts < 1) attempts = 1;
  if (static_cast<size_t>(attempts) > kDelaysSeconds.size()) {
    return std::nullopt;
  }
  const std::int64_t delay = kDelaysSeconds[static_cast<size_t>(attempts) - 1];
  std::uniform_int_distribution<std::int64_t> stretch(
      0, static_cast<std::int64_t>(static_cast<double>(delay) * jitter_));
  const std::int64_t scheduled = now + delay + stretch(random_);
  return retry_after ? std::max(scheduled, *retry_after) : scheduled;
}

}  // namespace newswatch::alerts
