#include "alerts/alert_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "config/error.h"
#include "tests/support/temp_dir.h"

namespace newswatch::alerts {
namespace {

namespace fs = std::filesystem;
using newswatch::testing::TempDir;

constexpr std::int64_t kNow = 1'700'000'000;

std::unique_ptr<AlertStore> OpenStore(
    const fs::path& file,
    AlertStore::Mode mode = AlertStore::Mode::kReadWrite) {
  auto opened = AlertStore::Open(file, mode);
  INFO((opened.ok() ? std::string() : opened.error().ToString()));
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

NewAlert MakeAlert(const std::string& search, const std::string& article,
                   std::vector<std::string> notifiers = {}) {
  NewAlert alert;
  alert.content.search_name = search;
  alert.content.query = "query of " + search;
  alert.content.article_id = article;
  alert.content.title = "Title of " + article;
  alert.content.url = "https://example.org/" + article;
  alert.content.feed_name = "Example";
  alert.content.feed_url = "https://example.org/feed.xml";
  alert.content.snippet = "snippet of " + article;
  alert.content.published = kNow - 3600;
  alert.notifiers = std::move(notifiers);
  return alert;
}

long long Begin(AlertStore& store, std::int64_t now = kNow) {
  auto batch = store.BeginBatch("https://example.org/feed.xml", now);
  REQUIRE(batch.ok());
  return batch.value();
}

std::vector<Alert> Record(AlertStore& store, long long batch,
                          const std::vector<NewAlert>& alerts,
                          std::int64_t now = kNow) {
  auto recorded = store.RecordBatch(batch, alerts, now);
  INFO((recorded.ok() ? std::string() : recorded.error().ToString()));
  REQUIRE(recorded.ok());
  return std::move(recorded).value();
}

std::vector<Alert> List(AlertStore& store, AlertQuery query = {}) {
  auto alerts = store.ListAlerts(query);
  REQUIRE(alerts.ok());
  return std::move(alerts).value();
}

std::vector<DueMessage> DueMessagesOf(AlertStore& store, std::int64_t now,
                                      size_t limit = 100,
                                      std::vector<std::string> notifiers = {
                                          "console", "chat"}) {
  auto due = store.DueMessages(now, limit, notifiers);
  REQUIRE(due.ok());
  return std::move(due).value();
}

// The due deliveries, message by message.
std::vector<DueDelivery> Due(AlertStore& store, std::int64_t now,
                             size_t limit = 100) {
  std::vector<DueDelivery> due;
  for (DueMessage& message : DueMessagesOf(store, now, limit)) {
    for (DueDelivery& part : message.parts) due.push_back(std::move(part));
  }
  return due;
}

std::vector<long long> Unmatched(AlertStore& store) {
  auto batches = store.UnmatchedBatches();
  REQUIRE(batches.ok());
  return batches.value();
}

TEST_CASE("BeginBatch hands out increasing ids", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const long long first = Begin(*store);
  const long long second = Begin(*store);
  const long long third = Begin(*store);
  CHECK(first < second);
  CHECK(second < third);
  CHECK(Unmatched(*store) == std::vector<long long>{first, second, third});
}

TEST_CASE("Open creates the database and its parent folders", "[alerts]") {
  TempDir dir;
  const fs::path file = dir.path() / "deep" / "data" / "newswatch.db";
  auto store = OpenStore(file);
  CHECK(fs::exists(file));
}

TEST_CASE("RecordBatch records alerts with one pending delivery per notifier",
          "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const long long batch = Begin(*store);
  const long long other = Begin(*store);
  REQUIRE(Unmatched(*store) == std::vector<long long>{batch, other});

  const std::vector<Alert> recorded =
      Record(*store, batch,
             {MakeAlert("Glaciers", "a1", {"console", "chat"}),
              MakeAlert("Glaciers", "a2", {})});
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0].id != recorded[1].id);
  CHECK(recorded[0].fired_at == kNow);
  CHECK(recorded[0].content.article_id == "a1");
  REQUIRE(recorded[0].deliveries.size() == 2);
  CHECK(recorded[0].deliveries[0].notifier == "console");
  CHECK(recorded[0].deliveries[1].notifier == "chat");
  for (const Delivery& delivery : recorded[0].deliveries) {
    CHECK(delivery.alert_id == recorded[0].id);
    CHECK(delivery.state == DeliveryState::kPending);
    CHECK(delivery.next_attempt_at == kNow);
    CHECK(delivery.attempts == 0);
  }
  CHECK(recorded[1].deliveries.empty());

