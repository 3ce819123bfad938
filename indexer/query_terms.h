// Internal to indexer/: how a query's leaves become index terms. Shared by
// CompileQuery (searches of the index) and the matcher's verifier, so that a
// saved search fires on exactly the articles `search` would find. Include
// only from indexer's .cc files.
#ifndef NEWSWATCH_INDEXER_QUERY_TERMS_H_
#define NEWSWATCH_INDEXER_QUERY_TERMS_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/query.h"

namespace newswatch::indexer {

// What a query is compiled for.
struct CompileOptions {
  // The language whose stemmer the query's words use (a tag such as "de" or
  // "pt-br"; its primary subtag picks the Snowball stemmer). Empty, or a
  // language Xapian has no stemmer for, means English.
  std::string language;
  // The time `since:` counts back from (Unix seconds).
  std::int64_t now = 0;
};

// The stemmer for a language tag, as CompileOptions::language describes;
// the same function picks the stemmer an article is indexed with.
Xapian::Stem StemmerFor(std::string_view language);

// The terms of one query word (kWord) in a text field.
struct WordTerms {
  enum class Kind {
    kSingle,  // One word: matches `exact` or `stem`.
    kPhrase,  // Several words in a row (air-defence): `terms` in order, at
              // consecutive positions.
    kAllOf,   // Several terms without positions (CJK n-grams): all present.
  };
  Kind kind = Kind::kSingle;
  std::string exact;               // kSingle: the unstemmed term.
  std::string stem;                // kSingle: the stemmed term; may be empty.
  std::vector<std::string> terms;  // kPhrase, kAllOf.
};

// `field` must be a text field (kAny, kTitle, kAuthor); the text must have
// something searchable in it (the parser has checked).
WordTerms TermsOfWord(std::string_view word, QueryField field,
                      const Xapian::Stem& stemmer);

// A phrase's terms: kPhrase (unstemmed, in order), or kAllOf for CJK text,
// or kSingle (with no stem) for a one-word phrase.
WordTerms TermsOfPhrase(std::string_view phrase, QueryField field);

// The term every word starting with a kPrefix leaf's text begins with: the
// field's prefix and the lower-cased text.
std::string PrefixTermOf(std::string_view prefix, QueryField field);

// The boolean term of a kValue leaf (already normalised by the parser).
std::string ValueTermOf(QueryField field, std::string_view value);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_QUERY_TERMS_H_
