// `newswatch parse FILE|URL [--json]` through the real binary: files in a
// temporary folder, stdin, and URLs of a real loopback HTTP server. No
// config and no data_dir are involved.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/end_to_end/deployment.h"

namespace newswatch::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Two items: one dated with everything, one without a date.
constexpr char kTwoItems[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Parse Desk</title>
    <link>https://desk.example.org/</link>
    <language>en</language>
    <description>Test fixture</description>
    <item>
      <title>Glacier retreat speeds up</title>
      <link>https://desk.example.org/glacier</link>
      <guid>https://desk.example.org/glacier</guid>
      <pubDate>Sun, 23 Nov 2025 09:30:00 GMT</pubDate>
      <dc:creator>Jane Doe</dc:creator>
      <category>Science</category>
      <description>&lt;p&gt;The ice sheet lost &lt;b&gt;more&lt;/b&gt; mass.&lt;/p&gt;</description>
    </item>
    <item>
      <title>An undated note</title>
      <link>https://desk.example.org/note</link>
      <description>No date here.</description>
    </item>
  </channel>
</rss>
)";

// Runs `newswatch parse args...` without a config: $NEWSWATCH_CONFIG is
// cleared, so none is named.
ProcessResult Parse(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {NEWSWATCH_BINARY, "parse"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {"NEWSWATCH_CONFIG="});
}

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    INFO(line);
    REQUIRE_NOTHROW(lines.push_back(json::parse(line)));
  }
  return lines;
}

