#include "indexer/match_snippet.h"

#include <algorithm>
#include <unordered_set>

#include "indexer/article_document.h"
#include "indexer/query_terms.h"

namespace newswatch::indexer {
namespace {

std::string FieldPrefix(QueryField field) {
  switch (field) {
    case QueryField::kTitle:
      return kTitlePrefix;
    case QueryField::kAuthor:
      return kAuthorPrefix;
    default:
      return "";
  }
}

// Terms of the field: the prefix followed by a word, which never starts
// with an upper-case ASCII letter (words are lower-cased; prefixes are
// capitals).
bool IsWordOfField(const std::string& term, const std::string& prefix) {
  if (term.size() <= prefix.size() || term.compare(0, prefix.size(), prefix)) {
    return false;
  }
  const char first = term[prefix.size()];
  return !(first >= 'A' && first <= 'Z');
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80;
}

// `text` with ASCII letters lower-cased: byte offsets stay those of `text`.
// Indexed words are fully lower-cased, so non-ASCII capitals are found
// through Xapian's lower-casing when it keeps the length.
std::string LowerKeepingOffsets(const std::string& text) {
  std::string lower = Xapian::Unicode::tolower(text);
  if (lower.size() == text.size()) return lower;
  lower = text;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// Moves `offset` back to the start of the UTF-8 sequence it falls in.
size_t CharacterStart(const std::string& text, size_t offset) {
  while (offset > 0 && offset < text.size() &&
         (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
    --offset;
  }
  return offset;
}

}  // namespace

std::vector<std::string> ArticleWordsMatching(const QueryNode& leaf,
                                              const Xapian::Document& document,
                                              const Xapian::Stem& stemmer,
                                              size_t limit) {
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string word) {
    if (words.size() < limit && seen.insert(word).second) {
      words.push_back(std::move(word));
    }
  };
  const std::string prefix = FieldPrefix(leaf.field);
  auto scan = [&](auto wanted) {
    for (auto term = document.termlist_begin(); term != document.termlist_end();
         ++term) {
      const std::string text = *term;
      if (!IsWordOfField(text, prefix)) continue;
      std::string word = text.substr(prefix.size());
      if (wanted(word)) add(std::move(word));
    }
  };
  switch (leaf.kind) {
    case QueryNode::Kind::kWord: {
      const WordTerms terms = TermsOfWord(leaf.text, leaf.field, stemmer);
      if (terms.kind != WordTerms::Kind::kSingle) {
        for (const std::string& term : terms.terms) add(term.substr(prefix.size()));
        break;
      }
      const std::string exact = terms.exact.substr(prefix.size());
      // The stem term is "Z" + prefix + stem.
      const std::string stem =
          terms.stem.size() > prefix.size() + 1
              ? terms.stem.substr(prefix.size() + 1)
              : std::string();
      scan([&](const std::string& word) {
        return word == exact || (!stem.empty() && stemmer(word) == stem);
      });
      break;
    }
    case QueryNode::Kind::kPrefix: {
      const std::string start = Xapian::Unicode::tolower(leaf.text);
      scan([&](const std::string& word) { return word.rfind(start, 0) == 0; });
      break;
    }
    case QueryNode::Kind::kPhrase: {
      const WordTerms terms = TermsOfPhrase(leaf.text, leaf.field);
      if (terms.kind == WordTerms::Kind::kSingle) {
        add(terms.exact.substr(prefix.size()));
      } else {
        for (const std::string& term : terms.terms) add(term.substr(prefix.size()));
      }
      break;
    }
    case QueryNode::Kind::kNear:
    case QueryNode::Kind::kAdjacent:
      for (const QueryNode& word : leaf.children) {
        add(Xapian::Unicode::tolower(word.text));
      }
      break;
    default:
      break;
  }
  return words;
}

std::string SnippetAround(const std::string& text,
                          const std::vector<std::string>& words,
                          size_t max_bytes) {
  const std::string lower = LowerKeepingOffsets(text);
  size_t hit = std::string::npos;
  for (const std::string& word : words) {
    if (word.empty()) continue;
    for (size_t at = lower.find(word); at != std::string::npos && at < hit;
         at = lower.find(word, at + 1)) {
      if (at == 0 || !IsWordByte(static_cast<unsigned char>(lower[at - 1]))) {
        hit = at;
        break;
      }
    }
  }
  if (text.size() <= max_bytes) return text;
  size_t start = 0;
  if (hit != std::string::npos && hit > max_bytes / 3) {
    // A third of the room before the word, for its context.
    start = text.find(' ', hit - max_bytes / 3);
    if (start == std::string::npos || start >= hit) start = hit;
    else ++start;
  }
  size_t end = std::min(text.size(), start + max_bytes);
  if (end < text.size()) {
    const size_t space = text.rfind(' ', end);
    if (space != std::string::npos && space > start) end = space;
  }
  end = CharacterStart(text, end);
  std::string snippet = start > 0 ? "…" : "";
  snippet.append(text, start, end - start);
  if (end < text.size()) snippet += "…";
  return snippet;
}

}  // namespace newswatch::indexer
