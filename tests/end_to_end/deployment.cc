#include "tests/end_to_end/deployment.h"

#include <catch2/catch.hpp>
#include <sstream>

namespace newswatch::testing {

std::string Fixture(const std::string& relative) {
  return ReadFile(std::string(NEWSWATCH_SOURCE_DIR) + "/tests/fixtures/" +
                  relative);
}

std::string WorldFeed(const std::string& extra_items) {
  std::string feed = Fixture("feeds/world.rss");
  feed.insert(feed.find("  </channel>"), extra_items);
  return feed;
}

void Deployment::WriteConfig(const std::string& body) {
  dir_.Write("newswatch.toml",
             "data_dir = \"data\"\n\n"
             "[[notifier]]\nname = \"console\"\ntype = \"log\"\n\n" +
                 body);
}

std::vector<std::string> Deployment::Command(
    const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {NEWSWATCH_BINARY, "--config", config_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

ProcessResult Deployment::Run(const std::vector<std::string>& args) const {
  return RunProcess(Command(args));
}

std::vector<nlohmann::json> Deployment::Alerts() const {
  const ProcessResult result = Run({"alerts", "--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<nlohmann::json> alerts;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line))
    alerts.push_back(nlohmann::json::parse(line));
  return alerts;
}

}  // namespace newswatch::testing
