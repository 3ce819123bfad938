#include "alerts/email_message.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

#include "alerts/base64.h"
#include "config/text.h"
#include "config/time_format.h"

namespace newswatch::alerts {

namespace {

// RFC 5322's recommended line length (without CRLF). RFC 2045 limits
// quoted-printable lines to 76; RFC 2047 limits an encoded-word to 75.
constexpr std::size_t kMaxLine = 78;
constexpr std::size_t kMaxQuotedPrintableLine = 76;
constexpr std::size_t kMaxEncodedWord = 75;
constexpr std::string_view kEncodedWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kEncodedWordSuffix = "?=";

// ---------------------------------------------------------------------------
// Untrusted text.

// config::TruncateUtf8, then without the spaces a cut can leave before the
// ellipsis ("word…", not "word …"). `text` is valid UTF-8.
void Truncate(std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  text = config::TruncateUtf8(text, max_bytes);
  if (text.empty()) return;
  const std::size_t ellipsis = text.size() - config::kEllipsis.size();
  std::size_t kept = ellipsis;
  while (kept > 0 && text[kept - 1] == ' ') --kept;
  text.erase(kept, ellipsis - kept);
}

// Untrusted text made fit for a header or one line of a body: valid UTF-8,
// no control, line-breaking or bidirectional characters (config::OneLine,
// plus U+061C ARABIC LETTER MARK, which it does not know), runs of spaces
// collapsed, trimmed, and at most `max_bytes` long.
std::string Clean(std::string_view text, std::size_t max_bytes) {
  // Look at no more than the bound could ever need, so a megabyte title
  // costs no more than a short one. Repair can triple a byte and the later
  // steps only shrink, so four times the bound is always enough unless the
  // text is mostly whitespace, which only hostile text is.
  if (text.size() > 4 * max_bytes + 16) {
    std::size_t cut = 4 * max_bytes + 16;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;  // Not inside a character, which would repair to U+FFFD.
    }
    text = text.substr(0, cut);
  }
  const std::string one_line = config::OneLine(config::RepairUtf8(text));
  std::string out;
  out.reserve(one_line.size());
  for (std::size_t i = 0; i < one_line.size(); ++i) {
    char c = one_line[i];
    if (c == '\xD8' && i + 1 < one_line.size() && one_line[i + 1] == '\x9C') {
      c = ' ';
      ++i;
    }
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  Truncate(out, max_bytes);
  return out;
}

// ---------------------------------------------------------------------------
// Addresses and ids.

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) !=
         std::string_view::npos;
}

// RFC 5322 dot-atom-text: atext runs separated by single dots.
bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i - 1] == '.') return false;
    } else if (!IsAtext(text[i])) {
      return false;
    }
  }
  return true;
}

// Why `domain` is not a host name or address literal; empty when it is one.
std::string DomainProblem(std::string_view domain) {
  if (domain.empty()) return "the domain is empty";
  if (domain.size() > 253) return "the domain is longer than 253 bytes";
  if (domain.front() == '[') {
    if (domain.size() < 3 || domain.back() != ']') {
      return "the address literal is not closed by ]";
    }
    for (const char c : domain.substr(1, domain.size() - 2)) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                      (c >= 'A' && c <= 'Z') || c == '.' || c == ':';
      if (!ok) return "the address literal holds other than an IP address";
    }
    return {};
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(
        start,
        dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "the domain has an empty label";
    if (label.size() > 63) return "a domain label is longer than 63 bytes";
    if (label.front() == '-' || label.back() == '-') {
      return "a domain label starts or ends with a hyphen";
    }
    for (const char c : label) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                      (c >= 'A' && c <= 'Z') || c == '-';
      if (!ok) {
        return "the domain holds characters other than letters, digits, "
               "hyphens and dots";
      }
    }
    if (dot == std::string_view::npos) return {};
    start = dot + 1;
  }
}

std::string AddressProblem(std::string_view address) {
  if (address.empty()) return "it is empty";
  if (address.size() > 254) return "it is longer than 254 bytes";
  for (const char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) {
      return "it holds whitespace, control or non-ASCII characters";
    }
  }
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos) return "it has no @";
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty()) return "the part before @ is empty";
  if (local.size() > 64) return "the part before @ is longer than 64 bytes";
  if (!IsDotAtom(local)) {
    return "the part before @ is not a dot-atom (letters, digits, "
           "!#$%&'*+-/=?^_`{|}~ and single dots inside)";
  }
  return DomainProblem(domain);
}

