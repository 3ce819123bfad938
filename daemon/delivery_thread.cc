#include "daemon/delivery_thread.h"

#include <algorithm>
#include <chrono>

#include "alerts/alert_store.h"
#include "alerts/delivery_worker.h"
#include "config/text.h"

namespace newswatch::daemon {

namespace {
// The longest the thread sleeps without looking at the outbox, so that
// deliveries requeued by `newswatch alerts retry` (another process) go out
// soon without a signal.
constexpr std::int64_t kMaxSleepSeconds = 10;
}  // namespace

DeliveryThread::DeliveryThread(
    std::filesystem::path database,
    std::map<std::string, std::unique_ptr<alerts::Notifier>> notifiers,
    std::ostream& log, Clock clock, std::function<void()> on_fatal)
    : database_(std::move(database)),
      notifiers_(std::move(notifiers)),
      log_(log),
      clock_(std::move(clock)),
      on_fatal_(std::move(on_fatal)),
      thread_([this] { Run(); }) {}

DeliveryThread::~DeliveryThread() { Stop(); }

void DeliveryThread::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_one();
}

void DeliveryThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool DeliveryThread::SleepUntil(std::int64_t deadline) {
  const std::int64_t seconds =
      std::clamp<std::int64_t>(deadline - clock_(), 0, kMaxSleepSeconds);
  std::unique_lock<std::mutex> lock(mutex_);
  wakeup_.wait_for(lock, std::chrono::seconds(seconds),
                   [this] { return woken_ || stopping_; });
  woken_ = false;
  return stopping_;
}

void DeliveryThread::Run() {
  auto fail = [this](const config::Error& error) {
    log_ << ("newswatch: delivery stopped: " +
             config::OneLine(error.ToString()) + "\n")
         << std::flush;
    if (on_fatal_) on_fatal_();
  };
  auto store = alerts::AlertStore::Open(database_);
  if (!store.ok()) return fail(store.error());
  alerts::DeliveryWorker worker(*store.value(), notifiers_, log_,
                                alerts::RetryPolicy(), clock_);
  auto stopping = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  };
  while (!stopping()) {
    config::Result<alerts::DeliveryCounts> counts =
        worker.DeliverDue(clock_(), stopping);
    if (!counts.ok() && counts.error().kind == config::ErrorKind::kFatal) {
      return fail(counts.error());
    }
    std::int64_t deadline = clock_() + kMaxSleepSeconds;
    if (!counts.ok()) {  // A busy database: try again shortly.
      log_ << ("newswatch: delivery: " +
               config::OneLine(counts.error().ToString()) + "\n")
           << std::flush;
      deadline = clock_() + 1;
    } else if (auto next = worker.NextDueTime(); next.ok() && next.value()) {
      deadline = std::min(deadline, *next.value());
    }
    if (SleepUntil(deadline)) break;
  }
}

}  // namespace newswatch::daemon
