#include "indexer/xapian_query.h"

#include <cstdint>
#include <map>
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
