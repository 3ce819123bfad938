#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "indexer/query.h"

namespace newswatch::indexer {
namespace {

using Kind = QueryNode::Kind;

constexpr std::int64_t kOpenFrom = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kOpenTo = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kDay = 86400;
// 2025-11-01T00:00:00Z.
constexpr std::int64_t kNovember1 = 1761955200;

QueryNode Tree(const std::string& text) {
  config::Result<QueryNode> parsed = ParseQuery(text);
  INFO("query: " << text);
  INFO("error: " << (parsed.ok() ? "" : parsed.error().what));
  REQUIRE(parsed.ok());
  return parsed.value();
}

std::string Parsed(const std::string& text) { return Tree(text).ToString(); }

std::string ErrorOf(const std::string& text) {
  config::Result<QueryNode> parsed = ParseQuery(text);
  INFO("query: " << text);
  INFO("parsed: " << (parsed.ok() ? parsed.value().ToString() : ""));
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().what;
}

// Structural equality of two trees, every member compared (the tests' own:
// query.h defines no operator==).
bool SameTree(const QueryNode& a, const QueryNode& b) {
  if (a.kind != b.kind || a.field != b.field || a.text != b.text ||
      a.distance != b.distance || a.from != b.from || a.to != b.to ||
      a.seconds != b.seconds || a.children.size() != b.children.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameTree(a.children[i], b.children[i])) return false;
  }
  return true;
}

TEST_CASE("ParseQuery ANDs words by default", "[query]") {
  CHECK(Parsed("troop cap") == "(troop AND cap)");
  CHECK(Parsed("Ukraine AND troop cap") == "(Ukraine AND troop AND cap)");
  CHECK(Parsed("  spaced   out  ") == "(spaced AND out)");
}

TEST_CASE("ParseQuery binds OR tighter than AND, as web search does",
          "[query]") {
  CHECK(Parsed("Ukraine troops OR soldiers") ==
        "(Ukraine AND (troops OR soldiers))");
  CHECK(Parsed("a OR b OR c") == "(a OR b OR c)");
  CHECK(Parsed("(a b) OR c") == "((a AND b) OR c)");
}

TEST_CASE("ParseQuery reads NOT and -word as negation", "[query]") {
  CHECK(Parsed("Russia NOT sanctions") == "(Russia AND NOT sanctions)");
  CHECK(Parsed("Russia -sanctions") == "(Russia AND NOT sanctions)");
  CHECK(Parsed("-\"price cap\" oil") == "(NOT \"price cap\" AND oil)");
  CHECK(Parsed("a -(b OR c)") == "(a AND NOT (b OR c))");
  CHECK(Parsed("NOT a") == "NOT a");
}

TEST_CASE("ParseQuery keeps hyphenated words whole", "[query]") {
  CHECK(Parsed("air-defence systems") == "(air-defence AND systems)");
}

TEST_CASE("ParseQuery treats lower-case operators as words", "[query]") {
  CHECK(Parsed("war and peace") == "(war AND and AND peace)");
  CHECK(Parsed("or not") == "(or AND not)");
  CHECK(Parsed("a near b adj c") == "(a AND near AND b AND adj AND c)");
}

TEST_CASE("ParseQuery reads quoted phrases", "[query]") {
  CHECK(Parsed("\"troop cap\" Ukraine") == "(\"troop cap\" AND Ukraine)");
}

TEST_CASE("ParseQuery refuses unbalanced parentheses", "[query]") {
  CHECK_THAT(
      ErrorOf("(Ukraine troops"),
      Catch::Contains("unbalanced parentheses") && Catch::Contains("column 1"));
  CHECK_THAT(ErrorOf("Ukraine troops)"),
             Catch::Contains("unbalanced parentheses") &&
                 Catch::Contains("column 15"));
  CHECK_THAT(ErrorOf("((a) b"), Catch::Contains("never closed"));
  CHECK_THAT(ErrorOf("()"), Catch::Contains("empty parentheses"));
}

TEST_CASE("ParseQuery refuses unbalanced quotes", "[query]") {
  CHECK_THAT(ErrorOf("\"troop cap"), Catch::Contains("unbalanced quotes") &&
                                         Catch::Contains("column 1"));
  CHECK_THAT(ErrorOf("a \"b\" \"c"), Catch::Contains("column 7"));
  CHECK_THAT(ErrorOf("\"\""), Catch::Contains("no words"));
}

TEST_CASE("ParseQuery refuses dangling and doubled operators", "[query]") {
  CHECK_THAT(ErrorOf("Ukraine AND"), Catch::Contains("AND at column 9") &&
                                         Catch::Contains("nothing after it"));
  CHECK_THAT(ErrorOf("OR troops"), Catch::Contains("OR at column 1") &&
                                       Catch::Contains("nothing before it"));
  CHECK_THAT(ErrorOf("a AND AND b"), Catch::Contains("is followed by AND"));
  CHECK_THAT(ErrorOf("a OR AND b"), Catch::Contains("OR at column 3"));
  CHECK_THAT(ErrorOf("a NOT"), Catch::Contains("NOT at column 3"));
  CHECK_THAT(ErrorOf("(a OR)"), Catch::Contains("nothing after it"));
}

TEST_CASE("ParseQuery refuses empty queries and words without letters",
          "[query]") {
  CHECK_THAT(ErrorOf(""), Catch::Contains("empty"));
  CHECK_THAT(ErrorOf("   "), Catch::Contains("empty"));
  CHECK_THAT(ErrorOf("troops —"), Catch::Contains("no letters or digits") &&
                                      Catch::Contains("column 8"));
  // Longer than the index keeps a word (64 bytes): not "no letters".
  CHECK_THAT(ErrorOf("a " + std::string(70, 'x')),
             Catch::Contains("too long") && Catch::Contains("column 3"));
}

TEST_CASE("ParseQuery bounds size and nesting", "[query]") {
  CHECK_THAT(ErrorOf(std::string(kMaxQueryBytes + 1, 'a')),
             Catch::Contains("limit"));
  CHECK_THAT(ErrorOf(std::string(200, '(') + "a" + std::string(200, ')')),
             Catch::Contains("nested too deeply"));
  std::string negations;
  for (int i = 0; i < 100; ++i) negations += "NOT ";
  CHECK_THAT(ErrorOf(negations + "a"), Catch::Contains("nested too deeply"));
}

TEST_CASE("ParseQuery bounds the tree's height, so ToString parses back",
          "[query]") {
  // Each group holds an AND of an OR: two levels of tree per parenthesis.
  auto nested = [](int levels) {
    std::string query = "z";
    for (int i = 0; i < levels; ++i) query = "x y OR (" + query + ")";
    return query;
  };
  const QueryNode fits = Tree(nested(31));
  CHECK(SameTree(Tree(fits.ToString()), fits));
  CHECK_THAT(ErrorOf(nested(40)), Catch::Contains("nested too deeply"));
}

// ---- Fields ----

TEST_CASE("ParseQuery reads title: and author: on words and phrases",
          "[query][field]") {
  const QueryNode title = Tree("title:Ukraine");
  CHECK(title.kind == Kind::kWord);
  CHECK(title.field == QueryField::kTitle);
  CHECK(title.text == "Ukraine");
  const QueryNode author = Tree("AUTHOR:\"Jane Doe\"");
  CHECK(author.kind == Kind::kPhrase);
  CHECK(author.field == QueryField::kAuthor);
  CHECK(author.text == "Jane Doe");
  CHECK(Parsed("Title:kyiv troops") == "(title:kyiv AND troops)");
  CHECK(Parsed("-title:sport news") == "(NOT title:sport AND news)");
}

TEST_CASE("A field before a group applies to every leaf in it",
          "[query][field]") {
  CHECK(Parsed("title:(kyiv OR kiev)") == "(title:kyiv OR title:kiev)");
  CHECK(Parsed("title:(a -b \"c d\")") ==
        "(title:a AND NOT title:b AND title:\"c d\")");
  CHECK(Parsed("title:(a (b OR c))") == "(title:a AND (title:b OR title:c))");
  // The same field again inside is allowed (and redundant).
  CHECK(Parsed("title:(title:a b)") == "(title:a AND title:b)");
  const QueryNode group = Tree("author:(smith OR jones)");
  for (const QueryNode& child : group.children) {
    CHECK(child.field == QueryField::kAuthor);
  }
}

TEST_CASE("ParseQuery refuses a different field inside a field group",
          "[query][field]") {
  CHECK_THAT(ErrorOf("title:(a author:b)"),
             Catch::Contains("author: at column 10") &&
                 Catch::Contains("inside title:( at column 1"));
  CHECK_THAT(ErrorOf("feed:(bbc title:x)"), Catch::Contains("inside feed:("));
  CHECK_THAT(ErrorOf("title:(a since:7d)"),
             Catch::Contains("since: at column 10 cannot be inside title:("));
  CHECK_THAT(ErrorOf("feed:(bbc published:2025-11-01)"),
             Catch::Contains("published: at column 11 cannot be inside"));
}

TEST_CASE("ParseQuery names the known fields for an unknown one",
          "[query][field]") {
  CHECK_THAT(ErrorOf("ab foo:bar"),
             Catch::Contains("unknown field 'foo' at column 4") &&
                 Catch::Contains("title:, author:, feed:, site:, category:, "
                                 "lang:, published: and since:"));
  CHECK_THAT(ErrorOf("Breaking: news"),
             Catch::Contains("unknown field 'Breaking'"));
  CHECK_THAT(ErrorOf("title:foo:bar"), Catch::Contains("unknown field 'foo'"));
  CHECK_THAT(ErrorOf("title:author:x"),
             Catch::Contains("author: at column 7 follows another field"));
}

TEST_CASE("A colon after something other than letters stays in the word",
          "[query][field]") {
  CHECK(Parsed("10:30 meeting") == "(10:30 AND meeting)");
  CHECK(Parsed("title:10:30") == "title:10:30");
  CHECK(Tree("title:10:30").text == "10:30");
}

TEST_CASE("A field needs its value right after the colon", "[query][field]") {
  CHECK_THAT(ErrorOf("title: ukraine"),
             Catch::Contains("title: at column 1 has nothing after it"));
  CHECK_THAT(ErrorOf("a title:"), Catch::Contains("column 3") &&
                                      Catch::Contains("nothing after it"));
  CHECK_THAT(ErrorOf("(title:)"), Catch::Contains("nothing after it"));
  CHECK_THAT(ErrorOf("title:-sport"),
             Catch::Contains("title: at column 1 must be followed by a word") &&
                 Catch::Contains("not '-'"));
}

TEST_CASE("A word right after a field is a word, never an operator",
          "[query][field]") {
  const QueryNode node = Tree("title:AND");
  CHECK(node.kind == Kind::kWord);
  CHECK(node.text == "AND");
  CHECK(Tree("title:NEAR").kind == Kind::kWord);
  CHECK(Parsed("x title:OR y") == "(x AND title:OR AND y)");
}

// ---- Value fields ----

TEST_CASE("Value fields make normalised kValue leaves", "[query][value]") {
  const QueryNode feed = Tree("feed:\"BBC   World\"");
  CHECK(feed.kind == Kind::kValue);
  CHECK(feed.field == QueryField::kFeed);
  CHECK(feed.text == "bbc world");
  CHECK(feed.ToString() == "feed:\"bbc world\"");
  CHECK(Tree("category:Politics").text == "politics");
  CHECK(Tree("category:\" Économie \"").text == "économie");
  CHECK(Tree("site:WWW.BBC.co.uk.").text == "bbc.co.uk");
  CHECK(Tree("site:bücher.de").text == "bücher.de");
  CHECK(Tree("site:news-site.example").text == "news-site.example");
  CHECK(Tree("lang:pt_BR").text == "pt-br");
  CHECK(Tree("lang:DE").text == "de");
  CHECK(Tree("lang:zh-Hant-TW").text == "zh-hant-tw");
  CHECK(Parsed("feed:(bbc OR \"Le Monde\") -category:sport") ==
        "((feed:bbc OR feed:\"le monde\") AND NOT category:sport)");
  CHECK(Parsed("category:(a -b)") == "(category:a AND NOT category:b)");
}

TEST_CASE("Value fields refuse values that cannot be one", "[query][value]") {
  CHECK_THAT(ErrorOf("feed:\"  \""),
             Catch::Contains("feed: value") && Catch::Contains("is empty"));
  CHECK_THAT(ErrorOf("site:\"bbc co uk\""),
             Catch::Contains("site: value \"bbc co uk\" at column 6") &&
                 Catch::Contains("not a host name"));
  CHECK_THAT(ErrorOf("site:bbc..co.uk"), Catch::Contains("not a host name"));
  CHECK_THAT(ErrorOf("site:.bbc.co.uk"), Catch::Contains("not a host name"));
  CHECK_THAT(ErrorOf("site:bbc.co.uk/news"),
             Catch::Contains("not a host name"));
  CHECK_THAT(ErrorOf("site:www."), Catch::Contains("is empty"));
  CHECK_THAT(ErrorOf("lang:german"),
             Catch::Contains("lang: value 'german' at column 6") &&
                 Catch::Contains("not a language tag"));
  CHECK_THAT(ErrorOf("lang:e"), Catch::Contains("not a language tag"));
  CHECK_THAT(ErrorOf("lang:de-"), Catch::Contains("not a language tag"));
  CHECK_THAT(ErrorOf("lang:de-abcdefghi"),
             Catch::Contains("not a language tag"));
  CHECK_THAT(ErrorOf("lang:d3"), Catch::Contains("not a language tag"));
  CHECK_THAT(ErrorOf("feed:bb*"), Catch::Contains("'*' is not a wildcard"));
  CHECK_THAT(ErrorOf("feed:(a NEAR b)"),
             Catch::Contains("NEAR needs single words") &&
                 Catch::Contains("a feed: value"));
}

TEST_CASE("NormaliseFieldValue is the one normalisation of values",
          "[query][value]") {
  CHECK(NormaliseFieldValue(QueryField::kFeed, " BBC\t\n World ") ==
        "bbc world");
  // A no-break space is whitespace too.
  CHECK(NormaliseFieldValue(QueryField::kCategory, "A\xC2\xA0 B") == "a b");
  CHECK(NormaliseFieldValue(QueryField::kCategory, "ÄRZTE") == "ärzte");
  CHECK(NormaliseFieldValue(QueryField::kSite, "www.www.Example.COM.") ==
        "example.com");
  CHECK(NormaliseFieldValue(QueryField::kSite, "wwwexample.com") ==
        "wwwexample.com");
  CHECK(NormaliseFieldValue(QueryField::kFeed, "www.x.") == "www.x.");
  CHECK(NormaliseFieldValue(QueryField::kLanguage, "en_GB") == "en-gb");
  CHECK(NormaliseFieldValue(QueryField::kFeed, "  ").empty());
  for (const char* value : {"x.com .", "www. www.x..", " A  b ", "en_US"}) {
    for (QueryField field :
         {QueryField::kSite, QueryField::kLanguage, QueryField::kFeed}) {
      const std::string once = NormaliseFieldValue(field, value);
      CHECK(NormaliseFieldValue(field, once) == once);
    }
  }
}

// ---- Proximity ----

TEST_CASE("ParseQuery reads NEAR and ADJ with their distances",
          "[query][near]") {
  const QueryNode near = Tree("troop NEAR/3 cap");
  CHECK(near.kind == Kind::kNear);
  CHECK(near.distance == 3);
  REQUIRE(near.children.size() == 2);
  CHECK(near.children[0].kind == Kind::kWord);
  CHECK(near.children[1].text == "cap");
  CHECK(Tree("a NEAR b").distance == 10);
  const QueryNode adj = Tree("a ADJ b");
  CHECK(adj.kind == Kind::kAdjacent);
  CHECK(adj.distance == 1);
  CHECK(Tree("a ADJ/1000 b").distance == 1000);
  CHECK(Parsed("a ADJ/2 b") == "(a ADJ/2 b)");
  CHECK(Parsed("a NEAR b") == "(a NEAR/10 b)");
}

TEST_CASE("A NEAR chain is one node", "[query][near]") {
  const QueryNode chain = Tree("a NEAR/3 b NEAR/3 c");
  CHECK(chain.kind == Kind::kNear);
  CHECK(chain.children.size() == 3);
  CHECK(Parsed("a NEAR b NEAR/10 c") == "(a NEAR/10 b NEAR/10 c)");
}

TEST_CASE("NEAR and ADJ bind tighter than OR and AND", "[query][near]") {
  CHECK(Parsed("a NEAR/3 b OR c") == "((a NEAR/3 b) OR c)");
  CHECK(Parsed("c OR a NEAR/3 b") == "(c OR (a NEAR/3 b))");
  CHECK(Parsed("x a ADJ b y") == "(x AND (a ADJ/1 b) AND y)");
  CHECK(Parsed("-(a NEAR b) c") == "(NOT (a NEAR/10 b) AND c)");
}

TEST_CASE("ParseQuery refuses mixed NEAR chains and bad distances",
          "[query][near]") {
  CHECK_THAT(ErrorOf("a NEAR/3 b ADJ/3 c"),
             Catch::Contains("NEAR/3 at column 3 and ADJ/3 at column 12") &&
                 Catch::Contains("cannot be chained"));
  CHECK_THAT(ErrorOf("a NEAR/3 b NEAR/4 c"), Catch::Contains("chained"));
  CHECK_THAT(ErrorOf("a NEAR/0 b"), Catch::Contains("NEAR/0 at column 3") &&
                                        Catch::Contains("from 1 to 1000"));
  CHECK_THAT(ErrorOf("a NEAR/1001 b"), Catch::Contains("from 1 to 1000"));
  CHECK_THAT(ErrorOf("a ADJ/x b"), Catch::Contains("ADJ/x at column 3"));
  CHECK_THAT(ErrorOf("a NEAR/ b"), Catch::Contains("from 1 to 1000"));
  CHECK_THAT(ErrorOf("NEAR a"), Catch::Contains("NEAR at column 1") &&
                                    Catch::Contains("nothing before it"));
  CHECK_THAT(ErrorOf("a NEAR/2"), Catch::Contains("NEAR/2 at column 3") &&
                                      Catch::Contains("nothing after it"));
  CHECK_THAT(ErrorOf("a NEAR OR b"), Catch::Contains("is followed by OR"));
  // Words that only start like an operator are words.
  CHECK(Parsed("NEARBY ADJUST") == "(NEARBY AND ADJUST)");
}

TEST_CASE("NEAR needs single plain words", "[query][near]") {
  CHECK(ErrorOf("air-defence NEAR/3 systems") ==
        "NEAR/3 needs single words: 'air-defence' at column 1 is several");
  CHECK_THAT(ErrorOf("a NEAR 東京"),
             Catch::Contains("'東京' at column 8 is several"));
  CHECK_THAT(ErrorOf("\"a b\" NEAR c"),
             Catch::Contains("column 1 holds a phrase"));
  CHECK_THAT(ErrorOf("a NEAR sanc*"),
             Catch::Contains("column 8 holds a prefix"));
  CHECK_THAT(ErrorOf("(a OR b) NEAR c"),
             Catch::Contains("column 1 holds a group"));
  CHECK_THAT(ErrorOf("(a) NEAR c"), Catch::Contains("column 1 holds a group"));
  CHECK_THAT(ErrorOf("title:(a) NEAR title:c"),
             Catch::Contains("column 1 holds a group"));
  CHECK_THAT(ErrorOf("-a NEAR c"),
             Catch::Contains("column 1 holds a negation"));
  CHECK_THAT(ErrorOf("a NEAR NOT c"),
             Catch::Contains("column 8 holds a negation"));
  CHECK_THAT(ErrorOf("a NEAR since:7d"),
             Catch::Contains("column 8 holds a date"));
  CHECK_THAT(ErrorOf("a NEAR lang:de"),
             Catch::Contains("column 8 holds a lang: value"));
  // One word with an apostrophe is one word; so is one CJK character.
  CHECK(Tree("Ukraine's NEAR troops").kind == Kind::kNear);
  CHECK(Tree("東 NEAR 京").kind == Kind::kNear);
}

TEST_CASE("NEAR refuses a word twice in one group", "[query][near]") {
  CHECK_THAT(ErrorOf("a NEAR/2 b NEAR/2 A"),
             Catch::Contains("NEAR/2 at column 3 has 'A' twice"));
}

TEST_CASE("NEAR keeps a text field on its words and on itself",
          "[query][near]") {
  for (const char* query :
       {"title:a NEAR/2 title:b", "title:(a NEAR/2 b)", "TITLE:(a NEAR/2 b)"}) {
    const QueryNode node = Tree(query);
    INFO(query);
    CHECK(node.kind == Kind::kNear);
    CHECK(node.field == QueryField::kTitle);
    for (const QueryNode& child : node.children) {
      CHECK(child.field == QueryField::kTitle);
    }
    CHECK(node.ToString() == "(title:a NEAR/2 title:b)");
  }
  CHECK(Parsed("author:(a ADJ b) OR c") == "((author:a ADJ/1 author:b) OR c)");
  CHECK_THAT(ErrorOf("title:a NEAR/2 b"),
             Catch::Contains("NEAR/2 needs its words in one field") &&
                 Catch::Contains("title:a at column 1 but b at column 16"));
  CHECK_THAT(ErrorOf("title:a NEAR author:b"), Catch::Contains("in one field"));
}

// ---- Prefixes ----

TEST_CASE("ParseQuery reads a trailing '*' as a prefix", "[query][prefix]") {
  const QueryNode prefix = Tree("sanction*");
  CHECK(prefix.kind == Kind::kPrefix);
  CHECK(prefix.text == "sanction");
  CHECK(prefix.field == QueryField::kAny);
  CHECK(Tree("Sanction*").text == "Sanction");
  CHECK(Parsed("title:sanc* oil") == "(title:sanc* AND oil)");
  CHECK(Parsed("oil -sanction*") == "(oil AND NOT sanction*)");
  CHECK(Parsed("oil NOT sanction*") == "(oil AND NOT sanction*)");
  CHECK(Parsed("title:(sanc* OR embargo)") == "(title:sanc* OR title:embargo)");
}

TEST_CASE("A lone '*' is the empty prefix", "[query][prefix]") {
  const QueryNode star = Tree("*");
  CHECK(star.kind == Kind::kPrefix);
  CHECK(star.text.empty());
  CHECK(star.ToString() == "*");
  CHECK(Parsed("* -sport") == "(* AND NOT sport)");
  CHECK(Tree("title:*").field == QueryField::kTitle);
}

TEST_CASE("ParseQuery refuses wildcards elsewhere and odd prefixes",
          "[query][prefix]") {
  CHECK_THAT(ErrorOf("a sanc*ion"),
             Catch::Contains("'sanc*ion' at column 3") &&
                 Catch::Contains("wildcards only at the end of a word"));
  CHECK_THAT(ErrorOf("*tion"), Catch::Contains("wildcards only at the end"));
  CHECK_THAT(ErrorOf("**"), Catch::Contains("wildcards only at the end"));
  CHECK_THAT(ErrorOf("air-def*"), Catch::Contains("must be a single word"));
  CHECK_THAT(ErrorOf("U.S*"),
             Catch::Contains("as it is indexed") && Catch::Contains("'us*'"));
  CHECK_THAT(ErrorOf("—*"), Catch::Contains("must be a single word"));
}

// ---- Dates ----

TEST_CASE("published: reads days and ranges in UTC", "[query][date]") {
  const QueryNode range = Tree("published:2025-11-01..2025-11-30");
  CHECK(range.kind == Kind::kPublished);
  CHECK(range.from == kNovember1);
  CHECK(range.to == kNovember1 + 30 * kDay);
  const QueryNode day = Tree("published:2025-11-01");
  CHECK(day.from == kNovember1);
  CHECK(day.to == kNovember1 + kDay);
  const QueryNode from = Tree("published:2025-11-01..");
  CHECK(from.from == kNovember1);
  CHECK(from.to == kOpenTo);
  const QueryNode until = Tree("Published:..2025-11-01");
  CHECK(until.from == kOpenFrom);
  CHECK(until.to == kNovember1 + kDay);
  CHECK(Tree("published:1970-01-01").from == 0);
  CHECK(Tree("published:2024-02-29").to - Tree("published:2024-02-29").from ==
        kDay);
  CHECK(Tree("published:9999-12-31").from == 253402214400);
  CHECK(Parsed("published:2025-11-01..2025-11-01") == "published:2025-11-01");
}

TEST_CASE("published: refuses bad dates and ranges", "[query][date]") {
  CHECK_THAT(ErrorOf("published:2025-02-29"),
             Catch::Contains("published:2025-02-29 at column 1") &&
                 Catch::Contains("'2025-02-29' is not a date") &&
                 Catch::Contains("YYYY-MM-DD"));
  for (const char* bad :
       {"published:1969-12-31", "published:2025-1-01", "published:2025-13-01",
        "published:2025-11-31", "published:10000-01-01", "published:today",
        "published:2025-11-01..2025-11-3x", "published:2025/11/01",
        "published:2025-11-01...2025-11-02"}) {
    CHECK_THAT(ErrorOf(bad), Catch::Contains("is not a date"));
  }
  CHECK_THAT(ErrorOf("published:2025-11-30..2025-11-01"),
             Catch::Contains("ends before it starts"));
  CHECK_THAT(ErrorOf("published:.."), Catch::Contains("at least one date"));
  CHECK_THAT(ErrorOf("published:\"2025-11-01\""),
             Catch::Contains("takes a date"));
  CHECK_THAT(ErrorOf("published:(2025-11-01)"),
             Catch::Contains("takes a date"));
}

TEST_CASE("since: reads hours, days, weeks and a start date", "[query][date]") {
  CHECK(Tree("since:36h").seconds == 36 * 3600);
  CHECK(Tree("since:7d").kind == Kind::kSince);
  CHECK(Tree("since:7d").seconds == 7 * kDay);
  CHECK(Tree("since:2w").seconds == 14 * kDay);
  CHECK(Tree("since:36525d").seconds == 36525 * kDay);
  const QueryNode start = Tree("since:2025-11-01");
  CHECK(start.kind == Kind::kPublished);
  CHECK(start.from == kNovember1);
  CHECK(start.to == kOpenTo);
  // Written back in the largest exact unit.
  CHECK(Parsed("since:7d") == "since:1w");
  CHECK(Parsed("since:48h") == "since:2d");
  CHECK(Parsed("since:36h") == "since:36h");
  CHECK(Parsed("since:14d") == "since:2w");
  CHECK(Parsed("since:2025-11-01") == "published:2025-11-01..");
}

TEST_CASE("since: refuses what is not a span or a date", "[query][date]") {
  for (const char* bad :
       {"since:7", "since:7y", "since:d", "since:-7d", "since:7.5d",
        "since:yesterday", "since:99999999999h"}) {
    CHECK_THAT(ErrorOf(bad), Catch::Contains("since:") &&
                                 (Catch::Contains("hours, days or weeks") ||
                                  Catch::Contains("at most 100 years") ||
                                  Catch::Contains("must be followed")));
  }
  CHECK_THAT(ErrorOf("since:0d"), Catch::Contains("at least 1"));
  CHECK_THAT(ErrorOf("since:36526d"), Catch::Contains("at most 100 years"));
  CHECK_THAT(ErrorOf("a since:7x"), Catch::Contains("since:7x at column 3"));
}

// ---- ToString ----

TEST_CASE("ToString parses back to the same tree", "[query][roundtrip]") {
  const std::vector<std::string> queries = {
      "troop cap",
      "Ukraine troops OR soldiers",
      "(a b) OR c",
      "((a AND b) AND c)",
      "NOT NOT a",
      "-\"price cap\" oil",
      "a -(b OR c)",
      "air-defence systems",
      "war and peace",
      "10:30",
      "--x",
      "Ukraine’s",
      "title:ukraine -sport",
      "Title:\"troop cap\"",
      "title:(kyiv OR kiev) author:smith",
      "title:(a (b OR -c))",
      "title:AND",
      "title:--x",
      "feed:\"BBC World\"",
      "feed:\"a:b\"",
      "feed:\"(x)\"",
      "category:\"c*\"",
      "feed:\"-x\"",
      "feed:(bbc OR cnn) site:www.Example.com.",
      "site:bücher.de",
      "lang:pt_BR Truppen",
      "category:\"World  News\"",
      "sanction*",
      "*",
      "title:*",
      "-sanction* NOT embargo*",
      "troop NEAR/3 cap",
      "a NEAR b NEAR c",
      "a ADJ b",
      "a ADJ/7 b OR c",
      "title:(a NEAR/2 b) OR author:(c ADJ d)",
      "published:2025-11-01..2025-11-30",
      "published:2025-11-01",
      "published:2025-11-01..",
      "published:..2025-11-30",
      "since:7d",
      "since:36h",
      "since:3w",
      "since:2025-11-01",
      "ukraine since:48h -published:2025-01-01..2025-06-30",
      "\" spaced   phrase \"",
      "a\xff b",
  };
  for (const std::string& query : queries) {
    const QueryNode tree = Tree(query);
    const std::string canonical = tree.ToString();
    INFO(query << " -> " << canonical);
    config::Result<QueryNode> again = ParseQuery(canonical);
    INFO("error: " << (again.ok() ? "" : again.error().what));
    REQUIRE(again.ok());
    CHECK(SameTree(again.value(), tree));
    CHECK(again.value().ToString() == canonical);
  }
}

TEST_CASE("SameTree tells different trees apart", "[query][roundtrip]") {
  // The round-trip test is only as good as its comparison.
  CHECK_FALSE(SameTree(Tree("a NEAR/3 b"), Tree("a NEAR/4 b")));
  CHECK_FALSE(SameTree(Tree("title:a"), Tree("author:a")));
  CHECK_FALSE(SameTree(Tree("a b"), Tree("a OR b")));
  CHECK_FALSE(SameTree(Tree("since:7d"), Tree("since:8d")));
  CHECK_FALSE(
      SameTree(Tree("published:2025-11-01"), Tree("published:2025-11-01..")));
  CHECK_FALSE(SameTree(Tree("a b"), Tree("a b c")));
  CHECK(SameTree(Tree("a NEAR/3 b"), Tree("a NEAR/3 b")));
}

// ---- LanguageOfQuery ----

TEST_CASE("LanguageOfQuery names the required lang: when all agree",
          "[query][lang]") {
  CHECK(LanguageOfQuery(Tree("lang:de Truppen")) == "de");
  CHECK(LanguageOfQuery(Tree("lang:de")) == "de");
  CHECK(LanguageOfQuery(Tree("lang:de-AT Truppen")) == "de");
  CHECK(LanguageOfQuery(Tree("lang:de lang:de_at x")) == "de");
  CHECK(LanguageOfQuery(Tree("(lang:pt-br x) y")) == "pt");
  CHECK(LanguageOfQuery(Tree("Truppen")).empty());
  CHECK(LanguageOfQuery(Tree("lang:de lang:fr x")).empty());
  CHECK(LanguageOfQuery(Tree("lang:de OR lang:fr")).empty());
  CHECK(LanguageOfQuery(Tree("x OR lang:de")).empty());
  CHECK(LanguageOfQuery(Tree("x -lang:de")).empty());
}

}  // namespace
}  // namespace newswatch::indexer
