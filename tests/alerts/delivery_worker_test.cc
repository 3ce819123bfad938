#include "alerts/delivery_worker.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/log_notifier.h"
#include "alerts/notifier.h"
#include "alerts/retry_policy.h"
#include "tests/support/temp_dir.h"

namespace newswatch::alerts {
namespace {

using newswatch::testing::TempDir;

constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

// A Notifier that returns the outcomes a test scripted, in order (Sent once
// the script runs out), and remembers what it was asked to deliver.
class FakeNotifier : public Notifier {
 public:
  struct Call {
    std::string message_id;
    std::vector<long long> alert_ids;
    std::string title;  // The first alert's.
    bool digest = false;
    std::int64_t now = 0;
  };

  DeliveryOutcome Deliver(const Message& message, std::int64_t now) override {
    Call call{message.id,
              {},
              message.alerts.front().content.title,
              message.digest,
              now};
    for (const Alert& alert : message.alerts)
      call.alert_ids.push_back(alert.id);
    calls.push_back(std::move(call));
    if (script.empty()) return DeliveryOutcome::Sent();
    DeliveryOutcome outcome = script.front();
    script.pop_front();
    return outcome;
  }

  std::string Destination() const override { return destination; }
  size_t MaxAlertsPerMessage() const override { return max_alerts; }

  std::deque<DeliveryOutcome> script;
  std::vector<Call> calls;
  std::string destination = "https://hooks.example.org/a";
  size_t max_alerts = 200;
};

DeliveryOutcome Transient(std::string error,
                          std::optional<std::int64_t> retry_after = {}) {
  return {DeliveryOutcome::Kind::kTransient, std::move(error), retry_after};
}

DeliveryOutcome Permanent(std::string error) {
  return {DeliveryOutcome::Kind::kPermanent, std::move(error), {}};
}

Alert MakeAlert() {
  Alert alert;
  alert.id = 42;
  alert.content.search_name = "Glaciers";
  alert.content.query = "glacier";
  alert.content.article_id = "article-1";
  alert.content.title = "Ice sheet retreats";
  alert.content.url = "https://example.org/ice";
  alert.content.feed_name = "Science Desk";
  alert.content.feed_url = "https://example.org/feed.xml";
  alert.content.published = kNow;
  return alert;
}

Message Single(const Alert& alert) {
  Message message;
  message.id = "msg_test_d1";
  message.alerts = {alert};
  return message;
}

// A store in a temporary folder, with helpers to fill and inspect it.
class Outbox {
 public:
  Outbox() {
    auto opened = AlertStore::Open(dir_.path() / "newswatch.db");
    REQUIRE(opened.ok());
    store_ = std::move(opened).value();
  }

  AlertStore& store() { return *store_; }

  // Records one alert per article with a delivery to each notifier.
  std::vector<Alert> Record(const std::vector<std::string>& articles,
                            const std::vector<std::string>& notifiers,
                            std::int64_t now = kNow,
                            const DeliveryPlan& plan = {}) {
    auto batch = store_->BeginBatch("https://example.org/feed.xml", now);
    REQUIRE(batch.ok());
    std::vector<NewAlert> alerts;
    for (const std::string& article : articles) {
      NewAlert alert;
      alert.content = MakeAlert().content;
      alert.content.article_id = article;
      alert.content.title = "Title " + article;
      alert.notifiers = notifiers;
      alert.plan = plan;
      alerts.push_back(alert);
    }
    auto recorded = store_->RecordBatch(batch.value(), alerts, now);
    REQUIRE(recorded.ok());
    return recorded.value();
  }

  // The id a single delivery's message carries.
  std::string SingleId(long long delivery_id) {
    return "msg_" + store_->InstanceId() + "_d" + std::to_string(delivery_id);
  }

  // The delivery with `id`, as the store has it now.
  Delivery Find(long long id) {
    auto alerts = store_->ListAlerts({});
    REQUIRE(alerts.ok());
    for (const Alert& alert : alerts.value()) {
      for (const Delivery& delivery : alert.deliveries) {
        if (delivery.id == id) return delivery;
      }
    }
    FAIL("no delivery " << id);
    return {};
  }

