#include <cmath>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/search_output.h"
#include "indexer/index.h"
#include "indexer/query.h"
#include "indexer/query_lint.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] test-query [--since D] [--feed NAME]...
                                             [--language TAG] [--limit N]
                                             [--color WHEN] [--json] QUERY...

Backtests a query over the archive before it becomes a saved search: for
each UTC day of the window on which it matches, how many articles it would
have alerted on (with a bar), the total and the average per day, then its
newest hits as `search` shows them. The average is over the days of the
window that the archive covers: from the first day it holds any article
(of the chosen feeds) through today. Saved-search lint (a query that can
never match, or matches nearly everything) is printed as warnings on
stderr. A query that does not parse exits 2.

  --since D        the window: the last D (default 30d; units s, m, h, d,
                   w) or since the UTC day D (2025-11-01)
  --feed NAME      only articles of this configured feed (case-insensitive);
                   give it again for more feeds
  --language TAG   stem the query's words in this language (de, pt-br);
                   default: the query's own lang:, else English
  --limit N        show at most N of the newest hits (default 10)
  --color WHEN     bold for the matched words: auto (default), always, never
  --json           one JSON object: query, since, until (RFC 3339, UTC),
                   feeds, language, days [{date, articles}], total,
                   days_covered, covered_from (a date, or null),
                   average_per_day, warnings, hits [as search --json]
)";

// The window without --since: the last 30 days ("default 30d" in kHelp).
constexpr std::int64_t kDefaultWindowSeconds = 30 * 24 * 60 * 60;
constexpr size_t kDefaultHits = 10;
// The longest bar of the day table, for the busiest day.
constexpr size_t kBarWidth = 40;

using Json = nlohmann::ordered_json;

// Every article published at or after `since`: the archive's own days, to
// tell the days it covers.
indexer::QueryNode EverythingSince(std::int64_t since) {
  indexer::QueryNode node;
  node.kind = indexer::QueryNode::Kind::kPublished;
  node.from = since;
  node.to = std::numeric_limits<std::int64_t>::max();
  return node;
}

std::string FormatAverage(double average) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(2) << average;
  return text.str();
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    joined += (joined.empty() ? "" : ", ") + config::OneLine(part);
  }
  return joined;
}

struct Shown {
  std::string query_text;
  std::vector<std::string> feeds;
  std::string language;
  std::vector<std::string> warnings;
  bool bold = false;
};

void PrintText(std::ostream& out, const Backtest& backtest,
               const std::vector<indexer::SearchHit>& hits,
               const Shown& shown) {
  out << "test-query " << config::OneLine(shown.query_text) << "\n"
      << "window:    " << config::FormatRfc3339(backtest.since) << " .. "
      << config::FormatRfc3339(backtest.until) << "\n"
      << "feeds:     " << (shown.feeds.empty() ? "all" : Joined(shown.feeds))
      << "\n"
      << "language:  " << LanguageLabel(shown.language) << "\n\n";
  out << FormatDayTable(backtest.days, kBarWidth);
  if (!backtest.days.empty()) out << "\n";
  out << "total:     " << backtest.total << " article(s) on "
      << backtest.days.size() << " day(s)\n";
  if (backtest.covered_from) {
    out << "average:   " << FormatAverage(backtest.AveragePerDay())
        << " a day over the " << backtest.days_covered
        << " day(s) the archive covers (from "
        << UtcDate(*backtest.covered_from) << ")\n";
  } else {
    out << "average:   0 (the archive holds no article in the window)\n";
  }
  if (hits.empty()) return;
  out << "\nnewest hits:\n\n";
  size_t rank = 0;
  for (const indexer::SearchHit& hit : hits) {
    PrintHit(out, ++rank, hit, shown.bold);
  }
}

void PrintJson(std::ostream& out, const Backtest& backtest,
               const std::vector<indexer::SearchHit>& hits,
               const Shown& shown) {
  Json days = Json::array();
  for (const indexer::DailyCount& day : backtest.days) {
    days.push_back({{"date", UtcDate(day.day)}, {"articles", day.articles}});
  }
  Json hit_objects = Json::array();
  // HitJson is search's one line; read back, so both print a hit alike.
  for (const indexer::SearchHit& hit : hits) {
    hit_objects.push_back(Json::parse(HitJson(hit)));
  }
  const Json object = {
      {"query", shown.query_text},
      {"since", config::FormatRfc3339(backtest.since)},
      {"until", config::FormatRfc3339(backtest.until)},
      {"feeds", shown.feeds},
      {"language", shown.language},
      {"days", days},
      {"total", backtest.total},
      {"days_covered", backtest.days_covered},
      {"covered_from", backtest.covered_from
                           ? Json(UtcDate(*backtest.covered_from))
                           : Json(nullptr)},
      {"average_per_day", std::round(backtest.AveragePerDay() * 100.0) / 100.0},
      {"warnings", shown.warnings},
      {"hits", hit_objects}};
  out << object.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace

int TestQueryCommand(const CommandContext& context,
                     const std::vector<std::string>& args) {
  SearchFilters defaults;
  // One reading of the clock, so the window and the query's since: agree.
  defaults.search.now = config::UnixNow();
  defaults.search.since = defaults.search.now - kDefaultWindowSeconds;
  defaults.search.limit = kDefaultHits;
  defaults.search.sort = indexer::SortOrder::kDate;
  int exit_status = kExitOk;
  std::optional<QueryCommandLine> line = ReadQueryCommandLine(
      context, "test-query", args,
      {{"--json"}, {"--limit", "--since", "--language", "--color"}}, kHelp,
      defaults, &exit_status);
  if (!line) return exit_status;
  indexer::SearchOptions& search_options = line->filters.search;
  Shown shown;
  shown.query_text = line->query_text;
  shown.warnings = indexer::LintQuery(line->query, search_options.now);
  for (const std::string& warning : shown.warnings) {
    context.err << "newswatch: test-query: warning: "
                << config::OneLine(warning) << "\n";
  }
  shown.language = search_options.language;

  const std::unique_ptr<indexer::Index> index =
      OpenSearchArchive(context, "test-query", &search_options, &exit_status);
  if (!index) return exit_status;
  shown.feeds = search_options.feeds;
  const auto failure = [&](const config::Error& error) {
    context.err << "newswatch: " << error.ToString() << "\n";
    return kExitFailure;
  };
  auto matches = index->CountByDay(line->query, search_options);
  if (!matches.ok()) return failure(matches.error());
  auto archive = index->CountByDay(
      EverythingSince(search_options.since.value()), search_options);
  if (!archive.ok()) return failure(archive.error());
  auto hits = index->Search(line->query, search_options);
  if (!hits.ok()) return failure(hits.error());
  const Backtest backtest =
      MakeBacktest(search_options.since.value(), search_options.now,
                   std::move(matches).value(), archive.value());
  if (line->options.Has("--json")) {
    PrintJson(context.out, backtest, hits.value(), shown);
  } else {
    shown.bold = WantBold(line->filters.color, context.out);
    PrintText(context.out, backtest, hits.value(), shown);
  }
  return kExitOk;
}

}  // namespace newswatch::daemon
