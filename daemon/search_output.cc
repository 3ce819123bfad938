#include "daemon/search_output.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>

#include "config/config_loader.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/data_paths.h"

namespace newswatch::daemon {

namespace {

constexpr std::int64_t kDaySeconds = 24 * 60 * 60;

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Whether a highlight may start or end at `offset`: not inside a UTF-8
// sequence.
bool IsCharBoundary(std::string_view text, size_t offset) {
  return offset == text.size() || !IsContinuationByte(text[offset]);
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

// Reads `digits` as a number of at most 9 digits.
std::optional<std::int64_t> SmallNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  std::int64_t number = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    number = number * 10 + (c - '0');
  }
  return number;
}

// Midnight UTC of "YYYY-MM-DD", if it is a real day.
std::optional<std::int64_t> DayStart(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto year = SmallNumber(text.substr(0, 4));
  const auto month = SmallNumber(text.substr(5, 2));
  const auto day = SmallNumber(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  const std::chrono::year_month_day date{
      std::chrono::year(static_cast<int>(*year)),
      std::chrono::month(static_cast<unsigned>(*month)),
      std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::sys_days(date).time_since_epoch())
      .count();
}

// Seconds in a duration unit, 0 for none.
std::int64_t UnitSeconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 60 * 60;
    case 'd':
      return kDaySeconds;
    case 'w':
      return 7 * kDaySeconds;
    default:
      return 0;
  }
}

// "7d", "1d12h": <number><unit> parts; at most this many, so the sum of
// 9-digit numbers of weeks stays far inside 64 bits.
constexpr int kMaxDurationParts = 8;

std::optional<std::int64_t> DurationSeconds(std::string_view text) {
  std::int64_t total = 0;
  int parts = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t digits_end = text.find_first_not_of("0123456789", i);
    if (digits_end == std::string_view::npos || digits_end == i) {
      return std::nullopt;
    }
    const auto number = SmallNumber(text.substr(i, digits_end - i));
    const std::int64_t unit = UnitSeconds(text[digits_end]);
    if (!number || unit == 0 || ++parts > kMaxDurationParts) {
      return std::nullopt;
    }
    total += *number * unit;
    i = digits_end + 1;
  }
  if (total <= 0) return std::nullopt;
  return total;
}

// --sort: relevance or date.
config::Result<indexer::SortOrder> ParseSortOrder(std::string_view value) {
  if (value == "relevance") return indexer::SortOrder::kRelevance;
  if (value == "date") return indexer::SortOrder::kDate;
  return config::Error::Fatal("--sort", "expected relevance or date, got \"" +
                                            config::OneLine(value) + "\"");
}

// Midnight UTC of the day holding `time`.
std::int64_t DayOf(std::int64_t time) {
  std::int64_t day = time / kDaySeconds;
  if (time % kDaySeconds < 0) --day;  // Before 1970: round down, not to 0.
  return day * kDaySeconds;
}

nlohmann::json HitObject(const indexer::SearchHit& hit) {
  const indexer::Article& article = hit.article;
  return {{"title", article.title},
          {"url", article.link},
          {"feed", article.feed_name},
          {"published", config::FormatRfc3339(article.published)},
          {"snippet", hit.snippet},
          {"highlights", HighlightedText(hit.snippet, hit.highlights)},
          {"id", article.id}};
}

}  // namespace

config::Result<std::vector<std::string>> TakeRepeatedOption(
    const std::string& command, const std::string& option,
    std::vector<std::string>* args) {
  std::vector<std::string> values;
  std::vector<std::string> rest;
  const std::string with_value = option + "=";
  size_t i = 0;
  for (; i < args->size(); ++i) {
    std::string& arg = (*args)[i];
    if (arg == "--") break;
    if (arg == option) {
      // As ParseArgs: "--feed --json" is a forgotten value.
      if (i + 1 >= args->size() || (*args)[i + 1].rfind("--", 0) == 0) {
        return config::Error::Fatal(command, option + " needs a value");
      }
      values.push_back(std::move((*args)[++i]));
    } else if (arg.rfind(with_value, 0) == 0) {
      values.push_back(arg.substr(with_value.size()));
    } else {
      rest.push_back(std::move(arg));
    }
  }
  for (; i < args->size(); ++i) rest.push_back(std::move((*args)[i]));
  *args = std::move(rest);
  return values;
}

config::Result<std::int64_t> ParseSince(std::string_view value,
                                        std::int64_t now) {
  if (const auto day = DayStart(value)) return *day;
  if (const auto seconds = DurationSeconds(value)) return now - *seconds;
  return config::Error::Fatal(
      "--since",
      "expected a duration like 7d, 36h or 2w (units s, m, h, d, "
      "w) or a day like 2025-11-01, got \"" +
          config::OneLine(value) + "\"");
}

