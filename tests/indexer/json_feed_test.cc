#include "indexer/json_feed.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace newswatch::indexer {
namespace {

const FeedSource kSource{"https://news.example.com/feeds/main.json", "Example"};
constexpr std::int64_t kNow = 1800000000;
constexpr std::int64_t kNov23At1015 = 1763892900;  // 2025-11-23T10:15:00Z

ParsedFeed MustParse(std::string_view body, const ParseLimits& limits = {},
                     const FeedSource& source = kSource) {
  config::Result<ParsedFeed> result = ParseJsonFeed(body, source, kNow, limits);
  if (!result.ok()) FAIL(result.error().ToString());
  return std::move(result).value();
}

std::string ErrorOf(std::string_view body) {
  const config::Result<ParsedFeed> result =
      ParseJsonFeed(body, kSource, kNow, {});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == config::ErrorKind::kPermanent);
  CHECK(result.error().where == kSource.url);
  return result.error().what;
}

// A JSON Feed 1.1 document around `items` (the inside of the array).
std::string Feed11(const std::string& items) {
  return R"({"version": "https://jsonfeed.org/version/1.1",
             "title": "Example News", "items": [)" +
         items + "]}";
}

bool HasWarning(const ParsedFeed& feed, std::string_view part) {
  for (const std::string& warning : feed.warnings) {
    if (warning.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("ParseJsonFeed reads a JSON Feed 1.1 document", "[json_feed]") {
  const ParsedFeed feed = MustParse(R"({
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Example\n  News",
    "home_page_url": "https://news.example.com/",
    "feed_url": "https://news.example.com/feeds/main.json",
    "language": "en-GB",
    "authors": [{"name": "The Desk"}],
    "items": [
      {
        "id": "https://news.example.com/2025/storm",
        "url": "https://news.example.com/2025/storm",
        "title": "Storm  hits\n coast",
        "content_html": "<p>Winds of <b>120</b> km/h.</p><p>More&nbsp;soon.</p>",
        "summary": "Not used: there is content.",
        "date_published": "2025-11-23T11:15:00+01:00",
        "authors": [{"name": "Jane Roe"}, {"name": " Joe  Bloggs "}],
        "tags": ["Weather", " Coast ", "Weather", ""],
        "language": "PT-BR"
      },
      {"id": "second", "title": "Second", "content_text": "Plain\n\ntext."}
    ]})");
  CHECK(feed.title == "Example News");
  CHECK(feed.link == "https://news.example.com/");
  CHECK(feed.language == "en-gb");
  CHECK(feed.refresh_seconds == 0);
  CHECK(feed.warnings.empty());
  REQUIRE(feed.articles.size() == 2);
  const Article& a = feed.articles[0];
  CHECK(a.id == "https://news.example.com/2025/storm");
  CHECK(a.link == "https://news.example.com/2025/storm");
  CHECK(a.title == "Storm hits coast");
  CHECK(a.text == "Winds of 120 km/h. More soon.");
  CHECK(a.published == kNov23At1015);
  CHECK_FALSE(a.published_is_fallback);
  CHECK(a.author == "Jane Roe, Joe Bloggs");
  CHECK(a.categories == std::vector<std::string>{"Weather", "Coast"});
  CHECK(a.language == "pt-br");
  CHECK(a.feed_url == kSource.url);
  CHECK(a.feed_name == "Example");
  const Article& b = feed.articles[1];
  CHECK(b.id == kSource.url + "#second");  // Not globally unique: scoped.
  CHECK(b.link.empty());
  CHECK(b.text == "Plain text.");
  CHECK(b.author == "The Desk");  // The feed's.
  CHECK(b.language == "en-gb");   // The feed's.
  CHECK(b.categories.empty());
}

TEST_CASE("ParseJsonFeed reads JSON Feed 1.0 authors", "[json_feed]") {
  const ParsedFeed feed = MustParse(R"({
    "version": "https://jsonfeed.org/version/1",
    "title": "Old style",
    "author": {"name": "Feed Author", "url": "https://news.example.com/me"},
    "items": [
      {"id": "1", "title": "own", "author": {"name": "Item Author"}},
      {"id": "2", "title": "inherited"},
      {"id": "3", "title": "both", "author": {"name": "Old"},
       "authors": [{"name": "New"}]},
      {"id": "4", "title": "nameless", "authors": [{"url": "https://x.example/"}],
       "author": {"name": "Fallback"}},
      {"id": "5", "title": "empty list", "authors": []}
    ]})");
  CHECK(feed.language.empty());
  REQUIRE(feed.articles.size() == 5);
  CHECK(feed.articles[0].author == "Item Author");
  CHECK(feed.articles[1].author == "Feed Author");
  CHECK(feed.articles[2].author == "New");  // 1.1 wins over 1.0.
  CHECK(feed.articles[3].author == "Fallback");
  CHECK(feed.articles[4].author == "Feed Author");
  CHECK(feed.articles[0].language.empty());
}

TEST_CASE("ParseJsonFeed resolves relative urls against the feed URL",
          "[json_feed]") {
  const std::string body = R"json({
    "version": "https://jsonfeed.org/version/1.1",
    "home_page_url": "/",
    "items": [
      {"id": "a", "url": "../2025/a.html"},
      {"id": "b", "external_url": "https://elsewhere.example.org/b"},
      {"id": "c", "url": "javascript:alert(1)",
       "external_url": "//elsewhere.example.org/c"},
      {"id": "d", "url": "https://news.example.com/d",
       "external_url": "https://elsewhere.example.org/d"},
      {"id": "e", "url": "mailto:desk@example.com"}
    ]})json";
  const ParsedFeed feed = MustParse(body);
  CHECK(feed.link == "https://news.example.com/");
  REQUIRE(feed.articles.size() == 5);
  CHECK(feed.articles[0].link == "https://news.example.com/2025/a.html");
  CHECK(feed.articles[1].link == "https://elsewhere.example.org/b");
  CHECK(feed.articles[2].link == "https://elsewhere.example.org/c");
  CHECK(feed.articles[3].link == "https://news.example.com/d");
  CHECK(feed.articles[4].link.empty());

  // After a redirect, links resolve against where the body came from.
  FeedSource moved = kSource;
  moved.base_url = "https://cdn.example.net/mirror/feed.json";
  const ParsedFeed redirected = MustParse(body, {}, moved);
  CHECK(redirected.link == "https://cdn.example.net/");
  REQUIRE(redirected.articles.size() == 5);
  CHECK(redirected.articles[0].link == "https://cdn.example.net/2025/a.html");
  CHECK(redirected.articles[0].id == kSource.url + "#a");  // Scoped by url.
}

