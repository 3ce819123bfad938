#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "alerts/alert_store.h"
#include "alerts/delivery_worker.h"
#include "alerts/log_notifier.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
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

// The longest the daemon sleeps before looking at the outbox again, so a
// delivery due for retry is not left waiting for the next feed.
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
// transient store error during this run), then sends what is due. Returns
// false on a fatal error.
bool SettleAndDeliver(Pipeline& pipeline, std::ostream& log) {
  for (auto step : {&Pipeline::Recover, &Pipeline::DeliverDue}) {
    config::Status status = (pipeline.*step)();
    if (!status.ok()) {
      log << "newswatch: " << config::OneLine(status.error().ToString())
          << std::endl;
      if (status.error().kind == config::ErrorKind::kFatal) return false;
    }
  }
  return true;
}

std::map<std::string, std::unique_ptr<alerts::Notifier>> MakeNotifiers(
    const config::Config& config, std::ostream& log) {
  std::map<std::string, std::unique_ptr<alerts::Notifier>> notifiers;
  for (const config::Notifier& notifier : config.notifiers) {
    if (notifier.type == config::NotifierType::kLog) {
      notifiers[notifier.name] =
          std::make_unique<alerts::LogNotifier>(notifier.name, log);
    } else {
      log << "notifier \"" << notifier.name << "\" ("
          << config::NotifierTypeName(notifier.type)
          << "): this version does not send "
          << config::NotifierTypeName(notifier.type)
          << " yet; its deliveries are kept pending in the outbox" << std::endl;
    }
  }
  return notifiers;
}

int RunDaemonLoop(const config::Config& config, Pipeline& pipeline,
                  ShutdownSignals& signals, std::ostream& log) {
  Scheduler scheduler(config.feeds, config::UnixNow());
  while (!signals.Requested()) {
    const std::int64_t now = config::UnixNow();
    for (size_t feed : scheduler.Due(now)) {
      if (signals.Requested()) break;
      if (!PollAndLog(pipeline, config.feeds[feed], log)) return kExitFailure;
      scheduler.Polled(feed, config::UnixNow());
    }
    if (signals.Requested()) break;
    if (!SettleAndDeliver(pipeline, log)) return kExitFailure;
    const std::int64_t sleep_seconds = std::clamp<std::int64_t>(
        scheduler.NextDue() - config::UnixNow(), 0, kMaxSleepSeconds);
    if (signals.WaitFor(std::chrono::seconds(sleep_seconds))) break;
  }
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
  auto notifiers = MakeNotifiers(config, log);
  alerts::DeliveryWorker delivery(*store.value(), notifiers, log);
  // A shutdown signal aborts a fetch in flight, so a slow server cannot hold
  // up a stop for the whole fetch timeout.
  Fetcher fetcher(config.fetch, [&signals] { return signals.Requested(); });
  Pipeline pipeline(config, fetcher, *index.value(), matcher.value(),
                    *store.value(), delivery, log, config::UnixNow);

  log << "newswatch " << NEWSWATCH_VERSION << ": " << config.feeds.size()
      << " feed(s), " << config.searches.size() << " search(es), data in "
      << config.data_dir.string() << std::endl;
  if (config::Status aligned = pipeline.AlignBatchIds(); !aligned.ok()) {
    log << "newswatch: " << aligned.error().ToString() << std::endl;
    return kExitFailure;
  }
  if (!SettleAndDeliver(pipeline, log)) return kExitFailure;
  if (!parsed.value().Has("--once")) {
    return RunDaemonLoop(config, pipeline, signals, log);
  }
  for (const config::Feed& feed : config.feeds) {
    if (signals.Requested()) break;
    if (!PollAndLog(pipeline, feed, log)) return kExitFailure;
  }
  return SettleAndDeliver(pipeline, log) ? kExitOk : kExitFailure;
}

}  // namespace newswatch::daemon
