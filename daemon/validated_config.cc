#include "alerts/digest_schedule.h"
#include "alerts/email_message.h"
#include "alerts/webhook_notifier.h"
#include "alerts/webhook_payload.h"
#include "daemon/commands.h"
#include "indexer/matcher.h"
#include "indexer/query.h"
#include "indexer/query_lint.h"

namespace newswatch::daemon {

config::LoadedConfig LoadValidatedConfig(const std::filesystem::path& path) {
  config::LoadedConfig loaded = config::LoadConfig(path);
  // The schema's errors already cover what the checks below would repeat.
  const bool schema_ok = loaded.errors.empty();
  for (config::Error& error :
       indexer::Matcher::Validate(loaded.config.searches)) {
    loaded.errors.push_back(std::move(error));
  }
  // The digest scheduler's own tz lookup, which may know fewer names than
  // the files under /usr/share/zoneinfo that the schema checks.
  if (schema_ok) {
    if (config::Status zone = alerts::ValidateTimeZone(loaded.config.time_zone);
        !zone.ok()) {
      loaded.errors.push_back(config::Error::Fatal(
          loaded.config.source_path.string() + ": time_zone",
          zone.error().what));
    }
  }
  // The notifiers' own rules, stricter than the schema's: what the email
  // builder and the webhook sender would refuse at the first delivery.
  for (const config::Notifier& notifier : loaded.config.notifiers) {
    if (!schema_ok) break;
    const std::string where = loaded.config.source_path.string() +
                              ": notifier \"" + notifier.name + "\"";
    if (notifier.email) {
      std::vector<std::string> addresses = notifier.email->to;
      addresses.push_back(notifier.email->from);
      for (const std::string& address : addresses) {
        if (config::Status valid = alerts::ValidateEmailAddress(address);
            !valid.ok()) {
          loaded.errors.push_back(
              config::Error::Fatal(where, valid.error().what));
        }
      }
    }
    if (notifier.webhook) {
      if (config::Status valid =
              alerts::ValidateWebhookHeaders(notifier.webhook->headers);
          !valid.ok()) {
        loaded.errors.push_back(
            config::Error::Fatal(where, "headers: " + valid.error().what));
      }
    }
    if (notifier.webhook && notifier.webhook->format == "ntfy" &&
        !alerts::NtfyTargetOf(notifier.webhook->url)) {
      loaded.errors.push_back(
          config::Error::Fatal(where,
                               "format \"ntfy\" needs the topic's URL, like "
                               "https://ntfy.sh/mytopic"));
    }
  }
  return loaded;
}

namespace {

// "file:line" of a search's location ("file:line: search[2].query"); the
// search's name stands beside it in a warning, so the key is left out.
std::string FileAndLine(const config::Search& search) {
  const size_t key = search.location.rfind(": ");
  return key == std::string::npos ? search.location
                                  : search.location.substr(0, key);
}

}  // namespace

size_t ReportConfigWarnings(const CommandContext& context,
                            const config::Config& config, std::int64_t now) {
  size_t warnings = 0;
  for (const config::Search& search : config.searches) {
    config::Result<indexer::QueryNode> query =
        indexer::ParseQuery(search.query);
    if (!query.ok()) continue;  // An error, reported as one already.
    const std::string where = FileAndLine(search);
    for (const std::string& finding : indexer::LintQuery(query.value(), now)) {
      context.err << "warning: " << (where.empty() ? "" : where + ": ")
                  << "search \"" << search.name << "\": " << finding << "\n";
      ++warnings;
    }
  }
  return warnings;
}

bool ReportConfigErrors(const CommandContext& context,
                        const config::LoadedConfig& loaded) {
  for (const config::Error& error : loaded.errors) {
    context.err << "error: " << error.ToString() << "\n";
  }
  return loaded.errors.empty();
}

}  // namespace newswatch::daemon