// The keys of `object`, sorted.
std::vector<std::string> Keys(const json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

HttpResponse Respond(int status, std::string body,
                     std::map<std::string, std::string> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

TEST_CASE("parse FILE prints the feed and its articles", "[e2e][parse]") {
  TempDir dir;
  const fs::path file = dir.Write("desk.rss", kTwoItems);
  const ProcessResult result = Parse({file.string()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  const std::string& out = result.out;
  CHECK_THAT(out, Catch::StartsWith("feed\n  title:      Parse Desk\n"));
  CHECK_THAT(out, Catch::Contains("  url:        file://" + file.string()));
  CHECK_THAT(out, Catch::Contains("  articles:   2\n"));
  CHECK_THAT(out, Catch::Contains("\narticle 1\n  id:         "
                                  "https://desk.example.org/glacier\n"));
  CHECK_THAT(out, Catch::Contains("  published:  2025-11-23T09:30:00Z\n"));
  CHECK_THAT(out, Catch::Contains("  text:       The ice sheet lost more "
                                  "mass.\n"));
  CHECK_THAT(out, Catch::Contains("\narticle 2\n"));
  CHECK_THAT(out, Catch::Contains("  published:  (none; first seen "));
  // Nothing was indexed or recorded anywhere near the file.
  CHECK(std::distance(fs::directory_iterator(dir.path()),
                      fs::directory_iterator()) == 1);
}

TEST_CASE("parse --json gives one object for the feed, one per article",
          "[e2e][parse]") {
  TempDir dir;
  const fs::path file = dir.Write("desk.rss", kTwoItems);
  const ProcessResult result = Parse({file.string(), "--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  const std::vector<json> lines = JsonLines(result.out);
  REQUIRE(lines.size() == 3);

  const json& feed = lines[0];
  CHECK(Keys(feed) == std::vector<std::string>{"articles", "kind", "language",
                                               "link", "title", "url",
                                               "warnings"});
  CHECK(feed["kind"] == "feed");
  CHECK(feed["title"] == "Parse Desk");
  CHECK(feed["link"] == "https://desk.example.org/");
  CHECK(feed["language"] == "en");
  CHECK(feed["url"] == "file://" + file.string());
  CHECK(feed["articles"] == 2);
  CHECK(feed["warnings"] == json::array());

  const std::vector<std::string> article_keys = {
      "author",    "categories",         "id",   "kind",  "language",
      "published", "published_fallback", "text", "title", "url"};
  const json& dated = lines[1];
  CHECK(Keys(dated) == article_keys);
  CHECK(dated["kind"] == "article");
  CHECK(dated["id"] == "https://desk.example.org/glacier");
  CHECK(dated["title"] == "Glacier retreat speeds up");
  CHECK(dated["url"] == "https://desk.example.org/glacier");
  CHECK(dated["published"] == "2025-11-23T09:30:00Z");
  CHECK(dated["published_fallback"] == false);
  CHECK(dated["author"] == "Jane Doe");
  CHECK(dated["categories"] == json({"Science"}));
  CHECK(dated["language"] == "en");
  CHECK(dated["text"] == "The ice sheet lost more mass.");

  const json& undated = lines[2];
  CHECK(Keys(undated) == article_keys);
  CHECK(undated["kind"] == "article");
  CHECK(undated["id"] == "https://desk.example.org/note");
  CHECK(undated["title"] == "An undated note");
  CHECK(undated["url"] == "https://desk.example.org/note");
  CHECK(undated["published"].is_null());
  CHECK(undated["published_fallback"] == true);
  CHECK(undated["author"] == "");
  CHECK(undated["categories"] == json::array());
  CHECK(undated["language"] == "en");  // The feed's.
  CHECK(undated["text"] == "No date here.");
}

TEST_CASE("parse - reads the feed from stdin", "[e2e][parse]") {
  TempDir dir;
  const fs::path file = dir.Write("desk.rss", kTwoItems);
  const ProcessResult result =
      RunProcess({"/bin/sh", "-c", "exec \"$0\" parse --json - < \"$1\"",
                  NEWSWATCH_BINARY, file.string()},
                 {"NEWSWATCH_CONFIG="});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::vector<json> lines = JsonLines(result.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["title"] == "Parse Desk");
  CHECK(lines[0]["url"] == "file:///dev/stdin");
}

TEST_CASE("parse URL fetches the feed with its Content-Type", "[e2e][parse]") {
  HttpServer server;
  // KOI8-R ("Привет"), named only by the HTTP header.
  server.Set(
      "/koi8.rss",
      Respond(200,
              "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
              "<title>\xf0\xd2\xc9\xd7\xc5\xd4</title><item>"
              "<title>Item</title><link>https://koi8.example.org/1"
              "</link></item></channel></rss>",
              {{"Content-Type", "application/rss+xml; charset=KOI8-R"}}));
  const std::string url = server.Url("/koi8.rss");
  const ProcessResult result = Parse({"--json", url});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::vector<json> lines = JsonLines(result.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["url"] == url);
  CHECK(lines[0]["title"] ==
        "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  CHECK(lines[1]["url"] == "https://koi8.example.org/1");
  CHECK(server.RequestsFor("/koi8.rss").size() == 1);
}

TEST_CASE("parse URL resolves relative links against where it was redirected",
          "[e2e][parse]") {
  HttpServer server;
  server.Set("/old/feed.rss",
             Respond(302, "", {{"Location", server.Url("/new/feed.rss")}}));
  server.Set("/new/feed.rss",
             Respond(200,
                     "<rss version=\"2.0\"><channel><title>Moved</title>"
                     "<item><title>Relative</title><link>story.html</link>"
                     "</item></channel></rss>",
                     {{"Content-Type", "application/rss+xml"}}));
  const ProcessResult result = Parse({"--json", server.Url("/old/feed.rss")});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::vector<json> lines = JsonLines(result.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["url"] == server.Url("/old/feed.rss"));
  CHECK(lines[1]["url"] == server.Url("/new/story.html"));
}

TEST_CASE("parse fails clearly, with exit 1, on what is not a feed",
          "[e2e][parse]") {
  TempDir dir;
  SECTION("an HTML page") {
    const fs::path file = dir.Write(
        "page.html",
        "<!DOCTYPE html>\n<html><head><title>Hi</title></head></html>\n");
    const ProcessResult result = Parse({file.string()});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(result.err == "newswatch: parse: file://" + file.string() +
                            ": not a feed: looks like HTML\n");
  }
  SECTION("an HTML page over HTTP") {
    HttpServer server;
    server.Set("/", Respond(200, "<html><body>Welcome</body></html>",
                            {{"Content-Type", "text/html"}}));
    const ProcessResult result = Parse({server.Url("/")});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, Catch::StartsWith("newswatch: parse: "));
    CHECK_THAT(result.err, Catch::Contains("not a feed: looks like HTML"));
  }
  SECTION("a missing file") {
    const std::string missing = (dir.path() / "absent.xml").string();
    const ProcessResult result = Parse({missing});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(result.err ==
          "newswatch: parse: " + missing + ": No such file or directory\n");
  }
  SECTION("a URL that answers 404") {
    HttpServer server;
    const std::string url = server.Url("/nothing.rss");
    const ProcessResult result = Parse({url});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(result.err == "newswatch: parse: " + url + ": HTTP 404\n");
  }
}

TEST_CASE("parse is listed in --help and takes --help", "[e2e][parse]") {
  const ProcessResult help = RunProcess({NEWSWATCH_BINARY, "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("  parse FILE|URL"));
  const ProcessResult parse_help = Parse({"--help"});
  CHECK(parse_help.exit_code == 0);
  CHECK_THAT(parse_help.out,
             Catch::StartsWith("usage: newswatch [--config PATH] parse"));
  const ProcessResult nothing = Parse({});
  CHECK(nothing.exit_code == 2);
  CHECK_THAT(nothing.err, Catch::Contains("parse needs one FILE or URL"));
}

}  // namespace
}  // namespace newswatch::testing
