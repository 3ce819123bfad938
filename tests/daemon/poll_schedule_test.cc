#include "daemon/poll_schedule.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <set>

#include "alerts/retry_after.h"
#include "config/config.h"

namespace newswatch::daemon {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kHour = 60 * 60;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::uint32_t kSeeds = 500;

config::Feed FeedEvery(std::int64_t seconds) {
  config::Feed feed;
  feed.url = "https://example.org/feed.xml";
  feed.name = "Example";
  feed.interval = config::Seconds(seconds);
  return feed;
}

config::FetchSettings FetchWithCeiling(std::int64_t max_interval) {
  config::FetchSettings fetch;
  fetch.max_interval = config::Seconds(max_interval);
  return fetch;
}

// What a scheduling function gives, in seconds from kNow, over kSeeds seeds.
struct Outcomes {
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
  std::set<std::int64_t> distinct;
};

Outcomes OverSeeds(
    const std::function<std::int64_t(std::mt19937&)>& next_poll) {
  Outcomes outcomes;
  for (std::uint32_t seed = 0; seed < kSeeds; ++seed) {
    std::mt19937 random(seed);
    const std::int64_t delay = next_poll(random) - kNow;
    outcomes.min = std::min(outcomes.min, delay);
    outcomes.max = std::max(outcomes.max, delay);
    outcomes.distinct.insert(delay);
  }
  return outcomes;
}

Outcomes AfterSuccess(const config::Feed& feed,
                      const config::FetchSettings& fetch,
                      const FreshnessHints& hints) {
  return OverSeeds([&](std::mt19937& random) {
    return NextPollAfterSuccess(feed, fetch, hints, kNow, random);
  });
}

Outcomes AfterError(const config::Feed& feed, int consecutive_errors,
                    std::optional<std::int64_t> retry_after_at) {
  return OverSeeds([&](std::mt19937& random) {
    return NextPollAfterError(feed, consecutive_errors, retry_after_at, kNow,
                              random);
  });
}

// `outcomes` lie within `seconds` ± 10% and reach well into both halves of
// that band (so the jitter is there, and symmetric).
void CheckJitteredAround(const Outcomes& outcomes, std::int64_t seconds) {
  INFO("expected " << seconds << " s +-10%, got " << outcomes.min << ".."
                   << outcomes.max << " s");
  CHECK(outcomes.min >= seconds - seconds / 10);
  CHECK(outcomes.max <= seconds + seconds / 10);
  CHECK(outcomes.min < seconds - seconds / 20);
  CHECK(outcomes.max > seconds + seconds / 20);
}

TEST_CASE("ParseMaxAge reads the max-age directive", "[schedule]") {
  CHECK(ParseMaxAge("max-age=600") == 600);
  CHECK(ParseMaxAge("public, max-age=600") == 600);
  CHECK(ParseMaxAge("private,max-age=300") == 300);
  CHECK(ParseMaxAge("public,\tmax-age=30") == 30);
  CHECK(ParseMaxAge("max-age=60, must-revalidate") == 60);
  CHECK(ParseMaxAge("Public, Max-Age=120") == 120);
  CHECK(ParseMaxAge("MAX-AGE=7") == 7);
  // Spaces around "=" are not RFC 9111, but harmless to read.
  CHECK(ParseMaxAge("max-age = 60") == 60);
  // The quoted form RFC 9111 tells recipients to accept.
  CHECK(ParseMaxAge("max-age=\"90\"") == 90);
  CHECK(ParseMaxAge("max-age=0") == 0);
  // s-maxage is for shared caches, and is not max-age.
  CHECK(ParseMaxAge("s-maxage=10") == std::nullopt);
  CHECK(ParseMaxAge("s-maxage=10, max-age=20") == 20);
  CHECK(ParseMaxAge("max-age=20, s-maxage=10") == 20);
  CHECK(ParseMaxAge("max-stale=10") == std::nullopt);
  // A directive that merely ends in "max-age" is not it.
  CHECK(ParseMaxAge("x-max-age=10") == std::nullopt);
  CHECK(ParseMaxAge("x-max-age=10, max-age=40") == 40);
}

TEST_CASE("ParseMaxAge gives nothing for no-cache, no-store or garbage",
          "[schedule]") {
  CHECK(ParseMaxAge("no-cache, max-age=60") == std::nullopt);
  CHECK(ParseMaxAge("max-age=60, no-cache") == std::nullopt);
  CHECK(ParseMaxAge("no-store, max-age=60") == std::nullopt);
  CHECK(ParseMaxAge("NO-CACHE, max-age=60") == std::nullopt);
  CHECK(ParseMaxAge("") == std::nullopt);
  CHECK(ParseMaxAge("public") == std::nullopt);
  CHECK(ParseMaxAge("max-age") == std::nullopt);
  CHECK(ParseMaxAge("max-age=") == std::nullopt);
  CHECK(ParseMaxAge("max-age=abc") == std::nullopt);
  CHECK(ParseMaxAge("max-age=-5") == std::nullopt);
  CHECK(ParseMaxAge("max-age:60") == std::nullopt);
  CHECK(ParseMaxAge("\x01\xff garbage ;;; ,,,") == std::nullopt);
}

TEST_CASE("ParseMaxAge does not overflow on a huge value", "[schedule]") {
  const auto huge = ParseMaxAge("max-age=99999999999999999999999999999999");
  REQUIRE(huge.has_value());
  // Clamped to something far beyond any max_interval, never negative.
  CHECK(*huge >= 10 * 365 * kDay);
  CHECK(*huge < std::numeric_limits<std::int64_t>::max() / 2);
}

TEST_CASE("ParseExpires reads HTTP dates as Unix seconds", "[schedule]") {
  // date -u -d "Wed, 21 Oct 2015 07:28:00 GMT" +%s
  constexpr std::int64_t kOctober21 = 1445412480;
  CHECK(ParseExpires("Wed, 21 Oct 2015 07:28:00 GMT") == kOctober21);
  // The obsolete RFC 850 and asctime forms recipients must accept.
  CHECK(ParseExpires("Wednesday, 21-Oct-15 07:28:00 GMT") == kOctober21);
  CHECK(ParseExpires("Wed Oct 21 07:28:00 2015") == kOctober21);
  CHECK(ParseExpires("Thu, 01 Jan 1970 00:00:01 GMT") == 1);
}

TEST_CASE("ParseExpires gives nothing for 0, the epoch, garbage or empty",
          "[schedule]") {
  CHECK(ParseExpires("0") == std::nullopt);  // "Already expired".
  CHECK(ParseExpires("-1") == std::nullopt);
  CHECK(ParseExpires("Thu, 01 Jan 1970 00:00:00 GMT") == std::nullopt);
  CHECK(ParseExpires("") == std::nullopt);
  CHECK(ParseExpires("tomorrow-ish") == std::nullopt);
  CHECK(ParseExpires("\x01\x02\x03") == std::nullopt);
}

TEST_CASE("After a success with no hints, the interval +-10%", "[schedule]") {
  const Outcomes outcomes =
      AfterSuccess(FeedEvery(1000), FetchWithCeiling(6 * kHour), {});
  CheckJitteredAround(outcomes, 1000);
}

TEST_CASE("Freshness hints longer than the interval stretch it", "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  const config::FetchSettings fetch = FetchWithCeiling(6 * kHour);

  SECTION("the feed's own <ttl> or sy:updatePeriod") {
    FreshnessHints hints;
    hints.feed_refresh_seconds = kHour;
    CheckJitteredAround(AfterSuccess(feed, fetch, hints), kHour);
  }
  SECTION("Cache-Control max-age") {
    FreshnessHints hints;
    hints.max_age = 2 * kHour;
    CheckJitteredAround(AfterSuccess(feed, fetch, hints), 2 * kHour);
  }
  SECTION("Expires") {
    FreshnessHints hints;
    hints.expires_at = kNow + 5000;
    CheckJitteredAround(AfterSuccess(feed, fetch, hints), 5000);
  }
  SECTION("the longest of the feed's and the server's hints") {
    FreshnessHints hints;
    hints.feed_refresh_seconds = kHour;
    hints.max_age = 3 * kHour;
    CheckJitteredAround(AfterSuccess(feed, fetch, hints), 3 * kHour);
    hints.feed_refresh_seconds = 4 * kHour;
    CheckJitteredAround(AfterSuccess(feed, fetch, hints), 4 * kHour);
  }
  SECTION("max-age wins over Expires, as in HTTP caching") {
    FreshnessHints hints;
    hints.max_age = 2000;
    hints.expires_at = kNow + 5 * kHour;
    CheckJitteredAround(AfterSuccess(feed, fetch, hints), 2000);
  }
}

TEST_CASE("Freshness hints are capped at max_interval", "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  const config::FetchSettings fetch = FetchWithCeiling(2 * kHour);
  FreshnessHints hints;
  SECTION("ttl") { hints.feed_refresh_seconds = 7 * kDay; }
  SECTION("max-age") { hints.max_age = 365 * kDay; }
  SECTION("a max-age as large as ParseMaxAge gives") {
    hints.max_age = ParseMaxAge("max-age=99999999999999999999999999");
  }
  SECTION("Expires") { hints.expires_at = kNow + 30 * kDay; }
  CheckJitteredAround(AfterSuccess(feed, fetch, hints), 2 * kHour);
}

TEST_CASE("Freshness hints shorter than the interval never shorten it",
          "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  const config::FetchSettings fetch = FetchWithCeiling(6 * kHour);
  FreshnessHints hints;
  SECTION("ttl") { hints.feed_refresh_seconds = 60; }
  SECTION("max-age") { hints.max_age = 10; }
  SECTION("max-age=0") { hints.max_age = 0; }
  SECTION("Expires soon") { hints.expires_at = kNow + 5; }
  SECTION("Expires in the past") { hints.expires_at = kNow - kDay; }
  SECTION("all at once") {
    hints.feed_refresh_seconds = 60;
    hints.max_age = 10;
    hints.expires_at = kNow + 5;
  }
  CheckJitteredAround(AfterSuccess(feed, fetch, hints), 1000);
}

TEST_CASE("An interval above max_interval stays as configured", "[schedule]") {
  const config::Feed feed = FeedEvery(8 * kHour);
  const config::FetchSettings fetch = FetchWithCeiling(6 * kHour);
  FreshnessHints hints;
  SECTION("no hints") {}
  SECTION("a longer hint") { hints.max_age = 2 * kDay; }
  SECTION("a shorter hint") { hints.feed_refresh_seconds = kHour; }
  CheckJitteredAround(AfterSuccess(feed, fetch, hints), 8 * kHour);
}

TEST_CASE("Jitter spreads feeds polled together", "[schedule]") {
  const config::Feed feed = FeedEvery(15 * 60);
  const config::FetchSettings fetch = FetchWithCeiling(6 * kHour);
  const Outcomes outcomes = AfterSuccess(feed, fetch, {});
  // 181 possible values (900 +- 90) over 500 seeds: a real spread, not a
  // handful of fixed offsets.
  CHECK(outcomes.distinct.size() > 100);
  CheckJitteredAround(outcomes, 15 * 60);

  // The engine the caller passes drives it: one engine gives a sequence of
  // different times, and the same seed gives the same time again.
  std::mt19937 random(42);
  std::set<std::int64_t> from_one_engine;
  for (int i = 0; i < 50; ++i) {
    from_one_engine.insert(NextPollAfterSuccess(feed, fetch, {}, kNow, random));
  }
  CHECK(from_one_engine.size() > 20);
  std::mt19937 first(7);
  std::mt19937 second(7);
  CHECK(NextPollAfterSuccess(feed, fetch, {}, kNow, first) ==
        NextPollAfterSuccess(feed, fetch, {}, kNow, second));
}

TEST_CASE("Errors back off from the interval, doubling per error",
          "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  std::int64_t expected = 1000;
  for (int errors = 1; errors <= 7; ++errors) {
    INFO(errors << " error(s) in a row");
    const Outcomes outcomes = AfterError(feed, errors, std::nullopt);
    CheckJitteredAround(outcomes, expected);
    CHECK(outcomes.distinct.size() > 20);
    expected *= 2;
  }
  REQUIRE(expected / 2 == 64000);  // The 7th: still under 24 h.
}

TEST_CASE("Backoff is capped at 24 h, jitter and huge error counts included",
          "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  for (int errors : {8, 9, 17, 31, 32, 63, 64, 65, 1000, 1 << 20,
                     std::numeric_limits<int>::max()}) {
    INFO(errors << " error(s) in a row");
    const Outcomes outcomes = AfterError(feed, errors, std::nullopt);
    CHECK(outcomes.max == kMaxBackoffSeconds);  // Jitter never goes over.
    CHECK(outcomes.min >= kMaxBackoffSeconds - kMaxBackoffSeconds / 10);
    CHECK(outcomes.min < kMaxBackoffSeconds - kMaxBackoffSeconds / 20);
  }
  // An interval of its own above 24 h backs off no further than 24 h.
  const Outcomes long_interval = AfterError(FeedEvery(3 * kDay), 1, {});
  CHECK(long_interval.max == kMaxBackoffSeconds);
  CHECK(long_interval.min >= kMaxBackoffSeconds - kMaxBackoffSeconds / 10);
}

