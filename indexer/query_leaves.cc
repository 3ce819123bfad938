#include "indexer/query_leaves.h"

#include <xapian.h>

#include <unordered_set>

namespace newswatch::indexer {
namespace {

void CollectLeaves(const QueryNode& node,
                   std::vector<const QueryNode*>& leaves) {
  if (IsLeaf(node)) {
    leaves.push_back(&node);
    return;
  }
  for (const QueryNode& child : node.children) CollectLeaves(child, leaves);
}

// Whether `node` matched, given the leaves' results consumed in order
// through `next_leaf`; appends the leaves taking part to `taking_part` (a
// node that did not match appends nothing). Every child is visited, without
// short-circuiting, to keep `next_leaf` in step.
bool WalkMatch(const QueryNode& node, const std::vector<bool>& leaf_matched,
               size_t& next_leaf, std::vector<size_t>& taking_part) {
  if (IsLeaf(node)) {
    const size_t leaf = next_leaf++;
    if (leaf_matched[leaf]) taking_part.push_back(leaf);
    return leaf_matched[leaf];
  }
  switch (node.kind) {
    case QueryNode::Kind::kNot: {
      // What matched under a NOT is the reason a document would not match.
      std::vector<size_t> ignored;
      return !WalkMatch(node.children.front(), leaf_matched, next_leaf,
                        ignored);
    }
    case QueryNode::Kind::kAnd: {
      const size_t mark = taking_part.size();
      bool all = true;
      for (const QueryNode& child : node.children) {
        all = WalkMatch(child, leaf_matched, next_leaf, taking_part) && all;
      }
      if (!all) taking_part.resize(mark);
      return all;
    }
    default: {  // kOr; leaves were handled above.
      bool any = false;
      for (const QueryNode& child : node.children) {
        any = WalkMatch(child, leaf_matched, next_leaf, taking_part) || any;
      }
      return any;
    }
  }
}

std::string CollapsedLower(const std::string& text) {
  const std::string lower = Xapian::Unicode::tolower(text);
  std::string collapsed;
  bool pending_space = false;
  for (const char c : lower) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      pending_space = !collapsed.empty();
      continue;
    }
    if (pending_space) collapsed += ' ';
    pending_space = false;
    collapsed += c;
  }
  return collapsed;
}

}  // namespace

bool IsLeaf(const QueryNode& node) {
  return node.kind != QueryNode::Kind::kAnd &&
         node.kind != QueryNode::Kind::kOr &&
         node.kind != QueryNode::Kind::kNot;
}

std::vector<const QueryNode*> LeavesOf(const QueryNode& query) {
  std::vector<const QueryNode*> leaves;
  CollectLeaves(query, leaves);
  return leaves;
}

std::vector<size_t> LeavesTakingPart(const QueryNode& query,
                                     const std::vector<bool>& leaf_matched) {
  std::vector<size_t> taking_part;
  size_t next_leaf = 0;
  WalkMatch(query, leaf_matched, next_leaf, taking_part);
  return taking_part;
}

bool IsReportedLeaf(const QueryNode& leaf) {
  switch (leaf.kind) {
    case QueryNode::Kind::kWord:
    case QueryNode::Kind::kPrefix:
    case QueryNode::Kind::kPhrase:
    case QueryNode::Kind::kNear:
    case QueryNode::Kind::kAdjacent:
      return true;
    default:
      return false;
  }
}

std::string MatchedTermText(const QueryNode& leaf) {
  switch (leaf.kind) {
    case QueryNode::Kind::kPrefix:
      return CollapsedLower(leaf.text) + "*";
    case QueryNode::Kind::kNear:
    case QueryNode::Kind::kAdjacent: {
      const std::string op =
          (leaf.kind == QueryNode::Kind::kNear ? " NEAR/" : " ADJ/") +
          std::to_string(leaf.distance) + " ";
      std::string text;
      for (const QueryNode& word : leaf.children) {
        if (!text.empty()) text += op;
        text += CollapsedLower(word.text);
      }
      return text;
    }
    default:
      return CollapsedLower(leaf.text);
  }
}

std::vector<std::string> MatchedTermsOf(const QueryNode& query,
                                        const std::vector<bool>& leaf_matched) {
  const std::vector<const QueryNode*> leaves = LeavesOf(query);
  std::vector<std::string> terms;
  std::unordered_set<std::string> reported;
  for (const size_t leaf : LeavesTakingPart(query, leaf_matched)) {
    if (!IsReportedLeaf(*leaves[leaf])) continue;
    std::string text = MatchedTermText(*leaves[leaf]);
    if (reported.insert(text).second) terms.push_back(std::move(text));
  }
  return terms;
}

}  // namespace newswatch::indexer
