#include "indexer/matcher.h"

#include <catch2/catch.hpp>
#include <map>
#include <utility>

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

}  // namespace
}  // namespace newswatch::indexer
