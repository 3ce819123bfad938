// The term scheme end to end on real Xapian: articles made into documents by
// MakeDocument, queries (built as trees, independent of the parser) compiled
// by CompileQuery, and what they find.
#include "indexer/query_terms.h"

#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "indexer/article_document.h"
#include "indexer/query.h"
#include "indexer/xapian_query.h"
#include "tests/support/temp_dir.h"

namespace newswatch::indexer {
namespace {

using Kind = QueryNode::Kind;
using Ids = std::set<std::string>;

constexpr std::int64_t kOpenStart = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kOpenEnd = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kDay = 24 * 60 * 60;
constexpr std::int64_t kNov1 = 1761955200;  // 2025-11-01T00:00:00Z

// Query trees as the parser makes them.
QueryNode Leaf(Kind kind, const std::string& text,
               QueryField field = QueryField::kAny) {
  QueryNode node;
  node.kind = kind;
  node.text = text;
  node.field = field;
  return node;
}
QueryNode Word(const std::string& text, QueryField field = QueryField::kAny) {
  return Leaf(Kind::kWord, text, field);
}
QueryNode Phrase(const std::string& text, QueryField field = QueryField::kAny) {
  return Leaf(Kind::kPhrase, text, field);
}
QueryNode Prefix(const std::string& text, QueryField field = QueryField::kAny) {
  return Leaf(Kind::kPrefix, text, field);
}
QueryNode Value(QueryField field, const std::string& written) {
  return Leaf(Kind::kValue, NormaliseFieldValue(field, written), field);
}
QueryNode Group(Kind kind, std::vector<QueryNode> children) {
  QueryNode node;
  node.kind = kind;
  node.children = std::move(children);
  return node;
}
QueryNode And(std::vector<QueryNode> children) {
  return Group(Kind::kAnd, std::move(children));
}
QueryNode Or(std::vector<QueryNode> children) {
  return Group(Kind::kOr, std::move(children));
}
QueryNode Not(QueryNode child) { return Group(Kind::kNot, {std::move(child)}); }
QueryNode Proximity(Kind kind, const std::vector<std::string>& words,
                    int distance, QueryField field = QueryField::kAny) {
  QueryNode node;
  node.kind = kind;
  node.field = field;
  node.distance = distance;
  for (const std::string& word : words) {
    node.children.push_back(Word(word, field));
  }
  return node;
}
QueryNode Near(const std::vector<std::string>& words, int distance,
               QueryField field = QueryField::kAny) {
  return Proximity(Kind::kNear, words, distance, field);
}
QueryNode Adj(const std::vector<std::string>& words, int distance,
              QueryField field = QueryField::kAny) {
  return Proximity(Kind::kAdjacent, words, distance, field);
}
QueryNode Published(std::int64_t from, std::int64_t to) {
  QueryNode node;
  node.kind = Kind::kPublished;
  node.from = from;
  node.to = to;
  return node;
}
QueryNode Since(std::int64_t seconds) {
  QueryNode node;
  node.kind = Kind::kSince;
  node.seconds = seconds;
  return node;
}

// Options for a query compiled at `now`.
CompileOptions At(std::int64_t now) {
  CompileOptions options;
  options.now = now;
  return options;
}

Article MakeArticle(const std::string& id, const std::string& title,
                    const std::string& text = "") {
  Article article;
  article.id = id;
  article.feed_url = "https://feeds.example.org/world.rss";
  article.feed_name = "World";
  article.title = title;
  article.text = text;
  article.published = kNov1;
  return article;
}

// A Xapian database in a temporary directory holding `articles` as
// MakeDocument makes them.
class Archive {
 public:
  explicit Archive(const std::vector<Article>& articles)
      : database_((dir_.path() / "db").string(), Xapian::DB_CREATE) {
    for (const Article& article : articles) {
      database_.replace_document(IdTerm(article.id), MakeDocument(article, 1));
    }
    database_.commit();
  }

  Ids Matching(const QueryNode& query, const CompileOptions& options = {}) {
    Xapian::Enquire enquire(database_);
    enquire.set_query(CompileQuery(query, options));
    const Xapian::MSet mset = enquire.get_mset(0, database_.get_doccount());
    Ids ids;
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      ids.insert(DeserialiseArticle(item.get_document().get_data()).id);
    }
    return ids;
  }

  // MatchedTerms of every article `query` finds, by id.
  std::map<std::string, std::vector<std::string>> Matched(
      const QueryNode& query, const CompileOptions& options = {}) {
    std::vector<MatchedDocument> documents;
    std::vector<std::string> ids;
    for (const std::string& id : Matching(query, options)) {
      const std::string id_term = IdTerm(id);
      documents.push_back({*database_.postlist_begin(id_term), id_term});
      ids.push_back(id);
    }
    const auto terms = MatchedTerms(database_, query, options, documents);
    std::map<std::string, std::vector<std::string>> by_id;
    for (size_t i = 0; i < ids.size(); ++i) by_id[ids[i]] = terms[i];
    return by_id;
  }