  // Only the batch that was recorded is marked matched.
  CHECK(Unmatched(*store) == std::vector<long long>{other});

  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed.size() == 2);
  const Alert& a1 =
      listed[0].content.article_id == "a1" ? listed[0] : listed[1];
  REQUIRE(a1.deliveries.size() == 2);
  CHECK(a1.deliveries[0].id == recorded[0].deliveries[0].id);
  CHECK(a1.deliveries[1].id == recorded[0].deliveries[1].id);
  CHECK(a1.deliveries[0].state == DeliveryState::kPending);
}

TEST_CASE("An empty batch is still marked matched", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const long long batch = Begin(*store);
  CHECK(Record(*store, batch, {}).empty());
  CHECK(Unmatched(*store).empty());
}

TEST_CASE("A (search, article) pair fires only once, ever", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const long long first = Begin(*store);
  REQUIRE(Record(*store, first, {MakeAlert("Glaciers", "a1", {"console"})})
              .size() == 1);

  const long long second = Begin(*store, kNow + 60);
  NewAlert again = MakeAlert("Glaciers", "a1", {"console", "chat"});
  again.content.title = "A changed title";
  const std::vector<Alert> recorded =
      Record(*store, second, {again}, kNow + 60);
  CHECK(recorded.empty());
  CHECK(Unmatched(*store).empty());

  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].content.title == "Title of a1");
  CHECK(listed[0].fired_at == kNow);
  REQUIRE(listed[0].deliveries.size() == 1);
  CHECK(listed[0].deliveries[0].notifier == "console");
  CHECK(Due(*store, kNow + 60).size() == 1);
}

TEST_CASE("Replaying the same batch records nothing twice", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const long long batch = Begin(*store);
  const std::vector<NewAlert> alerts = {MakeAlert("S", "a1", {"console"}),
                                        MakeAlert("S", "a2", {"console"})};
  CHECK(Record(*store, batch, alerts).size() == 2);
  CHECK(Record(*store, batch, alerts).empty());
  CHECK(List(*store).size() == 2);
  CHECK(Due(*store, kNow).size() == 2);
}

TEST_CASE("The same article for two searches gives two alerts", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const long long batch = Begin(*store);
  const std::vector<Alert> recorded =
      Record(*store, batch,
             {MakeAlert("Glaciers", "a1", {"console"}),
              MakeAlert("Ice sheets", "a1", {"console"})});
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0].content.search_name == "Glaciers");
  CHECK(recorded[1].content.search_name == "Ice sheets");
  CHECK(List(*store).size() == 2);
  CHECK(Due(*store, kNow).size() == 2);
}

TEST_CASE("ListAlerts is newest first, filters by search and limits",
          "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  Record(*store, Begin(*store, kNow), {MakeAlert("A", "old", {"console"})},
         kNow);
  Record(*store, Begin(*store, kNow + 10),
         {MakeAlert("B", "middle", {}), MakeAlert("A", "middle2", {})},
         kNow + 10);
  Record(*store, Begin(*store, kNow + 20), {MakeAlert("A", "new", {})},
         kNow + 20);

  const std::vector<Alert> all = List(*store);
  REQUIRE(all.size() == 4);
  CHECK(all[0].content.article_id == "new");
  CHECK(all[0].fired_at == kNow + 20);
  // Same fired_at: the later insert first.
  CHECK(all[1].content.article_id == "middle2");
  CHECK(all[2].content.article_id == "middle");
  CHECK(all[3].content.article_id == "old");
  REQUIRE(all[3].deliveries.size() == 1);
  CHECK(all[3].deliveries[0].notifier == "console");
  CHECK(all[0].deliveries.empty());

  AlertQuery only_a;
  only_a.search_name = "A";
  const std::vector<Alert> a = List(*store, only_a);
  REQUIRE(a.size() == 3);
  for (const Alert& alert : a) CHECK(alert.content.search_name == "A");
  CHECK(a[0].content.article_id == "new");
  CHECK(a[2].content.article_id == "old");

  AlertQuery limited;
  limited.limit = 2;
  const std::vector<Alert> two = List(*store, limited);
  REQUIRE(two.size() == 2);
  CHECK(two[0].content.article_id == "new");
  CHECK(two[1].content.article_id == "middle2");

  AlertQuery nobody;
  nobody.search_name = "Nobody";
  CHECK(List(*store, nobody).empty());
}

