#include "indexer/feed_parser.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/article_builder.h"
#include "indexer/feed_date.h"
#include "indexer/fnv_hash.h"
#include "indexer/html_text.h"
#include "indexer/text_encoding.h"
#include "indexer/text_util.h"
#include "indexer/url_resolution.h"

namespace newswatch::indexer {
namespace {

// Namespaces, in the spelling NamespaceOf returns (see Canonical).
constexpr std::string_view kNoNamespace = "";
constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kRss10Ns = "http://purl.org/rss/1.0/";
constexpr std::string_view kRdfNs =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kContentNs =
    "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kSyndicationNs =
    "http://purl.org/rss/1.0/modules/syndication/";

// ---------------------------------------------------------------------------
// Small text helpers.

bool LooksLikeHtmlPage(std::string_view text) {
  text = TrimAscii(text);
  if (StartsWithIgnoringCase(text, "<!doctype html")) return true;
  if (!StartsWithIgnoringCase(text, "<html")) return false;
  return text.size() == 5 ||
         std::string_view(" \t\r\n>").find(text[5]) != std::string_view::npos;
}

// ---------------------------------------------------------------------------
// URLs (resolution itself is in url_resolution.h).

// The base URL for links in `node`: the feed URL, overridden by any xml:base
// on the way down from the root (Atom uses them; RFC 3986 stacks them).
std::string BaseUrlFor(pugi::xml_node node, const std::string& feed_url) {
  std::vector<std::string_view> bases;
  for (pugi::xml_node at = node; at; at = at.parent()) {
    if (const pugi::xml_attribute base = at.attribute("xml:base")) {
      bases.push_back(TrimAscii(base.value()));
    }
  }
  std::string url = feed_url;
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) {
    url = ResolveUrl(url, *it);
  }
  return url;
}

// ---------------------------------------------------------------------------
// Namespaces. Elements are matched by local name and namespace URI, so that
// any prefix works; where a feed uses a prefix without declaring it (common
// with dc: and content:), the conventional meaning of the prefix is assumed.

std::string_view LocalName(const char* qualified) {
  const std::string_view name(qualified);
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view Prefix(const char* qualified) {
  const std::string_view name(qualified);
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view()
                                         : name.substr(0, colon);
}

// Maps namespace URIs that mean the same to this file's constants: Atom 0.3
// and RSS 0.90 read like their successors for what is extracted here.
std::string_view Canonical(std::string_view uri) {
  if (uri == "http://purl.org/atom/ns#") return kAtomNs;
  if (uri == "http://my.netscape.com/rdf/simple/0.9/") return kRss10Ns;
  if (uri == "http://purl.org/dc/elements/1.1") return kDcNs;
  return uri;
}

// The namespace URI of an element or attribute name with `prefix`, as
// declared on `node` or its ancestors.
std::string_view NamespaceOf(pugi::xml_node node, std::string_view prefix) {
  const std::string declaration =
      prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node at = node; at; at = at.parent()) {
    if (const pugi::xml_attribute uri = at.attribute(declaration.c_str())) {
      return Canonical(TrimAscii(uri.value()));
    }
  }
  if (prefix.empty()) return kNoNamespace;
  if (prefix == "dc") return kDcNs;
  if (prefix == "content") return kContentNs;
  if (prefix == "atom") return kAtomNs;
  if (prefix == "rdf") return kRdfNs;
  if (prefix == "sy") return kSyndicationNs;
  return prefix;  // Undeclared and unknown: matches only itself.
}

std::string_view NamespaceOf(pugi::xml_node element) {
  return NamespaceOf(element, Prefix(element.name()));
}

bool Is(pugi::xml_node node, std::string_view ns, std::string_view local) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local &&
         NamespaceOf(node) == ns;
}

pugi::xml_node FirstChild(pugi::xml_node parent, std::string_view ns,
                          std::string_view local) {
  for (const pugi::xml_node child : parent.children()) {
    if (Is(child, ns, local)) return child;
  }
  return {};
}

std::vector<pugi::xml_node> Children(pugi::xml_node parent, std::string_view ns,
                                     std::string_view local) {
  std::vector<pugi::xml_node> matches;
  for (const pugi::xml_node child : parent.children()) {
    if (Is(child, ns, local)) matches.push_back(child);
  }
  return matches;
}

// ---------------------------------------------------------------------------
// Element content.

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