  Xapian::Document Document(const std::string& id) {
    return database_.get_document(*database_.postlist_begin(IdTerm(id)));
  }

 private:
  testing::TempDir dir_;
  Xapian::WritableDatabase database_;
};

std::set<std::string> TermsOf(const Xapian::Document& document) {
  return {document.termlist_begin(), document.termlist_end()};
}

std::vector<Xapian::termpos> PositionsOf(const Xapian::Document& document,
                                         const std::string& term) {
  for (auto it = document.termlist_begin(); it != document.termlist_end();
       ++it) {
    if (*it == term) return {it.positionlist_begin(), it.positionlist_end()};
  }
  return {};
}

TEST_CASE("StemmerFor picks the stemmer of a tag's primary subtag",
          "[query_terms]") {
  const auto name = [](std::string_view tag) {
    return StemmerFor(tag).get_description();
  };
  CHECK(name("de") == "Xapian::Stem(german)");
  CHECK(name("de-AT") == "Xapian::Stem(german)");
  CHECK(name("DE") == "Xapian::Stem(german)");
  CHECK(name("pt_BR") == "Xapian::Stem(portuguese)");
  CHECK(name("fr-ca") == "Xapian::Stem(french)");
  CHECK(name("nb") == "Xapian::Stem(norwegian)");
  // No stemmer, no tag, or not a tag: English.
  CHECK(name("") == "Xapian::Stem(english)");
  CHECK(name("zh-hans") == "Xapian::Stem(english)");
  CHECK(name("ja") == "Xapian::Stem(english)");
  CHECK(name("none") == "Xapian::Stem(english)");
  CHECK(name("x1") == "Xapian::Stem(english)");
  CHECK(name("-de") == "Xapian::Stem(english)");
  // Asked again (now remembered), the same answers.
  CHECK(name("zh-hans") == "Xapian::Stem(english)");
  CHECK(name("de") == "Xapian::Stem(german)");
}

TEST_CASE("A word's terms: exact and stem, in its field's prefix",
          "[query_terms]") {
  const Xapian::Stem english = StemmerFor("en");
  WordTerms troops = TermsOfWord("Troops", QueryField::kAny, english);
  CHECK(troops.kind == WordTerms::Kind::kSingle);
  CHECK(troops.exact == "troops");
  CHECK(troops.stem == "Ztroop");

  troops = TermsOfWord("Troops", QueryField::kTitle, english);
  CHECK(troops.exact == "Stroops");
  CHECK(troops.stem == "ZStroop");
  troops = TermsOfWord("Troops", QueryField::kAuthor, english);
  CHECK(troops.exact == "Atroops");
  CHECK(troops.stem == "ZAtroop");

  const WordTerms year = TermsOfWord("2025", QueryField::kAny, english);
  CHECK(year.kind == WordTerms::Kind::kSingle);
  CHECK(year.exact == "2025");
  CHECK(year.stem.empty());

  const WordTerms parts = TermsOfWord("Air-Defence", QueryField::kAny, english);
  CHECK(parts.kind == WordTerms::Kind::kPhrase);
  CHECK(parts.terms == std::vector<std::string>{"air", "defence"});

  const WordTerms cjk = TermsOfWord("军队", QueryField::kTitle, english);
  CHECK(cjk.kind == WordTerms::Kind::kAllOf);
  CHECK(std::set<std::string>(cjk.terms.begin(), cjk.terms.end()) ==
        std::set<std::string>{"S军", "S队", "S军队"});

  const WordTerms german =
      TermsOfWord("Regierungen", QueryField::kAny, StemmerFor("de"));
  CHECK(german.exact == "regierungen");
  CHECK(german.stem == "Zregier");
}

TEST_CASE("A phrase's terms are unstemmed, in order", "[query_terms]") {
  const WordTerms phrase = TermsOfPhrase(" Price  CAPS ", QueryField::kTitle);
  CHECK(phrase.kind == WordTerms::Kind::kPhrase);
  CHECK(phrase.terms == std::vector<std::string>{"Sprice", "Scaps"});

  const WordTerms one = TermsOfPhrase("Troops", QueryField::kAny);
  CHECK(one.kind == WordTerms::Kind::kSingle);
  CHECK(one.exact == "troops");
  CHECK(one.stem.empty());

  const WordTerms cjk = TermsOfPhrase("東京タワー", QueryField::kAny);
  CHECK(cjk.kind == WordTerms::Kind::kAllOf);
  CHECK(std::set<std::string>(cjk.terms.begin(), cjk.terms.end()) ==
        std::set<std::string>{"東", "京", "タ", "ワ", "ー", "東京", "京タ",
                              "タワ", "ワー"});
}

TEST_CASE("Prefix and value terms", "[query_terms]") {
  CHECK(PrefixTermOf("Sanction", QueryField::kAny) == "sanction");
  CHECK(PrefixTermOf("Sanction", QueryField::kTitle) == "Ssanction");
  CHECK(PrefixTermOf("Sanction", QueryField::kAuthor) == "Asanction");
  CHECK(ValueTermOf(QueryField::kFeed, "bbc world") == "XFbbc world");
  CHECK(ValueTermOf(QueryField::kSite, "bbc.co.uk") == "XSbbc.co.uk");
  CHECK(ValueTermOf(QueryField::kCategory, "politics") == "XKpolitics");
  CHECK(ValueTermOf(QueryField::kLanguage, "de") == "XLde");
  // Too long for a term: hashed, the same way every time, and shorter than
  // Xapian's limit.
  const std::string long_value(300, 'x');
  const std::string hashed = ValueTermOf(QueryField::kFeed, long_value);
  CHECK(hashed.size() < 245);
  CHECK(hashed.starts_with("XF#"));
  CHECK(hashed == ValueTermOf(QueryField::kFeed, long_value));
  CHECK(hashed != ValueTermOf(QueryField::kFeed, long_value + "y"));
  CHECK(hashed != ValueTermOf(QueryField::kCategory, long_value));
}

TEST_CASE("Id and link terms keep their stored form", "[query_terms]") {
  CHECK(IdTerm("https://example.org/a") == "Qhttps://example.org/a");
  // Indexes on disk hold these: the hash of a long id never changes.
  CHECK(IdTerm(std::string(201, 'a')) == "Q#9a253eda0ce95884e4eedb809dda70d4");
  CHECK(IdTerm(std::string(200, 'a')) == "Q" + std::string(200, 'a'));
  CHECK(LinkTerm("https://example.org/a") == "XUhttps://example.org/a");
  CHECK(LinkTerm(std::string(300, 'l')).starts_with("XU#"));
  CHECK(BatchTerm(42) == "XB42");
}

TEST_CASE("An article's document holds every field's terms", "[query_terms]") {
  Article article = MakeArticle("a1", "Troops withdraw", "Ukraine's army");
  article.author = "Jane Smith";
  article.feed_name = "  BBC   World ";
  article.link = "https://www.BBC.co.uk/news/a1";
  article.categories = {"Politics", " Middle  East "};
  article.language = "en-GB";
  const Xapian::Document document = MakeDocument(article, 7);
  const std::set<std::string> terms = TermsOf(document);
  for (const char* expected : {"Stroops",
                               "ZStroop",
                               "troops",
                               "Ztroop",
                               "Swithdraw",
                               "ukraine's",
                               "Zukrain",
                               "army",
                               "Ajane",
                               "Asmith",
                               "ZAsmith",
                               "Qa1",
                               "XB7",
                               "XLen-gb",
                               "XLen",
                               "XFbbc world",
                               "XSwww.bbc.co.uk",
                               "XSbbc.co.uk",
                               "XSco.uk",
                               "XSuk",
                               "XKpolitics",
                               "XKmiddle east",
                               "XUhttps://www.BBC.co.uk/news/a1"}) {
    INFO(expected);
    CHECK(terms.count(expected) == 1);
  }
  // Author words are not text words.
  CHECK(terms.count("jane") == 0);
  CHECK(terms.count("Sjane") == 0);

  // The title, text and author lie apart, so that no phrase or NEAR group
  // can span two of them.
  const Xapian::termpos title = PositionsOf(document, "withdraw").at(0);
  const Xapian::termpos text = PositionsOf(document, "ukraine's").at(0);
  const Xapian::termpos author = PositionsOf(document, "Ajane").at(0);
  CHECK(text - title > kFieldGap);
  CHECK(author - text > kFieldGap);

  CHECK(Xapian::sortable_unserialise(document.get_value(kPublishedSlot)) ==
        static_cast<double>(kNov1));
  CHECK(document.get_value(kContentHashSlot) == ContentHash(article));
  const Article stored = DeserialiseArticle(document.get_data());
  CHECK(stored.id == "a1");
  CHECK(stored.author == "Jane Smith");
  CHECK(stored.categories == article.categories);
  CHECK(stored.language == "en-GB");
}

TEST_CASE("The content hash of existing fields is unchanged", "[query_terms]") {
  // Archives store these hashes: were they to change, every stored article
  // would be indexed again on its next poll.
  Article article = MakeArticle("a1", "Troops withdraw", "Ukraine's army");
  article.link = "https://news.example.org/a1";
  article.author = "Jane Smith";
  article.categories = {"Politics"};
  article.published = 1763890200;
  CHECK(ContentHash(article) == "04ffb383b2c4a695");
  // The feed's name and the language are not part of it.
  article.feed_name = "Renamed";
  article.language = "de";
  CHECK(ContentHash(article) == "04ffb383b2c4a695");
  article.published_is_fallback = true;
  CHECK(ContentHash(article) != "04ffb383b2c4a695");
}

TEST_CASE("Site domains are the link's host and the domains above it",
          "[query_terms]") {
  using Domains = std::vector<std::string>;
  CHECK(SiteDomainsOf("https://www.bbc.co.uk/news") ==
        Domains{"www.bbc.co.uk", "bbc.co.uk", "co.uk", "uk"});
  CHECK(SiteDomainsOf("http://user:pw@News.Example.COM.:8080/a?b#c") ==
        Domains{"news.example.com", "example.com", "com"});
  CHECK(SiteDomainsOf("https://example.org?q=a.b") ==
        Domains{"example.org", "org"});
  CHECK(SiteDomainsOf("https://192.168.0.10/feed") == Domains{"192.168.0.10"});
  CHECK(SiteDomainsOf("https://[2001:db8::1]:8080/") ==
        Domains{"[2001:db8::1]"});
  // Links are stored percent-encoded; an IDN host is decoded back to text.
  CHECK(SiteDomainsOf("https://%E4%BE%8B%E3%81%88.JP/a") ==
        Domains{"例え.jp", "jp"});
  CHECK(SiteDomainsOf("https://%ff.example/").front() == "%ff.example");
  CHECK(SiteDomainsOf("").empty());
  CHECK(SiteDomainsOf("not a url").empty());
}

TEST_CASE("Words find their field: any is title and text, not the author",
          "[query_terms]") {
  Article in_title = MakeArticle("title", "Troops withdraw", "Nothing here");
  Article in_text = MakeArticle("text", "Nothing here", "The troop left");
  Article by_author = MakeArticle("author", "Nothing here", "Nothing here");
  by_author.author = "Tom Troops";
  Archive archive({in_title, in_text, by_author});

  CHECK(archive.Matching(Word("troops")) == Ids{"title", "text"});
  CHECK(archive.Matching(Word("TROOP")) == Ids{"title", "text"});
  CHECK(archive.Matching(Word("troop", QueryField::kTitle)) == Ids{"title"});
  CHECK(archive.Matching(Word("troop", QueryField::kAuthor)) == Ids{"author"});
  CHECK(archive.Matching(Word("tom", QueryField::kAuthor)) == Ids{"author"});
  CHECK(archive.Matching(Phrase("tom troops", QueryField::kAuthor)) ==
        Ids{"author"});
  CHECK(archive.Matching(Phrase("troops withdraw", QueryField::kTitle)) ==
        Ids{"title"});
  CHECK(archive.Matching(Phrase("troop left")) == Ids{"text"});
  CHECK(archive.Matching(Phrase("troops left")).empty());
  CHECK(archive.Matching(Phrase("tom troops")).empty());
}

TEST_CASE("Phrases and NEAR groups never span two fields", "[query_terms]") {
  Article article = MakeArticle("a", "Troops withdraw", "Kyiv said");
  article.author = "Reporter";
  Archive archive({article});
  CHECK(archive.Matching(Phrase("withdraw kyiv")).empty());
  CHECK(archive.Matching(Near({"withdraw", "kyiv"}, 1000)).empty());
  CHECK(archive.Matching(Near({"troops", "withdraw"}, 1)) == Ids{"a"});
  CHECK(archive.Matching(Near({"withdraw", "said"}, 1000)).empty());
}

TEST_CASE("Prefixes match unstemmed words that start with them",
          "[query_terms]") {
  Archive archive({MakeArticle("sanctions", "New sanctions", "on oil"),
                   MakeArticle("sanctioned", "Firms sanctioned", "by the EU"),
                   MakeArticle("sanctity", "Sanctity of life", ""),
                   MakeArticle("text", "Nothing", "The sanctioning body")});
  CHECK(archive.Matching(Prefix("sanction")) ==
        Ids{"sanctions", "sanctioned", "text"});
  CHECK(archive.Matching(Prefix("SANCTION")) ==
        Ids{"sanctions", "sanctioned", "text"});
  CHECK(archive.Matching(Prefix("sanction", QueryField::kTitle)) ==
        Ids{"sanctions", "sanctioned"});
  CHECK(archive.Matching(Prefix("sanct")) ==
        Ids{"sanctions", "sanctioned", "sanctity", "text"});
  CHECK(archive.Matching(Prefix("sanctionsx")).empty());
  // A lone '*' matches every article.
  CHECK(archive.Matching(Prefix("")).size() == 4);
  CHECK(archive.Matching(And({Prefix(""), Not(Word("oil"))})) ==
        Ids{"sanctioned", "sanctity", "text"});
}

// Articles whose text is `words` with `gap` filler words between each.
Article Spaced(const std::string& id, const std::vector<std::string>& words,
               int gap) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      for (int filler = 0; filler < gap; ++filler) text += " filler";
    }
    text += " " + words[i];
  }
  return MakeArticle(id, "", text);
}

