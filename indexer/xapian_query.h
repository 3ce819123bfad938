// Internal to indexer/: how text becomes Xapian terms, shared by indexing and
// querying so that both agree exactly. Include only from indexer's .cc files;
// public headers never mention Xapian.
#ifndef NEWSWATCH_INDEXER_XAPIAN_QUERY_H_
#define NEWSWATCH_INDEXER_XAPIAN_QUERY_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "indexer/query.h"

namespace newswatch::indexer {

// Term prefixes and value slots of the index's documents.
inline constexpr char kIdPrefix[] = "Q";      // Unique article id term.
inline constexpr char kBatchPrefix[] = "XB";  // Batch that last wrote it.
inline constexpr char kTitlePrefix[] = "S";   // Title words (also unprefixed).
inline constexpr char kStemPrefix[] = "Z";    // Xapian's stemmed-term prefix.
// The article's language tag ("XLen-gb"), and its primary subtag alone
// ("XLen") so that a search for a language finds every region of it.
inline constexpr char kLanguagePrefix[] = "XL";
inline constexpr Xapian::valueno kPublishedSlot = 0;    // sortable_serialise
inline constexpr Xapian::valueno kContentHashSlot = 1;  // change detection

// The stemmer all text is indexed and queried with. English for now: every
// article's language is not yet known to the index.
Xapian::Stem DefaultStemmer();

// A TermGenerator set up as indexing uses it: stems with the default stemmer,
// keeping both unstemmed terms (with positions, for phrases) and Z-prefixed
// stems (for inflection-tolerant words).
Xapian::TermGenerator MakeTermGenerator();

// True when `text` yields at least one term (it has letters or digits).
bool HasSearchableTerms(std::string_view text);

// The Xapian query for a parsed query tree. A word matches any inflection
// (its stem), a multi-part word like "air-defence" is a phrase of its parts,
// a phrase matches its unstemmed words in order. Negation is AND_NOT; a tree
// that is only negation matches all documents but those.
Xapian::Query CompileQuery(const QueryNode& node);

// A document whose match is to be explained: its docid, and its id term (see
// IdTerm), which must be unique to it as replace_document makes it.
struct MatchedDocument {
  Xapian::docid docid = 0;
  std::string id_term;
};

// For each of `documents`, which must be distinct and all match `query`, the
// words and
// phrases of the query that took part in the match: each as written in the
// query, lowercased (phrases without their quotes, whitespace collapsed),
// deduplicated, in query order. A word or phrase takes part when it matched
// the document and so did every group around it up to the query itself: so
// a word under NOT never does, an OR contributes only the alternatives that
// matched, and an OR alternative that matched only in part (`(a b) OR c`
// with only a and c present) contributes nothing.
//
// Costs one boolean Enquire per word or phrase of the query (NOT operands
// included, as they decide whether the groups around them matched), each
// restricted to `documents` by their id terms; then O(query nodes) per
// document. Throws what Xapian throws.
std::vector<std::vector<std::string>> MatchedTerms(
    const Xapian::Database& database, const QueryNode& query,
    const std::vector<MatchedDocument>& documents);

// The id term of an article id. Ids too long for a Xapian term are hashed.
std::string IdTerm(const std::string& article_id);

std::string BatchTerm(long long batch_id);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_XAPIAN_QUERY_H_
