// SavedSearchGenerator: any number of saved searches of the shape people
// write for news alerts, from a fixed seed, drawn from the real news's
// vocabulary (NewsCorpus): 2-4 words ANDed, mostly content words (names,
// places, topics; no stopwords) with their real frequency skew, and
//
//   ~15% with a phrase          "white house" tariffs
//   ~20% with a field           title:ukraine, site:bbc.co.uk,
//                               feed:"BBC News - World", lang:en
//   ~20% with an OR group       (greenland OR denmark) tariffs
//   ~10% with an excluded word  election -football
//   ~3% with a prefix           sanction* iran
//   ~3% with a NEAR/3 pair      (putin NEAR/3 trump) talks
//
// Words are picked with probability proportional to documents^0.8 (the
// number of real articles that contain them), names (words the news writes
// capitalised) three times more. Other words must have been in a headline
// (topics, not the filler of sentences), and are left out when in more than
// 3% of the articles, as names are when in more than a fifth: people are
// alerted on "Greenland", "tariffs" or "ransomware", not on "government",
// "stated" or "making". Most searches' words are drawn independently, so they
// rarely all meet in one article; a tenth take theirs from one real sentence
// ("jackson civil rights"), as someone following a story would, and match
// the articles that tell it. An OR group gathers words the news writes
// together (names of one thing, as in "kyiv OR ukraine"). How often
// searches fire depends on all of this: the benches print matches per
// article.
//
// Saved searches also name things that are not in the news of the hour.
// The day of news the corpus holds gives some 2,800 words to search for
// (names and headline words), which batches of 64 of its articles largely
// cover; a million people's searches are about far more. So, given a word
// list (RareWordsFrom: Debian's wamerican, names among its words), some of
// the independent draws take a word of it that the corpus never writes (nor
// any word starting as it does, which could share its stem), uniformly
// (names three times more): as many as Zipf's law (s = 1) over both
// vocabularies, the news's first, leaves beyond the news, 1 - H(news words)
// / H(news words + rare words): about a fifth (H(2,800) / H(35,500) is
// 0.77). Without the list every word is the news's, and a presearcher has
// fewer searches it can skip.
//
// Every query is checked with ParseQuery; one that does not parse is
// counted (rejected()) and replaced, so a bench can say so.
#ifndef NEWSWATCH_TESTS_BENCH_SYNTHETIC_SEARCHES_H_
#define NEWSWATCH_TESTS_BENCH_SYNTHETIC_SEARCHES_H_

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/config.h"
#include "indexer/query.h"
#include "tests/bench/news_corpus.h"

namespace newswatch::bench {

// Where Debian's wamerican keeps its American English words.
inline constexpr char kWordListPath[] = "/usr/share/dict/american-english";

// A word saved searches may name that the news corpus never writes.
struct RareWord {
  std::string text;   // Lower-cased.
  bool name = false;  // Capitalised in the list.
};

// A rare word's first letters that no word of the news may start with: so
// that its stem cannot be a news word's ("beings" is "be", as "being" is;
// "nationalizations" is "nation").
inline constexpr size_t kRareWordKey = 5;

// The words of `list` (one a line: Debian's /usr/share/dict format) made of
// ASCII letters only, at least 4 of them, whose first kRareWordKey letters
// (all, if fewer) begin no word that `corpus` writes; lower-cased, each once,
// in the list's order. Empty when the list cannot be read.
inline std::vector<RareWord> RareWordsFrom(const std::filesystem::path& list,
                                           const NewsCorpus& corpus) {
  std::vector<RareWord> words;
  std::ifstream in(list);
  std::unordered_set<std::string> seen;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 4 || !std::all_of(line.begin(), line.end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c)) != 0;
        })) {
      continue;
    }
    std::string word = LowerAscii(line);
    if (corpus.HasWordStartingWith(
            std::string_view(word).substr(0, kRareWordKey)) ||
        IsStopword(word) || !seen.insert(word).second) {
      continue;
    }
    const bool name = std::isupper(static_cast<unsigned char>(line[0])) != 0;
    words.push_back({std::move(word), name});
  }
  return words;
}

// RareWordsFrom the installed word list, saying on stdout when there is
// none (the searches are then made of the news's words alone).
inline std::vector<RareWord> InstalledRareWords(const NewsCorpus& corpus) {
  std::vector<RareWord> words = RareWordsFrom(kWordListPath, corpus);
  if (words.empty()) {
    std::printf(
        "searches: no word list at %s (Debian's wamerican): only the news's "
        "words, so fewer searches a presearcher can skip\n",
        kWordListPath);
  }
  return words;
}

