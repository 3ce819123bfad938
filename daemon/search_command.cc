#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] search [--sort relevance|date] [--since D]
                                         [--feed NAME]... [--language TAG]
                                         [--limit N] [--color WHEN] [--json]
                                         QUERY...

Searches the archive of every article indexed so far, best match first.
QUERY uses the saved-search language (see the README): words are ANDed,
AND/OR/NOT, -word, (groups), "exact phrases", NEAR/ADJ, prefix*, fields
(title:, author:, feed:, site:, category:, lang:) and dates (published:,
since:). The words of each snippet that matched are shown in bold on a
terminal.

  --sort ORDER     relevance (the default: best first, newest first among
                   equals) or date (newest first)
  --since D        only articles published in the last D (7d, 36h, 2w;
                   units s, m, h, d, w) or since the UTC day D (2025-11-01)
  --feed NAME      only articles of this configured feed (case-insensitive);
                   give it again for more feeds
  --language TAG   stem the query's words in this language (de, pt-br);
                   default: the query's own lang:, else English
  --limit N        show at most N results (default 20)
  --color WHEN     bold for the matched words: auto (the default: when
                   stdout is a terminal and $NO_COLOR is not set), always
                   or never
  --json           one JSON object per line: title, url, feed, published
                   (RFC 3339, UTC), snippet, highlights (the snippet's
                   matched words, in order), id
)";

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
      return 24 * 60 * 60;
    case 'w':
      return 7 * 24 * 60 * 60;
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

// The longest language tag accepted (BCP 47's longest registered forms are
// well under it).
constexpr size_t kMaxLanguageTagBytes = 35;

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
  const bool fits = !value.empty() && value.size() <= kMaxLanguageTagBytes &&
                    std::isalpha(static_cast<unsigned char>(value[0]));
  const bool tag_chars = std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
  if (!fits || !tag_chars) {
    return config::Error::Fatal(
        "--language", "expected a language tag like de or pt-br, got \"" +
                          config::OneLine(value) + "\"");
  }
  return Lowercase(value);
}

std::string StemmingLanguage(const std::string& chosen,
                             const indexer::QueryNode& query) {
  if (!chosen.empty()) return chosen;
  return indexer::LanguageOfQuery(query);
}

std::string LanguageLabel(const std::string& language) {
  return language.empty() ? "en (default)" : config::OneLine(language);
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

config::Result<ColorMode> ParseColorMode(std::string_view value) {
  if (value == "auto") return ColorMode::kAuto;
  if (value == "always") return ColorMode::kAlways;
  if (value == "never") return ColorMode::kNever;
  return config::Error::Fatal(
      "--color",
      "expected auto, always or never, got \"" + config::OneLine(value) + "\"");
}

bool WantBold(ColorMode mode, const CommandContext& context) {
  if (mode != ColorMode::kAuto) return mode == ColorMode::kAlways;
  // Only the process's stdout can be a terminal; tests pass string streams.
  if (&context.out != &std::cout || isatty(STDOUT_FILENO) == 0) return false;
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

int SearchCommand(const CommandContext& context,
                  const std::vector<std::string>& args) {
  std::vector<std::string> rest = args;
  config::Result<std::vector<std::string>> feeds =
      TakeRepeatedOption("search", "--feed", &rest);
  if (!feeds.ok()) {
    context.err << "newswatch: " << feeds.error().ToString() << "\n";
    return kExitUsage;
  }
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed = ParseCommandArgs(
      context, "search", rest,
      {{"--json"}, {"--limit", "--sort", "--since", "--language", "--color"}},
      kHelp, &exit_status);
  if (!parsed) return exit_status;
  const ParsedArgs& options = *parsed;
  if (options.positional.empty()) {
    context.err << "newswatch: search needs a QUERY\n" << kHelp;
    return kExitUsage;
  }
  const auto usage_error = [&](const config::Error& error) {
    context.err << "newswatch: search: " << error.ToString() << "\n";
    return kExitUsage;
  };
  indexer::SearchOptions search_options;
  // One reading of the clock, so --since and the query's since: agree.
  search_options.now = config::UnixNow();
  if (auto limit = options.Value("--limit")) {
    config::Result<size_t> number = PositiveNumber("--limit", *limit);
    if (!number.ok()) return usage_error(number.error());
    search_options.limit = number.value();
  }
  if (auto sort = options.Value("--sort")) {
    if (*sort == "date") {
      search_options.sort = indexer::SortOrder::kDate;
    } else if (*sort != "relevance") {
      return usage_error(
          config::Error::Fatal("--sort", "expected relevance or date, got \"" +
                                             config::OneLine(*sort) + "\""));
    }
  }
  if (auto since = options.Value("--since")) {
    config::Result<std::int64_t> start = ParseSince(*since, search_options.now);
    if (!start.ok()) return usage_error(start.error());
    search_options.since = start.value();
  }
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
  std::string query_text;
  for (const std::string& word : options.positional) {
    query_text += (query_text.empty() ? "" : " ") + word;
  }
  config::Result<indexer::QueryNode> query = indexer::ParseQuery(query_text);
  if (!query.ok()) {
    context.err << "newswatch: search: query \"" << config::OneLine(query_text)
                << "\": " << query.error().what << "\n";
    return kExitUsage;
  }
  search_options.language = StemmingLanguage(language, query.value());

  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  search_options.feeds = ResolveFeedNames(context, "search", loaded.config,
                                          std::move(feeds).value());
  auto index =
      indexer::Index::OpenReadOnly(IndexDirectory(loaded.config.data_dir));
  if (!index.ok()) {
    context.err << "newswatch: " << index.error().ToString() << "\n";
    return kExitFailure;
  }
  auto hits = index.value()->Search(query.value(), search_options);
  if (!hits.ok()) {
    context.err << "newswatch: " << hits.error().ToString() << "\n";
    return kExitFailure;
  }
  const bool json = options.Has("--json");
  const bool bold = !json && WantBold(color, context);
  size_t rank = 0;
  for (const indexer::SearchHit& hit : hits.value()) {
    if (json) {
      context.out << HitJson(hit) << "\n";
    } else {
      PrintHit(context.out, ++rank, hit, bold);
    }
  }
  if (!json && hits.value().empty()) context.err << "no matches\n";
  return kExitOk;
}

}  // namespace newswatch::daemon
