// FeedStateStore: the feed_state table in the daemon's SQLite database
// (the one the AlertStore keeps alerts in), one row per configured URL.
//
// Not thread-safe: one store per thread. The daemon writes through its own
// connection; the CLI opens the file read-only.
#ifndef NEWSWATCH_DAEMON_FEED_STATE_STORE_H_
#define NEWSWATCH_DAEMON_FEED_STATE_STORE_H_

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/error.h"
#include "daemon/feed_state.h"

namespace newswatch::daemon {

class FeedStateStore {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // kReadWrite creates the table if needed (kFatal on failure). kReadOnly on
  // a missing file or table gives an empty store (every feed pending).
  static config::Result<std::unique_ptr<FeedStateStore>> Open(
      const std::filesystem::path& database, Mode mode = Mode::kReadWrite);

  ~FeedStateStore();
  FeedStateStore(const FeedStateStore&) = delete;
  FeedStateStore& operator=(const FeedStateStore&) = delete;

  // The state of each of `urls` (configured URLs), in order; a URL with no
  // row yet gets FeedState::Pending(url).
  config::Result<std::vector<FeedState>> Load(
      const std::vector<std::string>& urls);

  // Writes each state (insert or replace by url), all in one transaction:
  // a 304 costs one small row update, batched with its neighbours.
  config::Status Save(const std::vector<FeedState>& states);

 private:
  struct Impl;
  explicit FeedStateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_FEED_STATE_STORE_H_
