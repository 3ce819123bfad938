#include "daemon/scheduler.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace newswatch::daemon {

Scheduler::Scheduler(const std::vector<config::Feed>& feeds, std::int64_t now,
                     std::uint32_t seed)
    : feeds_(feeds), due_at_(feeds.size(), now), random_(seed) {}

std::vector<size_t> Scheduler::Due(std::int64_t now) const {
  std::vector<size_t> due;
  for (size_t i = 0; i < due_at_.size(); ++i) {
    if (due_at_[i] <= now) due.push_back(i);
  }
  std::stable_sort(due.begin(), due.end(),
                   [&](size_t a, size_t b) { return due_at_[a] < due_at_[b]; });
  return due;
}

void Scheduler::Polled(size_t index, std::int64_t now) {
  const std::int64_t interval = feeds_[index].interval.count();
  const std::int64_t spread = interval / 10;
  std::uniform_int_distribution<std::int64_t> jitter(-spread, spread);
  due_at_[index] = now + std::max<std::int64_t>(1, interval + jitter(random_));
}

std::int64_t Scheduler::NextDue() const {
  if (due_at_.empty()) return std::numeric_limits<std::int64_t>::max();
  return *std::min_element(due_at_.begin(), due_at_.end());
}

}  // namespace newswatch::daemon
