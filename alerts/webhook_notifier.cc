#include "alerts/webhook_notifier.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts/retry_after.h"
#include "alerts/webhook_payload.h"
#include "alerts/webhook_signature.h"
#include "config/text.h"

namespace newswatch::alerts {
namespace {

using Kind = DeliveryOutcome::Kind;

// Headers newswatch sets itself, or that would let a configured header
// change how the request is framed.
constexpr std::string_view kReservedHeaders[] = {
    "webhook-id",        "webhook-timestamp",
    "webhook-signature", "content-length",
    "transfer-encoding", "host",
    "connection",        "expect"};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// An HTTP field name (RFC 9110 "token"): no ':', space, CR or LF can hide in
// it.
bool IsHeaderName(std::string_view name) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

// A field value without CR, LF, NUL or other control characters (tab
// aside), so it cannot end the header and start another.
bool IsHeaderValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7F;
  });
}

// `url` fit for a log: no userinfo, query or fragment (where tokens live);
// for Slack and Discord not even the path, which is itself the credential.
std::string RedactedUrl(std::string_view url, std::string_view format) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return config::OneLine(url);
  const std::size_t authority_start = scheme_end + 3;
  std::size_t path_start = url.find('/', authority_start);
  if (path_start == std::string_view::npos) path_start = url.size();
  std::string_view authority =
      url.substr(authority_start, path_start - authority_start);
  if (const std::size_t at = authority.rfind('@');
      at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string redacted(url.substr(0, authority_start));
  redacted += authority;
  if (format == "slack" || format == "discord") {
    if (path_start < url.size()) redacted += "/…";
  } else {
    redacted += url.substr(path_start);
  }
  return config::OneLine(redacted);
}

struct CurlCleanup {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlCleanup>;
using HeaderList = std::unique_ptr<curl_slist, SlistCleanup>;

// What the receiver answered, as far as it is read.
struct Response {
  std::string body;
  bool over_cap = false;
  std::string retry_after;  // The raw Retry-After value, if any.
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  const size_t bytes = size * count;
  if (response->body.size() + bytes > kMaxWebhookResponseBytes) {
    response->body.append(data,
                          kMaxWebhookResponseBytes - response->body.size());
    response->over_cap = true;
    return 0;  // Stops reading; the status line is already known.
  }
  response->body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  // A new status line (after an interim 1xx answer) starts a new response.
  if (line.rfind("HTTP/", 0) == 0) response->retry_after.clear();
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() &&
      EqualsIgnoringCase(line.substr(0, kRetryAfter.size()), kRetryAfter)) {
    std::string_view value = line.substr(kRetryAfter.size());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) {
      value.remove_suffix(1);
    }
    response->retry_after = std::string(value.substr(0, 200));
  }
  return bytes;
}

bool IsPermanentCurlError(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED:
      return true;
    default:
      // Connection refused or reset, DNS, timeouts, TLS (an expired
      // certificate gets renewed), out of memory: the retry schedule, which
      // ends after about two days, is the better judge.
      return false;
  }
}

// The start of the receiver's answer, for an error message: one line,
// bounded, empty when there was nothing to say.
std::string Excerpt(std::string_view body) {
  std::string line = config::OneLine(body);
  const auto not_space = [](char c) { return c != ' '; };
  line.erase(line.begin(), std::find_if(line.begin(), line.end(), not_space));
  line.erase(std::find_if(line.rbegin(), line.rend(), not_space).base(),
             line.end());
  return config::TruncateUtf8(line, kWebhookErrorExcerptBytes);
}

DeliveryOutcome Failure(Kind kind, std::string error) {
  DeliveryOutcome outcome;
  outcome.kind = kind;
  outcome.error = std::move(error);
  return outcome;
}

// The configured extra headers as libcurl header lines, or what is wrong
// with one of them (its value is never quoted: it may be a token).
// `content_type` is set when they set Content-Type themselves.
config::Result<std::vector<std::string>> ConfiguredHeaderLines(
    const std::map<std::string, std::string>& headers, bool& content_type) {
  std::vector<std::string> lines;
  for (const auto& [name, value] : headers) {
    if (!IsHeaderName(name)) {
      return config::Error::Permanent(
          "", "the configured header name \"" +
                  config::TruncateUtf8(config::OneLine(name), 100) +
                  "\" is not a valid HTTP field name");
    }
    for (std::string_view reserved : kReservedHeaders) {
      if (EqualsIgnoringCase(name, reserved)) {
        return config::Error::Permanent(
            "", "the header \"" + name +
                    "\" is set by newswatch and cannot be configured");
      }
    }
    if (!IsHeaderValue(value)) {
      return config::Error::Permanent(
          "", "the configured header \"" + name +
                  "\" has a control character (CR, LF, ...) in its value");
    }
    if (EqualsIgnoringCase(name, "content-type")) content_type = true;
    // "Name;" is libcurl's spelling of a header with an empty value.
    lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  return lines;
}

// The outcome of a complete HTTP exchange that answered `status`.
// `location` is the redirect target libcurl saw (may be null).
DeliveryOutcome ClassifyStatus(long status, const Response& response,
                               const char* location, const std::string& where,
                               std::int64_t now) {
  if (status >= 200 && status <= 299) return DeliveryOutcome::Sent();
  std::string error = where + ": HTTP " + std::to_string(status);
  if (status >= 300 && status <= 399) {
    error += location != nullptr
                 ? ": redirect to " +
                       config::TruncateUtf8(config::OneLine(location), 500) +
                       " not followed (set the notifier's url to it)"
                 : ": redirect not followed";
    return Failure(Kind::kPermanent, std::move(error));
  }
  const std::string excerpt = Excerpt(response.body);
  if (status == 410) {
    DeliveryOutcome outcome = Failure(
        Kind::kPermanent,
        where +
            ": the receiver answered 410 Gone (it wants no more webhooks "
            "from here); the notifier is disabled until its url changes" +
            (excerpt.empty() ? "" : ": " + excerpt));
    outcome.disable_notifier = true;
    return outcome;
  }
  if (!excerpt.empty()) error += ": " + excerpt;
  if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
    DeliveryOutcome outcome = Failure(Kind::kTransient, std::move(error));
    if ((status == 429 || status == 503) && !response.retry_after.empty()) {
      outcome.retry_after = ParseRetryAfter(response.retry_after, now);
    }
    return outcome;
  }
  return Failure(Kind::kPermanent, std::move(error));
}

}  // namespace

