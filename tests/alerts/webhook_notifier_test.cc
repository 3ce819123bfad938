// WebhookNotifier against a real receiver: tests/support/webhook_receiver.py,
// a Python HTTP server that checks signatures with Python's own HMAC and logs
// every request it gets, so each test asserts on what actually arrived.
#include "alerts/webhook_notifier.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/notifier.h"
#include "alerts/webhook_payload.h"
#include "config/config.h"
#include "tests/alerts/sample_alert.h"
#include "tests/support/peers.h"

namespace newswatch::alerts {
namespace {

using newswatch::testing::FreePort;
using newswatch::testing::WebhookReceiver;
using nlohmann::json;
using Kind = DeliveryOutcome::Kind;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kOtherSecret =
    "whsec_c2VjcmV0IG9mIGFub3RoZXIgcmVjZWl2ZXI=";
constexpr const char* kUserAgent = "newswatch-test/1";
constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

Alert MakeAlert(long long id, std::string title = "Ice sheet retreats") {
  return SampleAlert(id, std::move(title), kNow);
}

Message Single(Alert alert = MakeAlert(42)) {
  Message message;
  message.id = "msg_0123456789abcdef_d7";
  message.alerts.push_back(std::move(alert));
  return message;
}

config::WebhookSettings Settings(const std::string& url,
                                 const std::string& secret = kSecret) {
  config::WebhookSettings settings;
  settings.url = url;
  settings.secret = secret;
  settings.timeout = std::chrono::seconds(5);
  return settings;
}

WebhookNotifier MakeNotifier(const config::WebhookSettings& settings) {
  return WebhookNotifier("hooks", settings, kUserAgent);
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kSent:
      return "sent";
    case Kind::kTransient:
      return "transient";
    case Kind::kPermanent:
      return "permanent";
  }
  return "?";
}

#define INFO_OUTCOME(outcome) \
  INFO("outcome: " << KindName((outcome).kind) << " " << (outcome).error)

// Delivers `message` with `settings`, which must succeed, and returns the one
// request `receiver` got.
json DeliverOne(const WebhookReceiver& receiver,
                const config::WebhookSettings& settings,
                const Message& message = Single()) {
  WebhookNotifier notifier = MakeNotifier(settings);
  const DeliveryOutcome outcome = notifier.Deliver(message, kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kSent);
  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  return requests[0];
}

TEST_CASE("a signed webhook arrives and the receiver's own HMAC verifies it",
          "[webhook_notifier]") {
  WebhookReceiver receiver({"--secret", kSecret});
  const config::WebhookSettings settings = Settings(receiver.Url());
  WebhookNotifier notifier = MakeNotifier(settings);
  CHECK(notifier.Destination() == receiver.Url());

  const Message message = Single();
  const DeliveryOutcome outcome = notifier.Deliver(message, kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kSent);
  CHECK(outcome.error.empty());

  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  const json& request = requests[0];
  CHECK(request["method"] == "POST");
  CHECK(request["path"] == "/hook");
  CHECK(request["webhook_id"] == "msg_0123456789abcdef_d7");
  CHECK(request["webhook_timestamp"] == "1700000000");
  CHECK_THAT(request["webhook_signature"].get<std::string>(),
             Catch::StartsWith("v1,"));
  CHECK(request["signature_valid"] == true);
  CHECK(request["status"] == 200);
  CHECK(request["headers"]["content-type"] == "application/json");
  CHECK(request["headers"]["user-agent"] == kUserAgent);
  CHECK_FALSE(request["headers"].contains("expect"));
  // Exactly the bytes BuildWebhookPayload makes, and they are JSON.
  const auto payload = BuildWebhookPayload(message, settings);
  REQUIRE(payload.ok());
  CHECK(request["body"] == payload.value().body);
  const json body = json::parse(request["body"].get<std::string>());
  CHECK(body["type"] == "alert");
  CHECK(body["id"] == "msg_0123456789abcdef_d7");
  CHECK(body["article"]["title"] == "Ice sheet retreats");
}

TEST_CASE("a receiver with another secret refuses the webhook",
          "[webhook_notifier]") {
  WebhookReceiver receiver({"--secret", kOtherSecret});
  WebhookNotifier notifier = MakeNotifier(Settings(receiver.Url()));
  const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kPermanent);
  CHECK_THAT(outcome.error, Catch::Contains("HTTP 401: bad signature"));
  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["signature_valid"] == false);
  CHECK(requests[0]["status"] == 401);
}

