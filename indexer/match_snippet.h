// Internal to indexer/: what an alert shows of a match without a search of
// the index: the article's words that matched a query leaf, and a snippet
// of the text around the first of them. Include only from indexer's .cc
// files.
#ifndef NEWSWATCH_INDEXER_MATCH_SNIPPET_H_
#define NEWSWATCH_INDEXER_MATCH_SNIPPET_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "indexer/analysed_batch.h"
#include "indexer/query.h"

namespace newswatch::indexer {

// The article's own words (lower-cased, as indexed) that `leaf` matched in
// its document's `terms`: a word's exact form and the forms sharing its stem
// (by the article's `stemmer`), the words a prefix begins, the words of a
// phrase or NEAR/ADJ group; empty for values, dates and a lone `*`. At most
// `limit`, in term order.
std::vector<std::string> ArticleWordsMatching(const QueryNode& leaf,
                                              const DocumentTerms& terms,
                                              const Xapian::Stem& stemmer,
                                              size_t limit = 8);

// About `max_bytes` of `text` around the first occurrence of any of `words`
// (case-insensitive, at the start of a word) in its first 16 KiB, cut at
// spaces where that keeps the word, and marked "…" where cut; the text's
// start when none occurs. Never cuts a UTF-8 sequence.
std::string SnippetAround(const std::string& text,
                          const std::vector<std::string>& words,
                          size_t max_bytes);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_MATCH_SNIPPET_H_
