// The whole pipeline through the real binary: feeds served over loopback
// HTTP and from files, indexed, matched and recorded in a temporary data_dir.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include "tests/end_to_end/deployment.h"

namespace newswatch::testing {
namespace {

using std::chrono::seconds;

constexpr char kSeedSearch[] = R"(
[[search]]
name = "Ukraine troop caps"
query = "Ukraine AND troop cap"
notify = ["console"]
)";

constexpr char kSeedUrl[] = "https://fixture.example.org/2025/11/23/plan";

// A deployment polling world.rss over HTTP with the seed search.
void SetUpWorld(Deployment& deployment, const std::string& searches) {
  deployment.server().Set(
      "/world.rss",
      {200, {{"Content-Type", "application/rss+xml"}}, WorldFeed()});
  deployment.WriteConfig("[[feed]]\nurl = \"" +
                         deployment.server().Url("/world.rss") +
                         "\"\nname = \"Fixture World\"\n" + searches);
}

TEST_CASE("The seed article fires its search exactly once", "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);

  const ProcessResult first = deployment.Run({"run", "--once"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(CountOccurrences(first.err, "ALERT [Ukraine troop caps]") == 1);
  CHECK_THAT(first.err, Catch::Contains(kSeedUrl));

  const auto alerts = deployment.Alerts();
  REQUIRE(alerts.size() == 1);
  const auto& alert = alerts.front();
  CHECK(alert["search"] == "Ukraine troop caps");
  CHECK(alert["url"] == kSeedUrl);
  CHECK(alert["title"] ==
        "Allies question limits on Ukraine’s armed forces in US plan");
  CHECK(alert["feed"] == "Fixture World");
  CHECK(alert["published"] == "2025-11-23T09:30:00Z");
  CHECK(alert["fired_at"].get<std::string>().size() == 20);
  REQUIRE(alert["deliveries"].size() == 1);
  CHECK(alert["deliveries"][0]["notifier"] == "console");
  CHECK(alert["deliveries"][0]["state"] == "sent");
}

TEST_CASE("Articles sharing only some of the words do not fire", "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  REQUIRE(deployment.Run({"run", "--once"}).exit_code == 0);
  for (const auto& alert : deployment.Alerts()) {
    CHECK(alert["url"] == kSeedUrl);
  }
}

TEST_CASE("Re-polling fires nothing new; a new matching article fires",
          "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  REQUIRE(deployment.Run({"run", "--once"}).exit_code == 0);

  const ProcessResult again = deployment.Run({"run", "--once"});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(CountOccurrences(again.err, "ALERT") == 0);
  CHECK_THAT(again.err, Catch::Contains("4 article(s), 0 new, 0 alert(s)"));
  CHECK(deployment.Alerts().size() == 1);

  deployment.server().Set(
      "/world.rss", {200, {}, WorldFeed(Fixture("feeds/world-new-item.xml"))});
  const ProcessResult updated = deployment.Run({"run", "--once"});
  INFO(updated.err);
  REQUIRE(updated.exit_code == 0);
  CHECK(CountOccurrences(updated.err, "ALERT [Ukraine troop caps]") == 1);
  CHECK_THAT(updated.err, Catch::Contains("kyiv-rejects"));
  const auto alerts = deployment.Alerts();
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0]["url"] ==
        "https://fixture.example.org/2025/11/24/kyiv-rejects");
}

// An RSS item for the restart and language tests.
std::string Item(const std::string& link, const std::string& title,
                 const std::string& text) {
  return "<item><title>" + title + "</title><link>" + link + "</link><guid>" +
         link + "</guid><pubDate>Sun, 23 Nov 2025 09:30:00 GMT</pubDate>" +
         "<description>" + text + "</description></item>\n";
}

std::string Rss(const std::string& language, const std::string& items) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<rss version=\"2.0\"><channel><title>Fixture</title>"
         "<link>https://fixture.example.org/</link><description>Test fixture"
         "</description><language>" +
         language + "</language>\n" + items + "</channel></rss>\n";
}

