#include "daemon/commands.h"
#include "indexer/matcher.h"

namespace newswatch::daemon {

config::LoadedConfig LoadValidatedConfig(const std::filesystem::path& path) {
  config::LoadedConfig loaded = config::LoadConfig(path);
  for (config::Error& error :
       indexer::Matcher::Validate(loaded.config.searches)) {
    loaded.errors.push_back(std::move(error));
  }
  return loaded;
}

bool ReportConfigErrors(const CommandContext& context,
                        const config::LoadedConfig& loaded) {
  for (const config::Error& error : loaded.errors) {
    context.err << "error: " << error.ToString() << "\n";
  }
  return loaded.errors.empty();
}

}  // namespace newswatch::daemon
