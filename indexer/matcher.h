// Matcher: runs every saved search against one batch of newly indexed
// articles.
#ifndef NEWSWATCH_INDEXER_MATCHER_H_
#define NEWSWATCH_INDEXER_MATCHER_H_

#include <string>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::indexer {

struct SearchMatch {
  std::string search_name;
  SearchHit hit;
};

class Matcher {
 public:
  // Every saved query that does not parse, each error naming its search.
  static std::vector<config::Error> Validate(
      const std::vector<config::Search>& searches);

  // Parses the saved queries; fails like Validate on the first bad one.
  static config::Result<Matcher> Create(
      const std::vector<config::Search>& searches);

  // Every (search, article) pair among the articles that `batch_id` wrote.
  // Matches come grouped by search, in config order.
  config::Result<std::vector<SearchMatch>> MatchBatch(Index& index,
                                                      long long batch_id) const;

 private:
  struct ParsedSearch {
    std::string name;
    QueryNode query;
  };
  std::vector<ParsedSearch> searches_;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_MATCHER_H_
