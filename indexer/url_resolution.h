// URL reference resolution (RFC 3986 section 5.2) for the links in feeds.
#ifndef NEWSWATCH_INDEXER_URL_RESOLUTION_H_
#define NEWSWATCH_INDEXER_URL_RESOLUTION_H_

#include <string>
#include <string_view>

namespace newswatch::indexer {

// Resolves `reference` against `base` as RFC 3986 section 5.2 says (strict:
// a reference with the base's scheme is not treated as relative), removing
// dot segments. Returns `reference` unchanged when `base` has no scheme, as
// there is nothing to resolve against. Neither input is validated or
// escaped: this is string surgery on the generic syntax, so any bytes in,
// some string out. Thread-safe.
std::string ResolveUrl(std::string_view base, std::string_view reference);

// Returns the absolute http(s) URL that `reference` (surrounding ASCII
// whitespace ignored) denotes against `base`, or "" for anything else: other
// schemes (javascript:, data:) have no business in an alert, and neither has
// an http(s) URL without a host. Bytes that may not appear in a URL as is
// (space, controls, non-ASCII) are percent-encoded, so a non-empty result is
// printable ASCII. References or results longer than 4096 bytes give "",
// since a cut URL is a wrong URL. Thread-safe.
std::string ResolveLink(std::string_view base, std::string_view reference);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_URL_RESOLUTION_H_
