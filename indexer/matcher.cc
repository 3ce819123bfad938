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

// INTERIM: linear matching through the index while the presearcher is
// written.
struct Matcher::Compiled {
  struct ParsedSearch {
    std::string name;
    QueryNode query;
  };
  std::vector<ParsedSearch> searches;
};

Matcher::Matcher(std::unique_ptr<Compiled> compiled)
    : compiled_(std::move(compiled)) {}
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

config::Result<Matcher> Matcher::Create(
    const std::vector<config::Search>& searches) {
  auto compiled = std::make_unique<Compiled>();
  for (const config::Search& search : searches) {
    config::Result<QueryNode> parsed = ParseQuery(search.query);
    if (!parsed.ok()) return QueryError(search, parsed.error());
    compiled->searches.push_back({search.name, std::move(parsed).value()});
  }
  return Matcher(std::move(compiled));
}

std::vector<MatchPair> Matcher::Match(const AnalysedBatch&, std::int64_t,
                                      Strategy) const {
  return {};
}

MatcherStats Matcher::Stats() const { return {}; }

config::Result<std::vector<SearchMatch>> Matcher::MatchBatch(
    Index& index, long long batch_id, std::int64_t now) const {
  std::vector<SearchMatch> matches;
  SearchOptions options;
  options.batch_id = batch_id;
  // A batch is at most one feed's items, so no limit is needed; the filter
  // on the batch keeps each query's cost to the batch's size.
  options.limit = std::numeric_limits<size_t>::max();
  options.now = now;
  for (const Compiled::ParsedSearch& search : compiled_->searches) {
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
