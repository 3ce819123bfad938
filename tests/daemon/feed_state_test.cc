#include "daemon/feed_state.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "config/text.h"

namespace newswatch::daemon {
namespace {

TEST_CASE("SummarizeWarnings joins the warnings", "[feed_state]") {
  CHECK(SummarizeWarnings({}).empty());
  CHECK(SummarizeWarnings({"one"}) == "one");
  CHECK(SummarizeWarnings(
            {"XML breaks at offset 9 (x); kept 2 items", "dropped item 3"}) ==
        "XML breaks at offset 9 (x); kept 2 items; dropped item 3");
}

TEST_CASE("SummarizeWarnings makes one line", "[feed_state]") {
  CHECK(SummarizeWarnings({"unknown encoding x\r\n\x1b[31m"}) ==
        "unknown encoding x   [31m");
}

TEST_CASE("SummarizeWarnings cuts to kMaxLastWarningBytes", "[feed_state]") {
  // A feed may warn about each of its 1000 items.
  std::vector<std::string> warnings;
  for (int i = 1; i <= 1000; ++i) {
    warnings.push_back("dropped item " + std::to_string(i) +
                       ": same id, link and title as item 1 — é");
  }
  const std::string summary = SummarizeWarnings(warnings);
  CHECK(summary.size() <= kMaxLastWarningBytes);
  CHECK(summary.size() > kMaxLastWarningBytes - 8);
  CHECK(summary.rfind("dropped item 1: same id", 0) == 0);
  CHECK(summary.substr(summary.size() - config::kEllipsis.size()) ==
        config::kEllipsis);
  CHECK(config::RepairUtf8(summary) == summary);  // Cut on a boundary.
}

}  // namespace
}  // namespace newswatch::daemon
