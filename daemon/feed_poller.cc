#include "daemon/feed_poller.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace newswatch::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// Below this many bytes per second for low_speed_time, a transfer is dropped.
constexpr long kLowSpeedBytesPerSecond = 1024;
// Validators longer than this are not kept: no real server sends them, and
// they are sent back in every request.
constexpr size_t kMaxValidatorBytes = 1024;
// Other kept header values are cut to this.
constexpr size_t kMaxHeaderValueBytes = 1024;
// How long the loop sleeps in curl_multi_poll when nothing wakes it.
constexpr int kPollMilliseconds = 1000;

constexpr char kAccept[] =
    "Accept: application/rss+xml, application/atom+xml, "
    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
    "*/*;q=0.8";

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

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

bool IsPermanentRedirect(long status) { return status == 301 || status == 308; }

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// Header values are sent back (validators) or parsed; control characters
// in them would be a header injection, so such values are dropped.
bool IsCleanHeaderValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// The admission key of a URL: its host, lower-cased ("" for file:).
std::string HostOf(const std::string& url) {
  std::string host;
  CURLU* parsed = curl_url();
  char* part = nullptr;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    host = part;
    curl_free(part);
  }
  curl_url_cleanup(parsed);
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return host;
}

}  // namespace

bool IsRestrictedAddress(std::string_view ip) {
  std::string text(ip);
  // Zone ids ("fe80::1%eth0") are link-local by definition.
  if (text.find('%') != std::string::npos) return true;
  std::array<unsigned char, 16> v6{};
  std::array<unsigned char, 4> v4{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) {
    static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                        0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6.data(), kMappedPrefix, 12) == 0) {
      std::copy(v6.begin() + 12, v6.end(), v4.begin());  // ::ffff:a.b.c.d
    } else {
      const bool all_zero_but_last =
          std::all_of(v6.begin(), v6.end() - 1, [](auto b) { return b == 0; });
      if (all_zero_but_last && v6[15] <= 1) return true;  // :: and ::1
      if ((v6[0] & 0xfe) == 0xfc) return true;  // fc00::/7 unique local
      if (v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80) return true;  // fe80::/10
      if (v6[0] == 0xff) return true;                            // multicast
      // NAT64 (64:ff9b::/96) and 6to4 could wrap a private IPv4 address;
      // they are not public unicast destinations for a feed either.
      if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b) {
        return true;
      }
      return false;
    }
  } else if (inet_pton(AF_INET, text.c_str(), v4.data()) != 1) {
    return true;  // Not an address: refuse rather than guess.
  }
  const unsigned a = v4[0], b = v4[1];
  return a == 0 ||                              // "this network"
         a == 10 ||                             // RFC 1918
         a == 127 ||                            // loopback
         (a == 100 && (b & 0xc0) == 64) ||      // 100.64/10 shared (CGNAT)
         (a == 169 && b == 254) ||              // link-local
         (a == 172 && (b & 0xf0) == 16) ||      // RFC 1918
         (a == 192 && b == 168) ||              // RFC 1918
         (a == 192 && b == 0 && v4[2] == 0) ||  // IETF protocol assignments
         (a == 198 && (b & 0xfe) == 18) ||      // benchmarking
         a >= 224;  // multicast, reserved, broadcast
}

// One feed's fetch, through all its redirect hops. Lives on the loop
// thread; libcurl's callbacks reach it through their user pointers.
struct Transfer {
  PollRequest request;
  const config::FetchSettings* settings = nullptr;
  const PollerOptions* options = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string host;  // Of the first hop: what max_per_host counts.
  std::string url;   // Of the current hop.
  int hop = 0;
  bool permanent_run = true;  // Every hop so far was a 301 or 308.
  bool allow_restricted = false;
  Clock::time_point started;
  PollResponse response;
  bool over_cap = false;
  std::string refused_ip;  // Set when the address rule aborted a hop.
  // The hop that fetched response.permanent_url, and whether each hop
  // connected to a restricted address.
  int permanent_hop = -1;
  std::vector<bool> hop_restricted;
  char error_buffer[CURL_ERROR_SIZE] = "";