TEST_CASE("DueDeliveries respects next_attempt_at and returns the alert",
          "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  Record(*store, Begin(*store), {MakeAlert("S", "a1", {"console"})}, kNow);
  Record(*store, Begin(*store), {MakeAlert("S", "a2", {"console"})},
         kNow + 100);

  CHECK(Due(*store, kNow - 1).empty());
  const std::vector<DueDelivery> at_now = Due(*store, kNow);
  REQUIRE(at_now.size() == 1);
  CHECK(at_now[0].alert.content.article_id == "a1");
  CHECK(at_now[0].alert.content.search_name == "S");
  CHECK(at_now[0].alert.content.title == "Title of a1");
  CHECK(at_now[0].delivery.alert_id == at_now[0].alert.id);
  CHECK(at_now[0].delivery.notifier == "console");

  const std::vector<DueDelivery> later = Due(*store, kNow + 100);
  REQUIRE(later.size() == 2);
  CHECK(later[0].alert.content.article_id == "a1");  // Oldest first.
  CHECK(later[1].alert.content.article_id == "a2");
  CHECK(Due(*store, kNow + 100, 1).size() == 1);
}

TEST_CASE("MarkSent takes a delivery out of the due list", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const std::vector<Alert> recorded = Record(
      *store, Begin(*store), {MakeAlert("S", "a1", {"console", "chat"})});
  const long long console = recorded[0].deliveries[0].id;
  REQUIRE(store->MarkSent({console}, kNow + 1).ok());

  const std::vector<DueDelivery> due = Due(*store, kNow + 1000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].delivery.notifier == "chat");

  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed.size() == 1);
  REQUIRE(listed[0].deliveries.size() == 2);
  CHECK(listed[0].deliveries[0].state == DeliveryState::kSent);
  CHECK(listed[0].deliveries[0].attempts == 1);
  CHECK(listed[0].deliveries[1].state == DeliveryState::kPending);
}

TEST_CASE("MarkFailed with a retry time keeps the delivery pending",
          "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const std::vector<Alert> recorded =
      Record(*store, Begin(*store), {MakeAlert("S", "a1", {"chat"})});
  const long long id = recorded[0].deliveries[0].id;

  REQUIRE(store->MarkFailed({id}, "HTTP status 503", kNow + 10).ok());
  CHECK(Due(*store, kNow + 9).empty());
  std::vector<DueDelivery> due = Due(*store, kNow + 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].delivery.id == id);
  CHECK(due[0].delivery.state == DeliveryState::kPending);
  CHECK(due[0].delivery.attempts == 1);
  CHECK(due[0].delivery.last_error == "HTTP status 503");
  CHECK(due[0].delivery.next_attempt_at == kNow + 10);

  REQUIRE(store->MarkFailed({id}, "timeout", kNow + 70).ok());
  due = Due(*store, kNow + 70);
  REQUIRE(due.size() == 1);
  CHECK(due[0].delivery.attempts == 2);
  CHECK(due[0].delivery.last_error == "timeout");

  REQUIRE(store->MarkSent({id}, kNow + 70).ok());
  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed[0].deliveries.size() == 1);
  CHECK(listed[0].deliveries[0].state == DeliveryState::kSent);
  CHECK(listed[0].deliveries[0].attempts == 3);
  CHECK(listed[0].deliveries[0].last_error.empty());
}