TEST_CASE("without a secret no signature is sent", "[webhook_notifier]") {
  WebhookReceiver receiver;
  const json request = DeliverOne(receiver, Settings(receiver.Url(), ""));
  CHECK(request["signature_valid"].is_null());
  CHECK_FALSE(request["headers"].contains("webhook-signature"));
  CHECK(request["headers"]["webhook-id"] == "msg_0123456789abcdef_d7");
}

TEST_CASE("a 503 with Retry-After is transient, and the retry succeeds",
          "[webhook_notifier]") {
  SECTION("Retry-After in seconds") {
    WebhookReceiver receiver({"--secret", kSecret, "--fail-first", "1"});
    WebhookNotifier notifier = MakeNotifier(Settings(receiver.Url()));
    const DeliveryOutcome first = notifier.Deliver(Single(), kNow);
    INFO_OUTCOME(first);
    CHECK(first.kind == Kind::kTransient);
    CHECK(first.retry_after == kNow + 1);
    CHECK_FALSE(first.disable_notifier);
    CHECK_THAT(first.error,
               Catch::StartsWith("webhook \"hooks\" (" + receiver.Url() +
                                 "): HTTP 503: busy"));

    const DeliveryOutcome second = notifier.Deliver(Single(), kNow + 10);
    INFO_OUTCOME(second);
    CHECK(second.kind == Kind::kSent);

    const auto requests = receiver.Requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0]["status"] == 503);
    CHECK(requests[1]["status"] == 200);
    // The same id on the retry, a fresh timestamp, both signed.
    CHECK(requests[0]["webhook_id"] == requests[1]["webhook_id"]);
    CHECK(requests[0]["webhook_timestamp"] == "1700000000");
    CHECK(requests[1]["webhook_timestamp"] == "1700000010");
    CHECK(requests[0]["signature_valid"] == true);
    CHECK(requests[1]["signature_valid"] == true);
  }
  SECTION("Retry-After as an HTTP-date") {
    WebhookReceiver receiver({"--fail-first", "1", "--retry-after",
                              "Tue, 14 Nov 2023 23:00:00 GMT"});
    WebhookNotifier notifier = MakeNotifier(Settings(receiver.Url()));
    const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
    INFO_OUTCOME(outcome);
    CHECK(outcome.kind == Kind::kTransient);
    CHECK(outcome.retry_after == 1'700'002'800);
  }
}

TEST_CASE("410 Gone disables the notifier", "[webhook_notifier]") {
  WebhookReceiver receiver({"--status", "410", "--body", "endpoint deleted"});
  WebhookNotifier notifier = MakeNotifier(Settings(receiver.Url()));
  const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kPermanent);
  CHECK(outcome.disable_notifier);
  CHECK_THAT(outcome.error, Catch::Contains("410 Gone") &&
                                Catch::Contains("endpoint deleted"));
  CHECK(receiver.Requests().size() == 1);
}

TEST_CASE("other 4xx answers are permanent, and quoted", "[webhook_notifier]") {
  WebhookReceiver receiver(
      {"--status", "400", "--body", "missing field:\r\n text\x1b[31m"});
  WebhookNotifier notifier = MakeNotifier(Settings(receiver.Url()));
  const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kPermanent);
  CHECK_FALSE(outcome.disable_notifier);
  CHECK_FALSE(outcome.retry_after.has_value());
  // The answer, on one line.
  CHECK_THAT(outcome.error, Catch::EndsWith("HTTP 400: missing field:   text "
                                            "[31m"));
  CHECK(receiver.Requests().size() == 1);
}