  ~Transfer() { curl_slist_free_all(headers); }
};

namespace {

// libcurl hands over decompressed bytes, so the cap bounds what a small
// gzip body can inflate to.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  std::string& body = transfer->response.body;
  if (body.size() + bytes >
      static_cast<size_t>(transfer->settings->max_body_bytes)) {
    transfer->over_cap = true;
    return 0;  // Aborts the transfer with CURLE_WRITE_ERROR.
  }
  body.append(data, bytes);
  return bytes;
}

// Called once per header line of every response, interim and redirect ones
// included; a status line starts a new response, so only the last one's
// headers are kept.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  PollResponse& response = transfer->response;
  if (StartsWithNoCase(line, "HTTP/")) {
    response.etag.clear();
    response.last_modified.clear();
    response.cache_control.clear();
    response.expires.clear();
    response.retry_after.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = Trim(line.substr(0, colon));
  const std::string_view value = Trim(line.substr(colon + 1));
  if (!IsCleanHeaderValue(value)) return bytes;
  const auto keep = [&](std::string& into, size_t limit, bool drop_if_long) {
    if (value.size() > limit && drop_if_long) return;
    into.assign(value.substr(0, limit));
  };
  const auto is = [&](std::string_view wanted) {
    return name.size() == wanted.size() && StartsWithNoCase(name, wanted);
  };
  if (is("etag")) {
    keep(response.etag, kMaxValidatorBytes, true);
  } else if (is("last-modified")) {
    keep(response.last_modified, kMaxValidatorBytes, true);
  } else if (is("cache-control")) {
    keep(response.cache_control, kMaxHeaderValueBytes, false);
  } else if (is("expires")) {
    keep(response.expires, kMaxHeaderValueBytes, false);
  } else if (is("retry-after")) {
    keep(response.retry_after, kMaxHeaderValueBytes, false);
  }
  return bytes;
}

// Called once a connection is made or reused, before each request is sent:
// the place to check the address actually connected to, whatever name led
// there and whatever DNS said a moment before.
int OnConnected(void* user, char* primary_ip, char*, int, int) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view ip = primary_ip != nullptr ? primary_ip : "";
  const bool restricted = transfer->options->is_restricted(ip);
  auto& hops = transfer->hop_restricted;
  if (hops.size() <= static_cast<size_t>(transfer->hop)) {
    hops.resize(static_cast<size_t>(transfer->hop) + 1, false);
  }
  hops[static_cast<size_t>(transfer->hop)] = restricted;
  if (!restricted) return CURL_PREREQFUNC_OK;
  if (transfer->hop == 0) {
    transfer->response.first_hop_restricted = true;
    if (transfer->request.trust_first_hop) {
      transfer->allow_restricted = true;  // The operator pointed it here.
      return CURL_PREREQFUNC_OK;
    }
  }
  if (transfer->allow_restricted) return CURL_PREREQFUNC_OK;
  transfer->refused_ip = std::string(ip);
  return CURL_PREREQFUNC_ABORT;
}

}  // namespace

struct FeedPoller::Impl {
  config::FetchSettings settings;
  PollerOptions options;
  std::string user_agent;
  size_t max_held = 0;  // Responses held for the caller before admission stops.
  CURLM* multi = nullptr;

  std::mutex mutex;
  std::condition_variable taken;  // Signalled when responses complete.
  // Guarded by mutex:
  std::vector<PollRequest> incoming;
  std::deque<PollResponse> completed;
  size_t waiting_count = 0;
  size_t in_flight_count = 0;
  bool stopping = false;

  // Loop thread only:
  std::map<std::string, std::deque<PollRequest>> waiting_by_host;
  std::map<std::string, size_t> in_flight_by_host;
  // Transfers redirected to a host that was full, waiting for a slot there;
  // they still count against max_concurrent.
  std::map<std::string, std::deque<std::unique_ptr<Transfer>>> parked_by_host;
  size_t parked_count = 0;
  std::deque<std::string> ready_hosts;  // Hosts with waiting requests.
  std::map<CURL*, std::unique_ptr<Transfer>> transfers;
  std::vector<CURL*> spare_handles;

