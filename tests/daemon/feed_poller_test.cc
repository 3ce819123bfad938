#include "daemon/fetcher.h"

#include <curl/curl.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "config/config.h"
#include "config/error.h"
#include "tests/support/http_server.h"
#include "tests/support/temp_dir.h"

namespace newswatch::daemon {
namespace {

using newswatch::testing::HttpResponse;
using newswatch::testing::HttpServer;
using newswatch::testing::TempDir;

// main() runs curl_global_init in the real program; the shared test main
// does not, so every test that builds a Fetcher goes through here first.
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

config::Result<FetchResult> FetchOnce(
    const std::string& url,
    const config::FetchSettings& settings = Settings()) {
  InitCurlOnce();
  Fetcher fetcher(settings);
  return fetcher.Fetch(url);
}

FetchResult FetchOk(const std::string& url,
                    const config::FetchSettings& settings = Settings()) {
  auto result = FetchOnce(url, settings);
  INFO((result.ok() ? std::string() : result.error().ToString()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

config::Error FetchError(const std::string& url,
                         const config::FetchSettings& settings = Settings()) {
  auto result = FetchOnce(url, settings);
  REQUIRE_FALSE(result.ok());
  INFO(result.error().ToString());
  CHECK(result.error().where == url);
  return result.error();
}

// `data` gzip-compressed (windowBits 31: gzip header and trailer).
std::string Gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 31, 9,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

constexpr const char* kRss =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
    "</channel></rss>";

TEST_CASE("Fetcher returns the body and content type of a 200", "[daemon]") {
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200,
                                       {{"Content-Type",
                                         "application/rss+xml; "
                                         "charset=utf-8"}},
                                       kRss});
  const FetchResult result = FetchOk(server.Url("/feed.xml"));
  CHECK(result.http_status == 200);
  CHECK(result.body == kRss);
  CHECK(result.content_type == "application/rss+xml; charset=utf-8");
  CHECK(result.effective_url == server.Url("/feed.xml"));
}

TEST_CASE("Fetcher identifies itself as newswatch", "[daemon]") {
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200, {}, kRss});
  FetchOk(server.Url("/feed.xml"));
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].path == "/feed.xml");
  REQUIRE(requests[0].headers.count("user-agent") == 1);
  CHECK_THAT(requests[0].headers.at("user-agent"),
             Catch::StartsWith("newswatch/"));
  CHECK_THAT(Fetcher::DefaultUserAgent(), Catch::StartsWith("newswatch/"));
}

TEST_CASE("Fetcher sends the configured user agent", "[daemon]") {
  HttpServer server;
  server.Set("/feed.xml", HttpResponse{200, {}, kRss});
  config::FetchSettings settings = Settings();
  settings.user_agent = "custom-agent/2.0";
  FetchOk(server.Url("/feed.xml"), settings);
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].headers.at("user-agent") == "custom-agent/2.0");
}

TEST_CASE("Fetcher reads file:// URLs", "[daemon]") {
  TempDir dir;
  const auto file = dir.Write("feeds/world.rss", kRss);
  const std::string url = "file://" + file.string();
  const FetchResult result = FetchOk(url);
  CHECK(result.body == kRss);
  CHECK(result.http_status == 0);
}

TEST_CASE("Fetcher: a missing file is a permanent error naming the URL",
          "[daemon]") {
  TempDir dir;
  const std::string url = "file://" + (dir.path() / "absent.rss").string();
  const config::Error error = FetchError(url);
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.ToString(), Catch::Contains(url));
  CHECK_FALSE(error.what.empty());
}

TEST_CASE("Fetcher: 404 is permanent", "[daemon]") {
  HttpServer server;
  const config::Error error = FetchError(server.Url("/gone.xml"));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK(error.what == "HTTP status 404");
}

TEST_CASE("Fetcher: 503 and 429 are transient", "[daemon]") {
  HttpServer server;
  server.Set("/busy", HttpResponse{503, {{"Retry-After", "120"}}, "busy"});
  server.Set("/slow-down", HttpResponse{429, {}, "too many"});
  const config::Error busy = FetchError(server.Url("/busy"));
  CHECK(busy.kind == config::ErrorKind::kTransient);
  CHECK(busy.what == "HTTP status 503");
  const config::Error slow = FetchError(server.Url("/slow-down"));
  CHECK(slow.kind == config::ErrorKind::kTransient);
  CHECK(slow.what == "HTTP status 429");
}