 private:
  TempDir dir_;
  std::unique_ptr<AlertStore> store_;
};

// A DeliveryWorker over an Outbox whose one notifier is a FakeNotifier
// named "fake", logging into a string.
class FakeDelivery {
 public:
  explicit FakeDelivery(Outbox& outbox) {
    auto fake = std::make_unique<FakeNotifier>();
    notifier_ = fake.get();
    notifiers_["fake"] = std::move(fake);
    // Without jitter, so retry times are exact.
    worker_ = std::make_unique<DeliveryWorker>(outbox.store(), notifiers_, log_,
                                               RetryPolicy(0.0));
  }

  FakeNotifier& notifier() { return *notifier_; }
  DeliveryWorker& worker() { return *worker_; }
  std::string log() const { return log_.str(); }

 private:
  FakeNotifier* notifier_ = nullptr;
  std::map<std::string, std::unique_ptr<Notifier>> notifiers_;
  std::ostringstream log_;
  std::unique_ptr<DeliveryWorker> worker_;
};

DeliveryCounts Run(DeliveryWorker& worker, std::int64_t now) {
  auto counts = worker.DeliverDue(now);
  REQUIRE(counts.ok());
  return counts.value();
}

TEST_CASE("LogNotifier formats one line with the alert's fields", "[alerts]") {
  const std::string line = LogNotifier::FormatLine(MakeAlert());
  CHECK(line ==
        "ALERT [Glaciers] Ice sheet retreats <https://example.org/ice> "
        "(feed: Science Desk, published 2023-11-14T22:13:20Z)");
}

TEST_CASE("LogNotifier: CR/LF in feed text cannot split the line", "[alerts]") {
  Alert alert = MakeAlert();
  alert.content.title =
      "Breaking\r\nALERT [Fake] forged line\nmore\x1b[2J\xc2\x85tail";
  alert.content.feed_name = "Feed\nName";
  alert.content.url = "https://example.org/\r\nx";
  const std::string line = LogNotifier::FormatLine(alert);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line.find("\xc2\x85") == std::string::npos);
  CHECK_THAT(line, Catch::Contains("Breaking  ALERT [Fake] forged line more"));

  std::ostringstream out;
  LogNotifier notifier("console", out);
  Alert second = MakeAlert();
  second.content.title = "Second\nalert";
  CHECK(notifier.Deliver(Single(alert), kNow).kind ==
        DeliveryOutcome::Kind::kSent);
  CHECK(notifier.Deliver(Single(second), kNow).kind ==
        DeliveryOutcome::Kind::kSent);
  const std::string written = out.str();
  CHECK(written == line + "\n" + LogNotifier::FormatLine(second) + "\n");
  CHECK(std::count(written.begin(), written.end(), '\n') == 2);
  CHECK(std::count(written.begin(), written.end(), '\r') == 0);
}

TEST_CASE("LogNotifier reports a stream it cannot write as transient",
          "[alerts]") {
  std::ostream out(nullptr);  // No buffer: every write fails.
  LogNotifier notifier("console", out);
  const DeliveryOutcome outcome = notifier.Deliver(Single(MakeAlert()), kNow);
  CHECK(outcome.kind == DeliveryOutcome::Kind::kTransient);
  CHECK_THAT(outcome.error, Catch::Contains("\"console\""));

  // Once the stream works again, so does the notifier.
  std::ostringstream working;
  out.rdbuf(working.rdbuf());
  CHECK(notifier.Deliver(Single(MakeAlert()), kNow).kind ==
        DeliveryOutcome::Kind::kSent);
  CHECK_FALSE(working.str().empty());
}

TEST_CASE("RetryPolicy follows its schedule, then gives up", "[alerts]") {
  RetryPolicy policy(0.0);
  const std::vector<std::int64_t> delays = {
      10, 60, 300, 1800, 2 * 3600, 6 * 3600, 12 * 3600, 24 * 3600};
  for (size_t i = 0; i < delays.size(); ++i) {
    const int attempts = static_cast<int>(i) + 1;
    INFO("after " << attempts << " failed attempts");
    const auto next = policy.NextAttempt(attempts, kNow, std::nullopt);
    REQUIRE(next.has_value());
    CHECK(*next == kNow + delays[i]);
  }
  CHECK_FALSE(policy.NextAttempt(9, kNow, std::nullopt).has_value());
  CHECK_FALSE(policy.NextAttempt(100, kNow, std::nullopt).has_value());
  // Nonsense input is treated as the first failure.
  CHECK(policy.NextAttempt(0, kNow, std::nullopt) == kNow + 10);
}

TEST_CASE("RetryPolicy: a later Retry-After wins, an earlier one does not",
          "[alerts]") {
  RetryPolicy policy(0.0);
  CHECK(policy.NextAttempt(1, kNow, kNow + 120) == kNow + 120);
  CHECK(policy.NextAttempt(1, kNow, kNow + 5) == kNow + 10);
  CHECK(policy.NextAttempt(3, kNow, kNow + 301) == kNow + 301);
  // After the last attempt, Retry-After does not resurrect the delivery.
  CHECK_FALSE(policy.NextAttempt(9, kNow, kNow + 60).has_value());
}

TEST_CASE("RetryPolicy spreads retries by up to a tenth of the delay",
          "[alerts]") {
  RetryPolicy policy(0.1, 42);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    const auto next = policy.NextAttempt(4, kNow, std::nullopt);  // 30 min.
    REQUIRE(next.has_value());
    CHECK(*next >= kNow + 1800);
    CHECK(*next <= kNow + 1980);
    seen.insert(*next);
  }
  CHECK(seen.size() > 50);  // Spread, not one value.
}

