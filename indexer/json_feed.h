// JSON Feed (https://jsonfeed.org, versions 1 and 1.1): the bytes of a JSON
// Feed document -> Articles, the same Articles the XML parser makes.
#ifndef NEWSWATCH_INDEXER_JSON_FEED_H_
#define NEWSWATCH_INDEXER_JSON_FEED_H_

#include <cstdint>
#include <string_view>

#include "config/error.h"
#include "indexer/feed_parser.h"

namespace newswatch::indexer {

// Parses a JSON Feed 1 or 1.1 document, with ParseFeed's contract for `now`,
// `limits`, article ids, duplicate items and links (feed_parser.h): items
// are built by article_builder.h like RSS and Atom ones, the JSON "id" being
// the guid. Relative links resolve against source.base_url, else
// source.url. Thread-safe (no shared state).
//
// The input is untrusted: a member of the wrong type reads as absent, an
// item that is not an object is skipped with a warning, a numeric "id"
// stands for its decimal text. A document is taken as a JSON Feed when it is
// an object with a "version" starting "https://jsonfeed.org/version/" (http:
// and www. spellings accepted) or with an "items" array. Errors are
// kPermanent: "empty body", "not JSON: <nlohmann's description> at offset
// N", "not a feed: JSON nested deeper than 64 levels at offset N" (refused
// by a scan before parsing, so hostile nesting costs neither stack nor
// memory), "not a feed: JSON without a JSON Feed version".
config::Result<ParsedFeed> ParseJsonFeed(std::string_view body,
                                         const FeedSource& source,
                                         std::int64_t now,
                                         const ParseLimits& limits);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_JSON_FEED_H_