// ---------------------------------------------------------------------------
// Headers.

std::string FormatRfc5322Date(std::int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed",
                                          "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                            "May", "Jun", "Jul", "Aug",
                                            "Sep", "Oct", "Nov", "Dec"};
  const auto time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[utc.tm_wday % 7], utc.tm_mday, kMonths[utc.tm_mon % 12],
                utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buffer;
}

// Appends "Name: token token ...\r\n", folding between tokens (at the space
// that separates them) so lines stay within kMaxLine where tokens allow.
void AppendFolded(std::string& out, std::string_view name,
                  const std::vector<std::string>& tokens) {
  std::string line = std::string(name) + ":";
  bool first = true;
  for (const std::string& token : tokens) {
    if (!first && line.size() + 1 + token.size() > kMaxLine) {
      out += line;
      out += "\r\n";
      line.clear();
    }
    line += ' ';
    line += token;
    first = false;
  }
  out += line;
  out += "\r\n";
}

// Whether `text` can go into a header as it is: printable ASCII that a
// decoder would not take for an encoded-word, in words that fold to lines
// within kMaxLine.
bool IsPlainHeaderText(std::string_view name, std::string_view text) {
  if (text.find("=?") != std::string_view::npos) return false;
  std::size_t word = 0;
  bool first = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7E) return false;
    if (c == ' ') {
      word = 0;
      first = false;
    } else {
      ++word;
      // Folding puts a word after "Name: " or after one space.
      const std::size_t prefix = first ? name.size() + 2 : 1;
      if (prefix + word > kMaxLine) return false;
    }
  }
  return true;
}

// The UTF-8 `text` as RFC 2047 B encoded-words, each at most
// kMaxEncodedWord long and holding whole characters; the first one short
// enough to share a line with "Name: ".
std::vector<std::string> EncodedWords(std::string_view name,
                                      std::string_view text) {
  const std::size_t overhead =
      kEncodedWordPrefix.size() + kEncodedWordSuffix.size();
  const auto max_raw_bytes = [&](std::size_t room) {
    // 3 bytes of text become 4 characters of base64.
    return (std::min(room, kMaxEncodedWord) - overhead) / 4 * 3;
  };
  std::vector<std::string> words;
  std::size_t limit = max_raw_bytes(kMaxLine - name.size() - 2);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size()) {
      const std::size_t length =
          std::max<std::size_t>(config::Utf8SequenceLength(text, end), 1);
      if (end + length - start > limit && end > start) break;
      end += length;
    }
    words.push_back(std::string(kEncodedWordPrefix) +
                    Base64Encode(text.substr(start, end - start)) +
                    std::string(kEncodedWordSuffix));
    start = end;
    limit = max_raw_bytes(kMaxLine - 1);
  }
  return words;
}

// Appends an unstructured header (Subject) whose value is Clean()ed text.
void AppendTextHeader(std::string& out, std::string_view name,
                      std::string_view value) {
  if (!IsPlainHeaderText(name, value)) {
    AppendFolded(out, name, EncodedWords(name, value));
    return;
  }
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t space = value.find(' ', start);
    if (space == std::string_view::npos) {
      words.emplace_back(value.substr(start));
      break;
    }
    words.emplace_back(value.substr(start, space - start));
    start = space + 1;
  }
  AppendFolded(out, name, words);
}

// ---------------------------------------------------------------------------
// Bodies.

// `text` (lines separated by '\n') as quoted-printable (RFC 2045) with CRLF
// line breaks and lines of at most 76 characters. The output never contains
// "=_" (an '=' is always followed by two hex digits or a line break), which
// is what keeps the MIME boundary out of the content.
std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t column = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      out += "\r\n";
      column = 0;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\n';
    bool literal = (byte >= 0x21 && byte <= 0x7E && c != '=') ||
                   ((c == ' ' || c == '\t') && !at_line_end);
    // A '.' or "From " opening a line means something to SMTP and mbox;
    // encoded, they mean nothing to anyone.
    if (column == 0 &&
        (c == '.' || (c == 'F' && text.substr(i, 5) == "From "))) {
      literal = false;
    }
    const std::size_t width = literal ? 1 : 3;
    // Leave room for the soft break '=', unless this ends the line.
    const std::size_t room =
        at_line_end ? kMaxQuotedPrintableLine : kMaxQuotedPrintableLine - 1;
    if (column + width > room) {
      out += "=\r\n";
      column = 0;
      if (c == '.' || (c == 'F' && text.substr(i, 5) == "From ")) {
        literal = false;
      }
    }
    if (literal) {
      out += c;
      column += 1;
    } else {
      out += '=';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
      column += 3;
    }
  }
  if (!text.empty() && text.back() != '\n') out += "\r\n";
  return out;
}

