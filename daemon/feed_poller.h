// FeedPoller: fetches many feeds at once through one libcurl multi loop on a
// thread of its own, so parsing and indexing on the caller's thread never
// stall the transfers in flight.
//
// Requests wait in a queue and are admitted while fewer than max_concurrent
// transfers are in flight, and fewer than max_per_host to their host.
// Connections are reused (HTTP/1.1 keep-alive, HTTP/2 multiplexing where the
// server offers it). Each transfer sends the feed's validators back
// (If-None-Match, If-Modified-Since), accepts gzip, deflate, brotli and zstd,
// and caps the body at max_body_bytes counted after decompression.
//
// Redirects are followed here, not by libcurl, so that each hop is checked:
// at most 5, to http or https only, and never to a loopback, private or
// link-local address (checked on the address actually connected to) unless
// the request allows it. The response says whether the chain began with
// permanent redirects (301, 308) and where they led.
//
// Thread-safe: Submit, Take, Stop and InFlight may be called from any
// thread (normally the one that owns the poller).
#ifndef NEWSWATCH_DAEMON_FEED_POLLER_H_
#define NEWSWATCH_DAEMON_FEED_POLLER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/error.h"

namespace newswatch::daemon {

inline constexpr int kMaxRedirects = 5;

struct PollRequest {
  size_t feed = 0;            // The caller's tag, returned in the response.
  std::string url;            // http, https or file.
  std::string etag;           // Sent as If-None-Match when not empty.
  std::string last_modified;  // Sent as If-Modified-Since when not empty.
  // The first hop may connect wherever `url` points (the operator configured
  // it); if it reaches a loopback, private or link-local address, the rest
  // of the chain may too. False when `url` is where an earlier redirect led:
  // then `allow_restricted` alone decides, for every hop.
  bool trust_first_hop = true;
  // Whether loopback, private and link-local addresses may be connected to.
  bool allow_restricted = false;
};

struct PollResponse {
  size_t feed = 0;
  std::string url;  // As requested.
  // Set when no usable HTTP response came back: DNS, connect, TLS, timeout,
  // too slow, body over the cap, a refused redirect, shutting down. HTTP
  // error statuses are not errors here: the caller reads http_status.
  std::optional<config::Error> error;
  long http_status = 0;   // Of the last hop; 0 for file: and on error.
  std::string final_url;  // Where the last hop went.
  // Where the leading run of 301/308 redirects led (the feed's new home),
  // or empty when the chain did not begin with one.
  std::string permanent_url;
  // Whether the hop that fetched permanent_url connected to a loopback,
  // private or link-local address.
  bool permanent_url_restricted = false;
  // Whether the first hop connected to a loopback, private or link-local
  // address.
  bool first_hop_restricted = false;
  int redirects = 0;
  std::string content_type;
  std::string etag;  // Headers of the last hop, verbatim.
  std::string last_modified;
  std::string cache_control;
  std::string expires;
  std::string retry_after;
  std::string body;                  // Decompressed; only for 2xx.
  std::uint64_t bytes_received = 0;  // On the wire, all hops.
  std::chrono::milliseconds elapsed{0};
};

// Whether `ip` (as libcurl reports it: "127.0.0.1", "::1", "::ffff:10.0.0.1")
// is loopback, private (RFC 1918, fc00::/7, 100.64/10 shared), link-local,
// unspecified or otherwise not a public unicast address.
bool IsRestrictedAddress(std::string_view ip);

struct PollerOptions {
  // The address rule; tests replace it to treat some loopback address as
  // public, since a test machine has no public address to redirect from.
  std::function<bool(std::string_view ip)> is_restricted = IsRestrictedAddress;
};

class FeedPoller {
 public:
  // Requires curl_global_init to have run (main does it). Starts the thread.
  explicit FeedPoller(const config::FetchSettings& settings,
                      PollerOptions options = {});
  // Stops (abandoning transfers in flight) and joins.
  ~FeedPoller();
  FeedPoller(const FeedPoller&) = delete;
  FeedPoller& operator=(const FeedPoller&) = delete;

  // Queues requests; they start as the limits allow.
  void Submit(std::vector<PollRequest> requests);

  // The responses finished so far, waiting up to `wait` for at least one.
  // Completed responses are held for the caller; while too many wait (the
  // caller is busy), no new transfer starts, so memory stays bounded.
  std::vector<PollResponse> Take(std::chrono::milliseconds wait);

  // Requests queued or in flight whose responses were not yet taken.
  size_t Outstanding() const;

  // CPU time the poller's thread has used so far (updated once per turn of
  // its loop): what fetching costs, apart from what is done with the bodies.
  std::chrono::nanoseconds CpuTime() const;

  // Abandons the queue and the transfers in flight; their responses are not
  // delivered. Later Submits are ignored. Idempotent.
  void Stop();

  // "newswatch/<version> (+self-hosted news alerting)"; the config may
  // override it.
  static std::string DefaultUserAgent();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Fetches one URL through a poller of its own and waits for it: for the CLI
// and tests.
PollResponse PollOne(const config::FetchSettings& settings, PollRequest request,
                     PollerOptions options = {});

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_FEED_POLLER_H_
