#include "indexer/matcher.h"

#include <catch2/catch.hpp>
#include <map>
#include <utility>

#include "indexer/text_encoding.h"
#include "tests/support/temp_dir.h"

namespace newswatch::indexer {
namespace {

config::Search MakeSearch(const std::string& name, const std::string& query) {
  // Field by field, so that options added to Search keep their defaults.
  config::Search search;
  search.name = name;
  search.query = query;
  return search;
}

Article MakeArticle(const std::string& id, const std::string& text) {
  Article article;
  article.id = id;
  article.title = text;
  article.feed_name = "World";
  return article;
}

TEST_CASE("Matcher::Validate names every search whose query does not parse",
          "[matcher]") {
  const auto errors = Matcher::Validate({MakeSearch("good", "troop cap"),
                                         MakeSearch("open", "(troop cap"),
                                         MakeSearch("dangling", "troop AND")});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].where == "search \"open\"");
  CHECK_THAT(errors[0].what, Catch::Contains("unbalanced parentheses"));
  CHECK(errors[1].where == "search \"dangling\"");
  CHECK_THAT(errors[1].what, Catch::Contains("nothing after it"));
  CHECK_FALSE(Matcher::Create({MakeSearch("open", "(troop cap")}).ok());
}

TEST_CASE("Matcher matches each search against the batch's articles only",
          "[matcher]") {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir.path() / "index");
  REQUIRE(index.ok());
  REQUIRE(index.value()
              ->WriteBatch(1, {MakeArticle("old", "troops and caps")})
              .ok());
  REQUIRE(index.value()
              ->WriteBatch(2, {MakeArticle("new-both", "troop caps in Kyiv"),
                               MakeArticle("new-one", "troops in Kyiv")})
              .ok());
  auto matcher = Matcher::Create(
      {MakeSearch("caps", "troop cap"), MakeSearch("kyiv", "Kyiv")});
  REQUIRE(matcher.ok());

  auto matches = matcher.value().MatchBatch(*index.value(), 2, 0);
  REQUIRE(matches.ok());
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const SearchMatch& match : matches.value()) {
    pairs.emplace_back(match.search_name, match.hit.article.id);
  }
  std::sort(pairs.begin(), pairs.end());
  CHECK(pairs ==
        std::vector<std::pair<std::string, std::string>>{
            {"caps", "new-both"}, {"kyiv", "new-both"}, {"kyiv", "new-one"}});

  auto first_batch = matcher.value().MatchBatch(*index.value(), 1, 0);
  REQUIRE(first_batch.ok());
  REQUIRE(first_batch.value().size() == 1);
  CHECK(first_batch.value().front().hit.article.id == "old");
}

TEST_CASE("Matcher reports each match's matched terms", "[matcher]") {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir.path() / "index");
  REQUIRE(index.ok());
  REQUIRE(index.value()
              ->WriteBatch(1, {MakeArticle("a", "Ukraine's troops face caps"),
                               MakeArticle("b", "Troops leave Kyiv")})
              .ok());
  auto matcher = Matcher::Create(
      {MakeSearch("seed", "Ukraine AND troop cap"),
       MakeSearch("either", "(Kyiv OR Ukraine) troops -sanctions")});
  REQUIRE(matcher.ok());
  auto matches = matcher.value().MatchBatch(*index.value(), 1, 0);
  REQUIRE(matches.ok());
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> terms;
  for (const SearchMatch& match : matches.value()) {
    terms[{match.search_name, match.hit.article.id}] = match.hit.matched_terms;
  }
  using Terms = std::vector<std::string>;
  CHECK(terms.size() == 3);
  CHECK(terms[{"seed", "a"}] == Terms{"ukraine", "troop", "cap"});
  CHECK(terms[{"either", "a"}] == Terms{"ukraine", "troops"});
  CHECK(terms[{"either", "b"}] == Terms{"kyiv", "troops"});
}

TEST_CASE("Matcher verifies only the searches a batch's terms select",
          "[matcher]") {
  auto matcher = Matcher::Create(
      {MakeSearch("caps", "troop cap"), MakeSearch("not-sport", "-sport"),
       MakeSearch("dated", "since:2d"),
       MakeSearch("either", "kyiv OR sanction*"), MakeSearch("anything", "*")});
  REQUIRE(matcher.ok());
  const MatcherStats stats = matcher.value().Stats();
  CHECK(stats.searches == 5);
  // A pure negation, a date alone and a lone wildcard need no term.
  CHECK(stats.always_verified == 3);
  CHECK(stats.memory_bytes > 0);

  Article dated = MakeArticle("a", "Sanctioned troops in Kyiv");
  dated.published = 1000 * 86400;
  Article sport = MakeArticle("b", "Sport results");
  sport.published = 990 * 86400;
  const auto batch = AnalyseArticles({dated, sport});
  const std::vector<MatchPair> pairs =
      matcher.value().Match(*batch, 1001 * 86400);
  CHECK(pairs ==
        std::vector<MatchPair>{{1, 0}, {2, 0}, {3, 0}, {4, 0}, {4, 1}});
  CHECK(pairs == matcher.value().Match(*batch, 1001 * 86400,
                                       Matcher::Strategy::kEveryQuery));
}

