// Deployment: one newswatch installation for an end-to-end test: a temporary
// folder with a config and data_dir, a real loopback HTTP server for feeds,
// and the real binary run through its CLI.
#ifndef NEWSWATCH_TESTS_END_TO_END_DEPLOYMENT_H_
#define NEWSWATCH_TESTS_END_TO_END_DEPLOYMENT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/http_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_search.h"

namespace newswatch::testing {

// A fixture file from tests/fixtures.
std::string Fixture(const std::string& relative);

// The fixture feed world.rss with `extra_items` inserted before </channel>.
std::string WorldFeed(const std::string& extra_items = "");

class Deployment {
 public:
  Deployment() = default;

  TempDir& dir() { return dir_; }
  HttpServer& server() { return server_; }
  std::string config_path() const {
    return (dir_.path() / "newswatch.toml").string();
  }

  // Writes newswatch.toml: data_dir "data", a log notifier "console", then
  // `body` (feeds and searches).
  void WriteConfig(const std::string& body);

  // newswatch --config <config> args...
  ProcessResult Run(const std::vector<std::string>& args) const;
  std::vector<std::string> Command(const std::vector<std::string>& args) const;

  // `alerts --json`, parsed, newest first.
  std::vector<nlohmann::json> Alerts() const;

 private:
  TempDir dir_;
  HttpServer server_;
};

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_END_TO_END_DEPLOYMENT_H_
