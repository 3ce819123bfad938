#include "daemon/command_line.h"

#include <cctype>

namespace newswatch::daemon {

std::optional<std::string> ParsedArgs::Value(const std::string& option) const {
  auto found = values.find(option);
  if (found == values.end()) return std::nullopt;
  return found->second;
}

config::Result<ParsedArgs> ParseArgs(const std::string& command,
                                     const std::vector<std::string>& args,
                                     const OptionSpec& spec) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 2 || arg.rfind("--", 0) != 0) {
      parsed.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (const size_t equals = arg.find('='); equals != std::string::npos) {
      name = arg.substr(0, equals);
      inline_value = arg.substr(equals + 1);
    }
    if (name == "--help" || spec.flags.count(name)) {
      if (inline_value) {
        return config::Error::Fatal(command, name + " takes no value");
      }
      parsed.flags.insert(name);
    } else if (spec.valued.count(name)) {
      if (!inline_value) {
        // "--limit --json" is a forgotten value, not a limit of "--json".
        if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) {
          return config::Error::Fatal(command, name + " needs a value");
        }
        inline_value = args[++i];
      }
      parsed.values[name] = *inline_value;
    } else {
      return config::Error::Fatal(command, "unknown option " + name +
                                               " (see `newswatch " + command +
                                               " --help`)");
    }
  }
  return parsed;
}

config::Result<size_t> PositiveNumber(const std::string& option,
                                      const std::string& value) {
  size_t number = 0;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || number > 1000000) {
      return config::Error::Fatal(
          option, "expected a positive number, got \"" + value + "\"");
    }
    number = number * 10 + static_cast<size_t>(c - '0');
  }
  if (value.empty() || number == 0) {
    return config::Error::Fatal(
        option, "expected a positive number, got \"" + value + "\"");
  }
  return number;
}

}  // namespace newswatch::daemon
