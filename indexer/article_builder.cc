#include "indexer/article_builder.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/feed_date.h"
#include "indexer/fnv_hash.h"
#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

// Bounds on fields that ParseLimits does not cover.
// Longer ids are replaced by a hash: they are index keys, not text.
constexpr size_t kMaxIdBytes = 1024;
constexpr size_t kMaxCategories = 64;

// "<feed url>#<hash of content>": an id scoped to the feed.
std::string HashedId(const std::string& feed_url, std::string_view content) {
  return feed_url + "#" + Hex64(Fnv1a64(content));
}

bool LooksGloballyUnique(std::string_view guid) {
  return guid.find("://") != std::string_view::npos ||
         StartsWithIgnoringCase(guid, "tag:") ||
         StartsWithIgnoringCase(guid, "urn:");
}

// The article id, as article.h documents it.
std::string MakeId(const ItemFields& fields, const std::string& feed_url) {
  std::string id;
  if (!fields.guid.empty()) {
    id = LooksGloballyUnique(fields.guid) ? fields.guid
                                          : feed_url + "#" + fields.guid;
  } else if (!fields.link.empty()) {
    id = fields.link;
  } else {
    id = HashedId(feed_url, fields.title + '\n' + fields.date_text);
  }
  return id.size() > kMaxIdBytes ? HashedId(feed_url, id) : id;
}

}  // namespace

void AddCategory(std::string category, ItemFields* fields) {
  if (category.empty() || fields->categories.size() >= kMaxCategories) return;
  for (const std::string& known : fields->categories) {
    if (known == category) return;
  }
  fields->categories.push_back(std::move(category));
}

bool OfferDate(std::string text, ItemFields* fields) {
  if (text.empty()) return false;
  const std::optional<std::int64_t> date = ParseFeedDate(text);
  if (fields->date_text.empty() || date) fields->date_text = std::move(text);
  if (!date) return false;
  fields->published = date;
  return true;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (name.empty()) continue;
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

void TruncateUtf8(std::string* text, size_t max_bytes) {
  if (text->size() <= max_bytes) return;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>((*text)[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  text->resize(cut);
  while (!text->empty() && text->back() == ' ') text->pop_back();
}

std::string NormalizeLanguage(std::string_view tag) {
  tag = TrimAscii(tag);
  if (tag.empty() || tag.size() > 35) return "";
  std::string normalized;
  normalized.reserve(tag.size());
  for (const char c : tag) {
    if (c == '_' || c == '-') {
      normalized += '-';
    } else if (IsAsciiAlpha(c) || (c >= '0' && c <= '9')) {
      normalized += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      return "";
    }
  }
  return normalized;
}

Article MakeArticle(ItemFields fields, const FeedSource& source,
                    std::int64_t now, const ParseLimits& limits) {
  Article article;
  article.id = MakeId(fields, source.url);  // Before the title is truncated.
  article.feed_url = source.url;
  article.feed_name = source.name;
  article.title = std::move(fields.title);
  TruncateUtf8(&article.title, limits.max_title_bytes);
  article.link = std::move(fields.link);
  article.author = std::move(fields.author);
  TruncateUtf8(&article.author, limits.max_title_bytes);
  article.text = std::move(fields.text);
  TruncateUtf8(&article.text, limits.max_text_bytes);
  article.categories = std::move(fields.categories);
  for (std::string& category : article.categories) {
    TruncateUtf8(&category, limits.max_title_bytes);
  }
  article.published = fields.published.value_or(now);
  article.published_is_fallback = !fields.published.has_value();
  article.language = NormalizeLanguage(fields.language);
  return article;
}

void ArticleCollector::Add(Article article, size_t number) {
  const auto earlier = index_of_id_.find(article.id);
  if (earlier != index_of_id_.end()) {
    const Article& first = feed_->articles[earlier->second];
    if (first.link == article.link && first.title == article.title) {
      feed_->warnings.push_back(
          "dropped item " + std::to_string(number) +
          ": same id, link and title as item " +
          std::to_string(number_of_index_[earlier->second]));
      return;
    }
    article.id = UnusedVariant(article);
  }
  index_of_id_.emplace(article.id, feed_->articles.size());
  number_of_index_.push_back(number);
  feed_->articles.push_back(std::move(article));
}

std::string ArticleCollector::UnusedVariant(const Article& article) const {
  std::string id = article.link.empty()
                       ? article.id + "#" +
                             Hex64(Fnv1a64(article.title + '\n' + article.text))
                       : article.id + "#" + article.link;
  if (id.size() > kMaxIdBytes) id = HashedId(article.feed_url, id);
  const std::string stem = id;
  for (int n = 2; index_of_id_.count(id) != 0; ++n) {
    id = stem + "#" + std::to_string(n);
  }
  return id;
}

}  // namespace newswatch::indexer