TEST_CASE("ParseJsonFeed text: content_html, else content_text, else summary",
          "[json_feed]") {
  const ParsedFeed feed = MustParse(Feed11(R"(
    {"id": "1", "content_html": "<p>Hi</p><script>alert(1)</script>",
     "content_text": "not this"},
    {"id": "2", "content_text": "Line one\nLine two", "summary": "not this"},
    {"id": "3", "content_html": "<p> </p>", "content_text": "",
     "summary": "Just a\tsummary"},
    {"id": "4", "summary": "Only &amp; summary"},
    {"id": "5", "content_html": "x &lt; y &amp;&amp; y &gt; z"})"));
  REQUIRE(feed.articles.size() == 5);
  CHECK(feed.articles[0].text == "Hi");
  CHECK(feed.articles[1].text == "Line one Line two");
  CHECK(feed.articles[2].text == "Just a summary");
  // summary is plain text in JSON Feed: no entity decoding.
  CHECK(feed.articles[3].text == "Only &amp; summary");
  CHECK(feed.articles[4].text == "x < y && y > z");
}

TEST_CASE("ParseJsonFeed dates: published, else modified, else now",
          "[json_feed]") {
  const ParsedFeed feed = MustParse(Feed11(R"(
    {"id": "1", "date_published": "2025-11-23T10:15:00Z",
     "date_modified": "2025-11-24T00:00:00Z"},
    {"id": "2", "date_modified": "2025-11-24T00:00:00Z"},
    {"id": "3", "date_published": "soon", "date_modified": "2025-11-24"},
    {"id": "4", "date_published": "Sun, 23 Nov 2025 10:15:00 GMT"},
    {"id": "5"},
    {"id": "6", "date_published": "the day after tomorrow"},
    {"id": "7", "date_published": 1763892900})"));
  REQUIRE(feed.articles.size() == 7);
  CHECK(feed.articles[0].published == kNov23At1015);
  CHECK(feed.articles[1].published == 1763942400);
  CHECK(feed.articles[2].published == 1763942400);
  CHECK(feed.articles[3].published == kNov23At1015);
  for (size_t k = 0; k < 4; ++k) {
    CHECK_FALSE(feed.articles[k].published_is_fallback);
  }
  for (size_t k = 4; k < 7; ++k) {
    INFO("item " << k + 1);
    CHECK(feed.articles[k].published == kNow);
    CHECK(feed.articles[k].published_is_fallback);
  }
}

TEST_CASE("ParseJsonFeed ids: strings, numbers, global ids and fallbacks",
          "[json_feed]") {
  const ParsedFeed feed = MustParse(Feed11(R"(
    {"id": 12345, "title": "number"},
    {"id": -7, "title": "negative"},
    {"id": 2.5, "title": "fraction"},
    {"id": "tag:news.example.com,2025:9", "title": "tag"},
    {"id": "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427", "title": "urn"},
    {"id": " spaced\tid ", "title": "spaced"},
    {"title": "no id", "url": "https://news.example.com/no-id"},
    {"id": true, "title": "bool id", "url": "https://news.example.com/b"},
    {"title": "nothing but a title"})"));
  REQUIRE(feed.articles.size() == 9);
  CHECK(feed.articles[0].id == kSource.url + "#12345");
  CHECK(feed.articles[1].id == kSource.url + "#-7");
  CHECK(feed.articles[2].id == kSource.url + "#2.5");
  CHECK(feed.articles[3].id == "tag:news.example.com,2025:9");
  CHECK(feed.articles[4].id == "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  CHECK(feed.articles[5].id == kSource.url + "#spaced id");
  CHECK(feed.articles[6].id == "https://news.example.com/no-id");
  CHECK(feed.articles[7].id == "https://news.example.com/b");
  const std::string& hashed = feed.articles[8].id;
  const std::string prefix = kSource.url + "#";
  REQUIRE(hashed.size() == prefix.size() + 16);
  CHECK(hashed.starts_with(prefix));
  // The same number as text is the same id, so a feed that changes the type
  // keeps its articles.
  const ParsedFeed as_text = MustParse(Feed11(R"({"id": "12345"})"));
  REQUIRE(as_text.articles.size() == 1);
  CHECK(as_text.articles[0].id == feed.articles[0].id);
}

TEST_CASE("ParseJsonFeed keeps distinct items that share an id apart",
          "[json_feed]") {
  const ParsedFeed feed = MustParse(Feed11(R"(
    {"id": "same", "title": "One", "url": "https://news.example.com/1"},
    {"id": "same", "title": "Two", "url": "https://news.example.com/2"},
    {"id": "same", "title": "Three"},
    {"id": "same", "title": "One", "url": "https://news.example.com/1"})"));
  REQUIRE(feed.articles.size() == 3);
  const std::string id = kSource.url + "#same";
  CHECK(feed.articles[0].id == id);
  CHECK(feed.articles[1].id == id + "#https://news.example.com/2");
  CHECK(feed.articles[2].id.starts_with(id + "#"));
  CHECK(feed.articles[2].id != feed.articles[0].id);
  CHECK(feed.articles[2].id != feed.articles[1].id);
  // The fourth repeats the first entirely: dropped, with a note.
  REQUIRE(feed.warnings.size() == 1);
  CHECK(feed.warnings[0].find("dropped item 4") != std::string::npos);
}

TEST_CASE("ParseJsonFeed skips members and items of the wrong type",
          "[json_feed]") {
  const ParsedFeed feed = MustParse(R"({
    "version": "https://jsonfeed.org/version/1.1",
    "title": 42,
    "home_page_url": ["https://news.example.com/"],
    "language": {"code": "en"},
    "authors": "The Desk",
    "author": "The Desk",
    "items": [
      "a string",
      {"id": {"nested": 1}, "title": 7, "url": 8, "external_url": null,
       "content_html": ["<p>x</p>"], "content_text": false, "summary": 1.5,
       "date_published": {}, "date_modified": [],
       "authors": "Jane", "author": ["Jane"], "tags": "politics",
       "language": 3},
      null,
      12,
      ["nested", "array"],
      {"id": "ok", "title": "Survivor",
       "authors": ["Jane", {"name": 5}, {"name": "Real Name"}],
       "tags": ["kept", 3, null, {"x": 1}, ["y"]]}
    ]})");
  CHECK(feed.title.empty());
  CHECK(feed.link.empty());
  CHECK(feed.language.empty());
  REQUIRE(feed.articles.size() == 2);
  const Article& odd = feed.articles[0];
  CHECK(odd.title.empty());
  CHECK(odd.link.empty());
  CHECK(odd.text.empty());
  CHECK(odd.author.empty());
  CHECK(odd.categories.empty());
  CHECK(odd.language.empty());
  CHECK(odd.published_is_fallback);
  CHECK(odd.id.starts_with(kSource.url + "#"));
  const Article& ok = feed.articles[1];
  CHECK(ok.id == kSource.url + "#ok");
  CHECK(ok.title == "Survivor");
  CHECK(ok.author == "Real Name");
  CHECK(ok.categories == std::vector<std::string>{"kept"});
  CHECK(feed.warnings ==
        std::vector<std::string>{"skipped item 1: not a JSON object",
                                 "skipped item 3: not a JSON object",
                                 "skipped item 4: not a JSON object",
                                 "skipped item 5: not a JSON object"});
}

TEST_CASE("ParseJsonFeed reads no items when items is not an array",
          "[json_feed]") {
  for (const char* items : {R"({"id": "1"})", "\"many\"", "null", "3"}) {
    INFO(items);
    const ParsedFeed feed = MustParse(
        R"({"version": "https://jsonfeed.org/version/1", "title": "T",
            "items": )" +
        std::string(items) + "}");
    CHECK(feed.title == "T");
    CHECK(feed.articles.empty());
    CHECK(HasWarning(feed, "\"items\" is not an array"));
  }
}

TEST_CASE("ParseJsonFeed rejects invalid JSON and says where", "[json_feed]") {
  CHECK(
      ErrorOf(R"({"version": "https://jsonfeed.org/version/1", "items": [)") ==
      "not JSON: syntax error while parsing value - unexpected end of "
      "input; expected '[', '{', or a literal at offset 56");
  CHECK(ErrorOf(R"({"title" "x"})") ==
        "not JSON: syntax error while parsing object separator - unexpected "
        "string literal; expected ':' at offset 11");
  CHECK(ErrorOf("{\"items\": [1, 2,]}") ==
        "not JSON: syntax error while parsing value - unexpected ']'; "
        "expected '[', '{', or a literal at offset 16");
  // The server's bytes are not quoted back, however long.
  const std::string long_string =
      "{\"title\": \"" + std::string(100000, 'a') + "\x01\"}";
  const std::string error = ErrorOf(long_string);
  CHECK(error ==
        "not JSON: syntax error while parsing value - invalid string: control "
        "character U+0001 (SOH) must be escaped to \\u0001 at offset 100011");
  // JSON must be UTF-8.
  CHECK(ErrorOf("{\"title\": \"caf\xE9\"}").starts_with("not JSON: "));
  CHECK(ErrorOf("{\"items\": []} trailing").starts_with("not JSON: "));
}

TEST_CASE("ParseJsonFeed rejects an empty body", "[json_feed]") {
  CHECK(ErrorOf("") == "empty body");
  CHECK(ErrorOf(" \r\n\t ") == "empty body");
  CHECK(ErrorOf("\xEF\xBB\xBF  ") == "empty body");
}

TEST_CASE("ParseJsonFeed rejects JSON that is not a JSON Feed", "[json_feed]") {
  const std::string not_feed = "not a feed: JSON without a JSON Feed version";
  CHECK(ErrorOf("[]") == not_feed);
  CHECK(ErrorOf("\"https://jsonfeed.org/version/1\"") == not_feed);
  CHECK(ErrorOf("{}") == not_feed);
  CHECK(ErrorOf(R"({"data": [{"id": 1}], "status": "ok"})") == not_feed);
  CHECK(ErrorOf(R"({"version": "2.0", "items": {}})") == not_feed);
  CHECK(ErrorOf(R"({"version": 1, "title": "x"})") == not_feed);

  // Either sign is enough: the version, or an items array.
  CHECK(MustParse(R"({"version": "https://jsonfeed.org/version/1.1"})")
            .articles.empty());
  CHECK(MustParse(R"({"version": "https://www.jsonfeed.org/version/1.1",
                      "items": []})")
            .warnings.empty());
  const ParsedFeed unversioned = MustParse(R"({"items": [{"id": "1"}]})");
  CHECK(unversioned.articles.size() == 1);
  // A byte order mark before the object is allowed.
  CHECK(
      MustParse("\xEF\xBB\xBF{\"items\": [{\"id\": \"1\"}]}").articles.size() ==
      1);
}

TEST_CASE("ParseJsonFeed rejects deep nesting before parsing", "[json_feed]") {
  // 64 levels in all are fine; brackets inside strings do not count.
  const std::string in_strings =
      "\"[[[[{{{{\\\"[[[[" + std::string(100, '[') + "\"";
  const std::string deep_ok = R"({"version": "https://jsonfeed.org/version/1",
      "_ext": )" + std::string(63, '[') +
                              in_strings + std::string(63, ']') +
                              R"(, "items": []})";
  CHECK(MustParse(deep_ok).articles.empty());

  const std::string too_deep = R"({"version": "https://jsonfeed.org/version/1",
      "_ext": )" + std::string(64, '[') +
                               std::string(64, ']') + R"(, "items": []})";
  const std::string error = ErrorOf(too_deep);
  CHECK(
      error.starts_with("not a feed: JSON nested deeper than 64 levels "
                        "at offset "));
  CHECK(error == "not a feed: JSON nested deeper than 64 levels at offset " +
                     std::to_string(too_deep.find('[') + 63));

  // A million levels: refused at once, no stack overflow.
  CHECK(ErrorOf(std::string(1000000, '['))
            .starts_with("not a feed: JSON "
                         "nested deeper"));
  CHECK(ErrorOf("{\"a\":" + std::string(1000000, '{'))
            .starts_with("not a feed: JSON nested deeper"));
  // Closing brackets first do not buy depth.
  CHECK(ErrorOf(std::string(100, ']') + std::string(100, '['))
            .starts_with("not a feed: JSON nested deeper"));
}

TEST_CASE("ParseJsonFeed applies its limits", "[json_feed]") {
  std::string items;
  for (int i = 0; i < 5; ++i) {
    if (i > 0) items += ",";
    items += R"({"id": ")" + std::to_string(i) +
             "\", \"title\": \"\xC3\xA9\xC3\xA9\xC3\xA9 " + std::to_string(i) +
             R"(", "content_text": "0123456789"})";
  }
  ParseLimits limits;
  limits.max_items = 3;
  limits.max_title_bytes = 5;  // Inside the third two-byte character.
  limits.max_text_bytes = 4;
  const ParsedFeed feed = MustParse(Feed11(items), limits);
  REQUIRE(feed.articles.size() == 3);
  CHECK(feed.articles[0].title == "\xC3\xA9\xC3\xA9");
  CHECK(feed.articles[0].text == "0123");
  CHECK(feed.title == "Examp");
  REQUIRE(feed.warnings.size() == 1);
  CHECK(feed.warnings[0] == "feed has 5 items; kept the first 3 (max_items)");
}

