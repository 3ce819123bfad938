#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"

namespace newswatch::daemon {

namespace {
constexpr char kHelp[] = R"(usage: newswatch [--config PATH] check-config

Reads the config, checks every key and every saved query, and prints each
problem with its file, line and key. Exits 0 when the config is valid, 2
otherwise.

Saved queries that parse but can never match (a word both required and
excluded, a published: range that has ended) or match nearly every article
(only negations, only stopwords) are printed as warnings with their file,
line and search; warnings do not change the exit status.
)";
}  // namespace

int CheckConfigCommand(const CommandContext& context,
                       const std::vector<std::string>& args) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed =
      ParseCommandArgs(context, "check-config", args, {}, kHelp, &exit_status);
  if (!parsed) return exit_status;
  if (!parsed->positional.empty()) {
    context.err << "newswatch: check-config takes no arguments\n";
    return kExitUsage;
  }
  const config::LoadedConfig loaded = LoadValidatedConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) {
    context.err << loaded.errors.size() << " error(s) in "
                << context.config_path.string() << "\n";
    return kExitUsage;
  }
  const config::Config& config = loaded.config;
  const size_t warnings =
      ReportConfigWarnings(context, config, config::UnixNow());
  context.out << context.config_path.string() << ": OK (" << config.feeds.size()
              << " feed(s), " << config.searches.size() << " search(es), "
              << config.notifiers.size() << " notifier(s), " << warnings
              << " warning(s); data_dir " << config.data_dir.string() << ")\n";
  return kExitOk;
}

}  // namespace newswatch::daemon
