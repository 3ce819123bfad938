// The HTML5 character references that HtmlToText's fast path decodes itself,
// each giving the code point that gumbo (the reference) gives. Internal to the
// indexer.
#ifndef NEWSWATCH_INDEXER_HTML_CHAR_REFS_H_
#define NEWSWATCH_INDEXER_HTML_CHAR_REFS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace newswatch::indexer {

struct NamedCharRef {
  std::string_view name;  // Without the '&' and the ';'.
  char32_t code_point;
};

// The code point of the named reference "&`name`;" if `name` is one of the
// HTML 4 names (Latin-1, symbols, Greek, punctuation) or "apos"; nullopt for
// every other name, including the other HTML5 names, which the caller must
// leave to the full parser. Case-sensitive, as HTML is.
std::optional<char32_t> FindNamedCharRef(std::string_view name);

// Every name FindNamedCharRef knows, for tests that hold them to gumbo.
std::span<const NamedCharRef> AllNamedCharRefs();

// Whether `letters` (the ASCII letters and digits that follow a '&') starts
// with one of the 106 legacy names that HTML5 decodes even without the ';'
// ("&amp", "&copy", "&not", ...): only then can a '&' not followed by a known
// "name;" mean anything but a literal '&'.
bool StartsWithLegacyCharRef(std::string_view letters);

// The code point that the numeric reference "&#`value`;" stands for, by
// HTML5's rules: NUL, surrogates and values past U+10FFFF become U+FFFD, and
// 0x80-0x9F are read as windows-1252 (but for its five holes). Other
// disallowed code points (controls, noncharacters) are returned unchanged,
// as gumbo does.
char32_t NumericCharRefCodePoint(std::uint32_t value);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_HTML_CHAR_REFS_H_