TEST_CASE("NEAR/n: both words, any order, positions at most n apart",
          "[query_terms]") {
  Archive archive({Spaced("apart1", {"troop", "cap"}, 0),
                   Spaced("apart3", {"troop", "cap"}, 2),
                   Spaced("apart4", {"troop", "cap"}, 3),
                   Spaced("reversed3", {"cap", "troop"}, 2),
                   Spaced("reversed4", {"cap", "troop"}, 3)});
  CHECK(archive.Matching(Near({"troop", "cap"}, 3)) ==
        Ids{"apart1", "apart3", "reversed3"});
  CHECK(archive.Matching(Near({"troop", "cap"}, 4)) ==
        Ids{"apart1", "apart3", "apart4", "reversed3", "reversed4"});
  CHECK(archive.Matching(Near({"troop", "cap"}, 1)) == Ids{"apart1"});
  CHECK(archive.Matching(Near({"cap", "troop"}, 2)) == Ids{"apart1"});
  // NEAR matches words as written, not their inflections: stems have no
  // positions.
  CHECK(archive.Matching(Near({"troops", "cap"}, 3)).empty());
  CHECK(archive.Matching(Near({"TROOP", "Cap"}, 3)) ==
        Ids{"apart1", "apart3", "reversed3"});
}

TEST_CASE("ADJ/n: as NEAR/n, in the order written", "[query_terms]") {
  Archive archive({Spaced("apart1", {"troop", "cap"}, 0),
                   Spaced("apart3", {"troop", "cap"}, 2),
                   Spaced("apart4", {"troop", "cap"}, 3),
                   Spaced("reversed1", {"cap", "troop"}, 0)});
  CHECK(archive.Matching(Adj({"troop", "cap"}, 3)) == Ids{"apart1", "apart3"});
  CHECK(archive.Matching(Adj({"troop", "cap"}, 4)) ==
        Ids{"apart1", "apart3", "apart4"});
  CHECK(archive.Matching(Adj({"cap", "troop"}, 4)) == Ids{"reversed1"});
  // ADJ/1 is the phrase.
  CHECK(archive.Matching(Adj({"troop", "cap"}, 1)) == Ids{"apart1"});
  CHECK(archive.Matching(Adj({"troop", "cap"}, 1)) ==
        archive.Matching(Phrase("troop cap")));
}

