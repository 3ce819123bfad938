#include "indexer/xapian_query.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/article_document.h"
#include "indexer/query_leaves.h"

namespace newswatch::indexer {
namespace {

using Kind = QueryNode::Kind;

Xapian::Query MatchNothing() { return Xapian::Query(); }

// A filter: it decides whether documents match, not how well.
Xapian::Query Weightless(const Xapian::Query& query) {
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, 0.0);
}

Xapian::Query Negate(const Xapian::Query& query) {
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                       query);
}

Xapian::Query QueryOfTerms(const WordTerms& terms) {
  switch (terms.kind) {
    case WordTerms::Kind::kSingle:
      // Xapian reads the empty term as "every document"; here it means the
      // text had nothing searchable in it.
      if (terms.exact.empty()) return MatchNothing();
      if (terms.stem.empty()) return Xapian::Query(terms.exact);
      // One word, counted once however many of its forms a document has.
      return Xapian::Query(Xapian::Query::OP_SYNONYM,
                           Xapian::Query(terms.exact),
                           Xapian::Query(terms.stem));
    case WordTerms::Kind::kPhrase:
      return Xapian::Query(Xapian::Query::OP_PHRASE, terms.terms.begin(),
                           terms.terms.end(),
                           static_cast<Xapian::termcount>(terms.terms.size()));
    case WordTerms::Kind::kAllOf:
      if (terms.terms.empty()) return MatchNothing();
      return Xapian::Query(Xapian::Query::OP_AND, terms.terms.begin(),
                           terms.terms.end());
  }
  return MatchNothing();
}

Xapian::Query PublishedAtOrAfter(std::int64_t from) {
  return Xapian::Query(Xapian::Query::OP_VALUE_GE, kPublishedSlot,
                       Xapian::sortable_serialise(static_cast<double>(from)));
}

// Published in [from, to); INT64_MIN and INT64_MAX are open ends. Published
// times are whole seconds, so [from, to) is [from, to - 1].
Xapian::Query PublishedBetween(std::int64_t from, std::int64_t to) {
  constexpr std::int64_t kOpenStart = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kOpenEnd = std::numeric_limits<std::int64_t>::max();
  if (to <= from) return MatchNothing();
  if (from == kOpenStart && to == kOpenEnd) return Xapian::Query::MatchAll;
  if (to == kOpenEnd) return PublishedAtOrAfter(from);
  const std::string last =
      Xapian::sortable_serialise(static_cast<double>(to - 1));
  if (from == kOpenStart) {
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, kPublishedSlot, last);
  }
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kPublishedSlot,
                       Xapian::sortable_serialise(static_cast<double>(from)),
                       last);
}

class Compiler {
 public:
  explicit Compiler(const CompileOptions& options)
      : now_(options.now), stemmer_(StemmerFor(options.language)) {}

  Xapian::Query Compile(const QueryNode& node) const {
    switch (node.kind) {
      case Kind::kWord:
        return QueryOfTerms(TermsOfWord(node.text, node.field, stemmer_));
      case Kind::kPhrase:
        return QueryOfTerms(TermsOfPhrase(node.text, node.field));
      case Kind::kPrefix:
        if (node.text.empty()) return Xapian::Query::MatchAll;
        return Xapian::Query(Xapian::Query::OP_WILDCARD,
                             PrefixTermOf(node.text, node.field));
      case Kind::kNear:
      case Kind::kAdjacent:
        return Proximity(node);
      case Kind::kValue:
        return Weightless(Xapian::Query(ValueTermOf(node.field, node.text)));
      case Kind::kPublished:
        return PublishedBetween(node.from, node.to);
      case Kind::kSince:
        return PublishedAtOrAfter(SinceStart(node.seconds));
      case Kind::kNot:
        return Negate(Compile(node.children.front()));
      case Kind::kOr: {
        std::vector<Xapian::Query> parts;
        for (const QueryNode& child : node.children) {
          parts.push_back(Compile(child));
        }
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
      }
      case Kind::kAnd:
        return And(node);
    }
    return MatchNothing();
  }

