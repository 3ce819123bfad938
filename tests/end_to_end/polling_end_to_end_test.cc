// Polling through the real binary: `run --once` against a real loopback HTTP
// server, asserting on what the server received and on what `feeds --json`
// reports afterwards (conditional GET, gzip, redirects, 410, Retry-After,
// backoff, bodies that are not feeds, concurrency).
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/end_to_end/deployment.h"

namespace newswatch::testing {
namespace {

using nlohmann::json;

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-29T09:45:00Z" as Unix seconds.
std::int64_t ParseRfc3339(const json& value) {
  INFO(value.dump());
  REQUIRE(value.is_string());
  std::tm parts{};
  std::istringstream in(value.get<std::string>());
  in >> std::get_time(&parts, "%Y-%m-%dT%H:%M:%SZ");
  REQUIRE(!in.fail());
  return static_cast<std::int64_t>(timegm(&parts));
}

// One `run --once`, with the Unix seconds it started and ended at: whatever
// time the daemon took as "now" lies in [start, end].
struct Run {
  std::int64_t start = 0;
  std::int64_t end = 0;
  double seconds = 0;  // Wall-clock duration.
  ProcessResult result;
};

Run RunOnce(const Deployment& deployment) {
  Run run;
  run.start = UnixNow();
  const auto started = std::chrono::steady_clock::now();
  run.result = deployment.Run({"run", "--once"});
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  run.end = UnixNow();
  INFO(run.result.err);
  REQUIRE(run.result.exit_code == 0);
  return run;
}

// `feeds --json`, by feed name.
std::map<std::string, json> Feeds(const Deployment& deployment) {
  const ProcessResult result = deployment.Run({"feeds", "--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::map<std::string, json> feeds;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    json feed = json::parse(line);
    const std::string name = feed["name"].get<std::string>();
    feeds[name] = std::move(feed);
  }
  return feeds;
}

json FeedNamed(const Deployment& deployment, const std::string& name) {
  const auto feeds = Feeds(deployment);
  const auto found = feeds.find(name);
  INFO("feed " << name);
  REQUIRE(found != feeds.end());
  return found->second;
}

// `search QUERY --json`: the URLs of the first 100 hits, best first.
std::vector<std::string> SearchUrls(const Deployment& deployment,
                                    const std::string& query) {
  const ProcessResult result =
      deployment.Run({"search", "--limit", "100", "--json", query});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> urls;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    urls.push_back(json::parse(line)["url"].get<std::string>());
  }
  return urls;
}

// A [[feed]] section.
std::string FeedSection(const std::string& url, const std::string& name) {
  return "[[feed]]\nurl = \"" + url + "\"\nname = \"" + name + "\"\n\n";
}

// An RSS feed of one item whose description is `text`.
std::string OneItemFeed(const std::string& slug, const std::string& text) {
  const std::string link = "https://fixture.example.org/" + slug;
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<rss version=\"2.0\"><channel><title>" +
         slug + "</title><link>https://fixture.example.org/</link>" +
         "<description>Test fixture</description><item><title>Story " + slug +
         "</title><link>" + link + "</link><guid>" + link +
         "</guid><pubDate>Sun, 23 Nov 2025 09:30:00 GMT</pubDate>" +
         "<description>" + text + "</description></item></channel></rss>\n";
}

HttpResponse Rss(std::string body) {
  HttpResponse response;
  response.headers = {{"Content-Type", "application/rss+xml"}};
  response.body = std::move(body);
  return response;
}

HttpResponse Status(int status,
                    std::map<std::string, std::string> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  return response;
}

std::string Header(const HttpRequest& request, const std::string& name) {
  const auto found = request.headers.find(name);
  return found == request.headers.end() ? "" : found->second;
}

TEST_CASE("Validators are sent back verbatim and a 304 costs nothing",
          "[polling]") {
  // A weak ETag with its quotes, and a Last-Modified: both must come back
  // byte for byte.
  const std::string etag = "W/\"world-1\"";
  const std::string last_modified = "Sun, 23 Nov 2025 10:00:00 GMT";
  Deployment deployment;
  deployment.server().SetHandler(
      "/world.rss", [etag, last_modified](const HttpRequest& request) {
        if (Header(request, "if-none-match") == etag &&
            Header(request, "if-modified-since") == last_modified) {
          return Status(304);  // Without the validators: they are kept.
        }
        HttpResponse response = Rss(WorldFeed());
        response.headers["ETag"] = etag;
        response.headers["Last-Modified"] = last_modified;
        return response;
      });
  deployment.WriteConfig(
      FeedSection(deployment.server().Url("/world.rss"), "Validated"));

  const Run first = RunOnce(deployment);
  CHECK_THAT(first.result.err,
             Catch::Contains("feed \"Validated\": 4 article(s), 4 new"));
  const json after_first = FeedNamed(deployment, "Validated");
  CHECK(after_first["state"] == "ok");
  CHECK(after_first["http_status"] == 200);
  CHECK(after_first["etag"] == etag);
  CHECK(after_first["last_modified"] == last_modified);
  CHECK(after_first["articles_seen"] == 4);

  const Run second = RunOnce(deployment);
  INFO(second.result.err);
  auto requests = deployment.server().RequestsFor("/world.rss");
  REQUIRE(requests.size() == 2);
  CHECK(Header(requests[0], "if-none-match").empty());
  CHECK(Header(requests[0], "if-modified-since").empty());
  CHECK(Header(requests[1], "if-none-match") == etag);
  CHECK(Header(requests[1], "if-modified-since") == last_modified);
  CHECK_THAT(second.result.err,
             Catch::Contains("feed \"Validated\": not modified"));
  CHECK_THAT(second.result.err, !Catch::Contains("article(s)"));

  const json after_second = FeedNamed(deployment, "Validated");
  CHECK(after_second["state"] == "ok");
  CHECK(after_second["http_status"] == 304);
  CHECK(after_second["etag"] == etag);
  CHECK(after_second["last_modified"] == last_modified);
  CHECK(after_second["articles_seen"] == 4);
  CHECK(after_second["consecutive_errors"] == 0);
  const std::int64_t last_success = ParseRfc3339(after_second["last_success"]);
  CHECK(last_success >= second.start);
  CHECK(last_success <= second.end);
  // Nothing was indexed twice.
  CHECK(SearchUrls(deployment, "troops").size() == 3);

  // The validators survive the 304 that left them out.
  RunOnce(deployment);
  requests = deployment.server().RequestsFor("/world.rss");
  REQUIRE(requests.size() == 3);
  CHECK(Header(requests[2], "if-none-match") == etag);
  CHECK(Header(requests[2], "if-modified-since") == last_modified);
}

TEST_CASE("A gzip-compressed feed is decoded, parsed and searchable",
          "[polling]") {
  Deployment deployment;
  HttpResponse response = Rss(OneItemFeed("gzipped", "Zanzibar quokkas"));
  response.gzip = true;
  deployment.server().Set("/feed.rss", response);
  deployment.WriteConfig(
      FeedSection(deployment.server().Url("/feed.rss"), "Compressed"));

  const Run run = RunOnce(deployment);
  const auto requests = deployment.server().RequestsFor("/feed.rss");
  REQUIRE(requests.size() == 1);
  // The server compresses only when the client offers gzip.
  CHECK_THAT(Header(requests[0], "accept-encoding"), Catch::Contains("gzip"));
  CHECK_THAT(run.result.err,
             Catch::Contains("feed \"Compressed\": 1 article(s), 1 new"));
  CHECK(SearchUrls(deployment, "quokkas") ==
        std::vector<std::string>{"https://fixture.example.org/gzipped"});
  CHECK(FeedNamed(deployment, "Compressed")["state"] == "ok");
}

TEST_CASE("A permanent redirect re-points the feed; a temporary one does not",
          "[polling]") {
  const auto [status, permanent] = GENERATE(
      table<int, bool>({{301, true}, {308, true}, {302, false}, {307, false}}));
  INFO("HTTP " << status);
  Deployment deployment;
  HttpServer& server = deployment.server();
  server.Set("/old", Status(status, {{"Location", server.Url("/new")}}));
  server.Set("/new", Rss(WorldFeed()));
  deployment.WriteConfig(FeedSection(server.Url("/old"), "Moving"));

  const Run first = RunOnce(deployment);
  CHECK(server.RequestsFor("/old").size() == 1);
  CHECK(server.RequestsFor("/new").size() == 1);
  CHECK_THAT(first.result.err,
             Catch::Contains("feed \"Moving\": 4 article(s), 4 new"));
  if (permanent) {
    CHECK_THAT(first.result.err,
               Catch::Contains("moved permanently to " + server.Url("/new")));
  } else {
    CHECK_THAT(first.result.err, !Catch::Contains("moved permanently"));
  }

  const Run second = RunOnce(deployment);
  CHECK(server.RequestsFor("/old").size() == (permanent ? 1 : 2));
  CHECK(server.RequestsFor("/new").size() == 2);
  CHECK_THAT(second.result.err, !Catch::Contains("moved permanently"));

  const json feed = FeedNamed(deployment, "Moving");
  CHECK(feed["url"] == server.Url("/old"));
  CHECK(feed["effective_url"] ==
        server.Url(permanent ? std::string("/new") : std::string("/old")));
  CHECK(feed["state"] == "ok");
  CHECK(feed["http_status"] == 200);
  CHECK(feed["articles_seen"] == 4);
}

TEST_CASE("A permanent redirect to an error does not re-point the feed",
          "[polling]") {
  Deployment deployment;
  HttpServer& server = deployment.server();
  server.Set("/old", Status(301, {{"Location", server.Url("/new")}}));
  server.Set("/new", Status(500));
  deployment.WriteConfig(FeedSection(server.Url("/old"), "Broken move"));

  const Run first = RunOnce(deployment);
  CHECK_THAT(first.result.err, !Catch::Contains("moved permanently"));
  json feed = FeedNamed(deployment, "Broken move");
  CHECK(feed["effective_url"] == server.Url("/old"));
  CHECK(feed["state"] == "error");
  CHECK(feed["http_status"] == 500);

  // Once the new home answers with a feed, the move sticks.
  server.Set("/new", Rss(WorldFeed()));
  RunOnce(deployment);
  CHECK(server.RequestsFor("/old").size() == 2);
  feed = FeedNamed(deployment, "Broken move");
  CHECK(feed["effective_url"] == server.Url("/new"));
  CHECK(feed["state"] == "ok");
  RunOnce(deployment);
  CHECK(server.RequestsFor("/old").size() == 2);
  CHECK(server.RequestsFor("/new").size() == 3);
}

TEST_CASE("A feed that answers 410 is gone and no longer polled", "[polling]") {
  Deployment deployment;
  HttpServer& server = deployment.server();
  server.Set("/gone", Status(410));
  server.Set("/world.rss", Rss(WorldFeed()));
  deployment.WriteConfig(FeedSection(server.Url("/gone"), "Departed") +
                         FeedSection(server.Url("/world.rss"), "World"));

  const Run first = RunOnce(deployment);
  CHECK_THAT(first.result.err,
             Catch::Contains("feed \"Departed\": " + server.Url("/gone") +
                             " answered 410 Gone; no longer polled"));
  CHECK_THAT(first.result.err, Catch::Contains("2 feed(s), "));
  CHECK_THAT(first.result.err, !Catch::Contains("gone, not polled"));
  json gone = FeedNamed(deployment, "Departed");
  CHECK(gone["state"] == "gone");
  CHECK(gone["http_status"] == 410);
  CHECK(gone["next_poll"].is_null());
  CHECK_THAT(gone["last_error"].get<std::string>(), Catch::Contains("410"));

  const Run second = RunOnce(deployment);
  CHECK(server.RequestsFor("/gone").size() == 1);
  CHECK(server.RequestsFor("/world.rss").size() == 2);
  CHECK_THAT(second.result.err,
             Catch::Contains("2 feed(s) (1 gone, not polled), "));
  CHECK(FeedNamed(deployment, "Departed")["state"] == "gone");
  CHECK(FeedNamed(deployment, "World")["state"] == "ok");
}

TEST_CASE("Retry-After on a 429 or 503 sets the next poll", "[polling]") {
  Deployment deployment;
  HttpServer& server = deployment.server();
  server.Set("/limited", Status(429, {{"Retry-After", "3600"}}));
  deployment.WriteConfig(FeedSection(server.Url("/limited"), "Limited") +
                         FeedSection(server.Url("/busy"), "Busy"));
  // Two hours from now, as an HTTP-date (computed per request, so it is
  // in the future whenever the request comes).
  server.SetHandler("/busy", [](const HttpRequest&) {
    return Status(503, {{"Retry-After", HttpDate(UnixNow() + 7200)}});
  });

  const Run run = RunOnce(deployment);
  CHECK_THAT(run.result.err, Catch::Contains("(as Retry-After asks)"));

  const json limited = FeedNamed(deployment, "Limited");
  CHECK(limited["state"] == "error");
  CHECK(limited["http_status"] == 429);
  CHECK(limited["consecutive_errors"] == 1);
  CHECK_THAT(limited["last_error"].get<std::string>(),
             Catch::Contains("HTTP status 429"));
  // Exactly an hour after the response: the first backoff (15 m +- 10%) is
  // shorter, and jitter never shortens a Retry-After.
  const std::int64_t next_limited = ParseRfc3339(limited["next_poll"]);
  CHECK(next_limited >= run.start + 3600);
  CHECK(next_limited <= run.end + 3600);

  const json busy = FeedNamed(deployment, "Busy");
  CHECK(busy["state"] == "error");
  CHECK(busy["http_status"] == 503);
  const std::int64_t next_busy = ParseRfc3339(busy["next_poll"]);
  CHECK(next_busy >= run.start + 7200);
  CHECK(next_busy <= run.end + 7200);
}

TEST_CASE("Errors back off, and a success resets the count", "[polling]") {
  Deployment deployment;
  HttpServer& server = deployment.server();
  server.Set("/flaky", Status(500));
  // interval 10m: backoff 10m, then 20m, each +- 10%.
  deployment.WriteConfig(FeedSection(server.Url("/flaky"), "Flaky") +
                         "interval = \"10m\"\n");

  const Run first = RunOnce(deployment);
  CHECK_THAT(first.result.err, Catch::Contains("HTTP status 500"));
  CHECK_THAT(first.result.err, Catch::Contains("1 error(s) in a row"));
  json feed = FeedNamed(deployment, "Flaky");
  CHECK(feed["state"] == "error");
  CHECK(feed["http_status"] == 500);
  CHECK(feed["consecutive_errors"] == 1);
  CHECK(feed["last_success"].is_null());
  CHECK(feed["last_error"] == "HTTP status 500");
  const std::int64_t next_first = ParseRfc3339(feed["next_poll"]);
  CHECK(next_first >= first.start + 540);
  CHECK(next_first <= first.end + 660);

  const Run second = RunOnce(deployment);
  CHECK_THAT(second.result.err, Catch::Contains("2 error(s) in a row"));
  feed = FeedNamed(deployment, "Flaky");
  CHECK(feed["state"] == "error");
  CHECK(feed["consecutive_errors"] == 2);
  const std::int64_t next_second = ParseRfc3339(feed["next_poll"]);
  CHECK(next_second >= second.start + 1080);
  CHECK(next_second <= second.end + 1320);
  CHECK(next_second > next_first);

  server.Set("/flaky", Rss(WorldFeed()));
  const Run third = RunOnce(deployment);
  CHECK_THAT(third.result.err,
             Catch::Contains("feed \"Flaky\": 4 article(s), 4 new"));
  feed = FeedNamed(deployment, "Flaky");
  CHECK(feed["state"] == "ok");
  CHECK(feed["http_status"] == 200);
  CHECK(feed["consecutive_errors"] == 0);
  CHECK(feed["last_error"].is_null());
  const std::int64_t last_success = ParseRfc3339(feed["last_success"]);
  CHECK(last_success >= third.start);
  CHECK(last_success <= third.end);
  // Back on the interval, not the backoff.
  const std::int64_t next_third = ParseRfc3339(feed["next_poll"]);
  CHECK(next_third >= third.start + 540);
  CHECK(next_third <= third.end + 660);
}

TEST_CASE("A body that is not a feed is an error for that feed alone",
          "[polling]") {
  Deployment deployment;
  HttpServer& server = deployment.server();
  HttpResponse page;
  page.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  page.body =
      "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>"
      "<body><p>Our new website</p></body></html>\n";
  server.Set("/page", page);
  server.Set("/world.rss", Rss(WorldFeed()));
  deployment.WriteConfig(FeedSection(server.Url("/page"), "Homepage") +
                         FeedSection(server.Url("/world.rss"), "World"));

  const Run run = RunOnce(deployment);
  CHECK_THAT(run.result.err, Catch::Contains("not a feed"));
  CHECK_THAT(run.result.err,
             Catch::Contains("feed \"World\": 4 article(s), 4 new"));

  const json page_feed = FeedNamed(deployment, "Homepage");
  CHECK(page_feed["state"] == "error");
  CHECK(page_feed["consecutive_errors"] == 1);
  CHECK(page_feed["http_status"] == 200);
  CHECK_THAT(page_feed["last_error"].get<std::string>(),
             Catch::Contains("not a feed"));
  CHECK(page_feed["articles_seen"] == 0);
  CHECK(page_feed["last_success"].is_null());

  const json world = FeedNamed(deployment, "World");
  CHECK(world["state"] == "ok");
  CHECK(world["articles_seen"] == 4);
  CHECK(
      SearchUrls(deployment, "Odesa") ==
      std::vector<std::string>{"https://fixture.example.org/2025/11/20/grain"});
  CHECK(SearchUrls(deployment, "website").empty());
}

// `count` feeds on one host, each answering after `delay`, polled with the
// given limits; returns the run.
Run PollSlowFeeds(Deployment& deployment, int count,
                  std::chrono::milliseconds delay, int max_concurrent,
                  int max_per_host) {
  std::string config =
      "[fetch]\nmax_concurrent = " + std::to_string(max_concurrent) +
      "\nmax_per_host = " + std::to_string(max_per_host) + "\n\n";
  for (int i = 0; i < count; ++i) {
    const std::string path = "/slow/" + std::to_string(i);
    HttpResponse response =
        Rss(OneItemFeed("slow" + std::to_string(i), "Tortoise"));
    response.delay = delay;
    deployment.server().Set(path, response);
    config +=
        FeedSection(deployment.server().Url(path), "Slow " + std::to_string(i));
  }
  deployment.WriteConfig(config);
  Run run = RunOnce(deployment);
  CHECK(deployment.server().RequestCount() == static_cast<size_t>(count));
  const auto feeds = Feeds(deployment);
  CHECK(feeds.size() == static_cast<size_t>(count));
  for (const auto& [name, feed] : feeds) {
    INFO(name);
    CHECK(feed["state"] == "ok");
    CHECK(feed["articles_seen"] == 1);
  }
  return run;
}

TEST_CASE("Many slow feeds are polled concurrently", "[polling]") {
  Deployment deployment;
  const Run run =
      PollSlowFeeds(deployment, 24, std::chrono::milliseconds(1000), 24, 24);
  INFO(run.result.err);
  // One at a time would take 24 s; all at once, about 1 s.
  CHECK(run.seconds < 10);
  CHECK(SearchUrls(deployment, "tortoise").size() == 24);
}

TEST_CASE("max_per_host bounds the transfers to one host", "[polling]") {
  Deployment deployment;
  // 8 feeds, 2 at a time: 4 rounds of 500 ms at the least.
  const Run run =
      PollSlowFeeds(deployment, 8, std::chrono::milliseconds(500), 24, 2);
  INFO(run.result.err);
  CHECK(run.seconds >= 2.0);
  CHECK(run.seconds < 10);
}

// An RSS feed of `items` (title, link, description) and, when `cut_item` is
// not empty, an item that breaks off in the middle of that title, as a
// truncated download would.
std::string ItemsFeed(const std::vector<std::vector<std::string>>& items,
                      const std::string& cut_item = "") {
  std::string feed =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
      "<channel><title>Items</title><link>https://fixture.example.org/</link>"
      "<description>Test fixture</description>\n";
  for (const std::vector<std::string>& item : items) {
    feed += "<item><title>" + item.at(0) + "</title><link>" + item.at(1) +
            "</link><guid>" + item.at(1) +
            "</guid><pubDate>Sun, 23 Nov 2025 09:30:00 GMT</pubDate>"
            "<description>" +
            item.at(2) + "</description></item>\n";
  }
  if (!cut_item.empty()) return feed + "<item><title>" + cut_item;
  return feed + "</channel></rss>\n";
}

TEST_CASE("A feed whose XML breaks keeps the items before the break and warns",
          "[polling]") {
  const std::vector<std::string> first = {
      "Albatross sighted", "https://fixture.example.org/albatross",
      "An albatross over the harbour."};
  const std::vector<std::string> second = {
      "Bittern booms", "https://fixture.example.org/bittern",
      "A bittern in the reeds."};
  const std::vector<std::string> third = {
      "Cormorant dives", "https://fixture.example.org/cormorant",
      "A cormorant dries its wings."};
  // "broken" (ETag "b1", 304 to it), then "fixed" (ETag "f1").
  std::atomic<bool> fixed{false};
  Deployment deployment;
  deployment.server().SetHandler("/birds.rss", [&](const HttpRequest& request) {
    const std::string etag = fixed ? "\"f1\"" : "\"b1\"";
    if (Header(request, "if-none-match") == etag) return Status(304);
    HttpResponse response =
        Rss(fixed ? ItemsFeed({first, second, third})
                  : ItemsFeed({first, second}, "Cormorant di"));
    response.headers["ETag"] = etag;
    return response;
  });
  deployment.WriteConfig(
      FeedSection(deployment.server().Url("/birds.rss"), "Birds"));

  const Run broken = RunOnce(deployment);
  INFO(broken.result.err);
  CHECK_THAT(broken.result.err,
             Catch::Contains("feed \"Birds\": 2 article(s), 2 new"));
  CHECK_THAT(broken.result.err,
             Catch::Contains("feed \"Birds\": warning: XML breaks at offset "));
  CHECK(CountOccurrences(broken.result.err, "warning:") == 1);
  CHECK(SearchUrls(deployment, "albatross") ==
        std::vector<std::string>{first[1]});
  CHECK(SearchUrls(deployment, "bittern") ==
        std::vector<std::string>{second[1]});
  CHECK(SearchUrls(deployment, "cormorant").empty());
  json birds = FeedNamed(deployment, "Birds");
  CHECK(birds["state"] == "ok");
  REQUIRE(birds["last_warning"].is_string());
  const std::string warning = birds["last_warning"];
  CHECK_THAT(warning, Catch::StartsWith("XML breaks at offset "));
  CHECK_THAT(warning, Catch::EndsWith("; kept 2 items before it"));
  const ProcessResult listing = deployment.Run({"feeds"});
  CHECK_THAT(listing.out, Catch::Contains("    warning: " + warning + "\n"));

  // A 304 parses nothing, so the warning stands.
  const Run not_modified = RunOnce(deployment);
  CHECK_THAT(not_modified.result.err,
             Catch::Contains("feed \"Birds\": not modified"));
  CHECK(not_modified.result.err.find("warning:") == std::string::npos);
  CHECK(FeedNamed(deployment, "Birds")["last_warning"] == warning);

  // The server fixes the feed: the warning clears.
  fixed = true;
  const Run repaired = RunOnce(deployment);
  INFO(repaired.result.err);
  CHECK_THAT(repaired.result.err,
             Catch::Contains("feed \"Birds\": 3 article(s), 1 new"));
  CHECK(repaired.result.err.find("warning:") == std::string::npos);
  birds = FeedNamed(deployment, "Birds");
  CHECK(birds["last_warning"].is_null());
  CHECK(birds["articles_seen"] == 3);
  CHECK(SearchUrls(deployment, "cormorant") ==
        std::vector<std::string>{third[1]});
  CHECK(deployment.Run({"feeds"}).out.find("warning:") == std::string::npos);
}

TEST_CASE("A redirected feed is read as fetched: links and encoding",
          "[polling]") {
  Deployment deployment;
  HttpServer& server = deployment.server();
  server.Set("/a/feed.rss",
             Status(302, {{"Location", server.Url("/b/feed.rss")}}));
  // A relative link resolves against where the body came from, and the
  // KOI8-R title ("Привет") is read as the Content-Type says.
  HttpResponse response;
  response.headers = {{"Content-Type", "application/rss+xml; charset=KOI8-R"}};
  response.body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
      "<title>Moved</title><item><title>\xf0\xd2\xc9\xd7\xc5\xd4 quokka"
      "</title><link>story.html</link><description>A quokka smiles."
      "</description></item></channel></rss>";
  server.Set("/b/feed.rss", response);
  deployment.WriteConfig(FeedSection(server.Url("/a/feed.rss"), "Moved"));
  RunOnce(deployment);

  const ProcessResult result = deployment.Run({"search", "--json", "quokka"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::istringstream lines(result.out);
  std::string line;
  REQUIRE(std::getline(lines, line));
  const json hit = json::parse(line);
  CHECK(hit["url"] == server.Url("/b/story.html"));
  CHECK(hit["title"] ==
        "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 quokka");
  CHECK_FALSE(std::getline(lines, line));
}

}  // namespace
}  // namespace newswatch::testing