config::Status ValidateWebhookHeaders(
    const std::map<std::string, std::string>& headers) {
  bool content_type = false;
  config::Result<std::vector<std::string>> lines =
      ConfiguredHeaderLines(headers, content_type);
  if (!lines.ok()) return lines.error();
  return config::Ok{};
}

WebhookNotifier::WebhookNotifier(std::string name,
                                 config::WebhookSettings settings,
                                 std::string user_agent)
    : name_(std::move(name)),
      settings_(std::move(settings)),
      user_agent_(std::move(user_agent)),
      where_("webhook \"" + config::OneLine(name_) + "\" (" +
             RedactedUrl(settings_.url, settings_.format) + ")") {}

DeliveryOutcome WebhookNotifier::Deliver(const Message& message,
                                         std::int64_t now) {
  if (message.alerts.empty()) {
    return Failure(Kind::kPermanent, where_ + ": the message has no alerts");
  }
  config::Result<WebhookPayload> built =
      BuildWebhookPayload(message, settings_);
  if (!built.ok()) {
    return Failure(Kind::kPermanent, where_ + ": " + built.error().what);
  }
  const WebhookPayload& payload = built.value();
  if (!IsHeaderValue(message.id) || !IsHeaderValue(user_agent_)) {
    return Failure(Kind::kPermanent,
                   where_ +
                       ": the message id or user agent has a control "
                       "character");
  }

  // Content-Type (unless configured), the configured headers (a configured
  // User-Agent replaces CURLOPT_USERAGENT's), then the webhook-* ones.
  bool custom_content_type = false;
  config::Result<std::vector<std::string>> configured =
      ConfiguredHeaderLines(settings_.headers, custom_content_type);
  if (!configured.ok()) {
    return Failure(Kind::kPermanent, where_ + ": " + configured.error().what);
  }
  std::vector<std::string> lines;
  if (!custom_content_type) {
    lines.push_back("Content-Type: " + payload.content_type);
  }
  lines.insert(lines.end(), configured.value().begin(),
               configured.value().end());
  lines.push_back("webhook-id: " + message.id);
  lines.push_back("webhook-timestamp: " + std::to_string(now));
  if (!settings_.secret.empty()) {
    config::Result<std::string> signature =
        SignWebhook(settings_.secret, message.id, now, payload.body);
    if (!signature.ok()) {
      return Failure(Kind::kPermanent,
                     where_ + ": cannot sign: " + signature.error().what);
    }
    lines.push_back("webhook-signature: " + signature.value());
  }
  // No "Expect: 100-continue" round trip before the body.
  lines.push_back("Expect:");

  HeaderList headers;
  for (const std::string& line : lines) {
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (appended == nullptr) {
      return Failure(Kind::kTransient, where_ + ": out of memory");
    }
    headers.release();
    headers.reset(appended);
  }

  CurlHandle curl(curl_easy_init());
  if (!curl) {
    return Failure(Kind::kTransient,
                   where_ + ": libcurl could not create a handle");
  }
  CURL* handle = curl.get();
  Response response;
  char error_buffer[CURL_ERROR_SIZE] = "";
  std::int64_t timeout_ms =
      static_cast<std::int64_t>(settings_.timeout.count()) * 1000;
  if (timeout_ms <= 0) {
    timeout_ms = config::kDefaultWebhookTimeout.count() * 1000;
  }
  const std::int64_t connect_timeout_ms =
      std::min<std::int64_t>(timeout_ms, kWebhookConnectTimeoutSeconds * 1000);

  curl_easy_setopt(handle, CURLOPT_URL, payload.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(connect_timeout_ms));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, payload.body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(payload.body.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  if (!settings_.ca_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_CAINFO, settings_.ca_file.c_str());
  }

  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // A write error of our own making (the answer was too long) still leaves
  // a status to judge by.
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && response.over_cap)) {
    const std::string what =
        error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return Failure(
        IsPermanentCurlError(code) ? Kind::kPermanent : Kind::kTransient,
        where_ + ": " + config::OneLine(what));
  }

  char* location = nullptr;
  curl_easy_getinfo(handle, CURLINFO_REDIRECT_URL, &location);
  return ClassifyStatus(status, response, location, where_, now);
}

}  // namespace newswatch::alerts