TEST_CASE("ParseJsonFeed keeps UTF-8 and drops control characters",
          "[json_feed]") {
  const ParsedFeed feed = MustParse(Feed11(
      R"({"id": "1", "title": "\u201cQuoted\u201d\u0000 caf\u00e9 \ud83d\ude00\u2028end",
          "content_text": "a\u0007b"})"));
  REQUIRE(feed.articles.size() == 1);
  CHECK(feed.articles[0].title ==
        "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 \xF0\x9F\x98\x80 end");
  CHECK(feed.articles[0].text == "ab");
}

// The JSON Feed seeds of the feed_parser fuzz target, read here so that
// they stay what they mean to be.
ParsedFeed ParseFixture(const std::string& name, const std::string& url) {
  const FeedSource source{url, name};
  return MustParse(
      testing::ReadFile(NEWSWATCH_SOURCE_DIR "/tests/fixtures/feeds/" + name),
      ParseLimits{}, source);
}

TEST_CASE("ParseJsonFeed reads the JSON Feed fixtures", "[json_feed]") {
  const ParsedFeed v11 = ParseFixture("json_feed_1_1.json",
                                      "https://gazette.example.org/feed.json");
  CHECK(v11.title == "Harbour Town Gazette");
  CHECK(v11.language == "en-gb");
  REQUIRE(v11.articles.size() == 2);
  CHECK(v11.articles[0].link ==
        "https://gazette.example.org/2025/11/ferry-timetable");
  CHECK(v11.articles[0].title ==
        "Winter ferry timetable \xE2\x80\x93 fewer sailings");
  CHECK(v11.articles[0].text ==
        "From 1 December the ferry runs every two hours. First: 06:30 Last: "
        "20:30");
  CHECK(v11.articles[0].author == "Ana Costa, Tom Reed");
  CHECK(v11.articles[0].published == 1763884800);
  CHECK(v11.articles[1].link == "https://market.example.net/saturday");
  CHECK(v11.articles[1].author == "Gazette Desk");
  CHECK(v11.articles[1].language == "pt-pt");
  CHECK(v11.articles[1].published == 1763769600);

  const ParsedFeed v10 = ParseFixture("json_feed_1_0.json",
                                      "https://weather.example.com/feed.json");
  REQUIRE(v10.articles.size() == 3);
  CHECK(v10.articles[0].id == "https://weather.example.com/feed.json#1041");
  CHECK(v10.articles[0].link == "https://weather.example.com/notes/1041.html");
  CHECK(v10.articles[0].author == "Station 4");
  CHECK(v10.articles[1].text == "Mon 4 mm Tue 11 mm");
  CHECK(v10.articles[1].author == "Observer &amp; Volunteer");  // Plain text.
  CHECK(v10.articles[2].id ==
        "https://weather.example.com/feed.json#1040#"
        "https://weather.example.com/notes/1040-corrected.html");

  const ParsedFeed odd = ParseFixture("json_feed_odd_types.json",
                                      "https://odd.example.com/feed.json");
  CHECK(odd.title.empty());
  REQUIRE(odd.articles.size() == 3);
  CHECK(odd.articles[0].id == "https://odd.example.com/feed.json#3.25");
  CHECK(odd.articles[0].text == "Survives with a number id");
  CHECK(odd.articles[1].author == "Real");
  CHECK(odd.articles[2].published_is_fallback);
  CHECK(odd.warnings.size() == 2);
}

