#include "alerts/log_notifier.h"

#include "config/text.h"
#include "config/time_format.h"

namespace newswatch::alerts {

std::string LogNotifier::FormatLine(const Alert& alert) {
  const AlertContent& content = alert.content;
  return "ALERT [" + config::OneLine(content.search_name) + "] " +
         config::OneLine(content.title) + " <" + config::OneLine(content.url) +
         "> (feed: " + config::OneLine(content.feed_name) + ", published " +
         config::FormatRfc3339(content.published) + ")";
}

DeliveryOutcome LogNotifier::Deliver(const Message& message,
                                     std::int64_t /*now*/) {
  out_.clear();  // A failed write before must not fail this one for good.
  for (const Alert& alert : message.alerts) {
    out_ << FormatLine(alert) << std::endl;  // Flushed: one line, now.
  }
  if (!out_) {
    return {DeliveryOutcome::Kind::kTransient,
            "notifier \"" + name_ + "\": cannot write the log line",
            {}};
  }
  return DeliveryOutcome::Sent();
}

}  // namespace newswatch::alerts