  std::atomic<std::int64_t> cpu_nanoseconds{0};  // Of the loop thread.
  std::thread thread;

  void Run();
  void TakeIncoming();
  void Admit();
  void Start(PollRequest request);
  void SetUpHop(Transfer& transfer);
  // Adds the transfer's handle to the multi; on failure, finishes it with
  // an error.
  void AddToMulti(std::unique_ptr<Transfer> transfer);
  void OnDone(CURL* easy, CURLcode code);
  void Finish(std::unique_ptr<Transfer> transfer);
  void AbandonAll();
  // Gives back a slot of `host`, and resumes a transfer parked there.
  void ReleaseHost(const std::string& host);
  std::chrono::milliseconds Remaining(const Transfer& transfer) const;
};

std::chrono::milliseconds FeedPoller::Impl::Remaining(
    const Transfer& transfer) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      settings.timeout - (Clock::now() - transfer.started));
}

void FeedPoller::Impl::Run() {
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (stopping) break;
    }
    TakeIncoming();
    Admit();
    int running = 0;
    curl_multi_perform(multi, &running);
    while (true) {
      int left = 0;
      CURLMsg* message = curl_multi_info_read(multi, &left);
      if (message == nullptr) break;
      if (message->msg == CURLMSG_DONE) {
        OnDone(message->easy_handle, message->data.result);
      }
    }
    Admit();  // Slots freed just now.
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    cpu_nanoseconds = std::int64_t{cpu.tv_sec} * 1'000'000'000 + cpu.tv_nsec;
    curl_multi_poll(multi, nullptr, 0, kPollMilliseconds, nullptr);
  }
  AbandonAll();
}

void FeedPoller::Impl::TakeIncoming() {
  std::vector<PollRequest> requests;
  {
    std::lock_guard lock(mutex);
    requests.swap(incoming);
    waiting_count += requests.size();
  }
  for (PollRequest& request : requests) {
    const std::string host = HostOf(request.url);
    std::deque<PollRequest>& queue = waiting_by_host[host];
    if (queue.empty()) ready_hosts.push_back(host);
    queue.push_back(std::move(request));
  }
}

// Starts waiting requests while the limits allow, taking hosts in turn so
// one host with many feeds does not starve the rest.
void FeedPoller::Impl::Admit() {
  const auto limit = static_cast<size_t>(settings.max_concurrent);
  const auto per_host = static_cast<size_t>(settings.max_per_host);
  size_t held = 0;
  {
    std::lock_guard lock(mutex);
    held = completed.size();
  }
  size_t skipped = 0;  // Hosts looked at in a row without starting anything.
  while (transfers.size() + parked_count < limit && held < max_held &&
         !ready_hosts.empty() && skipped < ready_hosts.size()) {
    const std::string host = std::move(ready_hosts.front());
    ready_hosts.pop_front();
    if (in_flight_by_host[host] >= per_host) {
      ready_hosts.push_back(host);  // Full for now; its turn comes again.
      ++skipped;
      continue;
    }
    skipped = 0;
    std::deque<PollRequest>& queue = waiting_by_host[host];
    PollRequest request = std::move(queue.front());
    queue.pop_front();
    if (queue.empty()) {
      waiting_by_host.erase(host);
    } else {
      ready_hosts.push_back(host);
    }
    {
      // In one step, so Outstanding() never sees the request in neither.
      std::lock_guard lock(mutex);
      --waiting_count;
      ++in_flight_count;
    }
    ++in_flight_by_host[host];  // Finish gives it back, even on failure.
    Start(std::move(request));
  }
}

