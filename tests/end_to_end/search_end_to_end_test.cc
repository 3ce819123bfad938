// `search`, `test-query` and `explain` through the real binary, on a
// data_dir that `run --once` filled from file: feeds: the fixture world.rss
// (dated November 2025) and an Atom feed written here with articles dated
// days before now, so that windows counted back from now have something in
// them.
#include <time.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/end_to_end/deployment.h"

namespace newswatch::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 24 * 60 * 60;
constexpr char kBoldOn[] = "\x1b[1m";
constexpr char kBoldOff[] = "\x1b[0m";

constexpr char kPlanUrl[] = "https://fixture.example.org/2025/11/23/plan";
constexpr char kEnergyUrl[] = "https://fixture.example.org/2025/11/22/energy";
constexpr char kLebanonUrl[] = "https://fixture.example.org/2025/11/21/lebanon";
constexpr char kGrainUrl[] = "https://fixture.example.org/2025/11/20/grain";

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Midnight UTC of today, as the test started.
std::int64_t Today() { return Now() / kDay * kDay; }

std::string Rfc3339(std::int64_t unix_seconds) {
  const time_t time = static_cast<time_t>(unix_seconds);
  struct tm parts {};
  gmtime_r(&time, &parts);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string DateOf(std::int64_t unix_seconds) {
  return Rfc3339(unix_seconds).substr(0, 10);
}

// Noon UTC `days` days before today (at `hour` instead, if given).
std::int64_t DaysAgo(int days, int hour = 12) {
  return Today() - days * kDay + hour * 60 * 60;
}

struct Entry {
  std::string slug;
  std::string title;
  std::string summary;
  std::int64_t published = 0;
};

std::string RecentUrl(const std::string& slug) {
  return "https://recent.example.org/" + slug;
}

// The articles of "Recent Desk": zeppelins on days 1 (two), 2, 5 and 40
// before today, and one article about something else on day 3. Day 1's
// second summary has a line separator (U+2028) before the word it matches,
// which the terminal listing must show as a space without moving the bold.
std::vector<Entry> RecentEntries() {
  return {{"tour", "Zeppelin tour over the lake",
           "A zeppelin carried troops of tourists over the lake.", DaysAgo(1)},
          {"hangar", "Hangar reopens for airships",
           "Fleet news\xE2\x80\xA8the zeppelin hangar reopened on Monday.",
           DaysAgo(1, 10)},
          {"maker", "Airship maker hires",
           "The zeppelin builder hires 40 people.", DaysAgo(2)},
          {"harbour", "Harbour traffic calm", "Ships and boats left on time.",
           DaysAgo(3)},
          {"return", "Zeppelins return to the show",
           "Two zeppelin models flew at the show.", DaysAgo(5)},
          {"photos", "Old zeppelin photos found",
           "An archive of zeppelin photographs was found.", DaysAgo(40)}};
}

std::string RecentFeed() {
  std::string feed = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Recent Desk</title>
  <id>tag:recent.example.org,2025:desk</id>
  <updated>)" + Rfc3339(Now()) +
                     "</updated>\n";
  for (const Entry& entry : RecentEntries()) {
    feed += "  <entry>\n    <title>" + entry.title + "</title>\n    <id>" +
            RecentUrl(entry.slug) +
            "</id>\n    <link rel=\"alternate\" href=\"" +
            RecentUrl(entry.slug) + "\"/>\n    <published>" +
            Rfc3339(entry.published) + "</published>\n    <summary>" +
            entry.summary + "</summary>\n  </entry>\n";
  }
  return feed + "</feed>\n";
}

constexpr char kSearches[] = R"(
[[search]]
name = "Ukraine troop caps"
query = "Ukraine AND troop cap"
notify = ["console"]

[[search]]
name = "Zeppelins"
query = "zeppelin"
)";

