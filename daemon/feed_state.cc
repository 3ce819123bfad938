#include "daemon/feed_state.h"

#include "config/text.h"

namespace newswatch::daemon {

const char* FeedHealthName(FeedHealth health) {
  switch (health) {
    case FeedHealth::kPending:
      return "pending";
    case FeedHealth::kOk:
      return "ok";
    case FeedHealth::kError:
      return "error";
    case FeedHealth::kGone:
      return "gone";
  }
  return "pending";
}

std::optional<FeedHealth> ParseFeedHealth(std::string_view name) {
  for (FeedHealth health : {FeedHealth::kPending, FeedHealth::kOk,
                            FeedHealth::kError, FeedHealth::kGone}) {
    if (name == FeedHealthName(health)) return health;
  }
  return std::nullopt;
}

std::string SummarizeWarnings(const std::vector<std::string>& warnings) {
  std::string joined;
  for (const std::string& warning : warnings) {
    if (!joined.empty()) joined += "; ";
    joined += warning;
    // Enough to fill the bound; a feed may warn about every item.
    if (joined.size() > kMaxLastWarningBytes) break;
  }
  return config::TruncateUtf8(config::OneLine(joined), kMaxLastWarningBytes);
}

}  // namespace newswatch::daemon