void FeedPoller::Impl::Start(PollRequest request) {
  auto transfer = std::make_unique<Transfer>();
  transfer->settings = &settings;
  transfer->options = &options;
  transfer->host = HostOf(request.url);
  transfer->url = request.url;
  transfer->allow_restricted = request.allow_restricted;
  transfer->started = Clock::now();
  transfer->response.feed = request.feed;
  transfer->response.url = request.url;
  transfer->request = std::move(request);
  if (!spare_handles.empty()) {
    transfer->easy = spare_handles.back();
    spare_handles.pop_back();
    curl_easy_reset(transfer->easy);
  } else {
    transfer->easy = curl_easy_init();
  }
  if (transfer->easy == nullptr) {
    transfer->response.error = config::Error::Transient(
        transfer->request.url, "libcurl could not create a handle");
    Finish(std::move(transfer));
    return;
  }
  const PollRequest& sent = transfer->request;
  transfer->headers = curl_slist_append(transfer->headers, kAccept);
  if (!sent.etag.empty() && IsCleanHeaderValue(sent.etag)) {
    transfer->headers = curl_slist_append(
        transfer->headers, ("If-None-Match: " + sent.etag).c_str());
  }
  if (!sent.last_modified.empty() && IsCleanHeaderValue(sent.last_modified)) {
    transfer->headers =
        curl_slist_append(transfer->headers,
                          ("If-Modified-Since: " + sent.last_modified).c_str());
  }
  SetUpHop(*transfer);
  AddToMulti(std::move(transfer));
}

void FeedPoller::Impl::AddToMulti(std::unique_ptr<Transfer> transfer) {
  CURL* easy = transfer->easy;
  const CURLMcode added = curl_multi_add_handle(multi, easy);
  if (added != CURLM_OK) {
    transfer->response.error = config::Error::Transient(
        transfer->request.url,
        std::string("libcurl could not start the transfer: ") +
            curl_multi_strerror(added));
    Finish(std::move(transfer));
    return;
  }
  transfers[easy] = std::move(transfer);
}

// Options for the current hop. Set again on every hop because the URL, the
// protocols allowed and the time left change.
void FeedPoller::Impl::SetUpHop(Transfer& transfer) {
  CURL* curl = transfer.easy;
  curl_easy_setopt(curl, CURLOPT_URL, transfer.url.c_str());
  // A redirect may only lead to http or https (never to file:).
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR,
                   transfer.hop == 0 ? "http,https,file" : "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // Followed here.
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, transfer.headers);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // All curl decodes.
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION,
                   static_cast<long>(CURL_HTTP_VERSION_2TLS));
  // Over https, wait for a connection being set up to learn (from ALPN)
  // whether it multiplexes rather than open another. Never over plain http:
  // curl would hold the transfer until the busy connection's response came,
  // so one slow feed would delay the next on its host.
  curl_easy_setopt(curl, CURLOPT_PIPEWAIT,
                   StartsWithNoCase(transfer.url, "https://") ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   static_cast<long>(settings.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(
                       std::max<std::int64_t>(1, Remaining(transfer).count())));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, kLowSpeedBytesPerSecond);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(settings.low_speed_time.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // No proxy from the environment (http_proxy, ALL_PROXY): through a proxy
  // the address checked below would be the proxy's, not the feed server's.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  // A name still resolving at a timeout is abandoned, not waited for:
  // otherwise one feed's hung DNS server would stall this loop, and with it
  // every other transfer and a shutdown.
  curl_easy_setopt(curl, CURLOPT_QUICK_EXIT, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, OnConnected);
  curl_easy_setopt(curl, CURLOPT_PREREQDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, transfer.error_buffer);
  transfer.error_buffer[0] = '\0';
}