TEST_CASE("ParseJsonFeed reads the upstream example feed", "[json_feed]") {
  const std::filesystem::path example = NEWSWATCH_SOURCE_DIR
      "/../shared/corpora/feedparser/tests/json/"
      "example.json";
  if (!std::filesystem::exists(example)) {
    WARN("skipped: " << example << " is absent");
    return;
  }
  const FeedSource source{"https://example.org/feed.json", "Example"};
  const ParsedFeed feed =
      MustParse(testing::ReadFile(example), ParseLimits{}, source);
  CHECK(feed.title == "My Example Feed");
  CHECK(feed.link == "https://example.org/");
  CHECK(feed.warnings.empty());
  REQUIRE(feed.articles.size() == 2);
  const Article& second = feed.articles[0];
  CHECK(second.id == "https://example.org/feed.json#2");
  CHECK(second.title == "post 2");
  CHECK(second.link == "https://example.org/second-item");
  CHECK(second.text == "This is a second item.");
  CHECK(second.author == "me");
  CHECK(second.categories == std::vector<std::string>{"test", "JSON"});
  CHECK(second.published_is_fallback);
  const Article& first = feed.articles[1];
  CHECK(first.id == "https://example.org/feed.json#1");
  CHECK(first.title.empty());
  CHECK(first.link == "https://example.org/initial-post");
  CHECK(first.text == "Hello, world!");
  CHECK(first.author == "you");
}

}  // namespace
}  // namespace newswatch::indexer