// A deployment whose data_dir `run --once` filled from both feeds.
class Archive {
 public:
  Archive() {
    deployment_.dir().Write("feeds/world.rss", WorldFeed());
    deployment_.dir().Write("feeds/recent.atom", RecentFeed());
    deployment_.WriteConfig(std::string(R"(
[[feed]]
url = "file:feeds/world.rss"
name = "Fixture World"

[[feed]]
url = "file:feeds/recent.atom"
name = "Recent Desk"
)") + kSearches);
    const ProcessResult run = deployment_.Run({"run", "--once"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
  }

  ProcessResult Run(const std::vector<std::string>& args) const {
    return deployment_.Run(args);
  }

  // `args` with --json added, each output line parsed.
  std::vector<json> JsonLines(std::vector<std::string> args) const {
    args.push_back("--json");
    const ProcessResult result = Run(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::vector<json> lines;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) {
      INFO(line);
      REQUIRE_NOTHROW(lines.push_back(json::parse(line)));
    }
    return lines;
  }

  json JsonObject(const std::vector<std::string>& args) const {
    std::vector<json> lines = JsonLines(args);
    REQUIRE(lines.size() == 1);
    return lines.front();
  }

  std::vector<std::string> Urls(const std::vector<std::string>& args) const {
    std::vector<std::string> urls;
    for (const json& hit : JsonLines(args)) urls.push_back(hit["url"]);
    return urls;
  }

 private:
  Deployment deployment_;
};

std::set<std::string> AsSet(const std::vector<std::string>& items) {
  return {items.begin(), items.end()};
}

TEST_CASE("search --sort date lists the newest first", "[e2e][search]") {
  const Archive archive;
  const std::vector<std::string> by_date = archive.Urls(
      {"search", "troops", "--feed", "Fixture World", "--sort", "date"});
  CHECK(by_date == std::vector<std::string>{kPlanUrl, kLebanonUrl, kGrainUrl});
  // By relevance, the article with troops in its title and text leads.
  const std::vector<std::string> by_relevance =
      archive.Urls({"search", "troops", "--feed", "Fixture World"});
  CHECK(AsSet(by_relevance) == AsSet(by_date));
  REQUIRE_FALSE(by_relevance.empty());
  CHECK(by_relevance.front() == kLebanonUrl);

  const ProcessResult bad = archive.Run({"search", "troops", "--sort", "new"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("expected relevance or date"));
}

TEST_CASE("search --since keeps recent articles, by duration or by day",
          "[e2e][search]") {
  const Archive archive;
  CHECK(AsSet(archive.Urls({"search", "zeppelin", "--since", "3d"})) ==
        std::set<std::string>{RecentUrl("tour"), RecentUrl("hangar"),
                              RecentUrl("maker")});
  CHECK(archive.Urls({"search", "zeppelin", "--since", "1w"}).size() == 4);
  CHECK(archive.Urls({"search", "zeppelin"}).size() == 5);
  CHECK(AsSet(archive.Urls({"search", "Ukraine", "--feed", "Fixture World",
                            "--since", "2025-11-22"})) ==
        std::set<std::string>{kPlanUrl, kEnergyUrl});

  const ProcessResult bad =
      archive.Run({"search", "zeppelin", "--since", "lately"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--since: expected a duration"));
}

TEST_CASE("search --feed keeps the named feeds' articles", "[e2e][search]") {
  const Archive archive;
  CHECK(archive.Urls({"search", "troops"}).size() == 4);
  CHECK(archive.Urls({"search", "troops", "--feed", "Recent Desk"}) ==
        std::vector<std::string>{RecentUrl("tour")});
  CHECK(AsSet(archive.Urls({"search", "troops", "--feed", "Fixture World"})) ==
        std::set<std::string>{kPlanUrl, kLebanonUrl, kGrainUrl});
  // Again for more feeds; names are case-insensitive.
  CHECK(archive
            .Urls({"search", "troops", "--feed=recent desk", "--feed",
                   "FIXTURE WORLD"})
            .size() == 4);
  for (const json& hit :
       archive.JsonLines({"search", "troops", "--feed", "fixture world"})) {
    CHECK(hit["feed"] == "Fixture World");
  }

  const ProcessResult unknown =
      archive.Run({"search", "troops", "--feed", "Nowhere"});
  CHECK(unknown.exit_code == 0);
  CHECK_THAT(unknown.err,
             Catch::Contains("warning: no configured feed is named "
                             "\"Nowhere\""));
  CHECK(unknown.out.empty());
}

TEST_CASE("search --json lists each snippet's highlighted words",
          "[e2e][search]") {
  const Archive archive;
  const std::vector<json> hits =
      archive.JsonLines({"search", "troop", "--feed", "Fixture World"});
  REQUIRE(hits.size() == 3);
  for (const json& hit : hits) {
    INFO(hit.dump());
    REQUIRE(hit.contains("highlights"));
    REQUIRE_FALSE(hit["highlights"].empty());
    const std::string snippet = hit["snippet"];
    size_t after = 0;
    for (const json& highlight : hit["highlights"]) {
      const std::string text = highlight;
      // The words stand in the snippet as given, in order.
      const size_t at = snippet.find(text, after);
      REQUIRE(at != std::string::npos);
      after = at + text.size();
      CHECK_THAT(text, Catch::StartsWith("troop", Catch::CaseSensitive::No));
    }
  }
}

TEST_CASE("search shows matched words in bold only on a terminal",
          "[e2e][search]") {
  const Archive archive;
  // Not a terminal: no escape sequences at all.
  const ProcessResult piped = archive.Run({"search", "troops"});
  INFO(piped.err);
  REQUIRE(piped.exit_code == 0);
  CHECK(piped.out.find('\x1b') == std::string::npos);

  const ProcessResult forced =
      archive.Run({"search", "troops", "--color=always"});
  REQUIRE(forced.exit_code == 0);
  CHECK_THAT(forced.out, Catch::Contains(std::string(kBoldOn) + "troops" +
                                         kBoldOff + " of tourists"));
  CHECK_THAT(forced.out, Catch::Contains("Some 800 " + std::string(kBoldOn) +
                                         "troops" + kBoldOff));
  CHECK(archive.Run({"search", "troops", "--color", "never"}).out == piped.out);

  // A line separator before the word is shown as a space, and the bold
  // still falls on the word.
  const ProcessResult hangar = archive.Run(
      {"search", "zeppelin", "hangar", "--color=always", "--limit", "1"});
  REQUIRE(hangar.exit_code == 0);
  CHECK_THAT(hangar.out,
             Catch::Contains("Fleet news the " + std::string(kBoldOn) +
                             "zeppelin" + kBoldOff + " " + kBoldOn + "hangar" +
                             kBoldOff + " reopened"));
  CHECK(hangar.out.find("\xE2\x80\xA8") == std::string::npos);
}

TEST_CASE("test-query counts the matches of each day of the window",
          "[e2e][test-query]") {
  const Archive archive;
  const ProcessResult text =
      archive.Run({"test-query", "zeppelin", "--feed", "Recent Desk"});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  const std::string& out = text.out;
  CHECK_THAT(out, Catch::StartsWith("test-query zeppelin\n"));
  CHECK_THAT(out, Catch::Contains("feeds:     Recent Desk\n"));
  CHECK_THAT(out, Catch::Contains("language:  en (default)\n"));
  const std::string full(40, '#');
  const std::string half = std::string(20, '#') + std::string(20, ' ');
  CHECK_THAT(
      out, Catch::Contains("  " + DateOf(DaysAgo(5)) + "  " + half + "  1\n  " +
                           DateOf(DaysAgo(2)) + "  " + half + "  1\n  " +
                           DateOf(DaysAgo(1)) + "  " + full + "  2\n"));
  CHECK_THAT(out, Catch::Contains("total:     4 article(s) on 3 day(s)\n"));
  // Day 5 through today, six days; the article 40 days ago is outside.
  CHECK_THAT(out, Catch::Contains("average:   0.67 a day over the 6 day(s) "
                                  "the archive covers (from " +
                                  DateOf(DaysAgo(5)) + ")\n"));
  CHECK_THAT(out, Catch::Contains("\nnewest hits:\n\n1. Zeppelin tour over "
                                  "the lake\n"));
  CHECK_THAT(out, Catch::Contains("\n4. Zeppelins return to the show\n"));
  CHECK(out.find("Old zeppelin photos") == std::string::npos);
}

TEST_CASE("test-query --json gives the days, the total and the hits",
          "[e2e][test-query]") {
  const Archive archive;
  const json result = archive.JsonObject({"test-query", "zeppelin"});
  CHECK(result["query"] == "zeppelin");
  CHECK(result["days"] ==
        json::array({{{"date", DateOf(DaysAgo(5))}, {"articles", 1}},
                     {{"date", DateOf(DaysAgo(2))}, {"articles", 1}},
                     {{"date", DateOf(DaysAgo(1))}, {"articles", 2}}}));
  CHECK(result["total"] == 4);
  CHECK(result["days_covered"] == 6);
  CHECK(result["covered_from"] == DateOf(DaysAgo(5)));
  CHECK(result["average_per_day"] == Approx(0.67));
  CHECK(result["warnings"].empty());
  CHECK(result["feeds"].empty());
  REQUIRE(result["hits"].size() == 4);
  // Newest first.
  CHECK(result["hits"][0]["url"] == RecentUrl("tour"));
  CHECK(result["hits"][1]["url"] == RecentUrl("hangar"));
  CHECK(result["hits"][2]["url"] == RecentUrl("maker"));
  CHECK(result["hits"][3]["url"] == RecentUrl("return"));
  CHECK(result["hits"][0]["highlights"] == json::array({"zeppelin"}));

  const json limited =
      archive.JsonObject({"test-query", "zeppelin", "--limit", "2"});
  CHECK(limited["total"] == 4);
  CHECK(limited["hits"].size() == 2);

  const json recent =
      archive.JsonObject({"test-query", "zeppelin", "--since", "3d"});
  CHECK(recent["total"] == 3);
  CHECK(recent["days"].size() == 2);

  const json all_time =
      archive.JsonObject({"test-query", "zeppelin", "--since", "2000-01-01"});
  CHECK(all_time["total"] == 5);
  CHECK(all_time["days"].size() == 4);
  CHECK(all_time["covered_from"] == "2025-11-20");  // world.rss's oldest.
}

TEST_CASE("test-query refuses a bad query and warns of a useless one",
          "[e2e][test-query]") {
  const Archive archive;
  const ProcessResult bad = archive.Run({"test-query", "(zeppelin"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("unbalanced parentheses"));
  CHECK(bad.out.empty());

  const ProcessResult never =
      archive.Run({"test-query", "zeppelin", "NOT", "zeppelin"});
  INFO(never.err);
  CHECK(never.exit_code == 0);
  CHECK_THAT(never.err,
             Catch::Contains("test-query: warning: can never match: "));
  CHECK_THAT(never.out, Catch::Contains("total:     0 article(s) on 0 day(s)"));
}

TEST_CASE("explain shows why a saved search matches an article",
          "[e2e][explain]") {
  const Archive archive;
  const ProcessResult text =
      archive.Run({"explain", "Ukraine troop caps", kPlanUrl});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  const std::string& out = text.out;
  CHECK_THAT(out, Catch::StartsWith("search:    Ukraine troop caps\n"
                                    "query:     Ukraine AND troop cap\n"));
  CHECK_THAT(out, Catch::Contains("\nresult:    matches\n"));
  CHECK_THAT(out, Catch::Contains("\nalert:     recorded "));
  CHECK_THAT(out, Catch::Contains("console: sent"));
  CHECK(CountOccurrences(out, "  [x] ") == 3);
  CHECK(CountOccurrences(out, "  [ ] ") == 0);
  CHECK_THAT(out, Catch::Contains("in text: troops"));

  const json result =
      archive.JsonObject({"explain", "Ukraine troop caps", kPlanUrl});
  CHECK(result["search"] == "Ukraine troop caps");
  CHECK(result["matches"] == true);
  CHECK(result["missing"].empty());
  CHECK(result["article"]["url"] == kPlanUrl);
  CHECK(result["article"]["feed"] == "Fixture World");
  REQUIRE(result["leaves"].size() == 3);
  for (const json& leaf : result["leaves"]) {
    INFO(leaf.dump());
    CHECK(leaf["matched"] == true);
    CHECK(leaf["negated"] == false);
    CHECK_FALSE(leaf["fields"].empty());
    CHECK_FALSE(leaf["matched_words"].empty());
  }
  CHECK(result["alert"]["recorded"] == true);
  CHECK(result["alert"]["deliveries"][0]["notifier"] == "console");
}

TEST_CASE("explain shows what a non-matching article lacks", "[e2e][explain]") {
  const Archive archive;
  const ProcessResult text =
      archive.Run({"explain", "Ukraine troop caps", kEnergyUrl});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("\nresult:    does not match\n"));
  CHECK_THAT(text.out, Catch::Contains("\nalert:     none recorded\n"));
  CHECK_THAT(text.out, Catch::Contains("\nmissing:   troop\n"));
  CHECK_THAT(text.out, Catch::Contains("  [ ] troop    not in the article\n"));

  const json result =
      archive.JsonObject({"explain", "Ukraine troop caps", kEnergyUrl});
  CHECK(result["matches"] == false);
  CHECK(result["missing"] == json::array({"troop"}));
  CHECK(result["alert"] == json({{"recorded", false}}));
}

TEST_CASE("explain reads a name no search has as a query", "[e2e][explain]") {
  const Archive archive;
  const ProcessResult text =
      archive.Run({"explain", "zeppelin AND hangar", RecentUrl("hangar")});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("read as a query"));
  CHECK_THAT(text.out, Catch::Contains("\nresult:    matches\n"));

  const json result =
      archive.JsonObject({"explain", "zeppelin NOT tour", RecentUrl("tour")});
  CHECK(result["search"] == nullptr);
  CHECK(result["matches"] == false);
  CHECK(result["alert"] == nullptr);
  REQUIRE(result["leaves"].size() == 2);
  CHECK(result["leaves"][1]["negated"] == true);
  CHECK(result["leaves"][1]["matched"] == true);

  const ProcessResult neither =
      archive.Run({"explain", "(unbalanced", RecentUrl("tour")});
  CHECK(neither.exit_code == 2);
  CHECK_THAT(neither.err, Catch::Contains("no saved search is named"));
}

TEST_CASE("explain of an unknown article URL exits 1", "[e2e][explain]") {
  const Archive archive;
  const ProcessResult result = archive.Run(
      {"explain", "Zeppelins", "https://recent.example.org/nothing"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err,
             Catch::Contains("no article in the archive has the link or id "
                             "\"https://recent.example.org/nothing\""));
  CHECK(result.out.empty());
}

TEST_CASE("The top-level help lists test-query and explain", "[e2e][search]") {
  const ProcessResult help = RunProcess({NEWSWATCH_BINARY, "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("\n  test-query QUERY "));
  CHECK_THAT(help.out, Catch::Contains("\n  explain SEARCH URL "));
}

}  // namespace
}  // namespace newswatch::testing