void FeedPoller::Impl::OnDone(CURL* easy, CURLcode code) {
  curl_multi_remove_handle(multi, easy);
  auto found = transfers.find(easy);
  if (found == transfers.end()) return;
  std::unique_ptr<Transfer> transfer = std::move(found->second);
  transfers.erase(found);
  PollResponse& response = transfer->response;

  curl_off_t body_bytes = 0;
  long header_bytes = 0;
  curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
  curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
  response.bytes_received += static_cast<std::uint64_t>(body_bytes) +
                             static_cast<std::uint64_t>(header_bytes);
  const std::string& where = transfer->request.url;
  const auto fail = [&](config::ErrorKind kind, std::string what) {
    response.error = config::Error{kind, where, std::move(what)};
    Finish(std::move(transfer));
  };

  if (transfer->over_cap) {
    return fail(config::ErrorKind::kPermanent,
                "the body is larger than max_body_bytes (" +
                    std::to_string(settings.max_body_bytes) +
                    " bytes, counted decompressed); abandoned");
  }
  if (!transfer->refused_ip.empty()) {
    return fail(
        config::ErrorKind::kPermanent,
        std::string(transfer->hop > 0 ? "redirect to " : "connection to ") +
            transfer->url +
            " refused: it connects to a loopback, private or "
            "link-local address (" +
            transfer->refused_ip + ")");
  }
  if (code != CURLE_OK) {
    std::string what = transfer->error_buffer[0] != '\0'
                           ? transfer->error_buffer
                           : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT &&
        what.find("too slow") != std::string::npos) {
      what = "too slow: under " + std::to_string(kLowSpeedBytesPerSecond) +
             " bytes/s for " + std::to_string(settings.low_speed_time.count()) +
             "s (" + what + ")";
    }
    if (transfer->hop > 0) what += " (after redirect to " + transfer->url + ")";
    return fail(IsTransient(code) ? config::ErrorKind::kTransient
                                  : config::ErrorKind::kPermanent,
                "fetch failed: " + what);
  }

  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  response.http_status = status;
  if (IsRedirect(status)) {
    char* location = nullptr;
    curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location);
    if (location == nullptr) {
      return fail(config::ErrorKind::kPermanent,
                  "HTTP " + std::to_string(status) + " without a Location");
    }
    const std::string next = location;
    if (!StartsWithNoCase(next, "http://") &&
        !StartsWithNoCase(next, "https://")) {
      return fail(
          config::ErrorKind::kPermanent,
          "redirect to " + next + " refused: only http and https are followed");
    }
    if (transfer->hop >= kMaxRedirects) {
      return fail(config::ErrorKind::kPermanent,
                  "more than " + std::to_string(kMaxRedirects) +
                      " redirects (last to " + next + ")");
    }
    if (Remaining(*transfer).count() <= 0) {
      return fail(config::ErrorKind::kTransient,
                  "fetch failed: timed out after " +
                      std::to_string(transfer->hop + 1) + " redirect(s)");
    }
    transfer->permanent_run =
        transfer->permanent_run && IsPermanentRedirect(status);
    if (transfer->permanent_run) {
      response.permanent_url = next;
      transfer->permanent_hop = transfer->hop + 1;
    }
    ++transfer->hop;
    ++response.redirects;
    transfer->url = next;
    response.body.clear();
    // max_per_host holds for where a transfer goes now: many feeds on many
    // domains may redirect to one host. The slot moves with the transfer,
    // which waits if the new host is full.
    std::string next_host = HostOf(next);
    if (next_host != transfer->host) {
      const std::string old_host = std::move(transfer->host);
      transfer->host = std::move(next_host);
      if (in_flight_by_host[transfer->host] >=
          static_cast<size_t>(settings.max_per_host)) {
        parked_by_host[transfer->host].push_back(std::move(transfer));
        ++parked_count;
        ReleaseHost(old_host);
        return;
      }
      ++in_flight_by_host[transfer->host];
      ReleaseHost(old_host);
    }
    SetUpHop(*transfer);
    AddToMulti(std::move(transfer));
    return;
  }
  char* content_type = nullptr;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) response.content_type = content_type;
  if (status != 0 && (status < 200 || status > 299)) response.body.clear();
  Finish(std::move(transfer));
}

void FeedPoller::Impl::Finish(std::unique_ptr<Transfer> transfer) {
  PollResponse& response = transfer->response;
  response.final_url = transfer->url;
  const auto permanent_hop = static_cast<size_t>(transfer->permanent_hop);
  response.permanent_url_restricted =
      transfer->permanent_hop >= 0 &&
      permanent_hop < transfer->hop_restricted.size() &&
      transfer->hop_restricted[permanent_hop];
  response.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      Clock::now() - transfer->started);
  if (transfer->easy != nullptr) spare_handles.push_back(transfer->easy);
  ReleaseHost(transfer->host);
  {
    std::lock_guard lock(mutex);
    --in_flight_count;
    completed.push_back(std::move(response));
  }
  taken.notify_all();
}