// The (search, url) pairs of every alert recorded, sorted.
std::vector<std::pair<std::string, std::string>> AlertPairs(
    const Deployment& deployment) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& alert : deployment.Alerts()) {
    pairs.emplace_back(alert["search"], alert["url"]);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

// The issue's restart guarantee: "adding or editing a search in the config
// and restarting must not re-fire old matches of unchanged searches, and an
// edited search is matched from then on only". Saved searches run against
// each batch of new articles only, and alerts are unique per (search name,
// article), so neither the archive nor old pairs are matched again.
TEST_CASE(
    "Adding or editing a search and restarting fires on new articles only",
    "[e2e][restart]") {
  Deployment deployment;
  const std::string old_items =
      Item("https://fixture.example.org/1", "Drone strike on Ukraine grid",
           "A drone hit the power grid near Kharkiv.") +
      Item("https://fixture.example.org/2", "Ukraine builds drone factories",
           "Makers of drones expand in Lviv; the grid holds.");
  const std::string new_items =
      Item("https://fixture.example.org/3", "Drone shield for Ukraine",
           "A new net protects the grid from drones.") +
      Item("https://fixture.example.org/4", "Ukraine drone exports",
           "Drone makers hope to sell abroad once the grid is safe.");
  deployment.server().Set("/feed.rss", {200, {}, Rss("en", old_items)});
  const std::string feed = "[[feed]]\nurl = \"" +
                           deployment.server().Url("/feed.rss") +
                           "\"\nname = \"Fixture\"\n";
  const std::string search_a =
      "[[search]]\nname = \"A\"\nquery = \"drone\"\nnotify = "
      "[\"console\"]\n";
  deployment.WriteConfig(feed + search_a +
                         "[[search]]\nname = \"C\"\nquery = \"glacier\"\n"
                         "notify = [\"console\"]\n");
  const ProcessResult first = deployment.Run({"run", "--once"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(CountOccurrences(first.err, "ALERT [A]") == 2);
  CHECK(CountOccurrences(first.err, "ALERT") == 2);

  // A unchanged; B added, matching the old articles as well as the new; C's
  // query edited to match them all too. Then articles 3 and 4 appear.
  deployment.WriteConfig(
      feed + search_a +
      "[[search]]\nname = \"B\"\nquery = \"Ukraine\"\nnotify = "
      "[\"console\"]\n"
      "[[search]]\nname = \"C\"\nquery = \"grid\"\nnotify = "
      "[\"console\"]\n");
  deployment.server().Set("/feed.rss",
                          {200, {}, Rss("en", old_items + new_items)});
  const ProcessResult second = deployment.Run({"run", "--once"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("4 article(s), 2 new, 6 alert(s)"));
  for (const char* search : {"A", "B", "C"}) {
    CHECK(CountOccurrences(second.err, std::string("ALERT [") + search + "]") ==
          2);
  }
  CHECK(CountOccurrences(second.err, "ALERT") == 6);
  CHECK_THAT(second.err, !Catch::Contains("fixture.example.org/1") &&
                             !Catch::Contains("fixture.example.org/2"));

  using Pair = std::pair<std::string, std::string>;
  const std::string base = "https://fixture.example.org/";
  const std::vector<Pair> expected = {{"A", base + "1"}, {"A", base + "2"},
                                      {"A", base + "3"}, {"A", base + "4"},
                                      {"B", base + "3"}, {"B", base + "4"},
                                      {"C", base + "3"}, {"C", base + "4"}};
  CHECK(AlertPairs(deployment) == expected);

  // And a restart with nothing new fires nothing.
  const ProcessResult third = deployment.Run({"run", "--once"});
  INFO(third.err);
  REQUIRE(third.exit_code == 0);
  CHECK(CountOccurrences(third.err, "ALERT") == 0);
  CHECK(AlertPairs(deployment) == expected);
}

TEST_CASE("A feed's configured language is the language of its articles",
          "[e2e][language]") {
  Deployment deployment;
  // Both feeds say they are English; the operator knows one is German. The
  // German stemmer makes "Truppe" and "Truppen" one stem (trupp); the
  // English one does not ("truppen" stays whole).
  const std::string text =
      "Die Regierung schickt weitere Truppen in den Osten.";
  deployment.dir().Write(
      "feeds/grenzbote.rss",
      Rss("en", Item("https://de.example.org/truppen", "Mehr Truppen", text)));
  deployment.dir().Write(
      "feeds/control.rss",
      Rss("en", Item("https://en.example.org/truppen", "Mehr Truppen", text)));
  deployment.WriteConfig(R"(
[[feed]]
url = "file:feeds/grenzbote.rss"
name = "Grenzbote"
language = "DE"

[[feed]]
url = "file:feeds/control.rss"
name = "Control"

[[search]]
name = "Truppe"
query = "Truppe"
language = "de"
notify = ["console"]
)");
  const ProcessResult result = deployment.Run({"run", "--once"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(CountOccurrences(result.err, "ALERT [Truppe]") == 1);
  const auto alerts = deployment.Alerts();
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0]["url"] == "https://de.example.org/truppen");

  // The language reached the index: lang: finds each article by the
  // language it was given.
  const ProcessResult german = deployment.Run({"search", "lang:de", "--json"});
  INFO(german.err);
  REQUIRE(german.exit_code == 0);
  CHECK(CountOccurrences(german.out, "\n") == 1);
  CHECK_THAT(german.out, Catch::Contains("https://de.example.org/truppen"));
  const ProcessResult english = deployment.Run({"search", "lang:en", "--json"});
  REQUIRE(english.exit_code == 0);
  CHECK(CountOccurrences(english.out, "\n") == 1);
  CHECK_THAT(english.out, Catch::Contains("https://en.example.org/truppen"));
}

TEST_CASE("file: feeds and Atom are polled, and alerts filter by search",
          "[e2e]") {
  Deployment deployment;
  deployment.dir().Write("feeds/science.atom", Fixture("feeds/science.atom"));
  deployment.dir().Write("feeds/world.rss", WorldFeed());
  deployment.WriteConfig(std::string(R"(
[[feed]]
url = "file:feeds/science.atom"
name = "Fixture Science"

[[feed]]
url = "file:feeds/world.rss"
name = "Fixture World"

[[search]]
name = "Glaciers"
query = "glacier OR \"ice sheet\""
)") + kSeedSearch);
  const ProcessResult result = deployment.Run({"run", "--once"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(deployment.Alerts().size() == 2);

  const ProcessResult glaciers =
      deployment.Run({"alerts", "--search", "Glaciers", "--json"});
  REQUIRE(glaciers.exit_code == 0);
  CHECK(CountOccurrences(glaciers.out, "\n") == 1);
  CHECK_THAT(glaciers.out,
             Catch::Contains("https://fixture.example.org/science/glacier"));
  // "Glaciers" has no notifier: recorded, but not logged as delivered.
  CHECK(CountOccurrences(result.err, "ALERT [Glaciers]") == 0);
}

TEST_CASE("search ranks the archive and prints JSON lines", "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  REQUIRE(deployment.Run({"run", "--once"}).exit_code == 0);

  const ProcessResult json = deployment.Run({"search", "troops", "--json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  CHECK(CountOccurrences(json.out, "\n") == 3);  // plan, lebanon, grain
  const auto first =
      nlohmann::json::parse(json.out.substr(0, json.out.find('\n')));
  for (const char* key : {"title", "url", "feed", "published", "snippet"}) {
    CHECK(first.contains(key));
  }

  const ProcessResult limited =
      deployment.Run({"search", "--limit", "1", "troop", "cap", "--json"});
  REQUIRE(limited.exit_code == 0);
  CHECK(CountOccurrences(limited.out, "\n") == 1);

  const ProcessResult text = deployment.Run({"search", "\"price cap\""});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("1. Energy price cap extended"));

  const ProcessResult bad = deployment.Run({"search", "(troops"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("unbalanced parentheses"));
}

TEST_CASE("The daemon polls, alerts and stops cleanly on SIGTERM", "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  BackgroundProcess daemon(deployment.Command({"run"}));
  REQUIRE(daemon.WaitForErr("ALERT [Ukraine troop caps]",
                            std::chrono::seconds(30)));

  // A second daemon on the same data_dir is refused.
  const ProcessResult second = deployment.Run({"run", "--once"});
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Catch::Contains("another newswatch daemon"));

  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(std::chrono::seconds(30)) == 0);
  CHECK_THAT(daemon.Err(), Catch::Contains("shutting down"));
  CHECK(deployment.Alerts().size() == 1);
}

TEST_CASE("A feed that fails does not stop the others", "[e2e]") {
  Deployment deployment;
  deployment.server().Set("/world.rss", {200, {}, WorldFeed()});
  deployment.server().Set("/broken", {500, {}, "oops"});
  deployment.server().Set("/html", {200, {}, "<!DOCTYPE html><html></html>"});
  deployment.WriteConfig(
      "[[feed]]\nurl = \"" + deployment.server().Url("/broken") +
      "\"\n[[feed]]\nurl = \"" + deployment.server().Url("/html") +
      "\"\n[[feed]]\nurl = \"" + deployment.server().Url("/world.rss") +
      "\"\n" + kSeedSearch);
  const ProcessResult result = deployment.Run({"run", "--once"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("HTTP status 500"));
  CHECK_THAT(result.err, Catch::Contains("looks like HTML"));
  CHECK(deployment.Alerts().size() == 1);
}

TEST_CASE("The CLI answers --help, --version and bad commands", "[e2e]") {
  const ProcessResult version = RunProcess({NEWSWATCH_BINARY, "--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("newswatch "));
  const ProcessResult help = RunProcess({NEWSWATCH_BINARY, "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("check-config"));
  for (const char* command : {"run", "search", "alerts", "check-config"}) {
    const ProcessResult command_help =
        RunProcess({NEWSWATCH_BINARY, command, "--help"});
    CHECK(command_help.exit_code == 0);
    CHECK_THAT(command_help.out,
               Catch::Contains(std::string("usage: newswatch")));
  }
  const ProcessResult unknown = RunProcess({NEWSWATCH_BINARY, "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown command \"frobnicate\""));
  const ProcessResult bad_option =
      RunProcess({NEWSWATCH_BINARY, "alerts", "--jsn"});
  CHECK(bad_option.exit_code == 2);
  CHECK_THAT(bad_option.err, Catch::Contains("unknown option --jsn"));
}

TEST_CASE("NEWSWATCH_CONFIG names the config when --config is absent",
          "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  const ProcessResult result =
      RunProcess({NEWSWATCH_BINARY, "check-config"},
                 {"NEWSWATCH_CONFIG=" + deployment.config_path()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("OK (1 feed(s), 1 search(es)"));
}

}  // namespace
}  // namespace newswatch::testing

namespace newswatch::testing {
namespace {

// The state a kill -9 leaves between the Xapian commit and the SQLite
// transaction that records a batch's alerts: the articles are indexed, the
// batch exists, nothing is recorded. Made here by rolling the database back
// to that state, then the next start must finish the batch.
TEST_CASE("A batch indexed but never matched is matched on the next start",
          "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  REQUIRE(deployment.Run({"run", "--once"}).exit_code == 0);
  {
    SQLite::Database db(
        (deployment.dir().path() / "data/newswatch.db").string(),
        SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM deliveries");
    db.exec("DELETE FROM alerts");
    db.exec("UPDATE batches SET matched_at = NULL");
  }
  REQUIRE(deployment.Alerts().empty());

  const ProcessResult restarted = deployment.Run({"run", "--once"});
  INFO(restarted.err);
  REQUIRE(restarted.exit_code == 0);
  CHECK_THAT(restarted.err, Catch::Contains("recovered batch"));
  CHECK(CountOccurrences(restarted.err, "ALERT [Ukraine troop caps]") == 1);
  // The feed itself brought nothing new: the articles were already indexed.
  CHECK_THAT(restarted.err, Catch::Contains("0 new"));
  CHECK(deployment.Alerts().size() == 1);

  // Replaying again is harmless.
  const ProcessResult again = deployment.Run({"run", "--once"});
  CHECK(CountOccurrences(again.err, "ALERT") == 0);
  CHECK(deployment.Alerts().size() == 1);
}

}  // namespace
}  // namespace newswatch::testing

namespace newswatch::testing {
namespace {

TEST_CASE("A new database beside an old index does not re-fire old articles",
          "[e2e]") {
  Deployment deployment;
  SetUpWorld(deployment, kSeedSearch);
  REQUIRE(deployment.Run({"run", "--once"}).exit_code == 0);
  // The operator deletes the alerts database but keeps the index.
  std::filesystem::remove(deployment.dir().path() / "data/newswatch.db");
  std::filesystem::remove(deployment.dir().path() / "data/newswatch.db-wal");
  std::filesystem::remove(deployment.dir().path() / "data/newswatch.db-shm");

  // A new article arrives: only it may fire, not the old one in batch 1.
  deployment.server().Set(
      "/world.rss", {200, {}, WorldFeed(Fixture("feeds/world-new-item.xml"))});
  const ProcessResult result = deployment.Run({"run", "--once"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(CountOccurrences(result.err, "ALERT") == 1);
  CHECK_THAT(result.err, Catch::Contains("kyiv-rejects"));
  const auto alerts = deployment.Alerts();
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0]["url"] ==
        "https://fixture.example.org/2025/11/24/kyiv-rejects");
}

}  // namespace
}  // namespace newswatch::testing
