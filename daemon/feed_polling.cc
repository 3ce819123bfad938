#include "daemon/feed_polling.h"

#include <time.h>

#include <algorithm>
#include <limits>

#include "alerts/retry_after.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/poll_schedule.h"

namespace newswatch::daemon {
namespace {

std::chrono::nanoseconds ThreadCpuTime() {
  timespec cpu{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
  return std::chrono::seconds(cpu.tv_sec) +
         std::chrono::nanoseconds(cpu.tv_nsec);
}

bool IsSuccess(const PollResponse& response) {
  // 0: a file: URL, which has no status.
  return response.http_status == 0 ||
         (response.http_status >= 200 && response.http_status <= 299);
}

}  // namespace

FeedPolling::FeedPolling(const config::Config& config, FeedPoller& poller,
                         Pipeline& pipeline, FeedStateStore& store,
                         std::ostream& log, Clock clock, std::uint32_t seed)
    : config_(config),
      poller_(poller),
      pipeline_(pipeline),
      store_(store),
      log_(log),
      clock_(std::move(clock)),
      random_(seed),
      in_flight_(config.feeds.size(), false) {}

config::Status FeedPolling::Load() {
  std::vector<std::string> urls;
  urls.reserve(config_.feeds.size());
  for (const config::Feed& feed : config_.feeds) urls.push_back(feed.url);
  config::Result<std::vector<FeedState>> loaded = store_.Load(urls);
  if (!loaded.ok()) return loaded.error();
  states_ = std::move(loaded.value());
  return config::Ok{};
}

std::string FeedPolling::Name(size_t feed) const {
  return "feed \"" + config::OneLine(config_.feeds[feed].name) + "\"";
}

void FeedPolling::SubmitDue(bool every_feed) {
  const std::int64_t now = clock_();
  std::vector<PollRequest> requests;
  for (size_t i = 0; i < states_.size(); ++i) {
    const FeedState& state = states_[i];
    if (in_flight_[i] || state.health == FeedHealth::kGone) continue;
    if (!every_feed && state.next_poll > now) continue;
    PollRequest request;
    request.feed = i;
    request.url = state.effective_url;
    request.etag = state.etag;
    request.last_modified = state.last_modified;
    // Only the configured URL is the operator's word on where to connect;
    // a URL a redirect led to keeps what was learnt when it was followed.
    request.trust_first_hop = state.effective_url == state.url;
    request.allow_restricted = state.allow_restricted;
    requests.push_back(std::move(request));
    in_flight_[i] = true;
    ++in_flight_count_;
  }
  if (!requests.empty()) poller_.Submit(std::move(requests));
}

std::int64_t FeedPolling::NextDue() const {
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  for (size_t i = 0; i < states_.size(); ++i) {
    if (in_flight_[i] || states_[i].health == FeedHealth::kGone) continue;
    next = std::min(next, states_[i].next_poll);
  }
  return next;
}

config::Status FeedPolling::HandleResponses(std::chrono::milliseconds wait) {
  // With only held bodies left there is nothing to wait for.
  if (poller_.Outstanding() == 0) wait = std::chrono::milliseconds(0);
  std::vector<PollResponse> responses = poller_.Take(wait);
  const std::int64_t now = clock_();
  std::vector<size_t> changed;
  for (PollResponse& response : responses) {
    const size_t feed = response.feed;
    if (feed >= states_.size() || !in_flight_[feed]) continue;
    states_[feed].last_poll = now;
    if (ApplyWithoutBody(feed, response, now)) {
      in_flight_[feed] = false;
      --in_flight_count_;
      changed.push_back(feed);
      continue;
    }
    if (held_.empty()) held_since_ = now;
    held_bytes_ += response.body.size();
    held_.push_back(std::move(response));
  }
  if (config::Status saved = SaveStates(changed); !saved.ok()) return saved;

  // Batches as large as the limits allow: each costs a Xapian commit and an
  // alert transaction, fsyncs included, whatever its size.
  const bool batch_full =
      held_.size() >= kMaxFeedsPerBatch || held_bytes_ >= kMaxBatchBytes;
  const bool nothing_else_coming = poller_.Outstanding() == 0;
  const bool waited_enough = now - held_since_ >= kMaxBatchWaitSeconds;
  if (!held_.empty() && (batch_full || nothing_else_coming || waited_enough)) {
    return IngestHeld();
  }
  return config::Ok{};
}

config::Status FeedPolling::Flush() {
  return held_.empty() ? config::Status(config::Ok{}) : IngestHeld();
}

config::Status FeedPolling::SaveStates(const std::vector<size_t>& feeds) {
  if (feeds.empty()) return config::Ok{};
  std::vector<FeedState> to_save;
  to_save.reserve(feeds.size());
  for (size_t feed : feeds) to_save.push_back(states_[feed]);
  config::Status saved = store_.Save(to_save);
  if (!saved.ok() && saved.error().kind != config::ErrorKind::kFatal) {
    // Busy: these states stay in memory and are saved with the feeds' next
    // polls; at worst a restart polls them once more than needed.
    log_ << "newswatch: " << config::OneLine(saved.error().ToString())
         << "; feed state saved later" << std::endl;
    return config::Ok{};
  }
  return saved;
}

config::Status FeedPolling::IngestHeld() {
  std::vector<PollResponse> held = std::move(held_);
  held_.clear();
  held_bytes_ = 0;
  std::vector<FetchedFeed> batch;
  batch.reserve(held.size());
  for (const PollResponse& response : held) {
    // file: URLs have no Content-Type (whatever libcurl guesses from the
    // name); their encoding is the document's to say.
    const bool file = response.final_url.rfind("file:", 0) == 0;
    batch.push_back({&config_.feeds[response.feed], response.body,
                     response.final_url,
                     file ? std::string() : response.content_type});
  }
  const std::chrono::nanoseconds cpu_before = ThreadCpuTime();
  config::Result<std::vector<IngestOutcome>> outcomes = pipeline_.Ingest(batch);
  tally_.ingest_cpu += ThreadCpuTime() - cpu_before;
  if (!outcomes.ok()) {
    if (outcomes.error().kind == config::ErrorKind::kFatal) {
      return outcomes.error();
    }
    // A busy database (another connection held the write lock past the
    // busy timeout): not the feeds' fault, so no error counts against them.
    // They are fetched again shortly; a batch already indexed is matched by
    // the daemon's next Settle.
    const std::int64_t retry_at = clock_() + kBusyRetrySeconds;
    std::vector<size_t> postponed;
    for (const PollResponse& response : held) {
      in_flight_[response.feed] = false;
      --in_flight_count_;
      states_[response.feed].next_poll = retry_at;
      postponed.push_back(response.feed);
    }
    log_ << "newswatch: " << config::OneLine(outcomes.error().ToString())
         << "; the " << held.size() << " feed(s) fetched are polled again at "
         << config::FormatRfc3339(retry_at) << std::endl;
    return SaveStates(postponed);
  }
  std::vector<size_t> changed;
  for (size_t k = 0; k < held.size(); ++k) {
    const PollResponse& response = held[k];
    const IngestOutcome& outcome = outcomes.value()[k];
    const std::int64_t polled_at = states_[response.feed].last_poll;
    in_flight_[response.feed] = false;
    --in_flight_count_;
    changed.push_back(response.feed);
    if (outcome.error) {
      RecordError(response.feed, response, outcome.error->what, polled_at);
      continue;
    }
    states_[response.feed].articles_seen +=
        static_cast<long long>(outcome.new_articles);
    states_[response.feed].last_warning = SummarizeWarnings(outcome.warnings);
    RecordSuccess(response.feed, response, outcome.refresh_seconds, polled_at);
    ++tally_.fetched;
    log_ << Name(response.feed) << ": " << outcome.articles << " article(s), "
         << outcome.new_articles << " new, " << outcome.alerts << " alert(s)"
         << std::endl;
    LogWarnings(response.feed, outcome.warnings);
  }
  // After the articles are safe: a crash before this re-polls without the
  // new validators and finds the articles already indexed.
  return SaveStates(changed);
}

void FeedPolling::LogWarnings(size_t feed,
                              const std::vector<std::string>& warnings) {
  const size_t shown = std::min(warnings.size(), kMaxWarningLinesPerPoll);
  for (size_t i = 0; i < shown; ++i) {
    log_ << Name(feed) << ": warning: "
         << config::TruncateUtf8(config::OneLine(warnings[i]),
                                 kMaxLastWarningBytes)
         << std::endl;
  }
  if (warnings.size() > shown) {
    log_ << Name(feed) << ": warning: " << warnings.size() - shown
         << " more warning(s) not shown" << std::endl;
  }
}

bool FeedPolling::ApplyWithoutBody(size_t feed, const PollResponse& response,
                                   std::int64_t now) {
  FeedState& state = states_[feed];
  if (response.error) {
    RecordError(feed, response, response.error->what, now);
    return true;
  }
  if (IsSuccess(response)) return false;  // The body goes to the pipeline.
  const long status = response.http_status;
  if (status == 304) {
    RecordSuccess(feed, response, state.feed_refresh_seconds, now);
    ++tally_.not_modified;
    log_ << Name(feed) << ": not modified" << std::endl;
    return true;
  }
  if (status == 410) {
    ++tally_.gone;
    state.health = FeedHealth::kGone;
    state.http_status = status;
    state.last_error = "HTTP status 410 (Gone) at " + response.final_url;
    state.next_poll = 0;
    log_ << Name(feed) << ": " << response.final_url
         << " answered 410 Gone; no longer polled (change the feed's URL in "
            "the config to poll it again)"
         << std::endl;
    return true;
  }
  RecordError(feed, response, "HTTP status " + std::to_string(status), now);
  return true;
}

void FeedPolling::RecordSuccess(size_t feed, const PollResponse& response,
                                std::int64_t refresh_seconds,
                                std::int64_t now) {
  FeedState& state = states_[feed];
  // A permanent redirect re-points the feed, but only once the new home
  // answered with a feed: a chain that ends in an error proves nothing.
  if (!response.permanent_url.empty() &&
      response.permanent_url != state.effective_url) {
    // The new home may be restricted only if the operator's URL was (a feed
    // on the LAN moved within it), and only as long as it is itself: a
    // public new home must not inherit the right to lead into the LAN.
    state.allow_restricted =
        (state.effective_url == state.url ? response.first_hop_restricted
                                          : state.allow_restricted) &&
        response.permanent_url_restricted;
    state.effective_url = response.permanent_url;
    log_ << Name(feed) << ": moved permanently to "
         << config::OneLine(response.permanent_url)
         << "; polling there from now on" << std::endl;
  }
  // Validators belong to the URL that sent them; a 304 may leave them out.
  if (response.http_status != 304 || !response.etag.empty()) {
    state.etag = response.etag;
  }
  if (response.http_status != 304 || !response.last_modified.empty()) {
    state.last_modified = response.last_modified;
  }
  state.health = FeedHealth::kOk;
  state.http_status = response.http_status;
  state.last_error.clear();
  state.consecutive_errors = 0;
  state.last_success = now;
  state.feed_refresh_seconds = refresh_seconds;
  FreshnessHints hints;
  hints.feed_refresh_seconds = refresh_seconds;
  hints.max_age = ParseMaxAge(response.cache_control);
  hints.expires_at = ParseExpires(response.expires);
  state.next_poll = NextPollAfterSuccess(config_.feeds[feed], config_.fetch,
                                         hints, now, random_);
}

void FeedPolling::RecordError(size_t feed, const PollResponse& response,
                              const std::string& what, std::int64_t now) {
  FeedState& state = states_[feed];
  ++tally_.failed;
  state.health = FeedHealth::kError;
  state.http_status = response.http_status;
  state.last_error = config::OneLine(what);
  ++state.consecutive_errors;
  std::optional<std::int64_t> retry_after;
  if (response.http_status == 429 || response.http_status == 503) {
    retry_after = alerts::ParseRetryAfter(response.retry_after, now);
  }
  state.next_poll = NextPollAfterError(
      config_.feeds[feed], state.consecutive_errors, retry_after, now, random_);
  // Whether the server's wait, rather than our backoff, set the time.
  const bool server_said = retry_after && state.next_poll == *retry_after;
  log_ << Name(feed) << ": " << config::OneLine(response.url) << ": "
       << state.last_error << "; next try "
       << config::FormatRfc3339(state.next_poll)
       << (server_said ? " (as Retry-After asks)" : "") << ", "
       << state.consecutive_errors << " error(s) in a row" << std::endl;
}

}  // namespace newswatch::daemon
