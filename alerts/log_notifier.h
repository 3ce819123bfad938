// LogNotifier: one line per alert on a stream (the daemon's stderr, which
// systemd sends to the journal).
#ifndef NEWSWATCH_ALERTS_LOG_NOTIFIER_H_
#define NEWSWATCH_ALERTS_LOG_NOTIFIER_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "alerts/notifier.h"

namespace newswatch::alerts {

class LogNotifier : public Notifier {
 public:
  // `out` must outlive the notifier.
  LogNotifier(std::string name, std::ostream& out)
      : name_(std::move(name)), out_(out) {}

  // One line per alert of the message (a digest writes several).
  DeliveryOutcome Deliver(const Message& message, std::int64_t now) override;

  // The line written for `alert`, without the trailing newline. Feed text is
  // made single-line (control characters removed) before it is written.
  static std::string FormatLine(const Alert& alert);

 private:
  std::string name_;
  std::ostream& out_;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_LOG_NOTIFIER_H_
