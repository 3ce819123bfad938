#include "indexer/query_lint.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "indexer/query.h"

namespace newswatch::indexer {
namespace {

// 2025-12-01T00:00:00Z: "now" for every test, so dates are fixed.
constexpr std::int64_t kNow = 1764547200;

std::vector<std::string> Lint(const std::string& text,
                              std::int64_t now = kNow) {
  config::Result<QueryNode> parsed = ParseQuery(text);
  INFO("query: " << text);
  INFO("error: " << (parsed.ok() ? "" : parsed.error().what));
  REQUIRE(parsed.ok());
  return LintQuery(parsed.value(), now);
}

// The one finding for `text`; fails unless there is exactly one.
std::string Finding(const std::string& text, std::int64_t now = kNow) {
  const std::vector<std::string> findings = Lint(text, now);
  INFO("query: " << text);
  for (const std::string& finding : findings) INFO("finding: " << finding);
  REQUIRE(findings.size() == 1);
  return findings.front();
}

void CheckQuiet(const std::string& text, std::int64_t now = kNow) {
  const std::vector<std::string> findings = Lint(text, now);
  INFO("query: " << text);
  CHECK(findings.empty());
  for (const std::string& finding : findings) FAIL_CHECK(finding);
}

TEST_CASE("LintQuery is quiet on ordinary queries", "[lint]") {
  for (const char* query : {
           "Ukraine AND troop cap",
           "title:ukraine -sport",
           "sanction*",
           "Ukraine troops OR soldiers",
           "troop NEAR/3 cap",
           "\"price cap\" -\"price cap rule\"",
           "feed:bbc",
           "feed:bbc since:7d",
           "lang:de Truppen",
           "lang:de lang:de-at Truppen",
           "site:bbc.co.uk site:news.bbc.co.uk x",
           "category:politics category:economy",
           "ukraine published:2025-11-01..",
           "ukraine published:2025-12-01",
           "ukraine since:2w published:2025-11-20..",
           "US OR UK",
           "author:the",
           "ukraine -(the OR of)",
           "oil -published:2020-01-01..2020-12-31",
           "sanction* -sanctioned",
           "title:ukraine -author:ukraine",
           "oil gas -(oil pipeline)",
           "oil -(gas OR pipeline)",
       }) {
    CheckQuiet(query);
  }
}

// ---- matches nearly every article ----

TEST_CASE("LintQuery warns about a query that only excludes", "[lint]") {
  CHECK(Finding("-sport") ==
        "matches nearly every article: NOT sport only excludes, so every "
        "other article matches; add a word or field an article must have.");
  CHECK_THAT(Finding("NOT sport -football"),
             Catch::StartsWith("matches nearly every article: (NOT sport AND "
                               "NOT football) only excludes"));
  CHECK_THAT(Finding("ukraine OR -sport"),
             Catch::StartsWith("matches nearly every article: the alternative "
                               "NOT sport only excludes"));
  CHECK_THAT(Finding("(-a -b) OR c"),
             Catch::Contains("the alternative (NOT a AND NOT b)"));
}

TEST_CASE("LintQuery warns when every way to match is a stopword", "[lint]") {
  CHECK(Finding("the OR of") ==
        "matches nearly every article: it can match on the alone, and "
        "stopwords are in nearly every article; add a rarer word.");
  CHECK_THAT(Finding("The"), Catch::Contains("it can match on The alone"));
  CHECK_THAT(Finding("the of -sport"),
             Catch::Contains("it can match on the and of alone"));
  CHECK_THAT(Finding("ukraine OR (the a)"),
             Catch::Contains("on the and a alone"));
  CHECK_THAT(Finding("\"of the\""),
             Catch::StartsWith("matches nearly every article: it can match on "
                               "\"of the\" alone"));
  CHECK_THAT(Finding("the NEAR/3 of"),
             Catch::Contains("on (the NEAR/3 of) alone"));
  CHECK_THAT(Finding("title:the"), Catch::Contains("on title:the alone"));
}

TEST_CASE("LintQuery warns about short prefixes and a lone '*'", "[lint]") {
  CHECK(Finding("ab*") ==
        "matches nearly every article: it can match on ab* alone, and a "
        "prefix shorter than 3 characters starts most words; add a rarer "
        "word.");
  CHECK_THAT(Finding("éa* OR sanctions"), Catch::Contains("on éa* alone"));
  CHECK_THAT(Finding("* -sport"), Catch::Contains("on * alone") &&
                                      Catch::Contains("* matches every"));
  CHECK_THAT(Finding("the ab*"),
             Catch::Contains("stopwords are in nearly every article and a "
                             "prefix shorter than 3 characters"));
  CheckQuiet("abc*");
  CheckQuiet("ab* sanctions");
}

TEST_CASE("LintQuery warns about a query that is only a date", "[lint]") {
  CHECK_THAT(Finding("since:7d"),
             Catch::StartsWith("matches nearly every article: it can match on "
                               "since:1w alone") &&
                 Catch::Contains("a date hardly narrows new articles"));
  CHECK_THAT(Finding("published:2025-11-01.."),
             Catch::Contains("on published:2025-11-01.. alone"));
  CHECK_THAT(Finding("ukraine OR since:2d"),
             Catch::Contains("on since:2d alone"));
}

// ---- can never match ----

TEST_CASE("LintQuery finds a part both required and excluded", "[lint]") {
  CHECK(Finding("a -a") ==
        "can never match: a is required but NOT a excludes every article "
        "that has it.");
  CHECK_THAT(Finding("Ukraine troops -ukraine"),
             Catch::StartsWith("can never match: Ukraine is required but NOT "
                               "ukraine excludes"));
  CHECK(Finding("(oil gas) -(oil gas)") ==
        "can never match: oil and gas are required but NOT (oil AND gas) "
        "excludes every article that has them.");
  CHECK_THAT(Finding("oil gas -(gas oil)"),
             Catch::Contains("gas and oil are required but NOT (gas AND oil)"));
  CHECK_THAT(Finding("oil -(gas OR Oil)"),
             Catch::Contains("oil is required but NOT (gas OR Oil)"));
  CHECK_THAT(Finding("(oil OR gas) -(oil OR gas)"),
             Catch::Contains("(oil OR gas) is required"));
  CHECK_THAT(Finding("x (a (b -a))"), Catch::Contains("a is required"));
  CHECK_THAT(Finding("title:x -x"),
             Catch::Contains("title:x is required but NOT x"));
  CHECK_THAT(Finding("sanction* -sanc*"),
             Catch::Contains("sanction* is required but NOT sanc*"));
  CHECK_THAT(Finding("feed:bbc -feed:BBC"),
             Catch::Contains("feed:bbc is required"));
  // Only within one alternative of an OR; the query can still match.
  CHECK_THAT(Finding("(a -a) OR b"),
             Catch::StartsWith("can never match: a is required"));
}

TEST_CASE("LintQuery finds NOT * excludes everything", "[lint]") {
  CHECK(Finding("x -*") == "can never match: NOT * excludes every article.");
  CHECK(Finding("-*") == "can never match: NOT * excludes every article.");
}

TEST_CASE("LintQuery finds two values an article cannot both have", "[lint]") {
  CHECK(Finding("lang:de lang:fr x") ==
        "can never match: lang:de and lang:fr are both required, but an "
        "article has one language.");
  CHECK_THAT(Finding("lang:de-at lang:de-ch x"), Catch::Contains("lang:de-at"));
  CHECK_THAT(Finding("feed:bbc feed:cnn"),
             Catch::Contains("but an article has one feed"));
  CHECK_THAT(Finding("site:bbc.co.uk site:cnn.com x"),
             Catch::Contains("but an article has one host"));
  CHECK_THAT(Finding("site:bbc.co.uk site:xbbc.co.uk x"),
             Catch::Contains("one host"));
}

TEST_CASE("LintQuery finds a published: range that has ended", "[lint]") {
  CHECK(Finding("ukraine published:2025-11-01..2025-11-30") ==
        "can never match: published:2025-11-01..2025-11-30 ended on "
        "2025-11-30, and saved searches run on new articles.");
  CHECK_THAT(Finding("ukraine published:..2025-06-30"),
             Catch::Contains("published:..2025-06-30 ended on 2025-06-30"));
  CHECK_THAT(Finding("ukraine OR x published:2024-01-01"),
             Catch::Contains("ended on 2024-01-01"));
  // The same range is fine while it lasts.
  CheckQuiet("ukraine published:2025-11-01..2025-11-30", kNow - 86400);
}

TEST_CASE("LintQuery finds since: after a published: range's end", "[lint]") {
  CHECK(Finding("ukraine since:7d published:..2025-11-20") ==
        "can never match: published:..2025-11-20 ended on 2025-11-20, before "
        "since:1w begins (2025-11-24).");
}

TEST_CASE("LintQuery finds published: ranges that do not overlap", "[lint]") {
  CHECK(Finding("x published:2026-01-01 published:2026-02-01..") ==
        "can never match: published:2026-01-01 and published:2026-02-01.. do "
        "not overlap.");
}

TEST_CASE("LintQuery reports nothing broad for a query that cannot match",
          "[lint]") {
  // The stopword alone would be broad; the contradiction is what matters.
  CHECK_THAT(Finding("the -the"), Catch::StartsWith("can never match: "));
}

TEST_CASE("Every finding is one sentence with the promised start", "[lint]") {
  for (const char* query :
       {"-a", "the", "ab*", "a -a", "-*", "lang:de lang:fr",
        "x published:2025-01-01", "x since:1d published:..2025-01-01",
        "x published:2026-01-01 published:2026-03-01"}) {
    for (const std::string& finding : Lint(query)) {
      INFO(query << ": " << finding);
      const bool starts = finding.starts_with("can never match: ") ||
                          finding.starts_with("matches nearly every article: ");
      CHECK(starts);
      CHECK(finding.ends_with("."));
      CHECK(finding.find('\n') == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace newswatch::indexer
