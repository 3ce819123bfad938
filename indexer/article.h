// Article: one item of a feed, as the parser hands it to the index, the
// matcher and the alert store. Plain data; all text is valid UTF-8 plain text
// (HTML already turned into text).
#ifndef NEWSWATCH_INDEXER_ARTICLE_H_
#define NEWSWATCH_INDEXER_ARTICLE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace newswatch::indexer {

struct Article {
  // Stable identity across polls: the guid / atom:id when it is globally
  // unique (a URL, tag: or urn:), a feed-scoped guid otherwise
  // ("<feed url>#<guid>"), else the link, else a hash of feed, title and date.
  std::string id;
  std::string feed_url;  // The feed as configured.
  std::string feed_name;
  std::string title;
  std::string link;  // Absolute URL, may be empty.
  std::string author;
  std::string text;  // Summary/content as plain text.
  std::vector<std::string> categories;
  // The article's language tag, lower-cased ("en", "pt-br"): the item's own
  // (xml:lang, dc:language), else the feed's; empty when nobody says.
  std::string language;
  std::int64_t published = 0;  // Unix seconds, UTC.
  // True when the feed gave no usable date and `published` is the time the
  // article was first seen.
  bool published_is_fallback = false;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_ARTICLE_H_
