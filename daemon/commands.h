// The CLI's commands. Each takes the arguments after its name and returns
// the process exit status.
#ifndef NEWSWATCH_DAEMON_COMMANDS_H_
#define NEWSWATCH_DAEMON_COMMANDS_H_

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "config/config_loader.h"

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

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_COMMANDS_H_
