#include "indexer/article_document.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "indexer/fnv_hash.h"
#include "indexer/query.h"
#include "indexer/query_terms.h"
#include "indexer/text_encoding.h"

namespace newswatch::indexer {
namespace {

using Json = nlohmann::json;

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` with %XX escapes decoded, or as it is when the decoded bytes would
// not be valid UTF-8 (a host is text; binary escapes make no domain).
std::string PercentDecoded(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexDigitValue(text[i + 1]);
      const int low = HexDigitValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    decoded += text[i];
  }
  return IsValidUtf8(decoded) ? decoded : std::string(text);
}

// The host part of an absolute URL ("scheme://user@host:port/path"), as
// written; empty when there is none.
std::string_view HostOf(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {  // An IPv6 literal, whole.
    return authority.substr(0, authority.find(']') + 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool IsIpAddress(std::string_view host) {
  if (host.starts_with('[')) return true;
  const size_t last_dot = host.rfind('.');
  const std::string_view last_label =
      last_dot == std::string_view::npos ? host : host.substr(last_dot + 1);
  return !last_label.empty() &&
         last_label.find_first_not_of("0123456789") == std::string_view::npos;
}

// Adds the words of `text` to the generator's document under `prefix`,
// after a gap from what came before.
void IndexField(Xapian::TermGenerator& generator, const std::string& text,
                const char* prefix) {
  if (text.empty()) return;
  generator.increase_termpos(kFieldGap);
  generator.index_text(text, 1, prefix);
}

}  // namespace

Xapian::TermGenerator MakeTermGenerator(const Xapian::Stem& stemmer) {
  Xapian::TermGenerator generator;
  generator.set_stemmer(stemmer);
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  return generator;
}

Xapian::Document MakeDocument(const Article& article, long long batch_id) {
  Xapian::Document document;
  Xapian::TermGenerator generator =
      MakeTermGenerator(StemmerFor(article.language));
  generator.set_document(document);
  // Title words are searchable on their own (S prefix, for title: queries)
  // and with the text. The gaps keep phrases and NEAR groups from spanning
  // the title and the text (the author's words have a prefix of their own).
  generator.index_text(article.title, 1, kTitlePrefix);
  generator.index_text(article.title);
  IndexField(generator, article.text, "");
  IndexField(generator, article.author, kAuthorPrefix);

  document.add_boolean_term(IdTerm(article.id));
  document.add_boolean_term(BatchTerm(batch_id));
  const std::string language =
      NormaliseFieldValue(QueryField::kLanguage, article.language);
  if (!language.empty()) {
    document.add_boolean_term(ValueTermOf(QueryField::kLanguage, language));
    const size_t dash = language.find('-');
    if (dash != std::string::npos) {
      document.add_boolean_term(
          ValueTermOf(QueryField::kLanguage, language.substr(0, dash)));
    }
  }
  const std::string feed =
      NormaliseFieldValue(QueryField::kFeed, article.feed_name);
  if (!feed.empty()) {
    document.add_boolean_term(ValueTermOf(QueryField::kFeed, feed));
  }
  // A query's site: value has no leading "www." (NormaliseFieldValue); the
  // domain it would have named is then among the parents of the host.
  for (const std::string& domain : SiteDomainsOf(article.link)) {
    document.add_boolean_term(ValueTermOf(QueryField::kSite, domain));
  }
  for (const std::string& category : article.categories) {
    const std::string value =
        NormaliseFieldValue(QueryField::kCategory, category);
    if (!value.empty()) {
      document.add_boolean_term(ValueTermOf(QueryField::kCategory, value));
    }
  }
  if (!article.link.empty()) document.add_boolean_term(LinkTerm(article.link));

  document.add_value(
      kPublishedSlot,
      Xapian::sortable_serialise(static_cast<double>(article.published)));
  document.add_value(kContentHashSlot, ContentHash(article));
  document.set_data(SerialiseArticle(article));
  return document;
}

std::string PrefixedTerm(std::string_view prefix, std::string_view value) {
  // Xapian terms are limited to about 245 bytes; leave room for the prefix.
  constexpr size_t kMaxRawBytes = 200;
  std::string term(prefix);
  if (value.size() <= kMaxRawBytes) return term.append(value);
  // Two independent 64-bit FNV-1a hashes: 128 bits, collisions negligible.
  // The second seed is the golden-ratio constant; both are fixed forever, as
  // indexes store these terms.
  constexpr std::uint64_t kSecondSeed = 0x9e3779b97f4a7c15ULL;
  return term + "#" + Hex64(Fnv1a64(value)) +
         Hex64(Fnv1a64(value, kSecondSeed));
}

std::string IdTerm(const std::string& article_id) {
  return PrefixedTerm(kIdPrefix, article_id);
}

std::string BatchTerm(long long batch_id) {
  return kBatchPrefix + std::to_string(batch_id);
}

std::string LinkTerm(std::string_view link) {
  return PrefixedTerm(kLinkPrefix, link);
}

std::vector<std::string> SiteDomainsOf(std::string_view link) {
  std::string host =
      NormaliseFieldValue(QueryField::kAny, PercentDecoded(HostOf(link)));
  while (host.ends_with('.')) host.pop_back();
  std::vector<std::string> domains;
  if (host.empty()) return domains;
  domains.push_back(host);
  if (IsIpAddress(host)) return domains;
  for (size_t dot = host.find('.'); dot != std::string::npos;
       dot = host.find('.', dot + 1)) {
    if (dot + 1 < host.size()) domains.push_back(host.substr(dot + 1));
  }
  return domains;
}

std::string ContentHash(const Article& article) {
  std::uint64_t hash = kFnvOffsetBasis;
  auto mix = [&](std::string_view field) {
    hash = Fnv1a64(field, hash);
    // Field separator: "ab"+"c" differs from "a"+"bc".
    hash = Fnv1a64("\xff", hash);
  };
  mix(article.title);
  mix(article.link);
  mix(article.author);
  mix(article.text);
  for (const std::string& category : article.categories) mix(category);
  // A fallback date is the time of the poll; it must not make every poll of
  // an undated article look like a change.
  if (!article.published_is_fallback) mix(std::to_string(article.published));
  return Hex64(hash);
}

std::string SerialiseArticle(const Article& article) {
  return Json{{"id", article.id},
              {"feed_url", article.feed_url},
              {"feed_name", article.feed_name},
              {"title", article.title},
              {"link", article.link},
              {"author", article.author},
              {"text", article.text},
              {"categories", article.categories},
              {"published", article.published},
              {"published_is_fallback", article.published_is_fallback},
              {"language", article.language}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

Article DeserialiseArticle(const std::string& data) {
  const Json json = Json::parse(data, nullptr, /*allow_exceptions=*/false);
  Article article;
  if (!json.is_object()) return article;
  article.id = json.value("id", "");
  article.feed_url = json.value("feed_url", "");
  article.feed_name = json.value("feed_name", "");
  article.title = json.value("title", "");
  article.link = json.value("link", "");
  article.author = json.value("author", "");
  article.text = json.value("text", "");
  article.categories = json.value("categories", std::vector<std::string>{});
  article.published = json.value("published", std::int64_t{0});
  article.published_is_fallback = json.value("published_is_fallback", false);
  article.language = json.value("language", "");
  return article;
}

}  // namespace newswatch::indexer
