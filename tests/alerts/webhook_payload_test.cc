#include "alerts/webhook_payload.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/notifier.h"
#include "config/config.h"
#include "tests/alerts/sample_alert.h"

namespace newswatch::alerts {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

const char* const kFormats[] = {"generic", "slack", "discord", "ntfy"};

Alert MakeAlert(long long id, std::string title = "Ice sheet retreats") {
  return SampleAlert(id, std::move(title), kNow);
}

Message Single(Alert alert) {
  Message message;
  message.id = "msg_0123456789abcdef_d7";
  message.alerts.push_back(std::move(alert));
  return message;
}

Message Digest(int count, const Alert& model = MakeAlert(0)) {
  Message message;
  message.id = "msg_0123456789abcdef_g3";
  message.digest = true;
  for (int i = 0; i < count; ++i) {
    Alert alert = model;
    alert.id = i + 1;
    alert.content.url = "https://example.org/ice/" + std::to_string(i + 1);
    message.alerts.push_back(alert);
  }
  return message;
}

config::WebhookSettings Settings(const std::string& format) {
  config::WebhookSettings settings;
  settings.url = format == "ntfy" ? "https://ntfy.example/glaciers"
                                  : "https://hooks.example/in";
  settings.format = format;
  return settings;
}

WebhookPayload Build(const Message& message, const std::string& format) {
  config::Result<WebhookPayload> payload =
      BuildWebhookPayload(message, Settings(format));
  INFO((payload.ok() ? std::string() : payload.error().ToString()));
  REQUIRE(payload.ok());
  return payload.value();
}

// nlohmann's parser refuses invalid UTF-8, so a successful parse also proves
// the body is valid UTF-8.
json Parse(const WebhookPayload& payload) {
  INFO(payload.body.substr(0, 2000));
  json parsed;
  REQUIRE_NOTHROW(parsed = json::parse(payload.body));
  return parsed;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = byte < 0x80           ? 1
                    : (byte >> 5) == 0x6  ? 2
                    : (byte >> 4) == 0xE  ? 3
                    : (byte >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

// Every string anywhere in `value`.
void CollectStrings(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_structured()) {
    for (const json& child : value) CollectStrings(child, out);
  }
}

TEST_CASE("generic body of one alert", "[webhook_payload]") {
  const WebhookPayload payload = Build(Single(MakeAlert(42)), "generic");
  CHECK(payload.url == "https://hooks.example/in");
  CHECK(payload.content_type == "application/json");
  const json body = Parse(payload);
  const json expected = {
      {"type", "alert"},
      {"id", "msg_0123456789abcdef_d7"},
      {"search", {{"name", "Glaciers"}, {"query", "glacier OR \"ice sheet\""}}},
      {"fired_at", "2023-11-14T22:13:20Z"},
      {"article",
       {{"id", "article-42"},
        {"title", "Ice sheet retreats"},
        {"url", "https://example.org/ice/42"},
        {"feed", "Science Desk"},
        {"feed_url", "https://example.org/feed.xml"},
        {"published", "2023-11-14T21:13:20Z"},
        {"snippet", "The glacier lost a third of its ice."},
        {"matched_terms", {"glacier", "ice sheet"}}}},
      {"alert_id", 42}};
  CHECK(body == expected);
  // Fields in the documented order.
  CHECK(payload.body.rfind("{\"type\":\"alert\",\"id\":", 0) == 0);
}

TEST_CASE("generic body without a publication date", "[webhook_payload]") {
  Alert alert = MakeAlert(1);
  alert.content.published = 0;
  const json body = Parse(Build(Single(alert), "generic"));
  CHECK(body["article"]["published"].is_null());
}

TEST_CASE("generic digest", "[webhook_payload]") {
  const json body = Parse(Build(Digest(3), "generic"));
  CHECK(body["type"] == "digest");
  CHECK(body["id"] == "msg_0123456789abcdef_g3");
  CHECK(body["search"]["name"] == "Glaciers");
  CHECK(body["alert_count"] == 3);
  REQUIRE(body["alerts"].size() == 3);
  for (int i = 0; i < 3; ++i) {
    const json& entry = body["alerts"][i];
    CHECK(entry["alert_id"] == i + 1);
    CHECK(entry["fired_at"] == "2023-11-14T22:13:20Z");
    CHECK(entry["article"]["url"] ==
          "https://example.org/ice/" + std::to_string(i + 1));
    CHECK(entry["article"]["title"] == "Ice sheet retreats");
  }
  CHECK_FALSE(body.contains("article"));
}

TEST_CASE("a digest lists a bounded number of alerts", "[webhook_payload]") {
  const Message message = Digest(150);
  const json generic = Parse(Build(message, "generic"));
  CHECK(generic["alert_count"] == 150);
  CHECK(generic["alerts"].size() == kMaxWebhookDigestAlerts);

  const json slack = Parse(Build(message, "slack"));
  CHECK_THAT(slack["text"].get<std::string>(),
             Catch::StartsWith("*150 new alerts for Glaciers*") &&
                 Catch::Contains("more"));

  const json discord = Parse(Build(message, "discord"));
  CHECK(discord["embeds"].size() == 10);
  CHECK_THAT(discord["content"].get<std::string>(),
             Catch::Contains("150 new alerts") &&
                 Catch::Contains("showing the first 10"));

  const json ntfy = Parse(Build(message, "ntfy"));
  CHECK(ntfy["title"] == "150 new alerts for Glaciers");
  CHECK_THAT(ntfy["message"].get<std::string>(), Catch::Contains("more"));
  CHECK(ntfy["message"].get<std::string>().size() <= 4096);
}

TEST_CASE("slack body", "[webhook_payload]") {
  const json body = Parse(Build(Single(MakeAlert(5)), "slack"));
  REQUIRE(body.size() == 1);
  const std::string text = body["text"];
  CHECK_THAT(text, Catch::StartsWith("*New alert for Glaciers*\n"));
  CHECK_THAT(text,
             Catch::Contains("<https://example.org/ice/5|Ice sheet retreats>"));
  CHECK_THAT(text, Catch::Contains("_Science Desk_"));
  CHECK_THAT(text, Catch::Contains(">The glacier lost"));
  CHECK_THAT(text, Catch::Contains("Matched: glacier, ice sheet"));

  const json digest = Parse(Build(Digest(2), "slack"));
  CHECK_THAT(digest["text"].get<std::string>(),
             Catch::Contains("• <https://example.org/ice/1|") &&
                 Catch::Contains("• <https://example.org/ice/2|"));
}

TEST_CASE("slack escapes &, < and > in feed text and links",
          "[webhook_payload]") {
  Alert alert = MakeAlert(1, "<!everyone> Tom & Jerry <https://evil|x>");
  alert.content.url = "https://example.org/a?b=1&c=<2>|3";
  alert.content.feed_name = "A&B";
  const std::string text = Parse(Build(Single(alert), "slack"))["text"];
  CHECK(text.find("<!everyone>") == std::string::npos);
  CHECK(text.find("<https://evil") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("&lt;!everyone&gt; Tom &amp; Jerry "
                                   "&lt;https://evil|x&gt;"));
  CHECK_THAT(text, Catch::Contains("<https://example.org/a?b=1&amp;c=%3C2%3E"
                                   "%7C3|"));
  CHECK_THAT(text, Catch::Contains("_A&amp;B_"));
}

TEST_CASE("discord body", "[webhook_payload]") {
  const json body = Parse(Build(Single(MakeAlert(5)), "discord"));
  CHECK(body["content"] == "**New alert for Glaciers**");
  CHECK(body["allowed_mentions"] == json{{"parse", json::array()}});
  REQUIRE(body["embeds"].size() == 1);
  const json& embed = body["embeds"][0];
  CHECK(embed["title"] == "Ice sheet retreats");
  CHECK(embed["url"] == "https://example.org/ice/5");
  CHECK(embed["timestamp"] == "2023-11-14T21:13:20Z");
  CHECK_THAT(embed["description"].get<std::string>(),
             Catch::Contains("The glacier lost a third of its ice.") &&
                 Catch::Contains("Feed: Science Desk") &&
                 Catch::Contains("Matched: glacier, ice sheet"));
}

TEST_CASE("discord escapes markdown and never pings", "[webhook_payload]") {
  Alert alert = MakeAlert(1, "@everyone [click](https://evil) **now**");
  alert.content.snippet = "<@123> # Heading\n> quote";
  alert.content.url = "javascript:alert(1)";
  const json body = Parse(Build(Single(alert), "discord"));
  CHECK(body["allowed_mentions"]["parse"].empty());
  const json& embed = body["embeds"][0];
  CHECK(embed["title"] ==
        "\\@everyone \\[click\\]\\(https://evil\\) \\*\\*now\\*\\*");
  CHECK_THAT(embed["description"].get<std::string>(),
             Catch::StartsWith("\\<\\@123\\> \\# Heading \\> quote"));
  CHECK_FALSE(embed.contains("url"));  // Not a web URL: Discord refuses it.
}

TEST_CASE("discord limits hold for huge digests", "[webhook_payload]") {
  Alert model = MakeAlert(0, std::string(1 << 20, '*'));
  model.content.snippet = std::string(1 << 20, '_');
  model.content.feed_name = std::string(5000, '#');
  const json body = Parse(Build(Digest(25, model), "discord"));
  CHECK(body["content"].get<std::string>().size() <= 2000);
  REQUIRE(body["embeds"].size() == 10);
  size_t total = 0;
  for (const json& embed : body["embeds"]) {
    const std::string title = embed["title"];
    const std::string description = embed["description"];
    CHECK(title.size() <= 256);
    CHECK(description.size() <= 4096);
    total += title.size() + description.size();
  }
  CHECK(total <= 6000);

  const json single = Parse(Build(Single(model), "discord"));
  CHECK(single["embeds"][0]["title"].get<std::string>().size() <= 256);
  CHECK(single["embeds"][0]["description"].get<std::string>().size() <= 4096);
}

TEST_CASE("ntfy body and target", "[webhook_payload]") {
  const WebhookPayload payload = Build(Single(MakeAlert(5)), "ntfy");
  CHECK(payload.url == "https://ntfy.example/");
  const json body = Parse(payload);
  CHECK(body["topic"] == "glaciers");
  CHECK(body["title"] == "Glaciers: Ice sheet retreats");
  CHECK(body["click"] == "https://example.org/ice/5");
  CHECK(body["tags"] == json{"newspaper"});
  CHECK_THAT(body["message"].get<std::string>(),
             Catch::StartsWith("Ice sheet retreats\nThe glacier lost") &&
                 Catch::Contains("Feed: Science Desk"));
}

TEST_CASE("ntfy topics come from the URL's last path segment",
          "[webhook_payload]") {
  auto target = NtfyTargetOf("https://ntfy.sh/mytopic");
  REQUIRE(target);
  CHECK(target->post_url == "https://ntfy.sh/");
  CHECK(target->topic == "mytopic");

  target = NtfyTargetOf("http://127.0.0.1:8080/ntfy/alerts?auth=abc#x");
  REQUIRE(target);
  CHECK(target->post_url == "http://127.0.0.1:8080/ntfy/?auth=abc");
  CHECK(target->topic == "alerts");

  CHECK_FALSE(NtfyTargetOf("https://ntfy.sh"));
  CHECK_FALSE(NtfyTargetOf("https://ntfy.sh/"));
  CHECK_FALSE(NtfyTargetOf("https://ntfy.sh/topic/"));
  CHECK_FALSE(NtfyTargetOf("not a url"));

  config::WebhookSettings settings = Settings("ntfy");
  settings.url = "https://ntfy.sh/";
  const auto payload = BuildWebhookPayload(Single(MakeAlert(1)), settings);
  REQUIRE_FALSE(payload.ok());
  CHECK_THAT(payload.error().what, Catch::Contains("topic"));
}

TEST_CASE("an unknown format is an error", "[webhook_payload]") {
  config::WebhookSettings settings = Settings("generic");
  settings.format = "teams";
  const auto payload = BuildWebhookPayload(Single(MakeAlert(1)), settings);
  REQUIRE_FALSE(payload.ok());
  CHECK(payload.error().kind == config::ErrorKind::kPermanent);
  CHECK_THAT(payload.error().what, Catch::Contains("teams"));
}

TEST_CASE("hostile feed text stays inside its JSON string in every format",
          "[webhook_payload]") {
  Alert alert = MakeAlert(
      1, "Breaking\r\nX-Injected: 1\r\n\r\n\"}<script>&@everyone\u2028\x1b[2J");
  alert.content.feed_name = "Feed\nName";
  alert.content.snippet = "line one\r\nline two\t\"quoted\" \\ back";
  alert.content.matched_terms = {"a\nb"};
  for (const char* format : kFormats) {
    INFO("format: " << format);
    const json body = Parse(Build(Single(alert), format));
    std::vector<std::string> strings;
    CollectStrings(body, strings);
    bool found_title = false;
    for (const std::string& text : strings) {
      // No field carries a CR, an escape or a line separator; only the
      // formats' own line breaks (LF) between fields.
      CHECK(text.find('\r') == std::string::npos);
      CHECK(text.find('\x1b') == std::string::npos);
      CHECK(text.find("\u2028") == std::string::npos);
      CHECK(text.find("X-Injected: 1\n") == std::string::npos);
      if (text.find("Breaking") != std::string::npos) found_title = true;
    }
    CHECK(found_title);
  }
  const json generic = Parse(Build(Single(alert), "generic"));
  CHECK(generic["article"]["title"] ==
        "Breaking  X-Injected: 1    \"}<script>&@everyone  [2J");
  CHECK(generic["article"]["feed"] == "Feed Name");
}

TEST_CASE("megabyte fields are cut on UTF-8 boundaries in every format",
          "[webhook_payload]") {
  // Two-, three- and four-byte characters, so every cut point is tried.
  std::string huge;
  while (huge.size() < (1 << 20)) huge += "é€𝄞a";
  Alert alert = MakeAlert(1, huge);
  alert.content.snippet = huge;
  alert.content.feed_name = huge;
  alert.content.query = huge;
  alert.content.search_name = huge;
  alert.content.article_id = huge;
  // Terms come from saved queries (at most 4 KiB each); many long ones.
  alert.content.matched_terms =
      std::vector<std::string>(200, huge.substr(0, 4096));
  alert.content.url = "https://example.org/" + std::string(1 << 20, 'x');
  for (const char* format : kFormats) {
    INFO("format: " << format);
    const WebhookPayload single = Build(Single(alert), format);
    CHECK(single.body.size() < 16 * 1024);
    CHECK(IsValidUtf8(single.body));
    Parse(single);
    const WebhookPayload digest = Build(Digest(5, alert), format);
    CHECK(digest.body.size() < 64 * 1024);
    CHECK(IsValidUtf8(digest.body));
    Parse(digest);
  }
  const json generic = Parse(Build(Single(alert), "generic"));
  const std::string title = generic["article"]["title"];
  CHECK(title.size() <= kMaxWebhookTitleBytes);
  CHECK(title.size() > kMaxWebhookTitleBytes - 8);
  CHECK_THAT(title, Catch::EndsWith("…"));
  CHECK(generic["article"]["snippet"].get<std::string>().size() <=
        kMaxWebhookSnippetBytes);
  CHECK(generic["article"]["matched_terms"].size() == kMaxWebhookTerms);
  CHECK(generic["article"]["url"] == "");  // Too long to keep.
}

TEST_CASE("invalid UTF-8 is replaced, never fatal", "[webhook_payload]") {
  Alert alert = MakeAlert(1, "bad \xff\xfe bytes \xc3");
  alert.content.snippet = "\xe2\x82";
  for (const char* format : kFormats) {
    INFO("format: " << format);
    const WebhookPayload payload = Build(Single(alert), format);
    CHECK(IsValidUtf8(payload.body));
    Parse(payload);
    CHECK_THAT(payload.body, Catch::Contains("\xEF\xBF\xBD"));  // U+FFFD
  }
}

}  // namespace
}  // namespace newswatch::alerts
