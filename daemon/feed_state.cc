#include "daemon/feed_state.h"

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

}  // namespace newswatch::daemon
