// Matcher: runs every saved search against each batch of newly indexed
// articles, at a cost that does not grow with the number of searches.
//
// The searches are compiled once into a compact verifier program over
// interned terms, and indexed by the terms they require (a presearcher, in
// the manner of Lucene Monitor): each search is filed under a set of
// "anchor" terms, at least one of which every article it matches contains.
// A batch's distinct terms then pick the candidate searches, and only those
// are verified against the batch. Searches with no anchor (pure negations,
// date-only) are verified always, and counted (Stats().always_verified).
//
// The verifier reads the same Xapian documents the index stores
// (AnalysedBatch), and compiles leaves through query_terms.h, so it agrees
// with a search of the index; tests keep both facts true.
//
// Immutable after Create; MatchBatch and Match may run on several threads.
#ifndef NEWSWATCH_INDEXER_MATCHER_H_
#define NEWSWATCH_INDEXER_MATCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::indexer {

struct SearchMatch {
  std::string search_name;
  // The article, a snippet around the first matched word, and the matched
  // terms (SearchHit::matched_terms); no highlights.
  SearchHit hit;
};

// One (search, article) match: positions in the matcher's searches (config
// order) and in the batch.
struct MatchPair {
  size_t search = 0;
  size_t article = 0;
  bool operator==(const MatchPair&) const = default;
};

struct MatcherStats {
  size_t searches = 0;
  size_t always_verified = 0;  // Searches with no anchor term.
  size_t distinct_terms = 0;   // Terms the searches mention, interned once.
  size_t memory_bytes = 0;     // The compiled searches and their indexes.
};

class Matcher {
 public:
  enum class Strategy {
    kPresearch,   // Verify only the searches the batch's terms select.
    kEveryQuery,  // Verify every search: the baseline and the reference.
  };

  // Every saved query that does not parse, each error naming its search.
  static std::vector<config::Error> Validate(
      const std::vector<config::Search>& searches);

  // Parses and compiles the saved queries; fails like Validate on the first
  // bad one. Each search's words are stemmed in its `language`. With an
  // `archive`, each search is filed under the terms rarest in it (a good
  // choice makes matching several times faster); without, or while the
  // archive is small, word length stands in for rarity.
  static config::Result<Matcher> Create(
      const std::vector<config::Search>& searches, Index* archive = nullptr);

  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  ~Matcher();

  // Every (search, article) pair among the articles that `batch_id` wrote,
  // grouped by search in config order, then in batch order. `now` is when
  // `since:` counts back from.
  config::Result<std::vector<SearchMatch>> MatchBatch(Index& index,
                                                      long long batch_id,
                                                      std::int64_t now) const;

  // The matching pairs of an analysed batch, sorted by search then article.
  // Both strategies give the same pairs.
  std::vector<MatchPair> Match(const AnalysedBatch& batch, std::int64_t now,
                               Strategy strategy = Strategy::kPresearch) const;

  MatcherStats Stats() const;

 private:
  struct Compiled;
  explicit Matcher(std::unique_ptr<Compiled> compiled);
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_MATCHER_H_
