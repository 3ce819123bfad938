#include "daemon/feed_poller.h"

#include <curl/curl.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "tests/support/http_server.h"
#include "tests/support/temp_dir.h"

namespace newswatch::daemon {
namespace {

using newswatch::testing::Gzip;
using newswatch::testing::HttpRequest;
using newswatch::testing::HttpResponse;
using newswatch::testing::HttpServer;
using newswatch::testing::TempDir;

// main() runs curl_global_init in the real program; the shared test main
// does not, so every test that builds a poller goes through here first.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

config::FetchSettings Settings(long max_body_bytes = 1024 * 1024) {
  config::FetchSettings settings;
  settings.max_body_bytes = max_body_bytes;
  settings.timeout = config::Seconds(10);
  return settings;
}

PollRequest Request(size_t feed, std::string url) {
  PollRequest request;
  request.feed = feed;
  request.url = std::move(url);
  return request;
}

PollResponse Poll(const std::string& url,
                  const config::FetchSettings& settings = Settings(),
                  PollRequest request = {}, PollerOptions options = {}) {
  InitCurlOnce();
  request.url = url;
  return PollOne(settings, std::move(request), std::move(options));
}

PollResponse PollOk(const std::string& url,
                    const config::FetchSettings& settings = Settings()) {
  PollResponse response = Poll(url, settings);
  INFO((response.error ? response.error->ToString() : std::string()));
  REQUIRE_FALSE(response.error);
  return response;
}

config::Error PollError(const std::string& url,
                        const config::FetchSettings& settings = Settings(),
                        PollRequest request = {}, PollerOptions options = {}) {
  PollResponse response =
      Poll(url, settings, std::move(request), std::move(options));
  REQUIRE(response.error);
  INFO(response.error->ToString());
  CHECK(response.error->where == url);
  return *response.error;
}

constexpr const char* kRss =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
    "</channel></rss>";

TEST_CASE("Poller returns the body and headers of a 200", "[poller]") {
  HttpServer server;
  server.Set(
      "/feed.xml",
      HttpResponse{200,
                   {{"Content-Type", "application/rss+xml; charset=utf-8"},
                    {"ETag", "\"v1\""},
                    {"Last-Modified", "Sat, 28 Nov 2026 10:00:00 GMT"},
                    {"Cache-Control", "public, max-age=600"},
                    {"Expires", "Sat, 28 Nov 2026 11:00:00 GMT"}},
                   kRss});
  const PollResponse response = PollOk(server.Url("/feed.xml"));
  CHECK(response.http_status == 200);
  CHECK(response.body == kRss);
  CHECK(response.content_type == "application/rss+xml; charset=utf-8");
  CHECK(response.final_url == server.Url("/feed.xml"));
  CHECK(response.url == server.Url("/feed.xml"));
  CHECK(response.etag == "\"v1\"");
  CHECK(response.last_modified == "Sat, 28 Nov 2026 10:00:00 GMT");
  CHECK(response.cache_control == "public, max-age=600");
  CHECK(response.expires == "Sat, 28 Nov 2026 11:00:00 GMT");
  CHECK(response.permanent_url.empty());
  CHECK(response.redirects == 0);
  CHECK(response.bytes_received > std::string(kRss).size());
}

TEST_CASE("Poller identifies itself as newswatch and asks for feeds",
          "[poller]") {
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200, {}, kRss});
  PollOk(server.Url("/feed.xml"));
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].path == "/feed.xml");
  REQUIRE(requests[0].headers.count("user-agent") == 1);
  CHECK_THAT(requests[0].headers.at("user-agent"),
             Catch::StartsWith("newswatch/"));
  CHECK_THAT(requests[0].headers.at("accept"),
             Catch::Contains("application/rss+xml"));
  CHECK_THAT(requests[0].headers.at("accept-encoding"),
             Catch::Contains("gzip"));
  CHECK_THAT(requests[0].headers.at("accept-encoding"), Catch::Contains("br"));
  CHECK(requests[0].headers.count("if-none-match") == 0);
  CHECK_THAT(FeedPoller::DefaultUserAgent(), Catch::StartsWith("newswatch/"));
}

