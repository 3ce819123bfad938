#include "daemon/pipeline.h"

#include <algorithm>

#include "alerts/digest_schedule.h"
#include "indexer/feed_parser.h"

namespace newswatch::daemon {

Pipeline::Pipeline(const config::Config& config, indexer::Index& index,
                   const indexer::Matcher& matcher, alerts::AlertStore& store,
                   std::ostream& log, Clock clock,
                   std::function<void()> on_deliveries)
    : config_(config),
      index_(index),
      matcher_(matcher),
      store_(store),
      log_(log),
      clock_(std::move(clock)),
      on_deliveries_(std::move(on_deliveries)) {
  for (const config::Search& search : config_.searches) {
    searches_by_name_[search.name] = &search;
  }
}

config::Status Pipeline::AlignBatchIds() {
  config::Result<long long> highest = index_.MaxBatchId();
  if (!highest.ok()) return highest.error();
  if (highest.value() == 0) return config::Ok{};
  return store_.ReserveBatchIds(highest.value(), clock_());
}

config::Status Pipeline::Recover() {
  config::Result<std::vector<long long>> batches = store_.UnmatchedBatches();
  if (!batches.ok()) return batches.error();
  for (long long batch_id : batches.value()) {
    config::Result<std::vector<alerts::Alert>> recorded =
        MatchAndRecord(batch_id);
    if (!recorded.ok()) return recorded.error();
    log_ << "recovered batch " << batch_id << " left unmatched by the last "
         << "run: " << recorded.value().size() << " alert(s)" << std::endl;
  }
  return config::Ok{};
}

config::Result<std::vector<IngestOutcome>> Pipeline::Ingest(
    const std::vector<FetchedFeed>& feeds) {
  const std::int64_t now = clock_();
  std::vector<IngestOutcome> outcomes(feeds.size());
  std::vector<indexer::Article> articles;
  std::map<std::string, size_t> feed_of_url;  // Configured URL -> position.
  for (size_t i = 0; i < feeds.size(); ++i) {
    const config::Feed& feed = *feeds[i].feed;
    feed_of_url[feed.url] = i;
    const indexer::FeedSource source{feed.url, feed.name, feeds[i].final_url,
                                     feeds[i].content_type};
    config::Result<indexer::ParsedFeed> parsed =
        indexer::ParseFeed(feeds[i].body, source, now);
    if (!parsed.ok()) {
      outcomes[i].error = parsed.error();
      continue;
    }
    outcomes[i].articles = parsed.value().articles.size();
    outcomes[i].refresh_seconds = parsed.value().refresh_seconds;
    outcomes[i].warnings = std::move(parsed.value().warnings);
    for (indexer::Article& article : parsed.value().articles) {
      // The operator's word beats the feed's: many feeds declare no
      // language, or "en" whatever they publish. Set before selection so it
      // reaches the index, the stemmer and lang:.
      if (!feed.language.empty()) article.language = feed.language;
      articles.push_back(std::move(article));
    }
  }

  config::Result<std::vector<indexer::Article>> fresh =
      index_.SelectNewOrChanged(std::move(articles));
  if (!fresh.ok()) return fresh.error();
  if (fresh.value().empty()) return outcomes;
  for (const indexer::Article& article : fresh.value()) {
    auto feed = feed_of_url.find(article.feed_url);
    if (feed != feed_of_url.end()) ++outcomes[feed->second].new_articles;
  }

  // The crash invariant: the batch row exists before the index is written,
  // and is marked matched only in the transaction that records its alerts.
  // A crash in between leaves an unmatched batch that Recover() finishes.
  const std::string label = feeds.size() == 1
                                ? feeds.front().feed->url
                                : std::to_string(feeds.size()) + " feeds";
  config::Result<long long> batch_id = store_.BeginBatch(label, now);
  if (!batch_id.ok()) return batch_id.error();
  config::Status written = index_.WriteBatch(batch_id.value(), fresh.value());
  if (!written.ok()) return written.error();
  config::Result<std::vector<alerts::Alert>> recorded =
      MatchAndRecord(batch_id.value());
  if (!recorded.ok()) return recorded.error();
  for (const alerts::Alert& alert : recorded.value()) {
    auto feed = feed_of_url.find(alert.content.feed_url);
    if (feed != feed_of_url.end()) ++outcomes[feed->second].alerts;
  }
  return outcomes;
}

config::Result<std::vector<alerts::Alert>> Pipeline::MatchAndRecord(
    long long batch_id) {
  config::Result<std::vector<indexer::SearchMatch>> matches =
      matcher_.MatchBatch(index_, batch_id, clock_());
  if (!matches.ok()) {
    config::Error error = matches.error();
    error.kind = config::ErrorKind::kFatal;  // The index itself failed.
    return error;
  }
  const std::int64_t now = clock_();
  std::vector<alerts::NewAlert> new_alerts;
  for (const indexer::SearchMatch& match : matches.value()) {
    const config::Search& search = *searches_by_name_.at(match.search_name);
    const indexer::Article& article = match.hit.article;
    alerts::NewAlert alert;
    alert.content.search_name = search.name;
    alert.content.query = search.query;
    alert.content.article_id = article.id;
    alert.content.title = article.title;
    alert.content.url = article.link;
    alert.content.feed_name = article.feed_name;
    alert.content.feed_url = article.feed_url;
    alert.content.snippet = match.hit.snippet;
    alert.content.published = article.published;
    alert.content.matched_terms = match.hit.matched_terms;
    alert.notifiers = search.notify;
    config::Result<alerts::DeliveryPlan> plan =
        alerts::PlanDelivery(search, config_.time_zone, now);
    if (!plan.ok()) return plan.error();  // The time zone was validated.
    alert.plan = plan.value();
    new_alerts.push_back(std::move(alert));
  }
  config::Result<std::vector<alerts::Alert>> recorded =
      store_.RecordBatch(batch_id, new_alerts, now);
  if (!recorded.ok()) return recorded.error();
  const bool any_delivery = std::any_of(
      recorded.value().begin(), recorded.value().end(),
      [](const alerts::Alert& alert) { return !alert.deliveries.empty(); });
  if (any_delivery && on_deliveries_) on_deliveries_();
  return std::move(recorded.value());
}

}  // namespace newswatch::daemon
