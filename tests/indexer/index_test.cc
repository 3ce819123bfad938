#include "indexer/index.h"

#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "indexer/analysed_batch.h"
#include "indexer/article_document.h"
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

  std::vector<SearchHit> Hits(const std::string& query_text,
                              const SearchOptions& options = {}) {
    config::Result<QueryNode> query = ParseQuery(query_text);
    INFO("query: " << query_text);
    REQUIRE(query.ok());
    auto hits = index_->Search(query.value(), options);
    INFO((hits.ok() ? "" : hits.error().ToString()));
    REQUIRE(hits.ok());
    return std::move(hits).value();
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

// ---------------------------------------------------------------------------
// Search options, highlights, daily counts, links and batches.

constexpr std::int64_t kDay = 24 * 60 * 60;
// 2025-11-23T00:00:00Z, the day MakeArticle's articles are published on.
constexpr std::int64_t kMidnight = 1763856000;

Article Dated(const std::string& id, const std::string& title,
              const std::string& text, std::int64_t published) {
  Article article = MakeArticle(id, title, text);
  article.published = published;
  return article;
}

Article OfFeed(const std::string& id, const std::string& feed_name) {
  Article article = MakeArticle(id, "Troops move", "Body.");
  article.feed_name = feed_name;
  article.feed_url = "https://feeds.example.org/" + id + ".rss";
  return article;
}

std::vector<std::string> IdsInOrder(const std::vector<SearchHit>& hits) {
  std::vector<std::string> ids;
  for (const SearchHit& hit : hits) ids.push_back(hit.article.id);
  return ids;
}

// The highlighted stretches of a hit's snippet, as text.
std::vector<std::string> Highlighted(const SearchHit& hit) {
  std::vector<std::string> words;
  for (const SnippetSpan& span : hit.highlights) {
    REQUIRE(span.offset + span.length <= hit.snippet.size());
    words.push_back(hit.snippet.substr(span.offset, span.length));
  }
  return words;
}

using Strings = std::vector<std::string>;

TEST_CASE("Sorting by date puts the newest first, whatever the relevance",
          "[index][sort]") {
  IndexFixture fixture({
      Dated("old-strong", "Troops, troops and troops", "Troops.", kMidnight),
      Dated("new-weak", "Talks",
            "Long talks on many things, of which troops were one.",
            kMidnight + 2 * kDay),
      Dated("middle", "Troops rotate", "Nothing else.", kMidnight + kDay),
  });
  SearchOptions by_date;
  by_date.sort = SortOrder::kDate;
  CHECK(IdsInOrder(fixture.Hits("troops", by_date)) ==
        Strings{"new-weak", "middle", "old-strong"});
  SearchOptions by_relevance;
  by_relevance.sort = SortOrder::kRelevance;
  CHECK(IdsInOrder(fixture.Hits("troops", by_relevance)).front() ==
        "old-strong");
}

TEST_CASE("Equally relevant hits come newest first", "[index][sort]") {
  // Identical words weigh the same; written oldest-but-one first, so that
  // neither the order of writing nor of ids gives the expected order.
  IndexFixture fixture({
      Dated("b", "Troops move", "Same text.", kMidnight + kDay),
      Dated("c", "Troops move", "Same text.", kMidnight + 2 * kDay),
      Dated("a", "Troops move", "Same text.", kMidnight),
  });
  CHECK(IdsInOrder(fixture.Hits("troops")) == Strings{"c", "b", "a"});
  // A query of negations alone ranks every hit alike: newest first too.
  CHECK(IdsInOrder(fixture.Hits("-sport")) == Strings{"c", "b", "a"});
}

TEST_CASE("since keeps the articles published at or after it",
          "[index][since]") {
  IndexFixture fixture({
      Dated("before", "Troops", "Body.", kMidnight - 1),
      Dated("at", "Troops", "Body.", kMidnight),
      Dated("after", "Troops", "Body.", kMidnight + 1),
      Dated("other", "Sport", "Body.", kMidnight + 1),
  });
  SearchOptions options;
  options.since = kMidnight;
  CHECK(IdsInOrder(fixture.Hits("troops", options)) == Strings{"after", "at"});
  options.since = kMidnight + 2;
  CHECK(fixture.Hits("troops", options).empty());
}

TEST_CASE("A feeds filter keeps the named feeds, in any case",
          "[index][feeds]") {
  IndexFixture fixture({OfFeed("world", "World News"), OfFeed("sport", "Sport"),
                        OfFeed("tech", "Tech Daily")});
  auto ids_of = [&](std::vector<std::string> feeds) {
    SearchOptions options;
    options.feeds = std::move(feeds);
    Ids ids;
    for (const SearchHit& hit : fixture.Hits("troops", options)) {
      ids.insert(hit.article.id);
    }
    return ids;
  };
  CHECK(ids_of({}) == Ids{"world", "sport", "tech"});
  CHECK(ids_of({"world news"}) == Ids{"world"});
  CHECK(ids_of({"WORLD  NEWS", "tech daily"}) == Ids{"world", "tech"});
  CHECK(ids_of({"World"}).empty());  // Names are compared whole.
  CHECK(ids_of({"Nowhere"}).empty());
}

TEST_CASE("The filters combine with each other and with a batch",
          "[index][feeds][since]") {
  IndexFixture fixture({Dated("old-world", "Troops", "A.", kMidnight)});
  Article new_world = Dated("new-world", "Troops", "B.", kMidnight + kDay);
  Article new_sport = OfFeed("new-sport", "Sport");
  new_sport.published = kMidnight + kDay;
  REQUIRE(fixture.index().WriteBatch(2, {new_world, new_sport}).ok());
  SearchOptions options;
  options.feeds = {"world"};
  options.since = kMidnight + kDay;
  CHECK(IdsInOrder(fixture.Hits("troops", options)) == Strings{"new-world"});
  options.batch_id = 1;
  CHECK(fixture.Hits("troops", options).empty());
}

TEST_CASE("Highlights are the matched words of the snippet",
          "[index][highlights]") {
  IndexFixture fixture({MakeArticle(
      "a", "Talks",
      "Ministers met on Tuesday. Ukraine's troops would stay behind the "
      "price cap & the <border> line, officials said.")});
  const std::vector<SearchHit> hits =
      fixture.Hits("Ukraine troop \"price cap\"");
  REQUIRE(hits.size() == 1);
  const SearchHit& hit = hits.front();
  // Inflections and the possessive are highlighted whole; a phrase is one
  // stretch.
  CHECK(Highlighted(hit) == Strings{"Ukraine's", "troops", "price cap"});
  // Plain text: no markers, no HTML escaping.
  CHECK_THAT(hit.snippet, Catch::Contains("price cap & the <border> line"));
  CHECK(hit.snippet.find_first_of("\x02\x03") == std::string::npos);
}

TEST_CASE("Highlight offsets count the bytes of the snippet as returned",
          "[index][highlights]") {
  // Escaped characters and multi-byte letters before a match must not shift
  // it.
  IndexFixture fixture({MakeArticle(
      "a", "Talks", "Zürich & Genève <said> the troops would go.")});
  const std::vector<SearchHit> hits = fixture.Hits("troop");
  REQUIRE(hits.size() == 1);
  REQUIRE(hits.front().highlights.size() == 1);
  const SnippetSpan span = hits.front().highlights.front();
  CHECK(span.offset == std::string("Zürich & Genève <said> the ").size());
  CHECK(span.length == 6);
  CHECK(Highlighted(hits.front()) == Strings{"troops"});
}

TEST_CASE("Words under NOT are never highlighted", "[index][highlights]") {
  IndexFixture fixture(
      {MakeArticle("a", "Oil and gas", "Sanctions on gas exports.")});
  const std::vector<SearchHit> hits = fixture.Hits("sanctions OR -gas");
  REQUIRE(hits.size() == 1);
  CHECK(Highlighted(hits.front()) == Strings{"Sanctions"});
  // A query of negations alone highlights nothing, and still has a snippet.
  const std::vector<SearchHit> negated = fixture.Hits("-sport");
  REQUIRE(negated.size() == 1);
  CHECK(negated.front().highlights.empty());
  CHECK_THAT(negated.front().snippet, Catch::Contains("Sanctions on gas"));
}

TEST_CASE("Marker bytes in an article's text cannot fake a highlight",
          "[index][highlights]") {
  IndexFixture fixture(
      {MakeArticle("a", "Talks", "Some\x02 troops\x03 moved \x02north.")});
  const std::vector<SearchHit> hits = fixture.Hits("troops");
  REQUIRE(hits.size() == 1);
  CHECK(Highlighted(hits.front()) == Strings{"troops"});
  CHECK(hits.front().snippet.find_first_of("\x02\x03") == std::string::npos);
}

TEST_CASE("Highlights stem the text in the search's language",
          "[index][highlights]") {
  Article article = MakeArticle("de", "Abzug", "Die Truppen ziehen ab.");
  article.language = "de";
  IndexFixture fixture({article});
  SearchOptions options;
  options.language = "de";
  const std::vector<SearchHit> hits = fixture.Hits("Truppe", options);
  REQUIRE(hits.size() == 1);
  CHECK(Highlighted(hits.front()) == Strings{"Truppen"});
}

TEST_CASE("A CJK word is highlighted as one stretch", "[index][highlights]") {
  Article article = MakeArticle("zh", "天气", "今天北京下雨了。上海晴天。");
  article.language = "zh";
  IndexFixture fixture({article});
  const std::vector<SearchHit> hits = fixture.Hits("北京");
  REQUIRE(hits.size() == 1);
  CHECK(Highlighted(hits.front()) == Strings{"北京"});
}

using Days = std::vector<std::pair<std::int64_t, size_t>>;

Days CountByDay(Index& index, const std::string& query_text,
                const SearchOptions& options = {}) {
  auto query = ParseQuery(query_text);
  REQUIRE(query.ok());
  auto counts = index.CountByDay(query.value(), options);
  INFO((counts.ok() ? "" : counts.error().ToString()));
  REQUIRE(counts.ok());
  Days days;
  for (const DailyCount& count : counts.value()) {
    days.emplace_back(count.day, count.articles);
  }
  return days;
}

TEST_CASE("CountByDay counts the matches per UTC day, oldest first",
          "[index][count_by_day]") {
  Article elsewhere = OfFeed("elsewhere", "Sport");
  elsewhere.published = kMidnight + 3 * kDay + 7;
  IndexFixture fixture({
      Dated("late", "Troops", "A.", kMidnight + kDay - 1),
      Dated("midnight", "Troops", "B.", kMidnight),
      Dated("next-day", "Troops", "C.", kMidnight + kDay),
      Dated("other-words", "Sport", "D.", kMidnight + 5),
      Dated("later", "Troops", "E.", kMidnight + 3 * kDay + 5),
      Dated("before-1970", "Troops", "F.", -1),
      elsewhere,
  });
  CHECK(CountByDay(fixture.index(), "troops") ==
        Days{{-kDay, 1},
             {kMidnight, 2},
             {kMidnight + kDay, 1},
             {kMidnight + 3 * kDay, 2}});
  SearchOptions options;
  options.since = kMidnight + kDay;
  options.feeds = {"world"};
  options.limit = 1;  // Ignored.
  CHECK(CountByDay(fixture.index(), "troops", options) ==
        Days{{kMidnight + kDay, 1}, {kMidnight + 3 * kDay, 1}});
  CHECK(CountByDay(fixture.index(), "-troops") == Days{{kMidnight, 1}});
  CHECK(CountByDay(fixture.index(), "nowhere").empty());
}

TEST_CASE("CountByDay counts every match of a larger archive",
          "[index][count_by_day]") {
  std::vector<Article> articles;
  for (int i = 0; i < 500; ++i) {
    articles.push_back(Dated("a" + std::to_string(i), "Troops",
                             "Body " + std::to_string(i % 7) + ".",
                             kMidnight + (i % 10) * kDay + i));
  }
  IndexFixture fixture(articles);
  const Days days = CountByDay(fixture.index(), "troops");
  REQUIRE(days.size() == 10);
  for (size_t i = 0; i < days.size(); ++i) {
    CHECK(days[i] == std::pair<std::int64_t, size_t>{kMidnight + i * kDay, 50});
  }
}

std::optional<Article> ByLink(Index& index, const std::string& url) {
  auto found = index.FindByLink(url);
  INFO((found.ok() ? "" : found.error().ToString()));
  REQUIRE(found.ok());
  return found.value();
}

TEST_CASE("FindByLink finds an article by its link, the newest of several",
          "[index][find_by_link]") {
  Article first =
      Dated("https://feed-one.example/#1", "Story", "One.", kMidnight);
  first.link = "https://news.example.org/story";
  Article newer =
      Dated("https://feed-two.example/#2", "Story", "Two.", kMidnight + kDay);
  newer.link = first.link;
  Article other = MakeArticle("other", "Other", "Three.");
  IndexFixture fixture({first, newer, other});
  std::optional<Article> found = ByLink(fixture.index(), first.link);
  REQUIRE(found.has_value());
  CHECK(found->id == newer.id);
  found = ByLink(fixture.index(), other.link);
  REQUIRE(found.has_value());
  CHECK(found->id == "other");
  CHECK_FALSE(ByLink(fixture.index(), "https://news.example.org/nothing"));
  CHECK_FALSE(ByLink(fixture.index(), ""));
}

TEST_CASE("FindByLink falls back to the id for articles without link terms",
          "[index][find_by_link]") {
  testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "index";
  Article link_is_id = MakeArticle("https://news.example.org/a", "A", "A.");
  link_is_id.link = link_is_id.id;
  Article link_is_not_id = MakeArticle("tag:example.org,2025:b", "B", "B.");
  {
    auto writer = Index::OpenWritable(path);
    REQUIRE(writer.ok());
    REQUIRE(writer.value()->WriteBatch(1, {link_is_id, link_is_not_id}).ok());
  }
  {
    // As an archive written before links had terms.
    Xapian::WritableDatabase database(path.string(), Xapian::DB_OPEN);
    for (Xapian::docid id = 1; id <= database.get_lastdocid(); ++id) {
      Xapian::Document document = database.get_document(id);
      std::vector<std::string> link_terms;
      for (auto term = document.termlist_begin();
           term != document.termlist_end(); ++term) {
        if ((*term).starts_with(kLinkPrefix)) link_terms.push_back(*term);
      }
      REQUIRE(link_terms.size() == 1);
      document.remove_term(link_terms.front());
      database.replace_document(id, document);
    }
    database.commit();
  }
  auto reader = Index::OpenReadOnly(path);
  REQUIRE(reader.ok());
  std::optional<Article> found = ByLink(*reader.value(), link_is_id.link);
  REQUIRE(found.has_value());
  CHECK(found->id == link_is_id.id);
  CHECK_FALSE(ByLink(*reader.value(), link_is_not_id.link));
}

// A document written out whole: data, values, and every term with its wdf
// and positions.
std::string Dump(const Xapian::Document& document) {
  std::string out = "data " + document.get_data() + "\n";
  for (auto value = document.values_begin(); value != document.values_end();
       ++value) {
    out += "value " + std::to_string(value.get_valueno()) + " " + *value + "\n";
  }
  for (auto term = document.termlist_begin(); term != document.termlist_end();
       ++term) {
    out += *term + " wdf " + std::to_string(term.get_wdf()) + " at";
    for (auto position = term.positionlist_begin();
         position != term.positionlist_end(); ++position) {
      out += " " + std::to_string(*position);
    }
    out += "\n";
  }
  return out;
}

Strings Dumps(const AnalysedBatch& batch) {
  Strings dumps;
  for (const Xapian::Document& document : batch.documents) {
    dumps.push_back(Dump(document));
  }
  return dumps;
}

Strings ArticleIds(const AnalysedBatch& batch) {
  Strings ids;
  for (const Article& article : batch.articles) ids.push_back(article.id);
  return ids;
}

std::shared_ptr<const AnalysedBatch> BatchOf(Index& index, long long id) {
  auto batch = index.DocumentsOfBatch(id);
  INFO((batch.ok() ? "" : batch.error().ToString()));
  REQUIRE(batch.ok());
  REQUIRE(batch.value() != nullptr);
  return batch.value();
}

std::vector<Article> BatchArticles() {
  Article a = MakeArticle("a", "Ukraine's troops", "Caps on the army.");
  a.author = "Desk";
  a.categories = {"Europe", "War"};
  a.language = "en-gb";
  Article b = MakeArticle("b", "Die Truppen", "Sie ziehen ab.");
  b.language = "de";
  b.published = kMidnight + 5;
  return {a, b};
}

TEST_CASE("AnalyseArticles makes the documents WriteBatch stores",
          "[index][batch]") {
  const std::vector<Article> articles = BatchArticles();
  const std::shared_ptr<const AnalysedBatch> analysed =
      AnalyseArticles(articles, 7);
  CHECK(ArticleIds(*analysed) == Strings{"a", "b"});
  REQUIRE(analysed->documents.size() == 2);
  testing::TempDir dir;
  {
    auto writer = Index::OpenWritable(dir.path() / "index");
    REQUIRE(writer.ok());
    REQUIRE(writer.value()->WriteBatch(7, articles).ok());
  }
  Xapian::Database database((dir.path() / "index").string());
  REQUIRE(database.get_doccount() == 2);
  CHECK(Dump(database.get_document(1)) == Dump(analysed->documents[0]));
  CHECK(Dump(database.get_document(2)) == Dump(analysed->documents[1]));
}

TEST_CASE("DocumentsOfBatch gives the last batch from memory",
          "[index][batch]") {
  const std::vector<Article> articles = BatchArticles();
  IndexFixture fixture(articles);
  const std::shared_ptr<const AnalysedBatch> batch =
      BatchOf(fixture.index(), 1);
  CHECK(ArticleIds(*batch) == Strings{"a", "b"});
  CHECK(batch->articles[1].text == "Sie ziehen ab.");
  CHECK(Dumps(*batch) == Dumps(*AnalyseArticles(articles, 1)));
  // The very same object, not a copy read back.
  CHECK(BatchOf(fixture.index(), 1) == batch);
  CHECK(BatchOf(fixture.index(), 2)->articles.empty());
}

TEST_CASE("DocumentsOfBatch reads an earlier batch back from the index",
          "[index][batch]") {
  testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "index";
  const std::vector<Article> first = BatchArticles();
  Article b_edited = first[1];
  b_edited.text = "Sie ziehen heute ab.";
  const std::vector<Article> second = {
      b_edited, MakeArticle("c", "Troops again", "Later.")};
  {
    auto writer = Index::OpenWritable(path);
    REQUIRE(writer.ok());
    Index& index = *writer.value();
    REQUIRE(index.WriteBatch(1, first).ok());
    REQUIRE(index.WriteBatch(2, second).ok());
    // Batch 1 read back: "b" is batch 2's now.
    const std::shared_ptr<const AnalysedBatch> batch_1 = BatchOf(index, 1);
    CHECK(ArticleIds(*batch_1) == Strings{"a"});
    CHECK(Dumps(*batch_1) ==
          Strings{Dump(AnalyseArticles(first, 1)->documents[0])});
  }
  // After a restart, as in recovery from a crash between the index's commit
  // and the alert store's.
  for (const bool writable : {false, true}) {
    INFO("writable: " << writable);
    auto reopened =
        writable ? Index::OpenWritable(path) : Index::OpenReadOnly(path);
    REQUIRE(reopened.ok());
    const std::shared_ptr<const AnalysedBatch> batch_2 =
        BatchOf(*reopened.value(), 2);
    // In docid order: "b" kept the docid it was first written with.
    REQUIRE(ArticleIds(*batch_2) == Strings{"b", "c"});
    CHECK(batch_2->articles[0].text == b_edited.text);
    CHECK(batch_2->articles[0].language == "de");
    CHECK(batch_2->articles[0].published == b_edited.published);
    CHECK(batch_2->articles[1].title == "Troops again");
    CHECK(Dumps(*batch_2) == Dumps(*AnalyseArticles(second, 2)));
    CHECK(BatchOf(*reopened.value(), 3)->articles.empty());
  }
}

}  // namespace
}  // namespace newswatch::indexer
