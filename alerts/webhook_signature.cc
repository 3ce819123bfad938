#include "alerts/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "alerts/base64.h"

namespace newswatch::alerts {
namespace {

// Padded standard base64, strictly: Base64Decode (EVP_DecodeBlock) lets
// misplaced padding through ("====" decodes to one byte).
bool IsPaddedBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  const std::string_view data = text.substr(0, text.size() - padding);
  return std::all_of(data.begin(), data.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
  });
}

// The key inside `secret`, or an error that names the problem. The secret's
// text never appears in an error: errors end up in logs and the database.
config::Result<std::string> DecodeSecret(std::string_view secret) {
  if (secret.substr(0, kWebhookSecretPrefix.size()) != kWebhookSecretPrefix) {
    return config::Error::Permanent(
        "", "the webhook secret must start with \"whsec_\" followed by base64");
  }
  const std::string_view encoded = secret.substr(kWebhookSecretPrefix.size());
  if (encoded.empty()) {
    return config::Error::Permanent(
        "", "the webhook secret has no key after \"whsec_\"");
  }
  std::optional<std::string> key;
  if (IsPaddedBase64(encoded)) key = Base64Decode(encoded);
  if (!key) {
    return config::Error::Permanent(
        "",
        "the webhook secret's key after \"whsec_\" is not padded standard "
        "base64 (A-Z, a-z, 0-9, '+', '/', '=')");
  }
  if (key->empty()) {
    return config::Error::Permanent(
        "", "the webhook secret's key after \"whsec_\" is empty");
  }
  return std::move(*key);
}

}  // namespace

config::Status ValidateWebhookSecret(std::string_view secret) {
  config::Result<std::string> key = DecodeSecret(secret);
  if (!key.ok()) return key.error();
  return config::Ok{};
}

config::Result<std::string> SignWebhook(std::string_view secret,
                                        std::string_view id,
                                        std::int64_t timestamp,
                                        std::string_view body) {
  config::Result<std::string> key = DecodeSecret(secret);
  if (!key.ok()) return key.error();
  if (id.empty() || id.find('.') != std::string_view::npos) {
    return config::Error::Permanent(
        "", "a webhook id must be non-empty and contain no '.'");
  }
  std::string content;
  const std::string stamp = std::to_string(timestamp);
  content.reserve(id.size() + stamp.size() + body.size() + 2);
  content.append(id).append(".").append(stamp).append(".").append(body);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  // HMAC() is OpenSSL's one-shot HMAC, not deprecated in 3.0 (unlike
  // HMAC_CTX), and works with 1.1 too.
  const unsigned char* signed_ok = HMAC(
      EVP_sha256(), key.value().data(), static_cast<int>(key.value().size()),
      reinterpret_cast<const unsigned char*>(content.data()), content.size(),
      digest, &digest_size);
  if (signed_ok == nullptr) {
    return config::Error::Permanent("",
                                    "OpenSSL could not compute HMAC-SHA256");
  }
  return "v1," + Base64Encode(std::string_view(
                     reinterpret_cast<const char*>(digest), digest_size));
}

}  // namespace newswatch::alerts
