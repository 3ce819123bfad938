// Internal to indexer/: a query's leaves, and which of them take part in a
// match. Shared by the index's matched terms, the matcher's alerts and
// `explain`, so all three report the same words. Include only from
// indexer's .cc files.
#ifndef NEWSWATCH_INDEXER_QUERY_LEAVES_H_
#define NEWSWATCH_INDEXER_QUERY_LEAVES_H_

#include <string>
#include <vector>

#include "indexer/query.h"

namespace newswatch::indexer {

// True for the nodes that are leaves: words, prefixes, phrases, NEAR/ADJ
// groups (their words are not leaves of their own), field values and dates.
bool IsLeaf(const QueryNode& node);

// The leaves of `query` in the order they were written.
std::vector<const QueryNode*> LeavesOf(const QueryNode& query);

// Given whether each leaf matched one article (in LeavesOf order), the
// leaves that took part in the match: a leaf takes part when it matched and
// so did every group around it up to the query. A leaf under NOT never
// does; of an OR, only alternatives that matched do. Indexes into LeavesOf.
std::vector<size_t> LeavesTakingPart(const QueryNode& query,
                                     const std::vector<bool>& leaf_matched);

// Whether a leaf is reported as a matched term (words, prefixes, phrases and
// NEAR/ADJ groups; values and dates are filters), and its text as reported:
// as written, lower-cased, whitespace collapsed, phrases without quotes,
// prefixes with their '*', groups as "a NEAR/3 b".
bool IsReportedLeaf(const QueryNode& leaf);
std::string MatchedTermText(const QueryNode& leaf);

// The matched terms of one article: the reported leaves taking part, their
// texts deduplicated, in query order.
std::vector<std::string> MatchedTermsOf(const QueryNode& query,
                                        const std::vector<bool>& leaf_matched);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_QUERY_LEAVES_H_