TEST_CASE("Poller sends the configured user agent", "[poller]") {
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200, {}, kRss});
  config::FetchSettings settings = Settings();
  settings.user_agent = "custom-agent/2.0";
  PollOk(server.Url("/feed.xml"), settings);
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].headers.at("user-agent") == "custom-agent/2.0");
}

TEST_CASE("Poller sends validators back, and a 304 has no body", "[poller]") {
  HttpServer server;
  const std::string etag = "W/\"abc-123\"";
  const std::string modified = "Fri, 27 Nov 2026 08:00:00 GMT";
  server.SetHandler("/feed.xml", [&](const HttpRequest& request) {
    const auto match = request.headers.find("if-none-match");
    if (match != request.headers.end() && match->second == etag) {
      return HttpResponse{304, {{"ETag", etag}}, ""};
    }
    return HttpResponse{
        200, {{"ETag", etag}, {"Last-Modified", modified}}, kRss};
  });
  const PollResponse first = PollOk(server.Url("/feed.xml"));
  CHECK(first.http_status == 200);
  CHECK(first.etag == etag);
  CHECK(first.last_modified == modified);

  PollRequest again;
  again.etag = first.etag;
  again.last_modified = first.last_modified;
  const PollResponse second = Poll(server.Url("/feed.xml"), Settings(), again);
  REQUIRE_FALSE(second.error);
  CHECK(second.http_status == 304);
  CHECK(second.body.empty());
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].headers.at("if-none-match") == etag);
  CHECK(requests[1].headers.at("if-modified-since") == modified);
}

TEST_CASE("Poller never sends a validator with control characters",
          "[poller]") {
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200, {}, kRss});
  PollRequest request;
  request.etag = "\"x\"\r\nX-Injected: yes";
  Poll(server.Url("/feed.xml"), Settings(), request);
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].headers.count("if-none-match") == 0);
  CHECK(requests[0].headers.count("x-injected") == 0);
}

TEST_CASE("Poller reads file:// URLs", "[poller]") {
  TempDir dir;
  const auto file = dir.Write("feeds/world.rss", kRss);
  const PollResponse response = PollOk("file://" + file.string());
  CHECK(response.body == kRss);
  CHECK(response.http_status == 0);
}

TEST_CASE("Poller: a missing file is a permanent error naming the URL",
          "[poller]") {
  TempDir dir;
  const std::string url = "file://" + (dir.path() / "absent.rss").string();
  const config::Error error = PollError(url);
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.ToString(), Catch::Contains(url));
}

TEST_CASE("Poller passes HTTP error statuses on with their headers",
          "[poller]") {
  HttpServer server;
  server.Set("/busy", HttpResponse{503, {{"Retry-After", "120"}}, "busy"});
  server.Set("/slow-down", HttpResponse{429, {{"Retry-After", "7"}}, "slow"});
  server.Set("/gone", HttpResponse{410, {}, "gone"});
  const PollResponse busy = PollOk(server.Url("/busy"));
  CHECK(busy.http_status == 503);
  CHECK(busy.retry_after == "120");
  CHECK(busy.body.empty());  // Only 2xx bodies are kept.
  CHECK(PollOk(server.Url("/slow-down")).retry_after == "7");
  CHECK(PollOk(server.Url("/gone")).http_status == 410);
  CHECK(PollOk(server.Url("/absent")).http_status == 404);
}

TEST_CASE("Poller abandons a body larger than max_body_bytes", "[poller]") {
  HttpServer server;
  server.Set("/big", HttpResponse{200, {}, std::string(5000, 'x')});
  server.Set("/fits", HttpResponse{200, {}, std::string(4096, 'y')});
  const config::Error error = PollError(server.Url("/big"), Settings(4096));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("max_body_bytes"));
  CHECK_THAT(error.what, Catch::Contains("4096"));
  // Exactly at the cap is fine.
  CHECK(PollOk(server.Url("/fits"), Settings(4096)).body.size() == 4096);
}

TEST_CASE("Poller inflates gzip bodies", "[poller]") {
  HttpServer server;
  HttpResponse gzipped{200, {}, kRss};
  gzipped.gzip = true;
  server.Set("/feed.xml", gzipped);
  const PollResponse response = PollOk(server.Url("/feed.xml"));
  CHECK(response.body == kRss);
  CHECK(server.Requests().at(0).headers.at("accept-encoding").find("gzip") !=
        std::string::npos);
}