// The values the field searches name: those of the feeds the bench runs, so
// that they can match.
struct SearchMaterial {
  std::vector<std::string> feed_names;  // feed:
  std::vector<std::string> sites;       // site: (hosts, without "www.")
  std::vector<std::string> languages;   // lang:
};

// The feed names, sites and languages of `feeds`, each once.
inline SearchMaterial MaterialOf(const std::vector<BenchFeed>& feeds) {
  SearchMaterial material;
  std::set<std::string> sites;
  std::set<std::string> languages;
  for (const BenchFeed& feed : feeds) {
    if (feed.name.find('"') == std::string::npos) {
      material.feed_names.push_back(feed.name);
    }
    std::string site = feed.host;
    if (site.starts_with("www.")) site.erase(0, 4);
    if (sites.insert(site).second) material.sites.push_back(site);
    if (languages.insert(feed.language).second) {
      material.languages.push_back(feed.language);
    }
  }
  return material;
}

// How many of the searches made so far have each feature.
struct SearchShapeCounts {
  size_t searches = 0;
  size_t words = 0;  // Words and phrases, over all searches.
  size_t phrases = 0;
  size_t fields = 0;
  size_t ors = 0;
  size_t nots = 0;
  size_t prefixes = 0;
  size_t nears = 0;
};

class SavedSearchGenerator {
 public:
  // Names, and other words, in more than these shares of the real articles
  // are left out.
  static constexpr double kMaxNameShare = 0.2;
  static constexpr double kMaxWordShare = 0.03;
  static constexpr double kNameWeight = 3;
  // The share of searches whose words come from one real sentence.
  static constexpr double kOneSentenceShare = 0.1;

  // With `rare_words`, a share of the words drawn are of them (see above).
  // `corpus` must outlive the generator.
  SavedSearchGenerator(const NewsCorpus& corpus, SearchMaterial material,
                       std::uint64_t seed,
                       std::vector<RareWord> rare_words = {})
      : material_(std::move(material)),
        random_(seed),
        sentences_(corpus.sentences()) {
    const auto articles = static_cast<double>(corpus.articles().size());
    std::vector<double> weights;
    for (const VocabularyWord& word : corpus.words()) {
      const auto documents = static_cast<double>(word.documents);
      if (documents > (word.name ? kMaxNameShare : kMaxWordShare) * articles ||
          (!word.name && !word.in_titles)) {
        continue;
      }
      known_.insert(word.text);
      words_.push_back(word.text);
      weights.push_back(std::pow(documents, 0.8) *
                        (word.name ? kNameWeight : 1.0));
    }
    word_pick_ = WeightedPick(weights);
    weights.clear();
    for (const auto& [bigram, times] : corpus.bigrams()) {
      bigrams_.push_back(bigram);
      weights.push_back(static_cast<double>(times));
    }
    bigram_pick_ = WeightedPick(weights);
    for (size_t id = 0; id < sentences_.size(); ++id) {
      ForEachWord(sentences_[id], [&](std::string_view raw, bool) {
        std::string word = LowerAscii(raw);
        if (known_.count(word) == 0) return;
        std::vector<size_t>& ids = sentences_of_[word];
        if (ids.empty() || ids.back() != id) ids.push_back(id);
      });
    }
    weights.clear();
    for (RareWord& word : rare_words) {
      weights.push_back(word.name ? kNameWeight : 1.0);
      rare_words_.push_back(std::move(word.text));
    }
    rare_pick_ = WeightedPick(weights);
    const auto harmonic = [](size_t n) {
      return std::log(static_cast<double>(n)) + 0.5772156649;
    };
    news_share_ = rare_words_.empty() || words_.empty()
                      ? 1.0
                      : harmonic(words_.size()) /
                            harmonic(words_.size() + rare_words_.size());
  }

  // A word, drawn as the searches draw theirs.
  const std::string& Word() {
    if (!rare_pick_.empty() && !random_.Chance(news_share_)) {
      return rare_words_[rare_pick_.Pick(random_)];
    }
    return NewsWord();
  }

  // A content word of the news.
  const std::string& NewsWord() { return words_[word_pick_.Pick(random_)]; }

  // Two content words that the news writes one after the other.
  const std::string& Bigram() {
    return bigram_pick_.empty() ? NewsWord()
                                : bigrams_[bigram_pick_.Pick(random_)];
  }

