#include "indexer/match_snippet.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "indexer/article_document.h"
#include "indexer/query_terms.h"

namespace newswatch::indexer {
namespace {

// A snippet's word is looked for in this much of the text at most, as the
// index's snippets are: the lead is where the context is.
constexpr size_t kSearchedBytes = 16 * 1024;

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

// The word of a term of the field: the term less the field's prefix, when
// what follows is a word (words are lower-cased, so never start with an
// upper-case ASCII letter, which is how prefixes are told apart).
std::optional<std::string_view> WordOfField(std::string_view term,
                                            const std::string& prefix) {
  if (term.size() <= prefix.size() || !term.starts_with(prefix)) {
    return std::nullopt;
  }
  const char first = term[prefix.size()];
  if (first >= 'A' && first <= 'Z') return std::nullopt;
  return term.substr(prefix.size());
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

ArticleSnippets::ArticleSnippets(const Article& article,
                                 const DocumentTerms& terms)
    : article_(article),
      terms_(terms),
      stemmer_(StemmerFor(article.language)) {}

const ArticleSnippets::WordsByStem& ArticleSnippets::StemsOf(
    const std::string& prefix) {
  auto [entry, added] = stems_by_prefix_.try_emplace(prefix);
  if (added) {
    for (size_t i = 0; i < terms_.size(); ++i) {
      if (const std::optional<std::string_view> word =
              WordOfField(terms_.Term(i), prefix)) {
        std::string text(*word);
        entry->second[stemmer_(text)].push_back(std::move(text));
      }
    }
  }
  return entry->second;
}

std::vector<std::string> ArticleSnippets::WordsMatching(const QueryNode& leaf,
                                                        size_t limit) {
  std::vector<std::string> words;
  const std::string prefix = FieldPrefix(leaf.field);
  // Adds the words of the field's terms that `wanted` accepts.
  auto scan = [&](auto wanted) {
    for (size_t i = 0; i < terms_.size() && words.size() < limit; ++i) {
      const std::optional<std::string_view> word =
          WordOfField(terms_.Term(i), prefix);
      if (word && wanted(*word)) words.emplace_back(*word);
    }
  };
  auto one_of = [&](const std::vector<std::string>& wanted_terms) {
    scan([&](std::string_view word) {
      for (const std::string& term : wanted_terms) {
        if (term.size() == prefix.size() + word.size() &&
            term.ends_with(word)) {
          return true;
        }
      }
      return false;
    });
  };
  switch (leaf.kind) {
    case QueryNode::Kind::kWord: {
      const WordTerms word_terms = TermsOfWord(leaf.text, leaf.field, stemmer_);
      if (word_terms.kind != WordTerms::Kind::kSingle) {
        one_of(word_terms.terms);
        break;
      }
      // The exact form and its inflections all share the exact form's stem;
      // a word without a stem term (a number) matches only as written.
      const std::string exact = word_terms.exact.substr(prefix.size());
      const WordsByStem& stems = StemsOf(prefix);
      const auto found = stems.find(stemmer_(exact));
      if (found == stems.end()) break;
      for (const std::string& word : found->second) {
        if (words.size() == limit) break;
        if (!word_terms.stem.empty() || word == exact) words.push_back(word);
      }
      break;
    }
    case QueryNode::Kind::kPrefix: {
      if (leaf.text.empty()) break;  // A lone `*`: no word in particular.
      const std::string start =
          PrefixTermOf(leaf.text, leaf.field).substr(prefix.size());
      scan([&](std::string_view word) { return word.starts_with(start); });
      break;
    }
    case QueryNode::Kind::kPhrase: {
      const WordTerms phrase = TermsOfPhrase(leaf.text, leaf.field);
      one_of(phrase.kind == WordTerms::Kind::kSingle
                 ? std::vector<std::string>{phrase.exact}
                 : phrase.terms);
      break;
    }
    case QueryNode::Kind::kNear:
    case QueryNode::Kind::kAdjacent: {
      std::vector<std::string> group;
      for (const QueryNode& word : leaf.children) {
        group.push_back(TermsOfWord(word.text, word.field, stemmer_).exact);
      }
      one_of(group);
      break;
    }
    default:
      break;
  }
  return words;
}

const ArticleSnippets::LoweredText& ArticleSnippets::Lowered() {
  if (lowered_) return *lowered_;
  const std::string& text = article_.text;
  searched_bytes_ = CharacterStart(text, std::min(text.size(), kSearchedBytes));
  lowered_.emplace();
  bool previous_is_word = false;
  for (Xapian::Utf8Iterator it(text.data(), searched_bytes_);
       it != Xapian::Utf8Iterator(); ++it) {
    const auto offset = static_cast<std::uint32_t>(it.raw() - text.data());
    const unsigned character = *it;
    const size_t before = lowered_->lower.size();
    Xapian::Unicode::append_utf8(lowered_->lower,
                                 Xapian::Unicode::tolower(character));
    for (size_t i = before; i < lowered_->lower.size(); ++i) {
      lowered_->offset.push_back(offset);
      lowered_->word_start.push_back(!previous_is_word);
    }
    previous_is_word = Xapian::Unicode::is_wordchar(character);
  }
  return *lowered_;
}

std::string ArticleSnippets::Around(const std::vector<std::string>& words,
                                    size_t max_bytes) {
  const std::string& text = article_.text;
  const LoweredText& lowered = Lowered();
  const size_t searched = searched_bytes_;
  size_t hit = std::string::npos;  // In `text`.
  size_t hit_end = 0;
  for (const std::string& word : words) {
    if (word.empty()) continue;
    for (size_t at = lowered.lower.find(word); at != std::string::npos;
         at = lowered.lower.find(word, at + 1)) {
      if (lowered.offset[at] >= hit) break;
      if (lowered.word_start[at] &&
          (at == 0 || lowered.offset[at - 1] != lowered.offset[at])) {
        hit = lowered.offset[at];
        const size_t last = at + word.size() - 1;
        hit_end = last + 1 < lowered.offset.size() ? lowered.offset[last + 1]
                                                   : searched;
        break;
      }
    }
  }
  if (text.size() <= max_bytes) return text;
  size_t start = 0;
  if (hit != std::string::npos && hit > max_bytes / 3) {
    // A third of the room before the word, for its context, from a space.
    const size_t space = text.find(' ', hit - max_bytes / 3);
    start = space != std::string::npos && space < hit ? space + 1 : hit;
  }
  start = CharacterStart(text, start);
  size_t end = std::min(text.size(), start + max_bytes);
  if (end < text.size()) {
    // At a space, unless that would cut the word off.
    const size_t space = text.rfind(' ', end);
    if (space != std::string::npos && space > start &&
        (hit == std::string::npos || space >= hit_end)) {
      end = space;
    }
  }
  end = CharacterStart(text, end);
  std::string snippet = start > 0 ? "…" : "";
  snippet.append(text, start, end - start);
  if (end < text.size()) snippet += "…";
  return snippet;
}

}  // namespace newswatch::indexer
