#include "indexer/feed_parser.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

#include "indexer/article_builder.h"
#include "indexer/html_text.h"
#include "indexer/json_feed.h"
#include "indexer/text_encoding.h"
#include "indexer/text_util.h"
#include "indexer/url_resolution.h"
#include "indexer/xml_content.h"
#include "indexer/xml_namespaces.h"

namespace newswatch::indexer {
namespace {

bool LooksLikeHtmlPage(std::string_view text) {
  text = TrimAscii(text);
  if (StartsWithIgnoringCase(text, "<!doctype html")) return true;
  if (!StartsWithIgnoringCase(text, "<html")) return false;
  return text.size() == 5 ||
         std::string_view(" \t\r\n>").find(text[5]) != std::string_view::npos;
}

enum class Format { kRss, kRdf, kAtom };

// What is known while reading the items of one document.
struct FeedContext {
  const FeedSource& source;
  std::string document_url;  // Where the body came from: the base of links.
  Format format;
  pugi::xml_node root;
  // RSS's and RSS 1.0's <channel>; Atom's <feed>, the root.
  pugi::xml_node channel;
  std::string_view core_ns;  // The namespace of the format's own elements.
  XmlNamespaces* namespaces;
  std::string language;  // The feed's, normalized; items inherit it.
};

// Keeps the first element of a kind an item has: feeds that repeat one
// (two <title>s) mean the first.
void KeepFirst(pugi::xml_node* slot, pugi::xml_node element) {
  if (!*slot) *slot = element;
}

// The base URL for a link in `element` of an item whose base is
// `item_base`: the element's own xml:base, if it has one, stacks on top.
std::string BaseAt(pugi::xml_node element, const std::string& item_base) {
  return element.attribute("xml:base") ? BaseUrlFor(element, item_base)
                                       : item_base;
}

// Takes the first of `candidates` (in order of preference) that holds a
// date; remembers the text of the first non-empty one even if none parses.
void ReadDate(std::initializer_list<pugi::xml_node> candidates,
              ItemFields* fields) {
  for (const pugi::xml_node candidate : candidates) {
    if (candidate && OfferDate(TextOfPlain(candidate), fields)) return;
  }
}

std::string NamesOf(const std::vector<pugi::xml_node>& elements) {
  std::vector<std::string> names;
  for (const pugi::xml_node element : elements) {
    names.push_back(TextOfMaybeHtml(element));
  }
  return JoinNames(names);
}

// rdf:about of an RSS 1.0 item, whatever the prefix.
std::string RdfAbout(pugi::xml_node item, XmlNamespaces* namespaces) {
  for (const pugi::xml_attribute attribute : item.attributes()) {
    if (LocalName(attribute.name()) == "about" &&
        namespaces->OfAttribute(item, attribute.name()) == kRdfNs) {
      return CollapseWhitespace(attribute.value());
    }
  }
  return "";
}

bool IsHttpUrl(std::string_view text) {
  return StartsWithIgnoringCase(text, "http://") ||
         StartsWithIgnoringCase(text, "https://");
}

// Whether an atom:link is the alternate (the page the entry is about):
// rel="alternate" or no rel at all.
bool IsAlternateLink(pugi::xml_node link) {
  const std::string_view rel = TrimAscii(link.attribute("rel").value());
  return rel.empty() || rel == "alternate";
}

// The Media RSS elements of an item, also those inside media:group and
// media:content, where most feeds put them.
struct MediaFields {
  pugi::xml_node title;
  pugi::xml_node description;
  std::vector<pugi::xml_node> categories;
};

void ReadMedia(pugi::xml_node element, XmlNamespaces* namespaces,
               MediaFields* media, int depth = 0) {
  const std::string_view name = LocalName(element.name());
  if (name == "title") {
    KeepFirst(&media->title, element);
  } else if (name == "description") {
    KeepFirst(&media->description, element);
  } else if (name == "category") {
    media->categories.push_back(element);
  } else if ((name == "group" || name == "content") && depth < 2) {
    for (const pugi::xml_node child : element.children()) {
      if (child.type() == pugi::node_element &&
          namespaces->Of(child) == kMediaNs) {
        ReadMedia(child, namespaces, media, depth + 1);
      }
    }
  }
}

// The item's language: its own dc:language, else the xml:lang in scope at
// the element its text came from, else the feed's.
// Each candidate counts only if it is a usable tag ("en, fr" or "English"
// is not): the next one is tried instead.
std::string ItemLanguage(pugi::xml_node dc_language, pugi::xml_node text_from,
                         const FeedContext& context) {
  if (dc_language) {
    std::string language = NormalizeLanguage(TextOfPlain(dc_language));
    if (!language.empty()) return language;
  }
  // An empty xml:lang says "unknown", overriding the feed's (XML 1.0 2.12).
  if (const std::optional<std::string> lang = XmlLangOf(text_from)) {
    std::string language = NormalizeLanguage(*lang);
    if (!language.empty() || lang->empty()) return language;
  }
  return context.language;
}

// RSS 2.0, 0.9x and 1.0 items. Each child is looked at once: this loop is
// the parser's hot path.
ItemFields ReadRssItem(pugi::xml_node item, const FeedContext& context) {
  XmlNamespaces* namespaces = context.namespaces;
  pugi::xml_node title, link, guid, author, description, pub_date, enclosure;
  pugi::xml_node body, fullitem;
  pugi::xml_node dc_title, dc_date, dc_language, dc_description, encoded;
  pugi::xml_node issued, created, modified, atom_link, published, updated;
  pugi::xml_node itunes_summary, itunes_author;
  std::vector<pugi::xml_node> categories, creators, itunes_categories;
  MediaFields media;
  for (const pugi::xml_node child : item.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view ns = namespaces->Of(child);
    const std::string_view name = LocalName(child.name());
    if (ns == context.core_ns) {
      if (name == "title") KeepFirst(&title, child);
      if (name == "link") KeepFirst(&link, child);
      if (name == "guid") KeepFirst(&guid, child);
      if (name == "author") KeepFirst(&author, child);
      if (name == "description") KeepFirst(&description, child);
      if (name == "pubDate") KeepFirst(&pub_date, child);
      if (name == "enclosure") KeepFirst(&enclosure, child);
      if (name == "category") categories.push_back(child);
      // Older and odder full-content elements.
      if (name == "body" || name == "fullitem") KeepFirst(&fullitem, child);
    } else if (ns == kXhtmlNs) {
      if (name == "body") KeepFirst(&body, child);
    } else if (ns == kDcNs) {
      if (name == "title") KeepFirst(&dc_title, child);
      if (name == "description") KeepFirst(&dc_description, child);
      // dc:author is not Dublin Core, but feeds write it.
      if (name == "author") creators.push_back(child);
      if (name == "date") KeepFirst(&dc_date, child);
      if (name == "language") KeepFirst(&dc_language, child);
      if (name == "creator") creators.push_back(child);
      if (name == "subject") categories.push_back(child);
    } else if (ns == kContentNs) {
      if (name == "encoded") KeepFirst(&encoded, child);
    } else if (ns == kDctermsNs) {
      if (name == "issued") KeepFirst(&issued, child);
      if (name == "created") KeepFirst(&created, child);
      if (name == "modified") KeepFirst(&modified, child);
    } else if (ns == kAtomNs) {
      if (name == "link" && IsAlternateLink(child))
        KeepFirst(&atom_link, child);
      if (name == "published") KeepFirst(&published, child);
      if (name == "updated") KeepFirst(&updated, child);
    } else if (ns == kItunesNs) {
      if (name == "summary") KeepFirst(&itunes_summary, child);
      if (name == "author") KeepFirst(&itunes_author, child);
      if (name == "category") itunes_categories.push_back(child);
    } else if (ns == kMediaNs) {
      ReadMedia(child, namespaces, &media);
    }
  }

  const std::string base = BaseUrlFor(item, context.document_url);
  ItemFields fields;
  for (const pugi::xml_node candidate : {title, dc_title, media.title}) {
    if (candidate && fields.title.empty()) {
      fields.title = TextOfMaybeHtml(candidate);
    }
  }
  if (link) fields.link = ResolveLink(BaseAt(link, base), CharacterData(link));
  if (fields.link.empty() && atom_link) {
    fields.link = ResolveLink(BaseAt(atom_link, base),
                              atom_link.attribute("href").value());
  }
  fields.guid = guid ? TextOfPlain(guid) : RdfAbout(item, namespaces);
  // A guid is a permalink unless it says otherwise, but feeds that do not
  // mean it are common: only a guid that is an http(s) URL stands in.
  if (fields.link.empty() && IsHttpUrl(fields.guid) &&
      LowerAscii(TrimAscii(guid.attribute("isPermaLink").value())) != "false") {
    fields.link = ResolveLink(BaseAt(guid, base), fields.guid);
  }
  // A podcast episode without a page: its enclosure is what there is.
  if (fields.link.empty() && enclosure) {
    fields.link = ResolveLink(BaseAt(enclosure, base),
                              enclosure.attribute("url").value());
  }
  if (author) fields.author = TextOfMaybeHtml(author);
  if (fields.author.empty()) fields.author = NamesOf(creators);
  if (fields.author.empty() && itunes_author) {
    fields.author = TextOfMaybeHtml(itunes_author);
  }
  pugi::xml_node text_from = item;
  for (const pugi::xml_node candidate :
       {encoded, body, fullitem, description, dc_description}) {
    if (candidate && fields.text.empty()) {
      fields.text = TextOfHtml(candidate);
      text_from = candidate;
    }
  }
  for (const pugi::xml_node candidate : {itunes_summary, media.description}) {
    if (candidate && fields.text.empty()) {
      fields.text = TextOfMaybeHtml(candidate);
      text_from = candidate;
    }
  }
  for (const pugi::xml_node category : categories) {
    AddCategory(TextOfPlain(category), &fields);
  }
  for (const pugi::xml_node category : media.categories) {
    AddCategory(TextOfPlain(category), &fields);
  }
  // iTunes categories nest one level: <itunes:category text="Technology">
  // <itunes:category text="Gadgets"/></itunes:category>.
  for (const pugi::xml_node category : itunes_categories) {
    AddCategory(CollapseWhitespace(category.attribute("text").value()),
                &fields);
    for (const pugi::xml_node sub :
         namespaces->Children(category, kItunesNs, "category")) {
      AddCategory(CollapseWhitespace(sub.attribute("text").value()), &fields);
    }
  }
  ReadDate({pub_date, dc_date, issued, created, modified, published, updated},
           &fields);
  fields.language = ItemLanguage(dc_language, text_from, context);
  return fields;
}

// The names of `authors` (atom:author or atom:contributor elements).
std::string AtomNames(const std::vector<pugi::xml_node>& authors,
                      const FeedContext& context) {
  std::vector<std::string> names;
  for (const pugi::xml_node author : authors) {
    if (const pugi::xml_node name =
            context.namespaces->FirstChild(author, context.core_ns, "name")) {
      names.push_back(TextOfPlain(name));
    }
  }
  return JoinNames(names);
}

// The first alternate link among `links` that resolves to an http(s) URL.
std::string AlternateLink(const std::vector<pugi::xml_node>& links,
                          const std::string& document_url) {
  for (const pugi::xml_node link : links) {
    if (!IsAlternateLink(link)) continue;
    // Some Atom 0.3 feeds write the URL as the element's text.
    const pugi::xml_attribute href = link.attribute("href");
    std::string url = ResolveLink(BaseUrlFor(link, document_url),
                                  href ? href.value() : CharacterData(link));
    if (!url.empty()) return url;
  }
  return "";
}

// Atom 1.0 (and 0.3) entries, each child looked at once as in ReadRssItem.
ItemFields ReadAtomEntry(pugi::xml_node entry, const FeedContext& context) {
  XmlNamespaces* namespaces = context.namespaces;
  pugi::xml_node title, id, content, summary;
  pugi::xml_node published, updated, issued, modified, created;
  pugi::xml_node dc_date, dc_language;
  std::vector<pugi::xml_node> links, authors, creators, categories, subjects;
  MediaFields media;
  for (const pugi::xml_node child : entry.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view ns = namespaces->Of(child);
    const std::string_view name = LocalName(child.name());
    if (ns == context.core_ns) {
      if (name == "title") KeepFirst(&title, child);
      if (name == "id") KeepFirst(&id, child);
      if (name == "content") KeepFirst(&content, child);
      if (name == "summary") KeepFirst(&summary, child);
      if (name == "published") KeepFirst(&published, child);
      if (name == "updated") KeepFirst(&updated, child);
      if (name == "issued") KeepFirst(&issued, child);
      if (name == "modified") KeepFirst(&modified, child);
      if (name == "created") KeepFirst(&created, child);
      if (name == "link") links.push_back(child);
      if (name == "author") authors.push_back(child);
      if (name == "category") categories.push_back(child);
    } else if (ns == kDcNs) {
      if (name == "date") KeepFirst(&dc_date, child);
      if (name == "language") KeepFirst(&dc_language, child);
      if (name == "creator") creators.push_back(child);
      if (name == "subject") subjects.push_back(child);
    } else if (ns == kMediaNs) {
      ReadMedia(child, namespaces, &media);
    }
  }

  ItemFields fields;
  fields.title = AtomText(title).value_or("");
  if (fields.title.empty() && media.title) {
    fields.title = TextOfMaybeHtml(media.title);
  }
  fields.link = AlternateLink(links, context.document_url);
  if (id) fields.guid = TextOfPlain(id);
  // RFC 4287 4.2.1: an entry without an author has the feed's.
  fields.author = AtomNames(authors, context);
  if (fields.author.empty()) fields.author = NamesOf(creators);
  if (fields.author.empty()) {
    fields.author = AtomNames(
        namespaces->Children(context.root, context.core_ns, "author"), context);
  }
  pugi::xml_node text_from = entry;
  for (const pugi::xml_node candidate : {content, summary}) {
    if (!candidate || !fields.text.empty()) continue;
    fields.text = AtomText(candidate).value_or("");
    text_from = candidate;
  }
  if (fields.text.empty() && media.description) {
    fields.text = TextOfMaybeHtml(media.description);
    text_from = media.description;
  }
  for (const pugi::xml_node category : categories) {
    const char* term = category.attribute("term").value();
    AddCategory(CollapseWhitespace(
                    *term != '\0' ? term : category.attribute("label").value()),
                &fields);
  }
  for (const std::vector<pugi::xml_node>* more :
       {&subjects, &media.categories}) {
    for (const pugi::xml_node category : *more) {
      AddCategory(TextOfPlain(category), &fields);
    }
  }
  ReadDate({published, updated, issued, modified, created, dc_date}, &fields);
  fields.language = ItemLanguage(dc_language, text_from, context);
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
std::string_view CoreNamespace(pugi::xml_node root, Format format,
                               XmlNamespaces* namespaces) {
  if (format != Format::kRdf) return namespaces->Of(root);
  for (const pugi::xml_node child : root.children()) {
    const std::string_view name = LocalName(child.name());
    if (child.type() == pugi::node_element &&
        (name == "channel" || name == "item")) {
      return namespaces->Of(child);
    }
  }
  return kRss10Ns;
}

std::vector<pugi::xml_node> FindItems(const FeedContext& context) {
  XmlNamespaces* namespaces = context.namespaces;
  const std::string_view ns = context.core_ns;
  if (context.format == Format::kAtom) {
    return namespaces->Children(context.root, ns, "entry");
  }
  // RSS 1.0 puts items beside the channel, RSS 2.0 inside it; feeds that do
  // the other are read all the same.
  std::vector<pugi::xml_node> items;
  for (const pugi::xml_node channel :
       namespaces->Children(context.root, ns, "channel")) {
    for (const pugi::xml_node item :
         namespaces->Children(channel, ns, "item")) {
      items.push_back(item);
    }
  }
  for (const pugi::xml_node item :
       namespaces->Children(context.root, ns, "item")) {
    items.push_back(item);
  }
  return items;
}

std::string FeedTitle(const FeedContext& context) {
  XmlNamespaces* namespaces = context.namespaces;
  const pugi::xml_node title =
      namespaces->FirstChild(context.channel, context.core_ns, "title");
  std::string text = context.format == Format::kAtom
                         ? AtomText(title).value_or("")
                         : (title ? TextOfMaybeHtml(title) : "");
  if (text.empty()) {
    if (const pugi::xml_node dc_title =
            namespaces->FirstChild(context.channel, kDcNs, "title")) {
      text = TextOfMaybeHtml(dc_title);
    }
  }
  return text;
}

std::string FeedLink(const FeedContext& context) {
  XmlNamespaces* namespaces = context.namespaces;
  if (context.format == Format::kAtom) {
    return AlternateLink(
        namespaces->Children(context.channel, context.core_ns, "link"),
        context.document_url);
  }
  if (const pugi::xml_node link =
          namespaces->FirstChild(context.channel, context.core_ns, "link")) {
    std::string url = ResolveLink(BaseUrlFor(link, context.document_url),
                                  CharacterData(link));
    if (!url.empty()) return url;
  }
  return AlternateLink(namespaces->Children(context.channel, kAtomNs, "link"),
                       context.document_url);
}

// The feed's language, normalized: RSS's <language>, else dc:language, else
// the xml:lang in scope at the channel (Atom's usual way); the first that is
// a usable tag.
std::string FeedLanguage(const FeedContext& context) {
  XmlNamespaces* namespaces = context.namespaces;
  for (const pugi::xml_node element :
       {namespaces->FirstChild(context.channel, context.core_ns, "language"),
        namespaces->FirstChild(context.channel, kDcNs, "language")}) {
    if (!element) continue;
    std::string language = NormalizeLanguage(TextOfPlain(element));
    if (!language.empty()) return language;
  }
  return NormalizeLanguage(
      XmlLangOf(context.channel ? context.channel : context.root).value_or(""));
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
  XmlNamespaces* namespaces = context.namespaces;
  const pugi::xml_node channel = context.channel;
  constexpr std::int64_t kYear = 366 * 24 * 60 * 60;
  if (const pugi::xml_node ttl =
          namespaces->FirstChild(channel, context.core_ns, "ttl")) {
    if (auto minutes = SmallNumber(ttl.text().get(), kYear / 60)) {
      return *minutes * 60;
    }
  }
  const pugi::xml_node period =
      namespaces->FirstChild(channel, kSyndicationNs, "updatePeriod");
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
    if (const pugi::xml_node times = namespaces->FirstChild(
            channel, kSyndicationNs, "updateFrequency")) {
      frequency = SmallNumber(times.text().get(), seconds).value_or(1);
    }
    return seconds / std::max<std::int64_t>(1, frequency);
  }
  return 0;
}

// Whether `item`'s (or another element's) end tag lies before `offset` in
// `xml`, the text pugixml parsed. pugixml keeps whatever it built before an
// error, so the last item of a broken document may be cut short; this tells a
// whole one from that.
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

// Whether `xml` ends in `root`'s end tag cut short ("</rss"), with the
// break at `offset` there.
bool BreaksInEndTag(pugi::xml_node root, std::string_view xml,
                    ptrdiff_t offset) {
  const std::string end_tag = "</" + std::string(root.name());
  const size_t at = xml.rfind(end_tag);
  return at != std::string_view::npos && static_cast<ptrdiff_t>(at) <= offset &&
         TrimAscii(xml.substr(at + end_tag.size())).empty();
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
      DecodeXmlToUtf8(body, source.content_type, &converted, &feed.warnings);
  const std::string_view trimmed = TrimAscii(xml);
  if (trimmed.empty()) return fail("empty body");
  if (trimmed.starts_with('{')) {
    config::Result<ParsedFeed> json = ParseJsonFeed(xml, source, now, limits);
    if (json.ok()) {
      json.value().warnings.insert(json.value().warnings.begin(),
                                   feed.warnings.begin(), feed.warnings.end());
    }
    return json;
  }
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

  XmlNamespaces namespaces;
  FeedContext context{
      .source = source,
      .document_url = source.base_url.empty() ? source.url : source.base_url,
      .format = *format,
      .root = root,
      .channel = root,
      .core_ns = CoreNamespace(root, *format, &namespaces),
      .namespaces = &namespaces,
      .language = ""};
  if (*format != Format::kAtom) {
    context.channel = namespaces.FirstChild(root, context.core_ns, "channel");
  }
  std::vector<pugi::xml_node> items = FindItems(context);
  feed.title = FeedTitle(context);
  TruncateUtf8(&feed.title, limits.max_title_bytes);
  if (!parsed) {
    if (!items.empty() && !EndsBefore(items.back(), xml, parsed.offset)) {
      items.pop_back();
    }
    // A feed without items that breaks after its channel, or in its last
    // end tag, still says what it is.
    if (items.empty() &&
        !(context.channel != root &&
          EndsBefore(context.channel, xml, parsed.offset)) &&
        !BreaksInEndTag(root, xml, parsed.offset)) {
      return fail(not_xml);
    }
    feed.warnings.push_back("XML breaks at offset " +
                            std::to_string(parsed.offset) + " (" +
                            parsed.description() + "); kept " +
                            std::to_string(items.size()) + " items before it");
  }

  feed.link = FeedLink(context);
  context.language = FeedLanguage(context);
  feed.language = context.language;
  feed.refresh_seconds = RefreshSeconds(context);
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
