// FeedState: what newswatch knows about one configured feed between polls,
// kept in the database so that it survives restarts.
#ifndef NEWSWATCH_DAEMON_FEED_STATE_H_
#define NEWSWATCH_DAEMON_FEED_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::daemon {

enum class FeedHealth {
  kPending,  // Never polled (or not since its URL changed in the config).
  kOk,       // The last poll worked (200 or 304).
  kError,    // The last poll failed; backing off.
  kGone,     // 410 Gone: not polled again until its URL changes.
};

// "pending", "ok", "error", "gone".
const char* FeedHealthName(FeedHealth health);
std::optional<FeedHealth> ParseFeedHealth(std::string_view name);

struct FeedState {
  std::string url;  // As configured: the key.
  // Where polls go: `url`, or where a 301/308 re-pointed it.
  std::string effective_url;
  // The configured URL led to a loopback, private or link-local address, so
  // redirects may lead to one too (polls of effective_url need to know).
  bool allow_restricted = false;
  std::string etag;           // Of effective_url, sent back verbatim.
  std::string last_modified;  // Of effective_url, sent back verbatim.
  FeedHealth health = FeedHealth::kPending;
  long http_status = 0;  // Of the last poll; 0 when none came back.
  std::string last_error;
  int consecutive_errors = 0;
  std::int64_t last_poll = 0;     // Unix seconds; 0: never.
  std::int64_t last_success = 0;  // Unix seconds; 0: never.
  std::int64_t next_poll = 0;     // Unix seconds; 0: now.
  long long articles_seen = 0;    // New articles indexed from it, ever.
  // How often the feed itself says it changes (<ttl>, sy:updatePeriod and
  // sy:updateFrequency), from its last full parse; 0: it does not say. Kept
  // so that a 304 schedules like the 200 before it.
  std::int64_t feed_refresh_seconds = 0;
  // The parser's warnings about the last body that parsed (a document broken
  // half-way, items over the cap), as SummarizeWarnings makes them; empty
  // when there were none. Only a parsed body changes it: a 304, a failed
  // fetch or a body that is not a feed leave it as it was.
  std::string last_warning;

  // A state for a feed never polled.
  static FeedState Pending(const std::string& configured_url) {
    FeedState state;
    state.url = configured_url;
    state.effective_url = configured_url;
    return state;
  }
};

// Most bytes of FeedState::last_warning, the ellipsis included.
inline constexpr size_t kMaxLastWarningBytes = 500;

// `warnings` joined with "; ", made one line (config::OneLine) and cut to
// kMaxLastWarningBytes on a character boundary; empty for none.
std::string SummarizeWarnings(const std::vector<std::string>& warnings);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_FEED_STATE_H_