TEST_CASE("NEAR/n over k words: last - first at most n + k - 2",
          "[query_terms]") {
  // Three words with one filler word between each: a span of 4.
  Archive archive({Spaced("span4", {"troop", "cap", "oil"}, 1),
                   Spaced("span2", {"oil", "troop", "cap"}, 0)});
  CHECK(archive.Matching(Near({"troop", "cap", "oil"}, 3)) ==
        Ids{"span4", "span2"});
  CHECK(archive.Matching(Near({"troop", "cap", "oil"}, 2)) == Ids{"span2"});
  CHECK(archive.Matching(Adj({"troop", "cap", "oil"}, 3)) == Ids{"span4"});
  CHECK(archive.Matching(Adj({"oil", "troop", "cap"}, 1)) == Ids{"span2"});
  CHECK(archive.Matching(Adj({"troop", "cap", "oil"}, 2)).empty());
  CHECK(ProximityWindow(Near({"troop", "cap", "oil"}, 3)) == 5);
  CHECK(ProximityWindow(Adj({"troop", "cap"}, 1)) == 2);
}

TEST_CASE("NEAR and ADJ groups in a text field", "[query_terms]") {
  Archive archive({MakeArticle("title", "troop cap", "other words"),
                   MakeArticle("text", "other words", "troop cap")});
  CHECK(archive.Matching(Near({"cap", "troop"}, 2, QueryField::kTitle)) ==
        Ids{"title"});
  CHECK(archive.Matching(Adj({"troop", "cap"}, 1, QueryField::kTitle)) ==
        Ids{"title"});
  CHECK(archive.Matching(Near({"cap", "troop"}, 2)) == Ids{"title", "text"});
}