  // Up to `count` distinct vocabulary words of one real sentence, in the
  // sentence's order.
  std::vector<std::string> WordsOfOneSentence(size_t count) {
    std::vector<std::string> words;
    if (sentences_.empty()) return words;
    ForEachWord(
        sentences_[random_.Below(sentences_.size())],
        [&](std::string_view raw, bool) {
          std::string word = LowerAscii(raw);
          if (known_.count(word) > 0 &&
              std::find(words.begin(), words.end(), word) == words.end()) {
            words.push_back(std::move(word));
          }
        });
    while (words.size() > count) {
      words.erase(words.begin() +
                  static_cast<std::ptrdiff_t>(random_.Below(words.size())));
    }
    return words;
  }

  // The next query; it parses.
  std::string Next() {
    for (;;) {
      Shape shape;
      std::string query = Compose(shape);
      if (indexer::ParseQuery(query).ok()) {
        Count(shape);
        return query;
      }
      if (rejected_++ == 0) first_rejected_ = query;
    }
  }

  // `count` searches named "search-<n>", n counting on from earlier calls,
  // that notify `notify`.
  std::vector<config::Search> Make(
      size_t count, const std::vector<std::string>& notify = {}) {
    std::vector<config::Search> searches;
    searches.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      config::Search search;
      search.name = "search-" + std::to_string(made_++);
      search.query = Next();
      search.notify = notify;
      searches.push_back(std::move(search));
    }
    return searches;
  }

  const SearchShapeCounts& counts() const { return counts_; }
  size_t rejected() const { return rejected_; }
  const std::string& first_rejected() const { return first_rejected_; }
  size_t vocabulary() const { return words_.size(); }

  // One line on the searches made: their features' shares.
  std::string Describe() const {
    const auto share = [&](size_t n) {
      return counts_.searches == 0 ? 0.0
                                   : 100.0 * static_cast<double>(n) /
                                         static_cast<double>(counts_.searches);
    };
    char line[500];
    std::snprintf(
        line, sizeof line,
        "%.2f words or phrases per search; %.1f%% with a phrase, %.1f%% a "
        "field, %.1f%% an OR group, %.1f%% an excluded word, %.1f%% a "
        "prefix, %.1f%% NEAR/3; vocabulary %zu news words, %zu phrases, "
        "%zu rare words (%.0f%% of the independent draws)",
        counts_.searches == 0 ? 0.0
                              : static_cast<double>(counts_.words) /
                                    static_cast<double>(counts_.searches),
        share(counts_.phrases), share(counts_.fields), share(counts_.ors),
        share(counts_.nots), share(counts_.prefixes), share(counts_.nears),
        words_.size(), bigrams_.size(), rare_words_.size(),
        100 * (1 - news_share_));
    return line;
  }

 private:
  struct Shape {
    size_t words = 0;
    bool phrase = false, field = false, any_or = false, negation = false,
         prefix = false, near = false;
  };

  // An alternative to `word` for an OR group, not among `taken`: a news
  // word written in a sentence with it (kyiv for ukraine, denmark for
  // greenland), as people gather the names of one thing; any word when
  // `word` is not the news's or no such sentence offers one.
  std::string Alternative(const std::string& word,
                          const std::vector<std::string>& taken) {
    const auto found = sentences_of_.find(word);
    if (found != sentences_of_.end()) {
      for (int attempt = 0; attempt < 4; ++attempt) {
        const std::vector<size_t>& ids = found->second;
        std::vector<std::string> words;
        ForEachWord(
            sentences_[ids[random_.Below(ids.size())]],
            [&](std::string_view raw, bool) {
              std::string other = LowerAscii(raw);
              if (known_.count(other) > 0 &&
                  std::find(taken.begin(), taken.end(), other) == taken.end()) {
                words.push_back(std::move(other));
              }
            });
        if (!words.empty()) return words[random_.Below(words.size())];
      }
    }
    return FreshWord(taken);
  }

  // A word not among `taken`, if a few draws find one.
  std::string FreshWord(const std::vector<std::string>& taken) {
    std::string word = Word();
    for (int attempt = 0; attempt < 8; ++attempt) {
      if (std::find(taken.begin(), taken.end(), word) == taken.end()) break;
      word = Word();
    }
    return word;
  }

  std::string Compose(Shape& shape) {
    const double size_draw = random_.Unit();
    const size_t count = size_draw < 0.5 ? 2 : size_draw < 0.85 ? 3 : 4;
    // parts[i] is one required word, phrase or group; `plain` says which
    // are still a bare word that a feature may turn into something else.
    std::vector<std::string> parts;
    if (random_.Chance(kOneSentenceShare)) parts = WordsOfOneSentence(count);
    while (parts.size() < count) parts.push_back(FreshWord(parts));
    std::vector<bool> plain(parts.size(), true);
    const auto pick_plain = [&]() -> std::optional<size_t> {
      std::vector<size_t> candidates;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (plain[i]) candidates.push_back(i);
      }
      if (candidates.empty()) return std::nullopt;
      return candidates[random_.Below(candidates.size())];
    };
    if (random_.Chance(0.15)) {
      if (auto at = pick_plain()) {
        parts[*at] = "\"" + Bigram() + "\"";
        plain[*at] = false;
        shape.phrase = true;
      }
    }
    if (random_.Chance(0.03)) {
      // NEAR/3 joins two of the words into one group.
      auto first = pick_plain();
      if (first) plain[*first] = false;
      auto second = pick_plain();
      if (first && second) {
        parts[*first] = "(" + parts[*first] + " NEAR/3 " + parts[*second] + ")";
        parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(*second));
        plain.erase(plain.begin() + static_cast<std::ptrdiff_t>(*second));
        shape.near = true;
      } else if (first) {
        plain[*first] = true;
      }
    }
    if (random_.Chance(0.20)) {
      if (auto at = pick_plain()) {
        std::vector<std::string> taken = parts;
        std::string group = "(" + parts[*at];
        for (int alternatives = random_.Chance(0.3) ? 2 : 1; alternatives > 0;
             --alternatives) {
          taken.push_back(Alternative(parts[*at], taken));
          group += " OR " + taken.back();
        }
        parts[*at] = group + ")";
        plain[*at] = false;
        shape.any_or = true;
      }
    }
    if (random_.Chance(0.03)) {
      if (auto at = pick_plain()) {
        const std::string& word = parts[*at];
        const bool ascii = std::all_of(word.begin(), word.end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c)) != 0;
        });
        if (ascii && word.size() >= 7) {
          parts[*at] = word.substr(0, 5 + random_.Below(2)) + "*";
          plain[*at] = false;
          shape.prefix = true;
        }
      }
    }
    shape.words = parts.size() + (shape.near ? 1 : 0);
    if (random_.Chance(0.20)) {
      const double kind = random_.Unit();
      if (kind < 0.4) {
        if (auto at = pick_plain()) {
          parts[*at] = "title:" + parts[*at];
          plain[*at] = false;
          shape.field = true;
        }
      } else if (kind < 0.65 && !material_.sites.empty()) {
        parts.push_back("site:" +
                        material_.sites[random_.Below(material_.sites.size())]);
        shape.field = true;
      } else if (kind < 0.85 && !material_.feed_names.empty()) {
        parts.push_back(
            "feed:\"" +
            material_.feed_names[random_.Below(material_.feed_names.size())] +
            "\"");
        shape.field = true;
      } else if (!material_.languages.empty()) {
        parts.push_back(
            "lang:" +
            material_.languages[random_.Below(material_.languages.size())]);
        shape.field = true;
      }
    }
    if (random_.Chance(0.10)) {
      parts.push_back("-" + FreshWord(parts));
      shape.negation = true;
    }
    // Shuffled, so a field or an exclusion is not always last.
    for (size_t i = parts.size(); i > 1; --i) {
      std::swap(parts[i - 1], parts[random_.Below(i)]);
    }
    std::string query;
    for (const std::string& part : parts) {
      if (!query.empty()) query += ' ';
      query += part;
    }
    return query;
  }

  void Count(const Shape& shape) {
    ++counts_.searches;
    counts_.words += shape.words;
    counts_.phrases += shape.phrase;
    counts_.fields += shape.field;
    counts_.ors += shape.any_or;
    counts_.nots += shape.negation;
    counts_.prefixes += shape.prefix;
    counts_.nears += shape.near;
  }

  SearchMaterial material_;
  Random random_;
  const std::vector<std::string>& sentences_;
  std::unordered_set<std::string> known_;  // The words of words_.
  // The sentences (positions in sentences_) each word of words_ is in.
  std::unordered_map<std::string, std::vector<size_t>> sentences_of_;
  std::vector<std::string> words_;
  WeightedPick word_pick_;
  std::vector<std::string> bigrams_;
  WeightedPick bigram_pick_;
  std::vector<std::string> rare_words_;
  WeightedPick rare_pick_;
  double news_share_ = 1;  // Of the independent draws.
  SearchShapeCounts counts_;
  size_t rejected_ = 0;
  std::string first_rejected_;
  size_t made_ = 0;
};

}  // namespace newswatch::bench

#endif  // NEWSWATCH_TESTS_BENCH_SYNTHETIC_SEARCHES_H_
