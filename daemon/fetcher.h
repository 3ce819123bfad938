// Fetcher: one feed URL -> its bytes, through libcurl.
//
// A simple blocking fetch, one feed at a time; polling many feeds
// concurrently is the scheduler's later concern. Not thread-safe: it reuses
// one curl handle so connections to the same host are kept alive.
#ifndef NEWSWATCH_DAEMON_FETCHER_H_
#define NEWSWATCH_DAEMON_FETCHER_H_

#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "config/error.h"

namespace newswatch::daemon {

struct FetchResult {
  long http_status = 0;  // 0 for file: URLs.
  std::string effective_url;
  std::string content_type;
  std::string body;  // Decompressed, at most max_body_bytes.
};

class Fetcher {
 public:
  // Returns true when a fetch in flight should be abandoned.
  using StopCheck = std::function<bool()>;

  // Requires curl_global_init to have run (main does it). `should_stop` is
  // polled during transfers (about once a second and on progress).
  explicit Fetcher(
      const config::FetchSettings& settings,
      StopCheck should_stop = [] { return false; });
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Fetches http, https and file URLs; follows at most 5 redirects, to http
  // and https only. Errors name the URL: kTransient for network trouble,
  // timeouts, 5xx and 429; kPermanent for other 4xx, a body over the cap, a
  // missing file.
  config::Result<FetchResult> Fetch(const std::string& url);

  // "newswatch/<version> (+<homepage>)" unless the config overrides it.
  static std::string DefaultUserAgent();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_FETCHER_H_
