#include "indexer/html_text.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/html_char_refs.h"
#include "indexer/html_fast_text.h"
#include "tests/support/temp_dir.h"

namespace newswatch::indexer {
namespace {

using std::string_view_literals::operator""sv;

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

struct Example {
  std::string_view html;
  std::string_view text;
};

// What the fast path handles, each as gumbo reads it.
constexpr Example kHandled[] = {
    {"<p>The <a href=\"https://x.example/?a=1&amp;b=2\" title=\"a > b\">"
     "minister</a> said <em>on</em> <strong>Tuesday</strong></p>",
     "The minister said on Tuesday"},
    {"<p>one<p>two</p>three<div>four</div>", "one two three four"},
    {"un<b>believ</b><i>able</i><span>!</span>", "unbelievable!"},
    {"a<br>b<br/>c</br>d<hr>e<wbr>f", "a b c d ef"},
    {"<ul><li>a<li>b</ul><ol><li><p>c<li>d</ol>e", "a b c d e"},
    {"<dl><dt>term<dd>definition<dt>other</dl>", "term definition other"},
    {"<h1>a<h2>b</h1>c<p>d<h3>e</h3>", "a b c d e"},
    {"<figure><img src=\"a.jpg\" alt=\"x\"><figcaption>Photo: <cite>AP</cite>"
     "</figcaption></figure><blockquote>q</blockquote>",
     "Photo: AP q"},
    {"<section><article><header>h</header><aside>a</aside><nav>n</nav>"
     "<main>m</main><footer>f</footer><details><summary>s</summary>d"
     "</details></article></section>",
     "h a n m f s d"},
    {"<pre>\ncode  here</pre>x", "code here x"},
    {"a<!-- comment -->b<!---->c<!-- a -- b -->d", "abcd"},
    {"<p>Before<script>var s = '</p><b>no</b>';</script> after"
     "<style>p { color: red }</style><iframe src=v>fallback</iframe>"
     "</p><SCRIPT type=x>if (a<b) f()</SCRIPT >end",
     "Before after end"},
    {"<meta charset=utf-8><link rel=x><style>b{}</style>Lead", "Lead"},
    {"Tom&nbsp;&amp;&nbsp;Jerry&rsquo;s &ldquo;caf&eacute;&rdquo; &lt;&gt; "
     "&quot;&apos; &hellip;&ndash;&mdash;&lsquo;",
     "Tom & Jerry\xE2\x80\x99s \xE2\x80\x9C"
     "caf\xC3\xA9\xE2\x80\x9D <> \"' "
     "\xE2\x80\xA6\xE2\x80\x93\xE2\x80\x94\xE2\x80\x98"},
    {"&#8220;dec&#8221; &#x201C;hex&#X201D; &#150; &#0; &#1;x &#13;y",
     "\xE2\x80\x9C"
     "dec\xE2\x80\x9D \xE2\x80\x9Chex\xE2\x80\x9D \xE2\x80\x93 "
     "\xEF\xBF\xBD x y"},
    {"AT&T, Q&A, a & b, a < b, <3, &", "AT&T, Q&A, a & b, a < b, <3, &"},
    {"<p class=a id=\"b\" data-x='c>d' hidden>attrs</p><div/>div</div>"
     "<span/>span</span>",
     "attrs div span"},
    {"<P>UPPER</P><Em>case</eM>", "UPPER case"},
    {"</div>stray</span> end</li>tags</b>", "stray endtags"},
    {"<div><span>a</div>b</span>", "a b"},
    {"<p>a<picture><source srcset=x><img src=y></picture>b<my-widget x=1>c"
     "</my-widget><image src=z>d</p>",
     "abcd"},
    {"<x-one><div>a</x-two>b</div>c", "ab c"},
    // gumbo 0.10.1 takes every unknown tag for one element: </x-b> closes
    // <x-a> across <main>, which is not special.
    {"<x-a>1<main>2</x-b>3</main>4", "1 2 34"},
    {"<b>bold <span>span</b> after", "bold span after"},
    {"<p>bad \xFF byte, cut \xE2\x82 and \x01 control</p>",
     "bad \xEF\xBF\xBD byte, cut \xEF\xBF\xBD and \xEF\xBF\xBD control"},
};

// What the fast path leaves to gumbo, with the text gumbo gives.
constexpr Example kBailed[] = {
    {"<table><tr><td>a</td><td>b</td></tr></table>c", "a b c"},
    {"<p>a<svg><text>b</text></svg>c", "abc"},
    {"<select><option>a<option>b</select>c", "abc"},
    {"<template>hidden</template>shown", "shown"},
    {"<textarea><b>raw</b></textarea>", "<b>raw</b>"},
    {"<title>Page</title>body", "body"},
    {"<noscript><p>enable JS</p></noscript>text", "enable JS text"},
    {"<xmp><b></xmp>", "<b>"},
    {"<!DOCTYPE html><p>x", "x"},
    {"a<![CDATA[b]]>c", "ac"},
    {"a<?php b ?>c", "ac"},
    {"a<!-->b", "ab"},
    {"a<!-- x --!>b", "ab"},
    {"a<!-- open", "a"},
    {"&notit; &amp &copy 2024",
     "\xC2\xAC"
     "it; & \xC2\xA9 2024"},
    {"&ampersand;", "&ersand;"},
    {"&zwnj;&NotEqualTilde;x", "\xE2\x80\x8C\xE2\x89\x82\xCC\xB8x"},
    {"&#65 &#x42", "A B"},
    {"<p><b>bold</p>more", "bold more"},
    {"<b>1<div>2</b>3</div>", "1 23"},
    {"<a href=1>one<a href=2>two</a>", "onetwo"},
    {"<script><!--<script>a</script>b</script>c", "c"},
    {"<html><body><p>x</p></body></html>", "x"},
    {"a\0b"sv, "ab"},
    {"<p>cut off <a href=\"x", "cut off"},
};

TEST_CASE("FastHtmlToText handles common news HTML exactly as gumbo",
          "[html_text]") {
  for (const Example& example : kHandled) {
    INFO(example.html);
    const std::optional<std::string> fast = FastHtmlToText(example.html);
    REQUIRE(fast);
    CHECK(*fast == example.text);
    CHECK(HtmlToTextWithGumbo(example.html) == example.text);
    CHECK(HtmlToText(example.html) == example.text);
  }
}

TEST_CASE("FastHtmlToText leaves the rest of HTML5 to gumbo", "[html_text]") {
  for (const Example& example : kBailed) {
    INFO(example.html);
    CHECK_FALSE(FastHtmlToText(example.html));
    CHECK(HtmlToText(example.html) == example.text);
  }
}

TEST_CASE("FastHtmlToText decodes every named reference it knows as gumbo",
          "[html_text]") {
  for (const NamedCharRef& ref : AllNamedCharRefs()) {
    const std::string html = "a&" + std::string(ref.name) + ";b";
    INFO(html);
    const std::optional<std::string> fast = FastHtmlToText(html);
    REQUIRE(fast);
    CHECK(*fast == HtmlToTextWithGumbo(html));
  }
  // Without the ';', only names that no legacy name starts are literal.
  for (const std::string_view letters : {"T", "A", "Tuesday", "b2", "x1"}) {
    const std::string html = "a&" + std::string(letters) + " b";
    CHECK(FastHtmlToText(html) == HtmlToTextWithGumbo(html));
  }
}

TEST_CASE("FastHtmlToText follows gumbo on numeric references", "[html_text]") {
  std::vector<std::uint32_t> values;
  for (std::uint32_t value = 0; value < 0x3000; ++value)
    values.push_back(value);
  for (std::uint32_t plane = 0; plane <= 0x10; ++plane) {
    for (std::uint32_t low : {0x0000u, 0xFFFDu, 0xFFFEu, 0xFFFFu}) {
      values.push_back(plane << 16 | low);
    }
  }
  for (std::uint32_t value = 0xD7FE; value <= 0xE001; ++value) {
    values.push_back(value);
  }
  for (std::uint32_t value = 0xFDCE; value <= 0xFDF1; ++value) {
    values.push_back(value);
  }
  for (const std::uint32_t value : values) {
    const std::string html = "a&#" + std::to_string(value) + ";b";
    INFO(html);
    const std::optional<std::string> fast = FastHtmlToText(html);
    REQUIRE(fast);
    CHECK(*fast == HtmlToTextWithGumbo(html));
  }
  CHECK_FALSE(FastHtmlToText("&#1114112;"));  // Past U+10FFFF.
  CHECK(HtmlToText("&#1114112;") == "\xEF\xBF\xBD");
}

TEST_CASE("FastHtmlToText reads raw bytes as gumbo", "[html_text]") {
  // Every byte alone, and every byte from 0xC0 (lead bytes and invalid ones)
  // before every byte: controls, whitespace, and valid, invalid and truncated
  // UTF-8. Only NUL and a '<' that may open a tag are left to gumbo.
  for (int first = 1; first < 256; ++first) {
    for (int second = first >= 0xC0 ? 0 : 256; second < 257; ++second) {
      std::string html = "<p>a";
      html += static_cast<char>(first);
      if (second < 256) html += static_cast<char>(second);
      html += "b";
      INFO(first << " " << second);
      const std::optional<std::string> fast = FastHtmlToText(html);
      if (fast) CHECK(*fast == HtmlToTextWithGumbo(html));
      CHECK((fast.has_value() || second == 0 || first == '<' || second == '<'));
    }
  }
}

TEST_CASE("HtmlToText gives gumbo's text for every item of the news corpus",
          "[html_text]") {
  const std::filesystem::path corpus(
      NEWSWATCH_SOURCE_DIR "/../shared/corpora/realworld-news/benchmark_data");
  if (!std::filesystem::is_directory(corpus)) {
    WARN("skipped: " << corpus.string() << " is absent");
    return;
  }
  size_t items = 0;
  size_t handled_items = 0;
  size_t bytes = 0;
  size_t handled_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    const std::string body = newswatch::testing::ReadFile(entry.path());
    pugi::xml_document document;
    document.load_buffer(body.data(), body.size());
    // RSS and RDF descriptions and content:encoded, Atom's HTML content.
    for (const pugi::xpath_node& found : document.select_nodes(
             "//*[local-name()='description' or name()='content:encoded' or "
             "((local-name()='content' or local-name()='summary') and "
             "@type='html')]")) {
      std::string html;
      for (const pugi::xml_node child : found.node().children()) {
        if (child.type() == pugi::node_pcdata ||
            child.type() == pugi::node_cdata) {
          html += child.value();
        }
      }
      if (html.empty()) continue;
      ++items;
      bytes += html.size();
      const std::optional<std::string> fast = FastHtmlToText(html);
      if (!fast) continue;
      ++handled_items;
      handled_bytes += html.size();
      INFO(entry.path().filename().string() << ": " << html);
      CHECK(*fast == HtmlToTextWithGumbo(html));
    }
  }
  WARN("fast path handled " << handled_items << "/" << items << " items, "
                            << handled_bytes << "/" << bytes << " bytes");
  REQUIRE(items > 0);
  // Guards the fast path's reach: news HTML must not drift to gumbo.
  CHECK(handled_bytes * 10 >= bytes * 9);
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
