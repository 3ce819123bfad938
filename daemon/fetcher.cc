#include "daemon/fetcher.h"

#include <curl/curl.h>

namespace newswatch::daemon {
namespace {

constexpr long kMaxRedirects = 5;
constexpr long kConnectTimeoutSeconds = 20;
// A server sending less than this many bytes per second for this long is
// dropped, so a trickling server cannot hold the fetcher forever.
constexpr long kLowSpeedBytes = 16;
constexpr long kLowSpeedSeconds = 30;

struct Transfer {
  std::string body;
  size_t max_bytes = 0;
  bool over_cap = false;
};

// libcurl hands over decompressed bytes, so the cap bounds what a small
// gzip body can inflate to.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->max_bytes) {
    transfer->over_cap = true;
    return 0;  // Aborts the transfer with CURLE_WRITE_ERROR.
  }
  transfer->body.append(data, bytes);
  return bytes;
}

bool IsTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Fetcher::Impl {
  config::FetchSettings settings;
  StopCheck should_stop;
  CURL* curl = nullptr;
};

namespace {
// libcurl's progress callback; non-zero aborts the transfer.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Fetcher::StopCheck*>(user)->operator()() ? 1 : 0;
}
}  // namespace

Fetcher::Fetcher(const config::FetchSettings& settings, StopCheck should_stop)
    : impl_(std::make_unique<Impl>()) {
  impl_->settings = settings;
  impl_->should_stop = std::move(should_stop);
  impl_->curl = curl_easy_init();
}

Fetcher::~Fetcher() { curl_easy_cleanup(impl_->curl); }

std::string Fetcher::DefaultUserAgent() {
  return std::string("newswatch/") + NEWSWATCH_VERSION +
         " (self-hosted news alerting)";
}

config::Result<FetchResult> Fetcher::Fetch(const std::string& url) {
  CURL* curl = impl_->curl;
  if (curl == nullptr) {
    return config::Error::Fatal(url, "libcurl could not create a handle");
  }
  curl_easy_reset(curl);
  Transfer transfer;
  transfer.max_bytes = static_cast<size_t>(impl_->settings.max_body_bytes);
  char error_buffer[CURL_ERROR_SIZE] = "";
  const std::string user_agent = impl_->settings.user_agent.empty()
                                     ? DefaultUserAgent()
                                     : impl_->settings.user_agent;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // All curl decodes.
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                   static_cast<long>(impl_->settings.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, kLowSpeedBytes);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, kLowSpeedSeconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &impl_->should_stop);

  const CURLcode code = curl_easy_perform(curl);
  if (transfer.over_cap) {
    return config::Error::Permanent(
        url, "the body is larger than max_body_bytes (" +
                 std::to_string(impl_->settings.max_body_bytes) +
                 " bytes); abandoned");
  }
  if (code == CURLE_ABORTED_BY_CALLBACK) {
    return config::Error::Transient(url, "fetch abandoned: shutting down");
  }
  if (code != CURLE_OK) {
    std::string what =
        error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return config::Error{IsTransient(code) ? config::ErrorKind::kTransient
                                           : config::ErrorKind::kPermanent,
                         url, "fetch failed: " + what};
  }
  FetchResult result;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.http_status);
  char* effective_url = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective_url);
  result.effective_url = effective_url != nullptr ? effective_url : url;
  char* content_type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) result.content_type = content_type;
  if (result.http_status >= 400) {
    const bool transient = result.http_status >= 500 ||
                           result.http_status == 429 ||
                           result.http_status == 408;
    return config::Error{transient ? config::ErrorKind::kTransient
                                   : config::ErrorKind::kPermanent,
                         url,
                         "HTTP status " + std::to_string(result.http_status)};
  }
  result.body = std::move(transfer.body);
  return result;
}

}  // namespace newswatch::daemon
