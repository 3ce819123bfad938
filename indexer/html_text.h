// HTML -> plain text, for indexing and for the text of alerts.
#ifndef NEWSWATCH_INDEXER_HTML_TEXT_H_
#define NEWSWATCH_INDEXER_HTML_TEXT_H_

#include <string>
#include <string_view>

namespace newswatch::indexer {

// Returns the visible text of `html` (a fragment or a whole document) on one
// line: script, style, noscript, template and <head> content dropped, all
// HTML5 character references decoded, block-level elements and <br> turned
// into a space so that words of adjacent paragraphs never glue together,
// whitespace collapsed as by CollapseWhitespace. Input without '<' or '&' is
// only whitespace-collapsed. Input nested so deeply that the HTML5 parser
// would take quadratic time is reduced by a cruder linear tag stripper
// instead (such input is hostile, not news). Thread-safe.
std::string HtmlToText(std::string_view html);

// HtmlToText by gumbo alone, whatever the input: the reference that
// HtmlToText's fast path (html_fast_text.h) must equal wherever it answers.
// For tests; quadratic in nesting depth, so not for untrusted input.
std::string HtmlToTextWithGumbo(std::string_view html);

// Returns `text` with every run of whitespace (ASCII whitespace, U+00A0
// no-break space, U+2028/U+2029) replaced by one space and both ends trimmed;
// other control characters dropped; invalid UTF-8 replaced by U+FFFD. The
// result is valid UTF-8 without line breaks, whatever the input.
std::string CollapseWhitespace(std::string_view text);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_HTML_TEXT_H_
