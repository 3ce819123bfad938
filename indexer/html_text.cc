#include "indexer/html_text.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "indexer/html_fast_text.h"
#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Gumbo's tree construction is quadratic in nesting depth (200,000 nested
// <div>s take minutes), and a feed chooses its own nesting. Real articles
// stay far below this; beyond it HtmlToText falls back to StripTags.
constexpr size_t kMaxNestingForGumbo = 512;

// Length of the well-formed UTF-8 sequence that starts at text[i], or 0 when
// the bytes there are not one (overlong forms and surrogates included).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;  // Range of the second byte (RFC 3629 table).
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

bool IsSpace(std::string_view character) {
  if (character.size() == 1) {
    const char c = character[0];
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
  return character == "\xC2\xA0" ||      // U+00A0 no-break space
         character == "\xE2\x80\xA8" ||  // U+2028 line separator
         character == "\xE2\x80\xA9";    // U+2029 paragraph separator
}

// C0 controls, DEL and C1 controls: never useful in plain text, and harmful
// in the logs, mail and JSON that article text ends up in.
bool IsControl(std::string_view character) {
  const auto lead = static_cast<unsigned char>(character[0]);
  if (character.size() == 1) return lead < 0x20 || lead == 0x7F;
  return character.size() == 2 && lead == 0xC2 &&
         static_cast<unsigned char>(character[1]) < 0xA0;
}

void AppendUtf8(std::uint32_t code_point, std::string* out) {
  if (code_point == 0 || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    *out += kReplacementCharacter;
  } else if (code_point < 0x80) {
    *out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    *out += static_cast<char>(0xC0 | (code_point >> 6));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    *out += static_cast<char>(0xE0 | (code_point >> 12));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (code_point >> 18));
    *out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// A tag as the cheap scanners below see it (not as HTML5 parses it: quotes
// in attribute values are not honoured).
struct Tag {
  size_t end = 0;    // Index just past the tag.
  std::string name;  // Lower-case; empty for comments, doctypes and <?...>.
  bool is_end = false;
  bool self_closing = false;
};

// Reads the tag whose '<' is html[start], or nullopt when that '<' starts no
// tag (as in "a < b"), which HTML keeps as text.
std::optional<Tag> ReadTag(std::string_view html, size_t start) {
  Tag tag;
  size_t i = start + 1;
  if (i < html.size() && (html[i] == '!' || html[i] == '?')) {
    const bool comment = html.substr(i, 3) == "!--";
    const size_t close = comment ? html.find("-->", i + 3) : html.find('>', i);
    tag.end = close == std::string_view::npos ? html.size()
                                              : close + (comment ? 3 : 1);
    return tag;
  }
  if (i < html.size() && html[i] == '/') {
    tag.is_end = true;
    ++i;
  }
  if (i >= html.size() || !IsAsciiAlpha(html[i])) return std::nullopt;
  while (i < html.size() && html[i] != '>' && html[i] != '/' &&
         html.substr(i, 1).find_first_of(" \t\n\r\f") ==
             std::string_view::npos) {
    tag.name += AsciiLower(html[i++]);
  }
  const size_t close = html.find('>', i);
  tag.end = close == std::string_view::npos ? html.size() : close + 1;
  tag.self_closing = close != std::string_view::npos && close > start &&
                     html[close - 1] == '/';
  return tag;
}

bool IsVoidElement(std::string_view name) {
  static constexpr std::string_view kVoid[] = {
      "area",  "base", "br",   "col",   "embed",  "hr",    "img",
      "input", "link", "meta", "param", "source", "track", "wbr"};
  return std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid);
}

// Elements whose start tag implicitly closes an open one of the same name.
bool ClosesItsSibling(std::string_view name) {
  static constexpr std::string_view kAutoClosing[] = {
      "p", "li", "dt", "dd", "option", "tr", "td", "th"};
  return std::find(std::begin(kAutoClosing), std::end(kAutoClosing), name) !=
         std::end(kAutoClosing);
}

// Whether the element nesting of `html` may exceed `limit`, by a linear
// approximation of how an HTML parser keeps its stack of open elements: an
// end tag closes the matching element if it is near the top of the stack and
// is ignored otherwise, so stray end tags cannot hide deep nesting.
bool NestsDeeperThan(std::string_view html, size_t limit) {
  constexpr size_t kSearchDepth = 16;  // How far down an end tag may match.
  std::vector<std::string> open;
  const auto close_to = [&](const std::string& name) {
    const size_t floor =
        open.size() > kSearchDepth ? open.size() - kSearchDepth : 0;
    for (size_t k = open.size(); k > floor; --k) {
      if (open[k - 1] == name) {
        open.resize(k - 1);
        return;
      }
    }
  };
  size_t i = html.find('<');
  while (i != std::string_view::npos) {
    const std::optional<Tag> tag = ReadTag(html, i);
    if (!tag) {
      i = html.find('<', i + 1);
      continue;
    }
    if (tag->is_end) {
      close_to(tag->name);
    } else if (!tag->name.empty() && !tag->self_closing &&
               !IsVoidElement(tag->name)) {
      if (ClosesItsSibling(tag->name)) close_to(tag->name);
      open.push_back(tag->name);
      if (open.size() > limit) return true;
    }
    i = html.find('<', tag->end);
  }
  return false;
}

// Decodes the character reference at html[start] == '&' into *out and
// returns the index after it; returns start when there is none to decode.
// Only numeric references and the few names that matter in news text: this
// serves the StripTags fallback, gumbo handles the full HTML5 table.
size_t DecodeReference(std::string_view html, size_t start, std::string* out) {
  const size_t semicolon = html.find(';', start);
  if (semicolon == std::string_view::npos || semicolon - start > 10)
    return start;
  const std::string_view body = html.substr(start + 1, semicolon - start - 1);
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"},   {"lt", "<"},   {"gt", ">"},
      {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
  for (const auto& [name, value] : kNamed) {
    if (body == name) {
      *out += value;
      return semicolon + 1;
    }
  }
  if (body.size() < 2 || body[0] != '#') return start;
  const bool hex = body[1] == 'x' || body[1] == 'X';
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return start;
  std::uint32_t code_point = 0;
  for (char c : digits) {
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    if (hex && AsciiLower(c) >= 'a' && AsciiLower(c) <= 'f') {
      value = AsciiLower(c) - 'a' + 10;
    }
    if (value < 0) return start;
    code_point =
        code_point * (hex ? 16 : 10) + static_cast<std::uint32_t>(value);
    if (code_point > 0x10FFFF) code_point = 0x110000;  // Stays invalid.
  }
  AppendUtf8(code_point, out);
  return semicolon + 1;
}

// Index of the first `needle` (lower-case) in `haystack` at or after `from`,
// ignoring ASCII case; haystack.size() when there is none.
size_t FindIgnoringCase(std::string_view haystack, std::string_view needle,
                        size_t from) {
  for (size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && AsciiLower(haystack[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return haystack.size();
}

// A crude, linear-time HTML to text for input that gumbo would be slow on:
// every tag becomes a space, script and style content is dropped, and the
// common character references are decoded.
std::string StripTags(std::string_view html) {
  std::string text;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] == '&') {
      const size_t next = DecodeReference(html, i, &text);
      if (next == i) {
        text += html[i++];
      } else {
        i = next;
      }
      continue;
    }
    const std::optional<Tag> tag =
        html[i] == '<' ? ReadTag(html, i) : std::nullopt;
    if (!tag) {
      text += html[i++];
      continue;
    }
    text += ' ';
    i = tag->end;
    if (!tag->is_end && (tag->name == "script" || tag->name == "style")) {
      // Raw text up to the matching end tag.
      i = FindIgnoringCase(html, "</" + tag->name, i);
    }
  }
  return text;
}

// Elements whose content is not visible text.
bool IsSkipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_IFRAME:
      return true;
    default:
      return false;
  }
}

