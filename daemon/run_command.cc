#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "alerts/alert_store.h"
#include "alerts/delivery_worker.h"
#include "alerts/email_notifier.h"
#include "alerts/log_notifier.h"
#include "alerts/webhook_notifier.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
#include "daemon/delivery_thread.h"
#include "daemon/feed_poller.h"
#include "daemon/feed_polling.h"
#include "daemon/feed_state_store.h"
#include "daemon/pipeline.h"
#include "daemon/shutdown_signals.h"
#include "indexer/index.h"
#include "indexer/matcher.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] = R"(usage: newswatch [--config PATH] run [--once]

Runs the daemon: polls every feed on its schedule (many at once, with
conditional GET and backoff), indexes new articles, runs the saved searches
against them, records each alert once and delivers it. Stops cleanly on
SIGTERM or SIGINT after finishing the batch in hand.

  --once   poll every feed now (backoff and schedules ignored; feeds that
           answered 410 Gone skipped); index, match, record and deliver;
           then exit 0
)";

// The longest the daemon goes without looking for unmatched batches (left by
// a transient store error), and so the longest it sleeps.
constexpr std::int64_t kSettleSeconds = 30;
// How long one wait for poll responses lasts, so a stop request is seen
// promptly while transfers are in flight.
constexpr std::chrono::milliseconds kResponseWait{500};

// Matches the batches left unmatched (by a crash before this start, or by a
// transient store error during this run). Returns false on a fatal error.
bool Settle(Pipeline& pipeline, std::ostream& log) {
  config::Status status = pipeline.Recover();
  if (status.ok()) return true;
  log << "newswatch: " << config::OneLine(status.error().ToString())
      << std::endl;
  return status.error().kind != config::ErrorKind::kFatal;
}

// What every run does before its first poll: keep batch ids above the
// index's, then finish what the last run left unmatched. False on failure.
bool StartPipeline(Pipeline& pipeline, std::ostream& log) {
  if (config::Status aligned = pipeline.AlignBatchIds(); !aligned.ok()) {
    log << "newswatch: " << aligned.error().ToString() << std::endl;
    return false;
  }
  return Settle(pipeline, log);
}

// StartPipeline, then the feeds' states; logs the start-up line.
bool StartPolling(const config::Config& config, Pipeline& pipeline,
                  FeedPolling& polling, std::ostream& log) {
  if (!StartPipeline(pipeline, log)) return false;
  if (config::Status loaded = polling.Load(); !loaded.ok()) {
    log << "newswatch: " << loaded.error().ToString() << std::endl;
    return false;
  }
  const size_t gone = static_cast<size_t>(
      std::count_if(polling.states().begin(), polling.states().end(),
                    [](const FeedState& state) {
                      return state.health == FeedHealth::kGone;
                    }));
  log << "newswatch " << NEWSWATCH_VERSION << ": " << config.feeds.size()
      << " feed(s)";
  if (gone > 0) log << " (" << gone << " gone, not polled)";
  log << ", " << config.searches.size() << " search(es), "
      << config.notifiers.size() << " notifier(s), data in "
      << config.data_dir.string() << std::endl;
  return true;
}

std::string UserAgent(const config::Config& config) {
  return config.fetch.user_agent.empty()
             ? std::string("newswatch/") + NEWSWATCH_VERSION
             : config.fetch.user_agent;
}

std::map<std::string, std::unique_ptr<alerts::Notifier>> MakeNotifiers(
    const config::Config& config, std::ostream& log) {
  std::map<std::string, std::unique_ptr<alerts::Notifier>> notifiers;
  for (const config::Notifier& notifier : config.notifiers) {
    switch (notifier.type) {
      case config::NotifierType::kLog:
        notifiers[notifier.name] =
            std::make_unique<alerts::LogNotifier>(notifier.name, log);
        break;
      case config::NotifierType::kEmail:
        notifiers[notifier.name] = std::make_unique<alerts::EmailNotifier>(
            notifier.name, *notifier.email);
        break;
      case config::NotifierType::kWebhook:
        notifiers[notifier.name] = std::make_unique<alerts::WebhookNotifier>(
            notifier.name, *notifier.webhook, UserAgent(config));
        break;
    }
  }
  return notifiers;
}

