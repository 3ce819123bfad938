// EmailNotifier against a real SMTP server: Debian's aiosmtpd, with the
// handler in tests/support/smtp_sink.py recording what it received (the
// envelope, the TLS and AUTH state, the message parsed back by Python's email
// package) as one JSON file per message.
#include "alerts/email_notifier.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "alerts/notifier.h"
#include "config/config.h"
#include "tests/support/peers.h"
#include "tests/support/temp_dir.h"

namespace newswatch::alerts {
namespace {

using Kind = DeliveryOutcome::Kind;
using newswatch::testing::FreePort;
using newswatch::testing::SmtpSink;
using newswatch::testing::TempDir;
using newswatch::testing::TestCertificate;
using nlohmann::json;

constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

config::EmailSettings Settings(const SmtpSink& server) {
  config::EmailSettings settings;
  settings.smtp_url = server.Url();
  settings.from = "alerts@newswatch.example.org";
  settings.to = {"ops@example.org", "editor@example.com", "desk@example.net"};
  settings.timeout = config::Seconds{10};
  return settings;
}

Message MakeMessage(std::string title) {
  Alert alert;
  alert.id = 7;
  alert.content.search_name = "Ukraine troop caps";
  alert.content.query = "ukraine AND \"troop cap\"";
  alert.content.article_id = "article-7";
  alert.content.title = std::move(title);
  alert.content.url = "https://news.example.org/world/7";
  alert.content.feed_name = "World News";
  alert.content.feed_url = "https://news.example.org/feed.xml";
  alert.content.snippet = "Allies seek changes to the peace plan.";
  alert.content.published = kNow - 600;
  alert.content.matched_terms = {"ukraine", "troop", "cap"};
  alert.fired_at = kNow;
  Message message;
  message.id = "msg_test_d7";
  message.alerts.push_back(std::move(alert));
  return message;
}

DeliveryOutcome Send(EmailNotifier& notifier, const Message& message) {
  return notifier.Deliver(message, kNow);
}

// The decoded values of header `name` in a recorded message.
std::vector<std::string> Headers(const json& message, const std::string& name) {
  std::vector<std::string> values;
  for (const json& header : message["headers"]) {
    std::string header_name = header[0].get<std::string>();
    std::transform(header_name.begin(), header_name.end(), header_name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string wanted = name;
    std::transform(wanted.begin(), wanted.end(), wanted.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (header_name == wanted) values.push_back(header[1].get<std::string>());
  }
  return values;
}

std::string Header(const json& message, const std::string& name) {
  const auto values = Headers(message, name);
  INFO("header " << name);
  REQUIRE(values.size() == 1);
  return values.front();
}

// Checks what every well-formed message from the notifier has in common.
void CheckWellFormed(const json& message) {
  INFO(message.dump(1));
  CHECK(message["defects"].empty());
  CHECK(message["bare_newlines"] == 0);
  CHECK(message["max_line_length"].get<int>() <= 78);
  CHECK(message["content_type"] == "multipart/alternative");
  REQUIRE(message["parts"].size() == 2);
  CHECK(message["parts"][0]["content_type"] == "text/plain");
  CHECK(message["parts"][1]["content_type"] == "text/html");
  for (const json& part : message["parts"]) {
    CHECK(part["charset"] == "utf-8");
  }
}

// Sends `message`, which must be sent, and returns it as `server` received
// it: the only message there, and well-formed.
json SendOne(EmailNotifier& notifier, const Message& message,
             const SmtpSink& server) {
  const DeliveryOutcome outcome = Send(notifier, message);
  INFO(outcome.error << "\naiosmtpd: " << server.Err());
  REQUIRE(outcome.kind == Kind::kSent);
  const std::vector<json> received = server.Messages();
  REQUIRE(received.size() == 1);
  CheckWellFormed(received[0]);
  return received[0];
}

// Sends a message with a notifier made from `settings`, which must fail
// transiently with nothing accepted by `server`, and returns the error.
std::string TransientError(const config::EmailSettings& settings,
                           const SmtpSink& server) {
  EmailNotifier notifier("mail", settings);
  const DeliveryOutcome outcome = Send(notifier, MakeMessage("Not sent"));
  INFO(outcome.error);
  CHECK(outcome.kind == Kind::kTransient);
  CHECK(server.Messages().empty());
  return outcome.error;
}

// The decoded text of a part, with Python's CRLF line ends made LF.
std::string Text(const json& message, int part) {
  std::string text = message["parts"][part]["text"].get<std::string>();
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

TEST_CASE(
    "EmailNotifier: email over plain SMTP reaches every recipient, decoded "
    "intact",
    "[email]") {
  SmtpSink server;
  EmailNotifier notifier("mail", Settings(server));
  const std::string title = "Ukraine’s troop cap — Ελλάδα";
  const Message message = MakeMessage(title);
  const json mail = SendOne(notifier, message, server);

  CHECK(mail["mail_from"] == "alerts@newswatch.example.org");
  CHECK(mail["rcpt_tos"] ==
        json({"ops@example.org", "editor@example.com", "desk@example.net"}));
  CHECK(mail["tls"] == false);
  CHECK(mail["authenticated"] == false);
  CHECK(Header(mail, "Subject") == "[newswatch] Ukraine troop caps: " + title);
  CHECK(Header(mail, "From") == "newswatch <alerts@newswatch.example.org>");
  CHECK(Header(mail, "To") ==
        "ops@example.org, editor@example.com, desk@example.net");
  CHECK(Header(mail, "Date") == "Tue, 14 Nov 2023 22:13:20 +0000");
  CHECK(Header(mail, "Message-ID") == "<msg_test_d7@newswatch.example.org>");
  CHECK(Header(mail, "Auto-Submitted") == "auto-generated");
  CHECK(Header(mail, "MIME-Version") == "1.0");

  const std::string text = Text(mail, 0);
  CHECK_THAT(text, Catch::Contains("Your saved search \"Ukraine troop caps\""));
  CHECK_THAT(text, Catch::Contains("Query: ukraine AND \"troop cap\""));
  CHECK_THAT(text, Catch::Contains(title + "\nhttps://news.example.org/world/7"
                                           "\nFeed: World News\nPublished: "
                                           "2023-11-14T22:03:20Z\nMatched: "
                                           "ukraine, troop, cap\n"));
  CHECK_THAT(text, Catch::Contains("Allies seek changes to the peace plan."));
  const std::string html = Text(mail, 1);
  CHECK_THAT(html,
             Catch::Contains("<a href=\"https://news.example.org/world/7\">" +
                             title + "</a>"));
  CHECK_THAT(html, Catch::Contains("Allies seek changes to the peace plan."));

  // A retry of the same message carries the same Message-ID.
  REQUIRE(Send(notifier, message).kind == Kind::kSent);
  REQUIRE(server.Messages().size() == 2);
  CHECK(Header(server.Messages()[1], "Message-ID") ==
        Header(mail, "Message-ID"));
}

TEST_CASE("EmailNotifier: a hostile title adds no header and no recipient",
          "[email][hostile]") {
  SmtpSink server;
  config::EmailSettings settings = Settings(server);
  settings.to = {"ops@example.org"};
  EmailNotifier notifier("mail", settings);
  Message message = MakeMessage("Hi\r\nBcc: victim@example.org");
  // An attempt to end the SMTP data early and start a second transaction.
  message.alerts[0].content.snippet =
      "x\r\n.\r\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.org>"
      "\r\nDATA\r\nSubject: forged\r\n\r\nforged\r\n.\r\n";
  message.alerts[0].content.feed_name = "Feed\nTo: victim@example.org";
  const json mail = SendOne(notifier, message, server);
  CHECK(mail["rcpt_tos"] == json({"ops@example.org"}));
  CHECK(Headers(mail, "Bcc").empty());
  CHECK(Headers(mail, "Subject") ==
        std::vector<std::string>{
            "[newswatch] Ukraine troop caps: Hi Bcc: victim@example.org"});
  CHECK(Headers(mail, "To") == std::vector<std::string>{"ops@example.org"});
  CHECK_THAT(Text(mail, 0), Catch::Contains("x . MAIL FROM:<evil@example.org> "
                                            "RCPT TO:<victim@example.org>"));
}

TEST_CASE("EmailNotifier: STARTTLS with AUTH: encrypted, then logged in",
          "[email][tls]") {
  SmtpSink server(SmtpSink::Tls::kStartTls, {"auth=newswatch:s3cret pw"});
  TempDir dir;
  config::EmailSettings settings = Settings(server);
  settings.starttls = true;
  settings.ca_file = TestCertificate().cert;
  settings.username = "newswatch";
  settings.password_file = dir.Write("password", "s3cret pw\n");

  SECTION("the right password") {
    EmailNotifier notifier("mail", settings);
    const json mail = SendOne(notifier, MakeMessage("Secure"), server);
    CHECK(mail["tls"] == true);
    CHECK(mail["starttls"] == true);
    CHECK(mail["authenticated"] == true);
    CHECK(mail["auth_login"] == "newswatch");
    CHECK(Header(mail, "Subject") == "[newswatch] Ukraine troop caps: Secure");
  }
  SECTION("a wrong password is transient and not shown") {
    settings.password_file = dir.Write("wrong", "hunter2-wrong\n");
    const std::string error = TransientError(settings, server);
    CHECK_THAT(error,
               Catch::StartsWith("email \"mail\" (smtp://" + server.Server() +
                                 "): authentication failed"));
    CHECK(error.find("hunter2") == std::string::npos);
  }
  SECTION("an unreadable password file is transient and named") {
    settings.password_file = dir.path() / "missing";
    CHECK_THAT(TransientError(settings, server),
               Catch::Contains("password_file \"" +
                               (dir.path() / "missing").string() + "\""));
  }
  SECTION("without starttls, the server's demand for it is transient") {
    settings.starttls = false;
    CHECK_THAT(TransientError(settings, server), Catch::Contains("530"));
  }
  SECTION("an untrusted certificate is a transient TLS failure") {
    settings.ca_file.clear();  // The system's CAs do not know it.
    TransientError(settings, server);
  }
}

TEST_CASE("EmailNotifier: starttls = true refuses a server without STARTTLS",
          "[email][tls]") {
  // Transient: the message is fine; the server (or whoever stripped
  // STARTTLS from its reply) is the problem, and that can change.
  SmtpSink server;
  config::EmailSettings settings = Settings(server);
  settings.starttls = true;
  CHECK_THAT(TransientError(settings, server), Catch::Contains("STARTTLS"));
}

TEST_CASE("EmailNotifier: smtps:// is TLS from the first byte",
          "[email][tls]") {
  SmtpSink server(SmtpSink::Tls::kSmtps);
  config::EmailSettings settings = Settings(server);
  settings.ca_file = TestCertificate().cert;
  EmailNotifier notifier("mail", settings);
  const json mail = SendOne(notifier, MakeMessage("Implicit"), server);
  CHECK(mail["tls"] == true);
  CHECK(mail["starttls"] == false);
  CHECK(Header(mail, "Subject") == "[newswatch] Ukraine troop caps: Implicit");
}

TEST_CASE("EmailNotifier: SMTP replies: 5xx is permanent, 4xx transient",
          "[email]") {
  SmtpSink server(SmtpSink::Tls::kNone,
                  {"reject=gone@example.org", "defer=busy@example.org"});
  config::EmailSettings settings = Settings(server);

  settings.to = {"ops@example.org", "gone@example.org"};
  EmailNotifier rejecting("mail", settings);
  const DeliveryOutcome rejected = Send(rejecting, MakeMessage("One"));
  INFO(rejected.error);
  CHECK(rejected.kind == Kind::kPermanent);
  CHECK_THAT(rejected.error, Catch::StartsWith("email \"mail\" (smtp://" +
                                               server.Server() + "): "));
  CHECK_THAT(rejected.error, Catch::Contains("550"));
  CHECK_THAT(rejected.error, Catch::Contains("gone@example.org"));

  settings.to = {"busy@example.org"};
  EmailNotifier deferring("mail", settings);
  const DeliveryOutcome deferred = Send(deferring, MakeMessage("Two"));
  INFO(deferred.error);
  CHECK(deferred.kind == Kind::kTransient);
  CHECK_THAT(deferred.error, Catch::Contains("451"));

  // Nothing was accepted: a failed recipient fails the whole message.
  CHECK(server.Messages().empty());

  // A message that cannot be built never reaches the server.
  settings.to = {"ops@example.org"};
  settings.from = "alerts@example.org\r\nRCPT TO:<victim@example.org>";
  EmailNotifier broken("mail", settings);
  const DeliveryOutcome unbuildable = Send(broken, MakeMessage("Three"));
  CHECK(unbuildable.kind == Kind::kPermanent);
  CHECK_THAT(unbuildable.error, Catch::Contains("cannot build the message"));
  CHECK(server.Messages().empty());
}

TEST_CASE("EmailNotifier: a refused connection is transient", "[email]") {
  const int port = FreePort();  // Nothing listens there.
  config::EmailSettings settings;
  settings.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  settings.from = "alerts@example.org";
  settings.to = {"ops@example.org"};
  settings.timeout = config::Seconds{5};
  EmailNotifier notifier("mail", settings);
  const DeliveryOutcome outcome = Send(notifier, MakeMessage("Nobody"));
  INFO(outcome.error);
  CHECK(outcome.kind == Kind::kTransient);
  CHECK_THAT(outcome.error,
             Catch::StartsWith("email \"mail\" (smtp://127.0.0.1:" +
                               std::to_string(port) + "): "));
}

}  // namespace
}  // namespace newswatch::alerts
