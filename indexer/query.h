// The query language of saved searches and `newswatch search`, parsed into a
// small tree that the index compiles to a Xapian query and the matcher
// compiles to its own verifier. The README's "The query language" is the
// user's reference; this is the contract.
//
//   troop cap              both words (AND is implied)
//   Ukraine AND troop      explicit AND
//   troops OR soldiers     either; OR binds tighter than AND, as in web
//                          search: `Ukraine troops OR soldiers` means
//                          Ukraine AND (troops OR soldiers)
//   NOT Russia, -Russia    exclude
//   (a OR b) c             grouping
//   "troop cap"            exact phrase (case-insensitive, no stemming)
//   troop NEAR/3 cap       both words, in any order, at most 3 words apart
//                          (|position difference| <= 3); NEAR alone is NEAR/10
//   troop ADJ/3 cap        the same in the order written; ADJ alone is ADJ/1,
//                          which is the phrase "troop cap"
//   sanction*              any word starting with "sanction" (unstemmed)
//   title:ukraine          a field: title: and author: hold words, phrases,
//   title:"troop cap"      prefixes, NEAR/ADJ groups and (groups) of them;
//   title:(kyiv OR kiev)   a field before a group applies to every word in it
//   feed:"BBC World"       the feed's configured name, whole
//   site:bbc.co.uk         the host of the article's link, or a subdomain
//   category:politics      one of the article's categories, whole
//   lang:de                the article's language (`de` also finds `de-at`)
//   published:2025-11-01..2025-11-30   published on those days (UTC,
//                          inclusive); either end may be left open
//   published:2025-11-01   published on that day
//   since:7d               published in the last 7 days (h, d and w units;
//                          since:2025-11-01 is an absolute start)
//
// Operators are recognised only in capitals; `and`, `or` and `not` are words.
// Words match case-insensitively and match their inflections and possessives
// (troop ~ troops, Ukraine ~ Ukraine's) through the stemmer of the search's
// language (see CompileOptions); a word also matches exactly as written, so
// an article in another language still matches its own spelling.
#ifndef NEWSWATCH_INDEXER_QUERY_H_
#define NEWSWATCH_INDEXER_QUERY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/error.h"

namespace newswatch::indexer {

// Where a leaf looks. Text fields (kAny, kTitle, kAuthor) hold words; value
// fields (kFeed, kSite, kCategory, kLanguage) are compared whole.
enum class QueryField {
  kAny,       // Title and text.
  kTitle,     // title:
  kAuthor,    // author:
  kFeed,      // feed:     the feed's configured name, case-insensitive.
  kSite,      // site:     the link's host or any host under it.
  kCategory,  // category: one category, whole, case-insensitive.
  kLanguage,  // lang:     the language tag, or its primary subtag.
};

struct QueryNode {
  enum class Kind {
    kWord,       // `text` is the word as written; `field` a text field.
    kPrefix,     // `text` is what stood before the '*' (one word as the
                 // index spells it, lower-case aside); matches unstemmed
                 // words; `field` a text field. Empty for a lone `*`, which
                 // matches every article.
    kPhrase,     // `text` is what stood between the quotes; text field.
    kNear,       // Two or more kWord children (same field), any order,
                 // within `distance` (see above).
    kAdjacent,   // As kNear, in the order written.
    kValue,      // `field` is a value field; `text` the value, lower-cased,
                 // whitespace collapsed (site: without a leading "www.").
    kPublished,  // Published in [from, to): Unix seconds, UTC. An open end is
                 // INT64_MIN / INT64_MAX.
    kSince,      // Published at or after (now - `seconds`): relative, so its
                 // meaning depends on when it is evaluated.
    kAnd,        // Two or more children, all required.
    kOr,         // Two or more children, any one suffices.
    kNot,        // One child, which must not match.
  };
  Kind kind = Kind::kWord;
  QueryField field = QueryField::kAny;
  std::string text;
  int distance = 0;          // kNear, kAdjacent.
  std::int64_t from = 0;     // kPublished.
  std::int64_t to = 0;       // kPublished.
  std::int64_t seconds = 0;  // kSince.
  std::vector<QueryNode> children;

  // The query written back in canonical form, fully parenthesised, that
  // parses to the same tree; for tests and `explain`. A field before a group
  // is written on each leaf, dates as YYYY-MM-DD, since: in its largest
  // exact unit. The form can be longer than the query it came from, so one
  // longer than kMaxQueryBytes does not parse back.
  std::string ToString() const;
};

// Longest query accepted, in bytes: a bound on input from outside.
inline constexpr size_t kMaxQueryBytes = 4096;

// Parses strictly: unbalanced parentheses or quotes, a dangling or doubled
// operator, an empty query, group or phrase, a word with nothing searchable
// in it, an unknown field, a bad date or range, a NEAR/ADJ operand that is
// not a plain word, or mixed NEAR/ADJ distances in one chain are errors whose
// `what` says what and at which column. The Error's `where` is empty;
// callers name the search.
config::Result<QueryNode> ParseQuery(std::string_view text);

// The canonical form of a value field's value (kFeed, kSite, kCategory,
// kLanguage), shared by the parser (kValue leaves) and the index (the
// documents' field terms) so that both sides agree: Unicode lower-case,
// whitespace runs collapsed to one space, trimmed; for kSite also without a
// leading "www." and trailing "." (every one); for kLanguage with '_'
// turned into '-'. Normalising twice changes nothing.
// Only normalises: it does not check that a site is a host name or a language
// a tag (the parser does), and may return an empty string. Text fields get
// the common part (lower-case, whitespace).
std::string NormaliseFieldValue(QueryField field, std::string_view value);

// The language a query names for itself: the value of its lang: leaves when
// they all name the same primary language and are required (not under NOT
// or OR), e.g. "de" for `lang:de Truppen`; else empty. Used to stem the
// query's words when the search names no language.
std::string LanguageOfQuery(const QueryNode& query);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_QUERY_H_