TEST_CASE("a redirect is not followed", "[webhook_notifier]") {
  // A followed redirect would show up as a request to the other receiver.
  WebhookReceiver elsewhere;
  WebhookReceiver redirecting(
      {"--status", "302", "--location", elsewhere.Url("/elsewhere")});
  WebhookNotifier notifier = MakeNotifier(Settings(redirecting.Url()));
  const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kPermanent);
  CHECK_THAT(outcome.error,
             Catch::Contains("HTTP 302: redirect to " +
                             elsewhere.Url("/elsewhere") + " not followed"));
  CHECK(redirecting.Requests().size() == 1);
  CHECK(elsewhere.Requests().empty());
}

TEST_CASE("a refused connection is transient", "[webhook_notifier]") {
  const std::string url =
      "http://user:pass@127.0.0.1:" + std::to_string(FreePort()) +
      "/hook?token=s3cr3t";
  WebhookNotifier notifier = MakeNotifier(Settings(url));
  const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kTransient);
  CHECK_FALSE(outcome.retry_after.has_value());
  // Where, without the credentials in the URL.
  CHECK_THAT(outcome.error,
             Catch::StartsWith("webhook \"hooks\" (http://127.0.0.1:"));
  CHECK_THAT(outcome.error, Catch::Contains("/hook)"));
  CHECK(outcome.error.find("s3cr3t") == std::string::npos);
  CHECK(outcome.error.find("pass") == std::string::npos);
}

TEST_CASE("a receiver slower than the timeout is transient",
          "[webhook_notifier]") {
  WebhookReceiver receiver({"--delay", "3"});
  config::WebhookSettings settings = Settings(receiver.Url());
  settings.timeout = std::chrono::seconds(1);
  WebhookNotifier notifier = MakeNotifier(settings);
  const auto start = std::chrono::steady_clock::now();
  const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kTransient);
  CHECK_THAT(outcome.error, Catch::Contains("timed out"));
  CHECK(elapsed < std::chrono::milliseconds(2500));
  CHECK(receiver.Requests().size() == 1);  // It did arrive.
}

TEST_CASE("URLs libcurl cannot use are permanent failures",
          "[webhook_notifier]") {
  for (const char* url : {"ftp://127.0.0.1/hook", "http://[::1/hook"}) {
    INFO("url: " << url);
    WebhookNotifier notifier = MakeNotifier(Settings(url));
    const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
    INFO_OUTCOME(outcome);
    CHECK(outcome.kind == Kind::kPermanent);
  }
}

TEST_CASE("configured headers arrive", "[webhook_notifier]") {
  WebhookReceiver receiver({"--secret", kSecret});
  config::WebhookSettings settings = Settings(receiver.Url());
  settings.headers = {{"Authorization", "Bearer t0ken"},
                      {"X-Tenant", "news desk"},
                      {"X-Empty", ""}};
  SECTION("beside ours") {
    const json request = DeliverOne(receiver, settings);
    const json& headers = request["headers"];
    CHECK(headers["authorization"] == "Bearer t0ken");
    CHECK(headers["x-tenant"] == "news desk");
    CHECK(headers["x-empty"] == "");
    CHECK(headers["content-type"] == "application/json");
    CHECK(request["signature_valid"] == true);
  }
  SECTION("replacing Content-Type and User-Agent") {
    settings.headers["Content-Type"] = "application/vnd.example+json";
    settings.headers["User-Agent"] = "custom/2";
    const json request = DeliverOne(receiver, settings);
    int content_types = 0;
    for (const json& pair : request["header_list"]) {
      if (pair[0].get<std::string>() == "Content-Type") ++content_types;
    }
    CHECK(content_types == 1);
    CHECK(request["headers"]["content-type"] == "application/vnd.example+json");
    CHECK(request["headers"]["user-agent"] == "custom/2");
  }
}