// The children of `node` serialized as markup.
std::string InnerXml(pugi::xml_node node) {
  std::string markup;
  StringWriter writer(&markup);
  for (const pugi::xml_node child : node.children()) {
    child.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
  }
  return markup;
}

// The character data directly inside `node` (text and CDATA sections, which
// some feeds mix), XML references decoded.
std::string CharacterData(pugi::xml_node node) {
  std::string text;
  for (const pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

// What an element holds: its character data, or, when a feed put unescaped
// (X)HTML elements inside it, that markup.
struct Content {
  std::string value;
  bool is_markup = false;
};

Content ContentOf(pugi::xml_node node) {
  for (const pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) return {InnerXml(node), true};
  }
  return {CharacterData(node), false};
}

// Whether plain-looking text holds markup or character references, as RSS
// titles sometimes do. Stricter than HTML's own rules so that titles like
// "x<y" or "Q&A" stay as written.
bool LooksLikeHtml(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '<') {
      size_t k = i + 1;
      if (text[k] == '/') ++k;
      const size_t name_start = k;
      while (k < text.size() && IsAsciiAlpha(text[k])) ++k;
      if (k > name_start && k < text.size() &&
          std::string_view(" \t\r\n/>").find(text[k]) !=
              std::string_view::npos &&
          text.find('>', k) != std::string_view::npos) {
        return true;
      }
    } else if (text[i] == '&') {
      size_t k = i + 1;
      if (text[k] == '#') ++k;
      const size_t name_start = k;
      while (k < text.size() &&
             (IsAsciiAlpha(text[k]) || (text[k] >= '0' && text[k] <= '9'))) {
        ++k;
      }
      if (k > name_start && k < text.size() && text[k] == ';') return true;
    }
  }
  return false;
}

// Plain text of an element that may or may not hold HTML (RSS titles,
// authors).
std::string TextOfMaybeHtml(pugi::xml_node node) {
  const Content content = ContentOf(node);
  return content.is_markup || LooksLikeHtml(content.value)
             ? HtmlToText(content.value)
             : CollapseWhitespace(content.value);
}

// Plain text of an element that holds HTML (RSS description and
// content:encoded, entity-escaped or not).
std::string TextOfHtml(pugi::xml_node node) {
  return HtmlToText(ContentOf(node).value);
}

// Plain text of an element that holds plain text (guids, dates, categories).
std::string TextOfPlain(pugi::xml_node node) {
  return CollapseWhitespace(CharacterData(node));
}

