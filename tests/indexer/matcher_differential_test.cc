// The presearcher must never change what fires: thousands of random queries
// (every operator, field, prefix, phrase, proximity and date) against random
// batches give exactly the pairs that verifying every query gives. And the
// matcher must agree with a search of the index, so that an alert fires on
// exactly what `newswatch search` finds.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "indexer/index.h"
#include "indexer/matcher.h"
#include "tests/support/temp_dir.h"

namespace newswatch::indexer {
namespace {

constexpr std::int64_t kNow = 1764547200;  // 2025-12-01T00:00:00Z
constexpr std::int64_t kDay = 86400;

// A small vocabulary, with inflections and possessives, so that random
// queries and articles meet often.
const std::vector<std::string> kWords = {
    "troop",  "troops",      "cap",       "caps",       "ukraine",  "ukraine's",
    "kyiv",   "sanction",    "sanctions", "sanctioned", "border",   "borders",
    "talks",  "peace",       "minister",  "ministers",  "election", "vote",
    "votes",  "voting",      "energy",    "gas",        "price",    "prices",
    "market", "markets",     "storm",     "flood",      "court",    "ruling",
    "2025",   "air-defence", "nato",      "summit",     "the",      "of"};
const std::vector<std::string> kAuthors = {"Anna Smith", "Olek Kowalski",
                                           "Mei Chen", "Lars Berg"};
const std::vector<std::string> kFeeds = {"World News", "BBC", "Reuters",
                                         "Local"};
const std::vector<std::string> kHosts = {"www.bbc.co.uk", "news.bbc.co.uk",
                                         "reuters.com", "apnews.com"};
const std::vector<std::string> kCategories = {"politics", "world news",
                                              "economy", "weather"};
const std::vector<std::string> kLanguages = {"en", "en-gb", "de", ""};

class Random {
 public:
  explicit Random(std::uint32_t seed) : engine_(seed) {}
  size_t Below(size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(engine_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(engine_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  std::mt19937 engine_;
};

std::string Words(Random& random, size_t min, size_t max) {
  std::string text;
  const size_t count = min + random.Below(max - min + 1);
  for (size_t i = 0; i < count; ++i) {
    std::string word = random.Pick(kWords);
    if (random.Chance(0.2)) word[0] = static_cast<char>(std::toupper(word[0]));
    text += (i ? " " : "") + word;
    if (random.Chance(0.1)) text += ",";
  }
  return text;
}

std::vector<Article> RandomBatch(Random& random, size_t size,
                                 const std::string& tag) {
  std::vector<Article> articles;
  for (size_t i = 0; i < size; ++i) {
    Article article;
    article.id = tag + "-" + std::to_string(i);
    article.feed_name = random.Pick(kFeeds);
    article.feed_url = "https://feeds.example/" + article.feed_name;
    article.link = "https://" + random.Pick(kHosts) + "/" + article.id;
    article.title = Words(random, 2, 6);
    article.text = Words(random, 5, 40);
    if (random.Chance(0.7)) article.author = random.Pick(kAuthors);
    for (size_t c = random.Below(3); c > 0; --c) {
      article.categories.push_back(random.Pick(kCategories));
    }
    article.language = random.Pick(kLanguages);
    article.published =
        kNow - static_cast<std::int64_t>(random.Below(10 * 24)) * 3600;
    articles.push_back(std::move(article));
  }
  return articles;
}

std::string PlainWord(Random& random) {
  std::string word;
  do {
    word = random.Pick(kWords);
  } while (word.find_first_of("'-") != std::string::npos);
  return word;
}

std::string RandomDate(Random& random) {
  const int day = 21 + static_cast<int>(random.Below(10));  // Nov 21..30.
  return "2025-11-" + std::to_string(day);
}

std::string RandomLeaf(Random& random) {
  switch (random.Below(14)) {
    case 0:
      return "\"" + random.Pick(kWords) + " " + random.Pick(kWords) + "\"";
    case 1: {
      const std::string word = PlainWord(random);
      return word.substr(0, 1 + random.Below(word.size())) + "*";
    }
    case 2: {
      std::string first = PlainWord(random);
      std::string second = PlainWord(random);
      if (first == second) return first;
      return first + (random.Chance(0.5) ? " NEAR/" : " ADJ/") +
             std::to_string(1 + random.Below(4)) + " " + second;
    }
    case 3:
      return "title:" + random.Pick(kWords);
    case 4:
      return "author:" + std::string(random.Chance(0.5) ? "smith" : "chen");
    case 5:
      return "feed:\"" + random.Pick(kFeeds) + "\"";
    case 6:
      return "site:" +
             std::string(random.Chance(0.5) ? "bbc.co.uk" : "reuters.com");
    case 7:
      return "category:\"" + random.Pick(kCategories) + "\"";
    case 8:
      return "lang:" + std::string(random.Chance(0.5) ? "en" : "de");
    case 9: {
      const std::string from = RandomDate(random);
      const std::string to = RandomDate(random);
      return "published:" + std::min(from, to) + ".." + std::max(from, to);
    }
    case 10:
      return "since:" + std::to_string(1 + random.Below(200)) + "h";
    case 11:
      return "title:\"" + PlainWord(random) + " " + PlainWord(random) + "\"";
    default:
      return random.Pick(kWords);
  }
}

std::string RandomQuery(Random& random, int depth = 0) {
  const size_t parts = 1 + random.Below(3);
  std::string query;
  for (size_t i = 0; i < parts; ++i) {
    std::string part;
    if (depth < 2 && random.Chance(0.25)) {
      part = "(" + RandomQuery(random, depth + 1) + ")";
    } else {
      part = RandomLeaf(random);
    }
    if (random.Chance(0.15)) part = (random.Chance(0.5) ? "NOT " : "-") + part;
    if (i > 0) {
      const size_t op = random.Below(3);
      query += op == 0 ? " " : op == 1 ? " AND " : " OR ";
    }
    query += part;
  }
  return query;
}

// Random queries that parse (a few generated ones do not, such as a NEAR of
// one word with itself).
std::vector<config::Search> RandomSearches(Random& random, size_t count) {
  std::vector<config::Search> searches;
  while (searches.size() < count) {
    config::Search search;
    search.name = "s" + std::to_string(searches.size());
    search.query = RandomQuery(random);
    if (random.Chance(0.1)) search.language = "de";
    if (ParseQuery(search.query).ok()) searches.push_back(std::move(search));
  }
  return searches;
}

TEST_CASE("The presearcher matches exactly what verifying every query does",
          "[matcher][differential]") {
  Random random(20251201);
  const std::vector<config::Search> searches = RandomSearches(random, 4000);
  auto matcher = Matcher::Create(searches);
  REQUIRE(matcher.ok());
  CHECK(matcher.value().Stats().always_verified > 0);
  CHECK(matcher.value().Stats().always_verified < searches.size() / 2);
  size_t total_pairs = 0;
  for (int round = 0; round < 6; ++round) {
    // Sizes on both sides of a 64-article chunk.
    const size_t size = round == 0 ? 1 : 30 + random.Below(120);
    const auto batch =
        AnalyseArticles(RandomBatch(random, size, "r" + std::to_string(round)));
    const std::vector<MatchPair> presearched =
        matcher.value().Match(*batch, kNow, Matcher::Strategy::kPresearch);
    const std::vector<MatchPair> everything =
        matcher.value().Match(*batch, kNow, Matcher::Strategy::kEveryQuery);
    REQUIRE(presearched.size() == everything.size());
    CHECK(presearched == everything);
    total_pairs += everything.size();
  }
  // The queries are meant to match often; a broken generator would make
  // this test vacuous.
  CHECK(total_pairs > 10000);
}

TEST_CASE("The matcher fires on exactly the articles a search finds",
          "[matcher][differential]") {
  Random random(7);
  const std::vector<config::Search> searches = RandomSearches(random, 600);
  auto matcher = Matcher::Create(searches);
  REQUIRE(matcher.ok());
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir.path() / "index");
  REQUIRE(index.ok());
  std::vector<Article> articles = RandomBatch(random, 150, "x");
  REQUIRE(index.value()->WriteBatch(1, articles).ok());

  auto matches = matcher.value().MatchBatch(*index.value(), 1, kNow);
  REQUIRE(matches.ok());
  std::set<std::pair<std::string, std::string>> fired;
  for (const SearchMatch& match : matches.value()) {
    fired.insert({match.search_name, match.hit.article.id});
  }
  std::set<std::pair<std::string, std::string>> found;
  for (const config::Search& search : searches) {
    SearchOptions options;
    options.batch_id = 1;
    options.limit = articles.size();
    options.now = kNow;
    options.language = search.language.empty()
                           ? LanguageOfQuery(ParseQuery(search.query).value())
                           : search.language;
    auto hits =
        index.value()->Search(ParseQuery(search.query).value(), options);
    REQUIRE(hits.ok());
    for (const SearchHit& hit : hits.value()) {
      found.insert({search.name, hit.article.id});
    }
  }
  std::vector<std::pair<std::string, std::string>> only_fired;
  std::vector<std::pair<std::string, std::string>> only_found;
  std::set_difference(fired.begin(), fired.end(), found.begin(), found.end(),
                      std::back_inserter(only_fired));
  std::set_difference(found.begin(), found.end(), fired.begin(), fired.end(),
                      std::back_inserter(only_found));
  for (const auto& [name, id] : only_fired) {
    UNSCOPED_INFO("fired, not found: "
                  << searches[std::stoul(name.substr(1))].query << " on "
                  << id);
  }
  for (const auto& [name, id] : only_found) {
    UNSCOPED_INFO("found, not fired: "
                  << searches[std::stoul(name.substr(1))].query << " on "
                  << id);
  }
  CHECK(only_fired.empty());
  CHECK(only_found.empty());
  CHECK(fired.size() > 1000);
}

}  // namespace
}  // namespace newswatch::indexer
