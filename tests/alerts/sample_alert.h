// A plausible alert for the notifier tests: the "Glaciers" search firing on
// a science article, every field filled.
#ifndef NEWSWATCH_TESTS_ALERTS_SAMPLE_ALERT_H_
#define NEWSWATCH_TESTS_ALERTS_SAMPLE_ALERT_H_

#include <cstdint>
#include <string>
#include <utility>

#include "alerts/alert.h"

namespace newswatch::alerts {

// Alert `id` on article "article-<id>", fired at `now`, published an hour
// before.
inline Alert SampleAlert(long long id, std::string title, std::int64_t now) {
  Alert alert;
  alert.id = id;
  alert.fired_at = now;
  alert.content.search_name = "Glaciers";
  alert.content.query = "glacier OR \"ice sheet\"";
  alert.content.article_id = "article-" + std::to_string(id);
  alert.content.title = std::move(title);
  alert.content.url = "https://example.org/ice/" + std::to_string(id);
  alert.content.feed_name = "Science Desk";
  alert.content.feed_url = "https://example.org/feed.xml";
  alert.content.snippet = "The glacier lost a third of its ice.";
  alert.content.published = now - 3600;
  alert.content.matched_terms = {"glacier", "ice sheet"};
  return alert;
}

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_TESTS_ALERTS_SAMPLE_ALERT_H_