// Plain text of an Atom text construct (RFC 4287 3.1) or atom:content, by
// its type; nullopt when there is nothing inline to read (content with src,
// or binary media).
std::optional<std::string> AtomText(pugi::xml_node node) {
  if (!node || node.attribute("src")) return std::nullopt;
  const std::string type =
      LowerAscii(TrimAscii(node.attribute("type").value()));
  const Content content = ContentOf(node);
  if (type == "html" || type == "text/html") return HtmlToText(content.value);
  if (type == "xhtml" || type.ends_with("xml")) {
    return HtmlToText(InnerXml(node));
  }
  if (type.empty() || type == "text" || type.starts_with("text/")) {
    return content.is_markup ? HtmlToText(content.value)
                             : CollapseWhitespace(content.value);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Items.

enum class Format { kRss, kRdf, kAtom };

// What is known while reading the items of one document.
struct FeedContext {
  const FeedSource& source;
  Format format;
  pugi::xml_node root;
  std::string_view core_ns;  // The namespace of the format's own elements.
};

// Takes the first of `candidates` (in order of preference) that holds a
// date; remembers the text of the first non-empty one even if none parses.
void ReadDate(const std::vector<pugi::xml_node>& candidates,
              ItemFields* fields) {
  for (const pugi::xml_node candidate : candidates) {
    if (!candidate) continue;
    std::string text = TextOfPlain(candidate);
    if (text.empty()) continue;
    const std::optional<std::int64_t> date = ParseFeedDate(text);
    if (fields->date_text.empty() || date) fields->date_text = std::move(text);
    if (date) {
      fields->published = date;
      return;
    }
  }
}

std::string DcCreators(pugi::xml_node item) {
  std::vector<std::string> names;
  for (const pugi::xml_node creator : Children(item, kDcNs, "creator")) {
    names.push_back(TextOfMaybeHtml(creator));
  }
  return JoinNames(names);
}

// rdf:about of an RSS 1.0 item, whatever the prefix.
std::string RdfAbout(pugi::xml_node item) {
  for (const pugi::xml_attribute attribute : item.attributes()) {
    if (LocalName(attribute.name()) == "about" &&
        NamespaceOf(item, Prefix(attribute.name())) == kRdfNs) {
      return CollapseWhitespace(attribute.value());
    }
  }
  return "";
}

bool IsHttpUrl(std::string_view text) {
  return StartsWithIgnoringCase(text, "http://") ||
         StartsWithIgnoringCase(text, "https://");
}

// RSS 2.0, 0.9x and 1.0 items.
ItemFields ReadRssItem(pugi::xml_node item, const FeedContext& context) {
  const std::string_view ns = context.core_ns;
  const std::string base = BaseUrlFor(item, context.source.url);
  ItemFields fields;
  if (const pugi::xml_node title = FirstChild(item, ns, "title")) {
    fields.title = TextOfMaybeHtml(title);
  }
  if (const pugi::xml_node link = FirstChild(item, ns, "link")) {
    fields.link = ResolveLink(base, CharacterData(link));
  }
  const pugi::xml_node guid = FirstChild(item, ns, "guid");
  fields.guid = guid ? TextOfPlain(guid) : RdfAbout(item);
  // A guid is a permalink unless it says otherwise, but feeds that do not
  // mean it are common: only a guid that is an http(s) URL stands in.
  if (fields.link.empty() && IsHttpUrl(fields.guid) &&
      LowerAscii(TrimAscii(guid.attribute("isPermaLink").value())) != "false") {
    fields.link = ResolveLink(base, fields.guid);
  }
  if (const pugi::xml_node author = FirstChild(item, ns, "author")) {
    fields.author = TextOfMaybeHtml(author);
  }
  if (fields.author.empty()) fields.author = DcCreators(item);
  if (const pugi::xml_node encoded = FirstChild(item, kContentNs, "encoded")) {
    fields.text = TextOfHtml(encoded);
  }
  if (fields.text.empty()) {
    if (const pugi::xml_node description =
            FirstChild(item, ns, "description")) {
      fields.text = TextOfHtml(description);
    }
  }
  for (const pugi::xml_node category : Children(item, ns, "category")) {
    AddCategory(TextOfPlain(category), &fields);
  }
  for (const pugi::xml_node subject : Children(item, kDcNs, "subject")) {
    AddCategory(TextOfPlain(subject), &fields);
  }
  ReadDate({FirstChild(item, ns, "pubDate"), FirstChild(item, kDcNs, "date")},
           &fields);
  return fields;
}

// The names of the atom:author elements of `node` (an entry or the feed).
std::string AtomAuthors(pugi::xml_node node, std::string_view ns) {
  std::vector<std::string> names;
  for (const pugi::xml_node author : Children(node, ns, "author")) {
    if (const pugi::xml_node name = FirstChild(author, ns, "name")) {
      names.push_back(TextOfPlain(name));
    }
  }
  return JoinNames(names);
}

// The entry's alternate link: rel="alternate" or no rel at all.
std::string AtomLink(pugi::xml_node entry, const FeedContext& context) {
  for (const pugi::xml_node link : Children(entry, context.core_ns, "link")) {
    const std::string_view rel = TrimAscii(link.attribute("rel").value());
    if (!rel.empty() && rel != "alternate") continue;
    std::string url = ResolveLink(BaseUrlFor(link, context.source.url),
                                  link.attribute("href").value());
    if (!url.empty()) return url;
  }
  return "";
}

// Atom 1.0 (and 0.3) entries.
ItemFields ReadAtomEntry(pugi::xml_node entry, const FeedContext& context) {
  const std::string_view ns = context.core_ns;
  ItemFields fields;
  fields.title = AtomText(FirstChild(entry, ns, "title")).value_or("");
  fields.link = AtomLink(entry, context);
  if (const pugi::xml_node id = FirstChild(entry, ns, "id")) {
    fields.guid = TextOfPlain(id);
  }
  // RFC 4287 4.2.1: an entry without an author has the feed's.
  fields.author = AtomAuthors(entry, ns);
  if (fields.author.empty()) fields.author = DcCreators(entry);
  if (fields.author.empty()) fields.author = AtomAuthors(context.root, ns);
  fields.text = AtomText(FirstChild(entry, ns, "content")).value_or("");
  if (fields.text.empty()) {
    fields.text = AtomText(FirstChild(entry, ns, "summary")).value_or("");
  }
  for (const pugi::xml_node category : Children(entry, ns, "category")) {
    const char* term = category.attribute("term").value();
    AddCategory(CollapseWhitespace(
                    *term != '\0' ? term : category.attribute("label").value()),
                &fields);
  }
  for (const pugi::xml_node subject : Children(entry, kDcNs, "subject")) {
    AddCategory(TextOfPlain(subject), &fields);
  }
  ReadDate(
      {FirstChild(entry, ns, "published"), FirstChild(entry, ns, "updated"),
       FirstChild(entry, ns, "issued"), FirstChild(entry, ns, "modified"),
       FirstChild(entry, kDcNs, "date")},
      &fields);
  return fields;
}

// ---------------------------------------------------------------------------
// Documents.

std::optional<Format> FormatOf(pugi::xml_node root) {
  const std::string_view name = LocalName(root.name());
  if (name == "rss") return Format::kRss;
  if (name == "RDF") return Format::kRdf;
  if (name == "feed") return Format::kAtom;
  return std::nullopt;
}

// The namespace of the format's own elements: none for RSS 2.0, RSS 1.0's
// (or 0.90's) inside rdf:RDF, Atom's normally; but whatever the document
// actually uses, so that undeclared or unusual ones still read.
std::string_view CoreNamespace(pugi::xml_node root, Format format) {
  if (format != Format::kRdf) return NamespaceOf(root);
  for (const pugi::xml_node child : root.children()) {
    const std::string_view name = LocalName(child.name());
    if (child.type() == pugi::node_element &&
        (name == "channel" || name == "item")) {
      return NamespaceOf(child);
    }
  }
  return kRss10Ns;
}

std::vector<pugi::xml_node> FindItems(const FeedContext& context) {
  const std::string_view ns = context.core_ns;
  switch (context.format) {
    case Format::kRss: {
      std::vector<pugi::xml_node> items;
      for (const pugi::xml_node channel :
           Children(context.root, ns, "channel")) {
        for (const pugi::xml_node item : Children(channel, ns, "item")) {
          items.push_back(item);
        }
      }
      return items;
    }
    case Format::kRdf:
      return Children(context.root, ns, "item");
    case Format::kAtom:
      return Children(context.root, ns, "entry");
  }
  return {};
}

std::string FeedTitle(const FeedContext& context) {
  const std::string_view ns = context.core_ns;
  if (context.format == Format::kAtom) {
    return AtomText(FirstChild(context.root, ns, "title")).value_or("");
  }
  const pugi::xml_node title =
      FirstChild(FirstChild(context.root, ns, "channel"), ns, "title");
  return title ? TextOfMaybeHtml(title) : "";
}

// A whole number in `text` (surrounding spaces allowed), if it is one and at
// most `max`.
std::optional<std::int64_t> SmallNumber(std::string_view text,
                                        std::int64_t max) {
  text = TrimAscii(text);
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::int64_t number = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + (c - '0');
  }
  if (number > max) return std::nullopt;
  return number;
}

// How often the feed says it changes: RSS 2.0's <ttl> (minutes), else the
// syndication module's sy:updatePeriod divided by sy:updateFrequency; 0
// when it says nothing usable.
std::int64_t RefreshSeconds(const FeedContext& context) {
  if (context.format == Format::kAtom) return 0;
  const pugi::xml_node channel =
      FirstChild(context.root, context.core_ns, "channel");
  constexpr std::int64_t kYear = 366 * 24 * 60 * 60;
  if (const pugi::xml_node ttl = FirstChild(channel, context.core_ns, "ttl")) {
    if (auto minutes = SmallNumber(ttl.text().get(), kYear / 60)) {
      return *minutes * 60;
    }
  }
  const pugi::xml_node period =
      FirstChild(channel, kSyndicationNs, "updatePeriod");
  if (!period) return 0;
  static const std::pair<std::string_view, std::int64_t> kPeriods[] = {
      {"hourly", 60 * 60},
      {"daily", 24 * 60 * 60},
      {"weekly", 7 * 24 * 60 * 60},
      {"monthly", 30 * 24 * 60 * 60},
      {"yearly", 365 * 24 * 60 * 60}};
  const std::string name = LowerAscii(TrimAscii(period.text().get()));
  for (const auto& [period_name, seconds] : kPeriods) {
    if (name != period_name) continue;
    std::int64_t frequency = 1;
    if (const pugi::xml_node times =
            FirstChild(channel, kSyndicationNs, "updateFrequency")) {
      frequency = SmallNumber(times.text().get(), seconds).value_or(1);
    }
    return seconds / std::max<std::int64_t>(1, frequency);
  }
  return 0;
}

// Whether `item`'s end tag lies before `offset` in `xml`, the text pugixml
// parsed. pugixml keeps whatever it built before an error, so the last item
// of a broken document may be cut short; this tells a whole one from that.
bool EndsBefore(pugi::xml_node item, std::string_view xml, ptrdiff_t offset) {
  const ptrdiff_t start = item.offset_debug();
  if (start < 0 || offset <= start) return false;
  // Inclusive: at the end of the input pugixml reports the last character,
  // which may be the '>' of the end tag.
  const std::string_view span = xml.substr(0, static_cast<size_t>(offset) + 1);
  const std::string end_tag = "</" + std::string(item.name());
  for (size_t at = span.find(end_tag, static_cast<size_t>(start));
       at != std::string_view::npos; at = span.find(end_tag, at + 1)) {
    const size_t close = span.find_first_not_of(" \t\r\n", at + end_tag.size());
    if (close != std::string_view::npos && span[close] == '>') return true;
  }
  return false;
}

}  // namespace