// Handles poll responses until none is in flight or a stop is requested,
// then ingests the bodies held. False on a fatal error.
bool DrainResponses(FeedPolling& polling, FeedPoller& poller,
                    ShutdownSignals& signals, std::ostream& log) {
  while (polling.InFlight() > 0 && !signals.Requested()) {
    config::Status handled = polling.HandleResponses(kResponseWait);
    if (!handled.ok()) {
      log << "newswatch: " << handled.error().ToString() << std::endl;
      return false;
    }
  }
  // Stopped early: the transfers in flight are abandoned, and what was
  // fetched is still ingested.
  if (signals.Requested()) {
    poller.Stop();
    log << "newswatch: interrupted; " << polling.InFlight()
        << " feed(s) fetched or in flight" << std::endl;
  }
  if (config::Status flushed = polling.Flush(); !flushed.ok()) {
    log << "newswatch: " << flushed.error().ToString() << std::endl;
    return false;
  }
  return true;
}

// One line on what a whole cycle (run --once) cost, so an operator (and the
// polling benchmark) can tell the fetching apart from what is done with the
// articles.
void LogCycleSummary(const FeedPolling& polling, const FeedPoller& poller,
                     std::chrono::steady_clock::duration took,
                     std::ostream& log) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
          1e6;
  const auto seconds = [](auto duration) {
    return std::chrono::duration<double>(duration).count();
  };
  const FeedPolling::Tally& tally = polling.tally();
  char line[400];
  std::snprintf(line, sizeof line,
                "newswatch: polled %zu feed(s) in %.2f s: %zu fetched, %zu not "
                "modified, %zu failed, %zu gone; CPU %.2f s in all, %.2f s on "
                "the poller's thread, %.2f s parsing, indexing and matching",
                tally.fetched + tally.not_modified + tally.failed + tally.gone,
                seconds(took), tally.fetched, tally.not_modified, tally.failed,
                tally.gone, cpu, seconds(poller.CpuTime()),
                seconds(tally.ingest_cpu));
  log << line << std::endl;
}