config::Result<std::string> ParseLanguageTag(std::string_view value) {
  std::optional<std::string> tag = config::NormalizeLanguageTag(value);
  if (!tag) {
    return config::Error::Fatal(
        "--language",
        "expected a language tag like de or pt-br (2-3 letters, then "
        "optional -subtags of 1-8 letters or digits), got \"" +
            config::OneLine(value) + "\"");
  }
  return *std::move(tag);
}

config::Result<ColorMode> ParseColorMode(std::string_view value) {
  if (value == "auto") return ColorMode::kAuto;
  if (value == "always") return ColorMode::kAlways;
  if (value == "never") return ColorMode::kNever;
  return config::Error::Fatal(
      "--color",
      "expected auto, always or never, got \"" + config::OneLine(value) + "\"");
}

config::Result<SearchFilters> ParseSearchFilters(const ParsedArgs& options,
                                                 std::vector<std::string> feeds,
                                                 SearchFilters defaults) {
  SearchFilters filters = std::move(defaults);
  indexer::SearchOptions& search = filters.search;
  if (auto limit = options.Value("--limit")) {
    config::Result<size_t> number = PositiveNumber("--limit", *limit);
    if (!number.ok()) return number.error();
    search.limit = number.value();
  }
  if (auto sort = options.Value("--sort")) {
    config::Result<indexer::SortOrder> order = ParseSortOrder(*sort);
    if (!order.ok()) return order.error();
    search.sort = order.value();
  }
  if (auto since = options.Value("--since")) {
    config::Result<std::int64_t> start = ParseSince(*since, search.now);
    if (!start.ok()) return start.error();
    search.since = start.value();
  }
  if (auto tag = options.Value("--language")) {
    config::Result<std::string> language = ParseLanguageTag(*tag);
    if (!language.ok()) return language.error();
    search.language = std::move(language).value();
  }
  if (auto when = options.Value("--color")) {
    config::Result<ColorMode> mode = ParseColorMode(*when);
    if (!mode.ok()) return mode.error();
    filters.color = mode.value();
  }
  search.feeds = std::move(feeds);
  return filters;
}

std::optional<QueryCommandLine> ReadQueryCommandLine(
    const CommandContext& context, const std::string& command,
    const std::vector<std::string>& args, const OptionSpec& spec,
    const char* help, SearchFilters defaults, int* exit_status) {
  std::vector<std::string> rest = args;
  config::Result<std::vector<std::string>> feeds =
      TakeRepeatedOption(command, "--feed", &rest);
  *exit_status = kExitUsage;
  if (!feeds.ok()) {
    context.err << "newswatch: " << feeds.error().ToString() << "\n";
    return std::nullopt;
  }
  std::optional<ParsedArgs> parsed =
      ParseCommandArgs(context, command, rest, spec, help, exit_status);
  if (!parsed) return std::nullopt;
  if (parsed->positional.empty()) {
    context.err << "newswatch: " << command << " needs a QUERY\n" << help;
    return std::nullopt;
  }
  config::Result<SearchFilters> filters = ParseSearchFilters(
      *parsed, std::move(feeds).value(), std::move(defaults));
  if (!filters.ok()) {
    context.err << "newswatch: " << command << ": "
                << filters.error().ToString() << "\n";
    return std::nullopt;
  }
  QueryCommandLine line;
  line.options = std::move(parsed).value();
  line.filters = std::move(filters).value();
  for (const std::string& word : line.options.positional) {
    line.query_text += (line.query_text.empty() ? "" : " ") + word;
  }
  config::Result<indexer::QueryNode> query =
      indexer::ParseQuery(line.query_text);
  if (!query.ok()) {
    context.err << "newswatch: " << command << ": query \""
                << config::OneLine(line.query_text)
                << "\": " << query.error().what << "\n";
    return std::nullopt;
  }
  line.query = std::move(query).value();
  indexer::SearchOptions& search = line.filters.search;
  search.language = StemmingLanguage(search.language, line.query);
  *exit_status = kExitOk;
  return line;
}

std::unique_ptr<indexer::Index> OpenSearchArchive(
    const CommandContext& context, const std::string& command,
    indexer::SearchOptions* search, int* exit_status) {
  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) {
    *exit_status = kExitUsage;
    return nullptr;
  }
  search->feeds = ResolveFeedNames(context, command, loaded.config,
                                   std::move(search->feeds));
  config::Result<std::unique_ptr<indexer::Index>> index =
      indexer::Index::OpenReadOnly(IndexDirectory(loaded.config.data_dir));
  if (!index.ok()) {
    context.err << "newswatch: " << index.error().ToString() << "\n";
    *exit_status = kExitFailure;
    return nullptr;
  }
  return std::move(index).value();
}

