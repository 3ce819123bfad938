// Scheduler: which feeds are due, and when the next one will be.
//
// Every feed is due at start; after a poll it is due again after its
// interval, give or take up to 10% jitter so feeds configured together do not
// fire in lockstep. Pure logic over Unix seconds the caller passes in (the
// clock seam), so it is tested without waiting.
#ifndef NEWSWATCH_DAEMON_SCHEDULER_H_
#define NEWSWATCH_DAEMON_SCHEDULER_H_

#include <cstdint>
#include <random>
#include <vector>

#include "config/config.h"

namespace newswatch::daemon {

class Scheduler {
 public:
  // `feeds` must outlive the scheduler.
  Scheduler(const std::vector<config::Feed>& feeds, std::int64_t now,
            std::uint32_t seed = std::random_device{}());

  // Indexes into `feeds` of those due at `now`, soonest first.
  std::vector<size_t> Due(std::int64_t now) const;

  // Records that feed `index` was polled at `now`.
  void Polled(size_t index, std::int64_t now);

  // The earliest time any feed is due.
  std::int64_t NextDue() const;

  std::int64_t DueAt(size_t index) const { return due_at_[index]; }

 private:
  const std::vector<config::Feed>& feeds_;
  std::vector<std::int64_t> due_at_;
  std::mt19937 random_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_SCHEDULER_H_
