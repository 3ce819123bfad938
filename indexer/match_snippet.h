// Internal to indexer/: what an alert shows of a match without a search of
// the index: the article's words that matched a query leaf, and a snippet
// of the text around the first of them. Include only from indexer's .cc
// files.
#ifndef NEWSWATCH_INDEXER_MATCH_SNIPPET_H_
#define NEWSWATCH_INDEXER_MATCH_SNIPPET_H_

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/analysed_batch.h"
#include "indexer/article.h"
#include "indexer/query.h"

namespace newswatch::indexer {

// One article's words and text, prepared for the snippets and explanations
// of its matches: an article that a hundred searches match is stemmed and
// lower-cased once, not a hundred times. Holds references to `article` and
// `terms`, which must outlive it. Not thread-safe.
class ArticleSnippets {
 public:
  ArticleSnippets(const Article& article, const DocumentTerms& terms);

  // The article's own words (lower-cased, as indexed) that `leaf` matched:
  // a word's exact form and the forms sharing its stem (by the article's
  // stemmer), the words a prefix begins, the words of a phrase or NEAR/ADJ
  // group; empty for values, dates and a lone `*`. At most `limit`, in term
  // order.
  std::vector<std::string> WordsMatching(const QueryNode& leaf,
                                         size_t limit = 8);

  // About `max_bytes` of the text around the first occurrence of any of
  // `words` (case-insensitive, at the start of a word) in its first 16 KiB,
  // cut at spaces where that keeps the word, and marked "…" where cut; the
  // text's start when none occurs. Never cuts a UTF-8 sequence.
  std::string Around(const std::vector<std::string>& words, size_t max_bytes);

 private:
  // The text lower-cased character by character, with, for each byte of
  // it, the offset in the text of the character it came from and whether
  // that character starts a word.
  struct LoweredText {
    std::string lower;
    std::vector<std::uint32_t> offset;
    std::vector<bool> word_start;
  };
  // The words of one field (by term prefix) by their stem, in term order.
  using WordsByStem = std::unordered_map<std::string, std::vector<std::string>>;

  const WordsByStem& StemsOf(const std::string& prefix);
  const LoweredText& Lowered();

  const Article& article_;
  const DocumentTerms& terms_;
  Xapian::Stem stemmer_;
  std::unordered_map<std::string, WordsByStem> stems_by_prefix_;
  std::optional<LoweredText> lowered_;
  size_t searched_bytes_ = 0;  // Of the text, whole characters.
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_MATCH_SNIPPET_H_