TEST_CASE("Matcher matches phrases, proximity and fields by position",
          "[matcher]") {
  Article article = MakeArticle("a", "Defence ministers");
  article.text = "The air-defence systems reached the front line near Kharkiv.";
  article.author = "Anna Smith";
  article.link = "https://news.bbc.co.uk/world/1";
  article.categories = {"World News"};
  article.language = "en-gb";
  const auto batch = AnalyseArticles({article});
  struct Case {
    std::string query;
    bool matches;
  };
  const std::vector<Case> cases = {
      {"\"front line\"", true},
      {"\"line front\"", false},
      {"air-defence", true},
      {"systems NEAR/3 front", true},
      {"systems NEAR/2 front", false},
      {"front NEAR/3 systems", true},
      {"front ADJ/3 systems", false},
      {"systems ADJ/3 front", true},
      {"title:ministers", true},
      {"title:systems", false},
      {"title:\"defence ministers\"", true},
      {"author:smith", true},
      {"site:bbc.co.uk", true},
      {"site:cnn.com", false},
      {"category:\"world news\"", true},
      {"lang:en", true},
      {"lang:de", false},
      {"kharkiv*", true},
      {"minist*", true},
      {"title:syst*", false},
  };
  for (const Case& test : cases) {
    INFO(test.query);
    auto matcher = Matcher::Create({MakeSearch("s", test.query)});
    REQUIRE(matcher.ok());
    CHECK(matcher.value().Match(*batch, 0).empty() != test.matches);
  }
}

TEST_CASE("Matcher snippets show the text around the first matched word",
          "[matcher]") {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir.path() / "index");
  REQUIRE(index.ok());
  Article article = MakeArticle("a", "Energy");
  std::string text;
  for (int i = 0; i < 60; ++i) text += "filler ";
  text += "Gas prices rose again in the winter. ";
  for (int i = 0; i < 60; ++i) text += "padding ";
  article.text = text;
  REQUIRE(index.value()->WriteBatch(1, {article}).ok());
  auto matcher = Matcher::Create({MakeSearch("gas", "price")});
  REQUIRE(matcher.ok());
  auto matches = matcher.value().MatchBatch(*index.value(), 1, 0);
  REQUIRE(matches.ok());
  REQUIRE(matches.value().size() == 1);
  const std::string& snippet = matches.value().front().hit.snippet;
  CHECK_THAT(snippet, Catch::Contains("Gas prices rose"));
  CHECK(snippet.rfind("…", 0) == 0);
  CHECK(snippet.size() < 300);
  CHECK(matches.value().front().hit.matched_terms ==
        std::vector<std::string>{"price"});
}

TEST_CASE("Alert snippets keep the matched word and whole characters",
          "[matcher][snippet]") {
  auto snippet_of = [](const std::string& text, const std::string& query) {
    testing::TempDir dir;
    auto index = Index::OpenWritable(dir.path() / "index");
    REQUIRE(index.ok());
    Article article = MakeArticle("a", "Title");
    article.text = text;
    REQUIRE(index.value()->WriteBatch(1, {article}).ok());
    auto matcher = Matcher::Create({MakeSearch("s", query)});
    REQUIRE(matcher.ok());
    auto matches = matcher.value().MatchBatch(*index.value(), 1, 0);
    REQUIRE(matches.ok());
    REQUIRE(matches.value().size() == 1);
    return matches.value().front().hit.snippet;
  };
  // The word is followed by a long run without spaces (a URL).
  const std::string url(300, 'x');
  CHECK_THAT(snippet_of(std::string(100, 'a') + " bb troops " + url, "troop"),
             Catch::Contains("troops"));
  // Lower-casing changes the byte length of characters before the word
  // (U+212A KELVIN SIGN is 3 bytes, its lower case 1; U+023A is 2, its
  // lower case 3): offsets still point at the word, on whole characters.
  std::string shifted = "\u212A";
  for (int i = 0; i < 40; ++i) shifted += " \u023A\u023A filler words";
  const std::string snippet =
      snippet_of(shifted + " troops ahead " + url, "troop");
  CHECK_THAT(snippet, Catch::Contains("troops"));
  CHECK(IsValidUtf8(snippet));
  // After typographic punctuation a word still starts.
  CHECK_THAT(
      snippet_of(std::string(400, 'z') + " \u201CTroops\u201D " + url, "troop"),
      Catch::Contains("Troops"));
}

TEST_CASE("Matcher matches a batch read back from the index after a restart",
          "[matcher]") {
  testing::TempDir dir;
  {
    auto index = Index::OpenWritable(dir.path() / "index");
    REQUIRE(index.ok());
    REQUIRE(index.value()
                ->WriteBatch(7, {MakeArticle("a", "The front line moved"),
                                 MakeArticle("b", "A line at the front")})
                .ok());
  }
  auto index = Index::OpenWritable(dir.path() / "index");
  REQUIRE(index.ok());
  auto matcher = Matcher::Create({MakeSearch("phrase", "\"front line\"")});
  REQUIRE(matcher.ok());
  auto matches = matcher.value().MatchBatch(*index.value(), 7, 0);
  REQUIRE(matches.ok());
  REQUIRE(matches.value().size() == 1);
  CHECK(matches.value().front().hit.article.id == "a");
}

}  // namespace
}  // namespace newswatch::indexer