TEST_CASE("DeliveryWorker sends due deliveries and marks them sent",
          "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1", "a2"}, {"fake"});
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  DeliveryWorker& worker = harness.worker();

  const DeliveryCounts counts = Run(worker, kNow);
  CHECK(counts.sent == 2);
  CHECK(counts.retrying == 0);
  CHECK(counts.dead == 0);
  REQUIRE(notifier.calls.size() == 2);
  CHECK(notifier.calls[0].message_id ==
        outbox.SingleId(alerts[0].deliveries[0].id));
  CHECK(notifier.calls[0].alert_ids == std::vector<long long>{alerts[0].id});
  CHECK(notifier.calls[0].title == "Title a1");
  CHECK_FALSE(notifier.calls[0].digest);
  CHECK(notifier.calls[0].now == kNow);
  CHECK(notifier.calls[1].message_id ==
        outbox.SingleId(alerts[1].deliveries[0].id));
  CHECK(outbox.Find(alerts[0].deliveries[0].id).state == DeliveryState::kSent);
  CHECK(outbox.Find(alerts[1].deliveries[0].id).state == DeliveryState::kSent);
  CHECK(harness.log().empty());

  // Nothing left: a second round delivers nothing again.
  const DeliveryCounts again = Run(worker, kNow + 3600);
  CHECK(again.sent == 0);
  CHECK(notifier.calls.size() == 2);
}

TEST_CASE("DeliveryWorker leaves deliveries that are not yet due", "[alerts]") {
  Outbox outbox;
  outbox.Record({"a1"}, {"fake"}, kNow + 100);
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  DeliveryWorker& worker = harness.worker();
  CHECK(Run(worker, kNow).sent == 0);
  CHECK(notifier.calls.empty());
  CHECK(Run(worker, kNow + 100).sent == 1);
}

