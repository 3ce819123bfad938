// Fuzz target: hostile feed text in an alert, rendered as an email and as
// every webhook format. The email's header block must keep exactly the
// headers newswatch writes (no injected line, no bare CR or LF, no line over
// 998 bytes); every webhook body must be valid JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/email_message.h"
#include "alerts/webhook_payload.h"

namespace {

using newswatch::alerts::Alert;
using newswatch::alerts::Message;

void Check(bool condition) {
  if (!condition) std::abort();
}

// The input, split at NUL bytes into the alert's text fields.
Message MessageFrom(std::string_view input) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (fields.size() < 6) {
    const size_t end = input.find('\0', start);
    fields.emplace_back(input.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  fields.resize(6);
  Alert alert;
  alert.id = 7;
  alert.fired_at = 1'700'000'000;
  alert.content.title = fields[0];
  alert.content.snippet = fields[1];
  alert.content.url = fields[2];
  alert.content.feed_name = fields[3];
  alert.content.search_name = fields[4];
  alert.content.query = fields[5];
  alert.content.matched_terms = {fields[0].substr(0, 20), fields[5]};
  Message message;
  message.id = "msg_fuzz_d7";
  message.alerts = {alert, alert};
  message.digest = input.size() % 2 == 1;
  if (!message.digest) message.alerts.pop_back();
  return message;
}

void CheckEmail(const Message& message) {
  newswatch::config::EmailSettings settings;
  settings.from = "newswatch@example.org";
  settings.to = {"desk@example.org"};
  auto email = newswatch::alerts::BuildEmail(message, settings, 1'700'000'000);
  if (!email.ok()) return;
  const std::string& text = email.value();
  size_t headers = 0;
  bool in_header = true;
  for (size_t at = 0; at < text.size();) {
    const size_t end = text.find("\r\n", at);
    Check(end != std::string::npos);  // Every line ends in CRLF.
    const std::string_view line(text.data() + at, end - at);
    Check(line.size() <= 998);
    Check(line.find('\r') == std::string_view::npos &&
          line.find('\n') == std::string_view::npos);
    if (in_header) {
      if (line.empty()) {
        in_header = false;
      } else if (line[0] != ' ' && line[0] != '\t') {
        ++headers;
      }
    }
    at = end + 2;
  }
  // Date, From, To, Subject, Message-ID, MIME-Version, Auto-Submitted,
  // Content-Type: no more, whatever the text.
  Check(headers == 8);
}

void CheckWebhooks(const Message& message) {
  for (const char* format : {"generic", "slack", "discord", "ntfy"}) {
    newswatch::config::WebhookSettings settings;
    settings.url = "https://ntfy.example.org/alerts";
    settings.format = format;
    auto payload = newswatch::alerts::BuildWebhookPayload(message, settings);
    if (!payload.ok()) continue;
    Check(nlohmann::json::accept(payload.value().body));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const Message message =
      MessageFrom(std::string_view(reinterpret_cast<const char*>(data), size));
  CheckEmail(message);
  CheckWebhooks(message);
  return 0;
}
