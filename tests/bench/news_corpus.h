// NewsCorpus: the real news feeds of ../shared/corpora/realworld-news,
// parsed, as the material the benchmarks make realistic articles and saved
// searches from: the feeds themselves (outlet, URL, site, captured body),
// their articles, a pool of their sentences, and their vocabulary with
// document frequencies (which words are names, which pairs of words recur).
//
// ArticleGenerator then makes any number of articles of about 2 KB of text
// from that material, deterministically: the real articles first (their
// text topped up with real sentences to the size wanted), then articles
// whose title mixes two real titles and whose text is real sentences drawn
// at random. Words therefore keep their real frequencies and
// co-occurrences, which is what the index's and the matcher's costs depend
// on.
//
// Header-only (each bench is one executable). Randomness is mt19937_64's raw
// output only: the standard fixes its sequence, not the distributions'.
#ifndef NEWSWATCH_TESTS_BENCH_NEWS_CORPUS_H_
#define NEWSWATCH_TESTS_BENCH_NEWS_CORPUS_H_

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "indexer/article.h"
#include "indexer/feed_parser.h"

namespace newswatch::bench {

// Just after the corpus's feeds were captured (2026-02-18 07:33 UTC): the
// "now" of every bench, so that the real articles' dates look recent.
inline constexpr std::int64_t kCorpusNow = 1771400000;

// Deterministic randomness from a seed.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); n > 0.
  size_t Below(size_t n) { return static_cast<size_t>(engine_() % n); }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool Chance(double probability) { return Unit() < probability; }

 private:
  std::mt19937_64 engine_;
};

// Picks positions with probability proportional to their weights.
class WeightedPick {
 public:
  WeightedPick() = default;
  explicit WeightedPick(const std::vector<double>& weights) {
    double total = 0;
    cumulative_.reserve(weights.size());
    for (const double weight : weights) cumulative_.push_back(total += weight);
  }

  bool empty() const { return cumulative_.empty(); }