TEST_CASE("A NEAR word that is several terms is refused", "[query_terms]") {
  Archive archive({MakeArticle("a", "air-defence systems", "")});
  CHECK_THROWS_AS(archive.Matching(Near({"air-defence", "systems"}, 3)),
                  Xapian::InvalidArgumentError);
  CHECK_THROWS_AS(archive.Matching(Near({"防空", "systems"}, 3)),
                  Xapian::InvalidArgumentError);
}

// The rule ProximityWindow documents, checked by brute force: one position
// per word, all distinct, (for ADJ) strictly increasing in the order
// written, last - first <= distance + k - 2.
bool ProximityRule(const std::vector<int>& text, const std::vector<int>& words,
                   int distance, bool ordered) {
  const int k = static_cast<int>(words.size());
  std::vector<int> chosen(words.size());
  auto pick = [&](auto& self, size_t i) -> bool {
    if (i == words.size()) {
      const auto [first, last] =
          std::minmax_element(chosen.begin(), chosen.end());
      if (*last - *first > distance + k - 2) return false;
      for (size_t a = 0; a < chosen.size(); ++a) {
        for (size_t b = a + 1; b < chosen.size(); ++b) {
          if (chosen[a] == chosen[b]) return false;
          if (ordered && chosen[a] > chosen[b]) return false;
        }
      }
      return true;
    }
    for (size_t position = 0; position < text.size(); ++position) {
      if (text[position] != words[i]) continue;
      chosen[i] = static_cast<int>(position);
      if (self(self, i + 1)) return true;
    }
    return false;
  };
  return pick(pick, 0);
}