TEST_CASE("Poller caps the inflated size of a gzip bomb, not the compressed",
          "[poller]") {
  const std::string compressed = Gzip(std::string(64 * 1024 * 1024, 'a'));
  REQUIRE(compressed.size() < 256 * 1024);
  HttpServer server;
  server.Set("/bomb",
             HttpResponse{200, {{"Content-Encoding", "gzip"}}, compressed});
  const config::Error error =
      PollError(server.Url("/bomb"), Settings(1024 * 1024));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("max_body_bytes"));
}

TEST_CASE("Poller: a 301 chain is permanent, a 302 is not", "[poller]") {
  HttpServer server;
  server.Set("/moved", HttpResponse{301, {{"Location", "/moved-again"}}, ""});
  server.Set("/moved-again",
             HttpResponse{308, {{"Location", "/home"}}, "ignored"});
  server.Set("/borrowed", HttpResponse{302, {{"Location", "/home"}}, ""});
  server.Set("/mixed", HttpResponse{301, {{"Location", "/borrowed"}}, ""});
  server.Set("/home", HttpResponse{200, {}, kRss});

  const PollResponse moved = PollOk(server.Url("/moved"));
  CHECK(moved.http_status == 200);
  CHECK(moved.body == kRss);
  CHECK(moved.redirects == 2);
  CHECK(moved.final_url == server.Url("/home"));
  CHECK(moved.permanent_url == server.Url("/home"));

  const PollResponse borrowed = PollOk(server.Url("/borrowed"));
  CHECK(borrowed.final_url == server.Url("/home"));
  CHECK(borrowed.permanent_url.empty());

  // Permanent only as far as the run of 301/308 goes.
  const PollResponse mixed = PollOk(server.Url("/mixed"));
  CHECK(mixed.final_url == server.Url("/home"));
  CHECK(mixed.permanent_url == server.Url("/borrowed"));
}

TEST_CASE("Poller follows at most 5 redirects", "[poller]") {
  HttpServer server;
  for (int i = 0; i < 6; ++i) {
    server.Set(
        "/hop" + std::to_string(i),
        HttpResponse{302, {{"Location", "/hop" + std::to_string(i + 1)}}, ""});
  }
  server.Set("/hop6", HttpResponse{200, {}, kRss});
  server.Set("/hop1-of-5", HttpResponse{302, {{"Location", "/hop2"}}, ""});
  const config::Error error = PollError(server.Url("/hop0"));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("more than 5 redirects"));
  CHECK(server.Requests().size() == 6);
  // Five redirects (hop1 .. hop6) are fine.
  CHECK(PollOk(server.Url("/hop1")).body == kRss);
}

TEST_CASE("Poller refuses a redirect to a file:// URL", "[poller]") {
  TempDir dir;
  const auto secret = dir.Write("secret.txt", "do not leak");
  HttpServer server;
  server.Set(
      "/sneaky",
      HttpResponse{302, {{"Location", "file://" + secret.string()}}, ""});
  const config::Error error = PollError(server.Url("/sneaky"));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("only http and https"));
}

// A test machine has no public address, so these treat 127.0.0.1 as public
// and every other address (127.0.0.2 here) by the real rule: restricted.
PollerOptions LoopbackOneIsPublic() {
  PollerOptions options;
  options.is_restricted = [](std::string_view ip) {
    return ip != "127.0.0.1" && IsRestrictedAddress(ip);
  };
  return options;
}

TEST_CASE("Poller refuses a redirect from a public address to loopback",
          "[poller]") {
  HttpServer inside("127.0.0.2");
  inside.Set("/admin", HttpResponse{200, {}, "secret"});
  HttpServer outside;
  outside.Set("/feed",
              HttpResponse{302, {{"Location", inside.Url("/admin")}}, ""});
  const config::Error error =
      PollError(outside.Url("/feed"), Settings(), {}, LoopbackOneIsPublic());
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("127.0.0.2"));
  CHECK_THAT(error.what, Catch::Contains("refused"));
  // The address was checked before the request was sent.
  CHECK(inside.Requests().empty());
}

