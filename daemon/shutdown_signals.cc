#include "daemon/shutdown_signals.h"

#include <cerrno>
#include <ctime>

namespace newswatch::daemon {

ShutdownSignals::ShutdownSignals() {
  sigemptyset(&shutdown_set_);
  sigaddset(&shutdown_set_, SIGTERM);
  sigaddset(&shutdown_set_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &shutdown_set_, &previous_mask_);
}

ShutdownSignals::~ShutdownSignals() {
  // A signal that arrived after the last check would otherwise be delivered
  // by the restore below and kill the process with the wrong exit status.
  Requested();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

bool ShutdownSignals::WaitFor(std::chrono::milliseconds timeout) {
  const auto count = timeout.count() < 0 ? 0 : timeout.count();
  timespec wait{};
  wait.tv_sec = static_cast<time_t>(count / 1000);
  wait.tv_nsec = static_cast<long>((count % 1000) * 1000000);
  if (requested_) wait = timespec{};  // Still drain, but never sleep.
  while (true) {
    if (sigtimedwait(&shutdown_set_, nullptr, &wait) > 0) {
      requested_ = true;
      return true;
    }
    // EINTR: another signal interrupted the wait; the remaining time is
    // not reported, so waiting the full timeout again is acceptable.
    if (errno != EINTR) return requested_;
  }
}

}  // namespace newswatch::daemon