TEST_CASE("DeliveryWorker retries a transient failure on schedule",
          "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1"}, {"fake"});
  const long long id = alerts[0].deliveries[0].id;
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  notifier.script = {Transient("HTTP status 503\r\nInjected: header"),
                     Transient("timeout")};
  DeliveryWorker& worker = harness.worker();

  DeliveryCounts counts = Run(worker, kNow);
  CHECK(counts.retrying == 1);
  CHECK(counts.sent == 0);
  CHECK(counts.dead == 0);
  Delivery delivery = outbox.Find(id);
  CHECK(delivery.state == DeliveryState::kPending);
  CHECK(delivery.attempts == 1);
  CHECK(delivery.next_attempt_at == kNow + 10);
  CHECK(delivery.last_error == "HTTP status 503\r\nInjected: header");
  // One log line, with the server's text made single-line.
  const std::string line = harness.log();
  CHECK(std::count(line.begin(), line.end(), '\n') == 1);
  CHECK_THAT(line, Catch::Contains("message " + outbox.SingleId(id)));
  CHECK_THAT(line, Catch::Contains("via \"fake\" failed: HTTP status 503  "
                                   "Injected: header (will retry at "));

  // Not retried before its time.
  counts = Run(worker, kNow + 9);
  CHECK(counts.retrying == 0);
  CHECK(notifier.calls.size() == 1);

  // Second failure: the next step of the schedule.
  counts = Run(worker, kNow + 10);
  CHECK(counts.retrying == 1);
  delivery = outbox.Find(id);
  CHECK(delivery.attempts == 2);
  CHECK(delivery.next_attempt_at == kNow + 10 + 60);
  CHECK(delivery.last_error == "timeout");

  // Third try succeeds, under the same message id as the first.
  counts = Run(worker, kNow + 70);
  CHECK(counts.sent == 1);
  REQUIRE(notifier.calls.size() == 3);
  CHECK(notifier.calls[2].message_id == notifier.calls[0].message_id);
  delivery = outbox.Find(id);
  CHECK(delivery.state == DeliveryState::kSent);
  CHECK(delivery.attempts == 3);
}

TEST_CASE("DeliveryWorker honours a later Retry-After", "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1"}, {"fake"});
  FakeDelivery harness(outbox);
  harness.notifier().script = {Transient("HTTP status 429", kNow + 600)};
  DeliveryWorker& worker = harness.worker();
  CHECK(Run(worker, kNow).retrying == 1);
  CHECK(outbox.Find(alerts[0].deliveries[0].id).next_attempt_at == kNow + 600);
}

TEST_CASE("DeliveryWorker gives up on a permanent failure", "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1"}, {"fake"});
  const long long id = alerts[0].deliveries[0].id;
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  notifier.script = {Permanent("HTTP status 410")};
  DeliveryWorker& worker = harness.worker();

  const DeliveryCounts counts = Run(worker, kNow);
  CHECK(counts.dead == 1);
  CHECK(counts.retrying == 0);
  CHECK(counts.sent == 0);
  const Delivery delivery = outbox.Find(id);
  CHECK(delivery.state == DeliveryState::kDead);
  CHECK(delivery.attempts == 1);
  CHECK(delivery.last_error == "HTTP status 410");
  CHECK_THAT(harness.log(), Catch::Contains("HTTP status 410 (gave up"));

  Run(worker, kNow + 100'000);
  CHECK(notifier.calls.size() == 1);
}

TEST_CASE("DeliveryWorker gives up after the last scheduled retry",
          "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1"}, {"fake"});
  const long long id = alerts[0].deliveries[0].id;
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  for (int i = 0; i < 20; ++i) notifier.script.push_back(Transient("down"));
  DeliveryWorker& worker = harness.worker();

  std::int64_t now = kNow;
  for (int attempt = 1; attempt <= 8; ++attempt) {
    INFO("attempt " << attempt);
    REQUIRE(Run(worker, now).retrying == 1);
    now = outbox.Find(id).next_attempt_at;
  }
  CHECK(Run(worker, now).dead == 1);
  const Delivery delivery = outbox.Find(id);
  CHECK(delivery.state == DeliveryState::kDead);
  CHECK(delivery.attempts == 9);
  CHECK(notifier.calls.size() == 9);
}

TEST_CASE("Deliveries for a notifier not in the map wait untouched",
          "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1", "a2"}, {"email"});
  std::map<std::string, std::unique_ptr<Notifier>> notifiers;
  notifiers["fake"] = std::make_unique<FakeNotifier>();
  std::ostringstream log;
  DeliveryWorker worker(outbox.store(), notifiers, log);

  const DeliveryCounts counts = Run(worker, kNow);
  CHECK(counts.sent == 0);
  CHECK(counts.retrying == 0);
  CHECK(counts.dead == 0);
  for (const Alert& alert : alerts) {
    const Delivery delivery = outbox.Find(alert.deliveries[0].id);
    CHECK(delivery.state == DeliveryState::kPending);
    CHECK(delivery.attempts == 0);
    CHECK(delivery.next_attempt_at == kNow);
  }
  CHECK(log.str().empty());
}

