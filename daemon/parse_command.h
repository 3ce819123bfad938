// `newswatch parse FILE|URL [--json]`: what the feed parser extracts from one
// feed, for an operator debugging a feed that misbehaves (and for the
// conformance harness). Needs no config and never opens the data_dir.
#ifndef NEWSWATCH_DAEMON_PARSE_COMMAND_H_
#define NEWSWATCH_DAEMON_PARSE_COMMAND_H_

#include <string>
#include <vector>

#include "daemon/commands.h"

namespace newswatch::daemon {

// How much of an article's text the text listing shows (bytes, the
// ellipsis included); --json gives it whole.
inline constexpr size_t kParseTextPreviewBytes = 300;

// Reads FILE ("-": stdin) or fetches an http:// or https:// URL once, parses
// it with indexer::ParseFeed and prints the feed and its articles.
// `config_chosen` says whether context.config_path was named (--config or
// $NEWSWATCH_CONFIG) rather than the default: only then is the config read,
// for its [fetch] settings (defaults otherwise). Exit statuses: kExitOk;
// kExitFailure when the input cannot be read or fetched, the server does not
// answer 200, or the body is not a feed; kExitUsage for bad arguments or a
// bad config. Requires curl_global_init (main does it).
int ParseCommand(const CommandContext& context,
                 const std::vector<std::string>& args, bool config_chosen);

}  // namespace newswatch::daemon

#endif  // NEWSWATCH_DAEMON_PARSE_COMMAND_H_
