// Delivery through the real binary: webhooks to a real receiver that checks
// signatures with its own HMAC, mail to Debian's aiosmtpd, and the outbox
// commands (alerts --pending/--dead, alerts retry).
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <set>
#include <string>
#include <thread>

#include "tests/end_to_end/deployment.h"
#include "tests/support/peers.h"

namespace newswatch::testing {
namespace {

using nlohmann::json;

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// The world feed over HTTP, the seed search notifying `notify`, and the
// notifier sections in `notifiers`.
void SetUp(Deployment& deployment, const std::string& notifiers,
           const std::string& search_options = "notify = [\"hook\"]\n") {
  deployment.server().Set(
      "/world.rss",
      {200, {{"Content-Type", "application/rss+xml"}}, WorldFeed()});
  deployment.WriteConfig(notifiers + "\n[[feed]]\nurl = \"" +
                         deployment.server().Url("/world.rss") +
                         "\"\nname = \"Fixture World\"\n\n"
                         "[[search]]\nname = \"Ukraine troop caps\"\n"
                         "query = \"Ukraine AND troop cap\"\n" +
                         search_options);
}

std::string Hook(const std::string& url, const std::string& extra = "") {
  return "[[notifier]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"" + url +
         "\"\nsecret = \"" + kSecret + "\"\n" + extra;
}

ProcessResult RunOnce(const Deployment& deployment) {
  ProcessResult result = deployment.Run({"run", "--once"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  return result;
}

// `alerts --json` plus `flags`, parsed.
std::vector<json> AlertsWith(const Deployment& deployment,
                             const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"alerts", "--json"};
  args.insert(args.end(), flags.begin(), flags.end());
  const ProcessResult result = deployment.Run(args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<json> alerts;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    alerts.push_back(json::parse(line));
  }
  return alerts;
}

json OnlyDelivery(const Deployment& deployment) {
  const std::vector<json> alerts = deployment.Alerts();
  REQUIRE(alerts.size() == 1);
  REQUIRE(alerts[0]["deliveries"].size() == 1);
  return alerts[0]["deliveries"][0];
}

TEST_CASE("An alert reaches a webhook, signed, with its matched terms",
          "[e2e][delivery]") {
  WebhookReceiver receiver({"--secret", kSecret});
  Deployment deployment;
  SetUp(deployment, Hook(receiver.Url()));
  RunOnce(deployment);

  const std::vector<json> requests = receiver.Requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["signature_valid"] == true);
  CHECK(requests[0]["status"] == 200);
  const json body = json::parse(requests[0]["body"].get<std::string>());
  CHECK(body["type"] == "alert");
  CHECK(body["id"] == requests[0]["webhook_id"]);
  CHECK(body["search"]["name"] == "Ukraine troop caps");
  CHECK(body["search"]["query"] == "Ukraine AND troop cap");
  CHECK(body["article"]["url"] ==
        "https://fixture.example.org/2025/11/23/plan");
  CHECK(body["article"]["feed"] == "Fixture World");
  CHECK(body["article"]["matched_terms"] ==
        json::array({"ukraine", "troop", "cap"}));
  CHECK_THAT(requests[0]["headers"]["user-agent"].get<std::string>(),
             Catch::StartsWith("newswatch/"));

  const json delivery = OnlyDelivery(deployment);
  CHECK(delivery["state"] == "sent");
  CHECK(delivery["attempts"] == 1);
  CHECK(deployment.Alerts()[0]["matched_terms"] ==
        json::array({"ukraine", "troop", "cap"}));
  // Sent once: another run sends nothing.
  RunOnce(deployment);
  CHECK(receiver.Requests().size() == 1);
}

TEST_CASE("A failing webhook leaves the delivery pending for a retry",
          "[e2e][delivery]") {
  WebhookReceiver receiver({"--status", "500"});
  Deployment deployment;
  SetUp(deployment, Hook(receiver.Url()));
  const ProcessResult run = RunOnce(deployment);
  CHECK_THAT(run.err, Catch::Contains("will retry at"));

  const json delivery = OnlyDelivery(deployment);
  CHECK(delivery["state"] == "pending");
  CHECK(delivery["attempts"] == 1);
  CHECK_THAT(delivery["last_error"].get<std::string>(), Catch::Contains("500"));
  CHECK(delivery.contains("next_attempt_at"));
  CHECK(AlertsWith(deployment, {"--pending"}).size() == 1);
  CHECK(AlertsWith(deployment, {"--dead"}).empty());
  // Not due yet (the first retry is 10 s later): a second run does not send.
  RunOnce(deployment);
  CHECK(receiver.Requests().size() == 1);
}

TEST_CASE("A rejected webhook is dead until `alerts retry` requeues it",
          "[e2e][delivery]") {
  WebhookReceiver rejecting({"--status", "400"});
  Deployment deployment;
  SetUp(deployment, Hook(rejecting.Url()));
  const ProcessResult run = RunOnce(deployment);
  CHECK_THAT(run.err, Catch::Contains("gave up"));
  CHECK(OnlyDelivery(deployment)["state"] == "dead");
  CHECK(AlertsWith(deployment, {"--pending"}).empty());
  const std::vector<json> dead = AlertsWith(deployment, {"--dead"});
  REQUIRE(dead.size() == 1);

  // The operator fixes the receiver, then requeues.
  WebhookReceiver accepting({"--secret", kSecret});
  SetUp(deployment, Hook(accepting.Url()));
  const ProcessResult retry = deployment.Run({"alerts", "retry", "--dead"});
  INFO(retry.err);
  REQUIRE(retry.exit_code == 0);
  CHECK(retry.out == "requeued 1 delivery\n");
  CHECK(OnlyDelivery(deployment)["state"] == "pending");
  RunOnce(deployment);
  CHECK(OnlyDelivery(deployment)["state"] == "sent");
  const std::vector<json> received = accepting.Requests();
  REQUIRE(received.size() == 1);
  CHECK(received[0]["signature_valid"] == true);
  // The same message id as the rejected attempt: receivers can deduplicate.
  REQUIRE(rejecting.Requests().size() == 1);
  CHECK(received[0]["webhook_id"] == rejecting.Requests()[0]["webhook_id"]);

  const ProcessResult by_id = deployment.Run(
      {"alerts", "retry", std::to_string(dead[0]["id"].get<long long>())});
  CHECK(by_id.exit_code == 0);
  CHECK(by_id.out == "requeued 0 deliveries\n");  // Sent is never re-sent.
  CHECK(deployment.Run({"alerts", "retry"}).exit_code == 2);
  CHECK(deployment.Run({"alerts", "retry", "x"}).exit_code == 2);
}

TEST_CASE("A webhook that answers 410 is disabled until its URL changes",
          "[e2e][delivery]") {
  WebhookReceiver gone({"--status", "410"});
  Deployment deployment;
  SetUp(deployment, Hook(gone.Url()));
  const ProcessResult first = RunOnce(deployment);
  CHECK_THAT(first.err, Catch::Contains("notifier disabled"));
  CHECK(OnlyDelivery(deployment)["state"] == "pending");  // Not lost.

  const ProcessResult second = RunOnce(deployment);
  CHECK_THAT(second.err, Catch::Contains("\"hook\" is disabled"));
  CHECK(gone.Requests().size() == 1);

  WebhookReceiver moved({"--secret", kSecret});
  SetUp(deployment, Hook(moved.Url()));
  const ProcessResult third = RunOnce(deployment);
  CHECK_THAT(third.err, Catch::Contains("enabled again"));
  CHECK(moved.Requests().size() == 1);
  CHECK(OnlyDelivery(deployment)["state"] == "sent");
}

TEST_CASE("A digest search holds its alerts for the digest time",
          "[e2e][delivery]") {
  WebhookReceiver receiver;
  Deployment deployment;
  SetUp(deployment, Hook(receiver.Url()),
        "notify = [\"hook\"]\ndelivery = \"digest\"\ndigest_every = \"1h\"\n");
  RunOnce(deployment);
  CHECK(receiver.Requests().empty());
  const json delivery = OnlyDelivery(deployment);
  CHECK(delivery["state"] == "pending");
  CHECK(delivery["attempts"] == 0);
  // Due on the next full hour.
  CHECK_THAT(delivery["next_attempt_at"].get<std::string>(),
             Catch::EndsWith(":00:00Z"));
}

TEST_CASE("An alert reaches every recipient by email", "[e2e][delivery]") {
  SmtpSink smtp;
  Deployment deployment;
  SetUp(deployment,
        "[[notifier]]\nname = \"mail\"\ntype = \"email\"\nsmtp_url = \"" +
            smtp.Url() +
            "\"\nfrom = \"newswatch@example.org\"\n"
            "to = [\"desk@example.org\", \"night@example.org\"]\n",
        "notify = [\"mail\"]\n");
  RunOnce(deployment);
  const std::vector<json> messages = smtp.Messages();
  REQUIRE(messages.size() == 1);
  const json& message = messages[0];
  CHECK(message["mail_from"] == "newswatch@example.org");
  CHECK(message["rcpt_tos"] ==
        json::array({"desk@example.org", "night@example.org"}));
  std::map<std::string, std::string> headers;
  for (const json& header : message["headers"]) {
    headers[header[0].get<std::string>()] = header[1].get<std::string>();
  }
  CHECK_THAT(headers["Subject"], Catch::Contains("Ukraine troop caps"));
  CHECK_THAT(headers["Subject"], Catch::Contains("Ukraine’s armed forces"));
  CHECK(OnlyDelivery(deployment)["state"] == "sent");
}

TEST_CASE("The daemon delivers from its own thread and stops cleanly",
          "[e2e][delivery]") {
  WebhookReceiver receiver({"--secret", kSecret});
  Deployment deployment;
  SetUp(deployment, Hook(receiver.Url()));
  BackgroundProcess daemon(deployment.Command({"run"}));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (receiver.Requests().empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(daemon.Err());
  REQUIRE(receiver.Requests().size() == 1);
  CHECK(receiver.Requests()[0]["signature_valid"] == true);
  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(std::chrono::seconds(20)) == 0);
  CHECK(OnlyDelivery(deployment)["state"] == "sent");
}

TEST_CASE("check-config refuses what the senders would refuse at send time",
          "[e2e][delivery]") {
  Deployment deployment;
  SetUp(deployment,
        Hook("https://hooks.example.org/x",
             "headers = { \"webhook-id\" = \"mine\" }\n") +
            "\n[[notifier]]\nname = \"mail\"\ntype = \"email\"\n"
            "smtp_url = \"smtp://127.0.0.1:25\"\n"
            "from = \"a..b@example.org\"\nto = [\"desk@example.org\"]\n");
  const ProcessResult result = deployment.Run({"check-config"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("notifier \"hook\": headers:"));
  CHECK_THAT(result.err, Catch::Contains("webhook-id"));
  CHECK_THAT(result.err, Catch::Contains("notifier \"mail\""));
  CHECK_THAT(result.err, Catch::Contains("a..b@example.org"));
}

}  // namespace
}  // namespace newswatch::testing
