// `newswatch parse`, called in-process on files in a temporary folder and on
// URLs of a real loopback HTTP server.
#include "daemon/parse_command.h"

#include <curl/curl.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "config/text.h"
#include "daemon/commands.h"
#include "tests/support/http_server.h"
#include "tests/support/temp_dir.h"

namespace newswatch::daemon {
namespace {

namespace fs = std::filesystem;
using newswatch::testing::HttpResponse;
using newswatch::testing::HttpServer;
using newswatch::testing::TempDir;
using nlohmann::json;

// main() runs curl_global_init in the real program; the test main does not.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Words enough to be cut in the text listing.
std::string LongText() {
  std::string text;
  for (int i = 0; text.size() < 2 * kParseTextPreviewBytes; ++i) {
    text += "Ice sheet " + std::to_string(i) + " keeps thinning. ";
  }
  return text.substr(0, text.size() - 1);
}

// Two items: one dated, with author and categories and a long text; one
// without a date, with a guid that is not a URL.
std::string TwoItemFeed() {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Parse Desk</title>
    <link>https://desk.example.org/</link>
    <language>en-GB</language>
    <description>Test fixture</description>
    <item>
      <title>Glacier retreat speeds up</title>
      <link>https://desk.example.org/glacier</link>
      <guid>https://desk.example.org/glacier</guid>
      <pubDate>Sun, 23 Nov 2025 09:30:00 GMT</pubDate>
      <dc:creator>Jane Doe</dc:creator>
      <category>Science</category>
      <category>Climate</category>
      <description>)" +
         LongText() + R"(</description>
    </item>
    <item>
      <title>An undated note</title>
      <link>https://desk.example.org/note</link>
      <guid isPermaLink="false">note-1</guid>
      <description>No date here.</description>
    </item>
  </channel>
</rss>
)";
}

// An RSS document cut off inside its third item.
std::string BrokenFeed() {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>First</title><link>https://b.example.org/1</link></item>
<item><title>Second</title><link>https://b.example.org/2</link></item>
<item><title>Thi)";
}