TEST_CASE("Poller lets a feed configured on a private address redirect there",
          "[poller]") {
  HttpServer inside("127.0.0.2");
  inside.Set("/old", HttpResponse{301, {{"Location", "/new"}}, ""});
  inside.Set("/new", HttpResponse{200, {}, kRss});
  const PollResponse response =
      Poll(inside.Url("/old"), Settings(), {}, LoopbackOneIsPublic());
  REQUIRE_FALSE(response.error);
  CHECK(response.body == kRss);
  CHECK(response.first_hop_restricted);

  // A URL a redirect led to is not trusted on its own: polled again later,
  // it needs the permission learnt from the configured URL.
  PollRequest untrusted;
  untrusted.trust_first_hop = false;
  const PollResponse refused =
      Poll(inside.Url("/new"), Settings(), untrusted, LoopbackOneIsPublic());
  REQUIRE(refused.error);
  CHECK_THAT(refused.error->what, Catch::Contains("refused"));
  PollRequest permitted = untrusted;
  permitted.allow_restricted = true;
  CHECK_FALSE(
      Poll(inside.Url("/new"), Settings(), permitted, LoopbackOneIsPublic())
          .error);
}

TEST_CASE("Poller says whether a feed's new home is on a restricted address",
          "[poller]") {
  HttpServer outside;
  outside.Set("/home", HttpResponse{200, {}, kRss});
  HttpServer inside("127.0.0.2");
  inside.Set("/moved-out",
             HttpResponse{301, {{"Location", outside.Url("/home")}}, ""});
  inside.Set("/moved-within", HttpResponse{301, {{"Location", "/home"}}, ""});
  inside.Set("/home", HttpResponse{200, {}, kRss});

  const PollResponse out =
      Poll(inside.Url("/moved-out"), Settings(), {}, LoopbackOneIsPublic());
  REQUIRE_FALSE(out.error);
  CHECK(out.first_hop_restricted);
  CHECK(out.permanent_url == outside.Url("/home"));
  CHECK_FALSE(out.permanent_url_restricted);

  const PollResponse within =
      Poll(inside.Url("/moved-within"), Settings(), {}, LoopbackOneIsPublic());
  REQUIRE_FALSE(within.error);
  CHECK(within.permanent_url == inside.Url("/home"));
  CHECK(within.permanent_url_restricted);
}

TEST_CASE("Poller refuses a first hop to a restricted address it may not trust",
          "[poller]") {
  HttpServer inside("127.0.0.2");
  inside.Set("/feed", HttpResponse{200, {}, kRss});
  PollRequest untrusted;
  untrusted.trust_first_hop = false;
  const config::Error error = PollError(inside.Url("/feed"), Settings(),
                                        untrusted, LoopbackOneIsPublic());
  CHECK_THAT(error.what, Catch::StartsWith("connection to "));
  CHECK(inside.Requests().empty());
}

TEST_CASE("Poller ignores proxies named in the environment", "[poller]") {
  // Through a proxy, the address checked would be the proxy's. A proxy that
  // does not exist shows whether it is used: the fetch would fail.
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200, {}, kRss});
  setenv("http_proxy", "http://127.0.0.1:1", 1);
  setenv("ALL_PROXY", "http://127.0.0.1:1", 1);
  const PollResponse response = Poll(server.Url("/feed.xml"));
  unsetenv("http_proxy");
  unsetenv("ALL_PROXY");
  REQUIRE_FALSE(response.error);
  CHECK(response.body == kRss);
}

TEST_CASE("Poller under the real rule: loopback may redirect to loopback",
          "[poller]") {
  HttpServer server;
  server.Set("/old", HttpResponse{302, {{"Location", "/new"}}, ""});
  server.Set("/new", HttpResponse{200, {}, kRss});
  const PollResponse response = PollOk(server.Url("/old"));
  CHECK(response.first_hop_restricted);
  CHECK(response.body == kRss);
}

TEST_CASE("IsRestrictedAddress knows loopback, private and link-local",
          "[poller]") {
  for (const char* ip : {"127.0.0.1",
                         "127.255.0.9",
                         "10.1.2.3",
                         "172.16.0.1",
                         "172.31.255.1",
                         "192.168.1.1",
                         "169.254.169.254",
                         "100.64.0.1",
                         "0.0.0.0",
                         "::1",
                         "::",
                         "fe80::1",
                         "fc00::1",
                         "fd12:3456::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "224.0.0.1",
                         "255.255.255.255",
                         "not-an-ip",
                         ""}) {
    INFO(ip);
    CHECK(IsRestrictedAddress(ip));
  }
  for (const char* ip :
       {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1",
        "2606:4700::1111", "::ffff:93.184.216.34"}) {
    INFO(ip);
    CHECK_FALSE(IsRestrictedAddress(ip));
  }
}