config::Result<ParsedFeed> ParseFeed(std::string_view body,
                                     const FeedSource& source, std::int64_t now,
                                     const ParseLimits& limits) {
  const auto fail = [&source](std::string what) {
    return config::Error::Permanent(source.url, std::move(what));
  };
  ParsedFeed feed;
  std::string converted;
  const std::string_view xml =
      DecodeXmlToUtf8(body, &converted, &feed.warnings);
  if (TrimAscii(xml).empty()) return fail("empty body");
  if (LooksLikeHtmlPage(xml)) return fail("not a feed: looks like HTML");

  pugi::xml_document document;
  // Not parse_trim_pcdata: text is trimmed and collapsed here, after CDATA
  // and text pieces are joined.
  const pugi::xml_parse_result parsed = document.load_buffer(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration,
      pugi::encoding_utf8);
  const std::string not_xml = std::string("not XML: ") + parsed.description() +
                              " at offset " + std::to_string(parsed.offset);
  const pugi::xml_node root = document.document_element();
  if (!root) return fail(not_xml);
  if (LowerAscii(LocalName(root.name())) == "html") {
    return fail("not a feed: looks like HTML");
  }
  const std::optional<Format> format = FormatOf(root);
  if (!format) {
    if (!parsed) return fail(not_xml);
    std::string name = CollapseWhitespace(root.name());
    TruncateUtf8(&name, 64);  // The name comes from the server.
    return fail("not a feed: root element <" + name + ">");
  }

  const FeedContext context{source, *format, root,
                            CoreNamespace(root, *format)};
  std::vector<pugi::xml_node> items = FindItems(context);
  if (!parsed) {
    if (!items.empty() && !EndsBefore(items.back(), xml, parsed.offset)) {
      items.pop_back();
    }
    if (items.empty()) return fail(not_xml);
    feed.warnings.push_back("XML breaks at offset " +
                            std::to_string(parsed.offset) + " (" +
                            parsed.description() + "); kept " +
                            std::to_string(items.size()) + " items before it");
  }

  feed.title = FeedTitle(context);
  feed.refresh_seconds = RefreshSeconds(context);
  TruncateUtf8(&feed.title, limits.max_title_bytes);
  ArticleCollector collector(&feed);
  for (size_t k = 0; k < items.size(); ++k) {
    if (collector.size() >= limits.max_items) {
      feed.warnings.push_back("feed has " + std::to_string(items.size()) +
                              " items; kept the first " +
                              std::to_string(limits.max_items) +
                              " (max_items)");
      break;
    }
    ItemFields fields = *format == Format::kAtom
                            ? ReadAtomEntry(items[k], context)
                            : ReadRssItem(items[k], context);
    collector.Add(MakeArticle(std::move(fields), source, now, limits), k + 1);
  }
  return feed;
}

}  // namespace newswatch::indexer
