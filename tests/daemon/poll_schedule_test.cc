#include "daemon/scheduler.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"

namespace newswatch::daemon {
namespace {

constexpr std::int64_t kStart = 1'700'000'000;

std::vector<config::Feed> MakeFeeds(size_t count, config::Seconds interval) {
  std::vector<config::Feed> feeds;
  for (size_t i = 0; i < count; ++i) {
    config::Feed feed;
    feed.url = "https://example.org/feed" + std::to_string(i);
    feed.name = feed.url;
    feed.interval = interval;
    feeds.push_back(feed);
  }
  return feeds;
}

TEST_CASE("Every feed is due at start", "[daemon]") {
  const auto feeds = MakeFeeds(3, config::Seconds(900));
  const Scheduler scheduler(feeds, kStart, 1);
  CHECK(scheduler.Due(kStart) == std::vector<size_t>{0, 1, 2});
  CHECK(scheduler.Due(kStart - 1).empty());
  CHECK(scheduler.NextDue() == kStart);
}

TEST_CASE("After a poll a feed is due again within its interval +-10%",
          "[daemon]") {
  const auto feeds = MakeFeeds(1, config::Seconds(1000));
  for (std::uint32_t seed = 0; seed < 200; ++seed) {
    Scheduler scheduler(feeds, kStart, seed);
    scheduler.Polled(0, kStart + 5);
    const std::int64_t due = scheduler.DueAt(0);
    INFO("seed " << seed);
    REQUIRE(due >= kStart + 5 + 900);
    REQUIRE(due <= kStart + 5 + 1100);
    CHECK(scheduler.Due(kStart + 5).empty());
    CHECK(scheduler.Due(due - 1).empty());
    CHECK(scheduler.Due(due) == std::vector<size_t>{0});
    CHECK(scheduler.NextDue() == due);
  }
}

TEST_CASE("A feed stays due until it is polled", "[daemon]") {
  const auto feeds = MakeFeeds(2, config::Seconds(600));
  Scheduler scheduler(feeds, kStart, 3);
  scheduler.Polled(0, kStart);
  CHECK(scheduler.Due(kStart + 10) == std::vector<size_t>{1});
  CHECK(scheduler.Due(kStart + 500) == std::vector<size_t>{1});
  CHECK(scheduler.NextDue() == kStart);
}

TEST_CASE("Due lists the soonest feed first", "[daemon]") {
  std::vector<config::Feed> feeds = MakeFeeds(3, config::Seconds(600));
  feeds[0].interval = config::Seconds(3000);  // Due around +3000.
  feeds[1].interval = config::Seconds(100);   // Due around +100.
  feeds[2].interval = config::Seconds(1000);  // Due around +1000.
  Scheduler scheduler(feeds, kStart, 7);
  for (size_t i = 0; i < feeds.size(); ++i) scheduler.Polled(i, kStart);
  CHECK(scheduler.Due(kStart + 50).empty());
  CHECK(scheduler.Due(kStart + 10'000) == std::vector<size_t>{1, 2, 0});
  CHECK(scheduler.NextDue() == scheduler.DueAt(1));
  CHECK(scheduler.Due(scheduler.DueAt(2)) == std::vector<size_t>{1, 2});
}

TEST_CASE("NextDue is the earliest due time", "[daemon]") {
  const auto feeds = MakeFeeds(4, config::Seconds(600));
  Scheduler scheduler(feeds, kStart, 11);
  scheduler.Polled(0, kStart);
  scheduler.Polled(1, kStart);
  scheduler.Polled(2, kStart);
  CHECK(scheduler.NextDue() == kStart);  // Feed 3 still due.
  scheduler.Polled(3, kStart + 100);
  const std::int64_t earliest =
      std::min({scheduler.DueAt(0), scheduler.DueAt(1), scheduler.DueAt(2),
                scheduler.DueAt(3)});
  CHECK(scheduler.NextDue() == earliest);
  CHECK(scheduler.NextDue() > kStart);
}

TEST_CASE("NextDue of no feeds is never", "[daemon]") {
  const std::vector<config::Feed> feeds;
  const Scheduler scheduler(feeds, kStart, 1);
  CHECK(scheduler.Due(kStart).empty());
  CHECK(scheduler.NextDue() == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("The schedule is deterministic for a fixed seed", "[daemon]") {
  const auto feeds = MakeFeeds(20, config::Seconds(900));
  Scheduler first(feeds, kStart, 42);
  Scheduler second(feeds, kStart, 42);
  for (size_t i = 0; i < feeds.size(); ++i) {
    first.Polled(i, kStart);
    second.Polled(i, kStart);
  }
  std::vector<std::int64_t> first_due;
  std::vector<std::int64_t> second_due;
  for (size_t i = 0; i < feeds.size(); ++i) {
    first_due.push_back(first.DueAt(i));
    second_due.push_back(second.DueAt(i));
  }
  CHECK(first_due == second_due);

  Scheduler other(feeds, kStart, 43);
  std::vector<std::int64_t> other_due;
  for (size_t i = 0; i < feeds.size(); ++i) {
    other.Polled(i, kStart);
    other_due.push_back(other.DueAt(i));
  }
  CHECK(other_due != first_due);
}

TEST_CASE("Jitter spreads feeds with the same interval", "[daemon]") {
  const auto feeds = MakeFeeds(50, config::Seconds(900));
  Scheduler scheduler(feeds, kStart, 5);
  std::set<std::int64_t> due_times;
  for (size_t i = 0; i < feeds.size(); ++i) {
    scheduler.Polled(i, kStart);
    due_times.insert(scheduler.DueAt(i));
  }
  // 50 draws from 181 values: all equal would mean no jitter at all.
  CHECK(due_times.size() > 10);
  CHECK(*due_times.begin() >= kStart + 810);
  CHECK(*due_times.rbegin() <= kStart + 990);
  CHECK(*due_times.rbegin() - *due_times.begin() >= 60);
}

TEST_CASE("A very short interval still moves the due time forward",
          "[daemon]") {
  const auto feeds = MakeFeeds(1, config::Seconds(1));
  Scheduler scheduler(feeds, kStart, 9);
  scheduler.Polled(0, kStart);
  CHECK(scheduler.DueAt(0) == kStart + 1);
  CHECK(scheduler.Due(kStart).empty());
}

}  // namespace
}  // namespace newswatch::daemon
