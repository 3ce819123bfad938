#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/search_output.h"
#include "indexer/index.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] search [--sort relevance|date] [--since D]
                                         [--feed NAME]... [--language TAG]
                                         [--limit N] [--color WHEN] [--json]
                                         QUERY...

Searches the archive of every article indexed so far, best match first.
QUERY uses the saved-search language (see the README): words are ANDed,
AND/OR/NOT, -word, (groups), "exact phrases", NEAR/ADJ, prefix*, fields
(title:, author:, feed:, site:, category:, lang:) and dates (published:,
since:). The words of each snippet that matched are shown in bold on a
terminal.

  --sort ORDER     relevance (the default: best first, newest first among
                   equals) or date (newest first)
  --since D        only articles published in the last D (7d, 36h, 2w;
                   units s, m, h, d, w) or since the UTC day D (2025-11-01)
  --feed NAME      only articles of this configured feed (case-insensitive);
                   give it again for more feeds
  --language TAG   stem the query's words in this language (de, pt-br);
                   default: the query's own lang:, else English
  --limit N        show at most N results (default 20)
  --color WHEN     bold for the matched words: auto (the default: when
                   stdout is a terminal and $NO_COLOR is not set), always
                   or never
  --json           one JSON object per line: title, url, feed, published
                   (RFC 3339, UTC), snippet, highlights (the snippet's
                   matched words, in order), id
)";

}  // namespace

int SearchCommand(const CommandContext& context,
                  const std::vector<std::string>& args) {
  SearchFilters defaults;
  // One reading of the clock, so --since and the query's since: agree.
  defaults.search.now = config::UnixNow();
  int exit_status = kExitOk;
  std::optional<QueryCommandLine> line = ReadQueryCommandLine(
      context, "search", args,
      {{"--json"}, {"--limit", "--sort", "--since", "--language", "--color"}},
      kHelp, defaults, &exit_status);
  if (!line) return exit_status;
  indexer::SearchOptions& search_options = line->filters.search;
  const std::unique_ptr<indexer::Index> index =
      OpenSearchArchive(context, "search", &search_options, &exit_status);
  if (!index) return exit_status;
  auto hits = index->Search(line->query, search_options);
  if (!hits.ok()) {
    context.err << "newswatch: " << hits.error().ToString() << "\n";
    return kExitFailure;
  }
  const bool json = line->options.Has("--json");
  const bool bold = !json && WantBold(line->filters.color, context.out);
  size_t rank = 0;
  for (const indexer::SearchHit& hit : hits.value()) {
    if (json) {
      context.out << HitJson(hit) << "\n";
    } else {
      PrintHit(context.out, ++rank, hit, bold);
    }
  }
  if (!json && hits.value().empty()) context.err << "no matches\n";
  return kExitOk;
}

}  // namespace newswatch::daemon
