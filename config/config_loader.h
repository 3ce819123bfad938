// Reading and validating newswatch.toml.
#ifndef NEWSWATCH_CONFIG_CONFIG_LOADER_H_
#define NEWSWATCH_CONFIG_CONFIG_LOADER_H_

#include <filesystem>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/error.h"

namespace newswatch::config {

// Every problem found, not just the first: an operator fixing a config wants
// the whole list at once. `config` is usable only when `errors` is empty.
struct LoadedConfig {
  Config config;
  std::vector<Error> errors;
};

// Reads and validates the file. Errors are kFatal and their `where` names the
// file, line and key ("newswatch.toml:12: feed[2].interval").
//
// This checks the schema only. Saved queries are checked by the indexer's
// query parser, which config/ does not know (dependencies point one way);
// daemon/ runs both.
LoadedConfig LoadConfig(const std::filesystem::path& path);

// As LoadConfig, from text; `path` names the file in errors and anchors
// relative paths.
LoadedConfig ParseConfig(std::string_view text,
                         const std::filesystem::path& path);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_CONFIG_LOADER_H_
