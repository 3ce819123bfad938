#include "indexer/json_feed.h"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/article_builder.h"
#include "indexer/html_text.h"
#include "indexer/text_util.h"
#include "indexer/url_resolution.h"

namespace newswatch::indexer {
namespace {

using Json = nlohmann::json;

// Deeper than any JSON Feed needs (items, authors and extension objects take
// about six levels). nlohmann 3.11 parses and frees without recursion, but
// its dump(), comparisons and copies recurse, and a document nested deeper
// is hostile, not news.
constexpr int kMaxDepth = 64;

// nlohmann skips it; only the check for an empty body needs to.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------
// Before parsing.

// The offset of the first '[' or '{' (outside strings) that opens a level
// deeper than kMaxDepth, if any. A linear scan, so that hostile nesting is
// refused before nlohmann builds anything. Brackets that close more than
// was opened (invalid JSON, which the parser reports) do not count below 0.
std::optional<size_t> TooDeepAt(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

// Records the first syntax error of a parse and accepts everything else: run
// only after a parse failed, to say what and where without exceptions.
class SyntaxErrorSax : public Json::json_sax_t {
 public:
  bool null() override { return true; }
  bool boolean(bool /*value*/) override { return true; }
  bool number_integer(number_integer_t /*value*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
  bool number_float(number_float_t /*value*/,
                    const string_t& /*text*/) override {
    return true;
  }
  bool string(string_t& /*value*/) override { return true; }
  bool binary(binary_t& /*value*/) override { return true; }
  bool start_object(size_t /*elements*/) override { return true; }
  bool key(string_t& /*value*/) override { return true; }
  bool end_object() override { return true; }
  bool start_array(size_t /*elements*/) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(size_t position, const std::string& /*last_token*/,
                   const Json::exception& error) override {
    message_ = Describe(error.what(), position);
    return false;
  }

  const std::string& message() const { return message_; }

 private:
  // nlohmann's "[json.exception.parse_error.101] parse error at line 1,
  // column 4: syntax error while parsing value - invalid literal; last read:
  // 'tru'" as "syntax error while parsing value - invalid literal at offset
  // 3". The "last read" part is dropped: it quotes the server's bytes, which
  // may be a megabyte of string.
  static std::string Describe(std::string_view what, size_t position) {
    const size_t column = what.find("column ");
    if (column != std::string_view::npos) {
      const size_t colon = what.find(": ", column);
      if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
    }
    what = what.substr(0, what.find("; last read: "));
    // `position` counts the bytes read: the offset of the last one is the
    // end of the offending token, or the body's size at an unexpected end.
    const size_t offset = position > 0 ? position - 1 : 0;
    return std::string(what) + " at offset " + std::to_string(offset);
  }

  std::string message_ = "invalid JSON";
};

// ---------------------------------------------------------------------------
// Typed access: a member of the wrong type reads as absent.

const Json* Member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The string value of `key`, or nullptr when absent or not a string.
const std::string* StringMember(const Json& object, std::string_view key) {
  const Json* value = Member(object, key);
  return value == nullptr ? nullptr : value->get_ptr<const Json::string_t*>();
}

std::string PlainMember(const Json& object, std::string_view key) {
  const std::string* value = StringMember(object, key);
  return value == nullptr ? "" : CollapseWhitespace(*value);
}

std::string LanguageMember(const Json& object) {
  return NormalizeLanguage(PlainMember(object, "language"));
}

// The item id as text: JSON Feed 1.1 says it is a string, but 1.0 feeds
// often wrote numbers.
std::string IdOf(const Json& item) {
  const Json* id = Member(item, "id");
  if (id == nullptr) return "";
  if (const std::string* text = id->get_ptr<const Json::string_t*>()) {
    return CollapseWhitespace(*text);
  }
  if (id->is_number_unsigned()) {
    return std::to_string(id->get<Json::number_unsigned_t>());
  }
  if (id->is_number_integer()) {
    return std::to_string(id->get<Json::number_integer_t>());
  }
  if (id->is_number_float()) {
    // nlohmann's shortest round-trip spelling; no strings, so no UTF-8 to
    // reject.
    return id->dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return "";
}

// The names of JSON Feed 1.1 "authors" (an array of objects), else of 1.0's
// "author" (one object), of `object` (an item or the feed).
std::string AuthorsOf(const Json& object) {
  std::vector<std::string> names;
  if (const Json* authors = Member(object, "authors");
      authors != nullptr && authors->is_array()) {
    for (const Json& author : *authors) {
      names.push_back(PlainMember(author, "name"));
    }
  }
  std::string joined = JoinNames(names);
  if (joined.empty()) {
    if (const Json* author = Member(object, "author")) {
      joined = PlainMember(*author, "name");
    }
  }
  return joined;
}

// ---------------------------------------------------------------------------
// Items.

// What is known while reading the items of one document.
struct FeedContext {
  const std::string& base_url;
  const std::string& author;    // The feed's authors, for items without.
  const std::string& language;  // The feed's language, for items without.
};

// Takes the first of the date members that parses; remembers the text of
// the first non-empty one even if none does (for the fallback id).
void ReadDate(const Json& item, ItemFields* fields) {
  for (const std::string_view key : {"date_published", "date_modified"}) {
    if (OfferDate(PlainMember(item, key), fields)) return;
  }
}

ItemFields ReadItem(const Json& item, const FeedContext& context) {
  ItemFields fields;
  fields.guid = IdOf(item);
  fields.title = PlainMember(item, "title");
  for (const std::string_view key : {"url", "external_url"}) {
    if (const std::string* url = StringMember(item, key)) {
      fields.link = ResolveLink(context.base_url, *url);
      if (!fields.link.empty()) break;
    }
  }
  if (const std::string* html = StringMember(item, "content_html")) {
    fields.text = HtmlToText(*html);
  }
  if (fields.text.empty()) fields.text = PlainMember(item, "content_text");
  if (fields.text.empty()) fields.text = PlainMember(item, "summary");
  fields.author = AuthorsOf(item);
  if (fields.author.empty()) fields.author = context.author;
  if (const Json* tags = Member(item, "tags");
      tags != nullptr && tags->is_array()) {
    for (const Json& tag : *tags) {
      if (const std::string* name = tag.get_ptr<const Json::string_t*>()) {
        AddCategory(CollapseWhitespace(*name), &fields);
      }
    }
  }
  ReadDate(item, &fields);
  fields.language = LanguageMember(item);
  if (fields.language.empty()) fields.language = context.language;
  return fields;
}

// Whether `version` names a JSON Feed version, tolerating the http: and www.
// spellings some generators write.
bool IsJsonFeedVersion(std::string_view version) {
  version = TrimAscii(version);
  for (const std::string_view scheme : {"https://", "http://"}) {
    if (StartsWithIgnoringCase(version, scheme)) {
      version.remove_prefix(scheme.size());
      if (StartsWithIgnoringCase(version, "www.")) version.remove_prefix(4);
      return StartsWithIgnoringCase(version, "jsonfeed.org/version/");
    }
  }
  return false;
}

}  // namespace

config::Result<ParsedFeed> ParseJsonFeed(std::string_view body,
                                         const FeedSource& source,
                                         std::int64_t now,
                                         const ParseLimits& limits) {
  const auto fail = [&source](std::string what) {
    return config::Error::Permanent(source.url, std::move(what));
  };
  std::string_view text = body;
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (TrimAscii(text).empty()) return fail("empty body");
  if (const std::optional<size_t> at = TooDeepAt(body)) {
    return fail("not a feed: JSON nested deeper than " +
                std::to_string(kMaxDepth) + " levels at offset " +
                std::to_string(*at));
  }
  const char* const begin = body.data();
  const char* const end = body.data() + body.size();
  const Json document = Json::parse(begin, end, nullptr,
                                    /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    SyntaxErrorSax errors;
    Json::sax_parse(begin, end, &errors);
    return fail("not JSON: " + errors.message());
  }

  const Json* items = Member(document, "items");
  const std::string* version = StringMember(document, "version");
  const bool has_items = items != nullptr && items->is_array();
  if (!has_items && (version == nullptr || !IsJsonFeedVersion(*version))) {
    return fail("not a feed: JSON without a JSON Feed version");
  }

  ParsedFeed feed;
  feed.title = PlainMember(document, "title");
  TruncateUtf8(&feed.title, limits.max_title_bytes);
  const std::string& base_url =
      source.base_url.empty() ? source.url : source.base_url;
  if (const std::string* home = StringMember(document, "home_page_url")) {
    feed.link = ResolveLink(base_url, *home);
  }
  feed.language = LanguageMember(document);
  if (!has_items) {
    feed.warnings.push_back("\"items\" is not an array; no items read");
    return feed;
  }

  const std::string feed_author = AuthorsOf(document);
  const FeedContext context{base_url, feed_author, feed.language};
  ArticleCollector collector(&feed);
  for (size_t k = 0; k < items->size(); ++k) {
    if (collector.size() >= limits.max_items) {
      feed.warnings.push_back("feed has " + std::to_string(items->size()) +
                              " items; kept the first " +
                              std::to_string(limits.max_items) +
                              " (max_items)");
      break;
    }
    const Json& item = (*items)[k];
    if (!item.is_object()) {
      feed.warnings.push_back("skipped item " + std::to_string(k + 1) +
                              ": not a JSON object");
      continue;
    }
    collector.Add(MakeArticle(ReadItem(item, context), source, now, limits),
                  k + 1);
  }
  return feed;
}

}  // namespace newswatch::indexer
