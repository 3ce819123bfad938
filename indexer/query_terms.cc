#include "indexer/query_terms.h"

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "indexer/article_document.h"

namespace newswatch::indexer {
namespace {

// The language (primary subtag) every other falls back to.
constexpr char kDefaultLanguage[] = "en";

// Which primary subtags Xapian has a Snowball stemmer for, learnt on first
// use of each: constructing a Xapian::Stem for an unknown language throws,
// which is slow enough to be worth remembering. Thread-safe. Callers get a
// Stem of their own each time (cheap for a known language), because Xapian
// objects, copies included, must not be used by two threads at once.
class KnownStemmers {
 public:
  bool Has(const std::string& code) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto known = known_.find(code); known != known_.end()) {
      return known->second;
    }
    bool has = true;
    try {
      Xapian::Stem probe(code);
    } catch (const Xapian::InvalidArgumentError&) {
      has = false;
    }
    // Article languages come from outside: remember a bounded number.
    if (known_.size() < kMaxRemembered) known_.emplace(code, has);
    return has;
  }

 private:
  static constexpr size_t kMaxRemembered = 512;
  std::mutex mutex_;
  std::unordered_map<std::string, bool> known_;
};

// The primary subtag of a language tag, lower-cased ("pt" of "pt-BR"), or
// empty when it is not letters (at most 8, as BCP 47 allows).
std::string PrimarySubtag(std::string_view language) {
  const std::string_view primary =
      language.substr(0, language.find_first_of("-_"));
  if (primary.empty() || primary.size() > 8) return "";
  std::string code;
  for (const char c : primary) {
    if (c >= 'A' && c <= 'Z') {
      code += static_cast<char>(c - 'A' + 'a');
    } else if (c >= 'a' && c <= 'z') {
      code += c;
    } else {
      return "";
    }
  }
  return code;
}

std::string FieldPrefix(QueryField field) {
  switch (field) {
    case QueryField::kAny:
      return "";
    case QueryField::kTitle:
      return kTitlePrefix;
    case QueryField::kAuthor:
      return kAuthorPrefix;
    case QueryField::kFeed:
      return kFeedPrefix;
    case QueryField::kSite:
      return kSitePrefix;
    case QueryField::kCategory:
      return kCategoryPrefix;
    case QueryField::kLanguage:
      return kLanguagePrefix;
  }
  return "";
}

// What the TermGenerator makes of a query's text in a field, as it would of
// the same text in a document's field.
struct AnalysedText {
  // The terms with positions, in position order: words, and CJK characters.
  std::vector<std::string> words;
  // Unstemmed terms without positions: CJK character pairs (n-grams).
  std::vector<std::string> ngrams;
  // The Z-prefixed stems.
  std::vector<std::string> stems;
};

AnalysedText Analyse(std::string_view text, QueryField field,
                     const Xapian::Stem& stemmer) {
  const std::string prefix = FieldPrefix(field);
  Xapian::Document scratch;
  Xapian::TermGenerator generator = MakeTermGenerator(stemmer);
  generator.set_document(scratch);
  generator.index_text(std::string(text), 1, prefix);
  // Stems start "Z" + prefix; every other term starts with the prefix and
  // then a lower-cased word, which cannot begin with an upper-case Z.
  const std::string stem_prefix = kStemPrefix + prefix;
  std::map<Xapian::termpos, std::string> by_position;
  AnalysedText analysed;
  for (auto term = scratch.termlist_begin(); term != scratch.termlist_end();
       ++term) {
    if ((*term).starts_with(stem_prefix)) {
      analysed.stems.push_back(*term);
    } else if (term.positionlist_count() == 0) {
      analysed.ngrams.push_back(*term);
    } else {
      for (auto pos = term.positionlist_begin(); pos != term.positionlist_end();
           ++pos) {
        by_position[*pos] = *term;
      }
    }
  }
  for (auto& [position, word] : by_position) {
    analysed.words.push_back(std::move(word));
  }
  return analysed;
}

// CJK text: every character and every pair of neighbouring characters
// present (as Xapian's QueryParser matches CJK), with the text's other words.
WordTerms AllOf(AnalysedText analysed) {
  WordTerms terms;
  terms.kind = WordTerms::Kind::kAllOf;
  std::unordered_set<std::string> seen;
  for (std::string& term : analysed.words) {
    if (seen.insert(term).second) terms.terms.push_back(std::move(term));
  }
  for (std::string& term : analysed.ngrams) {
    if (seen.insert(term).second) terms.terms.push_back(std::move(term));
  }
  return terms;
}

WordTerms PhraseOf(std::vector<std::string> words) {
  WordTerms terms;
  terms.kind = WordTerms::Kind::kPhrase;
  terms.terms = std::move(words);
  return terms;
}

}  // namespace

Xapian::Stem StemmerFor(std::string_view language) {
  static KnownStemmers known;
  const std::string code = PrimarySubtag(language);
  // "none" is Xapian's name for not stemming, not a language.
  if (code.empty() || code == "none" || !known.Has(code)) {
    return Xapian::Stem(kDefaultLanguage);
  }
  return Xapian::Stem(code);
}

WordTerms TermsOfWord(std::string_view word, QueryField field,
                      const Xapian::Stem& stemmer) {
  AnalysedText analysed = Analyse(word, field, stemmer);
  if (!analysed.ngrams.empty()) return AllOf(std::move(analysed));
  if (analysed.words.size() > 1) return PhraseOf(std::move(analysed.words));
  WordTerms terms;
  // No words at all breaks the precondition; an empty `exact` then matches
  // nothing (CompileQuery).
  if (analysed.words.empty()) return terms;
  terms.exact = std::move(analysed.words.front());
  // Words that do not start with a letter (numbers) get no stem.
  if (!analysed.stems.empty()) terms.stem = std::move(analysed.stems.front());
  return terms;
}

WordTerms TermsOfPhrase(std::string_view phrase, QueryField field) {
  // A phrase matches its words as written: what the stemmer would make of
  // them is not looked at, so any stemmer does.
  AnalysedText analysed = Analyse(phrase, field, Xapian::Stem());
  if (!analysed.ngrams.empty()) return AllOf(std::move(analysed));
  if (analysed.words.size() > 1) return PhraseOf(std::move(analysed.words));
  WordTerms terms;
  if (!analysed.words.empty()) terms.exact = std::move(analysed.words.front());
  return terms;
}

std::string PrefixTermOf(std::string_view prefix, QueryField field) {
  // The word as the TermGenerator writes it (lower-cased, and "U.S" as
  // "us"), so that it is the start of the document terms it should find;
  // text that is not one word is lower-cased as it is.
  const AnalysedText analysed = Analyse(prefix, field, Xapian::Stem());
  if (analysed.words.size() == 1 && analysed.ngrams.empty()) {
    return analysed.words.front();
  }
  return FieldPrefix(field) + Xapian::Unicode::tolower(std::string(prefix));
}

std::string ValueTermOf(QueryField field, std::string_view value) {
  return PrefixedTerm(FieldPrefix(field), value);
}

}  // namespace newswatch::indexer
