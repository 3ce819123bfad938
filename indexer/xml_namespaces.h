// XML namespaces as feeds use them: elements are matched by namespace URI
// and local name, so that any prefix works. Internal to the indexer's feed
// parser: its interface speaks pugixml, so it is no header for other
// libraries.
#ifndef NEWSWATCH_INDEXER_XML_NAMESPACES_H_
#define NEWSWATCH_INDEXER_XML_NAMESPACES_H_

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newswatch::indexer {

// Namespace URIs in the spelling XmlNamespaces returns: URIs that mean the
// same for what the parser reads (Atom 0.3 and 1.0, RSS 0.90 and 1.0, the
// variants of Media RSS and iTunes) are reported as one of these.
inline constexpr std::string_view kNoNamespace = "";
inline constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
inline constexpr std::string_view kRss10Ns = "http://purl.org/rss/1.0/";
inline constexpr std::string_view kRdfNs =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
inline constexpr std::string_view kDctermsNs = "http://purl.org/dc/terms/";
inline constexpr std::string_view kContentNs =
    "http://purl.org/rss/1.0/modules/content/";
inline constexpr std::string_view kSyndicationNs =
    "http://purl.org/rss/1.0/modules/syndication/";
inline constexpr std::string_view kMediaNs = "http://search.yahoo.com/mrss/";
inline constexpr std::string_view kItunesNs =
    "http://www.itunes.com/dtds/podcast-1.0.dtd";
inline constexpr std::string_view kXhtmlNs = "http://www.w3.org/1999/xhtml";

// The part of a qualified name after the colon, or all of it.
std::string_view LocalName(const char* qualified);

// The part of a qualified name before the colon, or "".
std::string_view Prefix(const char* qualified);

// Resolves the namespaces of names in one document. Where a feed uses a
// prefix without declaring it (common with dc:, content: and media:), the
// conventional meaning of the prefix is assumed; an undeclared unknown
// prefix resolves to itself, so it matches nothing known.
//
// Lookups are remembered for the most recent parent element, since the
// parser asks about every child of one item in a row. Not thread-safe; the
// views returned live as long as the document.
class XmlNamespaces {
 public:
  // The namespace of `element`'s name.
  std::string_view Of(pugi::xml_node element);

  // The namespace of attribute name `qualified` on `element`.
  std::string_view OfAttribute(pugi::xml_node element, const char* qualified);

  // Whether `node` is the element `local` in namespace `ns`.
  bool Is(pugi::xml_node node, std::string_view ns, std::string_view local);

  // The first child element of `parent` that Is(ns, local), or null.
  pugi::xml_node FirstChild(pugi::xml_node parent, std::string_view ns,
                            std::string_view local);

  // Every child element of `parent` that Is(ns, local), in order.
  std::vector<pugi::xml_node> Children(pugi::xml_node parent,
                                       std::string_view ns,
                                       std::string_view local);

 private:
  // The namespace bound to `prefix` at `element`.
  std::string_view Bound(pugi::xml_node element, std::string_view prefix);
  // The same at `scope`, remembered for the latest scope.
  std::string_view InScope(pugi::xml_node scope, std::string_view prefix);

  pugi::xml_node memo_scope_;
  std::vector<std::pair<std::string, std::string_view>> memo_;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_XML_NAMESPACES_H_
