// The command line: global options, then one command.
#ifndef NEWSWATCH_DAEMON_CLI_H_
#define NEWSWATCH_DAEMON_CLI_H_

#include <ostream>
#include <string>
#include <vector>

namespace newswatch::daemon {

// `args` excludes the program name; `config_env` is $NEWSWATCH_CONFIG or
// empty. Returns the exit status.
int RunCli(const std::vector<std::string>& args, const std::string& config_env,
           std::ostream& out, std::ostream& err);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_CLI_H_
