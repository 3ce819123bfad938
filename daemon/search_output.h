// What the commands that search the archive (search, test-query, explain)
// share: reading the options that choose which articles they look at and how
// they are shown, opening the archive, and showing what they found: hits
// with their matched words in bold or as JSON, and test-query's backtest,
// day by day.
#ifndef NEWSWATCH_DAEMON_SEARCH_OUTPUT_H_
#define NEWSWATCH_DAEMON_SEARCH_OUTPUT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::daemon {

// ---- Reading the options ----

// Takes every `--name VALUE` and `--name=VALUE` of `option` out of `*args`
// (up to a "--"), in order: for an option that may be given more than once,
// which ParseArgs would keep only the last of. Errors, naming `command`,
// when one has no value.
config::Result<std::vector<std::string>> TakeRepeatedOption(
    const std::string& command, const std::string& option,
    std::vector<std::string>* args);

// --since: a duration counted back from `now` ("7d", "36h", "2w", "1d12h";
// units s, m, h, d, w) or a UTC day "YYYY-MM-DD" (from its midnight). Unix
// seconds; errors name --since and say what is wrong.
config::Result<std::int64_t> ParseSince(std::string_view value,
                                        std::int64_t now);

// --language: the tag as config::NormalizeLanguageTag reads it ("de",
// "pt_BR" -> "pt-br"), the rule of the config's `language` keys and of
// `lang:`; an error naming --language when it is not shaped like one.
config::Result<std::string> ParseLanguageTag(std::string_view value);

// When hits show their matched words in bold (--color).
enum class ColorMode { kAuto, kAlways, kNever };

// "auto", "always" or "never"; an error naming --color otherwise.
config::Result<ColorMode> ParseColorMode(std::string_view value);

// The options that search, test-query and explain share, as read from a
// command line (ParseSearchFilters).
struct SearchFilters {
  // limit (--limit), sort (--sort) and since (--since) as the command will
  // search with them. feeds: the --feed names as given, until
  // ResolveFeedNames spells them as the config does. language: --language,
  // normalised, or "" when not given, until StemmingLanguage picks the one to
  // search with. now: the one reading of the clock that --since and the
  // query's since: both count back from.
  indexer::SearchOptions search;
  ColorMode color = ColorMode::kAuto;  // --color.
};

// `defaults` with the shared options found in `options` read over it:
// --limit, --sort, --since, --language and --color (ParseArgs refused those
// that a command's OptionSpec does not take, so each is read when present),
// and `feeds`, the --feed values that TakeRepeatedOption took out before
// ParseArgs. --since counts back from defaults.search.now. Errors name the
// option and say what is wrong; the caller adds the command's name.
config::Result<SearchFilters> ParseSearchFilters(const ParsedArgs& options,
                                                 std::vector<std::string> feeds,
                                                 SearchFilters defaults);

// The command line of a command that takes a QUERY (search, test-query).
struct QueryCommandLine {
  ParsedArgs options;  // For the command's own flags (--json).
  // The shared options; search.language is the stemming language
  // (StemmingLanguage), search.feeds still as given (ResolveFeedNames).
  SearchFilters filters;
  std::string query_text;  // The QUERY words, joined by spaces.
  indexer::QueryNode query;
};

// Reads the arguments of `command`: each --feed taken out
// (TakeRepeatedOption), the rest parsed against `spec` (ParseCommandArgs,
// which prints `help` for --help), at least one QUERY word, the shared
// options (ParseSearchFilters over `defaults`), then the query parsed and its
// stemming language chosen. Nothing is read from the config or the archive.
// On --help or an error (printed to context.err, naming `command`) sets
// `*exit_status` (kExitOk or kExitUsage) and returns nullopt.
std::optional<QueryCommandLine> ReadQueryCommandLine(
    const CommandContext& context, const std::string& command,
    const std::vector<std::string>& args, const OptionSpec& spec,
    const char* help, SearchFilters defaults, int* exit_status);

// The language a query's words are stemmed in: `chosen` (--language, or a
// saved search's `language`) when not empty, else the query's own
// (indexer::LanguageOfQuery), else "" (English).
std::string StemmingLanguage(const std::string& chosen,
                             const indexer::QueryNode& query);

