#include "alerts/webhook_signature.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "config/error.h"
#include "tests/support/temp_dir.h"

namespace newswatch::alerts {
namespace {

using newswatch::testing::ReadFile;

constexpr const char* kVectors = NEWSWATCH_SOURCE_DIR
    "/../shared/corpora/standard-webhooks/signature_vectors.json";

// The upstream known-answer vector, also in the corpus; here so the test
// runs where the corpus is absent.
constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr const char* kBody = "{\"test\": 2432232314}";
constexpr const char* kSignature =
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::string Sign(std::string_view secret, std::string_view id,
                 std::int64_t timestamp, std::string_view body) {
  config::Result<std::string> signature =
      SignWebhook(secret, id, timestamp, body);
  INFO((signature.ok() ? std::string() : signature.error().ToString()));
  REQUIRE(signature.ok());
  return signature.value();
}

TEST_CASE("SignWebhook gives the Standard Webhooks known answer",
          "[webhook_signature]") {
  CHECK(Sign(kSecret, kId, kTimestamp, kBody) == kSignature);
}

TEST_CASE("SignWebhook matches every vector of the shared corpus",
          "[webhook_signature]") {
  if (!std::filesystem::exists(kVectors)) {
    WARN("skipped: " << kVectors << " is absent");
    return;
  }
  const auto corpus = nlohmann::json::parse(ReadFile(kVectors));
  const auto& vectors = corpus.at("standard_webhooks").at("vectors");
  REQUIRE(!vectors.empty());
  for (const auto& vector : vectors) {
    INFO(vector.dump());
    const std::int64_t timestamp =
        std::stoll(vector.at("webhook_timestamp").get<std::string>());
    CHECK(Sign(vector.at("secret").get<std::string>(),
               vector.at("webhook_id").get<std::string>(), timestamp,
               vector.at("body").get<std::string>()) ==
          vector.at("webhook_signature").get<std::string>());
  }
}

TEST_CASE("every signed part changes the signature", "[webhook_signature]") {
  const std::string reference = Sign(kSecret, kId, kTimestamp, kBody);
  CHECK(Sign(kSecret, "msg_other", kTimestamp, kBody) != reference);
  CHECK(Sign(kSecret, kId, kTimestamp + 1, kBody) != reference);
  CHECK(Sign(kSecret, kId, kTimestamp, "{\"test\": 2432232315}") != reference);
  CHECK(Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", kId, kTimestamp,
             kBody) != reference);
}

TEST_CASE("bad secrets are refused without being repeated",
          "[webhook_signature]") {
  const char* const bad[] = {
      "",                                  // Nothing.
      "whsec_",                            // No key.
      "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  // No prefix.
      "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa",    // Not a multiple of 4.
      "whsec_MfKQ9r8GKYqrTwjU!D8ILPZIo2LaLaSw",  // Not base64.
      "whsec_ MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",  // Space.
      "whsec_====",                              // Empty key.
  };
  for (const char* secret : bad) {
    INFO("secret: \"" << secret << "\"");
    const config::Status valid = ValidateWebhookSecret(secret);
    REQUIRE_FALSE(valid.ok());
    CHECK(valid.error().kind == config::ErrorKind::kPermanent);
    CHECK_THAT(valid.error().what, Catch::Contains("whsec_"));
    const config::Result<std::string> signature =
        SignWebhook(secret, kId, kTimestamp, kBody);
    REQUIRE_FALSE(signature.ok());
    CHECK(signature.error().kind == config::ErrorKind::kPermanent);
    if (std::string(secret).size() > 6) {
      // Not even the key part appears in the message.
      CHECK(signature.error().ToString().find(std::string(secret).substr(6)) ==
            std::string::npos);
    }
  }
  CHECK(ValidateWebhookSecret(kSecret).ok());
}

TEST_CASE("webhook ids that would make the signed content ambiguous",
          "[webhook_signature]") {
  CHECK_FALSE(SignWebhook(kSecret, "", kTimestamp, kBody).ok());
  CHECK_FALSE(SignWebhook(kSecret, "msg.1", kTimestamp, kBody).ok());
}

}  // namespace
}  // namespace newswatch::alerts
