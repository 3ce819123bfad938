// Pipeline: the path of one feed's articles, fetch -> parse -> index ->
// match -> record -> deliver, wired from the objects main builds.
#ifndef NEWSWATCH_DAEMON_PIPELINE_H_
#define NEWSWATCH_DAEMON_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "alerts/alert_store.h"
#include "config/config.h"
#include "config/error.h"
#include "daemon/fetcher.h"
#include "indexer/index.h"
#include "indexer/matcher.h"

namespace newswatch::daemon {

struct PollOutcome {
  size_t articles = 0;      // In the feed.
  size_t new_articles = 0;  // New or changed, so indexed and matched.
  size_t alerts = 0;        // Newly recorded.
};

class Pipeline {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // All references must outlive the pipeline. `log` receives one line per
  // feed poll and per problem. `on_deliveries` is called after alerts with
  // deliveries were recorded (the delivery thread's Wake); may be empty.
  Pipeline(const config::Config& config, Fetcher& fetcher,
           indexer::Index& index, const indexer::Matcher& matcher,
           alerts::AlertStore& store, std::ostream& log, Clock clock,
           std::function<void()> on_deliveries = {});

  // Keeps new batch ids above every id the index already carries, in case
  // the database is younger than the index. Once, at start-up: it reads
  // every batch term.
  config::Status AlignBatchIds();

  // Matches the batches that were indexed but not yet matched when the last
  // run stopped (the crash invariant). Pairs already recorded are no-ops.
  config::Status Recover();

  // Polls one feed through the whole path. A feed that fails is reported in
  // the error (kTransient/kPermanent); kFatal means the stores failed and the
  // daemon must stop.
  config::Result<PollOutcome> PollFeed(const config::Feed& feed);

 private:
  // Matches batch `batch_id` and records its alerts and deliveries.
  config::Result<size_t> MatchAndRecord(long long batch_id);

  const config::Config& config_;
  Fetcher& fetcher_;
  indexer::Index& index_;
  const indexer::Matcher& matcher_;
  alerts::AlertStore& store_;
  std::ostream& log_;
  Clock clock_;
  std::function<void()> on_deliveries_;
  std::map<std::string, const config::Search*> searches_by_name_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_PIPELINE_H_