std::string HtmlEscape(std::string_view text) {
  return config::EscapeChars(text, {{'&', "&amp;"},
                                    {'<', "&lt;"},
                                    {'>', "&gt;"},
                                    {'"', "&quot;"},
                                    {'\'', "&#39;"}});
}

// Only web links become clickable: a feed could carry javascript: or data:.
bool IsWebUrl(std::string_view url) {
  const auto starts_with = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      const char c = url[i];
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      if (lower != prefix[i]) return false;
    }
    return true;
  };
  return starts_with("http://") || starts_with("https://");
}

// One alert's fields, cleaned and bounded.
struct Item {
  std::string title;
  std::string url;
  std::string feed;
  std::string published;  // RFC 3339, or empty when unknown.
  std::string matched;    // "term, term", or empty.
  std::string snippet;
};

Item MakeItem(const AlertContent& content) {
  Item item;
  item.title = Clean(content.title, kMaxTitleBytes);
  if (item.title.empty()) item.title = "(untitled)";
  item.url = Clean(content.url, kMaxUrlBytes);
  item.feed =
      Clean(content.feed_name.empty() ? content.feed_url : content.feed_name,
            kMaxNameBytes);
  if (content.published != 0) {
    item.published = config::FormatRfc3339(content.published);
  }
  for (const std::string& term : content.matched_terms) {
    if (item.matched.size() > kMaxMatchedBytes) break;
    const std::string cleaned = Clean(term, kMaxMatchedBytes);
    if (cleaned.empty()) continue;
    if (!item.matched.empty()) item.matched += ", ";
    item.matched += cleaned;
  }
  Truncate(item.matched, kMaxMatchedBytes);
  item.snippet = Clean(content.snippet, kMaxSnippetBytes);
  return item;
}

struct Summary {
  std::string search;
  std::string query;
  std::string subject;
  std::string lead;  // "matched a new article" / "matched 3 new articles"
  bool numbered = false;
  std::vector<Item> items;
};

std::string PlainText(const Summary& summary) {
  std::string text = "Your saved search \"" + summary.search + "\" " +
                     summary.lead + ".\nQuery: " + summary.query + "\n";
  for (std::size_t i = 0; i < summary.items.size(); ++i) {
    const Item& item = summary.items[i];
    const std::string indent = summary.numbered ? "   " : "";
    text += "\n";
    text += summary.numbered ? std::to_string(i + 1) + ". " : "";
    text += item.title + "\n";
    if (!item.url.empty()) text += indent + item.url + "\n";
    if (!item.feed.empty()) text += indent + "Feed: " + item.feed + "\n";
    if (!item.published.empty()) {
      text += indent + "Published: " + item.published + "\n";
    }
    if (!item.matched.empty()) {
      text += indent + "Matched: " + item.matched + "\n";
    }
    if (!item.snippet.empty()) text += "\n" + indent + item.snippet + "\n";
  }
  text += "\n-- \nSent by newswatch for the saved search \"" + summary.search +
          "\".\n";
  return text;
}

