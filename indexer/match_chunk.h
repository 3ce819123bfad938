// Internal to indexer/: up to 64 articles of a batch, seen through the terms
// the compiled searches mention, so that a search verifies against all of
// them at once with bit operations. Include only from indexer's .cc files.
//
// Not thread-safe; one per thread. Reused across chunks: Load clears only
// what the previous chunk set, so a chunk costs what its articles hold, not
// what the dictionary holds.
#ifndef NEWSWATCH_INDEXER_MATCH_CHUNK_H_
#define NEWSWATCH_INDEXER_MATCH_CHUNK_H_

#include <cstdint>
#include <vector>

#include "indexer/analysed_batch.h"
#include "indexer/match_program.h"

namespace newswatch::indexer {

class MatchChunk {
 public:
  static constexpr size_t kMaxArticles = 64;

  explicit MatchChunk(const MatchPrograms& programs);

  // Reads the term lists of batch.documents[first, first + count), count at
  // most kMaxArticles.
  void Load(const AnalysedBatch& batch, size_t first, size_t count);

  size_t size() const { return count_; }
  std::uint64_t AllArticles() const {
    return count_ == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count_) - 1;
  }

  // The slots (term ids, then prefix slots) that occur in the chunk.
  const std::vector<std::uint32_t>& PresentSlots() const { return touched_; }

  // The articles (bit i: the chunk's i-th) that search `search` matches.
  // When `leaf_masks` is given, each query leaf's mask is appended to it in
  // query order.
  std::uint64_t Evaluate(size_t search, std::int64_t now,
                         std::vector<std::uint64_t>* leaf_masks = nullptr);

 private:
  // Where one positional term's positions are, for one article.
  struct PositionSpan {
    std::uint32_t term;
    std::uint32_t offset;  // Into positions_.
    std::uint32_t count;
  };

  std::uint64_t GroupMatches(const PositionalGroup& group,
                             std::uint64_t candidates);
  // The positions of `term` in article `article`; empty if none.
  std::pair<const std::uint32_t*, const std::uint32_t*> PositionsOf(
      size_t article, std::uint32_t term) const;
  std::uint64_t PublishedIn(std::int64_t from, std::int64_t to) const;

  const MatchPrograms& programs_;
  size_t count_ = 0;
  std::vector<std::uint64_t> masks_;  // By slot.
  std::vector<std::uint32_t> touched_;
  std::int64_t published_[kMaxArticles] = {};
  // Per article, sorted by term: spans_[span_start_[a], span_start_[a+1]).
  std::vector<PositionSpan> spans_;
  std::vector<std::uint32_t> span_start_;
  std::vector<std::uint32_t> positions_;
  std::vector<std::uint64_t> stack_;
  // Scratch of the positional checks, kept to avoid allocating per check.
  std::vector<std::pair<const std::uint32_t*, const std::uint32_t*>> lists_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> merged_;
  std::vector<std::uint32_t> in_window_;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_MATCH_CHUNK_H_