TEST_CASE("MarkFailed without a retry time kills the delivery", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const std::vector<Alert> recorded =
      Record(*store, Begin(*store), {MakeAlert("S", "a1", {"chat"})});
  const long long id = recorded[0].deliveries[0].id;
  REQUIRE(store->MarkFailed({id}, "HTTP status 410", std::nullopt).ok());
  CHECK(Due(*store, kNow + 1'000'000).empty());
  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed[0].deliveries.size() == 1);
  CHECK(listed[0].deliveries[0].state == DeliveryState::kDead);
  CHECK(listed[0].deliveries[0].attempts == 1);
  CHECK(listed[0].deliveries[0].last_error == "HTTP status 410");
  CHECK(std::string(DeliveryStateName(DeliveryState::kDead)) == "dead");
}

TEST_CASE("The data survives closing and reopening the file", "[alerts]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  long long unmatched = 0;
  long long delivery = 0;
  {
    auto store = OpenStore(file);
    const std::vector<Alert> recorded =
        Record(*store, Begin(*store), {MakeAlert("S", "a1", {"console"})});
    delivery = recorded[0].deliveries[0].id;
    REQUIRE(store->MarkFailed({delivery}, "busy", kNow + 10).ok());
    unmatched = Begin(*store);
  }
  auto store = OpenStore(file);
  CHECK(Unmatched(*store) == std::vector<long long>{unmatched});
  CHECK(Begin(*store) > unmatched);
  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].content.article_id == "a1");
  REQUIRE(listed[0].deliveries.size() == 1);
  CHECK(listed[0].deliveries[0].id == delivery);
  CHECK(listed[0].deliveries[0].attempts == 1);
  CHECK(listed[0].deliveries[0].last_error == "busy");
  // Still a pair recorded before: not recorded again after reopening.
  CHECK(Record(*store, unmatched, {MakeAlert("S", "a1", {"console"})}).empty());
}

TEST_CASE("Opening a missing database read-only is a permanent error",
          "[alerts]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  auto opened = AlertStore::Open(file, AlertStore::Mode::kReadOnly);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == config::ErrorKind::kPermanent);
  CHECK_THAT(opened.error().where, Catch::Contains(file.string()));
  CHECK_FALSE(opened.error().what.empty());
  CHECK_THAT(opened.error().what, Catch::Contains("no alerts database"));
  CHECK_FALSE(fs::exists(file));
}

TEST_CASE("A read-only store sees what the writer commits (WAL)", "[alerts]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  auto writer = OpenStore(file);
  Record(*writer, Begin(*writer), {MakeAlert("S", "a1", {"console"})});

  auto reader = OpenStore(file, AlertStore::Mode::kReadOnly);
  REQUIRE(List(*reader).size() == 1);

  // Committed while the reader stays open.
  Record(*writer, Begin(*writer, kNow + 5), {MakeAlert("S", "a2", {})},
         kNow + 5);
  const std::vector<Alert> listed = List(*reader);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].content.article_id == "a2");

  // A reader cannot write.
  auto batch = reader->BeginBatch("https://example.org/feed.xml", kNow);
  CHECK_FALSE(batch.ok());
}

TEST_CASE("Hostile text round-trips exactly", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  NewAlert alert =
      MakeAlert("Robert'); DROP TABLE alerts;--",
                "id with \"quotes\" and 'apostrophes'", {"n\"otifier'"});
  alert.content.query = "\"ice sheet\" OR glacier -'x'";
  alert.content.title = "Line one\r\nLine two\tTabbed \x1b[31mred\x1b[0m";
  alert.content.url = "https://example.org/?q=a%20b&x=\"y\"";
  alert.content.feed_name = "Ukraine\xe2\x80\x99s \xe6\x97\xa5\xe6\x9c\xac";
  alert.content.snippet = std::string("nul\0inside", 10) + " \xf0\x9f\x93\xb0";
  alert.content.published = -1;
  const long long batch = Begin(*store);
  REQUIRE(Record(*store, batch, {alert}).size() == 1);

  const std::vector<Alert> listed = List(*store);
  REQUIRE(listed.size() == 1);
  const AlertContent& got = listed[0].content;
  CHECK(got.search_name == alert.content.search_name);
  CHECK(got.article_id == alert.content.article_id);
  CHECK(got.query == alert.content.query);
  CHECK(got.title == alert.content.title);
  CHECK(got.url == alert.content.url);
  CHECK(got.feed_name == alert.content.feed_name);
  CHECK(got.feed_url == alert.content.feed_url);
  CHECK(got.snippet == alert.content.snippet);
  CHECK(got.published == -1);
  REQUIRE(listed[0].deliveries.size() == 1);
  CHECK(listed[0].deliveries[0].notifier == "n\"otifier'");

  AlertQuery by_name;
  by_name.search_name = alert.content.search_name;
  CHECK(List(*store, by_name).size() == 1);

  REQUIRE(store
              ->MarkFailed({listed[0].deliveries[0].id},
                           "server said:\r\n'no' \"never\"", kNow + 1)
              .ok());
  const std::vector<DueMessage> messages =
      DueMessagesOf(*store, kNow + 1, 100, {"n\"otifier'"});
  REQUIRE(messages.size() == 1);
  const std::vector<DueDelivery>& due = messages[0].parts;
  REQUIRE(due.size() == 1);
  CHECK(due[0].delivery.last_error == "server said:\r\n'no' \"never\"");
  CHECK(due[0].alert.content.title == alert.content.title);
}

