#include "config/config.h"

namespace newswatch::config {

const Notifier* Config::FindNotifier(const std::string& name) const {
  for (const Notifier& notifier : notifiers) {
    if (notifier.name == name) return &notifier;
  }
  return nullptr;
}

const char* NotifierTypeName(NotifierType type) {
  switch (type) {
    case NotifierType::kLog:
      return "log";
    case NotifierType::kEmail:
      return "email";
    case NotifierType::kWebhook:
      return "webhook";
  }
  return "unknown";
}

}  // namespace newswatch::config
