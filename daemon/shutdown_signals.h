// ShutdownSignals: SIGTERM and SIGINT as a condition the daemon's loop polls,
// instead of an asynchronous handler writing a global.
//
// The constructor blocks both signals for the process (call it in main before
// any thread starts, so threads inherit the mask); they stay pending until
// WaitFor or Requested consumes them with sigtimedwait.
#ifndef NEWSWATCH_DAEMON_SHUTDOWN_SIGNALS_H_
#define NEWSWATCH_DAEMON_SHUTDOWN_SIGNALS_H_

#include <chrono>

namespace newswatch::daemon {

class ShutdownSignals {
 public:
  ShutdownSignals();
  ~ShutdownSignals();  // Restores the previous signal mask.
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Sleeps up to `timeout`; true as soon as a shutdown signal arrives (or had
  // arrived before). Once true, stays true.
  bool WaitFor(std::chrono::milliseconds timeout);

  // True if a shutdown signal has arrived; does not sleep.
  bool Requested() { return WaitFor(std::chrono::milliseconds(0)); }

 private:
  bool requested_ = false;
  struct Mask;
  Mask* previous_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_SHUTDOWN_SIGNALS_H_
