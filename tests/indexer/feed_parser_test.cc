#include "indexer/feed_parser.h"

#include <catch2/catch.hpp>
#include <string>

namespace newswatch::indexer {
namespace {

const FeedSource kSource{"https://news.example.com/feeds/main.xml", "Example"};
constexpr std::int64_t kNow = 1800000000;

ParsedFeed MustParse(std::string_view body, const ParseLimits& limits = {}) {
  config::Result<ParsedFeed> result = ParseFeed(body, kSource, kNow, limits);
  if (!result.ok()) FAIL(result.error().ToString());
  return std::move(result).value();
}

std::string ErrorOf(std::string_view body) {
  const config::Result<ParsedFeed> result = ParseFeed(body, kSource, kNow);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == config::ErrorKind::kPermanent);
  CHECK(result.error().where == kSource.url);
  return result.error().what;
}

// An RSS 2.0 document around `items`.
std::string Rss(const std::string& items) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example News</title><link>https://news.example.com/</link>
)" + items +
         "</channel></rss>";
}

TEST_CASE("ParseFeed reads RSS 2.0 items", "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(R"(
    <item>
      <title>Storm  hits
        coast</title>
      <link>https://news.example.com/2025/storm</link>
      <guid isPermaLink="true">https://news.example.com/2025/storm</guid>
      <author>desk@example.com (Jane Roe)</author>
      <description>&lt;p&gt;Winds of &lt;b&gt;120&lt;/b&gt; km/h.&lt;/p&gt;&lt;p&gt;More soon.&lt;/p&gt;</description>
      <category>Weather</category>
      <category> Coast </category>
      <dc:subject>Weather</dc:subject>
      <pubDate>Sun, 23 Nov 2025 10:15:00 GMT</pubDate>
    </item>
    <item><title>Second</title><link>/2025/second</link></item>)"));
  CHECK(feed.title == "Example News");
  CHECK(feed.warnings.empty());
  REQUIRE(feed.articles.size() == 2);
  const Article& a = feed.articles[0];
  CHECK(a.title == "Storm hits coast");
  CHECK(a.link == "https://news.example.com/2025/storm");
  CHECK(a.id == "https://news.example.com/2025/storm");
  CHECK(a.author == "desk@example.com (Jane Roe)");
  CHECK(a.text == "Winds of 120 km/h. More soon.");
  CHECK(a.categories == std::vector<std::string>{"Weather", "Coast"});
  CHECK(a.published == 1763892900);
  CHECK_FALSE(a.published_is_fallback);
  CHECK(a.feed_url == kSource.url);
  CHECK(a.feed_name == "Example");
  // A relative link resolves against the feed URL.
  CHECK(feed.articles[1].link == "https://news.example.com/2025/second");
}

TEST_CASE("ParseFeed prefers content:encoded and reads dc fields",
          "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(R"(
    <item>
      <title>T</title>
      <description>Short summary</description>
      <content:encoded><![CDATA[<p>The <em>full</em> story.</p>]]></content:encoded>
      <dc:creator>Jane Roe</dc:creator>
      <dc:date>2025-11-23T10:15:00Z</dc:date>
    </item>)"));
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].text == "The full story.");
  CHECK(feed.articles[0].author == "Jane Roe");
  CHECK(feed.articles[0].published == 1763892900);
}

TEST_CASE("ParseFeed matches namespaces, not prefixes", "[feed_parser]") {
  const ParsedFeed feed = MustParse(R"(<rss version="2.0"
      xmlns:c="http://purl.org/rss/1.0/modules/content/"
      xmlns:media="http://search.yahoo.com/mrss/">
    <channel><item>
      <media:title>Not the title</media:title>
      <title>The title</title>
      <c:encoded>Body via another prefix</c:encoded>
      <dc:creator>Undeclared prefix still read</dc:creator>
    </item></channel></rss>)");
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title == "The title");
  CHECK(feed.articles[0].text == "Body via another prefix");
  CHECK(feed.articles[0].author == "Undeclared prefix still read");
}