std::string StemmingLanguage(const std::string& chosen,
                             const indexer::QueryNode& query) {
  if (!chosen.empty()) return chosen;
  return indexer::LanguageOfQuery(query);
}

std::vector<std::string> ResolveFeedNames(const CommandContext& context,
                                          const std::string& command,
                                          const config::Config& config,
                                          std::vector<std::string> names) {
  for (std::string& name : names) {
    const std::string lower = Lowercase(name);
    const auto feed = std::find_if(config.feeds.begin(), config.feeds.end(),
                                   [&](const config::Feed& candidate) {
                                     return Lowercase(candidate.name) == lower;
                                   });
    if (feed == config.feeds.end()) {
      context.err << "newswatch: " << command << ": warning: no configured "
                  << "feed is named \"" << config::OneLine(name) << "\"\n";
    } else {
      name = feed->name;
    }
  }
  return names;
}

std::string LanguageLabel(const std::string& language) {
  return language.empty() ? "en (default)" : config::OneLine(language);
}

bool WantBold(ColorMode mode, const std::ostream& out) {
  if (mode != ColorMode::kAuto) return mode == ColorMode::kAlways;
  // Only the process's stdout can be a terminal; tests pass string streams.
  if (&out != &std::cout || isatty(STDOUT_FILENO) == 0) return false;
  const char* no_color = std::getenv("NO_COLOR");
  return no_color == nullptr || *no_color == '\0';
}

std::vector<indexer::SnippetSpan> UsableHighlights(
    std::string_view snippet, std::vector<indexer::SnippetSpan> highlights) {
  std::sort(highlights.begin(), highlights.end(),
            [](const indexer::SnippetSpan& a, const indexer::SnippetSpan& b) {
              return a.offset < b.offset;
            });
  std::vector<indexer::SnippetSpan> usable;
  size_t shown_to = 0;
  for (const indexer::SnippetSpan& span : highlights) {
    if (span.length == 0 || span.offset < shown_to ||
        span.offset > snippet.size() ||
        span.length > snippet.size() - span.offset ||
        !IsCharBoundary(snippet, span.offset) ||
        !IsCharBoundary(snippet, span.offset + span.length)) {
      continue;
    }
    usable.push_back(span);
    shown_to = span.offset + span.length;
  }
  return usable;
}

std::string RenderSnippet(std::string_view snippet,
                          const std::vector<indexer::SnippetSpan>& highlights,
                          bool bold) {
  std::string out;
  size_t shown_to = 0;
  for (const indexer::SnippetSpan& span :
       UsableHighlights(snippet, highlights)) {
    out += config::OneLine(snippet.substr(shown_to, span.offset - shown_to));
    if (bold) out += kBoldOn;
    out += config::OneLine(snippet.substr(span.offset, span.length));
    if (bold) out += kBoldOff;
    shown_to = span.offset + span.length;
  }
  out += config::OneLine(snippet.substr(shown_to));
  return out;
}

std::vector<std::string> HighlightedText(
    std::string_view snippet,
    const std::vector<indexer::SnippetSpan>& highlights) {
  std::vector<std::string> texts;
  for (const indexer::SnippetSpan& span :
       UsableHighlights(snippet, highlights)) {
    texts.emplace_back(snippet.substr(span.offset, span.length));
  }
  return texts;
}

void PrintHit(std::ostream& out, size_t rank, const indexer::SearchHit& hit,
              bool bold) {
  const indexer::Article& article = hit.article;
  out << rank << ". " << config::OneLine(article.title) << "\n"
      << "   " << config::OneLine(article.link) << "\n"
      << "   " << config::OneLine(article.feed_name) << " · "
      << config::FormatRfc3339(article.published) << "\n";
  if (!hit.snippet.empty()) {
    out << "   " << RenderSnippet(hit.snippet, hit.highlights, bold) << "\n";
  }
  out << "\n";
}

std::string HitJson(const indexer::SearchHit& hit) {
  // replace: whatever the parser let through that is not UTF-8.
  return HitObject(hit).dump(-1, ' ', false,
                             nlohmann::json::error_handler_t::replace);
}

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

std::string UtcDate(std::int64_t time) {
  return config::FormatRfc3339(time).substr(0, 10);
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
    table += "  " + UtcDate(day.day) + "  " + std::string(bar, '#') +
             std::string(bar_width - bar, ' ') + "  " +
             std::string(count_width - count.size(), ' ') + count + "\n";
  }
  return table;
}

}  // namespace newswatch::daemon
