// ASCII string helpers shared by the feed parser and its parts. Internal to
// the indexer.
#ifndef NEWSWATCH_INDEXER_TEXT_UTIL_H_
#define NEWSWATCH_INDEXER_TEXT_UTIL_H_

#include <string>
#include <string_view>

namespace newswatch::indexer {

// Returns `text` without leading and trailing ASCII whitespace (space, \t,
// \r, \n, \f, \v). The result views `text`.
std::string_view TrimAscii(std::string_view text);

// Returns `text` with A-Z lowered; every other byte, non-ASCII included, is
// kept as is.
std::string LowerAscii(std::string_view text);

// Whether `text` starts with `prefix`, ignoring ASCII case. `prefix` must be
// lower-case.
bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix);

// Whether `c` is an ASCII letter (a-z, A-Z), whatever the locale.
bool IsAsciiAlpha(char c);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_TEXT_UTIL_H_