TEST_CASE("ParseFeed reads Atom 1.0 entries", "[feed_parser]") {
  const ParsedFeed feed = MustParse(R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Example &amp;amp; Co</title>
  <author><name>Feed Author</name></author>
  <entry>
    <title type="html">Rates &lt;em&gt;rise&lt;/em&gt; again</title>
    <link rel="self" href="https://news.example.com/self/1"/>
    <link rel="enclosure" href="https://cdn.example.com/a.mp3"/>
    <link rel="alternate" type="text/html" href="../articles/rates"/>
    <id>tag:example.com,2025:rates</id>
    <published>2025-11-23T10:15:00Z</published>
    <updated>2025-11-24T00:00:00Z</updated>
    <author><name>Jane Roe</name></author>
    <category term="economy" label="Economy"/>
    <summary>Short</summary>
    <content type="html">&lt;p&gt;Rates rose&lt;/p&gt;&lt;p&gt;again.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain &lt;not a tag&gt;</title>
    <link href="https://news.example.com/articles/two"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-11-23T09:00:00+01:00</updated>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two</p></div></summary>
  </entry>
</feed>)");
  CHECK(feed.title == "Example & Co");
  REQUIRE(feed.articles.size() == 2);
  const Article& a = feed.articles[0];
  CHECK(a.title == "Rates rise again");
  CHECK(a.link == "https://news.example.com/articles/rates");
  CHECK(a.id == "tag:example.com,2025:rates");
  CHECK(a.published == 1763892900);
  CHECK(a.author == "Jane Roe");
  CHECK(a.categories == std::vector<std::string>{"economy"});
  CHECK(a.text == "Rates rose again.");
  const Article& b = feed.articles[1];
  CHECK(b.title == "Plain <not a tag>");
  CHECK(b.link == "https://news.example.com/articles/two");
  CHECK(b.id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
  // No published: updated, 08:00Z.
  CHECK(b.published == 1763892900 - (2 * 3600 + 15 * 60));
  CHECK(b.author == "Feed Author");  // Inherited from the feed.
  CHECK(b.text == "One Two");
}

TEST_CASE("ParseFeed reads prefixed Atom and honours xml:base",
          "[feed_parser]") {
  const ParsedFeed feed = MustParse(R"(<a:feed
      xmlns:a="http://www.w3.org/2005/Atom" xml:base="https://other.example.org/blog/">
    <a:entry xml:base="posts/">
      <a:title>Based</a:title>
      <a:link href="first.html"/>
      <a:id>1</a:id>
    </a:entry>
  </a:feed>)");
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title == "Based");
  CHECK(feed.articles[0].link ==
        "https://other.example.org/blog/posts/first.html");
  // "1" is not globally unique: scoped to the feed.
  CHECK(feed.articles[0].id == kSource.url + "#1");
}

TEST_CASE("ParseFeed reads RSS 1.0 (RDF)", "[feed_parser]") {
  const ParsedFeed feed = MustParse(R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example.com/">
    <title>RDF News</title>
    <items><rdf:Seq><rdf:li resource="https://news.example.com/r/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://news.example.com/r/1">
    <title>First RDF item</title>
    <link>https://news.example.com/r/1</link>
    <description>Body one</description>
    <dc:creator>Jane Roe</dc:creator>
    <dc:date>2025-11-23T11:15:00+01:00</dc:date>
    <dc:subject>Politics</dc:subject>
  </item>
</rdf:RDF>)");
  CHECK(feed.title == "RDF News");
  REQUIRE(feed.articles.size() == 1);
  const Article& a = feed.articles[0];
  CHECK(a.title == "First RDF item");
  CHECK(a.link == "https://news.example.com/r/1");
  CHECK(a.id == "https://news.example.com/r/1");
  CHECK(a.text == "Body one");
  CHECK(a.author == "Jane Roe");
  CHECK(a.published == 1763892900);
  CHECK(a.categories == std::vector<std::string>{"Politics"});
}

