#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
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

constexpr char kDefaultWindow[] = "30d";
constexpr size_t kDefaultHits = 10;
// The longest bar of the day table, for the busiest day.
constexpr size_t kBarWidth = 40;
constexpr std::int64_t kDaySeconds = 24 * 60 * 60;

using Json = nlohmann::ordered_json;

// Midnight UTC of the day holding `time`.
std::int64_t DayOf(std::int64_t time) {
  std::int64_t day = time / kDaySeconds;
  if (time % kDaySeconds < 0) --day;  // Before 1970: round down, not to 0.
  return day * kDaySeconds;
}

std::string DateOf(std::int64_t time) {
  return config::FormatRfc3339(time).substr(0, 10);
}

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
        << " day(s) the archive covers (from " << DateOf(*backtest.covered_from)
        << ")\n";
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
    days.push_back({{"date", DateOf(day.day)}, {"articles", day.articles}});
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
                           ? Json(DateOf(*backtest.covered_from))
                           : Json(nullptr)},
      {"average_per_day", std::round(backtest.AveragePerDay() * 100.0) / 100.0},
      {"warnings", shown.warnings},
      {"hits", hit_objects}};
  out << object.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace

double Backtest::AveragePerDay() const {
  if (days_covered == 0) return 0.0;
  return static_cast<double>(total) / static_cast<double>(days_covered);
}

Backtest MakeBacktest(std::int64_t since, std::int64_t until,
                      std::vector<indexer::DailyCount> matches,
                      const std::vector<indexer::DailyCount>& archive) {
  Backtest backtest;
  backtest.since = since;
  backtest.until = until;
  backtest.days = std::move(matches);
  std::optional<std::int64_t> first;
  const auto consider = [&first](const indexer::DailyCount& day) {
    if (day.articles > 0 && (!first || day.day < *first)) first = day.day;
  };
  for (const indexer::DailyCount& day : backtest.days) {
    backtest.total += day.articles;
    consider(day);
  }
  for (const indexer::DailyCount& day : archive) consider(day);
  if (!first) return backtest;
  const std::int64_t from = std::max(*first, DayOf(since));
  const std::int64_t last = std::max(DayOf(until), from);
  backtest.covered_from = from;
  backtest.days_covered = static_cast<size_t>((last - from) / kDaySeconds) + 1;
  return backtest;
}

std::string FormatDayTable(const std::vector<indexer::DailyCount>& days,
                           size_t bar_width) {
  size_t busiest = 0;
  for (const indexer::DailyCount& day : days) {
    busiest = std::max(busiest, day.articles);
  }
  const size_t count_width = std::to_string(busiest).size();
  std::string table;
  for (const indexer::DailyCount& day : days) {
    // Rounded up, so that a day with any match shows at least one '#'.
    const size_t bar =
        busiest == 0 ? 0 : (day.articles * bar_width + busiest - 1) / busiest;
    const std::string count = std::to_string(day.articles);
    table += "  " + DateOf(day.day) + "  " + std::string(bar, '#') +
             std::string(bar_width - bar, ' ') + "  " +
             std::string(count_width - count.size(), ' ') + count + "\n";
  }
  return table;
}

int TestQueryCommand(const CommandContext& context,
                     const std::vector<std::string>& args) {
  std::vector<std::string> rest = args;
  config::Result<std::vector<std::string>> feeds =
      TakeRepeatedOption("test-query", "--feed", &rest);
  if (!feeds.ok()) {
    context.err << "newswatch: " << feeds.error().ToString() << "\n";
    return kExitUsage;
  }
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed = ParseCommandArgs(
      context, "test-query", rest,
      {{"--json"}, {"--limit", "--since", "--language", "--color"}}, kHelp,
      &exit_status);
  if (!parsed) return exit_status;
  const ParsedArgs& options = *parsed;
  if (options.positional.empty()) {
    context.err << "newswatch: test-query needs a QUERY\n" << kHelp;
    return kExitUsage;
  }
  const auto usage_error = [&](const config::Error& error) {
    context.err << "newswatch: test-query: " << error.ToString() << "\n";
    return kExitUsage;
  };
  indexer::SearchOptions search_options;
  // One reading of the clock, so the window and the query's since: agree.
  search_options.now = config::UnixNow();
  search_options.limit = kDefaultHits;
  search_options.sort = indexer::SortOrder::kDate;
  if (auto limit = options.Value("--limit")) {
    config::Result<size_t> number = PositiveNumber("--limit", *limit);
    if (!number.ok()) return usage_error(number.error());
    search_options.limit = number.value();
  }
  config::Result<std::int64_t> since = ParseSince(
      options.Value("--since").value_or(kDefaultWindow), search_options.now);
  if (!since.ok()) return usage_error(since.error());
  search_options.since = since.value();
  std::string language;
  if (auto tag = options.Value("--language")) {
    config::Result<std::string> parsed_tag = ParseLanguageTag(*tag);
    if (!parsed_tag.ok()) return usage_error(parsed_tag.error());
    language = parsed_tag.value();
  }
  ColorMode color = ColorMode::kAuto;
  if (auto when = options.Value("--color")) {
    config::Result<ColorMode> mode = ParseColorMode(*when);
    if (!mode.ok()) return usage_error(mode.error());
    color = mode.value();
  }
  Shown shown;
  for (const std::string& word : options.positional) {
    shown.query_text += (shown.query_text.empty() ? "" : " ") + word;
  }
  config::Result<indexer::QueryNode> query =
      indexer::ParseQuery(shown.query_text);
  if (!query.ok()) {
    context.err << "newswatch: test-query: query \""
                << config::OneLine(shown.query_text)
                << "\": " << query.error().what << "\n";
    return kExitUsage;
  }
  shown.warnings = indexer::LintQuery(query.value(), search_options.now);
  for (const std::string& warning : shown.warnings) {
    context.err << "newswatch: test-query: warning: "
                << config::OneLine(warning) << "\n";
  }
  shown.language = StemmingLanguage(language, query.value());
  search_options.language = shown.language;

  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  shown.feeds = ResolveFeedNames(context, "test-query", loaded.config,
                                 std::move(feeds).value());
  search_options.feeds = shown.feeds;
  auto index =
      indexer::Index::OpenReadOnly(IndexDirectory(loaded.config.data_dir));
  if (!index.ok()) {
    context.err << "newswatch: " << index.error().ToString() << "\n";
    return kExitFailure;
  }
  auto matches = index.value()->CountByDay(query.value(), search_options);
  if (!matches.ok()) {
    context.err << "newswatch: " << matches.error().ToString() << "\n";
    return kExitFailure;
  }
  auto archive = index.value()->CountByDay(
      EverythingSince(search_options.since.value()), search_options);
  if (!archive.ok()) {
    context.err << "newswatch: " << archive.error().ToString() << "\n";
    return kExitFailure;
  }
  auto hits = index.value()->Search(query.value(), search_options);
  if (!hits.ok()) {
    context.err << "newswatch: " << hits.error().ToString() << "\n";
    return kExitFailure;
  }
  const Backtest backtest =
      MakeBacktest(search_options.since.value(), search_options.now,
                   std::move(matches).value(), archive.value());
  if (options.Has("--json")) {
    PrintJson(context.out, backtest, hits.value(), shown);
  } else {
    shown.bold = WantBold(color, context);
    PrintText(context.out, backtest, hits.value(), shown);
  }
  return kExitOk;
}

}  // namespace newswatch::daemon
