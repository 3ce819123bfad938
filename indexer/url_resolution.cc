#include "indexer/url_resolution.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

// Longer links are dropped rather than cut, since a cut URL is a wrong URL.
constexpr size_t kMaxLinkBytes = 4096;

// The components of a URI reference (RFC 3986 section 3). The views point
// into the string that was split; the path is owned, as resolution rebuilds
// it.
struct UrlParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

bool IsScheme(std::string_view text) {
  if (text.empty() || !IsAsciiAlpha(text[0])) return false;
  for (const char c : text) {
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' &&
        c != '.') {
      return false;
    }
  }
  return true;
}

UrlParts SplitUrl(std::string_view url) {
  UrlParts parts;
  const size_t colon = url.find(':');
  if (colon != std::string_view::npos && colon < url.find_first_of("/?#") &&
      IsScheme(url.substr(0, colon))) {
    parts.scheme = url.substr(0, colon);
    url.remove_prefix(colon + 1);
  }
  if (url.starts_with("//")) {
    url.remove_prefix(2);
    const size_t end = std::min(url.find_first_of("/?#"), url.size());
    parts.authority = url.substr(0, end);
    url.remove_prefix(end);
  }
  if (const size_t hash = url.find('#'); hash != std::string_view::npos) {
    parts.fragment = url.substr(hash + 1);
    url = url.substr(0, hash);
  }
  if (const size_t question = url.find('?');
      question != std::string_view::npos) {
    parts.query = url.substr(question + 1);
    url = url.substr(0, question);
  }
  parts.path = std::string(url);
  return parts;
}

std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  const auto drop_last_segment = [&out] {
    const size_t slash = out.rfind('/');
    out.resize(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      drop_last_segment();
    } else if (in == "/..") {
      in = "/";
      drop_last_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const size_t end = std::min(in.find('/', 1), in.size());
      out += in.substr(0, end);
      in.remove_prefix(end);
    }
  }
  return out;
}

std::string JoinUrl(const UrlParts& parts) {
  std::string url;
  if (parts.scheme) url += std::string(*parts.scheme) + ":";
  if (parts.authority) url += "//" + std::string(*parts.authority);
  url += parts.path;
  if (parts.query) url += "?" + std::string(*parts.query);
  if (parts.fragment) url += "#" + std::string(*parts.fragment);
  return url;
}

// Percent-encodes the bytes that may not appear in a URL as is (space,
// controls, non-ASCII), so that links are always printable ASCII.
std::string EscapeUrlBytes(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string escaped;
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) {
      escaped += '%';
      escaped += kHex[byte >> 4];
      escaped += kHex[byte & 0xF];
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace

std::string ResolveUrl(std::string_view base, std::string_view reference) {
  const UrlParts b = SplitUrl(base);
  UrlParts r = SplitUrl(reference);
  if (!b.scheme) return std::string(reference);
  UrlParts target;
  target.fragment = r.fragment;
  if (r.scheme) {
    target = std::move(r);
    target.path = RemoveDotSegments(target.path);
    return JoinUrl(target);
  }
  target.scheme = b.scheme;
  if (r.authority) {
    target.authority = r.authority;
    target.path = RemoveDotSegments(r.path);
    target.query = r.query;
    return JoinUrl(target);
  }
  target.authority = b.authority;
  if (r.path.empty()) {
    target.path = b.path;
    target.query = r.query ? r.query : b.query;
    return JoinUrl(target);
  }
  if (r.path.front() == '/') {
    target.path = RemoveDotSegments(r.path);
  } else if (b.authority && b.path.empty()) {
    target.path = RemoveDotSegments("/" + r.path);
  } else {
    const size_t slash = b.path.rfind('/');
    const std::string merged =
        (slash == std::string::npos ? "" : b.path.substr(0, slash + 1)) +
        r.path;
    target.path = RemoveDotSegments(merged);
  }
  target.query = r.query;
  return JoinUrl(target);
}

namespace {

// Whether the authority of `url` that starts at `start` (just after "//")
// names a host: not empty once user info ("user@") and port (":8080") are
// taken off. "http://?x", "http://:80/" and "http://@/" name none.
bool HasHost(std::string_view url, size_t start) {
  if (start > url.size()) return false;
  std::string_view authority = url.substr(start);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) return authority.find(']') > 1;  // IPv6.
  return !authority.substr(0, authority.rfind(':')).empty();
}

// Whether ResolveLink would return `reference` as it is: an absolute http(s)
// URL with a host, in printable ASCII, without dot segments to remove. Most
// feed links are; this spares them the split and the join.
bool IsFinishedLink(std::string_view reference) {
  size_t host;
  if (reference.starts_with("https://")) {
    host = 8;
  } else if (reference.starts_with("http://")) {
    host = 7;
  } else {
    return false;
  }
  if (!HasHost(reference, host)) return false;
  for (const char c : reference) {
    if (c <= 0x20 || c >= 0x7F) return false;  // char may be signed.
  }
  const std::string_view before_query =
      reference.substr(0, reference.find_first_of("?#"));
  return before_query.find("/.") == std::string_view::npos;
}

}  // namespace

std::string ResolveLink(std::string_view base, std::string_view reference) {
  reference = TrimAscii(reference);
  if (reference.empty() || reference.size() > kMaxLinkBytes) return "";
  if (IsFinishedLink(reference)) return std::string(reference);
  std::string link = EscapeUrlBytes(ResolveUrl(base, reference));
  const bool http = StartsWithIgnoringCase(link, "http://") ||
                    StartsWithIgnoringCase(link, "https://");
  if (!http || !HasHost(link, link.find("//") + 2) ||
      link.size() > kMaxLinkBytes) {
    return "";
  }
  return link;
}

}  // namespace newswatch::indexer