// The config refuses a notifier listed twice; the store must not return a
// phantom second delivery if it ever gets one.
TEST_CASE("A notifier listed twice yields one delivery", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const std::vector<Alert> recorded = Record(
      *store, Begin(*store), {MakeAlert("S", "a1", {"console", "console"})});
  REQUIRE(recorded.size() == 1);
  CHECK(Due(*store, kNow).size() == 1);
  CHECK(recorded[0].deliveries.size() == 1);
}

// A database written by newswatch 0.1 (before digests, matched terms and
// instance ids) opens, keeps its alerts, and takes the new columns.
TEST_CASE("A database from the first release is migrated in place",
          "[alerts]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  {
    SQLite::Database old(file.string(),
                         SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec(R"(CREATE TABLE batches (id INTEGER PRIMARY KEY,
        feed_url TEXT NOT NULL, created_at INTEGER NOT NULL,
        matched_at INTEGER))");
    old.exec(R"(CREATE TABLE alerts (id INTEGER PRIMARY KEY,
        search TEXT NOT NULL, article_id TEXT NOT NULL, query TEXT NOT NULL,
        title TEXT NOT NULL, url TEXT NOT NULL, feed TEXT NOT NULL,
        feed_url TEXT NOT NULL, snippet TEXT NOT NULL,
        published INTEGER NOT NULL, fired_at INTEGER NOT NULL,
        batch_id INTEGER NOT NULL REFERENCES batches(id),
        UNIQUE (search, article_id)))");
    old.exec(R"(CREATE TABLE deliveries (id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        notifier TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '', next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER, UNIQUE (alert_id, notifier)))");
    old.exec("INSERT INTO batches VALUES (1, 'https://x.org/f', 1, 1)");
    old.exec(
        "INSERT INTO alerts VALUES (1, 'S', 'a1', 'q', 'Old title', "
        "'https://x.org/1', 'Feed', 'https://x.org/f', 'snip', 5, 6, 1)");
    old.exec(
        "INSERT INTO deliveries (id, alert_id, notifier, next_attempt_at) "
        "VALUES (1, 1, 'console', 6)");
  }
  auto store = OpenStore(file);
  CHECK(store->InstanceId().size() == 16);
  std::vector<Alert> listed = List(*store);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].content.title == "Old title");
  CHECK(listed[0].content.matched_terms.empty());
  REQUIRE(listed[0].deliveries.size() == 1);
  CHECK_FALSE(listed[0].deliveries[0].held);
  CHECK(Due(*store, 6).size() == 1);
  // New alerts go in beside the old, with the new columns.
  NewAlert fresh = MakeAlert("S", "a2", {"console"});
  fresh.content.matched_terms = {"ukraine", "troop"};
  Record(*store, Begin(*store), {fresh});
  listed = List(*store);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].content.matched_terms ==
        std::vector<std::string>{"ukraine", "troop"});
  // Opening again changes nothing, the instance id included.
  const std::string instance = store->InstanceId();
  store.reset();
  store = OpenStore(file);
  CHECK(store->InstanceId() == instance);
  CHECK(List(*store).size() == 2);
}

