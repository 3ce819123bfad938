#include "indexer/match_chunk.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace newswatch::indexer {

MatchChunk::MatchChunk(const MatchPrograms& programs)
    : programs_(programs), masks_(programs.slots(), 0) {}

void MatchChunk::Load(const AnalysedBatch& batch, size_t first, size_t count) {
  assert(count <= kMaxArticles && first + count <= batch.terms.size());
  for (const std::uint32_t slot : touched_) masks_[slot] = 0;
  touched_.clear();
  spans_.clear();
  positions_.clear();
  span_start_.assign(1, 0);
  count_ = count;
  const auto term_count = static_cast<std::uint32_t>(programs_.terms());

  auto mark = [&](std::uint32_t slot, std::uint64_t bit) {
    if (masks_[slot] == 0) touched_.push_back(slot);
    masks_[slot] |= bit;
  };
  for (size_t i = 0; i < count; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    const DocumentTerms& terms = batch.terms[first + i];
    published_[i] = batch.articles[first + i].published;
    // Terms come sorted, so each article's spans are sorted by term string;
    // they are sorted by id below.
    const size_t article_spans = spans_.size();
    for (size_t t = 0; t < terms.size(); ++t) {
      const std::string_view text = terms.Term(t);
      if (std::optional<std::uint32_t> id = programs_.FindTerm(text)) {
        mark(*id, bit);
        if (programs_.IsPositional(*id)) {
          const auto offset = static_cast<std::uint32_t>(positions_.size());
          positions_.insert(positions_.end(), terms.PositionsBegin(t),
                            terms.PositionsEnd(t));
          spans_.push_back(
              {*id, offset,
               static_cast<std::uint32_t>(positions_.size() - offset)});
        }
      }
      if (programs_.HasPrefixes()) {
        programs_.ForEachPrefixOf(text, [&](std::uint32_t prefix) {
          mark(term_count + prefix, bit);
        });
      }
    }
    std::sort(spans_.begin() + static_cast<std::ptrdiff_t>(article_spans),
              spans_.end(), [](const PositionSpan& a, const PositionSpan& b) {
                return a.term < b.term;
              });
    span_start_.push_back(static_cast<std::uint32_t>(spans_.size()));
  }
}

std::pair<const std::uint32_t*, const std::uint32_t*> MatchChunk::PositionsOf(
    size_t article, std::uint32_t term) const {
  const auto begin = spans_.begin() + span_start_[article];
  const auto end = spans_.begin() + span_start_[article + 1];
  const auto found = std::lower_bound(
      begin, end, term,
      [](const PositionSpan& span, std::uint32_t t) { return span.term < t; });
  if (found == end || found->term != term) return {nullptr, nullptr};
  const std::uint32_t* first = positions_.data() + found->offset;
  return {first, first + found->count};
}

namespace {

using PositionRange = std::pair<const std::uint32_t*, const std::uint32_t*>;

// Positions p1 < p2 < ... < pk, one from each list in order, with
// pk - p1 < window. For each p1, taking the earliest possible later
// positions gives the smallest pk, so trying that choice suffices.
bool OrderedWithin(const std::vector<PositionRange>& lists,
                   std::uint32_t window) {
  for (const std::uint32_t* first = lists[0].first; first != lists[0].second;
       ++first) {
    std::uint32_t current = *first;
    bool found = true;
    for (size_t i = 1; i < lists.size() && found; ++i) {
      const std::uint32_t* next =
          std::upper_bound(lists[i].first, lists[i].second, current);
      // No later position in this list: none for any later p1 either.
      if (next == lists[i].second) return false;
      current = *next;
      found = current - *first < window;
    }
    if (found) return true;
  }
  return false;
}

// One position from each list, in any order, all within `window`: the
// smallest span that covers every list, by a sliding window over the
// merged positions.
bool UnorderedWithin(
    const std::vector<PositionRange>& lists, std::uint32_t window,
    std::vector<std::pair<std::uint32_t, std::uint32_t>>& merged,
    std::vector<std::uint32_t>& in_window) {
  merged.clear();
  for (std::uint32_t list = 0; list < lists.size(); ++list) {
    for (const std::uint32_t* p = lists[list].first; p != lists[list].second;
         ++p) {
      merged.emplace_back(*p, list);
    }
  }
  std::sort(merged.begin(), merged.end());
  in_window.assign(lists.size(), 0);
  size_t covered = 0;
  size_t left = 0;
  for (size_t right = 0; right < merged.size(); ++right) {
    if (in_window[merged[right].second]++ == 0) ++covered;
    while (covered == lists.size()) {
      if (merged[right].first - merged[left].first < window) return true;
      if (--in_window[merged[left].second] == 0) --covered;
      ++left;
    }
  }
  return false;
}

}  // namespace

