// Internal to indexer/: saved searches compiled for the matcher. Each query
// becomes a short postfix program over interned term ids, so a million
// searches fit in tens of megabytes and verify without allocating. Include
// only from indexer's .cc files.
#ifndef NEWSWATCH_INDEXER_MATCH_PROGRAM_H_
#define NEWSWATCH_INDEXER_MATCH_PROGRAM_H_

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/query.h"
#include "indexer/query_terms.h"
#include "indexer/term_table.h"

namespace newswatch::indexer {

// One step of a postfix program. Leaves push a mask of the articles of a
// chunk they match; operators pop `count` masks and push one.
struct MatchOp {
  enum class Code : std::uint8_t {
    kTerm,        // arg: a term id.
    kPrefix,      // arg: a prefix id.
    kEverything,  // Every article (a lone `*`).
    kPositions,   // arg: a positional group id (phrase, NEAR, ADJ).
    kPublished,   // arg: a date range id.
    kSince,       // arg: a date range id (seconds back from now in `from`).
    kAnd,         // count: operands.
    kOr,          // count: operands.
    kNot,         // One operand.
  };
  Code code = Code::kTerm;
  // Set on the op whose mask is a query leaf's result (QueryNode words,
  // phrases, prefixes, NEAR/ADJ groups, values, dates), in query order; not
  // on the ops inside a leaf (a word's exact and stem terms).
  bool ends_leaf = false;
  std::uint16_t count = 0;  // kAnd, kOr: operands.
  std::uint32_t arg = 0;
};

// Terms that must occur at positions relative to each other.
struct PositionalGroup {
  std::uint32_t first_term = 0;  // Index into MatchPrograms::group_terms.
  std::uint16_t terms = 0;
  bool ordered = false;  // In the order given (phrase, ADJ) or any (NEAR).
  // All the group's positions lie within `window` consecutive positions:
  // the last minus the first is less than `window`.
  std::uint32_t window = 0;
};

struct DateRange {
  std::int64_t from = 0;  // kPublished: [from, to). kSince: seconds back.
  std::int64_t to = 0;
};

// How common a term is: the share of articles holding it (0 to 1), or
// nullopt when unknown. Decides which required terms file a search.
using TermShare = std::function<std::optional<double>(const std::string&)>;

// Every compiled search, sharing one dictionary of terms and prefixes.
class MatchPrograms {
 public:
  // Without `share`, a term's length stands in for its rarity.
  explicit MatchPrograms(TermShare share = {}) : share_(std::move(share)) {}

  // Compiles `query` with its words stemmed by `stemmer`; returns its index.
  // Also computes its anchors.
  size_t Add(const QueryNode& query, const Xapian::Stem& stemmer);

  size_t size() const { return program_start_.size() - 1; }
  size_t terms() const { return terms_.size(); }
  size_t prefixes() const { return prefixes_.size(); }
  // Term ids and prefix ids share one numbering of "slots": a prefix's slot
  // is terms() + its id. Valid once every search is added.
  size_t slots() const { return terms() + prefixes(); }

  const MatchOp* ProgramBegin(size_t search) const {
    return ops_.data() + program_start_[search];
  }
  const MatchOp* ProgramEnd(size_t search) const {
    return ops_.data() + program_start_[search + 1];
  }
  // The searches filed under a slot (see FinishAdding).
  const std::uint32_t* AnchoredBegin(size_t slot) const {
    return anchored_.data() + anchored_start_[slot];
  }
  const std::uint32_t* AnchoredEnd(size_t slot) const {
    return anchored_.data() + anchored_start_[slot + 1];
  }
  // The searches with no anchor, which every batch must verify.
  const std::vector<std::uint32_t>& AlwaysVerified() const {
    return always_verified_;
  }

  // The id of a term, if any search mentions it.
  std::optional<std::uint32_t> FindTerm(std::string_view term) const {
    return terms_.Find(term);
  }
  bool IsPositional(std::uint32_t term) const { return positional_[term]; }