TEST_CASE("ParseFeed ids: global guids as they are, others feed-scoped",
          "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(R"(
    <item><title>a</title><guid>https://x.example/1</guid></item>
    <item><title>b</title><guid>tag:x.example,2025:2</guid></item>
    <item><title>c</title><guid>URN:ISBN:0451450523</guid></item>
    <item><title>d</title><guid isPermaLink="false">12345</guid>
          <link>https://news.example.com/d</link></item>)"));
  REQUIRE(feed.articles.size() == 4);
  CHECK(feed.articles[0].id == "https://x.example/1");
  // A URL guid doubles as the link when there is none.
  CHECK(feed.articles[0].link == "https://x.example/1");
  CHECK(feed.articles[1].id == "tag:x.example,2025:2");
  CHECK(feed.articles[2].id == "URN:ISBN:0451450523");
  CHECK(feed.articles[3].id == kSource.url + "#12345");
  CHECK(feed.articles[3].link == "https://news.example.com/d");
}

TEST_CASE("ParseFeed ids: the link when there is no guid", "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(
      "<item><title>a</title><link>https://news.example.com/a</link></item>"));
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].id == "https://news.example.com/a");
}

TEST_CASE("ParseFeed ids: a stable hash without guid or link",
          "[feed_parser]") {
  const std::string body = Rss(R"(
    <item><title>Only a title</title><pubDate>Sun, 23 Nov 2025 10:15:00 GMT</pubDate></item>
    <item><title>Another title</title><pubDate>Sun, 23 Nov 2025 10:15:00 GMT</pubDate></item>)");
  const ParsedFeed first = MustParse(body);
  const ParsedFeed again = MustParse(body);
  REQUIRE(first.articles.size() == 2);
  const std::string& id = first.articles[0].id;
  const std::string prefix = kSource.url + "#";
  REQUIRE(id.size() == prefix.size() + 16);
  CHECK(id.substr(0, prefix.size()) == prefix);
  CHECK(id.find_first_not_of("0123456789abcdef", prefix.size()) ==
        std::string::npos);
  CHECK(first.articles[0].link.empty());
  CHECK(again.articles[0].id == id);
  CHECK(first.articles[1].id != id);
}

