// Parsing a command's arguments against the options it accepts.
#ifndef NEWSWATCH_DAEMON_COMMAND_LINE_H_
#define NEWSWATCH_DAEMON_COMMAND_LINE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/error.h"

namespace newswatch::daemon {

// What a command accepts: flags (--json) and options with a value
// (--limit 5 or --limit=5).
struct OptionSpec {
  std::set<std::string> flags;
  std::set<std::string> valued;
};

struct ParsedArgs {
  std::set<std::string> flags;
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;

  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::optional<std::string> Value(const std::string& option) const;
};

// Parses `args`; "--" ends options. `--help` is always accepted as a flag.
// Errors name the command and the offending argument.
config::Result<ParsedArgs> ParseArgs(const std::string& command,
                                     const std::vector<std::string>& args,
                                     const OptionSpec& spec);

// A positive integer option value, or an error naming the option.
config::Result<size_t> PositiveNumber(const std::string& option,
                                      const std::string& value);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_COMMAND_LINE_H_