HttpResponse Respond(int status, std::string body,
                     const std::string& content_type = "") {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  if (!content_type.empty()) response.headers["Content-Type"] = content_type;
  return response;
}

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `parse args...` with `config` as the config path, named or not.
Outcome Parse(const std::vector<std::string>& args, bool config_chosen = false,
              const fs::path& config = "/nonexistent/newswatch.toml") {
  InitCurlOnce();
  std::ostringstream out;
  std::ostringstream err;
  const CommandContext context{config, out, err};
  Outcome outcome;
  outcome.code = ParseCommand(context, args, config_chosen);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
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

// The keys of a line, in the order printed.
std::vector<std::string> KeysInOrder(const std::string& line) {
  std::vector<std::string> keys;
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(line);
  for (const auto& item : parsed.items()) {
    keys.push_back(item.key());
  }
  return keys;
}

std::string FileUrl(const fs::path& path) {
  return "file://" + path.lexically_normal().string();
}

TEST_CASE("parse FILE prints the feed and each article", "[parse]") {
  TempDir dir;
  const fs::path file = dir.Write("desk.rss", TwoItemFeed());
  const Outcome outcome = Parse({file.string()});
  INFO(outcome.err);
  REQUIRE(outcome.code == kExitOk);
  CHECK(outcome.err.empty());
  const std::string& out = outcome.out;
  CHECK(out.rfind("feed\n  title:      Parse Desk\n", 0) == 0);
  CHECK_THAT(out, Catch::Contains("  link:       https://desk.example.org/\n"));
  CHECK_THAT(out, Catch::Contains("  language:   en-gb\n"));
  CHECK_THAT(out, Catch::Contains("  url:        " + FileUrl(file) + "\n"));
  CHECK_THAT(out, Catch::Contains("  articles:   2\n"));

  const size_t first = out.find("\narticle 1\n");
  const size_t second = out.find("\narticle 2\n");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  const std::string one = out.substr(first, second - first);
  const std::string two = out.substr(second);
  CHECK_THAT(one, Catch::Contains("  id:         "
                                  "https://desk.example.org/glacier\n"));
  CHECK_THAT(one, Catch::Contains("  title:      Glacier retreat speeds up\n"));
  CHECK_THAT(
      one, Catch::Contains("  url:        https://desk.example.org/glacier\n"));
  CHECK_THAT(one, Catch::Contains("  published:  2025-11-23T09:30:00Z\n"));
  CHECK_THAT(one, Catch::Contains("  author:     Jane Doe\n"));
  CHECK_THAT(one, Catch::Contains("  categories: Science, Climate\n"));
  CHECK_THAT(one, Catch::Contains("  language:   en-gb\n"));
  // The text is cut, with an ellipsis, to the preview's bytes.
  const size_t text_at = one.find("  text:       ");
  REQUIRE(text_at != std::string::npos);
  std::string text = one.substr(text_at + 14);
  text = text.substr(0, text.find('\n'));
  CHECK(text.rfind("Ice sheet 0 keeps thinning. Ice sheet 1", 0) == 0);
  CHECK(text.size() <= kParseTextPreviewBytes);
  CHECK(text.size() > kParseTextPreviewBytes - 20);
  CHECK_THAT(text, Catch::EndsWith(std::string(config::kEllipsis)));

  CHECK_THAT(two,
             Catch::Contains("  id:         " + FileUrl(file) + "#note-1\n"));
  CHECK_THAT(two, Catch::Contains("  published:  (none; first seen 20"));
  CHECK_THAT(two, Catch::Contains("  author:     (none)\n"));
  CHECK_THAT(two, Catch::Contains("  categories: (none)\n"));
  CHECK_THAT(two, Catch::Contains("  text:       No date here.\n"));
}

TEST_CASE("parse file:// URL reads it as a configured file: feed", "[parse]") {
  TempDir dir;
  const fs::path file = dir.Write("desk.rss", TwoItemFeed());
  const Outcome outcome = Parse({FileUrl(file)});
  INFO(outcome.err);
  REQUIRE(outcome.code == kExitOk);
  // The same feed URL, so the same feed-scoped ids as the daemon's.
  CHECK_THAT(outcome.out,
             Catch::Contains("  url:        " + FileUrl(file) + "\n"));
  CHECK_THAT(outcome.out,
             Catch::Contains("  id:         " + FileUrl(file) + "#note-1\n"));
  CHECK(Parse({FileUrl(dir.path() / "missing.rss")}).code == kExitFailure);
}

TEST_CASE("parse --json prints the feed, then one object per article",
          "[parse]") {
  TempDir dir;
  const fs::path file = dir.Write("desk.rss", TwoItemFeed());
  const Outcome outcome = Parse({"--json", file.string()});
  INFO(outcome.err);
  REQUIRE(outcome.code == kExitOk);
  CHECK(outcome.err.empty());
  const std::vector<json> lines = JsonLines(outcome.out);
  REQUIRE(lines.size() == 3);

  std::istringstream raw(outcome.out);
  std::string feed_line;
  std::string article_line;
  std::getline(raw, feed_line);
  std::getline(raw, article_line);
  CHECK(KeysInOrder(feed_line) ==
        std::vector<std::string>{"kind", "title", "link", "language", "url",
                                 "articles", "warnings"});
  CHECK(KeysInOrder(article_line) ==
        std::vector<std::string>{"kind", "id", "title", "url", "published",
                                 "published_fallback", "author", "categories",
                                 "language", "text"});

  const json& feed = lines[0];
  CHECK(feed["kind"] == "feed");
  CHECK(feed["title"] == "Parse Desk");
  CHECK(feed["link"] == "https://desk.example.org/");
  CHECK(feed["language"] == "en-gb");
  CHECK(feed["url"] == FileUrl(file));
  CHECK(feed["articles"] == 2);
  CHECK(feed["warnings"] == json::array());

  const json& dated = lines[1];
  CHECK(dated["kind"] == "article");
  CHECK(dated["id"] == "https://desk.example.org/glacier");
  CHECK(dated["title"] == "Glacier retreat speeds up");
  CHECK(dated["url"] == "https://desk.example.org/glacier");
  CHECK(dated["published"] == "2025-11-23T09:30:00Z");
  CHECK(dated["published_fallback"] == false);
  CHECK(dated["author"] == "Jane Doe");
  CHECK(dated["categories"] == json({"Science", "Climate"}));
  CHECK(dated["language"] == "en-gb");
  CHECK(dated["text"] == LongText());  // Whole.

  const json& undated = lines[2];
  CHECK(undated["id"] == FileUrl(file) + "#note-1");
  CHECK(undated["published"].is_null());
  CHECK(undated["published_fallback"] == true);
  CHECK(undated["author"] == "");
  CHECK(undated["categories"] == json::array());
  CHECK(undated["text"] == "No date here.");
}

TEST_CASE("parse reports the parser's warnings", "[parse]") {
  TempDir dir;
  const fs::path file = dir.Write("broken.rss", BrokenFeed());
  SECTION("on stderr in text mode") {
    const Outcome outcome = Parse({file.string()});
    REQUIRE(outcome.code == kExitOk);
    CHECK(outcome.err.rfind("newswatch: parse: warning: XML breaks at offset ",
                            0) == 0);
    CHECK_THAT(outcome.err, Catch::Contains("kept 2 items before it"));
    CHECK_THAT(outcome.out, Catch::Contains("  articles:   2\n"));
  }
  SECTION("in the feed object with --json") {
    const Outcome outcome = Parse({"--json", file.string()});
    REQUIRE(outcome.code == kExitOk);
    CHECK(outcome.err.empty());
    const std::vector<json> lines = JsonLines(outcome.out);
    REQUIRE(lines.size() == 3);
    REQUIRE(lines[0]["warnings"].size() == 1);
    CHECK_THAT(lines[0]["warnings"][0].get<std::string>(),
               Catch::StartsWith("XML breaks at offset "));
    CHECK(lines[1]["title"] == "First");
    CHECK(lines[2]["title"] == "Second");
  }
}

TEST_CASE("parse keeps feed text from driving the terminal", "[parse]") {
  TempDir dir;
  // The file name reaches the output unparsed (as the feed's url); the
  // titles are cleaned by the parser already.
  const fs::path file = dir.Write(
      "evil\x1b[31m\r.rss",
      "<rss version=\"2.0\"><channel><title>Evil&#x1b;[31m Desk</title>"
      "<item><title>Line&#13;&#10;Break</title>"
      "<link>https://evil.example.org/1</link></item></channel></rss>");
  const Outcome text = Parse({file.string()});
  REQUIRE(text.code == kExitOk);
  CHECK(text.out.find('\x1b') == std::string::npos);
  CHECK(text.out.find('\r') == std::string::npos);
  CHECK_THAT(text.out, Catch::Contains("  title:      Line"));
}

TEST_CASE("parse URL fetches it once and passes its Content-Type", "[parse]") {
  HttpServer server;
  // KOI8-R bytes ("Привет"), the encoding named only by the HTTP header:
  // read any other way they come out as something else.
  server.Set("/koi8.rss",
             Respond(200,
                     "<?xml version=\"1.0\"?><rss version=\"2.0\">"
                     "<channel><title>\xf0\xd2\xc9\xd7\xc5\xd4</title>"
                     "<item><title>\xf0\xd2\xc9\xd7\xc5\xd4 2</title>"
                     "<link>https://koi8.example.org/2</link></item>"
                     "</channel></rss>",
                     "application/rss+xml; charset=KOI8-R"));
  const std::string url = server.Url("/koi8.rss");
  const std::string privet = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82";
  const Outcome outcome = Parse({"--json", url});
  INFO(outcome.err);
  REQUIRE(outcome.code == kExitOk);
  const std::vector<json> lines = JsonLines(outcome.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["url"] == url);
  CHECK(lines[0]["title"] == privet);
  CHECK(lines[1]["title"] == privet + " 2");
  CHECK(server.RequestsFor("/koi8.rss").size() == 1);
}

TEST_CASE("parse URL uses the named config's [fetch] settings", "[parse]") {
  HttpServer server;
  server.Set("/feed.rss", Respond(200, TwoItemFeed()));
  TempDir dir;
  const std::string feed = "[[feed]]\nurl = \"https://example.org/feed.xml\"\n";
  const fs::path config = dir.Write(
      "newswatch.toml",
      "data_dir = \"data\"\n[fetch]\nuser_agent = \"parse-test/1\"\n" + feed);
  SECTION("named: its user_agent") {
    const Outcome outcome = Parse({server.Url("/feed.rss")}, true, config);
    INFO(outcome.err);
    REQUIRE(outcome.code == kExitOk);
    const auto requests = server.RequestsFor("/feed.rss");
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].headers.at("user-agent") == "parse-test/1");
    // No data_dir is made: nothing is opened.
    CHECK_FALSE(fs::exists(dir.path() / "data"));
  }
  SECTION("not named: the defaults, and the file is not read") {
    const Outcome outcome = Parse({server.Url("/feed.rss")}, false, config);
    REQUIRE(outcome.code == kExitOk);
    const auto requests = server.RequestsFor("/feed.rss");
    REQUIRE(requests.size() == 1);
    CHECK_THAT(requests[0].headers.at("user-agent"),
               Catch::StartsWith("newswatch/"));
  }
  SECTION("a named config that is invalid is a usage error") {
    const fs::path bad = dir.Write("bad.toml", "data_dir = 5\n");
    const Outcome outcome = Parse({server.Url("/feed.rss")}, true, bad);
    CHECK(outcome.code == kExitUsage);
    CHECK(outcome.out.empty());
    CHECK(outcome.err.rfind("error: ", 0) == 0);
    CHECK(server.RequestCount() == 0);
  }
  SECTION("max_body_bytes bounds a file too") {
    const fs::path small = dir.Write(
        "small.toml",
        "data_dir = \"data\"\n[fetch]\nmax_body_bytes = 100\n" + feed);
    const fs::path file = dir.Write("desk.rss", TwoItemFeed());
    const Outcome outcome = Parse({file.string()}, true, small);
    CHECK(outcome.code == kExitFailure);
    CHECK_THAT(outcome.err, Catch::Contains("larger than max_body_bytes"));
  }
}