// Deliveries nobody here can send (more than a page of them, older than the
// rest) must not fill every page and starve the deliverable ones.
TEST_CASE("Waiting deliveries do not starve deliverable ones", "[alerts]") {
  Outbox outbox;
  std::vector<std::string> articles;
  for (int i = 0; i < 300; ++i) articles.push_back("old-" + std::to_string(i));
  outbox.Record(articles, {"email"}, kNow);
  const std::vector<Alert> fresh = outbox.Record({"new"}, {"fake"}, kNow + 1);
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  DeliveryWorker& worker = harness.worker();

  const DeliveryCounts counts = Run(worker, kNow + 10);
  CHECK(counts.sent == 1);
  CHECK(notifier.calls.size() == 1);
  CHECK(outbox.Find(fresh[0].deliveries[0].id).state == DeliveryState::kSent);
}

TEST_CASE("DeliverDue drains more than one page of due deliveries",
          "[alerts]") {
  Outbox outbox;
  std::vector<std::string> articles;
  for (int i = 0; i < 600; ++i) articles.push_back("a" + std::to_string(i));
  outbox.Record(articles, {"fake"});
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  DeliveryWorker& worker = harness.worker();
  CHECK(Run(worker, kNow).sent == 600);
  CHECK(notifier.calls.size() == 600);
}

TEST_CASE("A digest search's alerts wait, then go out as one message",
          "[alerts][digest]") {
  Outbox outbox;
  DeliveryPlan plan;
  plan.digest_at = kNow + 3600;
  const std::vector<Alert> first =
      outbox.Record({"a1", "a2"}, {"fake"}, kNow, plan);
  const std::vector<Alert> second =
      outbox.Record({"a3"}, {"fake"}, kNow + 5, plan);
  REQUIRE(first[0].deliveries[0].held);
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  notifier.script = {Transient("HTTP status 503")};
  DeliveryWorker& worker = harness.worker();

  CHECK(Run(worker, kNow + 3599).sent == 0);
  CHECK(notifier.calls.empty());
  auto next = worker.NextDueTime();
  REQUIRE(next.ok());
  CHECK(next.value() == kNow + 3600);

  // Due: one message with all three alerts; it fails once.
  CHECK(Run(worker, kNow + 3600).retrying == 3);
  REQUIRE(notifier.calls.size() == 1);
  const FakeNotifier::Call first_try = notifier.calls[0];
  CHECK(first_try.digest);
  CHECK(first_try.alert_ids ==
        std::vector<long long>{first[0].id, first[1].id, second[0].id});
  CHECK_THAT(first_try.message_id,
             Catch::StartsWith("msg_" + outbox.store().InstanceId() + "_g"));

  // An alert recorded meanwhile goes into the next digest, not this one.
  DeliveryPlan later = plan;
  later.digest_at = kNow + 7200;
  outbox.Record({"a4"}, {"fake"}, kNow + 3605, later);

  // The retry is the same digest: same id, same alerts.
  CHECK(Run(worker, kNow + 3610).sent == 3);
  REQUIRE(notifier.calls.size() == 2);
  CHECK(notifier.calls[1].message_id == first_try.message_id);
  CHECK(notifier.calls[1].alert_ids == first_try.alert_ids);
  for (const Alert& alert : first) {
    CHECK(outbox.Find(alert.deliveries[0].id).state == DeliveryState::kSent);
  }

  CHECK(Run(worker, kNow + 7200).sent == 1);
  REQUIRE(notifier.calls.size() == 3);
  CHECK(notifier.calls[2].digest);
  CHECK(notifier.calls[2].message_id != first_try.message_id);
}

