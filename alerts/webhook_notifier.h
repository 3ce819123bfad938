// WebhookNotifier: delivers messages as HTTP POSTs to one URL, signed the
// Standard Webhooks way, in the generic, Slack, Discord or ntfy format.
#ifndef NEWSWATCH_ALERTS_WEBHOOK_NOTIFIER_H_
#define NEWSWATCH_ALERTS_WEBHOOK_NOTIFIER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "alerts/notifier.h"
#include "alerts/webhook_payload.h"
#include "config/config.h"

namespace newswatch::alerts {

// The most of a receiver's answer that is read; a longer one is cut off
// (its status still counts). Only its first kWebhookErrorExcerptBytes bytes,
// on one line, reach an error message.
inline constexpr std::size_t kMaxWebhookResponseBytes = 64 * 1024;
inline constexpr std::size_t kWebhookErrorExcerptBytes = 200;
// The longest a connection may take to open, within settings.timeout.
inline constexpr std::int64_t kWebhookConnectTimeoutSeconds = 10;

// Each Deliver is one POST to the configured URL (for ntfy, its server's
// root) with the headers
//   Content-Type: application/json
//   User-Agent: <user_agent>
//   webhook-id: <message.id>          (the same on every retry)
//   webhook-timestamp: <now>
//   webhook-signature: v1,<base64>    (only when a secret is configured)
// and the configured extra headers, which may replace Content-Type and
// User-Agent. A configured header whose name is not an HTTP token, whose
// value holds a control character (CR, LF, NUL...), or that names a header
// newswatch sets or one that frames the request (webhook-*, Host,
// Content-Length, Transfer-Encoding, Connection, Expect) fails the delivery
// as permanent, naming the header but never quoting its value.
//
// Outcomes: 2xx is sent. 408, 429 and 5xx are transient (429 and 503 with
// their Retry-After). 410 Gone is permanent and disables the notifier. 3xx
// is permanent: redirects are not followed (the spec's advice: the operator
// should update the URL). Other statuses are permanent. Network failures
// (refused, DNS, timeout, TLS, reset) are transient; a malformed URL or
// another scheme than http(s) is permanent.
//
// Error messages name the notifier and its URL without the userinfo and
// query (and, for Slack and Discord, whose URL path is the credential,
// without the path), and quote the start of the receiver's answer.
//
// Not thread-safe: one thread at a time may call Deliver (the delivery
// worker's). libcurl must have been initialized (curl_global_init) before.
// Whether `headers` (a notifier's `headers` table) can be sent: names are
// HTTP tokens, not ones newswatch sets itself, values hold no control
// characters. kPermanent, naming the header but never quoting its value.
config::Status ValidateWebhookHeaders(
    const std::map<std::string, std::string>& headers);

class WebhookNotifier : public Notifier {
 public:
  // `settings.url` must be an http(s) URL; `user_agent` goes into every
  // request unless the configured headers set their own.
  WebhookNotifier(std::string name, config::WebhookSettings settings,
                  std::string user_agent);

  DeliveryOutcome Deliver(const Message& message, std::int64_t now) override;

  // The configured URL.
  std::string Destination() const override { return settings_.url; }

  // What the format's digest body lists in full.
  size_t MaxAlertsPerMessage() const override {
    return MaxDigestAlerts(settings_.format);
  }

 private:
  std::string name_;
  config::WebhookSettings settings_;
  std::string user_agent_;
  std::string where_;  // "webhook \"<name>\" (<url, redacted>)"
};

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_WEBHOOK_NOTIFIER_H_
