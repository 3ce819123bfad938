#include "indexer/xapian_query.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/fnv_hash.h"

namespace newswatch::indexer {
namespace {

// What the TermGenerator makes of a piece of text: its unstemmed words in
// order, and the stems it generated.
struct AnalysedText {
  std::vector<std::string> words;
  std::vector<std::string> stems;
};

AnalysedText Analyse(std::string_view text) {
  Xapian::Document scratch;
  Xapian::TermGenerator generator = MakeTermGenerator();
  generator.set_document(scratch);
  generator.index_text(std::string(text));
  std::map<Xapian::termpos, std::string> by_position;
  AnalysedText analysed;
  for (auto term = scratch.termlist_begin(); term != scratch.termlist_end();
       ++term) {
    // Stems carry the Z prefix and no positions; generated words are
    // lower-case, so the prefix cannot be confused with a word.
    if ((*term).rfind(kStemPrefix, 0) == 0) {
      analysed.stems.push_back(*term);
      continue;
    }
    for (auto pos = term.positionlist_begin(); pos != term.positionlist_end();
         ++pos) {
      by_position[*pos] = *term;
    }
  }
  for (auto& [position, word] : by_position) {
    analysed.words.push_back(std::move(word));
  }
  return analysed;
}

Xapian::Query Phrase(const std::vector<std::string>& words) {
  if (words.size() == 1) return Xapian::Query(words.front());
  return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                       static_cast<Xapian::termcount>(words.size()));
}

Xapian::Query WordQuery(const std::string& text) {
  const AnalysedText analysed = Analyse(text);
  if (analysed.words.size() > 1) return Phrase(analysed.words);
  // One word: its stem matches every inflection and the possessive; words
  // with no stem (numbers) match as written.
  if (!analysed.stems.empty()) return Xapian::Query(analysed.stems.front());
  return Xapian::Query(analysed.words.front());
}

Xapian::Query Negate(const Xapian::Query& query) {
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                       query);
}

// The words and phrases of a query in the order they were written (the
// parser keeps children in order, so this is a pre-order walk).
void CollectLeaves(const QueryNode& node,
                   std::vector<const QueryNode*>& leaves) {
  if (node.kind == QueryNode::Kind::kWord ||
      node.kind == QueryNode::Kind::kPhrase) {
    leaves.push_back(&node);
    return;
  }
  for (const QueryNode& child : node.children) CollectLeaves(child, leaves);
}

// A word or phrase as a hit's matched terms show it: as written, lowercased,
// with runs of whitespace (only phrases have any) made one space.
std::string MatchedTermText(const QueryNode& leaf) {
  const std::string lower = Xapian::Unicode::tolower(leaf.text);
  std::string text;
  bool pending_space = false;
  for (const char c : lower) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      pending_space = !text.empty();
      continue;
    }
    if (pending_space) text += ' ';
    pending_space = false;
    text += c;
  }
  return text;
}

// Whether `node` matched one document, given whether each of the query's
// leaves did (`leaf_matched`, consumed in query order through `next_leaf`).
// Appends the indexes of the leaves that took part in the match to
// `taking_part`; a node that did not match appends nothing. Every child is
// visited, without short-circuiting, to keep `next_leaf` in step.
bool ExplainNode(const QueryNode& node, const std::vector<bool>& leaf_matched,
                 size_t& next_leaf, std::vector<size_t>& taking_part) {
  switch (node.kind) {
    case QueryNode::Kind::kWord:
    case QueryNode::Kind::kPhrase: {
      const size_t leaf = next_leaf++;
      if (leaf_matched[leaf]) taking_part.push_back(leaf);
      return leaf_matched[leaf];
    }
    case QueryNode::Kind::kNot: {
      // What matched under a NOT is the reason a document would not match.
      std::vector<size_t> ignored;
      return !ExplainNode(node.children.front(), leaf_matched, next_leaf,
                          ignored);
    }
    case QueryNode::Kind::kAnd: {
      const size_t mark = taking_part.size();
      bool all = true;
      for (const QueryNode& child : node.children) {
        all = ExplainNode(child, leaf_matched, next_leaf, taking_part) && all;
      }
      if (!all) taking_part.resize(mark);
      return all;
    }
    default:  // INTERIM until the new kinds are compiled.
      return false;
    case QueryNode::Kind::kOr: {
      bool any = false;
      for (const QueryNode& child : node.children) {
        any = ExplainNode(child, leaf_matched, next_leaf, taking_part) || any;
      }
      return any;
    }
  }
  return false;
}

}  // namespace

Xapian::Stem DefaultStemmer() { return Xapian::Stem("english"); }

Xapian::TermGenerator MakeTermGenerator() {
  Xapian::TermGenerator generator;
  generator.set_stemmer(DefaultStemmer());
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  return generator;
}

bool HasSearchableTerms(std::string_view text) {
  return !Analyse(text).words.empty();
}

