// ShutdownSignals: SIGTERM and SIGINT as a condition the daemon's loop polls,
// instead of an asynchronous handler writing a global.
//
// The constructor blocks both signals for the process (call it in main before
// any thread starts, so threads inherit the mask); they stay pending until
// WaitFor or Requested consumes them with sigtimedwait.
#ifndef NEWSWATCH_DAEMON_SHUTDOWN_SIGNALS_H_
#define NEWSWATCH_DAEMON_SHUTDOWN_SIGNALS_H_

#include <signal.h>

#include <chrono>

namespace newswatch::daemon {

class ShutdownSignals {
 public:
  ShutdownSignals();
  // Consumes a signal still pending (it was seen or is moot: we are exiting),
  // then restores the previous signal mask.
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Sleeps up to `timeout`; true as soon as a shutdown signal arrives (or had
  // arrived before). Once true, stays true.
  bool WaitFor(std::chrono::milliseconds timeout);

  // True if a shutdown signal has arrived; does not sleep.
  bool Requested() { return WaitFor(std::chrono::milliseconds(0)); }

 private:
  bool requested_ = false;
  sigset_t shutdown_set_;
  sigset_t previous_mask_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_SHUTDOWN_SIGNALS_H_