TEST_CASE("A digest lists at most kMaxAlertsPerDigest alerts",
          "[alerts][digest]") {
  Outbox outbox;
  DeliveryPlan plan;
  plan.digest_at = kNow + 60;
  std::vector<std::string> articles;
  for (size_t i = 0; i < kMaxAlertsPerDigest + 5; ++i) {
    articles.push_back("a" + std::to_string(i));
  }
  outbox.Record(articles, {"fake"}, kNow, plan);
  FakeDelivery harness(outbox);
  CHECK(Run(harness.worker(), kNow + 60).sent ==
        static_cast<int>(kMaxAlertsPerDigest + 5));
  const auto& calls = harness.notifier().calls;
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].alert_ids.size() == kMaxAlertsPerDigest);
  CHECK(calls[1].alert_ids.size() == 5);
}

TEST_CASE("Beyond max_per_hour, alerts wait for the next digest",
          "[alerts][digest]") {
  Outbox outbox;
  DeliveryPlan plan;
  plan.max_per_hour = 2;
  plan.overflow_digest_at = kNow + 3600;
  const std::vector<Alert> alerts =
      outbox.Record({"a1", "a2", "a3", "a4"}, {"fake"}, kNow, plan);
  CHECK_FALSE(alerts[0].deliveries[0].held);
  CHECK_FALSE(alerts[1].deliveries[0].held);
  CHECK(alerts[2].deliveries[0].held);
  CHECK(alerts[3].deliveries[0].held);
  CHECK(alerts[3].deliveries[0].next_attempt_at == kNow + 3600);

  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  CHECK(Run(harness.worker(), kNow).sent == 2);
  CHECK(notifier.calls.size() == 2);
  CHECK(Run(harness.worker(), kNow + 3600).sent == 2);
  REQUIRE(notifier.calls.size() == 3);
  CHECK(notifier.calls[2].digest);
  CHECK(notifier.calls[2].alert_ids ==
        std::vector<long long>{alerts[2].id, alerts[3].id});

  // An hour after the first two, alerts go out alone again.
  const std::vector<Alert> later =
      outbox.Record({"a5"}, {"fake"}, kNow + 3601, plan);
  CHECK_FALSE(later[0].deliveries[0].held);
}

