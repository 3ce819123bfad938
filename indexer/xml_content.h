// What the elements of a feed document hold, as plain text: character data,
// escaped or inline HTML, Atom text constructs; and what is in scope at an
// element (xml:base, xml:lang). Internal to the indexer's feed parser: its
// interface speaks pugixml, so it is no header for other libraries.
#ifndef NEWSWATCH_INDEXER_XML_CONTENT_H_
#define NEWSWATCH_INDEXER_XML_CONTENT_H_

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace newswatch::indexer {

// The children of `node` serialized as markup.
std::string InnerXml(pugi::xml_node node);

// The character data directly inside `node` (text and CDATA sections, which
// some feeds mix), XML references decoded.
std::string CharacterData(pugi::xml_node node);

// Whether plain-looking text holds markup or character references, as RSS
// titles sometimes do. Stricter than HTML's own rules so that titles like
// "x<y" or "Q&A" stay as written.
bool LooksLikeHtml(std::string_view text);

// Plain text of an element that may or may not hold HTML (RSS titles,
// authors): HTML when it has child elements or LooksLikeHtml.
std::string TextOfMaybeHtml(pugi::xml_node node);

// Plain text of an element that holds HTML (RSS description and
// content:encoded), entity-escaped or inline. Markup escaped twice
// ("&amp;lt;p&amp;gt;") is unescaped twice: HTML without a single tag whose
// text starts with one after a pass was meant as markup.
std::string TextOfHtml(pugi::xml_node node);

// Plain text of an element that holds plain text (guids, dates, categories).
std::string TextOfPlain(pugi::xml_node node);

// Plain text of an Atom text construct (RFC 4287 3.1: type text, html or
// xhtml) or atom:content (any text or XML media type), also Atom 0.3's
// mode="escaped" and mode="base64", and base64 content of other media types
// (RFC 4287 4.1.3.3) when it decodes to UTF-8 text (read as HTML when it
// looks like HTML); nullopt when there is nothing inline to read (content
// with src, or binary media).
std::optional<std::string> AtomText(pugi::xml_node node);

// The base URL for links in `node`: `document_url`, overridden by any
// xml:base on the way down from the root (RFC 3986 stacks them).
std::string BaseUrlFor(pugi::xml_node node, const std::string& document_url);

// The xml:lang in scope at `node` (its own or the nearest ancestor's), as
// written; nullopt when none. An empty xml:lang is "" (XML 1.0 2.12: the
// language is unknown, which overrides any inherited one).
std::optional<std::string> XmlLangOf(pugi::xml_node node);

// The bytes that base64 `text` (whitespace allowed) encodes, or nullopt
// when it is not base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_XML_CONTENT_H_
