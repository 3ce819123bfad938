// Lint for saved queries: queries that parse but can never match, or match
// nearly every article. `check-config` prints these as warnings.
#ifndef NEWSWATCH_INDEXER_QUERY_LINT_H_
#define NEWSWATCH_INDEXER_QUERY_LINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/query.h"

namespace newswatch::indexer {

// Each problem as one sentence starting "can never match: " or "matches
// nearly every article: ", saying which part of the query is at fault.
// `now` (Unix seconds) dates published: ranges that ended in the past.
std::vector<std::string> LintQuery(const QueryNode& query, std::int64_t now);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_QUERY_LINT_H_