// `names` (--feed), each replaced by the configured feed's own spelling when
// one matches case-insensitively. A name no feed of `config` has is kept (its
// articles may still be in the archive) and reported on context.err as a
// warning of `command`.
std::vector<std::string> ResolveFeedNames(const CommandContext& context,
                                          const std::string& command,
                                          const config::Config& config,
                                          std::vector<std::string> names);

// The archive that `command` (search, test-query) searches: the config
// loaded (its errors reported: kExitUsage), `search->feeds` resolved against
// it (ResolveFeedNames), then the index under its data_dir opened read-only
// (an error reported: kExitFailure). On error sets `*exit_status` and
// returns null.
std::unique_ptr<indexer::Index> OpenSearchArchive(
    const CommandContext& context, const std::string& command,
    indexer::SearchOptions* search, int* exit_status);

// ---- Showing hits ----

// `language` for people: "de", or "en (default)" for "".
std::string LanguageLabel(const std::string& language);

// Whether hits written to `out` go out with bold: kAuto means when `out` is
// the process's stdout, that is a terminal, and $NO_COLOR is unset or empty.
bool WantBold(ColorMode mode, const std::ostream& out);

// The ANSI sequences around a highlighted word.
inline constexpr std::string_view kBoldOn = "\x1b[1m";
inline constexpr std::string_view kBoldOff = "\x1b[0m";

// The highlights of `snippet` that can be shown: sorted by offset, without
// empty, overlapping or out-of-range spans or ones whose ends fall inside a
// UTF-8 sequence (so that sanitising each piece apart is sanitising it all).
std::vector<indexer::SnippetSpan> UsableHighlights(
    std::string_view snippet, std::vector<indexer::SnippetSpan> highlights);

// `snippet` made safe for one line of a terminal (config::OneLine), with each
// usable highlight between kBoldOn and kBoldOff when `bold`. Each piece is
// sanitised apart, so sanitising, which may shorten the text, never moves a
// highlight off its word.
std::string RenderSnippet(std::string_view snippet,
                          const std::vector<indexer::SnippetSpan>& highlights,
                          bool bold);

// The text of each usable highlight, as it stands in `snippet`, in order.
std::vector<std::string> HighlightedText(
    std::string_view snippet,
    const std::vector<indexer::SnippetSpan>& highlights);

// One hit as `search` lists it: "<rank>. title", link, feed and date, the
// snippet (RenderSnippet), a blank line. Hostile text is made one-line safe.
void PrintHit(std::ostream& out, size_t rank, const indexer::SearchHit& hit,
              bool bold);

// One hit as a JSON object on one line, without the newline: title, url,
// feed, published (RFC 3339, UTC), snippet, highlights (HighlightedText), id.
std::string HitJson(const indexer::SearchHit& hit);

// ---- test-query's backtest ----

struct Backtest {
  std::int64_t since = 0;  // The window, Unix seconds.
  std::int64_t until = 0;
  std::vector<indexer::DailyCount> days;  // Days with matches, oldest first.
  size_t total = 0;                       // Matches in the window.
  // The UTC days the archive covers in the window: from the first one on
  // which it holds an article (of the selected feeds) through the day of
  // `until`. 0 when it holds none there.
  size_t days_covered = 0;
  std::optional<std::int64_t> covered_from;  // That first day's midnight.

  // total / days_covered, or 0 when nothing is covered.
  double AveragePerDay() const;
};

// The backtest of a window from the daily matches of the query
// (`matches`) and of every article (`archive`), both as Index::CountByDay
// gives them.
Backtest MakeBacktest(std::int64_t since, std::int64_t until,
                      std::vector<indexer::DailyCount> matches,
                      const std::vector<indexer::DailyCount>& archive);

// The UTC day holding `time`, as "YYYY-MM-DD".
std::string UtcDate(std::int64_t time);

// One line per day of `days`: the date, a bar of '#' at most `bar_width`
// long (scaled to the busiest day; at least one '#' for a day with any),
// and the count: "  2025-11-23  ####      4\n".
std::string FormatDayTable(const std::vector<indexer::DailyCount>& days,
                           size_t bar_width);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_SEARCH_OUTPUT_H_