 private:
  Xapian::Query Proximity(const QueryNode& group) const {
    std::vector<Xapian::Query> terms;
    for (const QueryNode& word : group.children) {
      WordTerms word_terms;
      if (word.kind == Kind::kWord) {
        word_terms = TermsOfWord(word.text, word.field, stemmer_);
      }
      if (word.kind != Kind::kWord ||
          word_terms.kind != WordTerms::Kind::kSingle ||
          word_terms.exact.empty()) {
        throw Xapian::InvalidArgumentError("NEAR and ADJ need single words: '" +
                                           word.ToString() + "' is not one");
      }
      // Stems have no positions: the words match as written.
      terms.emplace_back(word_terms.exact);
    }
    return Xapian::Query(group.kind == Kind::kNear ? Xapian::Query::OP_NEAR
                                                   : Xapian::Query::OP_PHRASE,
                         terms.begin(), terms.end(), ProximityWindow(group));
  }

  // Negated parts become one AND_NOT, so `a -b -c` reads as
  // a AND_NOT (b OR c) rather than intersections with MatchAll.
  Xapian::Query And(const QueryNode& node) const {
    std::vector<Xapian::Query> required;
    std::vector<Xapian::Query> excluded;
    for (const QueryNode& child : node.children) {
      if (child.kind == Kind::kNot) {
        excluded.push_back(Compile(child.children.front()));
      } else {
        required.push_back(Compile(child));
      }
    }
    Xapian::Query positive =
        required.empty() ? Xapian::Query::MatchAll
                         : Xapian::Query(Xapian::Query::OP_AND,
                                         required.begin(), required.end());
    if (excluded.empty()) return positive;
    return Xapian::Query(
        Xapian::Query::OP_AND_NOT, positive,
        Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }

  // now - seconds, without overflowing for absurd inputs.
  std::int64_t SinceStart(std::int64_t seconds) const {
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    if (seconds > 0 && now_ < kMin + seconds) return kMin;
    if (seconds < 0 && now_ > kMax + seconds) return kMax;
    return now_ - seconds;
  }

  std::int64_t now_;
  Xapian::Stem stemmer_;
};

}  // namespace

bool HasSearchableTerms(std::string_view text) {
  Xapian::Document scratch;
  Xapian::TermGenerator generator = MakeTermGenerator(Xapian::Stem());
  generator.set_document(scratch);
  generator.index_text(std::string(text));
  return scratch.termlist_begin() != scratch.termlist_end();
}

Xapian::Query CompileQuery(const QueryNode& node,
                           const CompileOptions& options) {
  return Compiler(options).Compile(node);
}

Xapian::termcount ProximityWindow(const QueryNode& group) {
  const std::int64_t distance = std::max(group.distance, 1);
  const std::int64_t words = std::max<std::int64_t>(
      static_cast<std::int64_t>(group.children.size()), 1);
  return static_cast<Xapian::termcount>(std::min<std::int64_t>(
      distance + words - 1, std::numeric_limits<Xapian::termcount>::max()));
}

std::vector<std::vector<std::string>> MatchedTerms(
    const Xapian::Database& database, const QueryNode& query,
    const CompileOptions& options,
    const std::vector<MatchedDocument>& documents) {
  std::vector<std::vector<std::string>> matched_terms(documents.size());
  if (documents.empty()) return matched_terms;
  const std::vector<const QueryNode*> leaves = LeavesOf(query);

  // Which leaves matched which documents: each leaf's own compiled query,
  // filtered to the documents by their id terms, so each Enquire visits only
  // them (and checks positions only in them).
  std::unordered_map<Xapian::docid, size_t> position_of;
  std::vector<Xapian::Query> id_terms;
  for (size_t i = 0; i < documents.size(); ++i) {
    position_of.emplace(documents[i].docid, i);
    id_terms.emplace_back(documents[i].id_term);
  }
  const Xapian::Query only_documents(Xapian::Query::OP_OR, id_terms.begin(),
                                     id_terms.end());
  const Compiler compiler(options);
  std::vector<std::vector<bool>> leaf_matched(
      documents.size(), std::vector<bool>(leaves.size(), false));
  Xapian::Enquire enquire(database);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
  for (size_t leaf = 0; leaf < leaves.size(); ++leaf) {
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                    compiler.Compile(*leaves[leaf]),
                                    only_documents));
    const Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(documents.size()));
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      auto position = position_of.find(*item);
      if (position != position_of.end()) {
        leaf_matched[position->second][leaf] = true;
      }
    }
  }
  for (size_t i = 0; i < documents.size(); ++i) {
    matched_terms[i] = MatchedTermsOf(query, leaf_matched[i]);
  }
  return matched_terms;
}

}  // namespace newswatch::indexer
