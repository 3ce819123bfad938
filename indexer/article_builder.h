// From the fields one feed item was read into to an Article with its limits
// and identity applied: shared by the XML and the JSON Feed parsers.
#ifndef NEWSWATCH_INDEXER_ARTICLE_BUILDER_H_
#define NEWSWATCH_INDEXER_ARTICLE_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/article.h"
#include "indexer/feed_parser.h"

namespace newswatch::indexer {

// One item's fields as read, before limits and identity are applied. All
// text is plain UTF-8 text already; links are absolute or empty.
struct ItemFields {
  std::string title;
  std::string link;
  std::string author;
  std::string text;
  std::vector<std::string> categories;
  std::string guid;       // guid, rdf:about, atom:id or JSON id; may be empty.
  std::string date_text;  // The date as written, for the fallback id.
  std::optional<std::int64_t> published;
  std::string language;  // The item's language tag (or the feed's), raw.
};

// Offers `text`, one of the item's dates in order of preference, as its
// date: sets `published` and returns true when it parses (the caller stops
// there). The first non-empty text offered is kept as `date_text` unless a
// later one parses, for the fallback id.
bool OfferDate(std::string text, ItemFields* fields);

// Adds a non-empty `category` to `fields` unless it is already there or
// there are already as many as an article keeps (64).
void AddCategory(std::string category, ItemFields* fields);

// The non-empty `names` joined with ", ".
std::string JoinNames(const std::vector<std::string>& names);

// Cuts valid UTF-8 `text` to at most `max_bytes` without splitting a
// character, and without leaving a trailing space.
void TruncateUtf8(std::string* text, size_t max_bytes);

// A language tag as articles and feeds carry it: trimmed, lower-cased, '_'
// as '-' ("en_US " -> "en-us"); "" when `tag` is not shaped like a language
// tag (ASCII letters, digits and '-' only, at most 35 bytes).
std::string NormalizeLanguage(std::string_view tag);

// The Article for `fields`: the id as article.h documents it (computed before
// any truncation), every field cut to `limits`, `now` as the date when the
// item had none that parsed (and published_is_fallback set), the language
// normalized.
Article MakeArticle(ItemFields fields, const FeedSource& source,
                    std::int64_t now, const ParseLimits& limits);

// Collects the articles of one parse into a ParsedFeed, keeping ids unique
// within it. Not thread-safe; one per parse.
class ArticleCollector {
 public:
  explicit ArticleCollector(ParsedFeed* feed) : feed_(feed) {}

  // Adds `article` (the `number`th item of the feed, from 1). An item that
  // repeats an earlier one's id, link and title is the same story twice and
  // is dropped, with a warning; one that only shares the id gets a suffixed
  // id, since feeds that reuse guids would otherwise have distinct stories
  // overwrite each other in the index. The first holder keeps the plain id,
  // so ids stay stable across polls while the feed's order does.
  void Add(Article article, size_t number);

  size_t size() const { return feed_->articles.size(); }

 private:
  std::string UnusedVariant(const Article& article) const;

  ParsedFeed* feed_;
  std::unordered_map<std::string, size_t> index_of_id_;
  std::vector<size_t> number_of_index_;  // Item number of each article.
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_ARTICLE_BUILDER_H_
