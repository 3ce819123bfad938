#include "alerts/email_notifier.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "alerts/email_message.h"
#include "config/text.h"

namespace newswatch::alerts {

namespace {

// A password file larger than this is not a password file.
constexpr std::size_t kMaxPasswordBytes = 4096;
// Connecting takes at most this long (or the whole timeout, if shorter).
constexpr std::chrono::milliseconds kMaxConnectTimeout{20'000};
// How much of the server's last reply an error quotes.
constexpr std::size_t kMaxReplyBytes = 300;

// "smtp://host:port" from the configured URL, leaving out credentials, path
// and query (nothing of a URL that does not parse: it could hold a password).
std::string ServerOf(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(),
                                                             curl_url_cleanup);
  if (handle == nullptr ||
      curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return "an smtp_url that does not parse";
  }
  const auto part = [&](CURLUPart which, unsigned flags) {
    char* text = nullptr;
    std::string value;
    if (curl_url_get(handle.get(), which, &text, flags) == CURLUE_OK) {
      value = text;
    }
    curl_free(text);
    return value;
  };
  return part(CURLUPART_SCHEME, 0) + "://" + part(CURLUPART_HOST, 0) + ":" +
         part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

// The password in `file`: its content without one trailing newline.
config::Result<std::string> ReadPassword(const std::filesystem::path& file) {
  const auto failed = [&](const std::string& why) {
    return config::Error::Transient(
        "", "cannot read password_file \"" + file.string() + "\": " + why);
  };
  std::unique_ptr<std::FILE, decltype(&std::fclose)> stream(
      std::fopen(file.c_str(), "rb"), std::fclose);
  if (stream == nullptr) {
    return failed(std::system_category().message(errno));
  }
  std::string password;
  char buffer[1024];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0) {
    password.append(buffer, read);
    if (password.size() > kMaxPasswordBytes) {
      return failed("it is larger than " + std::to_string(kMaxPasswordBytes) +
                    " bytes");
    }
  }
  if (std::ferror(stream.get())) {
    return failed(std::system_category().message(errno));
  }
  if (!password.empty() && password.back() == '\n') password.pop_back();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

// What libcurl reads the message from.
struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t OnRead(char* buffer, std::size_t size, std::size_t count,
                   void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t bytes =
      std::min(size * count, upload->data.size() - upload->offset);
  upload->data.copy(buffer, bytes, upload->offset);
  upload->offset += bytes;
  return bytes;
}

// Keeps the last error reply (4xx or 5xx) the server sent, for errors: the
// last reply of all is the 221 that answers QUIT. Only replies are looked at:
// what the client sends includes the credentials.
int OnDebug(CURL* /*curl*/, curl_infotype type, char* data, std::size_t size,
            void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto* last_error_reply = static_cast<std::string*>(user);
  std::string_view text(data, size);
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size()
                                                         : newline + 1);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && (line.front() == '4' || line.front() == '5')) {
      *last_error_reply = config::OneLine(line.substr(0, kMaxReplyBytes));
    }
  }
  return 0;
}

DeliveryOutcome Failure(DeliveryOutcome::Kind kind, std::string error) {
  DeliveryOutcome outcome;
  outcome.kind = kind;
  outcome.error = std::move(error);
  return outcome;
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

struct CurlEasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

EmailNotifier::EmailNotifier(std::string name, config::EmailSettings settings)
    : name_(std::move(name)),
      settings_(std::move(settings)),
      server_(ServerOf(settings_.smtp_url)) {}

std::string EmailNotifier::Destination() const {
  std::string destination = server_;
  for (const std::string& to : settings_.to) destination += " " + to;
  return destination;
}

DeliveryOutcome EmailNotifier::Deliver(const Message& message,
                                       std::int64_t now) {
  using Kind = DeliveryOutcome::Kind;
  const std::string where = "email \"" + name_ + "\" (" + server_ + "): ";

  config::Result<std::string> built = BuildEmail(message, settings_, now);
  if (!built.ok()) {
    return Failure(Kind::kPermanent,
                   where + "cannot build the message: " + built.error().what);
  }
  std::string password;
  if (!settings_.username.empty() && !settings_.password_file.empty()) {
    config::Result<std::string> read = ReadPassword(settings_.password_file);
    if (!read.ok()) return Failure(Kind::kTransient, where + read.error().what);
    password = std::move(read).value();
  }

  std::unique_ptr<CURL, CurlEasyDeleter> handle(curl_easy_init());
  if (handle == nullptr) {
    return Failure(Kind::kTransient, where + "libcurl cannot create a handle");
  }
  CURL* curl = handle.get();
  std::unique_ptr<curl_slist, CurlSlistDeleter> recipients;
  for (const std::string& to : settings_.to) {
    curl_slist* appended =
        curl_slist_append(recipients.get(), ("<" + to + ">").c_str());
    if (appended == nullptr) {
      return Failure(Kind::kTransient, where + "out of memory");
    }
    recipients.release();
    recipients.reset(appended);
  }
  const std::string mail_from = "<" + settings_.from + ">";
  Upload upload{built.value()};
  std::string last_error_reply;
  char error_buffer[CURL_ERROR_SIZE] = "";
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      settings_.timeout > config::Seconds{0} ? settings_.timeout
                                             : config::kDefaultSmtpTimeout);

  curl_easy_setopt(curl, CURLOPT_URL, settings_.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnRead);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(upload.data.size()));
  if (settings_.starttls) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!settings_.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  }
  if (!settings_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(timeout.count()));
  curl_easy_setopt(
      curl, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(std::min(timeout, kMaxConnectTimeout).count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  // Verbose only so that OnDebug sees the server's replies; it prints
  // nothing.
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &last_error_reply);

  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) return DeliveryOutcome::Sent();

  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  std::string what =
      error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  if (!last_error_reply.empty()) {
    what += "; the server said \"" + last_error_reply + "\"";
  }
  // A hostile or confused server could echo the password back.
  if (!password.empty()) ReplaceAll(what, password, "<password>");
  Kind kind = Kind::kTransient;
  if (code == CURLE_USE_SSL_FAILED) {
    // Said plainly: nothing was sent in the clear.
    what =
        "the server does not offer STARTTLS, which starttls = true "
        "requires; nothing was sent (" +
        what + ")";
  } else if (code == CURLE_LOGIN_DENIED) {
    // Credentials belong to the notifier, not to the message: once the
    // operator fixes them (the password file is read at every send), the
    // waiting messages can go.
    what = "authentication failed: " + what;
  } else if (reply == 530) {
    // Likewise: the server wants AUTH or STARTTLS first.
    what =
        "the server requires authentication or STARTTLS first (username, "
        "starttls): " +
        what;
  } else if (reply >= 500 && reply <= 599) {
    kind = Kind::kPermanent;
  } else if (code == CURLE_URL_MALFORMAT ||
             code == CURLE_UNSUPPORTED_PROTOCOL) {
    kind = Kind::kPermanent;
  }
  return Failure(kind, where + what);
}

}  // namespace newswatch::alerts
