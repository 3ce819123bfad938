#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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
#include "daemon/fetcher.h"
#include "daemon/pipeline.h"
#include "daemon/scheduler.h"
#include "daemon/shutdown_signals.h"
#include "indexer/index.h"
#include "indexer/matcher.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] = R"(usage: newswatch [--config PATH] run [--once]

Runs the daemon: polls every feed on its interval, indexes new articles,
runs the saved searches against them, records each alert once and delivers
it. Stops cleanly on SIGTERM or SIGINT after finishing the feed in hand.

  --once   poll every feed now, ignoring schedules; index, match, record and
           deliver; then exit 0
)";

// The longest the daemon sleeps before looking for unmatched batches again
// (left by a transient store error).
constexpr std::int64_t kMaxSleepSeconds = 30;

// One feed poll, logged as one line. Returns false when the error is fatal.
bool PollAndLog(Pipeline& pipeline, const config::Feed& feed,
                std::ostream& log) {
  config::Result<PollOutcome> outcome = pipeline.PollFeed(feed);
  if (!outcome.ok()) {
    const config::Error& error = outcome.error();
    log << "feed \"" << config::OneLine(feed.name)
        << "\": " << config::OneLine(error.ToString()) << std::endl;
    return error.kind != config::ErrorKind::kFatal;
  }
  log << "feed \"" << config::OneLine(feed.name)
      << "\": " << outcome.value().articles << " article(s), "
      << outcome.value().new_articles << " new, " << outcome.value().alerts
      << " alert(s)" << std::endl;
  return true;
}

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

int RunDaemonLoop(const config::Config& config, Pipeline& pipeline,
                  ShutdownSignals& signals, const std::atomic<bool>& failed,
                  std::ostream& log) {
  Scheduler scheduler(config.feeds, config::UnixNow());
  while (!signals.Requested() && !failed) {
    const std::int64_t now = config::UnixNow();
    for (size_t feed : scheduler.Due(now)) {
      if (signals.Requested()) break;
      if (!PollAndLog(pipeline, config.feeds[feed], log)) return kExitFailure;
      scheduler.Polled(feed, config::UnixNow());
    }
    if (signals.Requested()) break;
    if (!Settle(pipeline, log)) return kExitFailure;
    const std::int64_t sleep_seconds = std::clamp<std::int64_t>(
        scheduler.NextDue() - config::UnixNow(), 0, kMaxSleepSeconds);
    if (signals.WaitFor(std::chrono::seconds(sleep_seconds))) break;
  }
  if (failed) return kExitFailure;
  log << "newswatch: shutting down" << std::endl;
  return kExitOk;
}

}  // namespace

int RunCommand(const CommandContext& context,
               const std::vector<std::string>& args) {
  config::Result<ParsedArgs> parsed = ParseArgs("run", args, {{"--once"}, {}});
  if (!parsed.ok()) {
    context.err << "newswatch: " << parsed.error().ToString() << "\n";
    return kExitUsage;
  }
  if (parsed.value().Has("--help")) {
    context.out << kHelp;
    return kExitOk;
  }
  if (!parsed.value().positional.empty()) {
    context.err << "newswatch: run: unexpected argument \""
                << parsed.value().positional.front() << "\"\n";
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
  auto matcher = indexer::Matcher::Create(config.searches);
  if (!matcher.ok()) {  // Validated above; kept for safety.
    log << "newswatch: " << matcher.error().ToString() << "\n";
    return kExitUsage;
  }
  // A shutdown signal aborts a fetch in flight, so a slow server cannot hold
  // up a stop for the whole fetch timeout.
  Fetcher fetcher(config.fetch, [&signals] { return signals.Requested(); });
  log << "newswatch " << NEWSWATCH_VERSION << ": " << config.feeds.size()
      << " feed(s), " << config.searches.size() << " search(es), "
      << config.notifiers.size() << " notifier(s), data in "
      << config.data_dir.string() << std::endl;

  if (parsed.value().Has("--once")) {
    // Everything on this thread: poll, then deliver what is due, then exit.
    Pipeline pipeline(config, fetcher, *index.value(), matcher.value(),
                      *store.value(), log, config::UnixNow);
    if (!StartPipeline(pipeline, log)) return kExitFailure;
    for (const config::Feed& feed : config.feeds) {
      if (signals.Requested()) break;
      if (!PollAndLog(pipeline, feed, log)) return kExitFailure;
    }
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
  Pipeline pipeline(config, fetcher, *index.value(), matcher.value(),
                    *store.value(), log, config::UnixNow,
                    [&delivery] { delivery.Wake(); });
  if (!StartPipeline(pipeline, log)) return kExitFailure;
  const int status =
      RunDaemonLoop(config, pipeline, signals, delivery_failed, log);
  delivery.Stop();  // Finishes the message in flight.
  return status;
}

}  // namespace newswatch::daemon