TEST_CASE("ParseFeed keeps distinct items that share a guid apart",
          "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(R"(
    <item><title>One</title><guid>same</guid><link>https://news.example.com/1</link></item>
    <item><title>Two</title><guid>same</guid><link>https://news.example.com/2</link></item>
    <item><title>Three</title><guid>same</guid></item>
    <item><title>One</title><guid>same</guid><link>https://news.example.com/1</link></item>)"));
  REQUIRE(feed.articles.size() == 3);
  const std::string id = kSource.url + "#same";
  CHECK(feed.articles[0].id == id);
  CHECK(feed.articles[1].id == id + "#https://news.example.com/2");
  CHECK(feed.articles[2].id.substr(0, id.size() + 1) == id + "#");
  CHECK(feed.articles[2].id != feed.articles[0].id);
  CHECK(feed.articles[2].id != feed.articles[1].id);
  // The fourth repeats the first entirely: dropped, with a note.
  REQUIRE(feed.warnings.size() == 1);
  CHECK(feed.warnings[0].find("dropped item 4") != std::string::npos);
}

TEST_CASE("ParseFeed dates undated items with now", "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(R"(
    <item><title>No date</title><link>https://news.example.com/1</link></item>
    <item><title>Bad date</title><link>https://news.example.com/2</link>
          <pubDate>the day after tomorrow</pubDate></item>)"));
  REQUIRE(feed.articles.size() == 2);
  for (const Article& article : feed.articles) {
    CHECK(article.published == kNow);
    CHECK(article.published_is_fallback);
  }
}

TEST_CASE("ParseFeed rejects an HTML page", "[feed_parser]") {
  CHECK(ErrorOf("\n  <!DOCTYPE html><html><head><title>Oops</title></head>"
                "<body>Not found</body></html>") ==
        "not a feed: looks like HTML");
  CHECK(ErrorOf("<HTML><body>x</body></HTML>") ==
        "not a feed: looks like HTML");
  CHECK(ErrorOf("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/"
                "xhtml\"><body/></html>") == "not a feed: looks like HTML");
}

TEST_CASE("ParseFeed rejects an empty body", "[feed_parser]") {
  CHECK(ErrorOf("") == "empty body");
  CHECK(ErrorOf(" \r\n\t ") == "empty body");
  CHECK(ErrorOf("\xEF\xBB\xBF  ") == "empty body");
}

TEST_CASE("ParseFeed rejects what is not XML or not a feed", "[feed_parser]") {
  CHECK(ErrorOf("{\"version\": \"https://jsonfeed.org/version/1\"")
            .starts_with("not JSON: "));
  CHECK(ErrorOf("<!-- no element -->").starts_with("not XML: "));
  const std::string broken = ErrorOf("<rss><channel><title>x</wrong>");
  CHECK(broken.starts_with("not XML: "));
  CHECK(broken.find(" at offset ") != std::string::npos);
  CHECK(ErrorOf("<?xml version=\"1.0\"?><opml version=\"2.0\"/>") ==
        "not a feed: root element <opml>");
}

TEST_CASE("ParseFeed keeps the items before a break in the XML",
          "[feed_parser]") {
  const std::string whole = Rss(R"(
    <item><title>First</title><link>https://news.example.com/1</link></item>
    <item><title>Second</title><link>https://news.example.com/2</link></item>)");
  // Cut in the middle of a third item.
  const std::string cut = whole.substr(0, whole.find("</channel>")) +
                          "<item><title>Third</title><link>https://news.exa";
  const ParsedFeed feed = MustParse(cut);
  REQUIRE(feed.articles.size() == 2);
  CHECK(feed.articles[0].title == "First");
  CHECK(feed.articles[1].title == "Second");
  REQUIRE(feed.warnings.size() == 1);
  CHECK(feed.warnings[0].starts_with("XML breaks at offset "));
  CHECK(feed.warnings[0].find("kept 2 items before it") != std::string::npos);

  // Cut right after an item: that item is whole and kept.
  const std::string after_item = whole.substr(0, whole.find("</channel>"));
  CHECK(MustParse(after_item).articles.size() == 2);
  // Cut inside the second item's end tag: only the first is whole.
  const std::string in_end_tag = whole.substr(0, whole.rfind("</item>") + 6);
  CHECK(MustParse(in_end_tag).articles.size() == 1);
  // Cut inside the first item: nothing to keep.
  CHECK(ErrorOf(whole.substr(0, whole.find("</title>")))
            .starts_with("not XML: "));
}

TEST_CASE("ParseFeed preserves UTF-8 and curly quotes", "[feed_parser]") {
  const ParsedFeed feed =
      MustParse("\xEF\xBB\xBF" +
                Rss("<item><title>\xE2\x80\x9C"
                    "Caf\xC3\xA9\xE2\x80\x9D s\xC3\xBC\xC3\x9F "
                    "\xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC</title>"
                    "<description>It\xE2\x80\x99s fine</description></item>"));
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title ==
        "\xE2\x80\x9C"
        "Caf\xC3\xA9\xE2\x80\x9D s\xC3\xBC\xC3\x9F \xE2\x80\x94 "
        "\xE6\x97\xA5\xE6\x9C\xAC");
  CHECK(feed.articles[0].text == "It\xE2\x80\x99s fine");
}

TEST_CASE("ParseFeed decodes HTML entities in text and titles",
          "[feed_parser]") {
  const ParsedFeed feed = MustParse(Rss(R"(
    <item>
      <title>Tom &amp;amp; Jerry&amp;rsquo;s</title>
      <description>&lt;p&gt;A&amp;nbsp;B &amp;amp; C&amp;rsquo;s&lt;/p&gt;</description>
    </item>
    <item>
      <title>Q&amp;A: x&lt;y</title>
      <description><![CDATA[<p>One &amp; two&nbsp;&lsquo;three&rsquo;</p><script>evil()</script><style>p{}</style>]]></description>
    </item>)"));
  REQUIRE(feed.articles.size() == 2);
  CHECK(feed.articles[0].title == "Tom & Jerry\xE2\x80\x99s");
  CHECK(feed.articles[0].text == "A B & C\xE2\x80\x99s");
  CHECK(feed.articles[1].title == "Q&A: x<y");
  CHECK(feed.articles[1].text == "One & two \xE2\x80\x98three\xE2\x80\x99");
}

TEST_CASE("ParseFeed reads declared single-byte encodings", "[feed_parser]") {
  const ParsedFeed feed = MustParse(
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item>"
      "<title>Caf\xE9 \x93quoted\x94</title></item></channel></rss>");
  REQUIRE(feed.articles.size() == 1);
  // windows-1252 curly quotes, as browsers read Latin-1 labels.
  CHECK(feed.articles[0].title == "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
}

TEST_CASE("ParseFeed reads UTF-16 with a byte order mark", "[feed_parser]") {
  const std::string utf8 =
      "<rss><channel><item><title>Caf\xC3\xA9</title></item></channel></rss>";
  std::string utf16 = "\xFF\xFE";  // Little-endian; all of utf8 is in the BMP.
  for (size_t i = 0; i < utf8.size(); ++i) {
    if (utf8.compare(i, 2, "\xC3\xA9") == 0) {
      utf16 += std::string("\xE9\x00", 2);
      ++i;
    } else {
      utf16 += utf8[i];
      utf16 += '\0';
    }
  }
  const ParsedFeed feed = MustParse(utf16);
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title == "Caf\xC3\xA9");
}

TEST_CASE("ParseFeed drops links that are not http(s)", "[feed_parser]") {
  const ParsedFeed feed = MustParse(
      Rss("<item><title>x</title><link>javascript:alert(1)</link></item>"));
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].link.empty());
}

