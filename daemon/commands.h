// The CLI's commands. Each takes the arguments after its name and returns
// the process exit status.
#ifndef NEWSWATCH_DAEMON_COMMANDS_H_
#define NEWSWATCH_DAEMON_COMMANDS_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_loader.h"
#include "config/error.h"
#include "daemon/command_line.h"

namespace newswatch::daemon {

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // Runtime failure (stores, lock).
inline constexpr int kExitUsage = 2;    // Bad arguments or a bad config.

struct CommandContext {
  std::filesystem::path config_path;
  std::ostream& out;  // Results (stdout).
  std::ostream& err;  // Diagnostics and the daemon's log (stderr).
};

// Loads the config and checks it whole: the schema and every saved query.
config::LoadedConfig LoadValidatedConfig(const std::filesystem::path& path);

// Writes each error of `loaded` to context.err as an "error: " line.
// Returns true when there were none, so the command can go on.
bool ReportConfigErrors(const CommandContext& context,
                        const config::LoadedConfig& loaded);

// Writes each lint finding (indexer/query_lint.h) of the saved searches of a
// valid `config` to context.err as a "warning: " line naming the file, line
// and search; `now` dates published: ranges. Returns how many there were.
size_t ReportConfigWarnings(const CommandContext& context,
                            const config::Config& config, std::int64_t now);

// Parses a command's arguments (command_line.h). On a usage error prints it
// and sets `*exit_status` to kExitUsage; on --help prints `help` and sets
// kExitOk; either way returns nullopt, and the command returns the status.
std::optional<ParsedArgs> ParseCommandArgs(const CommandContext& context,
                                           const std::string& command,
                                           const std::vector<std::string>& args,
                                           const OptionSpec& spec,
                                           const char* help, int* exit_status);

int RunCommand(const CommandContext& context,
               const std::vector<std::string>& args);
int SearchCommand(const CommandContext& context,
                  const std::vector<std::string>& args);
int AlertsCommand(const CommandContext& context,
                  const std::vector<std::string>& args);
int FeedsCommand(const CommandContext& context,
                 const std::vector<std::string>& args);
int CheckConfigCommand(const CommandContext& context,
                       const std::vector<std::string>& args);
// `test-query QUERY...`: a backtest of a query over the archive.
int TestQueryCommand(const CommandContext& context,
                     const std::vector<std::string>& args);
// `explain SEARCH ARTICLE-URL`: why a search does or does not match.
int ExplainCommand(const CommandContext& context,
                   const std::vector<std::string>& args);
// What search, test-query and explain share is in search_output.h.

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_COMMANDS_H_