TEST_CASE("ListAlerts filters by delivery state", "[alerts]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "newswatch.db");
  const std::vector<Alert> recorded =
      Record(*store, Begin(*store),
             {MakeAlert("S", "a1", {"chat"}), MakeAlert("S", "a2", {"chat"}),
              MakeAlert("S", "a3", {"chat", "console"})});
  REQUIRE(store->MarkSent({recorded[0].deliveries[0].id}, kNow).ok());
  REQUIRE(store->MarkFailed({recorded[1].deliveries[0].id}, "no", std::nullopt)
              .ok());
  REQUIRE(store->MarkSent({recorded[2].deliveries[0].id}, kNow).ok());
  AlertQuery dead;
  dead.delivery_state = DeliveryState::kDead;
  std::vector<Alert> listed = List(*store, dead);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].content.article_id == "a2");
  AlertQuery pending;
  pending.delivery_state = DeliveryState::kPending;
  listed = List(*store, pending);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].content.article_id == "a3");
  CHECK(listed[0].deliveries.size() == 2);  // All of its deliveries.
}

TEST_CASE("FindAlert finds the one alert of a (search, article) pair",
          "[alerts]") {
  TempDir dir;
  const fs::path file = dir.path() / "newswatch.db";
  auto store = OpenStore(file);
  const std::vector<Alert> recorded =
      Record(*store, Begin(*store),
             {MakeAlert("Glaciers", "a1", {"chat", "console"}),
              MakeAlert("Ice sheets", "a1", {"console"}),
              MakeAlert("Glaciers", "a2", {"console"})});
  REQUIRE(recorded.size() == 3);
  REQUIRE(store->MarkSent({recorded[0].deliveries[1].id}, kNow + 5).ok());
  NewAlert later = MakeAlert("Glaciers", "a3", {});
  later.content.matched_terms = {"glacier"};
  Record(*store, Begin(*store, kNow + 60), {later}, kNow + 60);

  const auto find = [&](AlertStore& in, const std::string& search,
                        const std::string& article) {
    auto found = in.FindAlert(search, article);
    INFO((found.ok() ? std::string() : found.error().ToString()));
    REQUIRE(found.ok());
    return std::move(found).value();
  };

  SECTION("with its content and every delivery, in their states") {
    const std::optional<Alert> alert = find(*store, "Glaciers", "a1");
    REQUIRE(alert);
    CHECK(alert->id == recorded[0].id);
    CHECK(alert->content.search_name == "Glaciers");
    CHECK(alert->content.article_id == "a1");
    CHECK(alert->content.title == "Title of a1");
    CHECK(alert->content.url == "https://example.org/a1");
    CHECK(alert->fired_at == kNow);
    REQUIRE(alert->deliveries.size() == 2);
    CHECK(alert->deliveries[0].notifier == "chat");
    CHECK(alert->deliveries[0].state == DeliveryState::kPending);
    CHECK(alert->deliveries[1].notifier == "console");
    CHECK(alert->deliveries[1].state == DeliveryState::kSent);
  }
  SECTION("the pair, not the article or the search alone") {
    const std::optional<Alert> other = find(*store, "Ice sheets", "a1");
    REQUIRE(other);
    CHECK(other->id == recorded[1].id);
    REQUIRE(other->deliveries.size() == 1);
    CHECK(other->deliveries[0].alert_id == recorded[1].id);
    CHECK_FALSE(find(*store, "Ice sheets", "a2"));
    CHECK_FALSE(find(*store, "Nobody", "a1"));
    CHECK_FALSE(find(*store, "glaciers", "a1"));  // Names are exact.
    CHECK_FALSE(find(*store, "Glaciers", "a4"));
  }
  SECTION("an alert without deliveries, from a read-only store") {
    auto reader = OpenStore(file, AlertStore::Mode::kReadOnly);
    const std::optional<Alert> alert = find(*reader, "Glaciers", "a3");
    REQUIRE(alert);
    CHECK(alert->fired_at == kNow + 60);
    CHECK(alert->content.matched_terms == std::vector<std::string>{"glacier"});
    CHECK(alert->deliveries.empty());
  }
}

}  // namespace
}  // namespace newswatch::alerts
