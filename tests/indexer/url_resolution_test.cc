#include "indexer/url_resolution.h"

#include <catch2/catch.hpp>
#include <string>

namespace newswatch::indexer {
namespace {

struct Example {
  const char* reference;
  const char* resolved;
};

constexpr char kRfcBase[] = "http://a/b/c/d;p?q";

TEST_CASE("ResolveUrl resolves RFC 3986 5.4.1 normal examples", "[url]") {
  constexpr Example kNormal[] = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
  };
  for (const Example& example : kNormal) {
    INFO("reference: \"" << example.reference << "\"");
    CHECK(ResolveUrl(kRfcBase, example.reference) == example.resolved);
  }
}

TEST_CASE("ResolveUrl resolves RFC 3986 5.4.2 abnormal examples", "[url]") {
  constexpr Example kAbnormal[] = {
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},  // Strict parser: the scheme makes it absolute.
  };
  for (const Example& example : kAbnormal) {
    INFO("reference: \"" << example.reference << "\"");
    CHECK(ResolveUrl(kRfcBase, example.reference) == example.resolved);
  }
}

TEST_CASE("ResolveUrl returns the reference when the base has no scheme",
          "[url]") {
  CHECK(ResolveUrl("feeds/world.xml", "../g") == "../g");
  CHECK(ResolveUrl("", "/a/./b") == "/a/./b");
}

TEST_CASE("ResolveLink resolves relative links against an https feed URL",
          "[url]") {
  const std::string feed = "https://news.example.org/feeds/world.xml";
  CHECK(ResolveLink(feed, "../2025/11/story.html") ==
        "https://news.example.org/2025/11/story.html");
  CHECK(ResolveLink(feed, "story?id=7#top") ==
        "https://news.example.org/feeds/story?id=7#top");
  CHECK(ResolveLink(feed, "//cdn.example.org/x") ==
        "https://cdn.example.org/x");
  CHECK(ResolveLink(feed, "HTTP://Other.example/y") ==
        "HTTP://Other.example/y");
}

TEST_CASE("ResolveLink trims, and escapes bytes not allowed in URLs", "[url]") {
  CHECK(ResolveLink("https://a.example/", " \n/caf\xC3\xA9 menu\t") ==
        "https://a.example/caf%C3%A9%20menu");
}

TEST_CASE("ResolveLink keeps only http(s) URLs with a host", "[url]") {
  const std::string feed = "https://news.example.org/feed";
  CHECK(ResolveLink(feed, "javascript:alert(1)").empty());
  CHECK(ResolveLink(feed, "mailto:desk@example.org").empty());
  CHECK(ResolveLink(feed, "data:text/html,hi").empty());
  CHECK(ResolveLink(feed, "http:///path").empty());
  CHECK(ResolveLink(feed, "  ").empty());
  CHECK(ResolveLink("feed", "relative/path").empty());
}

TEST_CASE("ResolveLink drops links longer than 4096 bytes", "[url]") {
  const std::string feed = "https://news.example.org/feed";
  CHECK(ResolveLink(feed, "/" + std::string(4000, 'p')).size() > 4000);
  CHECK(ResolveLink(feed, "/" + std::string(4096, 'p')).empty());
  // The reference fits, but its escaped resolution does not.
  CHECK(ResolveLink(feed, "/" + std::string(2000, ' ') + "x").empty());
}

TEST_CASE("ResolveLink takes absolute links as they are only when finished",
          "[url]") {
  // Absolute links that need nothing done take a shortcut past the split and
  // join; the others must still be resolved, escaped or refused.
  const std::string base = "https://news.example.com/feeds/main.xml";
  const std::pair<std::string, std::string> cases[] = {
      {"https://example.org/a/b?c=d#e", "https://example.org/a/b?c=d#e"},
      {"http://example.org", "http://example.org"},
      {"https://example.org/.well-known/x",
       "https://example.org/.well-known/x"},
      {"https://example.org/a/./b/../c", "https://example.org/a/c"},
      {"https://example.org/a?x=/./y", "https://example.org/a?x=/./y"},
      {"http:///no-host", ""},
      {"http://?x", ""},
      {"http://#top", ""},
      {"http://:8080/p", ""},
      {"http://@/p", ""},
      {"https://user@example.org:8443/p", "https://user@example.org:8443/p"},
      {"http://[::1]:8080/p", "http://[::1]:8080/p"},
      {"http://[]/p", ""},
      {"https://", ""},
      {"HTTPS://Example.org/Path", "HTTPS://Example.org/Path"},
      {"https://example.org/caf\xC3\xA9", "https://example.org/caf%C3%A9"},
      {"https://example.org/a b", "https://example.org/a%20b"},
  };
  for (const auto& [link, expected] : cases) {
    INFO(link);
    CHECK(ResolveLink(base, link) == expected);
  }
}

}  // namespace
}  // namespace newswatch::indexer