TEST_CASE("A Retry-After later than the backoff wins", "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  SECTION("first error") {
    const Outcomes outcomes = AfterError(feed, 1, kNow + kHour);
    CHECK(outcomes.min == kHour);  // Exactly as asked: no jitter shortens it.
    CHECK(outcomes.max == kHour);
  }
  SECTION("beyond the 24 h cap of the backoff") {
    const Outcomes outcomes = AfterError(feed, 1000, kNow + 3 * kDay);
    CHECK(outcomes.min == 3 * kDay);
    CHECK(outcomes.max == 3 * kDay);
  }
  SECTION("just past the longest jittered backoff") {
    const Outcomes outcomes = AfterError(feed, 1, kNow + 1101);
    CHECK(outcomes.min == 1101);
    CHECK(outcomes.max == 1101);
  }
}

TEST_CASE("A Retry-After earlier than the backoff does not shorten it",
          "[schedule]") {
  const config::Feed feed = FeedEvery(1000);
  SECTION("soon") { CheckJitteredAround(AfterError(feed, 1, kNow + 10), 1000); }
  SECTION("now") { CheckJitteredAround(AfterError(feed, 1, kNow), 1000); }
  SECTION("in the past") {
    CheckJitteredAround(AfterError(feed, 1, kNow - kDay), 1000);
  }
  SECTION("inside the backoff of the third error") {
    CheckJitteredAround(AfterError(feed, 3, kNow + 1000), 4000);
  }
}

TEST_CASE("A Retry-After beyond 7 days is cut to 7 days", "[schedule]") {
  REQUIRE(alerts::kMaxRetryAfterSeconds == 7 * kDay);
  const config::Feed feed = FeedEvery(1000);
  for (std::int64_t asked : {7 * kDay + 1, 30 * kDay, 100 * 365 * kDay,
                             std::numeric_limits<std::int64_t>::max() - kNow}) {
    INFO("Retry-After " << asked << " s");
    const Outcomes outcomes = AfterError(feed, 1, kNow + asked);
    CHECK(outcomes.min == 7 * kDay);
    CHECK(outcomes.max == 7 * kDay);
  }
  const Outcomes exactly = AfterError(feed, 1000, kNow + 7 * kDay);
  CHECK(exactly.min == 7 * kDay);
}

}  // namespace
}  // namespace newswatch::daemon