  // Calls `on_prefix(prefix_id)` for every prefix that `term` starts with.
  template <typename OnPrefix>
  void ForEachPrefixOf(std::string_view term, OnPrefix on_prefix) const;
  bool HasPrefixes() const { return prefixes_.size() != 0; }

  const PositionalGroup& Group(std::uint32_t group) const {
    return groups_[group];
  }
  std::uint32_t GroupTerm(const PositionalGroup& group, size_t i) const {
    return group_terms_[group.first_term + i];
  }
  const DateRange& Range(std::uint32_t range) const { return ranges_[range]; }

  // Bytes held, roughly: for the matcher's memory figure.
  size_t MemoryBytes() const;

  // Files every search under its anchors. Call once, after the last Add.
  void FinishAdding();

 private:
  // A set of slots at least one of which every article a search matches
  // contains. Prefix ids are tagged with kPrefixTag until FinishAdding
  // knows how many terms there are.
  struct Anchors {
    std::vector<std::uint32_t> slots;
    double cost = 0;  // Lower is more selective.
  };
  static constexpr std::uint32_t kPrefixTag = 0x80000000u;

  // Prefix lookup is keyed on a prefix's first bytes, up to this many.
  static constexpr size_t kPrefixKeyBytes = 3;

  std::uint32_t Intern(const std::string& term, bool positional);
  std::uint32_t InternPrefix(const std::string& prefix);
  std::uint32_t AddGroup(const std::vector<std::string>& terms, bool ordered,
                         std::uint32_t window);
  std::uint32_t AddRange(std::int64_t from, std::int64_t to);

  // Emits the ops of `node`; returns its anchors (nullopt: none possible).
  std::optional<Anchors> Emit(const QueryNode& node,
                              const Xapian::Stem& stemmer);
  std::optional<Anchors> EmitWordTerms(const WordTerms& terms);
  void Push(MatchOp::Code code, std::uint32_t arg = 0, std::uint16_t count = 0);
  std::optional<Anchors> CheapestTermOf(
      const std::vector<std::uint32_t>& terms) const;
  double SlotCost(std::uint32_t slot) const;

  TermShare share_;
  TermTable terms_;
  std::vector<bool> positional_;
  std::vector<float> term_cost_;  // By term id: its share, or an estimate.
  TermTable prefixes_;
  // Prefix ids by their first kPrefixKeyBytes bytes (all of a shorter one):
  // the key's id in prefix_keys_ indexes prefixes_by_key_.
  TermTable prefix_keys_;
  std::vector<std::vector<std::uint32_t>> prefixes_by_key_;
  std::vector<bool> prefix_key_lengths_ =
      std::vector<bool>(kPrefixKeyBytes + 1, false);
  // The first bytes of every prefix: most terms are rejected on this alone.
  std::vector<bool> prefix_first_bytes_ = std::vector<bool>(256, false);

  std::vector<MatchOp> ops_;
  std::vector<std::uint32_t> program_start_ = {0};
  std::vector<Anchors> anchors_;  // Until FinishAdding.
  std::vector<std::uint32_t> anchored_start_;
  std::vector<std::uint32_t> anchored_;
  std::vector<std::uint32_t> always_verified_;
  std::vector<PositionalGroup> groups_;
  std::vector<std::uint32_t> group_terms_;
  std::vector<DateRange> ranges_;
};

template <typename OnPrefix>
void MatchPrograms::ForEachPrefixOf(std::string_view term,
                                    OnPrefix on_prefix) const {
  if (term.empty() ||
      !prefix_first_bytes_[static_cast<unsigned char>(term[0])]) {
    return;
  }
  for (size_t length = 1; length <= kPrefixKeyBytes && length <= term.size();
       ++length) {
    if (!prefix_key_lengths_[length]) continue;
    const std::optional<std::uint32_t> key =
        prefix_keys_.Find(term.substr(0, length));
    if (!key) continue;
    for (const std::uint32_t prefix : prefixes_by_key_[*key]) {
      const std::string& text = prefixes_.String(prefix);
      if (term.substr(0, text.size()) == text) on_prefix(prefix);
    }
  }
}

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_MATCH_PROGRAM_H_