TEST_CASE("Poller: connection refused is transient", "[poller]") {
  std::string url;
  {
    HttpServer server;
    url = server.Url("/feed.xml");
  }
  const config::Error error = PollError(url);
  CHECK(error.kind == config::ErrorKind::kTransient);
  CHECK_THAT(error.what, Catch::StartsWith("fetch failed: "));
}

TEST_CASE("Poller refuses schemes other than http, https and file",
          "[poller]") {
  const config::Error error = PollError("ftp://127.0.0.1:1/feed.xml");
  CHECK(error.kind == config::ErrorKind::kPermanent);
}

TEST_CASE("Poller drops a server that trickles bytes", "[poller]") {
  HttpServer server;
  HttpResponse trickle{200, {}, std::string(100 * 1024, 'x')};
  trickle.trickle_bytes = 10;
  trickle.trickle_interval = std::chrono::milliseconds(100);
  server.Set("/trickle", trickle);
  config::FetchSettings settings = Settings();
  settings.low_speed_time = config::Seconds(2);
  const auto started = std::chrono::steady_clock::now();
  const config::Error error = PollError(server.Url("/trickle"), settings);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(error.kind == config::ErrorKind::kTransient);
  CHECK_THAT(error.what, Catch::Contains("too slow"));
  CHECK(took < std::chrono::seconds(6));  // Not the 10 s timeout, nor 100 s.
}

TEST_CASE("Poller gives up at the overall timeout", "[poller]") {
  HttpServer server;
  HttpResponse late{200, {}, kRss};
  late.delay = std::chrono::seconds(5);
  server.Set("/late", late);
  config::FetchSettings settings = Settings();
  settings.timeout = config::Seconds(1);
  const config::Error error = PollError(server.Url("/late"), settings);
  CHECK(error.kind == config::ErrorKind::kTransient);
  CHECK_THAT(error.what, Catch::Contains("imed out"));
}

