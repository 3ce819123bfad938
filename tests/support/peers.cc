#include "tests/support/peers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace newswatch::testing {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Debian's Python, which has aiosmtpd; the one on PATH may be another.
constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kSupportDir = NEWSWATCH_SOURCE_DIR "/tests/support";
constexpr std::chrono::seconds kStartTimeout{10};

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

// Polls `ready` until it holds or kStartTimeout passes.
template <typename Ready>
bool WaitUntil(Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("FreePort: socket failed");
  sockaddr_in address = Loopback(0);
  socklen_t length = sizeof address;
  const bool ok =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("FreePort: cannot bind 127.0.0.1:0");
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address = Loopback(port);
  const bool connected =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

const Certificate& TestCertificate() {
  static const std::unique_ptr<Certificate> certificate = [] {
    auto made = std::make_unique<Certificate>();
    made->cert = made->dir.path() / "cert.pem";
    made->key = made->dir.path() / "key.pem";
    const ProcessResult result = RunProcess(
        {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
         made->key.string(), "-out", made->cert.string()});
    if (result.exit_code != 0) {
      throw std::runtime_error("openssl req failed: " + result.err);
    }
    return made;
  }();
  return *certificate;
}

WebhookReceiver::WebhookReceiver(const std::vector<std::string>& options)
    : port_file_(dir_.path() / "port"), log_(dir_.path() / "requests.jsonl") {
  std::vector<std::string> argv = {
      kPython,       std::string(kSupportDir) + "/webhook_receiver.py",
      "--port-file", port_file_.string(),
      "--log",       log_.string()};
  argv.insert(argv.end(), options.begin(), options.end());
  process_ = std::make_unique<BackgroundProcess>(argv);
  if (!WaitUntil([&] { return fs::exists(port_file_); })) {
    throw std::runtime_error("webhook receiver did not start: " +
                             process_->Err());
  }
  port_ = std::stoi(ReadFile(port_file_));
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<json> WebhookReceiver::Requests() const {
  std::vector<json> requests;
  if (!fs::exists(log_)) return requests;
  std::istringstream lines(ReadFile(log_));
  for (std::string line; std::getline(lines, line);) {
    requests.push_back(json::parse(line));
  }
  return requests;
}

SmtpSink::SmtpSink(Tls tls, const std::vector<std::string>& handler_args)
    : port_(FreePort()), tls_(tls) {
  std::vector<std::string> argv = {
      "/usr/bin/env", std::string("PYTHONPATH=") + kSupportDir,
      kPython,        "-m",
      "aiosmtpd",     "-n",
      "-l",           Server(),
      "-c",           "smtp_sink.Sink"};
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
  if (!WaitUntil([&] { return Accepts(port_); })) {
    throw std::runtime_error("aiosmtpd did not start: " + process_->Err());
  }
}

std::string SmtpSink::Url() const {
  return (tls_ == Tls::kSmtps ? "smtps://" : "smtp://") + Server();
}

std::vector<json> SmtpSink::Messages() const {
  std::vector<json> messages;
  for (int n = 1;; ++n) {
    const fs::path file = dir_.path() / (std::to_string(n) + ".json");
    if (!fs::exists(file)) return messages;
    messages.push_back(json::parse(ReadFile(file)));
  }
}

}  // namespace newswatch::testing