TEST_CASE("Fetcher abandons a body larger than max_body_bytes", "[daemon]") {
  HttpServer server;
  server.Set("/big", HttpResponse{200, {}, std::string(5000, 'x')});
  server.Set("/fits", HttpResponse{200, {}, std::string(4096, 'y')});
  const config::Error error = FetchError(server.Url("/big"), Settings(4096));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("max_body_bytes"));
  CHECK_THAT(error.what, Catch::Contains("4096"));
  // Exactly at the cap is fine.
  CHECK(FetchOk(server.Url("/fits"), Settings(4096)).body.size() == 4096);
}

TEST_CASE("Fetcher inflates gzip bodies", "[daemon]") {
  HttpServer server;
  server.Set("/feed.xml.gz",
             HttpResponse{200, {{"Content-Encoding", "gzip"}}, Gzip(kRss)});
  const FetchResult result = FetchOk(server.Url("/feed.xml.gz"));
  CHECK(result.body == kRss);
}

TEST_CASE("Fetcher caps the inflated size of a gzip body, not the compressed",
          "[daemon]") {
  const std::string inflated(1024 * 1024, 'a');
  const std::string compressed = Gzip(inflated);
  REQUIRE(compressed.size() < 16 * 1024);
  HttpServer server;
  server.Set("/bomb",
             HttpResponse{200, {{"Content-Encoding", "gzip"}}, compressed});
  const config::Error error =
      FetchError(server.Url("/bomb"), Settings(64 * 1024));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK_THAT(error.what, Catch::Contains("max_body_bytes"));
}

TEST_CASE("Fetcher follows a redirect and reports where it ended", "[daemon]") {
  HttpServer server;
  server.Set("/old", HttpResponse{302, {{"Location", "/new"}}, ""});
  server.Set("/new", HttpResponse{200, {}, kRss});
  const FetchResult result = FetchOk(server.Url("/old"));
  CHECK(result.http_status == 200);
  CHECK(result.body == kRss);
  CHECK(result.effective_url == server.Url("/new"));
  const auto requests = server.Requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].path == "/old");
  CHECK(requests[1].path == "/new");
}

TEST_CASE("Fetcher stops following a redirect loop", "[daemon]") {
  HttpServer server;
  server.Set("/a", HttpResponse{302, {{"Location", "/b"}}, ""});
  server.Set("/b", HttpResponse{302, {{"Location", "/a"}}, ""});
  const config::Error error = FetchError(server.Url("/a"));
  CHECK(error.kind == config::ErrorKind::kPermanent);
  CHECK(server.Requests().size() <= 6);
}

TEST_CASE("Fetcher refuses a redirect to a file:// URL", "[daemon]") {
  TempDir dir;
  const auto secret = dir.Write("secret.txt", "do not leak");
  HttpServer server;
  server.Set(
      "/sneaky",
      HttpResponse{302, {{"Location", "file://" + secret.string()}}, ""});
  auto result = FetchOnce(server.Url("/sneaky"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().where == server.Url("/sneaky"));
  CHECK(result.error().kind == config::ErrorKind::kPermanent);
}

TEST_CASE("Fetcher: connection refused is transient", "[daemon]") {
  std::string url;
  {
    HttpServer server;
    url = server.Url("/feed.xml");
  }
  const config::Error error = FetchError(url);
  CHECK(error.kind == config::ErrorKind::kTransient);
  CHECK_THAT(error.what, Catch::StartsWith("fetch failed: "));
}

TEST_CASE("Fetcher refuses schemes other than http, https and file",
          "[daemon]") {
  const config::Error error = FetchError("ftp://127.0.0.1:1/feed.xml");
  CHECK(error.kind == config::ErrorKind::kPermanent);
}

TEST_CASE("One Fetcher serves several fetches", "[daemon]") {
  InitCurlOnce();
  HttpServer server;
  server.Set("/one", HttpResponse{200, {}, "first"});
  server.Set("/two", HttpResponse{404, {}, "nope"});
  server.Set("/three", HttpResponse{200, {}, "third"});
  Fetcher fetcher(Settings());
  auto one = fetcher.Fetch(server.Url("/one"));
  REQUIRE(one.ok());
  CHECK(one.value().body == "first");
  auto two = fetcher.Fetch(server.Url("/two"));
  REQUIRE_FALSE(two.ok());
  auto three = fetcher.Fetch(server.Url("/three"));
  REQUIRE(three.ok());
  CHECK(three.value().body == "third");
}

TEST_CASE("Fetcher abandons a transfer when asked to stop", "[daemon]") {
  InitCurlOnce();
  HttpServer server;
  server.Set("/feed.xml", {200, {}, kRss});
  Fetcher fetcher(Settings(), [] { return true; });
  auto result = fetcher.Fetch(server.Url("/feed.xml"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == config::ErrorKind::kTransient);
  CHECK_THAT(result.error().what, Catch::Contains("shutting down"));
}

}  // namespace
}  // namespace newswatch::daemon