// Serves every path a feed after `delay`, counting the requests in
// progress at once: the most seen is what the poller let through.
class ConcurrencyGauge {
 public:
  HttpServer::Handler SlowFeed(std::chrono::milliseconds delay) {
    return [this, delay](const HttpRequest&) {
      const int now = ++concurrent_;
      int seen = most_.load();
      while (now > seen && !most_.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(delay);
      --concurrent_;
      return HttpResponse{200, {}, kRss};
    };
  }
  int most() const { return most_.load(); }

 private:
  std::atomic<int> concurrent_{0};
  std::atomic<int> most_{0};
};

// Takes responses from `poller` until `count` came or 20 s passed.
std::vector<PollResponse> TakeResponses(FeedPoller& poller, size_t count) {
  std::vector<PollResponse> responses;
  const auto started = std::chrono::steady_clock::now();
  while (responses.size() < count &&
         std::chrono::steady_clock::now() - started <
             std::chrono::seconds(20)) {
    for (PollResponse& response : poller.Take(std::chrono::milliseconds(200))) {
      responses.push_back(std::move(response));
    }
  }
  return responses;
}

TEST_CASE("Poller fetches many slow feeds in parallel", "[poller]") {
  InitCurlOnce();
  HttpServer server;
  ConcurrencyGauge gauge;
  server.SetFallback(gauge.SlowFeed(std::chrono::milliseconds(500)));
  config::FetchSettings settings = Settings();
  settings.max_concurrent = 20;
  settings.max_per_host = 20;
  FeedPoller poller(settings);
  std::vector<PollRequest> requests;
  for (size_t i = 0; i < 40; ++i) {
    requests.push_back(Request(i, server.Url("/feed" + std::to_string(i))));
  }
  const auto started = std::chrono::steady_clock::now();
  poller.Submit(requests);
  const std::vector<PollResponse> responses = TakeResponses(poller, 40);
  const auto took = std::chrono::steady_clock::now() - started;
  std::vector<bool> seen(40, false);
  for (const PollResponse& response : responses) {
    REQUIRE_FALSE(response.error);
    REQUIRE(response.feed < 40);
    CHECK_FALSE(seen[response.feed]);
    seen[response.feed] = true;
    CHECK(response.url == server.Url("/feed" + std::to_string(response.feed)));
  }
  CHECK(responses.size() == 40);
  CHECK(poller.Outstanding() == 0);
  // 40 feeds x 0.5 s, 20 at a time: about 1 s, not 20 s.
  CHECK(took < std::chrono::seconds(5));
  CHECK(gauge.most() <= 20);
  CHECK(gauge.most() >= 10);
}

TEST_CASE("Poller keeps to max_per_host", "[poller]") {
  InitCurlOnce();
  HttpServer server;
  ConcurrencyGauge gauge;
  server.SetFallback(gauge.SlowFeed(std::chrono::milliseconds(200)));
  config::FetchSettings settings = Settings();
  settings.max_concurrent = 16;
  settings.max_per_host = 2;
  FeedPoller poller(settings);
  std::vector<PollRequest> requests;
  for (size_t i = 0; i < 8; ++i) {
    requests.push_back(Request(i, server.Url("/feed" + std::to_string(i))));
  }
  poller.Submit(requests);
  CHECK(TakeResponses(poller, 8).size() == 8);
  CHECK(gauge.most() == 2);
}

TEST_CASE("Poller keeps to max_per_host where redirects lead", "[poller]") {
  InitCurlOnce();
  // Feeds on one host that all redirect to another, as feeds on many
  // domains redirect to one hosting service.
  HttpServer service("127.0.0.2");
  ConcurrencyGauge gauge;
  service.SetFallback(gauge.SlowFeed(std::chrono::milliseconds(200)));
  std::vector<std::unique_ptr<HttpServer>> domains;
  for (const char* address : {"127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
    domains.push_back(std::make_unique<HttpServer>(address));
    domains.back()->SetFallback([&](const HttpRequest& request) {
      return HttpResponse{302, {{"Location", service.Url(request.path)}}, ""};
    });
  }
  config::FetchSettings settings = Settings();
  settings.max_concurrent = 16;
  settings.max_per_host = 2;
  FeedPoller poller(settings);
  std::vector<PollRequest> requests;
  for (size_t i = 0; i < 9; ++i) {
    requests.push_back(
        Request(i, domains[i % 3]->Url("/feed" + std::to_string(i))));
  }
  poller.Submit(requests);
  const std::vector<PollResponse> responses = TakeResponses(poller, 9);
  for (const PollResponse& response : responses) {
    CHECK_FALSE(response.error);
    CHECK(response.body == kRss);
  }
  CHECK(responses.size() == 9);
  CHECK(gauge.most() == 2);
  CHECK(poller.Outstanding() == 0);
}

TEST_CASE("Poller: one slow feed does not hold up the others", "[poller]") {
  InitCurlOnce();
  HttpServer server;
  HttpResponse slow{200, {}, kRss};
  slow.delay = std::chrono::seconds(3);
  server.Set("/slow", slow);
  server.Set("/fast", HttpResponse{200, {}, kRss});
  config::FetchSettings settings = Settings();
  settings.max_concurrent = 4;
  FeedPoller poller(settings);
  poller.Submit(
      {Request(0, server.Url("/slow")), Request(1, server.Url("/fast"))});
  const auto started = std::chrono::steady_clock::now();
  std::vector<PollResponse> first;
  while (first.empty() && std::chrono::steady_clock::now() - started <
                              std::chrono::seconds(10)) {
    first = poller.Take(std::chrono::milliseconds(100));
  }
  REQUIRE(first.size() == 1);
  CHECK(first[0].feed == 1);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}

TEST_CASE("Poller: Stop abandons transfers in flight at once", "[poller]") {
  InitCurlOnce();
  HttpServer server;
  HttpResponse slow{200, {}, kRss};
  slow.delay = std::chrono::seconds(5);
  server.Set("/slow", slow);
  const auto started = std::chrono::steady_clock::now();
  {
    FeedPoller poller(Settings());
    poller.Submit({Request(0, server.Url("/slow"))});
    poller.Take(std::chrono::milliseconds(300));
    poller.Stop();
    CHECK(poller.Take(std::chrono::milliseconds(100)).empty());
  }
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}

}  // namespace
}  // namespace newswatch::daemon