Xapian::Query CompileQuery(const QueryNode& node) {
  switch (node.kind) {
    case QueryNode::Kind::kWord:
      return WordQuery(node.text);
    case QueryNode::Kind::kPhrase:
      return Phrase(Analyse(node.text).words);
    case QueryNode::Kind::kNot:
      return Negate(CompileQuery(node.children.front()));
    default:  // INTERIM until the new kinds are compiled.
      return Xapian::Query();
    case QueryNode::Kind::kOr: {
      std::vector<Xapian::Query> parts;
      for (const QueryNode& child : node.children) {
        parts.push_back(CompileQuery(child));
      }
      return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }
    case QueryNode::Kind::kAnd: {
      // Negated parts become one AND_NOT, so `a -b -c` reads as
      // a AND_NOT (b OR c) rather than intersections with MatchAll.
      std::vector<Xapian::Query> required;
      std::vector<Xapian::Query> excluded;
      for (const QueryNode& child : node.children) {
        if (child.kind == QueryNode::Kind::kNot) {
          excluded.push_back(CompileQuery(child.children.front()));
        } else {
          required.push_back(CompileQuery(child));
        }
      }
      Xapian::Query positive =
          required.empty() ? Xapian::Query::MatchAll
                           : Xapian::Query(Xapian::Query::OP_AND,
                                           required.begin(), required.end());
      if (excluded.empty()) return positive;
      return Xapian::Query(Xapian::Query::OP_AND_NOT, positive,
                           Xapian::Query(Xapian::Query::OP_OR, excluded.begin(),
                                         excluded.end()));
    }
  }
  return Xapian::Query();
}

std::vector<std::vector<std::string>> MatchedTerms(
    const Xapian::Database& database, const QueryNode& query,
    const std::vector<MatchedDocument>& documents) {
  std::vector<std::vector<std::string>> matched_terms(documents.size());
  if (documents.empty()) return matched_terms;
  std::vector<const QueryNode*> leaves;
  CollectLeaves(query, leaves);

  // Which leaves matched which documents: each leaf's own compiled query,
  // filtered to the documents by their id terms, so each Enquire visits only
  // them (and checks phrase positions only in them).
  std::unordered_map<Xapian::docid, size_t> position_of;
  std::vector<Xapian::Query> id_terms;
  for (size_t i = 0; i < documents.size(); ++i) {
    position_of.emplace(documents[i].docid, i);
    id_terms.emplace_back(documents[i].id_term);
  }
  const Xapian::Query only_documents(Xapian::Query::OP_OR, id_terms.begin(),
                                     id_terms.end());
  std::vector<std::vector<bool>> leaf_matched(
      documents.size(), std::vector<bool>(leaves.size(), false));
  Xapian::Enquire enquire(database);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
  for (size_t leaf = 0; leaf < leaves.size(); ++leaf) {
    enquire.set_query(Xapian::Query(
        Xapian::Query::OP_FILTER, CompileQuery(*leaves[leaf]), only_documents));
    const Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(documents.size()));
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      auto position = position_of.find(*item);
      if (position != position_of.end()) {
        leaf_matched[position->second][leaf] = true;
      }
    }
  }

  // Leaves that read the same are reported once: each leaf's text is
  // numbered by its first occurrence, once per query.
  std::vector<std::string> texts;
  std::vector<size_t> text_of_leaf;
  std::unordered_map<std::string, size_t> text_number;
  for (const QueryNode* leaf : leaves) {
    std::string text = MatchedTermText(*leaf);
    auto [entry, added] = text_number.emplace(text, texts.size());
    if (added) texts.push_back(std::move(text));
    text_of_leaf.push_back(entry->second);
  }
  for (size_t i = 0; i < documents.size(); ++i) {
    std::vector<size_t> taking_part;
    size_t next_leaf = 0;
    ExplainNode(query, leaf_matched[i], next_leaf, taking_part);
    std::vector<bool> reported(texts.size(), false);
    for (const size_t leaf : taking_part) {
      const size_t text = text_of_leaf[leaf];
      if (reported[text]) continue;
      reported[text] = true;
      matched_terms[i].push_back(texts[text]);
    }
  }
  return matched_terms;
}

std::string IdTerm(const std::string& article_id) {
  // Xapian terms are limited to about 245 bytes; leave room for the prefix.
  constexpr size_t kMaxRawIdBytes = 200;
  if (article_id.size() <= kMaxRawIdBytes) return kIdPrefix + article_id;
  // Two independent 64-bit FNV-1a hashes: 128 bits, collisions negligible.
  // The second seed is the golden-ratio constant; both are fixed forever, as
  // indexes store these terms.
  constexpr std::uint64_t kSecondSeed = 0x9e3779b97f4a7c15ULL;
  return std::string(kIdPrefix) + "#" + Hex64(Fnv1a64(article_id)) +
         Hex64(Fnv1a64(article_id, kSecondSeed));
}

std::string BatchTerm(long long batch_id) {
  return kBatchPrefix + std::to_string(batch_id);
}

}  // namespace newswatch::indexer
