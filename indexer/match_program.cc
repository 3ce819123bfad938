#include "indexer/match_program.h"

#include <algorithm>
#include <cassert>

namespace newswatch::indexer {
namespace {

// The share of articles a term occurs in is what makes an anchor good.
// Where the archive's statistics are not at hand (an empty archive, tests)
// the length of a word is a fair proxy (Lucene Monitor's default term
// weighting is the same idea): long words are rare, short ones common.
// Boolean terms are judged by their field: every article has a feed and a
// language.
double EstimatedShare(std::string_view term) {
  if (term.rfind("XF", 0) == 0 || term.rfind("XL", 0) == 0) return 0.5;
  if (term.rfind("XS", 0) == 0) return 0.05;
  if (term.rfind("XK", 0) == 0) return 0.02;
  double factor = 1;
  if (!term.empty() && term.front() == 'Z') factor = 2;  // Stems gather forms.
  size_t start = 0;
  while (start < term.size() && term[start] >= 'A' && term[start] <= 'Z') {
    ++start;
  }
  const double length = static_cast<double>(term.size() - start);
  return factor / (length * length + 1);
}

}  // namespace

std::uint32_t MatchPrograms::Intern(const std::string& term, bool positional) {
  const std::uint32_t id = terms_.Intern(term);
  if (id == positional_.size()) {
    positional_.push_back(positional);
    std::optional<double> share;
    if (share_) share = share_(term);
    term_cost_.push_back(
        static_cast<float>(share ? *share : EstimatedShare(term)));
  } else if (positional) {
    positional_[id] = true;
  }
  return id;
}

std::uint32_t MatchPrograms::InternPrefix(const std::string& prefix) {
  const size_t known = prefixes_.size();
  const std::uint32_t id = prefixes_.Intern(prefix);
  if (id == known) {
    const size_t key_length = std::min(prefix.size(), kPrefixKeyBytes);
    const std::uint32_t key = prefix_keys_.Intern(prefix.substr(0, key_length));
    if (key == prefixes_by_key_.size()) prefixes_by_key_.emplace_back();
    prefixes_by_key_[key].push_back(id);
    prefix_key_lengths_[key_length] = true;
    prefix_first_bytes_[static_cast<unsigned char>(prefix[0])] = true;
  }
  return id;
}

std::uint32_t MatchPrograms::AddGroup(const std::vector<std::string>& terms,
                                      bool ordered, std::uint32_t window) {
  PositionalGroup group;
  group.first_term = static_cast<std::uint32_t>(group_terms_.size());
  group.terms = static_cast<std::uint16_t>(terms.size());
  group.ordered = ordered;
  group.window = window;
  for (const std::string& term : terms) {
    group_terms_.push_back(Intern(term, /*positional=*/true));
  }
  groups_.push_back(group);
  return static_cast<std::uint32_t>(groups_.size() - 1);
}

std::uint32_t MatchPrograms::AddRange(std::int64_t from, std::int64_t to) {
  ranges_.push_back({from, to});
  return static_cast<std::uint32_t>(ranges_.size() - 1);
}

void MatchPrograms::Push(MatchOp::Code code, std::uint32_t arg,
                         std::uint16_t count) {
  MatchOp op;
  op.code = code;
  op.arg = arg;
  op.count = count;
  ops_.push_back(op);
}

double MatchPrograms::SlotCost(std::uint32_t slot) const {
  if (slot & kPrefixTag) {
    // A prefix stands for every word it begins: costlier than a word of its
    // length.
    return 5 * EstimatedShare(prefixes_.String(slot & ~kPrefixTag));
  }
  return term_cost_[slot];
}

std::optional<MatchPrograms::Anchors> MatchPrograms::CheapestTermOf(
    const std::vector<std::uint32_t>& terms) const {
  std::optional<Anchors> best;
  for (const std::uint32_t term : terms) {
    const double cost = SlotCost(term);
    if (!best || cost < best->cost) best = Anchors{{term}, cost};
  }
  return best;  // None for no terms: an empty set would anchor nothing.
}

std::optional<MatchPrograms::Anchors> MatchPrograms::EmitWordTerms(
    const WordTerms& terms) {
  switch (terms.kind) {
    case WordTerms::Kind::kSingle: {
      const std::uint32_t exact = Intern(terms.exact, false);
      Push(MatchOp::Code::kTerm, exact);
      Anchors anchors{{exact}, SlotCost(exact)};
      if (!terms.stem.empty() && terms.stem != terms.exact) {
        const std::uint32_t stem = Intern(terms.stem, false);
        Push(MatchOp::Code::kTerm, stem);
        Push(MatchOp::Code::kOr, 0, 2);
        anchors.slots.push_back(stem);
        anchors.cost += SlotCost(stem);
      }
      return anchors;
    }
    case WordTerms::Kind::kPhrase: {
      const std::uint32_t group =
          AddGroup(terms.terms, /*ordered=*/true,
                   static_cast<std::uint32_t>(terms.terms.size()));
      Push(MatchOp::Code::kPositions, group);
      const PositionalGroup& added = groups_[group];
      return CheapestTermOf(
          {group_terms_.begin() + added.first_term,
           group_terms_.begin() + added.first_term + added.terms});
    }
    case WordTerms::Kind::kAllOf: {
      std::vector<std::uint32_t> ids;
      for (const std::string& term : terms.terms) {
        ids.push_back(Intern(term, false));
        Push(MatchOp::Code::kTerm, ids.back());
      }
      if (ids.size() > 1) {
        Push(MatchOp::Code::kAnd, 0, static_cast<std::uint16_t>(ids.size()));
      }
      return CheapestTermOf(ids);
    }
  }
  return std::nullopt;
}

std::optional<MatchPrograms::Anchors> MatchPrograms::Emit(
    const QueryNode& node, const Xapian::Stem& stemmer) {
  std::optional<Anchors> anchors;
  bool leaf = true;
  switch (node.kind) {
    case QueryNode::Kind::kWord:
      anchors = EmitWordTerms(TermsOfWord(node.text, node.field, stemmer));
      break;
    case QueryNode::Kind::kPhrase:
      anchors = EmitWordTerms(TermsOfPhrase(node.text, node.field));
      break;
    case QueryNode::Kind::kPrefix:
      if (node.text.empty()) {
        Push(MatchOp::Code::kEverything);
      } else {
        const std::uint32_t prefix =
            InternPrefix(PrefixTermOf(node.text, node.field));
        Push(MatchOp::Code::kPrefix, prefix);
        anchors = Anchors{{prefix | kPrefixTag}, 0};
        anchors->cost = SlotCost(prefix | kPrefixTag);
      }
      break;
    case QueryNode::Kind::kNear:
    case QueryNode::Kind::kAdjacent: {
      // The parser allows only single words here, so each has one exact
      // (unstemmed, positional) term.
      std::vector<std::string> terms;
      for (const QueryNode& child : node.children) {
        terms.push_back(TermsOfWord(child.text, child.field, stemmer).exact);
      }
      const auto window =
          static_cast<std::uint32_t>(node.distance + terms.size() - 1);
      const std::uint32_t group =
          AddGroup(terms, node.kind == QueryNode::Kind::kAdjacent, window);
      Push(MatchOp::Code::kPositions, group);
      const PositionalGroup& added = groups_[group];
      anchors = CheapestTermOf(
          {group_terms_.begin() + added.first_term,
           group_terms_.begin() + added.first_term + added.terms});
      break;
    }
    case QueryNode::Kind::kValue: {
      const std::uint32_t term =
          Intern(ValueTermOf(node.field, node.text), false);
      Push(MatchOp::Code::kTerm, term);
      anchors = Anchors{{term}, SlotCost(term)};
      break;
    }
    case QueryNode::Kind::kPublished:
      Push(MatchOp::Code::kPublished, AddRange(node.from, node.to));
      break;
    case QueryNode::Kind::kSince:
      Push(MatchOp::Code::kSince, AddRange(node.seconds, 0));
      break;
    case QueryNode::Kind::kAnd: {
      leaf = false;
      for (const QueryNode& child : node.children) {
        std::optional<Anchors> child_anchors = Emit(child, stemmer);
        // Any required part will do; the most selective one is best.
        if (child_anchors &&
            (!anchors || child_anchors->cost < anchors->cost)) {
          anchors = std::move(child_anchors);
        }
      }
      Push(MatchOp::Code::kAnd, 0,
           static_cast<std::uint16_t>(node.children.size()));
      break;
    }
    case QueryNode::Kind::kOr: {
      leaf = false;
      bool every_child_anchored = true;
      anchors = Anchors{};
      for (const QueryNode& child : node.children) {
        std::optional<Anchors> child_anchors = Emit(child, stemmer);
        // An alternative that can match without a term makes the whole OR
        // able to.
        if (!child_anchors) {
          every_child_anchored = false;
          continue;
        }
        anchors->slots.insert(anchors->slots.end(),
                              child_anchors->slots.begin(),
                              child_anchors->slots.end());
        anchors->cost += child_anchors->cost;
      }
      if (!every_child_anchored) anchors.reset();
      Push(MatchOp::Code::kOr, 0,
           static_cast<std::uint16_t>(node.children.size()));
      break;
    }
    case QueryNode::Kind::kNot:
      leaf = false;
      Emit(node.children.front(), stemmer);  // Its anchors do not apply.
      Push(MatchOp::Code::kNot);
      break;
  }
  if (leaf) {
    assert(ops_.size() > program_start_.back());  // Every leaf emits an op.
    ops_.back().ends_leaf = true;
  }
  return anchors;
}

size_t MatchPrograms::Add(const QueryNode& query, const Xapian::Stem& stemmer) {
  std::optional<Anchors> anchors = Emit(query, stemmer);
  program_start_.push_back(static_cast<std::uint32_t>(ops_.size()));
  anchors_.push_back(anchors ? std::move(*anchors) : Anchors{});
  return size() - 1;
}

void MatchPrograms::FinishAdding() {
  share_ = nullptr;  // Its statistics source need not outlive compilation.
  const std::uint32_t term_count = static_cast<std::uint32_t>(terms());
  auto slot_of = [&](std::uint32_t slot) {
    return (slot & kPrefixTag) ? term_count + (slot & ~kPrefixTag) : slot;
  };
  // Counting sort of (slot, search) pairs into one array.
  anchored_start_.assign(slots() + 1, 0);
  for (size_t search = 0; search < anchors_.size(); ++search) {
    std::vector<std::uint32_t>& slots = anchors_[search].slots;
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    if (slots.empty())
      always_verified_.push_back(static_cast<std::uint32_t>(search));
    for (const std::uint32_t slot : slots) ++anchored_start_[slot_of(slot) + 1];
  }
  for (size_t slot = 0; slot < slots(); ++slot) {
    anchored_start_[slot + 1] += anchored_start_[slot];
  }
  anchored_.resize(anchored_start_.back());
  std::vector<std::uint32_t> next(anchored_start_.begin(),
                                  anchored_start_.end() - 1);
  for (size_t search = 0; search < anchors_.size(); ++search) {
    for (const std::uint32_t slot : anchors_[search].slots) {
      anchored_[next[slot_of(slot)]++] = static_cast<std::uint32_t>(search);
    }
  }
  anchors_.clear();
  anchors_.shrink_to_fit();
  ops_.shrink_to_fit();
  program_start_.shrink_to_fit();
}

size_t MatchPrograms::MemoryBytes() const {
  size_t bytes = ops_.capacity() * sizeof(MatchOp) +
                 program_start_.capacity() * sizeof(std::uint32_t) +
                 anchored_.capacity() * sizeof(std::uint32_t) +
                 anchored_start_.capacity() * sizeof(std::uint32_t) +
                 always_verified_.capacity() * sizeof(std::uint32_t) +
                 groups_.capacity() * sizeof(PositionalGroup) +
                 group_terms_.capacity() * sizeof(std::uint32_t) +
                 ranges_.capacity() * sizeof(DateRange) +
                 positional_.capacity() / 8 +
                 term_cost_.capacity() * sizeof(float) + terms_.MemoryBytes() +
                 prefixes_.MemoryBytes() + prefix_keys_.MemoryBytes();
  for (const std::vector<std::uint32_t>& ids : prefixes_by_key_) {
    bytes += sizeof ids + ids.capacity() * sizeof(std::uint32_t);
  }
  return bytes;
}

}  // namespace newswatch::indexer
