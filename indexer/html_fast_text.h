// HtmlToText's fast path: one pass over the common subset of news HTML, with
// no tree and no allocation per tag. Internal to the indexer.
#ifndef NEWSWATCH_INDEXER_HTML_FAST_TEXT_H_
#define NEWSWATCH_INDEXER_HTML_FAST_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace newswatch::indexer {

// Returns exactly what HtmlToTextWithGumbo(html) returns, byte for byte, or
// nullopt ("not handled") when `html` holds anything for which this function
// cannot be sure of that; the caller then runs the full HTML5 parser on the
// whole input.
//
// Handled: text (any UTF-8; invalid bytes, controls and noncharacters
// replaced as gumbo replaces them); plain comments; p, div, ul/ol/li,
// dl/dt/dd, h1-h6, blockquote, pre, figure/figcaption, the sectioning
// elements, br, hr, img and the other void elements, the formatting and
// phrase elements (a, b, em, strong, code, span, sub, ...) while well nested,
// elements that gumbo does not know (custom ones, <picture>), as it does;
// script, style and iframe, whose content is skipped; numeric references and
// the HTML 4 named references with their ';'; a '<' or '&' that starts
// nothing ("a < b", "AT&T"). Paragraphs, list items and headings closed
// implicitly, and stray end tags, are handled as HTML5 handles them.
//
// Not handled: tables, forms, foreign content (svg, math), templates, the
// html, head and body tags, title, textarea, noscript, select and the other
// elements with their own parsing rules, any other element gumbo knows,
// doctypes, CDATA, processing instructions and unusual comments, a
// formatting element that HTML5 would have to reopen or move (misnested
// b/i/a...), nesting deeper than 128, NUL bytes in text, a tag cut off by the
// end of input, named references outside the table or without their ';',
// numeric references past U+10FFFF or without ';', and script content
// containing "<!--".
//
// Thread-safe; linear time.
std::optional<std::string> FastHtmlToText(std::string_view html);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_HTML_FAST_TEXT_H_
