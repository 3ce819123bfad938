#include "indexer/index.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "tests/support/temp_dir.h"

// Matched terms by article id, printed readably when a check fails.
template <>
struct Catch::StringMaker<std::map<std::string, std::vector<std::string>>> {
  static std::string convert(
      const std::map<std::string, std::vector<std::string>>& terms_by_id) {
    std::string out = "{";
    for (const auto& [id, terms] : terms_by_id) {
      out += " " + id + ": " + Catch::Detail::stringify(terms);
    }
    return out + " }";
  }
};

namespace newswatch::indexer {
namespace {

Article MakeArticle(const std::string& id, const std::string& title,
                    const std::string& text) {
  Article article;
  article.id = id;
  article.feed_url = "https://feeds.example.org/world.rss";
  article.feed_name = "World";
  article.title = title;
  article.link = "https://news.example.org/" + id;
  article.text = text;
  article.published = 1763890200;  // 2025-11-23T09:30:00Z
  return article;
}

// An index in a temporary directory holding `articles` as batch 1.
class IndexFixture {
 public:
  explicit IndexFixture(const std::vector<Article>& articles) {
    auto opened = Index::OpenWritable(dir_.path() / "index");
    REQUIRE(opened.ok());
    index_ = std::move(opened).value();
    REQUIRE(index_->WriteBatch(1, articles).ok());
  }

  std::set<std::string> Matching(const std::string& query_text) {
    config::Result<QueryNode> query = ParseQuery(query_text);
    INFO("query: " << query_text);
    REQUIRE(query.ok());
    auto hits = index_->Search(query.value(), {});
    REQUIRE(hits.ok());
    std::set<std::string> ids;
    for (const SearchHit& hit : hits.value()) ids.insert(hit.article.id);
    return ids;
  }

  // Each hit's matched terms, by article id.
  std::map<std::string, std::vector<std::string>> MatchedTerms(
      const std::string& query_text) {
    config::Result<QueryNode> query = ParseQuery(query_text);
    INFO("query: " << query_text);
    REQUIRE(query.ok());
    auto hits = index_->Search(query.value(), {});
    REQUIRE(hits.ok());
    std::map<std::string, std::vector<std::string>> terms;
    for (const SearchHit& hit : hits.value()) {
      terms[hit.article.id] = hit.matched_terms;
    }
    return terms;
  }

  Index& index() { return *index_; }
  const testing::TempDir& dir() const { return dir_; }

