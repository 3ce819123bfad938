// `newswatch feeds`: each configured feed's polling state, as the daemon
// last recorded it in the feed_state table. Read-only: it never creates or
// changes the database, so it is safe next to a running daemon.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
#include "daemon/feed_state.h"
#include "daemon/feed_state_store.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] = R"(usage: newswatch [--config PATH] feeds [--json]

Shows each configured feed's polling state, in config order: its health
(ok, error, gone or pending), the last HTTP status, errors in a row with the
last one, the parser's warnings about the last body it parsed, the last
successful poll and when it is polled next. A feed the daemon has not polled
yet is pending. Never writes to the database.

  --json   one JSON object per line: name, url (as configured),
           effective_url (after permanent redirects), state, http_status,
           consecutive_errors, last_error, last_warning (the parser's
           warnings about the last body it parsed), last_poll,
           last_success, next_poll (RFC 3339, UTC), articles_seen, etag,
           last_modified; null where there is no value
)";

// The options of every form of `feeds`. Subcommands add theirs here, since
// the arguments are parsed once, before dispatching on the first positional.
const OptionSpec kOptions = {{"--json"}, {}};

// Ordered: keys come out in the order the help and README document them.
using Json = nlohmann::ordered_json;

// `text`, or JSON null when empty (the store keeps "" for "none").
Json StringOrNull(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

// RFC 3339, or JSON null for 0 ("never").
Json TimeOrNull(std::int64_t unix_seconds) {
  return unix_seconds == 0 ? Json(nullptr)
                           : Json(config::FormatRfc3339(unix_seconds));
}

// When `state` is polled next, in Unix seconds; nullopt for a gone feed,
// which is not polled again until its URL changes. A next_poll of 0 (as in
// every pending feed) means due now, so it is shown as `now`.
std::optional<std::int64_t> NextPoll(const FeedState& state, std::int64_t now) {
  if (state.health == FeedHealth::kGone) return std::nullopt;
  return state.next_poll == 0 ? now : state.next_poll;
}

// "45s", "12m", "3h", "2d": the largest whole unit of a non-negative span.
std::string ShortSpan(std::int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 60 * 60) return std::to_string(seconds / 60) + "m";
  if (seconds < 24 * 60 * 60) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

// "2026-11-29T09:45:00Z (3h ago)", or "never" for 0.
std::string PastTime(std::int64_t unix_seconds, std::int64_t now) {
  if (unix_seconds == 0) return "never";
  std::string text = config::FormatRfc3339(unix_seconds);
  if (unix_seconds <= now)
    text += " (" + ShortSpan(now - unix_seconds) + " ago)";
  return text;
}

// "next poll due now", "next poll 2026-11-29T10:00:00Z (in 12m)", or, when
// that time has passed (the daemon is stopped or behind),
// "next poll 2026-11-29T10:00:00Z (overdue 2d)".
std::string NextPollText(const FeedState& state, std::int64_t now) {
  const std::optional<std::int64_t> next = NextPoll(state, now);
  if (!next) return "not polled again until its URL changes";
  if (*next == now) return "next poll due now";
  const std::string at = "next poll " + config::FormatRfc3339(*next);
  if (*next > now) return at + " (in " + ShortSpan(*next - now) + ")";
  return at + " (overdue " + ShortSpan(now - *next) + ")";
}

// One block per feed, the first line unindented:
//   <state, padded to 7>  <name>
//       <url>[ -> <effective_url>]
//       HTTP <status>|- · last poll <when> · last success <when>
//       <next poll> · <n> article(s) seen
//       [<n> error(s) in a row[: <last_error>]]
//       [warning: <last_warning>]
// where <when> is "<RFC 3339> (<span> ago)" or "never".
// Names, URLs and errors come from configs and feed servers, hence OneLine.
void PrintText(std::ostream& out, const config::Feed& feed,
               const FeedState& state, std::int64_t now) {
  std::string health = FeedHealthName(state.health);
  health.resize(7, ' ');
  out << health << "  " << config::OneLine(feed.name) << "\n";
  out << "    " << config::OneLine(state.url);
  if (state.effective_url != state.url) {
    out << " -> " << config::OneLine(state.effective_url);
  }
  out << "\n";
  out << "    HTTP ";
  if (state.http_status == 0) {
    out << "-";
  } else {
    out << state.http_status;
  }
  out << " · last poll " << PastTime(state.last_poll, now) << " · last success "
      << PastTime(state.last_success, now) << "\n";
  out << "    " << NextPollText(state, now) << " · " << state.articles_seen
      << " article(s) seen\n";
  if (state.consecutive_errors > 0 || !state.last_error.empty()) {
    out << "    " << state.consecutive_errors << " error(s) in a row";
    if (!state.last_error.empty()) {
      out << ": " << config::OneLine(state.last_error);
    }
    out << "\n";
  }
  if (!state.last_warning.empty()) {
    out << "    warning: " << config::OneLine(state.last_warning) << "\n";
  }
}

void PrintJson(std::ostream& out, const config::Feed& feed,
               const FeedState& state, std::int64_t now) {
  const std::optional<std::int64_t> next = NextPoll(state, now);
  const Json line = {
      {"name", feed.name},
      {"url", state.url},
      {"effective_url", state.effective_url},
      {"state", FeedHealthName(state.health)},
      {"http_status",
       state.http_status == 0 ? Json(nullptr) : Json(state.http_status)},
      {"consecutive_errors", state.consecutive_errors},
      {"last_error", StringOrNull(state.last_error)},
      {"last_warning", StringOrNull(state.last_warning)},
      {"last_poll", TimeOrNull(state.last_poll)},
      {"last_success", TimeOrNull(state.last_success)},
      {"next_poll", next ? Json(config::FormatRfc3339(*next)) : Json(nullptr)},
      {"articles_seen", state.articles_seen},
      {"etag", StringOrNull(state.etag)},
      {"last_modified", StringOrNull(state.last_modified)}};
  // replace: feed servers' bytes (errors, validators) need not be UTF-8.
  out << line.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

// `feeds` without a subcommand: the listing.
int ListFeeds(const CommandContext& context, const ParsedArgs& options) {
  // The schema only, as `alerts` and `search` load it: listing feeds needs
  // no saved query, and an operator fixing a broken one still wants this.
  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  const config::Config& config = loaded.config;

  auto store = FeedStateStore::Open(DatabaseFile(config.data_dir),
                                    FeedStateStore::Mode::kReadOnly);
  if (!store.ok()) {
    context.err << "newswatch: " << store.error().ToString() << "\n";
    return kExitFailure;
  }
  std::vector<std::string> urls;
  urls.reserve(config.feeds.size());
  for (const config::Feed& feed : config.feeds) urls.push_back(feed.url);
  config::Result<std::vector<FeedState>> states = store.value()->Load(urls);
  if (!states.ok()) {
    context.err << "newswatch: " << states.error().ToString() << "\n";
    return kExitFailure;
  }

  const std::int64_t now = config::UnixNow();
  const bool json = options.Has("--json");
  std::map<FeedHealth, size_t> counts;
  for (size_t i = 0; i < config.feeds.size(); ++i) {
    const FeedState& state = states.value()[i];
    ++counts[state.health];
    if (json) {
      PrintJson(context.out, config.feeds[i], state, now);
    } else {
      PrintText(context.out, config.feeds[i], state, now);
    }
  }
  if (!json) {
    constexpr FeedHealth kSummaryOrder[] = {FeedHealth::kOk, FeedHealth::kError,
                                            FeedHealth::kGone,
                                            FeedHealth::kPending};
    context.out << config.feeds.size() << " feed(s):";
    const char* separator = " ";
    for (FeedHealth health : kSummaryOrder) {
      context.out << separator << counts[health] << " "
                  << FeedHealthName(health);
      separator = ", ";
    }
    context.out << "\n";
  }
  return kExitOk;
}

}  // namespace

int FeedsCommand(const CommandContext& context,
                 const std::vector<std::string>& args) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed =
      ParseCommandArgs(context, "feeds", args, kOptions, kHelp, &exit_status);
  if (!parsed) return exit_status;
  const ParsedArgs& options = *parsed;
  if (options.positional.empty()) return ListFeeds(context, options);
  // Subcommands (`feeds import FILE`, `feeds export`) dispatch here on
  // options.positional.front(), as `alerts retry` does.
  context.err << "newswatch: feeds: unexpected argument \""
              << options.positional.front() << "\" (see `newswatch feeds "
              << "--help`)\n";
  return kExitUsage;
}

}  // namespace newswatch::daemon
