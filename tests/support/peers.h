// Real delivery peers for tests, each a separate process on 127.0.0.1 that
// lives as long as its object: Debian's aiosmtpd with the smtp_sink.py
// handler, and the webhook_receiver.py receiver (both run by Debian's
// /usr/bin/python3). Construction waits until the peer listens and throws
// std::runtime_error if it never does.
#ifndef NEWSWATCH_TESTS_SUPPORT_PEERS_H_
#define NEWSWATCH_TESTS_SUPPORT_PEERS_H_

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace newswatch::testing {

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();

// Whether something accepts connections on 127.0.0.1:`port`.
bool Accepts(int port);

// A self-signed certificate for 127.0.0.1 (made once per test process with
// the openssl command), for TLS peers and for notifiers' ca_file.
struct Certificate {
  TempDir dir;
  std::filesystem::path cert;
  std::filesystem::path key;
};
const Certificate& TestCertificate();

// tests/support/webhook_receiver.py; `options` are its flags (--secret,
// --fail-first N, --status CODE, --delay S, ...).
class WebhookReceiver {
 public:
  explicit WebhookReceiver(const std::vector<std::string>& options = {});

  int port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const;
  std::string Err() const { return process_->Err(); }

  // One JSON object per request received, in order (see the script).
  std::vector<nlohmann::json> Requests() const;

 private:
  TempDir dir_;
  std::filesystem::path port_file_;
  std::filesystem::path log_;
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

// aiosmtpd with tests/support/smtp_sink.py's Sink, which writes each message
// it accepts as a JSON file (envelope, decoded headers, parts).
class SmtpSink {
 public:
  enum class Tls { kNone, kStartTls, kSmtps };

  // `handler_args` go to the Sink: "reject=ADDRESS", "defer=ADDRESS",
  // "auth=USER:PASSWORD".
  explicit SmtpSink(Tls tls = Tls::kNone,
                    const std::vector<std::string>& handler_args = {});

  std::string Url() const;  // smtp:// or smtps://127.0.0.1:PORT
  std::string Server() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Err() const { return process_->Err(); }

  // What the server accepted, oldest first.
  std::vector<nlohmann::json> Messages() const;

 private:
  TempDir dir_;
  int port_;
  Tls tls_;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_SUPPORT_PEERS_H_