int RunDaemonLoop(FeedPolling& polling, FeedPoller& poller, Pipeline& pipeline,
                  ShutdownSignals& signals, const std::atomic<bool>& failed,
                  std::ostream& log) {
  std::int64_t last_settle = config::UnixNow();
  while (!signals.Requested() && !failed) {
    polling.SubmitDue();
    if (polling.InFlight() > 0) {
      config::Status handled = polling.HandleResponses(kResponseWait);
      if (!handled.ok()) {
        log << "newswatch: " << handled.error().ToString() << std::endl;
        return kExitFailure;
      }
    }
    const std::int64_t now = config::UnixNow();
    if (now - last_settle >= kSettleSeconds || polling.InFlight() == 0) {
      if (!Settle(pipeline, log)) return kExitFailure;
      last_settle = now;
    }
    if (polling.InFlight() > 0) continue;
    const std::int64_t sleep_seconds = std::clamp<std::int64_t>(
        polling.NextDue() - config::UnixNow(), 0, kSettleSeconds);
    if (signals.WaitFor(std::chrono::seconds(sleep_seconds))) break;
  }
  if (failed) return kExitFailure;
  log << "newswatch: shutting down" << std::endl;
  // The transfers in flight are abandoned; the bodies already fetched are
  // ingested, not fetched again next time.
  poller.Stop();
  if (config::Status flushed = polling.Flush(); !flushed.ok()) {
    log << "newswatch: " << flushed.error().ToString() << std::endl;
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int RunCommand(const CommandContext& context,
               const std::vector<std::string>& args) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed = ParseCommandArgs(
      context, "run", args, {{"--once"}, {}}, kHelp, &exit_status);
  if (!parsed) return exit_status;
  if (!parsed->positional.empty()) {
    context.err << "newswatch: run: unexpected argument \""
                << parsed->positional.front() << "\"\n";
    return kExitUsage;
  }
  // Blocked before anything else so a signal during start-up is kept, not
  // fatal.
  ShutdownSignals signals;

  const config::LoadedConfig loaded = LoadValidatedConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) {
    context.err << "newswatch: refusing to start with an invalid config\n";
    return kExitUsage;
  }
  const config::Config& config = loaded.config;
  std::ostream& log = context.err;
  // The lint's findings, once per start, as check-config prints them.
  ReportConfigWarnings(context, config, config::UnixNow());

  auto index = indexer::Index::OpenWritable(IndexDirectory(config.data_dir));
  if (!index.ok()) {
    log << "newswatch: " << index.error().ToString() << "\n";
    return kExitFailure;
  }
  auto store = alerts::AlertStore::Open(DatabaseFile(config.data_dir));
  if (!store.ok()) {
    log << "newswatch: " << store.error().ToString() << "\n";
    return kExitFailure;
  }
  // The archive's term statistics pick the rarest terms to file each search
  // under.
  auto matcher = indexer::Matcher::Create(config.searches, index.value().get());
  if (!matcher.ok()) {  // Validated above; kept for safety.
    log << "newswatch: " << matcher.error().ToString() << "\n";
    return kExitUsage;
  }
  {
    // The searches the presearcher cannot skip cost every batch their
    // verification: worth knowing when there are many.
    const indexer::MatcherStats stats = matcher.value().Stats();
    log << "matcher: " << stats.searches << " search(es), "
        << stats.always_verified
        << " verified against every batch (no required term)" << std::endl;
  }
  auto feed_states = FeedStateStore::Open(DatabaseFile(config.data_dir));
  if (!feed_states.ok()) {
    log << "newswatch: " << feed_states.error().ToString() << "\n";
    return kExitFailure;
  }
  // Transfers run on the poller's thread; on the way out its destructor
  // abandons those in flight, so a slow server cannot hold up a stop.
  FeedPoller poller(config.fetch);

  if (parsed->Has("--once")) {
    // Poll every feed, then deliver what is due, then exit.
    Pipeline pipeline(config, *index.value(), matcher.value(), *store.value(),
                      log, config::UnixNow);
    FeedPolling polling(config, poller, pipeline, *feed_states.value(), log,
                        config::UnixNow);
    if (!StartPolling(config, pipeline, polling, log)) return kExitFailure;
    const auto started = std::chrono::steady_clock::now();
    polling.SubmitDue(/*every_feed=*/true);
    if (!DrainResponses(polling, poller, signals, log)) return kExitFailure;
    LogCycleSummary(polling, poller, std::chrono::steady_clock::now() - started,
                    log);
    poller.Stop();
    auto notifiers = MakeNotifiers(config, log);
    alerts::DeliveryWorker delivery(*store.value(), notifiers, log,
                                    alerts::RetryPolicy(), config::UnixNow);
    config::Result<alerts::DeliveryCounts> counts = delivery.DeliverDue(
        config::UnixNow(), [&signals] { return signals.Requested(); });
    if (!counts.ok()) {
      log << "newswatch: " << counts.error().ToString() << std::endl;
      return kExitFailure;
    }
    return kExitOk;
  }

  // The delivery thread sends while this one polls; a fatal store error on
  // its side stops the daemon through the same path as SIGTERM.
  std::atomic<bool> delivery_failed = false;
  DeliveryThread delivery(DatabaseFile(config.data_dir),
                          MakeNotifiers(config, log), log, config::UnixNow,
                          [&delivery_failed] {
                            delivery_failed = true;
                            kill(getpid(), SIGTERM);
                          });
  Pipeline pipeline(config, *index.value(), matcher.value(), *store.value(),
                    log, config::UnixNow, [&delivery] { delivery.Wake(); });
  FeedPolling polling(config, poller, pipeline, *feed_states.value(), log,
                      config::UnixNow);
  if (!StartPolling(config, pipeline, polling, log)) return kExitFailure;
  const int status =
      RunDaemonLoop(polling, poller, pipeline, signals, delivery_failed, log);
  poller.Stop();
  delivery.Stop();  // Finishes the message in flight.
  return status;
}

}  // namespace newswatch::daemon
