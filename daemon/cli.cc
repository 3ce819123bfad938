#include "daemon/cli.h"

#include <functional>
#include <map>

#include "daemon/commands.h"
#include "daemon/parse_command.h"

namespace newswatch::daemon {

namespace {

constexpr char kDefaultConfigPath[] = "/etc/newswatch/newswatch.toml";

constexpr char kHelp[] = R"(usage: newswatch [--config PATH] COMMAND [ARGS...]

A full-text search and alerting daemon for news feeds.

Commands:
  run [--once]            run the daemon (--once: poll every feed now, exit)
  search QUERY            search the archive (--sort, --since, --feed, ...)
  test-query QUERY        backtest a query: its matches per day over the
                          archive's last 30 days, and its newest hits
  explain SEARCH URL      why a saved search (or a query) does or does not
                          match the article with that link
  alerts                  show the alerts recorded so far
  feeds [--json]          show each feed's polling state
  parse FILE|URL [--json] show what the parser makes of one feed
  check-config            validate the config and print every problem

Options:
  --config PATH   the config file (default: $NEWSWATCH_CONFIG, else
                  /etc/newswatch/newswatch.toml)
  --help          this help; `newswatch COMMAND --help` for a command's
  --version       print the version
)";

using Command =
    std::function<int(const CommandContext&, const std::vector<std::string>&)>;

}  // namespace

std::optional<ParsedArgs> ParseCommandArgs(const CommandContext& context,
                                           const std::string& command,
                                           const std::vector<std::string>& args,
                                           const OptionSpec& spec,
                                           const char* help, int* exit_status) {
  config::Result<ParsedArgs> parsed = ParseArgs(command, args, spec);
  if (!parsed.ok()) {
    context.err << "newswatch: " << parsed.error().ToString() << "\n";
    *exit_status = kExitUsage;
    return std::nullopt;
  }
  if (parsed.value().Has("--help")) {
    context.out << help;
    *exit_status = kExitOk;
    return std::nullopt;
  }
  return std::move(parsed).value();
}

int RunCli(const std::vector<std::string>& args, const std::string& config_env,
           std::ostream& out, std::ostream& err) {
  std::string config_path =
      config_env.empty() ? kDefaultConfigPath : config_env;
  // Named by --config or $NEWSWATCH_CONFIG rather than defaulted: `parse`
  // reads a config only then.
  bool config_chosen = !config_env.empty();
  const std::map<std::string, Command> commands = {
      {"run", RunCommand},
      {"search", SearchCommand},
      {"test-query", TestQueryCommand},
      {"explain", ExplainCommand},
      {"alerts", AlertsCommand},
      {"feeds", FeedsCommand},
      {"parse",
       [&config_chosen](const CommandContext& context,
                        const std::vector<std::string>& command_args) {
         return ParseCommand(context, command_args, config_chosen);
       }},
      {"check-config", CheckConfigCommand}};

  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << kHelp;
      return kExitOk;
    }
    if (arg == "--version") {
      out << "newswatch " << NEWSWATCH_VERSION << "\n";
      return kExitOk;
    }
    if (arg == "--config") {
      if (i + 1 >= args.size()) {
        err << "newswatch: --config needs a PATH\n";
        return kExitUsage;
      }
      config_path = args[++i];
      config_chosen = true;
    } else if (arg.rfind("--config=", 0) == 0) {
      config_path = arg.substr(9);
      config_chosen = true;
    } else if (arg.rfind("-", 0) == 0) {
      err << "newswatch: unknown option " << arg << "\n\n" << kHelp;
      return kExitUsage;
    } else {
      break;
    }
  }
  if (i == args.size()) {
    err << "newswatch: no command given\n\n" << kHelp;
    return kExitUsage;
  }
  auto command = commands.find(args[i]);
  if (command == commands.end()) {
    err << "newswatch: unknown command \"" << args[i] << "\"\n\n" << kHelp;
    return kExitUsage;
  }
  const CommandContext context{config_path, out, err};
  return command->second(
      context, std::vector<std::string>(args.begin() + static_cast<long>(i) + 1,
                                        args.end()));
}

}  // namespace newswatch::daemon