TEST_CASE("parse fails with exit 1 on what is not a feed", "[parse]") {
  TempDir dir;
  SECTION("an HTML page") {
    const fs::path file = dir.Write(
        "page.html", "<!DOCTYPE html><html><body>Hello</body></html>");
    const Outcome outcome = Parse({file.string()});
    CHECK(outcome.code == kExitFailure);
    CHECK(outcome.out.empty());
    CHECK(outcome.err == "newswatch: parse: " + FileUrl(file) +
                             ": not a feed: looks like HTML\n");
  }
  SECTION("a missing file") {
    const std::string missing = (dir.path() / "absent.rss").string();
    const Outcome outcome = Parse({missing});
    CHECK(outcome.code == kExitFailure);
    CHECK(outcome.out.empty());
    CHECK(outcome.err ==
          "newswatch: parse: " + missing + ": No such file or directory\n");
  }
  SECTION("a directory") {
    const Outcome outcome = Parse({dir.path().string()});
    CHECK(outcome.code == kExitFailure);
    CHECK_THAT(outcome.err, Catch::Contains("Is a directory"));
  }
  SECTION("a URL that answers 404") {
    HttpServer server;
    const std::string url = server.Url("/missing.rss");
    const Outcome outcome = Parse({url});
    CHECK(outcome.code == kExitFailure);
    CHECK(outcome.out.empty());
    CHECK(outcome.err == "newswatch: parse: " + url + ": HTTP 404\n");
  }
  SECTION("a URL that cannot be reached") {
    std::string url;
    {
      HttpServer gone;
      url = gone.Url("/feed.rss");
    }
    const Outcome outcome = Parse({url});
    CHECK(outcome.code == kExitFailure);
    CHECK_THAT(outcome.err, Catch::StartsWith("newswatch: parse: "));
    CHECK_THAT(outcome.err, Catch::Contains("fetch failed"));
  }
}

