#include "indexer/explain.h"

#include "indexer/analysed_batch.h"
#include "indexer/index.h"
#include "indexer/match_chunk.h"
#include "indexer/match_program.h"
#include "indexer/match_snippet.h"
#include "indexer/query_leaves.h"
#include "indexer/query_terms.h"

namespace newswatch::indexer {
namespace {

// The article, and copies of it holding only its title, only its text and
// only its author: a leaf's result on each copy says in which field it
// matched.
enum Copy { kWhole = 0, kTitleOnly = 1, kTextOnly = 2, kAuthorOnly = 3 };

std::vector<Article> CopiesOf(const Article& article) {
  std::vector<Article> copies(4, article);
  copies[kTitleOnly].text.clear();
  copies[kTitleOnly].author.clear();
  copies[kTextOnly].title.clear();
  copies[kTextOnly].author.clear();
  copies[kAuthorOnly].title.clear();
  copies[kAuthorOnly].text.clear();
  return copies;
}

std::vector<std::string> FieldsOf(const QueryNode& leaf, std::uint64_t mask) {
  switch (leaf.kind) {
    case QueryNode::Kind::kValue:
      switch (leaf.field) {
        case QueryField::kFeed:
          return {"feed"};
        case QueryField::kSite:
          return {"site"};
        case QueryField::kCategory:
          return {"category"};
        default:
          return {"language"};
      }
    case QueryNode::Kind::kPublished:
    case QueryNode::Kind::kSince:
      return {"published"};
    default:
      break;
  }
  std::vector<std::string> fields;
  if (mask & (std::uint64_t{1} << kTitleOnly)) fields.push_back("title");
  if (mask & (std::uint64_t{1} << kTextOnly)) fields.push_back("text");
  if (mask & (std::uint64_t{1} << kAuthorOnly)) fields.push_back("author");
  return fields;
}

// Marks the leaves under a NOT, in LeavesOf order.
void MarkNegated(const QueryNode& node, bool negated, std::vector<bool>& out) {
  if (IsLeaf(node)) {
    out.push_back(negated);
    return;
  }
  for (const QueryNode& child : node.children) {
    MarkNegated(child, negated || node.kind == QueryNode::Kind::kNot, out);
  }
}

// Whether `node` matched, consuming leaf results in order; when it did not
// and `report` is set, appends its smallest failing required parts.
bool CollectMissing(const QueryNode& node, const std::vector<bool>& matched,
                    size_t& next_leaf, bool report,
                    std::vector<std::string>& missing) {
  if (IsLeaf(node)) {
    const bool ok = matched[next_leaf++];
    if (!ok && report) missing.push_back(node.ToString());
    return ok;
  }
  std::vector<std::string> ignored;
  switch (node.kind) {
    case QueryNode::Kind::kAnd: {
      bool all = true;
      for (const QueryNode& child : node.children) {
        all = CollectMissing(child, matched, next_leaf, report, missing) && all;
      }
      return all;
    }
    case QueryNode::Kind::kNot: {
      const bool operand = CollectMissing(node.children.front(), matched,
                                          next_leaf, false, ignored);
      if (operand && report) missing.push_back(node.ToString());
      return !operand;
    }
    default: {  // kOr: reported whole when no alternative matched.
      bool any = false;
      for (const QueryNode& child : node.children) {
        any = CollectMissing(child, matched, next_leaf, false, ignored) || any;
      }
      if (!any && report) missing.push_back(node.ToString());
      return any;
    }
  }
}

}  // namespace

Explanation ExplainMatch(const QueryNode& query, const Article& article,
                         const std::string& language, std::int64_t now) {
  std::shared_ptr<const AnalysedBatch> batch =
      AnalyseArticles(CopiesOf(article));
  MatchPrograms programs;
  programs.Add(query, StemmerFor(language));
  programs.FinishAdding();
  MatchChunk chunk(programs);
  chunk.Load(*batch, 0, batch->articles.size());
  std::vector<std::uint64_t> leaf_masks;
  const std::uint64_t matched = chunk.Evaluate(0, now, &leaf_masks);

  Explanation explanation;
  explanation.matches = matched & (std::uint64_t{1} << kWhole);
  const std::vector<const QueryNode*> leaves = LeavesOf(query);
  std::vector<bool> negated;
  MarkNegated(query, false, negated);
  std::vector<bool> leaf_matched;
  ArticleSnippets snippets(batch->articles[kWhole], batch->terms[kWhole]);
  for (size_t i = 0; i < leaves.size(); ++i) {
    LeafExplanation leaf;
    leaf.leaf = leaves[i]->ToString();
    leaf.matched = leaf_masks[i] & (std::uint64_t{1} << kWhole);
    leaf.negated = negated[i];
    if (leaf.matched) {
      leaf.fields = FieldsOf(*leaves[i], leaf_masks[i]);
      leaf.matched_words = snippets.WordsMatching(*leaves[i], 5);
    }
    leaf_matched.push_back(leaf.matched);
    explanation.leaves.push_back(std::move(leaf));
  }
  if (!explanation.matches) {
    size_t next_leaf = 0;
    CollectMissing(query, leaf_matched, next_leaf, true, explanation.missing);
  }
  return explanation;
}

}  // namespace newswatch::indexer