void FeedPoller::Impl::ReleaseHost(const std::string& host) {
  auto count = in_flight_by_host.find(host);
  if (count != in_flight_by_host.end() && count->second > 0) {
    if (--count->second == 0) in_flight_by_host.erase(count);
  }
  // A transfer redirected here while the host was full goes on first.
  auto parked = parked_by_host.find(host);
  if (parked == parked_by_host.end()) return;
  std::unique_ptr<Transfer> resumed = std::move(parked->second.front());
  parked->second.pop_front();
  if (parked->second.empty()) parked_by_host.erase(parked);
  --parked_count;
  ++in_flight_by_host[host];
  SetUpHop(*resumed);
  AddToMulti(std::move(resumed));
}

void FeedPoller::Impl::AbandonAll() {
  for (auto& [host, parked] : parked_by_host) {
    for (auto& transfer : parked) curl_easy_cleanup(transfer->easy);
  }
  parked_by_host.clear();
  parked_count = 0;
  for (auto& [easy, transfer] : transfers) {
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
  }
  transfers.clear();
  for (CURL* easy : spare_handles) curl_easy_cleanup(easy);
  spare_handles.clear();
  waiting_by_host.clear();
  ready_hosts.clear();
  std::lock_guard lock(mutex);
  incoming.clear();
  waiting_count = 0;
  in_flight_count = 0;
}

FeedPoller::FeedPoller(const config::FetchSettings& settings,
                       PollerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->settings = settings;
  impl_->settings.max_concurrent = std::max(1L, settings.max_concurrent);
  impl_->settings.max_per_host = std::max(1L, settings.max_per_host);
  impl_->options = std::move(options);
  if (!impl_->options.is_restricted) {
    impl_->options.is_restricted = IsRestrictedAddress;
  }
  impl_->user_agent =
      settings.user_agent.empty() ? DefaultUserAgent() : settings.user_agent;
  impl_->max_held = static_cast<size_t>(impl_->settings.max_concurrent);
  impl_->multi = curl_multi_init();
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

FeedPoller::~FeedPoller() {
  Stop();
  impl_->thread.join();
  curl_multi_cleanup(impl_->multi);
}

void FeedPoller::Submit(std::vector<PollRequest> requests) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    for (PollRequest& request : requests) {
      impl_->incoming.push_back(std::move(request));
    }
  }
  curl_multi_wakeup(impl_->multi);
}

std::vector<PollResponse> FeedPoller::Take(std::chrono::milliseconds wait) {
  std::vector<PollResponse> responses;
  {
    std::unique_lock lock(impl_->mutex);
    impl_->taken.wait_for(lock, wait, [this] {
      return !impl_->completed.empty() || impl_->stopping;
    });
    responses.reserve(impl_->completed.size());
    for (PollResponse& response : impl_->completed) {
      responses.push_back(std::move(response));
    }
    impl_->completed.clear();
  }
  // Held responses no longer block admission.
  if (!responses.empty()) curl_multi_wakeup(impl_->multi);
  return responses;
}

size_t FeedPoller::Outstanding() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->incoming.size() + impl_->waiting_count +
         impl_->in_flight_count + impl_->completed.size();
}

std::chrono::nanoseconds FeedPoller::CpuTime() const {
  return std::chrono::nanoseconds(impl_->cpu_nanoseconds.load());
}

void FeedPoller::Stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->taken.notify_all();
  curl_multi_wakeup(impl_->multi);
}

std::string FeedPoller::DefaultUserAgent() {
  return std::string("newswatch/") + NEWSWATCH_VERSION +
         " (self-hosted news alerting)";
}

PollResponse PollOne(const config::FetchSettings& settings, PollRequest request,
                     PollerOptions options) {
  FeedPoller poller(settings, std::move(options));
  poller.Submit({std::move(request)});
  for (;;) {
    std::vector<PollResponse> responses =
        poller.Take(std::chrono::milliseconds(1000));
    if (!responses.empty()) return std::move(responses.front());
  }
}

}  // namespace newswatch::daemon