TEST_CASE("parse checks its arguments", "[parse]") {
  SECTION("--help") {
    const Outcome outcome = Parse({"--help"});
    CHECK(outcome.code == kExitOk);
    CHECK(outcome.out.rfind("usage: newswatch [--config PATH] parse", 0) == 0);
    CHECK_THAT(outcome.out, Catch::Contains("--json"));
  }
  SECTION("nothing to parse") {
    const Outcome outcome = Parse({});
    CHECK(outcome.code == kExitUsage);
    CHECK_THAT(outcome.err, Catch::Contains("parse needs one FILE or URL"));
  }
  SECTION("two things to parse") {
    CHECK(Parse({"a.xml", "b.xml"}).code == kExitUsage);
  }
  SECTION("an unknown option") {
    const Outcome outcome = Parse({"--limit", "3", "a.xml"});
    CHECK(outcome.code == kExitUsage);
    CHECK_THAT(outcome.err, Catch::Contains("unknown option --limit"));
  }
  SECTION("a scheme other than http and https") {
    const Outcome outcome = Parse({"ftp://example.org/feed.xml"});
    CHECK(outcome.code == kExitUsage);
    CHECK_THAT(outcome.err,
               Catch::Contains("only http://, https:// and file:// URLs"));
  }
}

}  // namespace
}  // namespace newswatch::daemon