TEST_CASE("ParseFeed applies its limits", "[feed_parser]") {
  std::string items;
  for (int i = 0; i < 5; ++i) {
    items += "<item><title>\xC3\xA9\xC3\xA9\xC3\xA9 " + std::to_string(i) +
             "</title><link>https://news.example.com/" + std::to_string(i) +
             "</link><description>0123456789</description></item>";
  }
  ParseLimits limits;
  limits.max_items = 3;
  limits.max_title_bytes = 5;  // Inside the third two-byte character.
  limits.max_text_bytes = 4;
  const ParsedFeed feed = MustParse(Rss(items), limits);
  REQUIRE(feed.articles.size() == 3);
  CHECK(feed.articles[0].title == "\xC3\xA9\xC3\xA9");
  CHECK(feed.articles[0].text == "0123");
  REQUIRE(feed.warnings.size() == 1);
  CHECK(feed.warnings[0].find("kept the first 3") != std::string::npos);
}

}  // namespace
}  // namespace newswatch::indexer

namespace newswatch::indexer {
namespace {

TEST_CASE("ParseFeed reads how often the feed says it changes",
          "[feed_parser]") {
  CHECK(MustParse(Rss("<ttl>60</ttl><item><title>A</title></item>"))
            .refresh_seconds == 3600);
  CHECK(MustParse(Rss("<ttl> 5 </ttl>")).refresh_seconds == 300);
  CHECK(MustParse(Rss("<item><title>A</title></item>")).refresh_seconds == 0);
  CHECK(MustParse(Rss("<ttl>soon</ttl>")).refresh_seconds == 0);
  CHECK(MustParse(Rss("<ttl>-5</ttl>")).refresh_seconds == 0);
  CHECK(MustParse(Rss("<ttl>99999999999999</ttl>")).refresh_seconds == 0);

  const std::string rdf = R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/"
         xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="https://news.example.com/"><title>T</title>
  <sy:updatePeriod>daily</sy:updatePeriod>
  <sy:updateFrequency>4</sy:updateFrequency>
</channel>
<item rdf:about="https://news.example.com/a"><title>A</title>
  <link>https://news.example.com/a</link></item>
</rdf:RDF>)";
  CHECK(MustParse(rdf).refresh_seconds == 6 * 3600);

