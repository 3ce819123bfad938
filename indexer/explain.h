// Why a query did or did not match one article: `newswatch explain`.
#ifndef NEWSWATCH_INDEXER_EXPLAIN_H_
#define NEWSWATCH_INDEXER_EXPLAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/article.h"
#include "indexer/query.h"

namespace newswatch::indexer {

// One word, phrase, prefix, NEAR/ADJ group, field value or date condition
// of the query.
struct LeafExplanation {
  std::string leaf;  // As QueryNode::ToString writes it.
  bool matched = false;
  // Where it matched: "title", "text", "author", "feed", "site",
  // "category", "language", "published".
  std::vector<std::string> fields;
  // The article's words that matched it (its inflections, a prefix's
  // expansions), lower-cased, at most a few.
  std::vector<std::string> matched_words;
  bool negated = false;  // Under a NOT: matching it counts against.
};

struct Explanation {
  bool matches = false;
  std::vector<LeafExplanation> leaves;  // In query order.
  // When it does not match: the parts that failed, each the smallest
  // required part (a leaf, an OR group none of whose parts matched, or a
  // NOT whose operand matched), as QueryNode::ToString writes them.
  std::vector<std::string> missing;
};

// Explains `query` against one article, analysed as the index analyses it,
// with the query's words stemmed in `language` (as CompileOptions) and
// `since:` counted back from `now`. Agrees with the matcher by construction:
// it runs the same verifier.
Explanation ExplainMatch(const QueryNode& query, const Article& article,
                         const std::string& language, std::int64_t now);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_EXPLAIN_H_
