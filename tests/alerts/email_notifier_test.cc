// EmailNotifier against a real SMTP server: Debian's aiosmtpd, with the
// handler in tests/support/smtp_sink.py recording what it received (the
// envelope, the TLS and AUTH state, the message parsed back by Python's email
// package) as one JSON file per message.
#include "alerts/email_notifier.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "alerts/notifier.h"
#include "config/config.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace newswatch::alerts {
namespace {

namespace fs = std::filesystem;
using Kind = DeliveryOutcome::Kind;
using newswatch::testing::BackgroundProcess;
using newswatch::testing::ReadFile;
using newswatch::testing::RunProcess;
using newswatch::testing::TempDir;
using nlohmann::json;

constexpr std::int64_t kNow = 1'700'000'000;         // 2023-11-14T22:13:20Z
constexpr const char* kPython = "/usr/bin/python3";  // Has aiosmtpd.

// A TCP port on 127.0.0.1 that was free a moment ago. aiosmtpd's command
// line needs a number, so the port is chosen here, not by the server.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool connected =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

// A self-signed certificate for 127.0.0.1, made once per test run.
struct Certificate {
  TempDir dir;
  fs::path cert;
  fs::path key;
};

const Certificate& TestCertificate() {
  static const std::unique_ptr<Certificate> certificate = [] {
    auto made = std::make_unique<Certificate>();
    made->cert = made->dir.path() / "cert.pem";
    made->key = made->dir.path() / "key.pem";
    const auto result = RunProcess(
        {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
         made->key.string(), "-out", made->cert.string()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return made;
  }();
  return *certificate;
}

// aiosmtpd on 127.0.0.1, killed when the object goes away.
class SmtpServer {
 public:
  enum class Tls { kNone, kStartTls, kSmtps };

  // `handler_args` go to smtp_sink.Sink: "reject=ADDRESS", "defer=ADDRESS",
  // "auth=USER:PASSWORD".
  explicit SmtpServer(Tls tls = Tls::kNone,
                      std::vector<std::string> handler_args = {})
      : port_(FreePort()), tls_(tls) {
    std::vector<std::string> argv = {
        "/usr/bin/env",
        "PYTHONPATH=" + std::string(NEWSWATCH_SOURCE_DIR) + "/tests/support",
        kPython,
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        "127.0.0.1:" + std::to_string(port_),
        "-c",
        "smtp_sink.Sink"};
    if (tls == Tls::kStartTls) {
      argv.insert(argv.end(), {"--tlscert", TestCertificate().cert.string(),
                               "--tlskey", TestCertificate().key.string()});
    } else if (tls == Tls::kSmtps) {
      argv.insert(argv.end(), {"--smtpscert", TestCertificate().cert.string(),
                               "--smtpskey", TestCertificate().key.string()});
    }
    argv.push_back(dir_.path().string());
    argv.insert(argv.end(), handler_args.begin(), handler_args.end());
    process_ = std::make_unique<BackgroundProcess>(argv);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!Accepts(port_) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO("aiosmtpd: " << process_->Err());
    REQUIRE(Accepts(port_));
  }

  std::string Url() const {
    return (tls_ == Tls::kSmtps ? "smtps://" : "smtp://") + Server();
  }
  std::string Server() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Err() const { return process_->Err(); }

  // What the server accepted, oldest first.
  std::vector<json> Messages() const {
    std::vector<json> messages;
    for (int n = 1;; ++n) {
      const fs::path file = dir_.path() / (std::to_string(n) + ".json");
      if (!fs::exists(file)) return messages;
      messages.push_back(json::parse(ReadFile(file)));
    }
  }

 private:
  TempDir dir_;
  int port_;
  Tls tls_;
  std::unique_ptr<BackgroundProcess> process_;
};

config::EmailSettings Settings(const SmtpServer& server) {
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
  SmtpServer server;
  EmailNotifier notifier("mail", Settings(server));
  const std::string title = "Ukraine’s troop cap — Ελλάδα";
  const Message message = MakeMessage(title);

  const DeliveryOutcome outcome = Send(notifier, message);
  INFO(outcome.error << "\naiosmtpd: " << server.Err());
  REQUIRE(outcome.kind == Kind::kSent);
  const std::vector<json> received = server.Messages();
  REQUIRE(received.size() == 1);
  const json& mail = received[0];
  CheckWellFormed(mail);

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
  SmtpServer server;
  config::EmailSettings settings = Settings(server);
  settings.to = {"ops@example.org"};
  EmailNotifier notifier("mail", settings);
  Message message = MakeMessage("Hi\r\nBcc: victim@example.org");
  // An attempt to end the SMTP data early and start a second transaction.
  message.alerts[0].content.snippet =
      "x\r\n.\r\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.org>"
      "\r\nDATA\r\nSubject: forged\r\n\r\nforged\r\n.\r\n";
  message.alerts[0].content.feed_name = "Feed\nTo: victim@example.org";

  const DeliveryOutcome outcome = Send(notifier, message);
  INFO(outcome.error << "\naiosmtpd: " << server.Err());
  REQUIRE(outcome.kind == Kind::kSent);
  const std::vector<json> received = server.Messages();
  REQUIRE(received.size() == 1);
  const json& mail = received[0];
  CheckWellFormed(mail);
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
  SmtpServer server(SmtpServer::Tls::kStartTls, {"auth=newswatch:s3cret pw"});
  TempDir dir;
  config::EmailSettings settings = Settings(server);
  settings.starttls = true;
  settings.ca_file = TestCertificate().cert;
  settings.username = "newswatch";
  settings.password_file = dir.Write("password", "s3cret pw\n");

  SECTION("the right password") {
    EmailNotifier notifier("mail", settings);
    const DeliveryOutcome outcome = Send(notifier, MakeMessage("Secure"));
    INFO(outcome.error << "\naiosmtpd: " << server.Err());
    REQUIRE(outcome.kind == Kind::kSent);
    const std::vector<json> received = server.Messages();
    REQUIRE(received.size() == 1);
    CheckWellFormed(received[0]);
    CHECK(received[0]["tls"] == true);
    CHECK(received[0]["starttls"] == true);
    CHECK(received[0]["authenticated"] == true);
    CHECK(received[0]["auth_login"] == "newswatch");
    CHECK(Header(received[0], "Subject") ==
          "[newswatch] Ukraine troop caps: Secure");
  }
  SECTION("a wrong password is transient and not shown") {
    settings.password_file = dir.Write("wrong", "hunter2-wrong\n");
    EmailNotifier notifier("mail", settings);
    const DeliveryOutcome outcome = Send(notifier, MakeMessage("Secure"));
    INFO(outcome.error);
    CHECK(outcome.kind == Kind::kTransient);
    CHECK_THAT(outcome.error,
               Catch::StartsWith("email \"mail\" (smtp://" + server.Server() +
                                 "): authentication failed"));
    CHECK(outcome.error.find("hunter2") == std::string::npos);
    CHECK(server.Messages().empty());
  }
  SECTION("an unreadable password file is transient and named") {
    settings.password_file = dir.path() / "missing";
    EmailNotifier notifier("mail", settings);
    const DeliveryOutcome outcome = Send(notifier, MakeMessage("Secure"));
    CHECK(outcome.kind == Kind::kTransient);
    CHECK_THAT(outcome.error,
               Catch::Contains("password_file \"" +
                               (dir.path() / "missing").string() + "\""));
    CHECK(server.Messages().empty());
  }
  SECTION("without starttls, the server's demand for it is transient") {
    settings.starttls = false;
    EmailNotifier notifier("mail", settings);
    const DeliveryOutcome outcome = Send(notifier, MakeMessage("Secure"));
    INFO(outcome.error);
    CHECK(outcome.kind == Kind::kTransient);
    CHECK_THAT(outcome.error, Catch::Contains("530"));
    CHECK(server.Messages().empty());
  }
  SECTION("an untrusted certificate is a transient TLS failure") {
    settings.ca_file.clear();  // The system's CAs do not know it.
    EmailNotifier notifier("mail", settings);
    const DeliveryOutcome outcome = Send(notifier, MakeMessage("Secure"));
    INFO(outcome.error);
    CHECK(outcome.kind == Kind::kTransient);
    CHECK(server.Messages().empty());
  }
}

TEST_CASE("EmailNotifier: starttls = true refuses a server without STARTTLS",
          "[email][tls]") {
  // Transient: the message is fine; the server (or whoever stripped
  // STARTTLS from its reply) is the problem, and that can change.
  SmtpServer server;
  config::EmailSettings settings = Settings(server);
  settings.starttls = true;
  EmailNotifier notifier("mail", settings);
  const DeliveryOutcome outcome = Send(notifier, MakeMessage("Plain"));
  INFO(outcome.error);
  CHECK(outcome.kind == Kind::kTransient);
  CHECK_THAT(outcome.error, Catch::Contains("STARTTLS"));
  CHECK(server.Messages().empty());
}

TEST_CASE("EmailNotifier: smtps:// is TLS from the first byte",
          "[email][tls]") {
  SmtpServer server(SmtpServer::Tls::kSmtps);
  config::EmailSettings settings = Settings(server);
  settings.ca_file = TestCertificate().cert;
  EmailNotifier notifier("mail", settings);
  const DeliveryOutcome outcome = Send(notifier, MakeMessage("Implicit"));
  INFO(outcome.error << "\naiosmtpd: " << server.Err());
  REQUIRE(outcome.kind == Kind::kSent);
  const std::vector<json> received = server.Messages();
  REQUIRE(received.size() == 1);
  CheckWellFormed(received[0]);
  CHECK(received[0]["tls"] == true);
  CHECK(received[0]["starttls"] == false);
  CHECK(Header(received[0], "Subject") ==
        "[newswatch] Ukraine troop caps: Implicit");
}

TEST_CASE("EmailNotifier: SMTP replies: 5xx is permanent, 4xx transient",
          "[email]") {
  SmtpServer server(SmtpServer::Tls::kNone,
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