  // RSS 2.0 with the syndication module; no frequency means once per period.
  const std::string hourly =
      R"(<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>T</title><sy:updatePeriod> Hourly </sy:updatePeriod></channel></rss>)";
  CHECK(MustParse(hourly).refresh_seconds == 3600);
  const std::string bogus =
      R"(<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>T</title><sy:updatePeriod>fortnightly</sy:updatePeriod></channel></rss>)";
  CHECK(MustParse(bogus).refresh_seconds == 0);
  // <ttl> wins over the syndication module when both are there.
  const std::string both =
      R"(<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>T</title><ttl>30</ttl><sy:updatePeriod>daily</sy:updatePeriod></channel></rss>)";
  CHECK(MustParse(both).refresh_seconds == 1800);
}

TEST_CASE("ParseFeed hands JSON to the JSON Feed parser", "[feed_parser]") {
  // Behind a byte order mark and whitespace, and declared windows-1252
  // bytes repaired on the way.
  const ParsedFeed feed = MustParse(
      "\xEF\xBB\xBF \n{\"version\": \"https://jsonfeed.org/version/1.1\","
      "\"title\": \"J\", \"language\": \"en-GB\", \"items\": ["
      "{\"id\": \"1\", \"url\": \"/a\", \"title\": \"caf\xE9\"}]}");
  CHECK(feed.title == "J");
  CHECK(feed.language == "en-gb");
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title == "caf\xC3\xA9");
  CHECK(feed.articles[0].link == "https://news.example.com/a");
  CHECK(feed.articles[0].language == "en-gb");
  CHECK(feed.warnings == std::vector<std::string>{
                             "invalid UTF-8: read 1 byte(s) as windows-1252"});
}

TEST_CASE("ParseFeed reads every RSS version's channel and items",
          "[feed_parser]") {
  for (const char* version : {"0.91", "0.92", "0.93", "0.94", "2.0"}) {
    INFO("version " << version);
    const ParsedFeed feed = MustParse(
        std::string("<rss version=\"") + version +
        R"("><channel><title>T</title><link>https://example.org/</link>
        <language>en-US</language>
        <item><title>One</title><link>https://example.org/1</link>
        <description>Body</description></item></channel></rss>)");
    CHECK(feed.title == "T");
    CHECK(feed.link == "https://example.org/");
    CHECK(feed.language == "en-us");
    REQUIRE(feed.articles.size() == 1);
    CHECK(feed.articles[0].title == "One");
    CHECK(feed.articles[0].text == "Body");
    CHECK(feed.articles[0].language == "en-us");
  }
  // RSS 0.90: RDF with Netscape's namespace.
  const ParsedFeed old = MustParse(R"(<rdf:RDF
      xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://my.netscape.com/rdf/simple/0.9/">
    <channel><title>Old</title><link>https://example.org/</link></channel>
    <item><title>First</title><link>https://example.org/first</link></item>
    </rdf:RDF>)");
  CHECK(old.title == "Old");
  REQUIRE(old.articles.size() == 1);
  CHECK(old.articles[0].link == "https://example.org/first");
}