// Elements that a browser renders on a line (or cell) of their own, so their
// text must not run into the text around them.
bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
      return true;
    default:
      return false;
  }
}

void PushChildren(const GumboVector& children,
                  std::vector<const GumboNode*>* stack) {
  // Reversed, so that the first child is popped first.
  for (unsigned int k = children.length; k > 0; --k) {
    stack->push_back(static_cast<const GumboNode*>(children.data[k - 1]));
  }
}

std::string GumboText(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // Parse errors are never read; don't record them.
  GumboOutput* output =
      gumbo_parse_with_options(&options, html.data(), html.size());
  std::string text;
  // An explicit stack rather than recursion, as the feed chooses the depth.
  // nullptr marks the end of a block element, where a space goes.
  std::vector<const GumboNode*> stack = {output->document};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node == nullptr) {
      text += ' ';
      continue;
    }
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        text += node->v.text.text;
        break;
      case GUMBO_NODE_DOCUMENT:
        PushChildren(node->v.document.children, &stack);
        break;
      case GUMBO_NODE_ELEMENT:
        if (IsSkipped(node->v.element.tag)) break;
        if (IsBlock(node->v.element.tag)) {
          text += ' ';
          stack.push_back(nullptr);
        }
        PushChildren(node->v.element.children, &stack);
        break;
      default:  // Comments; template contents are not shown either.
        break;
    }
  }
  gumbo_destroy_output(&options, output);
  return text;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  // Two memchr scans: find_first_of would test each byte against the set.
  if (html.find('<') == std::string_view::npos &&
      html.find('&') == std::string_view::npos) {
    return CollapseWhitespace(html);
  }
  // Most news HTML is simple enough for a single pass (html_fast_text.h);
  // gumbo is some sixty times slower, so it only gets what that pass is not
  // sure to read as gumbo does.
  if (std::optional<std::string> text = FastHtmlToText(html)) {
    return *std::move(text);
  }
  if (NestsDeeperThan(html, kMaxNestingForGumbo)) {
    return CollapseWhitespace(StripTags(html));
  }
  return HtmlToTextWithGumbo(html);
}

std::string HtmlToTextWithGumbo(std::string_view html) {
  return CollapseWhitespace(GumboText(html));
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  const auto emit = [&](std::string_view character) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += character;
  };
  size_t i = 0;
  while (i < text.size()) {
    // Runs of printable ASCII other than space, the bulk of any text, are
    // copied whole.
    size_t run = i;
    while (run < text.size() && text[run] > ' ' && text[run] < 0x7F) ++run;
    if (run > i) {
      emit(text.substr(i, run - i));
      i = run;
      continue;
    }
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      emit(kReplacementCharacter);
      ++i;
      continue;
    }
    const std::string_view character = text.substr(i, length);
    i += length;
    if (IsSpace(character)) {
      pending_space = true;
    } else if (!IsControl(character)) {
      emit(character);
    }
  }
  return out;
}

}  // namespace newswatch::indexer