std::string Html(const Summary& summary) {
  std::string html =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      HtmlEscape(summary.subject) + "</title>\n</head>\n<body>\n" +
      "<p>Your saved search <strong>" + HtmlEscape(summary.search) +
      "</strong> " + summary.lead + ".<br>\nQuery: <code>" +
      HtmlEscape(summary.query) + "</code></p>\n";
  for (std::size_t i = 0; i < summary.items.size(); ++i) {
    const Item& item = summary.items[i];
    html += "<h3>";
    if (summary.numbered) html += std::to_string(i + 1) + ". ";
    if (IsWebUrl(item.url)) {
      html += "<a href=\"" + HtmlEscape(item.url) + "\">" +
              HtmlEscape(item.title) + "</a>";
    } else {
      html += HtmlEscape(item.title);
    }
    html += "</h3>\n<p>";
    if (!item.url.empty() && !IsWebUrl(item.url)) {
      html += "Link: " + HtmlEscape(item.url) + "<br>\n";
    }
    if (!item.feed.empty()) html += "Feed: " + HtmlEscape(item.feed);
    if (!item.published.empty()) {
      html += "<br>\nPublished: " + HtmlEscape(item.published);
    }
    if (!item.matched.empty()) {
      html += "<br>\nMatched: " + HtmlEscape(item.matched);
    }
    html += "</p>\n";
    if (!item.snippet.empty()) {
      html += "<p>" + HtmlEscape(item.snippet) + "</p>\n";
    }
  }
  html += "<hr>\n<p>Sent by newswatch for the saved search <strong>" +
          HtmlEscape(summary.search) + "</strong>.</p>\n</body>\n</html>\n";
  return html;
}

// A boundary stable for a message id. It holds "=_", which neither the
// quoted-printable parts nor their headers can contain.
std::string Boundary(std::string_view id) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a.
  for (const char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(hash));
  return std::string("=_newswatch_") + hex;
}

config::Error CannotBuild(std::string what) {
  return config::Error::Permanent("", std::move(what));
}

}  // namespace

config::Status ValidateEmailAddress(std::string_view address) {
  const std::string problem = AddressProblem(address);
  if (problem.empty()) return config::Ok{};
  return config::Error::Permanent(
      "", "\"" + Clean(address, 100) +
              "\" is not an email address (local@domain): " + problem);
}

config::Result<std::string> BuildEmail(const Message& message,
                                       const config::EmailSettings& settings,
                                       std::int64_t now) {
  if (message.alerts.empty()) return CannotBuild("the message has no alerts");
  if (settings.to.empty()) return CannotBuild("there are no recipients (to)");
  if (auto from = ValidateEmailAddress(settings.from); !from.ok()) {
    return CannotBuild("the from address " + from.error().what);
  }
  for (const std::string& to : settings.to) {
    if (auto valid = ValidateEmailAddress(to); !valid.ok()) {
      return CannotBuild("the to address " + valid.error().what);
    }
  }
  if (message.id.size() > 200 || !IsDotAtom(message.id)) {
    return CannotBuild("the message id \"" + Clean(message.id, 100) +
                       "\" cannot be the local part of a Message-ID");
  }

  Summary summary;
  summary.search = Clean(message.search_name(), kMaxNameBytes);
  summary.query = Clean(message.alerts.front().content.query, kMaxQueryBytes);
  summary.numbered = message.digest || message.alerts.size() > 1;
  for (const Alert& alert : message.alerts) {
    summary.items.push_back(MakeItem(alert.content));
  }
  const std::size_t count = message.alerts.size();
  if (summary.numbered) {
    const std::string articles =
        std::to_string(count) + (count == 1 ? " new article" : " new articles");
    summary.subject = "[newswatch] " + summary.search + ": " + articles;
    summary.lead = "matched " + articles;
  } else {
    summary.subject =
        "[newswatch] " + summary.search + ": " +
        Clean(message.alerts.front().content.title, kMaxSubjectTitleBytes);
    summary.lead = "matched a new article";
  }

  const std::string domain = settings.from.substr(settings.from.find('@') + 1);
  const std::string boundary = Boundary(message.id);
  std::string out;
  out += "Date: " + FormatRfc5322Date(now) + "\r\n";
  out += "From: newswatch <" + settings.from + ">\r\n";
  std::vector<std::string> recipients;
  for (std::size_t i = 0; i < settings.to.size(); ++i) {
    recipients.push_back(settings.to[i] +
                         (i + 1 < settings.to.size() ? "," : ""));
  }
  AppendFolded(out, "To", recipients);
  AppendTextHeader(out, "Subject", summary.subject);
  out += "Message-ID: <" + message.id + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary +
         "\"\r\n";
  out += "\r\n";
  out += "This is a MIME message: a text and an HTML version.\r\n";
  const std::pair<const char*, std::string> parts[] = {
      {"text/plain", PlainText(summary)}, {"text/html", Html(summary)}};
  for (const auto& [type, body] : parts) {
    out += "\r\n--" + boundary + "\r\n";
    out += std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += QuotedPrintable(body);
  }
  out += "\r\n--" + boundary + "--\r\n";
  return out;
}

}  // namespace newswatch::alerts
