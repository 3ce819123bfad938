// Alerts and their deliveries, as the store records and returns them.
#ifndef NEWSWATCH_ALERTS_ALERT_H_
#define NEWSWATCH_ALERTS_ALERT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace newswatch::alerts {

// What a saved search found: enough of the article to deliver the alert
// later without the index.
struct AlertContent {
  std::string search_name;
  std::string query;
  std::string article_id;
  std::string title;
  std::string url;
  std::string feed_name;
  std::string feed_url;
  std::string snippet;
  std::int64_t published = 0;  // Unix seconds, UTC.
  // The query's words that this article matched, as the query wrote them
  // (lowercased), for "why did this fire" in the message.
  std::vector<std::string> matched_terms;
};

// How the deliveries of a new alert go out, from its search's policy.
struct DeliveryPlan {
  // Set for delivery = "digest": the deliveries wait until then.
  std::optional<std::int64_t> digest_at;
  // 0: no limit. Otherwise, once this many alerts of the search went out
  // alone in the last hour, further ones wait for `overflow_digest_at`.
  int max_per_hour = 0;
  std::int64_t overflow_digest_at = 0;
};

// An alert about to be recorded, with the notifiers of its search.
struct NewAlert {
  AlertContent content;
  std::vector<std::string> notifiers;
  DeliveryPlan plan;
};

enum class DeliveryState { kPending, kSent, kDead };

const char* DeliveryStateName(DeliveryState state);

struct Delivery {
  long long id = 0;
  long long alert_id = 0;
  std::string notifier;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::string last_error;
  std::int64_t next_attempt_at = 0;
  // Waits for a digest (its search's delivery = "digest", or it fired beyond
  // max_per_hour) rather than going out alone.
  bool held = false;
  // The digest message it went out in (0: none yet); all deliveries of one
  // digest are sent, retried and marked together.
  long long digest_id = 0;
};

struct Alert {
  long long id = 0;
  AlertContent content;
  std::int64_t fired_at = 0;
  std::vector<Delivery> deliveries;
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_ALERT_H_
