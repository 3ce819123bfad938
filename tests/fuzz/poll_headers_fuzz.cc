// Fuzz target: arbitrary bytes as what a feed server says in its response
// headers about freshness (Cache-Control, Expires) and as the address libcurl
// reports it connected to. Whatever they say, the next poll stays within the
// feed's interval and the ceiling, plus jitter.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string_view>

#include "daemon/feed_poller.h"
#include "daemon/poll_schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace newswatch;
  constexpr std::int64_t kNow = 1'700'000'000;
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  daemon::FreshnessHints hints;
  hints.max_age = daemon::ParseMaxAge(value);
  hints.expires_at = daemon::ParseExpires(value);
  if (hints.max_age && *hints.max_age < 0) std::abort();
  (void)daemon::IsRestrictedAddress(value);

  config::Feed feed;
  config::FetchSettings fetch;
  std::mt19937 random(static_cast<std::uint32_t>(size));
  const std::int64_t next =
      daemon::NextPollAfterSuccess(feed, fetch, hints, kNow, random);
  const std::int64_t longest = fetch.max_interval.count();
  if (next < kNow + 1 || next > kNow + longest + longest / 10) std::abort();
  return 0;
}