std::uint64_t MatchChunk::GroupMatches(const PositionalGroup& group,
                                       std::uint64_t candidates) {
  std::uint64_t matched = 0;
  std::vector<PositionRange>& lists = lists_;
  lists.resize(group.terms);
  for (std::uint64_t rest = candidates; rest != 0; rest &= rest - 1) {
    const int article = __builtin_ctzll(rest);
    bool all_present = true;
    for (size_t i = 0; i < group.terms && all_present; ++i) {
      lists[i] = PositionsOf(static_cast<size_t>(article),
                             programs_.GroupTerm(group, i));
      all_present = lists[i].first != lists[i].second;
    }
    if (!all_present) continue;
    const bool within = group.ordered ? OrderedWithin(lists, group.window)
                                      : UnorderedWithin(lists, group.window,
                                                        merged_, in_window_);
    if (within) matched |= std::uint64_t{1} << article;
  }
  return matched;
}

std::uint64_t MatchChunk::PublishedIn(std::int64_t from,
                                      std::int64_t to) const {
  // INT64_MAX is an open end (as CompileQuery reads it), not a bound.
  const bool open_end = to == std::numeric_limits<std::int64_t>::max();
  std::uint64_t matched = 0;
  for (size_t i = 0; i < count_; ++i) {
    if (published_[i] >= from && (open_end || published_[i] < to)) {
      matched |= std::uint64_t{1} << i;
    }
  }
  return matched;
}

std::uint64_t MatchChunk::Evaluate(size_t search, std::int64_t now,
                                   std::vector<std::uint64_t>* leaf_masks) {
  // Most programs are a handful of ops: their operands fit a fixed stack in
  // registers and L1; deeper ones (long queries) use the member vector.
  const MatchOp* const begin = programs_.ProgramBegin(search);
  const MatchOp* const end = programs_.ProgramEnd(search);
  constexpr size_t kSmallStack = 32;
  std::uint64_t small_stack[kSmallStack];
  std::uint64_t* stack = small_stack;
  if (static_cast<size_t>(end - begin) > kSmallStack) {
    stack_.resize(static_cast<size_t>(end - begin));
    stack = stack_.data();
  }
  size_t depth = 0;
  const std::uint64_t all = AllArticles();
  const auto term_count = static_cast<std::uint32_t>(programs_.terms());
  for (const MatchOp* op = begin; op != end; ++op) {
    std::uint64_t result = 0;
    switch (op->code) {
      case MatchOp::Code::kTerm:
        result = masks_[op->arg];
        break;
      case MatchOp::Code::kPrefix:
        result = masks_[term_count + op->arg];
        break;
      case MatchOp::Code::kEverything:
        result = all;
        break;
      case MatchOp::Code::kPositions: {
        const PositionalGroup& group = programs_.Group(op->arg);
        // Only articles with every term of the group need their positions
        // read.
        std::uint64_t candidates = all;
        for (size_t i = 0; i < group.terms; ++i) {
          candidates &= masks_[programs_.GroupTerm(group, i)];
        }
        result = candidates == 0 ? 0 : GroupMatches(group, candidates);
        break;
      }
      case MatchOp::Code::kPublished: {
        const DateRange& range = programs_.Range(op->arg);
        result = PublishedIn(range.from, range.to);
        break;
      }
      case MatchOp::Code::kSince: {
        const DateRange& range = programs_.Range(op->arg);
        // Saturating, as CompileQuery's start of a since: range is.
        std::int64_t start = 0;
        if (__builtin_sub_overflow(now, range.from, &start)) {
          start = std::numeric_limits<std::int64_t>::min();
        }
        result = PublishedIn(start, std::numeric_limits<std::int64_t>::max());
        break;
      }
      case MatchOp::Code::kAnd:
        result = all;
        for (size_t i = 0; i < op->count; ++i) result &= stack[--depth];
        break;
      case MatchOp::Code::kOr:
        for (size_t i = 0; i < op->count; ++i) result |= stack[--depth];
        break;
      case MatchOp::Code::kNot:
        result = ~stack[--depth] & all;
        break;
    }
    if (leaf_masks && op->ends_leaf) leaf_masks->push_back(result);
    stack[depth++] = result;
  }
  assert(depth == 1);
  return stack[0];
}

}  // namespace newswatch::indexer
