#include "indexer/html_text.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

namespace newswatch::indexer {
namespace {

TEST_CASE("HtmlToText decodes HTML entities", "[html_text]") {
  CHECK(HtmlToText("Tom&nbsp;&amp;&nbsp;Jerry&rsquo;s") ==
        "Tom & Jerry\xE2\x80\x99s");
  CHECK(HtmlToText("caf&eacute; &#8220;quoted&#x201D; &lt;tag&gt;") ==
        "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D <tag>");
}

TEST_CASE("HtmlToText drops script, style and head content", "[html_text]") {
  CHECK(HtmlToText("<p>Before<script>var x = '<b>no</b>';</script> after</p>"
                   "<style>p { color: red }</style><noscript>enable JS"
                   "</noscript><template>hidden</template>") == "Before after");
  CHECK(HtmlToText("<html><head><title>Page</title></head>"
                   "<body><h1>Headline</h1></body></html>") == "Headline");
}

TEST_CASE("HtmlToText keeps words of adjacent blocks apart", "[html_text]") {
  CHECK(HtmlToText("<p>one</p><p>two</p><div>three</div>four<br>five") ==
        "one two three four five");
  CHECK(HtmlToText("<ul><li>a</li><li>b</li></ul><table><tr><td>c</td>"
                   "<td>d</td></tr></table><h2>e</h2><blockquote>f"
                   "</blockquote>") == "a b c d e f");
  // Inline elements do not split words.
  CHECK(HtmlToText("un<b>believ</b><i>able</i>") == "unbelievable");
}

TEST_CASE("HtmlToText collapses whitespace and trims", "[html_text]") {
  CHECK(HtmlToText("  <p>\n  Hello,\t\t world  </p>\n") == "Hello, world");
  CHECK(HtmlToText("") == "");
  CHECK(HtmlToText("<p> </p>") == "");
}

TEST_CASE("HtmlToText leaves plain text alone but for whitespace",
          "[html_text]") {
  CHECK(HtmlToText("  plain\n text, \xE2\x80\x9Cquoted\xE2\x80\x9D  ") ==
        "plain text, \xE2\x80\x9Cquoted\xE2\x80\x9D");
  CHECK(HtmlToText("a > b") == "a > b");
}

TEST_CASE("HtmlToText stays fast on hostile nesting", "[html_text]") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "bottom &amp; more<script>hidden()</script>";
  const auto start = std::chrono::steady_clock::now();
  const std::string text = HtmlToText(deep);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(text == "bottom & more");
  // gumbo alone takes minutes on this; the fallback is linear.
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("CollapseWhitespace makes valid one-line UTF-8", "[html_text]") {
  CHECK(CollapseWhitespace("a\r\n\tb\xC2\xA0\xC2\xA0"
                           "c") == "a b c");
  CHECK(CollapseWhitespace("bell\x07 here\x7F") == "bell here");
  CHECK(CollapseWhitespace("bad \xFF byte") == "bad \xEF\xBF\xBD byte");
  CHECK(CollapseWhitespace("cut \xE2\x80") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(CollapseWhitespace("\xF0\x9F\x93\xB0 news") == "\xF0\x9F\x93\xB0 news");
}

}  // namespace
}  // namespace newswatch::indexer
