// DeliveryThread: the outbox's sender, on a thread of its own, so a slow
// SMTP server or webhook never holds up polling, indexing or matching.
#ifndef NEWSWATCH_DAEMON_DELIVERY_THREAD_H_
#define NEWSWATCH_DAEMON_DELIVERY_THREAD_H_

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "alerts/notifier.h"

namespace newswatch::daemon {

class DeliveryThread {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // The thread opens its own connection to `database` (an AlertStore is
  // single-threaded) and owns `notifiers`. `log` must be safe to write from
  // two threads (std::cerr is) and outlive this object. A fatal store error
  // is logged and ends the thread; `on_fatal` is then called from it.
  DeliveryThread(
      std::filesystem::path database,
      std::map<std::string, std::unique_ptr<alerts::Notifier>> notifiers,
      std::ostream& log, Clock clock, std::function<void()> on_fatal);
  // Stops and joins.
  ~DeliveryThread();
  DeliveryThread(const DeliveryThread&) = delete;
  DeliveryThread& operator=(const DeliveryThread&) = delete;

  // Looks at the outbox now rather than at the next due time: new alerts
  // were recorded, or deliveries requeued.
  void Wake();

  // Finishes the message in flight (each notifier bounds it by its timeout),
  // then ends the thread; whatever is still due waits in the outbox for the
  // next start. Idempotent.
  void Stop();

 private:
  void Run();
  // Sleeps until `deadline` (Unix seconds) or a Wake/Stop; true if stopping.
  bool SleepUntil(std::int64_t deadline);

  const std::filesystem::path database_;
  std::map<std::string, std::unique_ptr<alerts::Notifier>> notifiers_;
  std::ostream& log_;
  Clock clock_;
  std::function<void()> on_fatal_;

  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool woken_ = false;     // Guarded by mutex_.
  bool stopping_ = false;  // Guarded by mutex_.
  std::thread thread_;     // Last: starts once the rest is built.
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_DELIVERY_THREAD_H_