TEST_CASE("configured headers that could break the request are refused",
          "[webhook_notifier]") {
  WebhookReceiver receiver;
  const std::map<std::string, std::string> bad[] = {
      {{"X-Bad\r\nX-Injected", "1"}},
      {{"X-Colon:", "1"}},
      {{"X Space", "1"}},
      {{"", "1"}},
      {{"X-Value", "1\r\nX-Injected: yes"}},
      {{"X-Value", std::string("nul\0byte", 8)}},
      {{"webhook-id", "forged"}},
      {{"Content-Length", "0"}},
  };
  for (const auto& headers : bad) {
    INFO("header: " << headers.begin()->first);
    config::WebhookSettings settings = Settings(receiver.Url());
    settings.headers = headers;
    WebhookNotifier notifier = MakeNotifier(settings);
    const DeliveryOutcome outcome = notifier.Deliver(Single(), kNow);
    INFO_OUTCOME(outcome);
    CHECK(outcome.kind == Kind::kPermanent);
    CHECK_THAT(outcome.error, Catch::Contains("header"));
    CHECK(outcome.error.find("yes") == std::string::npos);  // Value unquoted.
  }
  CHECK(receiver.Requests().empty());
}

TEST_CASE("a hostile title cannot inject a header", "[webhook_notifier]") {
  WebhookReceiver receiver({"--secret", kSecret});
  WebhookNotifier notifier = MakeNotifier(Settings(receiver.Url()));
  const Message message =
      Single(MakeAlert(1, "Hi\r\nX-Injected: yes\r\n\r\nbody"));
  const DeliveryOutcome outcome = notifier.Deliver(message, kNow);
  INFO_OUTCOME(outcome);
  CHECK(outcome.kind == Kind::kSent);
  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  CHECK_FALSE(requests[0]["headers"].contains("x-injected"));
  CHECK(requests[0]["signature_valid"] == true);
  const json body = json::parse(requests[0]["body"].get<std::string>());
  CHECK(body["article"]["title"] == "Hi  X-Injected: yes    body");

  // Nor can a message id (made by the store, but still checked).
  Message forged = message;
  forged.id = "msg_1\r\nX-Injected: yes";
  const DeliveryOutcome refused = notifier.Deliver(forged, kNow);
  CHECK(refused.kind == Kind::kPermanent);
  CHECK(receiver.Requests().size() == 1);
}

TEST_CASE("the receiver accepts every format's body", "[webhook_notifier]") {
  WebhookReceiver receiver({"--secret", kSecret});
  Message digest;
  digest.id = "msg_0123456789abcdef_g3";
  digest.digest = true;
  digest.alerts = {MakeAlert(1), MakeAlert(2, "<b>Glacier</b> & @everyone")};

  struct Case {
    const char* format;
    const char* path;       // As configured.
    const char* posted_to;  // Where the request went.
    const char* key;        // A field each format's body has.
  };
  const Case cases[] = {
      {"generic", "/hook", "/hook", "alerts"},
      {"slack", "/services/T0/B0/x", "/services/T0/B0/x", "text"},
      {"discord", "/api/webhooks/1/t", "/api/webhooks/1/t", "embeds"},
      {"ntfy", "/glaciers", "/", "topic"}};
  for (const Case& c : cases) {
    config::WebhookSettings settings = Settings(receiver.Url(c.path));
    settings.format = c.format;
    WebhookNotifier notifier = MakeNotifier(settings);
    for (const Message& message : {Single(), digest}) {
      INFO("format: " << c.format << ", message: " << message.id);
      const DeliveryOutcome outcome = notifier.Deliver(message, kNow);
      INFO_OUTCOME(outcome);
      CHECK(outcome.kind == Kind::kSent);
    }
  }
  const auto requests = receiver.Requests();
  REQUIRE(requests.size() == 8);
  for (size_t i = 0; i < requests.size(); ++i) {
    const Case& c = cases[i / 2];
    const json& request = requests[i];
    INFO("format: " << c.format << ", request: " << request.dump());
    CHECK(request["path"] == c.posted_to);
    CHECK(request["signature_valid"] == true);
    CHECK(request["headers"]["content-type"] == "application/json");
    json body;
    REQUIRE_NOTHROW(body = json::parse(request["body"].get<std::string>()));
    CHECK(body.contains(i % 2 == 0 && c.key == std::string("alerts") ? "article"
                                                                     : c.key));
  }
  CHECK(json::parse(requests[7]["body"].get<std::string>())["topic"] ==
        "glaciers");
  CHECK(json::parse(requests[1]["body"].get<std::string>())["alerts"].size() ==
        2);
}

}  // namespace
}  // namespace newswatch::alerts