 private:
  testing::TempDir dir_;
  std::unique_ptr<Index> index_;
};

using Ids = std::set<std::string>;

TEST_CASE("Words match their inflections and possessives", "[index]") {
  IndexFixture fixture({
      MakeArticle("plural", "Limits on troops", "The caps would apply."),
      MakeArticle("possessive-curly", "Ukraine’s army", "No match words."),
      MakeArticle("possessive-straight", "Kyiv's position", "Plain text."),
      MakeArticle("singular", "A troop and a cap", "Nothing else."),
  });
  CHECK(fixture.Matching("troop") == Ids{"plural", "singular"});
  CHECK(fixture.Matching("troops") == Ids{"plural", "singular"});
  CHECK(fixture.Matching("caps") == Ids{"plural", "singular"});
  CHECK(fixture.Matching("Ukraine") == Ids{"possessive-curly"});
  CHECK(fixture.Matching("Ukraine's") == Ids{"possessive-curly"});
  CHECK(fixture.Matching("Kyiv") == Ids{"possessive-straight"});
}

TEST_CASE("Matching is case-insensitive", "[index]") {
  IndexFixture fixture({MakeArticle("a", "NATO summit", "in GENEVA today")});
  CHECK(fixture.Matching("nato geneva") == Ids{"a"});
  CHECK(fixture.Matching("Nato GeNeVa") == Ids{"a"});
}

TEST_CASE("The seed query needs every word", "[index]") {
  IndexFixture fixture({
      MakeArticle("all", "Caps on Ukraine’s armed forces",
                  "Ukrainian troops would withdraw."),
      MakeArticle("two-of-three", "Energy price cap",
                  "Ukraine will keep the cap."),
      MakeArticle("one-of-three", "Peacekeeping troops rotate", "Lebanon."),
  });
  CHECK(fixture.Matching("Ukraine AND troop cap") == Ids{"all"});
  CHECK(fixture.Matching("troop cap") == Ids{"all"});
}

TEST_CASE("OR, NOT, -word and parentheses combine as written", "[index]") {
  IndexFixture fixture({
      MakeArticle("oil", "Oil prices", "Sanctions bite."),
      MakeArticle("gas", "Gas prices", "Storage is full."),
      MakeArticle("both", "Oil and gas", "Sanctions again."),
  });
  CHECK(fixture.Matching("oil OR gas") == Ids{"oil", "gas", "both"});
  CHECK(fixture.Matching("prices NOT sanctions") == Ids{"gas"});
  CHECK(fixture.Matching("prices -sanctions") == Ids{"gas"});
  CHECK(fixture.Matching("(oil OR gas) sanctions") == Ids{"oil", "both"});
  CHECK(fixture.Matching("NOT oil") == Ids{"gas"});
  CHECK(fixture.Matching("-(oil OR gas)").empty());
}

TEST_CASE("Phrases match the exact words in order", "[index]") {
  IndexFixture fixture({
      MakeArticle("exact", "Price cap extended", "The price cap stays."),
      MakeArticle("reversed", "Cap price", "A cap on the price."),
      MakeArticle("inflected", "Price caps", "Several price caps."),
  });
  CHECK(fixture.Matching("\"price cap\"") == Ids{"exact"});
  CHECK(fixture.Matching("\"PRICE CAP\"") == Ids{"exact"});
  CHECK(fixture.Matching("\"price caps\"") == Ids{"inflected"});
}

TEST_CASE("A hyphenated query word matches its parts in order", "[index]") {
  IndexFixture fixture({
      MakeArticle("hyphen", "Air-defence systems", "Delivered."),
      MakeArticle("spaced", "Air defence systems", "Delivered."),
      MakeArticle("apart", "Defence of the air", "Nothing."),
  });
  CHECK(fixture.Matching("air-defence") == Ids{"hyphen", "spaced"});
}

TEST_CASE("Phrases do not span the title and the text", "[index]") {
  IndexFixture fixture({MakeArticle("a", "Talks in Geneva", "Peace plan.")});
  CHECK(fixture.Matching("\"geneva peace\"").empty());
  CHECK(fixture.Matching("geneva peace") == Ids{"a"});
}

using Terms = std::vector<std::string>;
using TermsById = std::map<std::string, Terms>;

TEST_CASE("Matched terms are the query's words, whatever form matched",
          "[index][matched_terms]") {
  IndexFixture fixture({
      MakeArticle("seed", "Caps on Ukraine’s armed forces",
                  "Ukraine's troops would withdraw."),
  });
  CHECK(fixture.MatchedTerms("Ukraine AND troop cap") ==
        TermsById{{"seed", {"ukraine", "troop", "cap"}}});
  // As written, lowercased: not the stem, not the article's form.
  CHECK(fixture.MatchedTerms("TROOPS Ukraine's") ==
        TermsById{{"seed", {"troops", "ukraine's"}}});
  // Query order, not article order.
  CHECK(fixture.MatchedTerms("withdraw caps") ==
        TermsById{{"seed", {"withdraw", "caps"}}});
  // Deduplicated after lowercasing; different words stay apart.
  CHECK(fixture.MatchedTerms("troop Troop (TROOP OR troops)") ==
        TermsById{{"seed", {"troop", "troops"}}});
}

TEST_CASE("Matched terms leave out words under NOT", "[index][matched_terms]") {
  IndexFixture fixture({
      MakeArticle("oil", "Oil prices", "Sanctions bite."),
      MakeArticle("gas", "Gas prices", "Storage is full."),
      MakeArticle("both", "Oil and gas", "Sanctions again."),
  });
  CHECK(fixture.MatchedTerms("prices -sanctions") ==
        TermsById{{"gas", {"prices"}}});
  CHECK(fixture.MatchedTerms("prices NOT (oil OR sanctions)") ==
        TermsById{{"gas", {"prices"}}});
  CHECK(fixture.MatchedTerms("NOT oil") == TermsById{{"gas", {}}});
  // A negated word that is absent did not match either.
  CHECK(fixture.MatchedTerms("gas -storage") == TermsById{{"both", {"gas"}}});
  // Nor does one that is present, in a hit that another alternative made.
  CHECK(fixture.MatchedTerms("sanctions OR -gas") ==
        TermsById{{"oil", {"sanctions"}}, {"both", {"sanctions"}}});
  // Nor under a double negation.
  CHECK(fixture.MatchedTerms("-(oil -sanctions)") ==
        TermsById{{"oil", {}}, {"gas", {}}, {"both", {}}});
}

TEST_CASE("Matched terms of an OR are the alternatives that matched",
          "[index][matched_terms]") {
  IndexFixture fixture({
      MakeArticle("oil", "Oil prices", "Sanctions bite."),
      MakeArticle("gas", "Gas prices", "Storage is full."),
      MakeArticle("both", "Oil and gas", "Sanctions again."),
  });
  // One search, several hits: each gets its own.
  CHECK(
      fixture.MatchedTerms("oil OR gas") ==
      TermsById{{"oil", {"oil"}}, {"gas", {"gas"}}, {"both", {"oil", "gas"}}});
  CHECK(fixture.MatchedTerms("(oil OR gas) sanctions") ==
        TermsById{{"oil", {"oil", "sanctions"}},
                  {"both", {"oil", "gas", "sanctions"}}});
  // An alternative that matched only in part contributes nothing: "oil" is
  // in the article, but `oil storage` did not match it.
  CHECK(fixture.MatchedTerms("(oil storage) OR sanctions") ==
        TermsById{{"oil", {"sanctions"}}, {"both", {"sanctions"}}});
  // Nor does an alternative that its own NOT ruled out.
  CHECK(fixture.MatchedTerms("sanctions OR (oil -gas)") ==
        TermsById{{"oil", {"sanctions", "oil"}}, {"both", {"sanctions"}}});
}

TEST_CASE("A phrase is a matched term only when the phrase matched",
          "[index][matched_terms]") {
  IndexFixture fixture({
      MakeArticle("exact", "Price cap extended", "The price cap stays."),
      MakeArticle("reversed", "Cap price", "A cap on the price."),
      MakeArticle("inflected", "Price caps", "Several price caps."),
  });
  CHECK(fixture.MatchedTerms("\"price cap\" OR \"price caps\" OR extended") ==
        TermsById{{"exact", {"price cap", "extended"}},
                  {"inflected", {"price caps"}}});
  // Both words are in "reversed", but not as the phrase.
  CHECK(fixture.MatchedTerms("\"price cap\" OR \"on the price\"") ==
        TermsById{{"exact", {"price cap"}}, {"reversed", {"on the price"}}});
  // Lowercased, without quotes, whitespace made single spaces.
  CHECK(fixture.MatchedTerms("\" Price \t CAP \" stays") ==
        TermsById{{"exact", {"price cap", "stays"}}});
}

TEST_CASE("A hyphenated word is a matched term as written",
          "[index][matched_terms]") {
  IndexFixture fixture({
      MakeArticle("spaced", "Air defence systems", "Delivered."),
      MakeArticle("apart", "Defence of the air", "Systems delivered."),
  });
  CHECK(fixture.MatchedTerms("Air-Defence OR systems") ==
        TermsById{{"spaced", {"air-defence", "systems"}},
                  {"apart", {"systems"}}});
}

TEST_CASE("Words found only in the title are matched terms",
          "[index][matched_terms]") {
  IndexFixture fixture({
      MakeArticle("title-only", "Troops rotate in Lebanon", "Nothing here."),
      MakeArticle("text-only", "Nothing here", "Troops rotate in Lebanon."),
  });
  CHECK(fixture.MatchedTerms("troop \"rotate in lebanon\"") ==
        TermsById{{"title-only", {"troop", "rotate in lebanon"}},
                  {"text-only", {"troop", "rotate in lebanon"}}});
}

TEST_CASE("Matched terms hold within a batch filter and a limit",
          "[index][matched_terms]") {
  IndexFixture fixture({MakeArticle("old", "Troops move", "Old news.")});
  REQUIRE(fixture.index()
              .WriteBatch(2, {MakeArticle("new", "Caps again", "New."),
                              MakeArticle("newer", "Troops again", "New.")})
              .ok());
  auto query = ParseQuery("troops OR caps");
  REQUIRE(query.ok());
  SearchOptions options;
  options.batch_id = 2;
  options.limit = 1;
  auto hits = fixture.index().Search(query.value(), options);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  const SearchHit& hit = hits.value().front();
  CHECK(hit.matched_terms ==
        Terms{hit.article.id == "new" ? "caps" : "troops"});
}

TEST_CASE("Writing an article again replaces it", "[index]") {
  IndexFixture fixture({MakeArticle("a", "First title", "Body.")});
  REQUIRE(fixture.index()
              .WriteBatch(2, {MakeArticle("a", "Second title", "Body.")})
              .ok());
  CHECK(fixture.index().ArticleCount() == 1);
  CHECK(fixture.Matching("first").empty());
  CHECK(fixture.Matching("second") == Ids{"a"});
}

TEST_CASE("SelectNewOrChanged skips articles already indexed unchanged",
          "[index]") {
  IndexFixture fixture({MakeArticle("same", "Same", "Body."),
                        MakeArticle("edited", "Before", "Body.")});
  auto selected = fixture.index().SelectNewOrChanged(
      {MakeArticle("same", "Same", "Body."),
       MakeArticle("edited", "After", "Body."),
       MakeArticle("new", "New", "Body.")});
  REQUIRE(selected.ok());
  std::set<std::string> ids;
  for (const Article& article : selected.value()) ids.insert(article.id);
  CHECK(ids == Ids{"edited", "new"});
}

TEST_CASE("SelectNewOrChanged keeps the first of one article two feeds bring",
          "[index]") {
  IndexFixture fixture({});
  Article first = MakeArticle("shared", "Shared", "Body.");
  first.feed_url = "https://one.example/feed";
  Article second = MakeArticle("shared", "Shared", "Other body.");
  second.feed_url = "https://two.example/feed";
  auto selected = fixture.index().SelectNewOrChanged({first, second});
  REQUIRE(selected.ok());
  REQUIRE(selected.value().size() == 1);
  CHECK(selected.value().front().feed_url == "https://one.example/feed");
}

TEST_CASE("An undated article keeps its first-seen date and is not re-indexed",
          "[index]") {
  Article undated = MakeArticle("undated", "No date", "Body.");
  undated.published = 1000;
  undated.published_is_fallback = true;
  IndexFixture fixture({undated});
  Article polled_later = undated;
  polled_later.published = 5000;  // The fallback is the time of each poll.
  auto unchanged = fixture.index().SelectNewOrChanged({polled_later});
  REQUIRE(unchanged.ok());
  CHECK(unchanged.value().empty());

  polled_later.text = "Edited body.";
  auto changed = fixture.index().SelectNewOrChanged({polled_later});
  REQUIRE(changed.ok());
  REQUIRE(changed.value().size() == 1);
  CHECK(changed.value().front().published == 1000);
}

TEST_CASE("A batch filter limits a search to the articles of that batch",
          "[index]") {
  IndexFixture fixture({MakeArticle("old", "Troops move", "Old news.")});
  REQUIRE(fixture.index()
              .WriteBatch(2, {MakeArticle("new", "Troops again", "New.")})
              .ok());
  auto query = ParseQuery("troops");
  REQUIRE(query.ok());
  SearchOptions options;
  options.batch_id = 2;
  auto hits = fixture.index().Search(query.value(), options);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  CHECK(hits.value().front().article.id == "new");
}

TEST_CASE("Search returns the stored fields and a snippet", "[index]") {
  Article article = MakeArticle(
      "a", "Allies and the plan",
      "Leaders said the plan would cap the army. Troops would withdraw.");
  article.categories = {"Europe"};
  article.author = "Desk";
  article.language = "en-gb";
  IndexFixture fixture({article});
  auto query = ParseQuery("troops");
  REQUIRE(query.ok());
  auto hits = fixture.index().Search(query.value(), {});
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  const SearchHit& hit = hits.value().front();
  CHECK(hit.article.title == article.title);
  CHECK(hit.article.link == article.link);
  CHECK(hit.article.feed_name == "World");
  CHECK(hit.article.published == article.published);
  CHECK(hit.article.categories == std::vector<std::string>{"Europe"});
  CHECK(hit.article.language == "en-gb");
  CHECK_THAT(hit.snippet, Catch::Contains("Troops would withdraw"));
}

TEST_CASE("Search honours the limit", "[index]") {
  std::vector<Article> articles;
  for (int i = 0; i < 10; ++i) {
    articles.push_back(MakeArticle(std::to_string(i), "Troops", "Body."));
  }
  IndexFixture fixture(articles);
  auto query = ParseQuery("troops");
  REQUIRE(query.ok());
  SearchOptions options;
  options.limit = 3;
  auto hits = fixture.index().Search(query.value(), options);
  REQUIRE(hits.ok());
  CHECK(hits.value().size() == 3);
}

TEST_CASE("Very long article ids are stored and found", "[index]") {
  const std::string long_id = "https://example.org/" + std::string(400, 'x');
  IndexFixture fixture({MakeArticle(long_id, "Long id", "Body.")});
  auto found = fixture.index().Find(long_id);
  REQUIRE(found.ok());
  REQUIRE(found.value().has_value());
  CHECK(found.value()->id == long_id);
}

TEST_CASE("A second writer is refused with a clear message", "[index]") {
  IndexFixture fixture({MakeArticle("a", "Title", "Body.")});
  auto second = Index::OpenWritable(fixture.dir().path() / "index");
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == config::ErrorKind::kFatal);
  CHECK_THAT(second.error().what, Catch::Contains("another newswatch"));
}

TEST_CASE("Readers open the index while the writer holds it", "[index]") {
  IndexFixture fixture({MakeArticle("a", "Troops", "Body.")});
  auto reader = Index::OpenReadOnly(fixture.dir().path() / "index");
  REQUIRE(reader.ok());
  CHECK(reader.value()->ArticleCount() == 1);
  REQUIRE(fixture.index().WriteBatch(2, {MakeArticle("b", "More", "B.")}).ok());
  auto query = ParseQuery("more");
  REQUIRE(query.ok());
  // Xapian readers see the revision they opened; a reopen catches up.
  auto fresh = Index::OpenReadOnly(fixture.dir().path() / "index");
  REQUIRE(fresh.ok());
  auto hits = fresh.value()->Search(query.value(), {});
  REQUIRE(hits.ok());
  CHECK(hits.value().size() == 1);
}

TEST_CASE("Opening a missing index read-only explains what to do", "[index]") {
  testing::TempDir dir;
  auto reader = Index::OpenReadOnly(dir.path() / "nothing");
  REQUIRE_FALSE(reader.ok());
  CHECK_THAT(reader.error().what, Catch::Contains("run --once"));
}

TEST_CASE("An article two feeds carry stays with the first one", "[index]") {
  Article first = MakeArticle("https://wire.example/story", "Story", "A.");
  IndexFixture fixture({first});
  Article second = first;
  second.feed_url = "https://other.example/feed.rss";
  second.feed_name = "Other";
  second.text = "The other feed's copy differs.";
  auto selected = fixture.index().SelectNewOrChanged({second});
  REQUIRE(selected.ok());
  CHECK(selected.value().empty());
  // The first feed's own edit still counts.
  first.text = "Edited.";
  auto edited = fixture.index().SelectNewOrChanged({first});
  REQUIRE(edited.ok());
  CHECK(edited.value().size() == 1);
}

// A kill during the very first start used to leave lock and table files
// without Xapian's revision file, and no later start could open the index.
TEST_CASE("An index whose creation was interrupted is created again",
          "[index]") {
  testing::TempDir dir;
  const std::filesystem::path index_dir = dir.path() / "index";
  dir.Write("index/flintlock", "");
  dir.Write("index/postlist.glass", "");
  dir.Write("index/v.tmp", "");
  dir.Write("index.new/termlist.glass", "");  // A staging folder left over.
  {
    auto opened = Index::OpenWritable(index_dir);
    INFO((opened.ok() ? "" : opened.error().ToString()));
    REQUIRE(opened.ok());
    REQUIRE(opened.value()
                ->WriteBatch(1, {MakeArticle("a", "Title", "kestrel")})
                .ok());
  }
  CHECK(std::filesystem::exists(index_dir / "iamglass"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "index.new"));
  auto reopened = Index::OpenReadOnly(index_dir);
  REQUIRE(reopened.ok());
  CHECK(reopened.value()->ArticleCount() == 1);
}

TEST_CASE("A folder that is not an unfinished index is never deleted",
          "[index]") {
  testing::TempDir dir;
  dir.Write("index/notes.txt", "mine");
  auto opened = Index::OpenWritable(dir.path() / "index");
  CHECK_FALSE(opened.ok());
  CHECK(testing::ReadFile(dir.path() / "index/notes.txt") == "mine");
}

}  // namespace
}  // namespace newswatch::indexer
