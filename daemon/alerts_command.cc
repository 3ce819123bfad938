#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] alerts [--search NAME] [--pending | --dead]
                                         [--limit N] [--json]
       newswatch [--config PATH] alerts retry (ID | --dead)

Lists the alerts recorded so far, newest first, with the state of each
delivery (pending, sent or dead).

  --search NAME  only the alerts of this saved search
  --pending      only alerts with a delivery still pending (due, retrying,
                 waiting for a digest or for a disabled notifier)
  --dead         only alerts with a delivery given up on
  --limit N      at most N alerts (default 100)
  --json         one JSON object per line: id, search, query, title, url,
                 feed, published, fired_at (RFC 3339, UTC), snippet,
                 matched_terms, deliveries [{notifier, state, attempts,
                 last_error, next_attempt_at}]

alerts retry ID     puts alert ID's unsent deliveries back in the queue, due
                    now, with a fresh retry schedule
alerts retry --dead does the same for every dead delivery
A running daemon sends them within seconds; `run --once` sends them too.
)";

void PrintText(std::ostream& out, const alerts::Alert& alert) {
  const alerts::AlertContent& content = alert.content;
  out << config::FormatRfc3339(alert.fired_at) << "  ["
      << config::OneLine(content.search_name) << "]  "
      << config::OneLine(content.title) << "\n"
      << "    " << config::OneLine(content.url) << "\n"
      << "    " << config::OneLine(content.feed_name) << " · published "
      << config::FormatRfc3339(content.published);
  for (const alerts::Delivery& delivery : alert.deliveries) {
    out << " · " << config::OneLine(delivery.notifier) << ": "
        << alerts::DeliveryStateName(delivery.state);
  }
  out << "\n";
}

void PrintJson(std::ostream& out, const alerts::Alert& alert) {
  const alerts::AlertContent& content = alert.content;
  nlohmann::json deliveries = nlohmann::json::array();
  for (const alerts::Delivery& delivery : alert.deliveries) {
    nlohmann::json entry = {
        {"notifier", delivery.notifier},
        {"state", alerts::DeliveryStateName(delivery.state)},
        {"attempts", delivery.attempts},
        {"last_error", delivery.last_error}};
    if (delivery.state == alerts::DeliveryState::kPending) {
      entry["next_attempt_at"] =
          config::FormatRfc3339(delivery.next_attempt_at);
    }
    deliveries.push_back(std::move(entry));
  }
  const nlohmann::json line = {
      {"id", alert.id},
      {"search", content.search_name},
      {"query", content.query},
      {"title", content.title},
      {"url", content.url},
      {"feed", content.feed_name},
      {"published", config::FormatRfc3339(content.published)},
      {"fired_at", config::FormatRfc3339(alert.fired_at)},
      {"snippet", content.snippet},
      {"matched_terms", content.matched_terms},
      {"deliveries", deliveries}};
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
}

// `alerts retry ID|--dead`: requeues through a read-write connection (the
// daemon may be running; SQLite's WAL lets both write, one at a time).
int RetryCommand(const CommandContext& context, const ParsedArgs& options) {
  alerts::RequeueTarget target;
  target.all_dead = options.Has("--dead");
  if (options.positional.size() > 2 ||
      (options.positional.size() == 2) == target.all_dead) {
    context.err << "newswatch: alerts retry: give one alert ID, or --dead\n";
    return kExitUsage;
  }
  if (!target.all_dead) {
    config::Result<size_t> id = PositiveNumber("ID", options.positional[1]);
    if (!id.ok()) {
      context.err << "newswatch: alerts retry: " << id.error().ToString()
                  << "\n";
      return kExitUsage;
    }
    target.alert_id = static_cast<long long>(id.value());
  }
  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  const std::filesystem::path database = DatabaseFile(loaded.config.data_dir);
  {
    // Read-only first, so a mistyped config does not create a database.
    auto exists =
        alerts::AlertStore::Open(database, alerts::AlertStore::Mode::kReadOnly);
    if (!exists.ok()) {
      context.err << "newswatch: " << exists.error().ToString() << "\n";
      return kExitFailure;
    }
  }
  auto store = alerts::AlertStore::Open(database);
  if (!store.ok()) {
    context.err << "newswatch: " << store.error().ToString() << "\n";
    return kExitFailure;
  }
  config::Result<int> requeued =
      store.value()->Requeue(target, config::UnixNow());
  if (!requeued.ok()) {
    context.err << "newswatch: " << requeued.error().ToString() << "\n";
    return kExitFailure;
  }
  context.out << "requeued " << requeued.value() << " deliver"
              << (requeued.value() == 1 ? "y" : "ies") << "\n";
  if (requeued.value() == 0 && target.alert_id) {
    context.err << "note: alert " << *target.alert_id
                << " has no unsent delivery (or no such alert)\n";
  }
  return kExitOk;
}

}  // namespace

int AlertsCommand(const CommandContext& context,
                  const std::vector<std::string>& args) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed = ParseCommandArgs(
      context, "alerts", args,
      {{"--json", "--pending", "--dead"}, {"--search", "--limit"}}, kHelp,
      &exit_status);
  if (!parsed) return exit_status;
  const ParsedArgs& options = *parsed;
  if (!options.positional.empty() && options.positional.front() == "retry") {
    return RetryCommand(context, options);
  }
  if (!options.positional.empty()) {
    context.err << "newswatch: alerts: unexpected argument \""
                << options.positional.front() << "\"\n";
    return kExitUsage;
  }
  if (options.Has("--pending") && options.Has("--dead")) {
    context.err << "newswatch: alerts: --pending and --dead exclude each "
                   "other\n";
    return kExitUsage;
  }
  alerts::AlertQuery query;
  query.search_name = options.Value("--search");
  if (options.Has("--pending")) {
    query.delivery_state = alerts::DeliveryState::kPending;
  }
  if (options.Has("--dead"))
    query.delivery_state = alerts::DeliveryState::kDead;
  if (auto limit = options.Value("--limit")) {
    config::Result<size_t> number = PositiveNumber("--limit", *limit);
    if (!number.ok()) {
      context.err << "newswatch: alerts: " << number.error().ToString() << "\n";
      return kExitUsage;
    }
    query.limit = number.value();
  }
  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  if (query.search_name &&
      std::none_of(loaded.config.searches.begin(), loaded.config.searches.end(),
                   [&](const config::Search& search) {
                     return search.name == *query.search_name;
                   })) {
    // Not an error: the search may have been removed since it fired.
    context.err << "note: no search named \"" << *query.search_name
                << "\" in the config\n";
  }
  auto store = alerts::AlertStore::Open(DatabaseFile(loaded.config.data_dir),
                                        alerts::AlertStore::Mode::kReadOnly);
  if (!store.ok()) {
    context.err << "newswatch: " << store.error().ToString() << "\n";
    return kExitFailure;
  }
  auto listed = store.value()->ListAlerts(query);
  if (!listed.ok()) {
    context.err << "newswatch: " << listed.error().ToString() << "\n";
    return kExitFailure;
  }
  const bool json = options.Has("--json");
  for (const alerts::Alert& alert : listed.value()) {
    if (json) {
      PrintJson(context.out, alert);
    } else {
      PrintText(context.out, alert);
    }
  }
  if (!json && listed.value().empty()) context.err << "no alerts yet\n";
  return kExitOk;
}

}  // namespace newswatch::daemon
