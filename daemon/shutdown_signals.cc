#include "daemon/shutdown_signals.h"

#include <cerrno>
#include <csignal>
#include <ctime>

namespace newswatch::daemon {

struct ShutdownSignals::Mask {
  sigset_t set;
};

namespace {
sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

ShutdownSignals::ShutdownSignals() : previous_(new Mask) {
  const sigset_t set = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, &previous_->set);
}

ShutdownSignals::~ShutdownSignals() {
  pthread_sigmask(SIG_SETMASK, &previous_->set, nullptr);
  delete previous_;
}

bool ShutdownSignals::WaitFor(std::chrono::milliseconds timeout) {
  if (requested_) return true;
  const sigset_t set = ShutdownSet();
  const auto count = timeout.count() < 0 ? 0 : timeout.count();
  timespec wait{};
  wait.tv_sec = static_cast<time_t>(count / 1000);
  wait.tv_nsec = static_cast<long>((count % 1000) * 1000000);
  while (true) {
    const int signal = sigtimedwait(&set, nullptr, &wait);
    if (signal > 0) {
      requested_ = true;
      return true;
    }
    // EINTR: another signal interrupted the wait; the remaining time is
    // not reported, so waiting the full timeout again is acceptable.
    if (errno != EINTR) return false;
  }
}

}  // namespace newswatch::daemon
