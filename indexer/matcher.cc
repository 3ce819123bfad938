#include "indexer/matcher.h"

#include <limits>

namespace newswatch::indexer {
namespace {

config::Error QueryError(const config::Search& search,
                         const config::Error& parse_error) {
  // The loader records where the query was written; searches built in code
  // have no location and are named instead.
  return config::Error::Fatal(
      search.location.empty() ? "search \"" + search.name + "\""
                              : search.location,
      "the query \"" + search.query + "\" of search \"" + search.name +
          "\" does not parse: " + parse_error.what);
}

}  // namespace

std::vector<config::Error> Matcher::Validate(
    const std::vector<config::Search>& searches) {
  std::vector<config::Error> errors;
  for (const config::Search& search : searches) {
    config::Result<QueryNode> parsed = ParseQuery(search.query);
    if (!parsed.ok()) errors.push_back(QueryError(search, parsed.error()));
  }
  return errors;
}

config::Result<Matcher> Matcher::Create(
    const std::vector<config::Search>& searches) {
  Matcher matcher;
  for (const config::Search& search : searches) {
    config::Result<QueryNode> parsed = ParseQuery(search.query);
    if (!parsed.ok()) return QueryError(search, parsed.error());
    matcher.searches_.push_back({search.name, std::move(parsed).value()});
  }
  return matcher;
}

config::Result<std::vector<SearchMatch>> Matcher::MatchBatch(
    Index& index, long long batch_id) const {
  std::vector<SearchMatch> matches;
  SearchOptions options;
  options.batch_id = batch_id;
  // A batch is at most one feed's items, so no limit is needed; the filter
  // on the batch keeps each query's cost to the batch's size.
  options.limit = std::numeric_limits<size_t>::max();
  for (const ParsedSearch& search : searches_) {
    config::Result<std::vector<SearchHit>> hits =
        index.Search(search.query, options);
    if (!hits.ok()) return hits.error();
    for (SearchHit& hit : hits.value()) {
      matches.push_back({search.name, std::move(hit)});
    }
  }
  return matches;
}

}  // namespace newswatch::indexer
