// Internal to indexer/: parsed queries as Xapian queries over the term scheme
// of article_document.h, with terms made by query_terms.h so that indexing
// and querying agree exactly. Include only from indexer's .cc files; public
// headers never mention Xapian.
#ifndef NEWSWATCH_INDEXER_XAPIAN_QUERY_H_
#define NEWSWATCH_INDEXER_XAPIAN_QUERY_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "indexer/article_document.h"
#include "indexer/query.h"
#include "indexer/query_terms.h"

namespace newswatch::indexer {

// True when `text` yields at least one term (it has letters or digits).
bool HasSearchableTerms(std::string_view text);

// The Xapian query for a parsed query tree, each kind as query.h defines it:
//   word       its exact term or its stem (StemmerFor(options.language)); a
//              word of several parts ("air-defence") the phrase of them; a
//              CJK word all its characters and character pairs
//   phrase     its unstemmed words at consecutive positions (CJK: as a word)
//   prefix     OP_WILDCARD on PrefixTermOf; an empty prefix matches all
//   NEAR, ADJ  OP_NEAR / OP_PHRASE over the words' exact (unstemmed) terms,
//              with ProximityWindow's window
//   value      its boolean term (ValueTermOf), weightless
//   published  a range of the published value slot; since: counts back
//              from options.now
//   AND, OR    as they say; NOT is AND_NOT, and a tree that is only
//              negation matches every document but those.
// Throws Xapian::InvalidArgumentError for a NEAR or ADJ word that is not a
// single term (the parser rejects those).
Xapian::Query CompileQuery(const QueryNode& node,
                           const CompileOptions& options);

// The window Xapian's OP_NEAR (kNear) or OP_PHRASE (kAdjacent) is given for
// a group of k words at `distance`: distance + k - 1. So a group matches a
// document when one occurrence of each of its words can be picked, at k
// distinct positions (for kAdjacent, strictly increasing in the order
// written), with last - first <= distance + k - 2. For two words that is
// |difference| <= distance (and, for ADJ, the second after the first); ADJ/1
// over k words is the phrase of them. A word written twice needs two
// occurrences. (Xapian 1.4's QueryParser gives NEAR/n the same window.)
Xapian::termcount ProximityWindow(const QueryNode& group);

// A document whose match is to be explained: its docid, and its id term (see
// IdTerm), which must be unique to it as replace_document makes it.
struct MatchedDocument {
  Xapian::docid docid = 0;
  std::string id_term;
};

// For each of `documents`, which must be distinct and all match `query`
// (compiled with `options`), its matched terms (MatchedTermsOf in
// query_leaves.h): the words, prefixes, phrases and NEAR/ADJ groups of the
// query that took part in the match, deduplicated, in query order. A leaf takes
// part when it matched the document and so did every group around it up to the
// query itself: so a leaf under NOT never does, an OR contributes only the
// alternatives that matched, and an OR alternative that matched only in part
// (`(a b) OR c` with only a and c present) contributes nothing. Value and date
// leaves (feed:, published: ...) are filters: never shown, but they decide
// whether the groups around them matched.
//
// Costs one boolean Enquire per leaf of the query (NOT operands included, as
// they decide whether the groups around them matched), each restricted to
// `documents` by their id terms; then O(query nodes) per document. Throws
// what Xapian throws.
std::vector<std::vector<std::string>> MatchedTerms(
    const Xapian::Database& database, const QueryNode& query,
    const CompileOptions& options,
    const std::vector<MatchedDocument>& documents);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_XAPIAN_QUERY_H_
