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
    R"(usage: newswatch [--config PATH] alerts [--search NAME] [--limit N] [--json]

Lists the alerts recorded so far, newest first, with the state of each
delivery.

  --search NAME  only the alerts of this saved search
  --limit N      at most N alerts (default 100)
  --json         one JSON object per line: id, search, query, title, url,
                 feed, published, fired_at (RFC 3339, UTC), snippet,
                 deliveries [{notifier, state, attempts, last_error}]
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
    deliveries.push_back({{"notifier", delivery.notifier},
                          {"state", alerts::DeliveryStateName(delivery.state)},
                          {"attempts", delivery.attempts},
                          {"last_error", delivery.last_error}});
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
      {"deliveries", deliveries}};
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
}

}  // namespace

int AlertsCommand(const CommandContext& context,
                  const std::vector<std::string>& args) {
  config::Result<ParsedArgs> parsed =
      ParseArgs("alerts", args, {{"--json"}, {"--search", "--limit"}});
  if (!parsed.ok()) {
    context.err << "newswatch: " << parsed.error().ToString() << "\n";
    return kExitUsage;
  }
  const ParsedArgs& options = parsed.value();
  if (options.Has("--help")) {
    context.out << kHelp;
    return kExitOk;
  }
  if (!options.positional.empty()) {
    context.err << "newswatch: alerts: unexpected argument \""
                << options.positional.front() << "\"\n";
    return kExitUsage;
  }
  alerts::AlertQuery query;
  query.search_name = options.Value("--search");
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
