// The body of a webhook POST for a Message, in each of the formats a webhook
// notifier can speak: "generic" (newswatch's own JSON, documented in the
// README), "slack" and "discord" (their incoming webhooks), "ntfy" (ntfy's
// JSON publishing).
//
// Every piece of feed text is hostile: each field is cut to a bound (on a
// UTF-8 boundary), titles and other one-line fields lose control and bidi
// characters (config::OneLine), each format's markup is escaped, and the
// JSON serializer replaces invalid UTF-8 rather than failing.
#ifndef NEWSWATCH_ALERTS_WEBHOOK_PAYLOAD_H_
#define NEWSWATCH_ALERTS_WEBHOOK_PAYLOAD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "alerts/notifier.h"
#include "config/config.h"
#include "config/error.h"

namespace newswatch::alerts {

// Bounds on what goes into a body, in bytes of UTF-8. Cut text ends in "…".
inline constexpr std::size_t kMaxWebhookTitleBytes = 500;
inline constexpr std::size_t kMaxWebhookSnippetBytes = 2000;
inline constexpr std::size_t kMaxWebhookNameBytes = 200;    // Search, feed.
inline constexpr std::size_t kMaxWebhookQueryBytes = 1000;  // Search query.
inline constexpr std::size_t kMaxWebhookIdBytes = 500;      // Article id.
// A longer URL is left out rather than cut: half a URL leads elsewhere.
inline constexpr std::size_t kMaxWebhookUrlBytes = 4096;
inline constexpr std::size_t kMaxWebhookTermBytes = 100;
inline constexpr std::size_t kMaxWebhookTerms = 50;
// A generic digest lists at most this many alerts (its "alert_count" says
// how many it covers); Slack and ntfy list fewer, Discord at most 10.
inline constexpr std::size_t kMaxWebhookDigestAlerts = 100;

struct WebhookPayload {
  // Where to POST: the configured URL, except for ntfy, which is posted to
  // the server's root with the topic in the body.
  std::string url;
  std::string content_type;
  std::string body;
};

// Where an ntfy topic URL ("https://ntfy.example/alerts?auth=...") says to
// publish: the topic is its last path segment, and the JSON is posted to the
// URL without it ("https://ntfy.example/?auth=...").
struct NtfyTarget {
  std::string post_url;
  std::string topic;
};

// nullopt when `url` has no topic (no path, or it ends in '/').
std::optional<NtfyTarget> NtfyTargetOf(std::string_view url);

// The request to send for `message` in `settings.format`. Fails (kPermanent,
// `where` left empty) for an unknown format or an ntfy URL without a topic.
// A message with no alerts gives an empty generic digest.
// How many alerts a digest body in `format` always lists in full (title and
// feed at least): generic kMaxWebhookDigestAlerts, slack 10, discord 10
// (Discord's embed limit), ntfy 5 (its 4 KB message).
std::size_t MaxDigestAlerts(std::string_view format);

config::Result<WebhookPayload> BuildWebhookPayload(
    const Message& message, const config::WebhookSettings& settings);

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_WEBHOOK_PAYLOAD_H_