TEST_CASE("NEAR and ADJ follow the documented rule on random texts",
          "[query_terms]") {
  const std::vector<std::string> vocabulary = {"alpha", "beta", "gamma",
                                               "delta", "omega"};
  std::mt19937 random(20251123);  // Fixed: the same cases every run.
  std::vector<std::vector<int>> texts;
  std::vector<Article> articles;
  for (int id = 0; id < 300; ++id) {
    std::vector<int> text(1 + random() % 12);
    std::string words;
    for (int& word : text) {
      word = static_cast<int>(random() % vocabulary.size());
      words += vocabulary[word] + " ";
    }
    texts.push_back(text);
    articles.push_back(MakeArticle(std::to_string(id), "", words));
  }
  Archive archive(articles);
  for (int round = 0; round < 150; ++round) {
    std::vector<int> words;
    const size_t k = 2 + random() % 3;
    while (words.size() < k) {
      const int word = static_cast<int>(random() % vocabulary.size());
      // The parser refuses a word twice in one group.
      if (std::find(words.begin(), words.end(), word) == words.end()) {
        words.push_back(word);
      }
    }
    const int distance = 1 + static_cast<int>(random() % 6);
    std::vector<std::string> written;
    for (const int word : words) written.push_back(vocabulary[word]);
    for (const bool ordered : {false, true}) {
      Ids expected;
      for (size_t id = 0; id < texts.size(); ++id) {
        if (ProximityRule(texts[id], words, distance, ordered)) {
          expected.insert(std::to_string(id));
        }
      }
      const QueryNode group =
          ordered ? Adj(written, distance) : Near(written, distance);
      INFO("round " << round << ": " << (ordered ? "ADJ/" : "NEAR/") << distance
                    << " over " << k << " words");
      CHECK(archive.Matching(group) == expected);
    }
  }
}

TEST_CASE("CJK text is found by a word of it, with or without a field",
          "[query_terms]") {
  Article chinese = MakeArticle("zh", "乌克兰军队撤离", "俄罗斯称谈判将继续");
  chinese.language = "zh-cn";
  Article japanese = MakeArticle("ja", "東京タワーの夜景", "");
  japanese.language = "ja";
  Article korean = MakeArticle("ko", "서울에서 정상회담", "");
  korean.language = "ko";
  Article english = MakeArticle("en", "Troops in Kyiv", "");
  Archive archive({chinese, japanese, korean, english});

  CHECK(archive.Matching(Word("军队")) == Ids{"zh"});
  CHECK(archive.Matching(Word("乌克兰")) == Ids{"zh"});
  CHECK(archive.Matching(Word("谈判")) == Ids{"zh"});
  CHECK(archive.Matching(Word("军队", QueryField::kTitle)) == Ids{"zh"});
  CHECK(archive.Matching(Word("谈判", QueryField::kTitle)).empty());
  CHECK(archive.Matching(Word("队军")).empty());  // The characters, reversed.
  CHECK(archive.Matching(Word("北京")).empty());
  CHECK(archive.Matching(Phrase("军队撤离")) == Ids{"zh"});

  CHECK(archive.Matching(Word("東京")) == Ids{"ja"});
  CHECK(archive.Matching(Word("タワー")) == Ids{"ja"});
  CHECK(archive.Matching(Word("大阪")).empty());

  CHECK(archive.Matching(Word("서울")) == Ids{"ko"});
  CHECK(archive.Matching(Word("정상회담")) == Ids{"ko"});
  CHECK(archive.Matching(Word("부산")).empty());

  // One character is a word of its own.
  CHECK(archive.Matching(Word("军")) == Ids{"zh"});
  // Stemming languages do not get in the way.
  CHECK(archive.Matching(Word("军队"), {.language = "zh"}) == Ids{"zh"});
  CHECK(archive.Matching(Word("troop"), {.language = "ja"}) == Ids{"en"});
}

