// The CLI's commands. Each takes the arguments after its name and returns
// the process exit status.
#ifndef NEWSWATCH_DAEMON_COMMANDS_H_
#define NEWSWATCH_DAEMON_COMMANDS_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/config_loader.h"
#include "config/error.h"
#include "daemon/command_line.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::daemon {

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // Runtime failure (stores, lock).
inline constexpr int kExitUsage = 2;    // Bad arguments or a bad config.

struct CommandContext {
  std::filesystem::path config_path;
  std::ostream& out;  // Results (stdout).
  std::ostream& err;  // Diagnostics and the daemon's log (stderr).
};

// Loads the config and checks it whole: the schema and every saved query.
config::LoadedConfig LoadValidatedConfig(const std::filesystem::path& path);

// Writes each error of `loaded` to context.err as an "error: " line.
// Returns true when there were none, so the command can go on.
bool ReportConfigErrors(const CommandContext& context,
                        const config::LoadedConfig& loaded);

// Writes each lint finding (indexer/query_lint.h) of the saved searches of a
// valid `config` to context.err as a "warning: " line naming the file, line
// and search; `now` dates published: ranges. Returns how many there were.
size_t ReportConfigWarnings(const CommandContext& context,
                            const config::Config& config, std::int64_t now);

// Parses a command's arguments (command_line.h). On a usage error prints it
// and sets `*exit_status` to kExitUsage; on --help prints `help` and sets
// kExitOk; either way returns nullopt, and the command returns the status.
std::optional<ParsedArgs> ParseCommandArgs(const CommandContext& context,
                                           const std::string& command,
                                           const std::vector<std::string>& args,
                                           const OptionSpec& spec,
                                           const char* help, int* exit_status);

int RunCommand(const CommandContext& context,
               const std::vector<std::string>& args);
int SearchCommand(const CommandContext& context,
                  const std::vector<std::string>& args);
int AlertsCommand(const CommandContext& context,
                  const std::vector<std::string>& args);
int FeedsCommand(const CommandContext& context,
                 const std::vector<std::string>& args);
int CheckConfigCommand(const CommandContext& context,
                       const std::vector<std::string>& args);
// `test-query QUERY...`: a backtest of a query over the archive.
int TestQueryCommand(const CommandContext& context,
                     const std::vector<std::string>& args);
// `explain SEARCH ARTICLE-URL`: why a search does or does not match.
int ExplainCommand(const CommandContext& context,
                   const std::vector<std::string>& args);

// What search, test-query and explain share (search_command.cc): reading
// their options, resolving the stemming language, and showing hits.

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

// A language tag as --language takes it ("de", "pt-BR"), lower-cased; an
// error naming --language unless it is letters, digits and hyphens starting
// with a letter, at most 35 bytes (BCP 47's longest registered form).
config::Result<std::string> ParseLanguageTag(std::string_view value);

// The language a query's words are stemmed in: `chosen` (--language, or a
// saved search's `language`) when not empty, else the query's own
// (indexer::LanguageOfQuery), else "" (English).
std::string StemmingLanguage(const std::string& chosen,
                             const indexer::QueryNode& query);

// `language` for people: "de", or "en (default)" for "".
std::string LanguageLabel(const std::string& language);

// `names` (--feed), each replaced by the configured feed's own spelling when
// one matches case-insensitively. A name no feed of `config` has is kept (its
// articles may still be in the archive) and reported on context.err as a
// warning of `command`.
std::vector<std::string> ResolveFeedNames(const CommandContext& context,
                                          const std::string& command,
                                          const config::Config& config,
                                          std::vector<std::string> names);

// When hits show their matched words in bold (--color).
enum class ColorMode { kAuto, kAlways, kNever };

// "auto", "always" or "never"; an error naming --color otherwise.
config::Result<ColorMode> ParseColorMode(std::string_view value);

// Whether hits go out with bold: kAuto means when context.out is the
// process's stdout, that is a terminal, and $NO_COLOR is unset or empty.
bool WantBold(ColorMode mode, const CommandContext& context);

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

// test-query's backtest (test_query_command.cc), apart from its I/O.

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

// One line per day of `days`: the date, a bar of '#' at most `bar_width`
// long (scaled to the busiest day; at least one '#' for a day with any),
// and the count: "  2025-11-23  ####      4\n".
std::string FormatDayTable(const std::vector<indexer::DailyCount>& days,
                           size_t bar_width);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_COMMANDS_H_
