// The pieces of `search`, `test-query` and `explain` that stand apart from
// the index: reading their options, rendering highlighted snippets, the
// backtest's day table; and their usage errors, called in-process. The
// commands against a real archive are in search_end_to_end_test.cc.
#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "config/text.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/search_output.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::daemon {
namespace {

using indexer::DailyCount;
using indexer::SnippetSpan;

constexpr std::int64_t kDay = 24 * 60 * 60;
// 2025-11-23T09:30:00Z.
constexpr std::int64_t kNow = 1763890200;
// 2025-11-23T00:00:00Z.
constexpr std::int64_t kToday = 1763856000;

// Where `word` starts in `text`, as a span of it.
SnippetSpan SpanOf(const std::string& text, const std::string& word,
                   size_t from = 0) {
  const size_t at = text.find(word, from);
  REQUIRE(at != std::string::npos);
  return {at, word.size()};
}

std::string Bold(const std::string& text) {
  return std::string(kBoldOn) + text + std::string(kBoldOff);
}

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

using CommandFunction = int (*)(const CommandContext&,
                                const std::vector<std::string>&);

Outcome Call(CommandFunction command, const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const CommandContext context{"/nonexistent/newswatch.toml", out, err};
  Outcome outcome;
  outcome.code = command(context, args);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

TEST_CASE("The --since option reads durations back from now and UTC days",
          "[search]") {
  CHECK(ParseSince("7d", kNow).value() == kNow - 7 * kDay);
  CHECK(ParseSince("36h", kNow).value() == kNow - 36 * 60 * 60);
  CHECK(ParseSince("2w", kNow).value() == kNow - 14 * kDay);
  CHECK(ParseSince("90m", kNow).value() == kNow - 90 * 60);
  CHECK(ParseSince("1d12h", kNow).value() == kNow - kDay - 12 * 60 * 60);
  CHECK(ParseSince("2025-11-01", kNow).value() == 1761955200);
  CHECK(ParseSince("1970-01-01", kNow).value() == 0);
  CHECK(ParseSince("2024-02-29", kNow).value() == 1709164800);

  for (const char* bad :
       {"", "7", "d", "7x", "0d", "0h0m", "-7d", "7d ", "1234567890d",
        "2025-02-29", "2025-13-01", "2025-11-1", "2025/11/01", "yesterday"}) {
    INFO(bad);
    const config::Result<std::int64_t> since = ParseSince(bad, kNow);
    REQUIRE_FALSE(since.ok());
    CHECK(since.error().where == "--since");
    CHECK_THAT(since.error().what, Catch::Contains("7d"));
  }
}

TEST_CASE(
    "The --feed option may be given again; the other arguments stay in order",
    "[search]") {
  std::vector<std::string> args = {
      "--feed", "BBC World", "ukraine", "--feed=Fixture Science",
      "--json", "--",        "--feed",  "x"};
  config::Result<std::vector<std::string>> feeds =
      TakeRepeatedOption("search", "--feed", &args);
  REQUIRE(feeds.ok());
  CHECK(feeds.value() ==
        std::vector<std::string>{"BBC World", "Fixture Science"});
  // After "--", "--feed" is a query word.
  CHECK(args ==
        std::vector<std::string>{"ukraine", "--json", "--", "--feed", "x"});

  for (std::vector<std::string> bad :
       {std::vector<std::string>{"ukraine", "--feed"},
        std::vector<std::string>{"--feed", "--json", "ukraine"}}) {
    config::Result<std::vector<std::string>> missing =
        TakeRepeatedOption("search", "--feed", &bad);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().ToString() == "search: --feed needs a value");
  }
}

TEST_CASE("The --language option takes a tag as the config does", "[search]") {
  CHECK(ParseLanguageTag("de").value() == "de");
  CHECK(ParseLanguageTag("pt-BR").value() == "pt-br");
  // config::NormalizeLanguageTag's rule, as the `language` keys and lang:.
  CHECK(ParseLanguageTag("de_DE").value() == "de-de");
  CHECK(ParseLanguageTag("zh-Hant-TW").value() == "zh-hant-tw");
  for (const char* bad : {"", "1de", "d e", "-de", "de\n", "german", "e", "de-",
                          "de-abcdefghi", "abcdefghijklmnopqrstuvwxyz"}) {
    INFO(bad);
    const config::Result<std::string> tag = ParseLanguageTag(bad);
    REQUIRE_FALSE(tag.ok());
    CHECK(tag.error().where == "--language");
    CHECK_THAT(tag.error().what, Catch::Contains("expected a language tag"));
  }
}

TEST_CASE("The stemming language: the chosen one, else the query's own",
          "[search]") {
  const indexer::QueryNode german =
      indexer::ParseQuery("lang:de Truppen").value();
  const indexer::QueryNode plain = indexer::ParseQuery("troops").value();
  CHECK(StemmingLanguage("fr", german) == "fr");
  CHECK(StemmingLanguage("", german) == "de");
  CHECK(StemmingLanguage("", plain).empty());
  CHECK(LanguageLabel("") == "en (default)");
  CHECK(LanguageLabel("pt-br") == "pt-br");
}

TEST_CASE("The --color option is auto, always or never", "[search]") {
  CHECK(ParseColorMode("auto").value() == ColorMode::kAuto);
  CHECK(ParseColorMode("always").value() == ColorMode::kAlways);
  CHECK(ParseColorMode("never").value() == ColorMode::kNever);
  CHECK_FALSE(ParseColorMode("yes").ok());
  CHECK_FALSE(ParseColorMode("").ok());

  std::ostringstream out;
  CHECK(WantBold(ColorMode::kAlways, out));
  CHECK_FALSE(WantBold(ColorMode::kNever, out));
  // A string stream is no terminal.
  CHECK_FALSE(WantBold(ColorMode::kAuto, out));
}

// ParsedArgs of `args` as a command taking every shared option parses them.
ParsedArgs Parsed(const std::vector<std::string>& args) {
  config::Result<ParsedArgs> parsed = ParseArgs(
      "search", args,
      {{"--json"}, {"--limit", "--sort", "--since", "--language", "--color"}});
  INFO((parsed.ok() ? std::string() : parsed.error().ToString()));
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

TEST_CASE("The shared options are read over a command's defaults",
          "[search][test-query][explain]") {
  SearchFilters defaults;
  defaults.search.now = kNow;
  defaults.search.limit = 10;
  defaults.search.sort = indexer::SortOrder::kDate;
  defaults.search.since = kNow - 30 * kDay;

  SECTION("none given: the defaults, and the --feed values as given") {
    const config::Result<SearchFilters> filters =
        ParseSearchFilters(Parsed({"x"}), {"BBC", "bbc"}, defaults);
    REQUIRE(filters.ok());
    const indexer::SearchOptions& search = filters.value().search;
    CHECK(search.now == kNow);
    CHECK(search.limit == 10);
    CHECK(search.sort == indexer::SortOrder::kDate);
    CHECK(search.since == kNow - 30 * kDay);
    CHECK(search.language.empty());
    CHECK(search.feeds == std::vector<std::string>{"BBC", "bbc"});
    CHECK(filters.value().color == ColorMode::kAuto);
  }
  SECTION("each given: read over them") {
    const config::Result<SearchFilters> filters = ParseSearchFilters(
        Parsed({"--limit", "3", "--sort=relevance", "--since", "2d",
                "--language", "pt_BR", "--color", "never", "x"}),
        {}, defaults);
    REQUIRE(filters.ok());
    const indexer::SearchOptions& search = filters.value().search;
    CHECK(search.limit == 3);
    CHECK(search.sort == indexer::SortOrder::kRelevance);
    CHECK(search.since == kNow - 2 * kDay);
    CHECK(search.language == "pt-br");
    CHECK(search.feeds.empty());
    CHECK(filters.value().color == ColorMode::kNever);
    CHECK(ParseSearchFilters(Parsed({"--sort", "date"}), {}, SearchFilters{})
              .value()
              .search.sort == indexer::SortOrder::kDate);
  }
  SECTION("a bad value: an error naming its option") {
    using Bad = std::pair<std::vector<std::string>, std::string>;
    const auto [args, where] = GENERATE(
        Bad{{"--limit", "0"}, "--limit"}, Bad{{"--limit", "many"}, "--limit"},
        Bad{{"--sort", "newest"}, "--sort"},
        Bad{{"--since", "lately"}, "--since"},
        Bad{{"--language", "english"}, "--language"},
        Bad{{"--color", "yes"}, "--color"});
    const config::Result<SearchFilters> filters =
        ParseSearchFilters(Parsed(args), {}, defaults);
    REQUIRE_FALSE(filters.ok());
    CHECK(filters.error().where == where);
    CHECK_THAT(filters.error().what, Catch::Contains("expected"));
  }
}

TEST_CASE("A snippet shows its highlights in bold, only when asked",
          "[search]") {
  const std::string snippet = "Some 800 troops and their caps went home.";
  const std::vector<SnippetSpan> spans = {SpanOf(snippet, "troops"),
                                          SpanOf(snippet, "caps")};
  CHECK(RenderSnippet(snippet, spans, true) ==
        "Some 800 " + Bold("troops") + " and their " + Bold("caps") +
            " went home.");
  CHECK(RenderSnippet(snippet, spans, false) == snippet);
  CHECK(RenderSnippet(snippet, {}, true) == snippet);
  CHECK(HighlightedText(snippet, spans) ==
        std::vector<std::string>{"troops", "caps"});
  // Given out of order, shown in order.
  CHECK(HighlightedText(snippet, {spans[1], spans[0]}) ==
        std::vector<std::string>{"troops", "caps"});
  // A highlight at the very start and one at the very end.
  CHECK(RenderSnippet("troops", {{0, 6}}, true) == Bold("troops"));
}

TEST_CASE("Sanitising a snippet does not move its highlights", "[search]") {
  // A line separator (3 bytes) and a C1 control (2 bytes) before the word,
  // each shown as one space; a bidi override inside the next one.
  const std::string snippet =
      "Line\xE2\x80\xA8one\xC2\x85two troops then \xE2\x80\xAE"
      "caps\x1b[31m end";
  const std::vector<SnippetSpan> spans = {
      SpanOf(snippet, "troops"),
      {snippet.find("\xE2\x80\xAE"), 3 + 4}};  // The override and "caps".
  CHECK(RenderSnippet(snippet, spans, true) == "Line one two " +
                                                   Bold("troops") + " then " +
                                                   Bold(" caps") + " [31m end");
  CHECK(RenderSnippet(snippet, spans, false) == config::OneLine(snippet));
  // --json gives the highlights as they stand in the snippet.
  CHECK(HighlightedText(snippet, spans) ==
        std::vector<std::string>{"troops",
                                 "\xE2\x80\xAE"
                                 "caps"});
}

TEST_CASE("Highlights that cannot be shown are dropped", "[search]") {
  const std::string snippet = "Ukraine\xE2\x80\x99s troops";  // Ukraine’s
  const SnippetSpan troops = SpanOf(snippet, "troops");
  const std::vector<SnippetSpan> bad = {
      {0, 0},                   // Empty.
      {snippet.size(), 1},      // Past the end.
      {snippet.size() - 2, 5},  // Running off the end.
      {8, 2},                   // Starts inside the apostrophe.
      {0, 8},                   // Ends inside it.
      {std::string::npos, 2}};  // An offset that would wrap.
  CHECK(UsableHighlights(snippet, bad).empty());
  CHECK(RenderSnippet(snippet, bad, true) == snippet);

  std::vector<SnippetSpan> spans = bad;
  spans.push_back(troops);
  spans.push_back({troops.offset + 1, 3});  // Overlaps "troops".
  CHECK(UsableHighlights(snippet, spans).size() == 1);
  CHECK(HighlightedText(snippet, spans) == std::vector<std::string>{"troops"});
  CHECK(RenderSnippet(snippet, spans, true) ==
        "Ukraine\xE2\x80\x99s " + Bold("troops"));
}

indexer::SearchHit HostileHit() {
  indexer::SearchHit hit;
  hit.article.id = "https://example.org/a";
  hit.article.link = "https://example.org/a";
  hit.article.title = "Troops\r\nX-Injected: yes";
  hit.article.feed_name = "Desk\x1b[2J";
  hit.article.published = kNow;
  hit.snippet = "800 troops\n went home";
  hit.highlights = {{4, 6}};
  return hit;
}

TEST_CASE("A hit prints one-line safe, with its snippet's highlights",
          "[search]") {
  std::ostringstream out;
  PrintHit(out, 3, HostileHit(), true);
  CHECK(out.str() ==
        "3. Troops  X-Injected: yes\n"
        "   https://example.org/a\n"
        "   Desk [2J · 2025-11-23T09:30:00Z\n"
        "   800 " +
            Bold("troops") + "  went home\n\n");

  const nlohmann::json json = nlohmann::json::parse(HitJson(HostileHit()));
  CHECK(json["title"] == "Troops\r\nX-Injected: yes");
  CHECK(json["snippet"] == "800 troops\n went home");
  CHECK(json["highlights"] == std::vector<std::string>{"troops"});
  CHECK(json["published"] == "2025-11-23T09:30:00Z");
  CHECK(json["id"] == "https://example.org/a");
  CHECK(json["url"] == "https://example.org/a");
  CHECK(json["feed"] == "Desk\x1b[2J");
}

TEST_CASE("The backtest totals the days and averages over those covered",
          "[test-query]") {
  const std::int64_t since = kNow - 30 * kDay;
  const std::vector<DailyCount> matches = {
      {kToday - 5 * kDay, 1}, {kToday - 2 * kDay, 1}, {kToday - kDay, 2}};

  SECTION("The archive covers the whole window") {
    const std::vector<DailyCount> archive = {{kToday - 30 * kDay, 7},
                                             {kToday - 5 * kDay, 9}};
    const Backtest backtest = MakeBacktest(since, kNow, matches, archive);
    CHECK(backtest.total == 4);
    CHECK(backtest.days.size() == 3);
    REQUIRE(backtest.covered_from);
    CHECK(*backtest.covered_from == kToday - 30 * kDay);
    CHECK(backtest.days_covered == 31);  // 30 days back, and today.
    CHECK(backtest.AveragePerDay() == Approx(4.0 / 31));
  }
  SECTION("The archive starts inside the window") {
    const std::vector<DailyCount> archive = {{kToday - 9 * kDay, 3},
                                             {kToday - 5 * kDay, 9}};
    const Backtest backtest = MakeBacktest(since, kNow, matches, archive);
    CHECK(*backtest.covered_from == kToday - 9 * kDay);
    CHECK(backtest.days_covered == 10);
    CHECK(backtest.AveragePerDay() == Approx(0.4));
  }
  SECTION("Matches count as coverage even if the archive count missed them") {
    const Backtest backtest = MakeBacktest(since, kNow, matches, {});
    CHECK(*backtest.covered_from == kToday - 5 * kDay);
    CHECK(backtest.days_covered == 6);
  }
  SECTION("An empty archive covers nothing") {
    const Backtest backtest = MakeBacktest(since, kNow, {}, {});
    CHECK(backtest.total == 0);
    CHECK_FALSE(backtest.covered_from);
    CHECK(backtest.days_covered == 0);
    CHECK(backtest.AveragePerDay() == 0.0);
  }
}

TEST_CASE("The day table draws a bar scaled to the busiest day",
          "[test-query]") {
  const std::vector<DailyCount> days = {
      {kToday - 2 * kDay, 1}, {kToday - kDay, 12}, {kToday, 4}};
  CHECK(FormatDayTable(days, 12) ==
        "  2025-11-21  #              1\n"
        "  2025-11-22  ############  12\n"
        "  2025-11-23  ####           4\n");
  CHECK(FormatDayTable({}, 12).empty());
  // A day far below the busiest still gets a mark.
  CHECK(FormatDayTable({{kToday, 1}, {kToday + kDay, 1000}}, 10) ==
        "  2025-11-23  #              1\n"
        "  2025-11-24  ##########  1000\n");
}

TEST_CASE("Bad options and queries are usage errors, before any config",
          "[search][test-query][explain]") {
  struct Case {
    CommandFunction command;
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {SearchCommand, {"--sort", "newest", "x"}, "expected relevance or date"},
      {SearchCommand, {"--since", "lately", "x"}, "--since: expected"},
      {SearchCommand, {"--color", "yes", "x"}, "--color: expected"},
      {SearchCommand, {"--language", "german", "x"}, "--language: expected"},
      {SearchCommand, {"--limit", "0", "x"}, "search: --limit: expected"},
      {TestQueryCommand, {"--language", "e", "x"}, "--language: expected"},
      {TestQueryCommand, {"--color", "yes", "x"}, "--color: expected"},
      {TestQueryCommand, {"--sort", "date", "x"}, "unknown option --sort"},
      {TestQueryCommand, {"x", "--feed"}, "--feed needs a value"},
      {SearchCommand, {"x", "--feed"}, "--feed needs a value"},
      {SearchCommand, {"--feed", "A"}, "search needs a QUERY"},
      {SearchCommand, {"(troops"}, "unbalanced parentheses"},
      {TestQueryCommand, {"(troops"}, "unbalanced parentheses"},
      {TestQueryCommand, {"--since", "0d", "x"}, "--since: expected"},
      {TestQueryCommand, {"--limit", "0", "x"}, "--limit: expected"},
      {TestQueryCommand, {}, "test-query needs a QUERY"},
      {ExplainCommand, {"only-one"}, "needs a SEARCH and an ARTICLE-URL"},
      {ExplainCommand, {"a", "b", "--language", "x y"}, "--language"},
      {ExplainCommand, {"a", "b", "--feed", "x"}, "unknown option --feed"}};
  for (const Case& c : cases) {
    const Outcome outcome = Call(c.command, c.args);
    INFO(outcome.err);
    CHECK(outcome.code == kExitUsage);
    CHECK_THAT(outcome.err, Catch::Contains(c.message));
    CHECK(outcome.out.empty());
  }
}

TEST_CASE("Each command's help lists its options", "[search][test-query]") {
  const Outcome search = Call(SearchCommand, {"--help"});
  CHECK(search.code == kExitOk);
  for (const char* option :
       {"--sort", "--since", "--feed", "--language", "--color", "highlights"}) {
    CHECK_THAT(search.out, Catch::Contains(option));
  }
  const Outcome test_query = Call(TestQueryCommand, {"--help"});
  CHECK(test_query.code == kExitOk);
  CHECK_THAT(test_query.out, Catch::Contains("default 30d"));
  const Outcome explain = Call(ExplainCommand, {"--help"});
  CHECK(explain.code == kExitOk);
  CHECK_THAT(explain.out, Catch::Contains("SEARCH ARTICLE-URL"));
}

}  // namespace
}  // namespace newswatch::daemon
