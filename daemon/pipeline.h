// Pipeline: the path of fetched feeds' articles, parse -> index -> match ->
// record (-> the delivery thread), wired from the objects main builds.
#ifndef NEWSWATCH_DAEMON_PIPELINE_H_
#define NEWSWATCH_DAEMON_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_store.h"
#include "config/config.h"
#include "config/error.h"
#include "indexer/index.h"
#include "indexer/matcher.h"

namespace newswatch::daemon {

// One feed's body, fetched and ready to ingest.
struct FetchedFeed {
  const config::Feed* feed = nullptr;
  std::string_view body;  // Owned by the caller until Ingest returns.
  // Where the body came from after redirects (relative links resolve
  // against it); empty means the feed's URL.
  std::string final_url = {};
  // The HTTP Content-Type header (its charset names the encoding); empty
  // for file: URLs and when the server sent none.
  std::string content_type = {};
};

struct IngestOutcome {
  // Set when the body is not a feed (kPermanent): nothing of it was kept.
  std::optional<config::Error> error;
  size_t articles = 0;      // In the feed.
  size_t new_articles = 0;  // New or changed, so indexed and matched.
  size_t alerts = 0;        // Newly recorded.
  // How often the feed says it changes (ParsedFeed::refresh_seconds).
  std::int64_t refresh_seconds = 0;
  // The parser's warnings (ParsedFeed::warnings): problems that did not stop
  // it, such as a document broken half-way. Not logged here: the caller
  // logs them with the poll's line.
  std::vector<std::string> warnings;
};

class Pipeline {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // All references must outlive the pipeline. `log` receives a line per
  // batch Recover() finishes (per-feed results go back in IngestOutcome).
  // `on_deliveries` is called after alerts with deliveries were recorded
  // (the delivery thread's Wake); may be empty.
  Pipeline(const config::Config& config, indexer::Index& index,
           const indexer::Matcher& matcher, alerts::AlertStore& store,
           std::ostream& log, Clock clock,
           std::function<void()> on_deliveries = {});

  // Keeps new batch ids above every id the index already carries, in case
  // the database is younger than the index. Once, at start-up: it reads
  // every batch term.
  config::Status AlignBatchIds();

  // Matches the batches that were indexed but not yet matched when the last
  // run stopped (the crash invariant). Pairs already recorded are no-ops.
  config::Status Recover();

  // Parses each body, then indexes, matches and records the new articles
  // of them all as one batch: one index commit and one alert transaction
  // for many feeds. One outcome per feed, in order; a body that is not a
  // feed fails alone. An error result (kFatal) means the stores failed and
  // the daemon must stop.
  config::Result<std::vector<IngestOutcome>> Ingest(
      const std::vector<FetchedFeed>& feeds);

 private:
  // Matches batch `batch_id` and records its alerts and deliveries; returns
  // the alerts newly recorded.
  config::Result<std::vector<alerts::Alert>> MatchAndRecord(long long batch_id);

  const config::Config& config_;
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