TEST_CASE("ParseFeed falls back on Media RSS, iTunes and enclosures",
          "[feed_parser]") {
  const ParsedFeed feed = MustParse(R"(<rss version="2.0"
      xmlns:media="http://search.yahoo.com/mrss/"
      xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
      xmlns:dcterms="http://purl.org/dc/terms/"
      xmlns:a10="http://www.w3.org/2005/Atom"><channel>
    <item>
      <media:group>
        <media:title>Video title</media:title>
        <media:description type="html">&lt;p&gt;Video &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</media:description>
        <media:category>Clips</media:category>
      </media:group>
      <a10:link rel="alternate" href="https://video.example.org/v/1"/>
      <dcterms:modified>2025-11-23T10:15:00Z</dcterms:modified>
    </item>
    <item>
      <title>Episode 12</title>
      <itunes:summary>What the episode is about.</itunes:summary>
      <itunes:author>Pod Host</itunes:author>
      <enclosure url="https://cdn.example.org/ep12.mp3" type="audio/mpeg"
                 length="1"/>
    </item></channel></rss>)");
  REQUIRE(feed.articles.size() == 2);
  const Article& video = feed.articles[0];
  CHECK(video.title == "Video title");
  CHECK(video.text == "Video text");
  CHECK(video.link == "https://video.example.org/v/1");
  CHECK(video.categories == std::vector<std::string>{"Clips"});
  CHECK(video.published == 1763892900);
  CHECK_FALSE(video.published_is_fallback);
  const Article& episode = feed.articles[1];
  CHECK(episode.text == "What the episode is about.");
  CHECK(episode.author == "Pod Host");
  CHECK(episode.link == "https://cdn.example.org/ep12.mp3");
}

TEST_CASE("ParseFeed gives each article its language", "[feed_parser]") {
  SECTION("RSS: the item's dc:language, else the channel's") {
    const ParsedFeed feed = MustParse(Rss(R"(
      <item><title>A</title><link>https://e.org/a</link></item>
      <item><title>B</title><link>https://e.org/b</link>
        <dc:language>fr_CA</dc:language></item>)"));
    CHECK(feed.language.empty());
    REQUIRE(feed.articles.size() == 2);
    CHECK(feed.articles[0].language.empty());
    CHECK(feed.articles[1].language == "fr-ca");
  }
  SECTION("a value that is no language tag falls through to the next") {
    const ParsedFeed feed = MustParse(R"(<rss version="2.0"
        xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="pt-BR"><channel>
      <language>English (US)</language>
      <item><title>A</title><link>https://e.org/a</link>
        <dc:language>en, fr</dc:language></item></channel></rss>)");
    CHECK(feed.language == "pt-br");
    REQUIRE(feed.articles.size() == 1);
    CHECK(feed.articles[0].language == "pt-br");
  }
  SECTION("Atom: xml:lang inherited, the content's own winning") {
    const ParsedFeed feed =
        MustParse(R"(<feed xmlns="http://www.w3.org/2005/Atom"
        xml:lang="de"><title>F</title>
      <entry><id>tag:e.org,2025:1</id><title>Eins</title>
        <content>Text</content></entry>
      <entry xml:lang="en"><id>tag:e.org,2025:2</id><title>Two</title>
        <summary>Text</summary></entry>
      <entry><id>tag:e.org,2025:3</id><title>Tres</title>
        <content xml:lang="es">Texto</content></entry>
      <entry><id>tag:e.org,2025:4</id><title>Bad</title>
        <content xml:lang="not a tag!">x</content></entry></feed>)");
    CHECK(feed.language == "de");
    REQUIRE(feed.articles.size() == 4);
    CHECK(feed.articles[0].language == "de");
    CHECK(feed.articles[1].language == "en");
    CHECK(feed.articles[2].language == "es");
    CHECK(feed.articles[3].language == "de");  // Not a tag: the feed's.
  }
}

TEST_CASE("ParseFeed resolves links against xml:base, else the fetched URL",
          "[feed_parser]") {
  const std::string body = R"(<feed xmlns="http://www.w3.org/2005/Atom"
      xml:base="https://mirror.example.net/blog/">
    <title>F</title><link href="./"/>
    <entry><id>tag:e.org,2025:1</id><title>A</title>
      <link href="posts/a.html"/></entry>
    <entry xml:base="/other/"><id>tag:e.org,2025:2</id><title>B</title>
      <link rel="alternate" href="b.html"/>
      <link rel="enclosure" href="b.mp3"/></entry></feed>)";
  const ParsedFeed feed = MustParse(body);
  CHECK(feed.link == "https://mirror.example.net/blog/");
  REQUIRE(feed.articles.size() == 2);
  CHECK(feed.articles[0].link ==
        "https://mirror.example.net/blog/posts/a.html");
  CHECK(feed.articles[1].link == "https://mirror.example.net/other/b.html");

  // Without xml:base, relative links are relative to where the feed was
  // fetched from after redirects, not to the configured URL.
  FeedSource moved = kSource;
  moved.base_url = "https://new.example.com/rss/feed.xml";
  const auto parsed = ParseFeed(
      Rss("<item><title>R</title><link>../story/1</link></item>"), moved, kNow);
  REQUIRE(parsed.ok());
  REQUIRE(parsed.value().articles.size() == 1);
  CHECK(parsed.value().articles[0].link == "https://new.example.com/story/1");
  CHECK(parsed.value().articles[0].feed_url == kSource.url);
}

