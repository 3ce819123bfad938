// FeedParser: the bytes of an RSS or Atom document -> Articles.
#ifndef NEWSWATCH_INDEXER_FEED_PARSER_H_
#define NEWSWATCH_INDEXER_FEED_PARSER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/error.h"
#include "indexer/article.h"

namespace newswatch::indexer {

// Where the bytes came from; stamped on every article.
struct FeedSource {
  std::string url;  // The feed URL as configured (scopes guids, base of links).
  std::string name;  // The feed's configured name.
  // Where the body was actually fetched from, after redirects; relative links
  // resolve against it. Empty means `url`.
  std::string base_url = {};
  // The HTTP Content-Type header, if the body came over HTTP; its charset
  // parameter names the encoding when there is no byte order mark.
  std::string content_type = {};
};

struct ParsedFeed {
  std::string title;  // The feed's own title, may be empty.
  std::string link;   // The feed's home page (absolute http(s)), may be empty.
  // The feed's language as it declares it (RSS <language>, dc:language, the
  // root's xml:lang, JSON Feed's "language"), lower-cased, may be empty.
  std::string language;
  std::vector<Article> articles;
  // How often the feed says it changes, from RSS <ttl> or the syndication
  // module's sy:updatePeriod / sy:updateFrequency; 0 when it does not say.
  std::int64_t refresh_seconds = 0;
  // Problems that did not stop parsing (a document broken half-way keeps the
  // articles before the break), for the log.
  std::vector<std::string> warnings;
};

// Bounds on what one feed may produce, so memory stays bounded whatever a
// server sends.
struct ParseLimits {
  size_t max_items = 1000;
  size_t max_title_bytes = 1024;
  size_t max_text_bytes = 256 * 1024;
};

// Parses RSS 0.90-0.94 and 2.0, RSS 1.0 (RDF), Atom 0.3 and 1.0, and (for a
// body that starts with '{') JSON Feed 1.0 and 1.1, as ParseJsonFeed. `now`
// (Unix seconds) dates articles whose feed gives no usable date.
// Thread-safe (no shared state). Errors are kPermanent: "not a feed: looks
// like HTML", "empty body", "not XML: <pugixml's description> at offset N",
// "not a feed: root element <x>", and ParseJsonFeed's.
//
// The body is decoded to UTF-8 as DecodeXmlToUtf8 says (byte order mark,
// HTTP charset, XML declaration; invalid UTF-8 repaired as windows-1252). A
// document broken half-way keeps the items before the break, with a
// warning. Article ids are unique within one result: an item that repeats
// an earlier one's id, link and title is dropped; one that only repeats the
// id gets the id with "#<link>" (or "#<hash>") appended. Links are absolute
// http(s) URLs or empty, resolved against xml:base, else the URL the body
// was fetched from.
config::Result<ParsedFeed> ParseFeed(std::string_view body,
                                     const FeedSource& source, std::int64_t now,
                                     const ParseLimits& limits = {});

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_FEED_PARSER_H_
