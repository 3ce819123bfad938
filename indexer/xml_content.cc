#include "indexer/xml_content.h"

#include <openssl/evp.h>

#include <climits>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/html_text.h"
#include "indexer/text_encoding.h"
#include "indexer/text_util.h"
#include "indexer/url_resolution.h"

namespace newswatch::indexer {
namespace {

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

// The text of `node` when it is exactly one text or CDATA node (the usual
// case), viewing the document; nullopt otherwise.
std::optional<std::string_view> SoleText(pugi::xml_node node) {
  const pugi::xml_node first = node.first_child();
  if (first && !first.next_sibling() &&
      (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata)) {
    return std::string_view(first.value());
  }
  return std::nullopt;
}

// What an element holds: its character data, or, when a feed put unescaped
// (X)HTML elements inside it, that markup. `value` views the document when
// the element is one text node (the usual case: a description's kilobytes
// are not copied), else `owned`. It refers to itself, so it is filled in
// place and never copied.
struct Content {
  Content() = default;
  Content(const Content&) = delete;
  Content& operator=(const Content&) = delete;

  std::string owned;
  std::string_view value;
  bool is_markup = false;
};

void ReadContent(pugi::xml_node node, Content* content) {
  for (const pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      content->owned = InnerXml(node);
      content->value = content->owned;
      content->is_markup = true;
      return;
    }
  }
  if (const std::optional<std::string_view> text = SoleText(node)) {
    content->value = *text;
    return;
  }
  content->owned = CharacterData(node);
  content->value = content->owned;
}

// Plain text of HTML from a feed element; see TextOfHtml on twice-escaped
// markup.
std::string HtmlValueToText(std::string_view html) {
  std::string text = HtmlToText(html);
  if (html.find('<') == std::string_view::npos && text.starts_with('<') &&
      LooksLikeHtml(text)) {
    text = HtmlToText(text);
  }
  return text;
}

// Plain text of decoded base64 content: only UTF-8 text is text, and text
// that looks like HTML is read as HTML whatever the type says, since the
// type of base64 content is rarely a text type.
std::optional<std::string> Base64Text(pugi::xml_node node) {
  std::optional<std::string> bytes = DecodeBase64(CharacterData(node));
  if (!bytes || !IsValidUtf8(*bytes)) return std::nullopt;
  return LooksLikeHtml(*bytes) ? HtmlValueToText(*bytes)
                               : CollapseWhitespace(*bytes);
}

}  // namespace

std::string InnerXml(pugi::xml_node node) {
  std::string markup;
  StringWriter writer(&markup);
  for (const pugi::xml_node child : node.children()) {
    // No <x/> shorthand: HTML reads <script/> or <iframe/> as an open
    // element that swallows the rest of the text.
    child.print(writer, "",
                pugi::format_raw | pugi::format_no_empty_element_tags,
                pugi::encoding_utf8);
  }
  return markup;
}

std::string CharacterData(pugi::xml_node node) {
  // The usual case, one text node, without building a string twice.
  if (const std::optional<std::string_view> text = SoleText(node)) {
    return std::string(*text);
  }
  std::string text;
  for (const pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

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

std::string TextOfMaybeHtml(pugi::xml_node node) {
  Content content;
  ReadContent(node, &content);
  return content.is_markup || LooksLikeHtml(content.value)
             ? HtmlToText(content.value)
             : CollapseWhitespace(content.value);
}

std::string TextOfHtml(pugi::xml_node node) {
  Content content;
  ReadContent(node, &content);
  return HtmlValueToText(content.value);
}

std::string TextOfPlain(pugi::xml_node node) {
  return CollapseWhitespace(CharacterData(node));
}

std::optional<std::string> AtomText(pugi::xml_node node) {
  if (!node || node.attribute("src")) return std::nullopt;
  const std::string type =
      LowerAscii(TrimAscii(node.attribute("type").value()));
  // Atom 0.3: mode="escaped" is HTML whatever the type says; base64 is left
  // unread (binary, in practice).
  const std::string mode =
      LowerAscii(TrimAscii(node.attribute("mode").value()));
  const bool is_html = type == "html" || type == "text/html";
  const bool is_text = is_html || type.empty() || type == "text" ||
                       type.starts_with("text/") || type == "xhtml" ||
                       type.ends_with("xml");
  if (mode == "base64" || !is_text) return Base64Text(node);
  Content content;
  ReadContent(node, &content);
  if (mode == "escaped" || type == "html" || type == "text/html") {
    return HtmlValueToText(content.value);
  }
  if (type == "xhtml" || type.ends_with("xml")) {
    return HtmlToText(InnerXml(node));
  }
  return content.is_markup ? HtmlToText(content.value)
                           : CollapseWhitespace(content.value);
}

std::string BaseUrlFor(pugi::xml_node node, const std::string& document_url) {
  std::vector<std::string_view> bases;
  for (pugi::xml_node at = node; at; at = at.parent()) {
    if (const pugi::xml_attribute base = at.attribute("xml:base")) {
      bases.push_back(TrimAscii(base.value()));
    }
  }
  std::string url = document_url;
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) {
    url = ResolveUrl(url, *it);
  }
  return url;
}

std::optional<std::string> XmlLangOf(pugi::xml_node node) {
  for (pugi::xml_node at = node; at; at = at.parent()) {
    if (const pugi::xml_attribute lang = at.attribute("xml:lang")) {
      return lang.value();
    }
  }
  return std::nullopt;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  // OpenSSL's decoder takes '-' for the end of the data and would return what
  // came before it: anything outside the alphabet is refused here first.
  for (const char c : text) {
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '/' &&
        c != '=' && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return std::nullopt;
    }
  }
  // OpenSSL's streaming decoder skips whitespace and checks padding.
  EVP_ENCODE_CTX* context = EVP_ENCODE_CTX_new();
  if (context == nullptr) return std::nullopt;
  EVP_DecodeInit(context);
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  int written = 0;
  int tail = 0;
  const bool ok =
      text.size() <= static_cast<size_t>(INT_MAX) &&
      EVP_DecodeUpdate(context, reinterpret_cast<unsigned char*>(bytes.data()),
                       &written,
                       reinterpret_cast<const unsigned char*>(text.data()),
                       static_cast<int>(text.size())) >= 0 &&
      EVP_DecodeFinal(context,
                      reinterpret_cast<unsigned char*>(bytes.data()) + written,
                      &tail) == 1;
  EVP_ENCODE_CTX_free(context);
  if (!ok) return std::nullopt;
  bytes.resize(static_cast<size_t>(written + tail));
  return bytes;
}

}  // namespace newswatch::indexer
