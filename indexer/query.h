// The query language of saved searches and `newswatch search`, parsed into a
// small tree that the index compiles to a Xapian query.
//
//   troop cap              both words (AND is implied)
//   Ukraine AND troop      explicit AND
//   troops OR soldiers     either; OR binds tighter than AND, as in web
//                          search: `Ukraine troops OR soldiers` means
//                          Ukraine AND (troops OR soldiers)
//   NOT Russia, -Russia    exclude
//   (a OR b) c             grouping
//   "troop cap"            exact phrase (case-insensitive, no stemming)
//
// Operators are recognised only in capitals; `and`, `or` and `not` are words.
// Words match case-insensitively and match their inflections and possessives
// (troop ~ troops, Ukraine ~ Ukraine's), through the index's stemmer.
#ifndef NEWSWATCH_INDEXER_QUERY_H_
#define NEWSWATCH_INDEXER_QUERY_H_

#include <string>
#include <string_view>
#include <vector>

#include "config/error.h"

namespace newswatch::indexer {

struct QueryNode {
  enum class Kind {
    kWord,    // `text` is the word as written.
    kPhrase,  // `text` is what stood between the quotes.
    kAnd,     // Two or more children, all required.
    kOr,      // Two or more children, any one suffices.
    kNot,     // One child, which must not match.
  };
  Kind kind = Kind::kWord;
  std::string text;
  std::vector<QueryNode> children;

  // The query written back in canonical form, fully parenthesised; for tests
  // and `explain`-style output.
  std::string ToString() const;
};

// Longest query accepted, in bytes: a bound on input from outside.
inline constexpr size_t kMaxQueryBytes = 4096;

// Parses strictly: unbalanced parentheses or quotes, a dangling or doubled
// operator, an empty query, group or phrase, or a word with nothing
// searchable in it are errors whose `what` says what and at which column.
// The Error's `where` is empty; callers name the search.
config::Result<QueryNode> ParseQuery(std::string_view text);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_QUERY_H_