  // Requires !empty().
  size_t Pick(Random& random) const {
    const double at = random.Unit() * cumulative_.back();
    const auto found =
        std::upper_bound(cumulative_.begin(), cumulative_.end(), at);
    return std::min(static_cast<size_t>(found - cumulative_.begin()),
                    cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

// Calls `visit(word, start_of_sentence)` for each word of `text`: runs of
// ASCII letters and digits and of non-ASCII letters (UTF-8), split at ASCII
// punctuation and at Unicode punctuation, symbols and spaces (curly quotes,
// dashes, no-break spaces). A word starts a sentence when nothing but
// spaces and quotes separate it from the text's start or a '.', '!' or '?'.
template <typename Visit>
void ForEachWord(std::string_view text, Visit visit) {
  size_t start = std::string_view::npos;
  bool sentence_start = true;
  bool word_sentence_start = true;
  size_t at = 0;
  while (at < text.size()) {
    const auto byte = static_cast<unsigned char>(text[at]);
    size_t length = 1;
    bool word_char = false;
    if (byte < 0x80) {
      word_char = std::isalnum(byte) != 0;
    } else {
      std::uint32_t code = 0;
      if (byte >= 0xF0) {
        length = 4;
        code = byte & 0x07u;
      } else if (byte >= 0xE0) {
        length = 3;
        code = byte & 0x0Fu;
      } else if (byte >= 0xC0) {
        length = 2;
        code = byte & 0x1Fu;
      }
      length = std::min(length, text.size() - at);
      for (size_t i = 1; i < length; ++i) {
        code = (code << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3Fu);
      }
      const bool punctuation = (code >= 0x80 && code <= 0xBF) || code == 0xD7 ||
                               code == 0xF7 ||
                               (code >= 0x2000 && code <= 0x206F) ||
                               (code >= 0x2190 && code <= 0x2BFF) ||
                               (code >= 0x3000 && code <= 0x303F) ||
                               (code >= 0xFE30 && code <= 0xFE4F) ||
                               (code >= 0xFF00 && code <= 0xFF0F);
      word_char = !punctuation;
    }
    if (word_char) {
      if (start == std::string_view::npos) {
        start = at;
        word_sentence_start = sentence_start;
      }
      sentence_start = false;
    } else {
      if (start != std::string_view::npos) {
        visit(text.substr(start, at - start), word_sentence_start);
        start = std::string_view::npos;
      }
      if (byte == '.' || byte == '!' || byte == '?') sentence_start = true;
    }
    at += length;
  }
  if (start != std::string_view::npos) {
    visit(text.substr(start), word_sentence_start);
  }
}

// ASCII letters lower-cased; the rest as it is.
inline std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

// Words too common or too empty to be what anyone saves a search for:
// English function words, the news's reporting verbs, days and months, and
// the halves of contractions that the tokeniser leaves ("don" of "don't").
inline bool IsStopword(std::string_view word) {
  static const std::unordered_set<std::string_view> kStopwords = {
      "the",      "and",       "for",       "are",        "but",
      "not",      "you",       "all",       "any",        "can",
      "had",      "her",       "was",       "one",        "our",
      "out",      "has",       "his",       "how",        "its",
      "may",      "new",       "now",       "old",        "see",
      "two",      "who",       "did",       "get",        "him",
      "let",      "say",       "she",       "too",        "use",
      "that",     "with",      "have",      "this",       "will",
      "your",     "from",      "they",      "been",       "were",
      "said",     "each",      "which",     "their",      "there",
      "what",     "about",     "would",     "these",      "other",
      "into",     "more",      "some",      "could",      "them",
      "than",     "then",      "only",      "over",       "also",
      "after",    "most",      "such",      "where",      "when",
      "while",    "just",      "like",      "many",       "much",
      "very",     "even",      "back",      "well",       "being",
      "because",  "before",    "between",   "both",       "during",
      "through",  "under",     "until",     "against",    "among",
      "since",    "without",   "within",    "those",      "should",
      "might",    "must",      "does",      "doing",      "here",
      "again",    "further",   "once",      "same",       "own",
      "off",      "per",       "via",       "yet",        "says",
      "told",     "according", "including", "across",     "around",
      "away",     "still",     "made",      "make",       "takes",
      "take",     "year",      "years",     "time",       "first",
      "last",     "week",      "day",       "days",       "month",
      "months",   "people",    "way",       "part",       "don",
      "doesn",    "didn",      "isn",       "aren",       "wasn",
      "weren",    "won",       "can",       "couldn",     "wouldn",
      "shouldn",  "hasn",      "haven",     "hadn",       "ain",
      "let",      "who",       "whom",      "whose",      "why",
      "upon",     "onto",      "whether",   "though",     "although",
      "however",  "almost",    "already",   "always",     "another",
      "anything", "something", "nothing",   "everything", "every",
      "few",      "less",      "least",     "lot",        "lots",
      "mr",       "mrs",       "ms",        "http",       "https",
      "www",      "com",       "html",      "amp",        "quot",
      "nbsp",     "image",     "photo",     "getty",      "images",
      "read",     "story",     "continue",  "reading",    "href",
      "seguir",   "leyendo",   "monday",    "tuesday",    "wednesday",
      "thursday", "friday",    "saturday",  "sunday",     "january",
      "february", "march",     "april",     "june",       "july",
      "august",   "september", "october",   "november",   "december"};
  return kStopwords.count(word) > 0;
}

struct VocabularyWord {
  std::string text;      // Lower-cased (ASCII).
  size_t documents = 0;  // Real articles that contain it.
  // Written capitalised in the middle of sentences: a name, a place, an
  // organisation.
  bool name = false;
  // In a headline: a topic rather than the filler of sentences.
  bool in_titles = false;
};

// One of the corpus's news feeds.
struct Outlet {
  std::string name;      // As the manifest calls it, without its remark.
  std::string url;       // Where the feed was captured from.
  std::string host;      // Of its articles' links ("www.bbc.com").
  std::string language;  // Of its first article; "en" when it says none.
  std::string body;      // The captured feed.
  std::vector<indexer::Article> articles;  // ParseFeed's, of `body`.
};

// A real article, by outlet and position there.
struct RealArticleRef {
  size_t outlet = 0;
  const indexer::Article* article = nullptr;
};

class NewsCorpus {
 public:
  // Reads `folder` (realworld-news: manifest.tsv and the feeds it lists,
  // leaving out the manifest's ill-formed personal blogs) and parses every
  // feed at kCorpusNow. nullopt, with the reason in `why_not`, when the
  // folder or its manifest is missing or no feed parses.
  static std::optional<NewsCorpus> Load(const std::filesystem::path& folder,
                                        std::string* why_not) {
    std::ifstream manifest(folder / "manifest.tsv");
    if (!manifest) {
      *why_not = "no " + (folder / "manifest.tsv").string();
      return std::nullopt;
    }
    NewsCorpus corpus;
    std::string line;
    std::getline(manifest, line);  // The header.
    while (std::getline(manifest, line)) {
      std::vector<std::string> fields;
      std::istringstream in(line);
      for (std::string field; std::getline(in, field, '\t');) {
        fields.push_back(field);
      }
      if (fields.size() < 7 ||
          fields[2].starts_with("(personal blog) ILLFORMED")) {
        continue;
      }
      std::ifstream file(folder / fields[0], std::ios::binary);
      if (!file) continue;
      Outlet outlet;
      outlet.body.assign(std::istreambuf_iterator<char>(file), {});
      outlet.url = fields[1];
      outlet.name = fields[2].substr(0, fields[2].find(" ("));
      auto parsed = indexer::ParseFeed(outlet.body, {outlet.url, outlet.name},
                                       kCorpusNow);
      if (!parsed.ok() || parsed.value().articles.empty()) continue;
      outlet.articles = std::move(parsed.value().articles);
      outlet.language = outlet.articles.front().language.empty()
                            ? "en"
                            : outlet.articles.front().language;
      outlet.host = HostOf(outlet.articles.front().link);
      if (outlet.host.empty()) outlet.host = HostOf(outlet.url);
      corpus.outlets_.push_back(std::move(outlet));
    }
    if (corpus.outlets_.empty()) {
      *why_not = "no feed of " + folder.string() + " parsed";
      return std::nullopt;
    }
    corpus.Analyse();
    return corpus;
  }

  // Moves keep the articles where they are, so articles() stays valid;
  // copies would not.
  NewsCorpus(NewsCorpus&&) = default;
  NewsCorpus& operator=(NewsCorpus&&) = default;
  NewsCorpus(const NewsCorpus&) = delete;
  NewsCorpus& operator=(const NewsCorpus&) = delete;

  // The host of an http(s) URL, or empty.
  static std::string HostOf(std::string_view url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return "";
    url.remove_prefix(scheme + 3);
    return LowerAscii(url.substr(0, url.find_first_of("/?#:")));
  }

  const std::vector<Outlet>& outlets() const { return outlets_; }
  const std::vector<RealArticleRef>& articles() const { return articles_; }
  const std::vector<std::string>& sentences() const { return sentences_; }
  const std::vector<std::string>& titles() const { return titles_; }
  // Content words (no stopwords, at least 3 bytes, a letter, in at least 2
  // articles), most frequent first.
  const std::vector<VocabularyWord>& words() const { return words_; }
  // Pairs of content words written one after the other ("white house"),
  // at least 3 times, with how often; most frequent first.
  const std::vector<std::pair<std::string, size_t>>& bigrams() const {
    return bigrams_;
  }
  // Whether any real title or text has a word (lower-cased ASCII) that
  // starts with `prefix`, even once.
  bool HasWordStartingWith(std::string_view prefix) const {
    const auto at =
        std::lower_bound(all_words_.begin(), all_words_.end(), prefix);
    return at != all_words_.end() && at->starts_with(prefix);
  }

 private:
  NewsCorpus() = default;

  void Analyse() {
    std::unordered_map<std::string, size_t> position;  // In words_.
    std::unordered_map<std::string, std::pair<size_t, size_t>> middles;
    std::unordered_map<std::string, size_t> pairs;
    std::unordered_set<std::string> all_words;
    for (size_t o = 0; o < outlets_.size(); ++o) {
      for (const indexer::Article& article : outlets_[o].articles) {
        articles_.push_back({o, &article});
        titles_.push_back(article.title);
        const std::string text = WithoutShortcodes(article.text);
        AddSentences(text);
        std::unordered_set<std::string> seen;
        std::string previous;  // The content word just before, if any.
        const auto count = [&](std::string_view raw, bool in_text,
                               bool sentence_start) {
          std::string word = LowerAscii(raw);
          all_words.insert(word);
          const bool content = IsContentWord(word);
          if (in_text && content && !previous.empty()) {
            ++pairs[previous + " " + word];
          }
          if (in_text) previous = content ? word : "";
          if (!content) return;
          if (in_text && !sentence_start) {
            auto& [all, capitalised] = middles[word];
            ++all;
            if (std::isupper(static_cast<unsigned char>(raw[0]))) {
              ++capitalised;
            }
          }
          auto [at, added] = position.try_emplace(word, words_.size());
          if (added) words_.push_back({word});
          VocabularyWord& entry = words_[at->second];
          if (!in_text) entry.in_titles = true;
          if (seen.insert(word).second) ++entry.documents;
        };
        ForEachWord(article.title, [&](std::string_view word, bool) {
          count(word, false, false);
        });
        ForEachWord(text, [&](std::string_view word, bool sentence_start) {
          count(word, true, sentence_start);
        });
      }
    }
    all_words_.assign(all_words.begin(), all_words.end());
    std::sort(all_words_.begin(), all_words_.end());
    for (VocabularyWord& word : words_) {
      const auto found = middles.find(word.text);
      if (found != middles.end()) {
        const auto [all, capitalised] = found->second;
        word.name = all >= 2 && capitalised * 5 >= all * 4;
      }
    }
    std::erase_if(
        words_, [](const VocabularyWord& word) { return word.documents < 2; });
    std::stable_sort(words_.begin(), words_.end(),
                     [](const VocabularyWord& a, const VocabularyWord& b) {
                       return a.documents > b.documents;
                     });
    for (auto& [pair, times] : pairs) {
      if (times >= 3) bigrams_.emplace_back(pair, times);
    }
    std::sort(
        bigrams_.begin(), bigrams_.end(), [](const auto& a, const auto& b) {
          return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
  }

  // `text` without the publisher's shortcodes that some feeds leave in
  // their text (TIME's `[time-brightcove not-tgx="true"]`): they are not
  // words anyone writes or searches.
  static std::string WithoutShortcodes(std::string_view text) {
    std::string kept;
    kept.reserve(text.size());
    for (size_t at = 0; at < text.size();) {
      const size_t open = text.find('[', at);
      const size_t close = open == std::string_view::npos
                               ? std::string_view::npos
                               : text.find(']', open);
      if (close == std::string_view::npos) {
        kept.append(text.substr(at));
        break;
      }
      const std::string_view inside = text.substr(open, close - open);
      kept.append(text.substr(at, open - at));
      if (inside.size() > 200 || inside.find('=') == std::string_view::npos) {
        kept.append(inside).push_back(']');
      }
      at = close + 1;
    }
    return kept;
  }

  static bool IsContentWord(std::string_view word) {
    if (word.size() < 3 || IsStopword(word)) return false;
    return std::any_of(word.begin(), word.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte >= 0x80 || std::isalpha(byte);
    });
  }

  // Splits at ". ", "! " and "? " before a capital or a quote; keeps the
  // sentences of 30 to 600 bytes (shorter ones are mostly captions and
  // bylines, longer ones lists).
  void AddSentences(std::string_view text) {
    size_t start = 0;
    for (size_t at = 0; at + 2 < text.size(); ++at) {
      const char c = text[at];
      if ((c == '.' || c == '!' || c == '?') && text[at + 1] == ' ' &&
          (std::isupper(static_cast<unsigned char>(text[at + 2])) ||
           text[at + 2] == '"' ||
           static_cast<unsigned char>(text[at + 2]) == 0xE2)) {
        KeepSentence(text.substr(start, at + 1 - start));
        start = at + 2;
      }
    }
    if (start < text.size()) KeepSentence(text.substr(start));
  }

  void KeepSentence(std::string_view sentence) {
    while (!sentence.empty() && sentence.front() == ' ') {
      sentence.remove_prefix(1);
    }
    if (sentence.size() >= 30 && sentence.size() <= 600) {
      sentences_.emplace_back(sentence);
    }
  }

  std::vector<Outlet> outlets_;
  std::vector<RealArticleRef> articles_;
  std::vector<std::string> sentences_;
  std::vector<std::string> titles_;
  std::vector<VocabularyWord> words_;
  std::vector<std::pair<std::string, size_t>> bigrams_;
  std::vector<std::string> all_words_;  // Sorted.
};

// A feed that generated articles belong to.
struct BenchFeed {
  std::string name;
  std::string url;
  std::string host;      // Of its articles' links.
  std::string language;  // Its articles' language tag.
  std::string section;   // A category its articles carry; may be empty.
  size_t outlet = 0;     // The corpus outlet it is modelled on.
};

// `count` feeds: when `outlets_first`, the corpus's outlets themselves
// (their names, URLs, hosts and languages), then, as for every feed when
// not, sections of them ("BBC News Business", at
// https://bench.example/feeds/N.xml) round-robin over the outlets.
inline std::vector<BenchFeed> MakeFeeds(const NewsCorpus& corpus, size_t count,
                                        bool outlets_first) {
  static constexpr std::string_view kSections[] = {
      "Business", "Politics", "Technology", "Science", "Health",
      "Sport",    "Culture",  "Climate",    "Economy", "Opinion"};
  const std::vector<Outlet>& outlets = corpus.outlets();
  std::vector<BenchFeed> feeds;
  std::set<std::string> names;
  if (outlets_first) {
    for (size_t o = 0; o < outlets.size() && feeds.size() < count; ++o) {
      const Outlet& outlet = outlets[o];
      if (!names.insert(outlet.name).second) continue;
      feeds.push_back(
          {outlet.name, outlet.url, outlet.host, outlet.language, "", o});
    }
  }
  for (size_t n = 0; feeds.size() < count; ++n) {
    const size_t o = n % outlets.size();
    const std::string_view section =
        kSections[(n / outlets.size()) % std::size(kSections)];
    const Outlet& outlet = outlets[o];
    std::string name = outlet.name.substr(0, outlet.name.find(" - ")) + " " +
                       std::string(section);
    if (n >= outlets.size() * std::size(kSections)) {
      name += " " + std::to_string(n / (outlets.size() * std::size(kSections)));
    }
    if (!names.insert(name).second) continue;
    feeds.push_back(
        {name,
         "https://bench.example/feeds/" + std::to_string(feeds.size()) + ".xml",
         outlet.host, outlet.language, LowerAscii(section), o});
  }
  return feeds;
}

struct ArticleShape {
  size_t min_text_bytes = 1600;
  size_t max_text_bytes = 2400;
  // Published at a uniform time in (newest - span_seconds, newest].
  std::int64_t newest = kCorpusNow;
  std::int64_t span_seconds = 24 * 60 * 60;
  // Articles 0..(real articles - 1) are the corpus's own, topped up.
  bool real_first = true;
};

class ArticleGenerator {
 public:
  // `feeds` must not be empty; an article goes to a feed modelled on its
  // real model's outlet when there is one.
  ArticleGenerator(const NewsCorpus& corpus, std::vector<BenchFeed> feeds,
                   ArticleShape shape, std::uint64_t seed)
      : corpus_(corpus),
        feeds_(std::move(feeds)),
        shape_(shape),
        seed_(seed),
        feeds_of_outlet_(corpus.outlets().size()) {
    for (size_t f = 0; f < feeds_.size(); ++f) {
      feeds_of_outlet_[feeds_[f].outlet].push_back(f);
    }
  }

  const std::vector<BenchFeed>& feeds() const { return feeds_; }

  // Article `number`: the same for the same number, generator and corpus.
  // Its id and link are https://<host>/bench/<number>.
  indexer::Article Make(size_t number) const {
    Random random(seed_ ^ (0x9E3779B97F4A7C15ull * (number + 1)));
    const std::vector<RealArticleRef>& real = corpus_.articles();
    const bool is_real = shape_.real_first && number < real.size();
    const RealArticleRef model =
        is_real ? real[number] : real[random.Below(real.size())];
    const std::vector<size_t>& candidates = feeds_of_outlet_[model.outlet];
    const BenchFeed& feed =
        candidates.empty()
            ? feeds_[random.Below(feeds_.size())]
            : feeds_[candidates[random.Below(candidates.size())]];

    indexer::Article article;
    article.feed_url = feed.url;
    article.feed_name = feed.name;
    article.link = "https://" + feed.host + "/bench/" + std::to_string(number);
    article.id = article.link;
    article.title = is_real ? model.article->title : MixedTitle(random);
    article.author = model.article->author;
    article.categories = model.article->categories;
    if (!feed.section.empty()) article.categories.push_back(feed.section);
    article.language = feed.language;
    article.published =
        shape_.newest - static_cast<std::int64_t>(random.Below(
                            static_cast<size_t>(shape_.span_seconds)));

    const size_t target =
        shape_.min_text_bytes +
        random.Below(shape_.max_text_bytes - shape_.min_text_bytes + 1);
    std::string text = is_real ? model.article->text : std::string();
    const std::vector<std::string>& sentences = corpus_.sentences();
    while (text.size() < target && !sentences.empty()) {
      if (!text.empty()) text += ' ';
      text += sentences[random.Below(sentences.size())];
    }
    if (text.size() > shape_.max_text_bytes) {
      text = CutAtSentence(text, shape_.max_text_bytes);
    }
    article.text = std::move(text);
    return article;
  }

 private:
  // The first words of one real title and the last of another.
  std::string MixedTitle(Random& random) const {
    const std::vector<std::string>& titles = corpus_.titles();
    const std::string& first = titles[random.Below(titles.size())];
    const std::string& second = titles[random.Below(titles.size())];
    size_t cut_first = first.find(' ', first.size() / 2);
    if (cut_first == std::string::npos) cut_first = first.size();
    size_t cut_second = second.find(' ', second.size() / 2);
    if (cut_second == std::string::npos) cut_second = second.size();
    return first.substr(0, cut_first) + second.substr(cut_second);
  }

  // At most `max_bytes`: up to the last sentence end that fits, else the
  // last space (never inside a UTF-8 sequence).
  static std::string CutAtSentence(const std::string& text, size_t max_bytes) {
    const std::string_view head(text.data(), max_bytes);
    size_t end = head.rfind(". ");
    if (end != std::string_view::npos && end > max_bytes / 2) {
      return text.substr(0, end + 1);
    }
    end = head.rfind(' ');
    return text.substr(0, end == std::string_view::npos ? max_bytes : end);
  }

  const NewsCorpus& corpus_;
  std::vector<BenchFeed> feeds_;
  ArticleShape shape_;
  std::uint64_t seed_;
  std::vector<std::vector<size_t>> feeds_of_outlet_;
};

}  // namespace newswatch::bench

#endif  // NEWSWATCH_TESTS_BENCH_NEWS_CORPUS_H_
