// Standard Webhooks v1 signatures: HMAC-SHA256 over "id.timestamp.body" with
// a shared "whsec_" secret, so a receiver can check that a webhook came from
// this daemon, unchanged, and recently (the spec's "Verifying webhook
// authenticity"; https://www.standardwebhooks.com).
#ifndef NEWSWATCH_ALERTS_WEBHOOK_SIGNATURE_H_
#define NEWSWATCH_ALERTS_WEBHOOK_SIGNATURE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "config/error.h"

namespace newswatch::alerts {

// What every secret starts with; the rest is the key in padded standard
// base64, as the Standard Webhooks libraries print and read it.
inline constexpr std::string_view kWebhookSecretPrefix = "whsec_";

// Ok when `secret` is "whsec_" followed by padded standard base64 of a
// non-empty key. The error (kPermanent, `where` left empty for the caller)
// says what is wrong without ever repeating the secret. The empty string is
// not a secret either: callers that allow "no secret" check for it first.
config::Status ValidateWebhookSecret(std::string_view secret);

// The webhook-signature header value for one attempt:
// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where
// key is the base64-decoded part of `secret` after "whsec_" and `timestamp`
// is written in decimal. `body` must be the exact bytes sent.
//
// Fails (kPermanent) when the secret is invalid (see ValidateWebhookSecret)
// or `id` is empty or contains a '.', which would make the signed content
// ambiguous (the spec forbids it).
config::Result<std::string> SignWebhook(std::string_view secret,
                                        std::string_view id,
                                        std::int64_t timestamp,
                                        std::string_view body);

}  // namespace newswatch::alerts

#endif  // NEWSWATCH_ALERTS_WEBHOOK_SIGNATURE_H_