TEST_CASE("Words are stemmed in the article's and the search's language",
          "[query_terms]") {
  Article german = MakeArticle("de", "Truppen verlassen die Stadt",
                               "Die Regierungen verhandeln");
  german.language = "de-at";
  Article english = MakeArticle("en", "Troops leave the city", "");
  english.language = "en";
  Article unknown = MakeArticle("none", "Troops", "");  // No language: English.
  Archive archive({german, english, unknown});

  const CompileOptions in_german{.language = "de"};
  CHECK(archive.Matching(Word("Truppe"), in_german) == Ids{"de"});
  CHECK(archive.Matching(Word("Regierung"), in_german) == Ids{"de"});
  CHECK(archive.Matching(Word("Truppe", QueryField::kTitle), in_german) ==
        Ids{"de"});
  // An English search finds a German article by the word as it is written,
  // and not by German inflections of it.
  CHECK(archive.Matching(Word("Truppen")) == Ids{"de"});
  CHECK(archive.Matching(Word("Regierungen")) == Ids{"de"});
  CHECK(archive.Matching(Word("Regierung")).empty());
  // English articles are stemmed in English.
  CHECK(archive.Matching(Word("troop")) == Ids{"en", "none"});
  CHECK(archive.Matching(Word("troops"), in_german) == Ids{"en", "none"});
}

TEST_CASE("site: finds the link's host and every host under a domain",
          "[query_terms]") {
  Article bbc = MakeArticle("bbc", "One", "");
  bbc.link = "https://www.bbc.co.uk/news/1";
  Article news = MakeArticle("news", "Two", "");
  news.link = "https://NEWS.bbc.co.uk:443/2";
  Article other = MakeArticle("other", "Three", "");
  other.link = "https://abc.co.uk/3";
  Article unlinked = MakeArticle("unlinked", "Four", "");
  Archive archive({bbc, news, other, unlinked});

  CHECK(archive.Matching(Value(QueryField::kSite, "bbc.co.uk")) ==
        Ids{"bbc", "news"});
  CHECK(archive.Matching(Value(QueryField::kSite, "www.bbc.co.uk")) ==
        Ids{"bbc", "news"});
  CHECK(archive.Matching(Value(QueryField::kSite, "News.BBC.co.uk.")) ==
        Ids{"news"});
  CHECK(archive.Matching(Value(QueryField::kSite, "co.uk")) ==
        Ids{"bbc", "news", "other"});
  CHECK(archive.Matching(Value(QueryField::kSite, "uk")) ==
        Ids{"bbc", "news", "other"});
  // Whole labels only.
  CHECK(archive.Matching(Value(QueryField::kSite, "c.co.uk")).empty());
  CHECK(archive.Matching(Value(QueryField::kSite, "bbc.co")).empty());
  CHECK(archive.Matching(Value(QueryField::kSite, "bbc")).empty());
}

TEST_CASE("feed: and category: match whole values, any case and spacing",
          "[query_terms]") {
  Article world = MakeArticle("world", "One", "");
  world.feed_name = "BBC World News";
  world.categories = {"Politics", "Middle East"};
  Article business = MakeArticle("business", "Two", "");
  business.feed_name = "BBC World";
  business.categories = {"Business"};
  Article long_name = MakeArticle("long", "Three", "");
  long_name.feed_name = std::string(250, 'n') + " feed";
  Archive archive({world, business, long_name});

  CHECK(archive.Matching(Value(QueryField::kFeed, "bbc  world NEWS")) ==
        Ids{"world"});
  CHECK(archive.Matching(Value(QueryField::kFeed, "BBC World")) ==
        Ids{"business"});
  CHECK(archive.Matching(Value(QueryField::kFeed, "bbc")).empty());
  CHECK(archive.Matching(
            Value(QueryField::kFeed, std::string(250, 'N') + "  FEED")) ==
        Ids{"long"});
  CHECK(
      archive.Matching(Value(QueryField::kFeed, std::string(250, 'n') + " fed"))
          .empty());

  CHECK(archive.Matching(Value(QueryField::kCategory, "politics")) ==
        Ids{"world"});
  CHECK(archive.Matching(Value(QueryField::kCategory, "MIDDLE east")) ==
        Ids{"world"});
  CHECK(archive.Matching(Value(QueryField::kCategory, "east")).empty());
  CHECK(archive.Matching(Or({Value(QueryField::kCategory, "business"),
                             Value(QueryField::kCategory, "politics")})) ==
        Ids{"world", "business"});
}