TEST_CASE("ParseFeed takes the encoding from the HTTP Content-Type",
          "[feed_parser]") {
  FeedSource source = kSource;
  source.content_type = "application/rss+xml; charset=windows-1251";
  // "Мир" in windows-1251, in a document that declares nothing.
  const auto parsed = ParseFeed(
      "<rss><channel><item><title>\xCC\xE8\xF0</title>"
      "<link>https://e.org/1</link></item></channel></rss>",
      source, kNow);
  REQUIRE(parsed.ok());
  REQUIRE(parsed.value().articles.size() == 1);
  CHECK(parsed.value().articles[0].title == "\xD0\x9C\xD0\xB8\xD1\x80");
}

TEST_CASE("ParseFeed repairs windows-1252 bytes in a UTF-8 feed",
          "[feed_parser]") {
  const ParsedFeed feed =
      MustParse(Rss("<item><title>\x93Quoted\x94 caf\xC3\xA9</title>"
                    "<link>https://e.org/1</link></item>"));
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title == "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9");
  CHECK(feed.warnings == std::vector<std::string>{
                             "invalid UTF-8: read 2 byte(s) as windows-1252"});
}

TEST_CASE("ParseFeed unescapes twice-escaped markup and Atom 0.3 modes",
          "[feed_parser]") {
  const ParsedFeed rss = MustParse(
      Rss("<item><title>T</title><link>https://e.org/1</link><description>"
          "&amp;lt;p&amp;gt;Hello &amp;amp;amp; bye&amp;lt;/p&amp;gt;"
          "</description></item>"));
  REQUIRE(rss.articles.size() == 1);
  CHECK(rss.articles[0].text == "Hello & bye");

  const ParsedFeed atom03 = MustParse(R"(<feed version="0.3"
      xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
    <entry><title>E</title><id>tag:e.org,2004:1</id>
      <issued>2004-01-02T03:04:05Z</issued>
      <content type="text/html" mode="escaped">&lt;p&gt;Escaped &lt;i&gt;html&lt;/i&gt;&lt;/p&gt;</content>
    </entry>
    <entry><title>B</title><id>tag:e.org,2004:2</id>
      <content type="text/plain" mode="base64">SGVs
        bG8=</content></entry>
    <entry><title>D</title><id>tag:e.org,2004:4</id>
      <content type="text/plain" mode="base64">SGVs-bG8=</content>
      <summary>Not base64, so the summary</summary></entry>
    <entry><title>C</title><id>tag:e.org,2004:3</id>
      <content type="image/png" mode="base64">iVBORw0KGgo=</content>
      <summary>Binary content, so the summary</summary></entry></feed>)");
  CHECK(atom03.title == "Old Atom");
  REQUIRE(atom03.articles.size() == 4);
  CHECK(atom03.articles[0].text == "Escaped html");
  CHECK(atom03.articles[0].published == 1073012645);
  CHECK(atom03.articles[1].text == "Hello");
  CHECK(atom03.articles[2].text == "Not base64, so the summary");
  CHECK(atom03.articles[3].text == "Binary content, so the summary");
}

}  // namespace
}  // namespace newswatch::indexer