TEST_CASE("A receiver that is gone disables its notifier until it moves",
          "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1", "a2"}, {"fake"});
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  DeliveryOutcome gone = Permanent("HTTP status 410 Gone");
  gone.disable_notifier = true;
  notifier.script = {gone};

  DeliveryCounts counts = Run(harness.worker(), kNow);
  CHECK(counts.waiting == 1);
  CHECK(counts.sent == 0);
  CHECK(notifier.calls.size() == 1);  // The second is not even tried.
  CHECK_THAT(harness.log(), Catch::Contains("notifier disabled"));
  // Nothing is lost: both deliveries are still pending.
  for (const Alert& alert : alerts) {
    CHECK(outbox.Find(alert.deliveries[0].id).state == DeliveryState::kPending);
  }
  auto next = harness.worker().NextDueTime();
  REQUIRE(next.ok());
  CHECK_FALSE(next.value().has_value());

  // Later passes (and restarts: the state is in the database) skip it.
  CHECK(Run(harness.worker(), kNow + 100'000).sent == 0);
  FakeDelivery restarted(outbox);
  CHECK(Run(restarted.worker(), kNow + 100'000).sent == 0);
  CHECK(restarted.notifier().calls.empty());

  // Pointed somewhere else in the config, it sends everything that waited.
  FakeDelivery moved(outbox);
  moved.notifier().destination = "https://hooks.example.org/b";
  CHECK(Run(moved.worker(), kNow + 100'000).sent == 2);
  CHECK_THAT(moved.log(), Catch::Contains("enabled again"));
}

TEST_CASE("Requeue brings dead deliveries back with a fresh schedule",
          "[alerts]") {
  Outbox outbox;
  const std::vector<Alert> alerts = outbox.Record({"a1", "a2"}, {"fake"});
  FakeDelivery harness(outbox);
  FakeNotifier& notifier = harness.notifier();
  notifier.script = {Permanent("HTTP status 400"),
                     Permanent("HTTP status 400")};
  CHECK(Run(harness.worker(), kNow).dead == 2);

  RequeueTarget one;
  one.alert_id = alerts[0].id;
  auto requeued = outbox.store().Requeue(one, kNow + 50);
  REQUIRE(requeued.ok());
  CHECK(requeued.value() == 1);
  Delivery delivery = outbox.Find(alerts[0].deliveries[0].id);
  CHECK(delivery.state == DeliveryState::kPending);
  CHECK(delivery.attempts == 0);
  CHECK(Run(harness.worker(), kNow + 50).sent == 1);
  // Sent deliveries are never requeued.
  requeued = outbox.store().Requeue(one, kNow + 60);
  REQUIRE(requeued.ok());
  CHECK(requeued.value() == 0);

  RequeueTarget dead;
  dead.all_dead = true;
  requeued = outbox.store().Requeue(dead, kNow + 70);
  REQUIRE(requeued.ok());
  CHECK(requeued.value() == 1);
  CHECK(Run(harness.worker(), kNow + 70).sent == 1);
  CHECK(notifier.calls.size() == 4);
}

TEST_CASE("DeliverDue stops between messages when asked", "[alerts]") {
  Outbox outbox;
  outbox.Record({"a1", "a2", "a3"}, {"fake"});
  FakeDelivery harness(outbox);
  int asked = 0;
  auto counts = harness.worker().DeliverDue(kNow, [&] { return ++asked > 1; });
  REQUIRE(counts.ok());
  CHECK(counts.value().sent == 1);
  CHECK(harness.notifier().calls.size() == 1);
  CHECK(Run(harness.worker(), kNow).sent == 2);
}

TEST_CASE("A digest holds no more alerts than its notifier can list",
          "[alerts][digest]") {
  Outbox outbox;
  DeliveryPlan plan;
  plan.digest_at = kNow + 60;
  outbox.Record({"a1", "a2", "a3", "a4", "a5"}, {"fake"}, kNow, plan);
  FakeDelivery harness(outbox);
  harness.notifier().max_alerts = 2;
  CHECK(Run(harness.worker(), kNow + 60).sent == 5);
  const auto& calls = harness.notifier().calls;
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].alert_ids.size() == 2);
  CHECK(calls[1].alert_ids.size() == 2);
  CHECK(calls[2].alert_ids.size() == 1);
}

TEST_CASE("Retrying one alert of a dead digest retries the whole digest",
          "[alerts][digest]") {
  Outbox outbox;
  DeliveryPlan plan;
  plan.digest_at = kNow + 60;
  const std::vector<Alert> alerts =
      outbox.Record({"a1", "a2", "a3"}, {"fake"}, kNow, plan);
  FakeDelivery harness(outbox);
  harness.notifier().script = {Permanent("HTTP status 400")};
  CHECK(Run(harness.worker(), kNow + 60).dead == 3);

  RequeueTarget one;
  one.alert_id = alerts[1].id;
  auto requeued = outbox.store().Requeue(one, kNow + 100);
  REQUIRE(requeued.ok());
  CHECK(requeued.value() == 3);
  CHECK(Run(harness.worker(), kNow + 100).sent == 3);
  const auto& calls = harness.notifier().calls;
  REQUIRE(calls.size() == 2);
  // The same id, for the same alerts: never fewer under one id.
  CHECK(calls[1].message_id == calls[0].message_id);
  CHECK(calls[1].alert_ids == calls[0].alert_ids);
}

TEST_CASE("With a clock, each attempt is stamped when it happens", "[alerts]") {
  Outbox outbox;
  outbox.Record({"a1", "a2"}, {"fake"});
  auto fake = std::make_unique<FakeNotifier>();
  FakeNotifier& notifier = *fake;
  std::map<std::string, std::unique_ptr<Notifier>> notifiers;
  notifiers["fake"] = std::move(fake);
  std::ostringstream log;
  std::int64_t clock = kNow + 1000;
  DeliveryWorker worker(outbox.store(), notifiers, log, RetryPolicy(0.0),
                        [&clock] { return clock++; });
  CHECK(Run(worker, kNow).sent == 2);
  REQUIRE(notifier.calls.size() == 2);
  CHECK(notifier.calls[0].now == kNow + 1000);
  CHECK(notifier.calls[1].now == kNow + 1001);
}

}  // namespace
}  // namespace newswatch::alerts