TEST_CASE("lang: finds the tag and every region of a language",
          "[query_terms]") {
  Article austrian = MakeArticle("de-at", "Eins", "");
  austrian.language = "de-at";
  Article german = MakeArticle("de", "Zwei", "");
  german.language = "de";
  Article english = MakeArticle("en", "Three", "");
  english.language = "en";
  Archive archive({austrian, german, english, MakeArticle("none", "Four")});

  CHECK(archive.Matching(Value(QueryField::kLanguage, "de")) ==
        Ids{"de-at", "de"});
  CHECK(archive.Matching(Value(QueryField::kLanguage, "DE_AT")) ==
        Ids{"de-at"});
  CHECK(archive.Matching(Value(QueryField::kLanguage, "de-de")).empty());
  CHECK(archive.Matching(And({Word("three"), Not(Value(QueryField::kLanguage,
                                                       "de"))})) == Ids{"en"});
}

TEST_CASE("published: ranges are [from, to), either end open",
          "[query_terms]") {
  std::vector<Article> articles;
  for (int day = 0; day < 4; ++day) {
    // Midnight of each day, and the last second of it.
    Article midnight = MakeArticle("day" + std::to_string(day), "Troops", "");
    midnight.published = kNov1 + day * kDay;
    Article late = MakeArticle("late" + std::to_string(day), "Troops", "");
    late.published = kNov1 + (day + 1) * kDay - 1;
    articles.push_back(midnight);
    articles.push_back(late);
  }
  Archive archive(articles);

  CHECK(archive.Matching(Published(kNov1 + kDay, kNov1 + 3 * kDay)) ==
        Ids{"day1", "late1", "day2", "late2"});
  CHECK(archive.Matching(Published(kNov1 + 2 * kDay, kOpenEnd)) ==
        Ids{"day2", "late2", "day3", "late3"});
  CHECK(archive.Matching(Published(kOpenStart, kNov1 + kDay)) ==
        Ids{"day0", "late0"});
  CHECK(archive.Matching(Published(kOpenStart, kOpenEnd)).size() == 8);
  CHECK(archive.Matching(Published(kNov1 + kDay, kNov1 + kDay)).empty());
  CHECK(archive.Matching(Published(kNov1 + 2 * kDay, kNov1 + kDay)).empty());
  CHECK(archive.Matching(Published(kOpenStart, kOpenStart)).empty());
  CHECK(archive.Matching(
            And({Word("troop"), Published(kNov1 + 3 * kDay, kOpenEnd)})) ==
        Ids{"day3", "late3"});
}

TEST_CASE("since: counts back from the time the query is compiled for",
          "[query_terms]") {
  Article old_article = MakeArticle("old", "Troops", "");
  old_article.published = kNov1 - 1;
  Article edge = MakeArticle("edge", "Troops", "");
  edge.published = kNov1;
  Article recent = MakeArticle("recent", "Troops", "");
  recent.published = kNov1 + 7 * kDay - 60;
  Archive archive({old_article, edge, recent});

  const CompileOptions a_week_later = At(kNov1 + 7 * kDay);
  CHECK(archive.Matching(Since(7 * kDay), a_week_later) ==
        Ids{"edge", "recent"});
  CHECK(archive.Matching(Since(60), a_week_later) == Ids{"recent"});
  CHECK(archive.Matching(Since(59), a_week_later).empty());
  CHECK(archive.Matching(Since(kOpenEnd), a_week_later).size() == 3);
  CHECK(archive.Matching(Since(7 * kDay), At(kNov1 + 8 * kDay)) ==
        Ids{"recent"});
}

TEST_CASE("Matched terms show words, prefixes, phrases and groups, not filters",
          "[query_terms][matched_terms]") {
  Article first = MakeArticle("first", "Troop caps in Kyiv", "sanctions loom");
  first.feed_name = "World";
  Article second = MakeArticle("second", "Troops leave", "price cap");
  second.feed_name = "Business";
  Archive archive({first, second});
  using TermsById = std::map<std::string, std::vector<std::string>>;

  CHECK(archive.Matched(And({Prefix("Sanction"), Word("Kyiv")})) ==
        TermsById{{"first", {"sanction*", "kyiv"}}});
  CHECK(
      archive.Matched(Or({Near({"Troop", "CAPS"}, 2), Phrase("Price  Cap")})) ==
      TermsById{{"first", {"troop NEAR/2 caps"}}, {"second", {"price cap"}}});
  CHECK(archive.Matched(Adj({"troop", "caps"}, 1)) ==
        TermsById{{"first", {"troop ADJ/1 caps"}}});
  // A filter is never shown, but decides whether the group around it matched.
  CHECK(archive.Matched(
            Or({And({Word("troop"), Value(QueryField::kFeed, "world")}),
                Word("cap")})) ==
        TermsById{{"first", {"troop", "cap"}}, {"second", {"cap"}}});
  CHECK(archive.Matched(And({Word("troop"), Published(kNov1, kNov1 + kDay)})) ==
        TermsById{{"first", {"troop"}}, {"second", {"troop"}}});
  CHECK(archive.Matched(
            And({Word("troop"), Not(Value(QueryField::kFeed, "world"))})) ==
        TermsById{{"second", {"troop"}}});
}

}  // namespace
}  // namespace newswatch::indexer
