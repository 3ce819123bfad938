#include "indexer/xml_namespaces.h"

#include <cstring>

#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

std::string_view Canonical(std::string_view uri) {
  if (uri == "http://purl.org/atom/ns#") return kAtomNs;
  if (uri == "http://my.netscape.com/rdf/simple/0.9/") return kRss10Ns;
  if (uri == "http://purl.org/dc/elements/1.1") return kDcNs;
  if (uri == "http://purl.org/dc/terms") return kDctermsNs;
  if (uri == "http://search.yahoo.com/mrss") return kMediaNs;
  if (StartsWithIgnoringCase(uri, "http://www.itunes.com/dtds/podcast-1.0") ||
      StartsWithIgnoringCase(uri, "https://www.itunes.com/dtds/podcast-1.0")) {
    return kItunesNs;
  }
  return uri;
}

std::string_view ConventionalMeaning(std::string_view prefix) {
  if (prefix.empty()) return kNoNamespace;
  if (prefix == "dc") return kDcNs;
  if (prefix == "dcterms") return kDctermsNs;
  if (prefix == "content") return kContentNs;
  if (prefix == "atom" || prefix == "atom10") return kAtomNs;
  if (prefix == "rdf") return kRdfNs;
  if (prefix == "sy") return kSyndicationNs;
  if (prefix == "media") return kMediaNs;
  if (prefix == "itunes") return kItunesNs;
  return prefix;
}

// Whether attribute `name` declares `prefix` ("xmlns" or "xmlns:<prefix>").
bool Declares(const char* name, std::string_view prefix) {
  if (std::strncmp(name, "xmlns", 5) != 0) return false;
  if (prefix.empty()) return name[5] == '\0';
  return name[5] == ':' && std::string_view(name + 6) == prefix;
}

bool DeclaresAny(pugi::xml_node node) {
  for (const pugi::xml_attribute attribute : node.attributes()) {
    if (std::strncmp(attribute.name(), "xmlns", 5) == 0) return true;
  }
  return false;
}

// The namespace bound to `prefix` at `node`, walking up the ancestors.
std::string_view Resolve(pugi::xml_node node, std::string_view prefix) {
  for (pugi::xml_node at = node; at; at = at.parent()) {
    for (const pugi::xml_attribute attribute : at.attributes()) {
      if (Declares(attribute.name(), prefix)) {
        return Canonical(TrimAscii(attribute.value()));
      }
    }
  }
  return ConventionalMeaning(prefix);
}

}  // namespace

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

std::string_view XmlNamespaces::InScope(pugi::xml_node scope,
                                        std::string_view prefix) {
  if (scope != memo_scope_) {
    memo_scope_ = scope;
    memo_.clear();
  }
  for (const auto& [known, uri] : memo_) {
    if (known == prefix) return uri;
  }
  const std::string_view uri = Resolve(scope, prefix);
  memo_.emplace_back(std::string(prefix), uri);
  return uri;
}

std::string_view XmlNamespaces::Of(pugi::xml_node element) {
  return Bound(element, Prefix(element.name()));
}

std::string_view XmlNamespaces::OfAttribute(pugi::xml_node element,
                                            const char* qualified) {
  // Unprefixed attributes are in no namespace, whatever the default is.
  const std::string_view prefix = Prefix(qualified);
  return prefix.empty() ? kNoNamespace : Bound(element, prefix);
}

std::string_view XmlNamespaces::Bound(pugi::xml_node element,
                                      std::string_view prefix) {
  // Declarations on the element itself are rare; they skip the memo.
  if (DeclaresAny(element)) return Resolve(element, prefix);
  return InScope(element.parent(), prefix);
}

bool XmlNamespaces::Is(pugi::xml_node node, std::string_view ns,
                       std::string_view local) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local &&
         Of(node) == ns;
}

pugi::xml_node XmlNamespaces::FirstChild(pugi::xml_node parent,
                                         std::string_view ns,
                                         std::string_view local) {
  for (const pugi::xml_node child : parent.children()) {
    if (Is(child, ns, local)) return child;
  }
  return {};
}

std::vector<pugi::xml_node> XmlNamespaces::Children(pugi::xml_node parent,
                                                    std::string_view ns,
                                                    std::string_view local) {
  std::vector<pugi::xml_node> matches;
  for (const pugi::xml_node child : parent.children()) {
    if (Is(child, ns, local)) matches.push_back(child);
  }
  return matches;
}

}  // namespace newswatch::indexer
