// FeedPolling: the daemon's polling, between the feed states kept in the
// database and the pipeline. It decides which feeds are due, asks the
// FeedPoller for them, and turns each response into the feed's new state and
// next poll: 200 -> ingest; 304 -> nothing to do; 410 -> gone; 429/503 ->
// wait as Retry-After says; errors -> back off; 301/308 -> poll the new URL
// from now on. The parser's warnings are logged and kept in the feed's state
// (last_warning).
//
// Single-threaded: the owner's thread calls everything (the poller's own
// thread does the transfers).
#ifndef NEWSWATCH_DAEMON_FEED_POLLING_H_
#define NEWSWATCH_DAEMON_FEED_POLLING_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "daemon/feed_poller.h"
#include "daemon/feed_state.h"
#include "daemon/feed_state_store.h"
#include "daemon/pipeline.h"

namespace newswatch::daemon {

// Bodies are held and ingested together, as one index batch (one Xapian
// commit, one alert transaction): at most this many feeds, ...
inline constexpr size_t kMaxFeedsPerBatch = 256;
// ... or this many body bytes, ...
inline constexpr size_t kMaxBatchBytes = 32 * 1024 * 1024;
// ... and none held longer than this (Unix seconds) while others arrive.
inline constexpr std::int64_t kMaxBatchWaitSeconds = 2;
// Feeds whose batch met a busy database are fetched again this much later.
inline constexpr std::int64_t kBusyRetrySeconds = 60;
// The parser's warnings logged per feed and poll; the rest are counted. A
// feed that repeats every item would otherwise log a line per item.
inline constexpr size_t kMaxWarningLinesPerPoll = 10;

class FeedPolling {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // All references must outlive this object. `log` gets one line per poll
  // and per change of a feed's fortunes (moved, gone).
  FeedPolling(const config::Config& config, FeedPoller& poller,
              Pipeline& pipeline, FeedStateStore& store, std::ostream& log,
              Clock clock, std::uint32_t seed = std::random_device{}());

  // Reads every configured feed's state; feeds never polled are due now.
  // Once, before anything else. kFatal when the database fails.
  config::Status Load();

  // Hands the poller every feed due now that is not gone and not already in
  // flight; with `every_feed`, every feed not gone, due or not (run --once).
  void SubmitDue(bool every_feed = false);

  // Waits up to `wait` for responses, then handles all that came: updates
  // the feeds' states and schedules and saves them in one transaction. Feed
  // bodies are held, and ingested together once enough are held, or nothing
  // else is on its way, or the oldest has waited kMaxBatchWaitSeconds. An
  // error (kFatal) means a store failed and the daemon must stop.
  config::Status HandleResponses(std::chrono::milliseconds wait);

  // Ingests the bodies held, if any (before a stop).
  config::Status Flush();

  // Feeds submitted whose responses were not handled yet (held bodies
  // included).
  size_t InFlight() const { return in_flight_count_; }

  // The earliest next poll of a feed neither gone nor in flight (Unix
  // seconds); INT64_MAX when there is none.
  std::int64_t NextDue() const;

  const std::vector<FeedState>& states() const { return states_; }

  // What the polls handled so far came to, for the cycle's summary line.
  struct Tally {
    size_t fetched = 0;  // Bodies ingested as feeds.
    size_t not_modified = 0;
    size_t failed = 0;  // Errors, and bodies that were not feeds.
    size_t gone = 0;
    // CPU time this thread spent parsing, indexing, matching and recording.
    std::chrono::nanoseconds ingest_cpu{0};
  };
  const Tally& tally() const { return tally_; }

 private:
  // Ingests held_ and saves those feeds' states.
  config::Status IngestHeld();
  // Saves the states of `feeds`. Only a kFatal error is returned; a busy
  // database is logged and the states saved with a later batch.
  config::Status SaveStates(const std::vector<size_t>& feeds);
  // Applies a response that needs no parsing; returns true if it did.
  bool ApplyWithoutBody(size_t feed, const PollResponse& response,
                        std::int64_t now);
  void RecordSuccess(size_t feed, const PollResponse& response,
                     std::int64_t refresh_seconds, std::int64_t now);
  void RecordError(size_t feed, const PollResponse& response,
                   const std::string& what, std::int64_t now);
  // Logs the parser's warnings about a feed's body, one line each
  // ("feed "NAME": warning: ..."), at most kMaxWarningLinesPerPoll.
  void LogWarnings(size_t feed, const std::vector<std::string>& warnings);
  std::string Name(size_t feed) const;

  const config::Config& config_;
  FeedPoller& poller_;
  Pipeline& pipeline_;
  FeedStateStore& store_;
  std::ostream& log_;
  Clock clock_;
  std::mt19937 random_;
  std::vector<FeedState> states_;  // Parallel to config_.feeds.
  std::vector<bool> in_flight_;
  size_t in_flight_count_ = 0;
  std::vector<PollResponse> held_;  // 2xx bodies waiting to be ingested.
  size_t held_bytes_ = 0;
  std::int64_t held_since_ = 0;  // When the oldest of held_ came.
  Tally tally_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_FEED_POLLING_H_
