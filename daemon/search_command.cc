#include <nlohmann/json.hpp>

#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] search [--limit N] [--json] QUERY...

Searches the archive of every article indexed so far, best match first.
QUERY uses the saved-search language (see the README): words are ANDed,
AND/OR/NOT, -word, (groups) and "exact phrases".

  --limit N   show at most N results (default 20)
  --json      one JSON object per line: title, url, feed, published
              (RFC 3339, UTC), snippet, id
)";

void PrintText(std::ostream& out, size_t rank, const indexer::SearchHit& hit) {
  const indexer::Article& article = hit.article;
  out << rank << ". " << config::OneLine(article.title) << "\n"
      << "   " << config::OneLine(article.link) << "\n"
      << "   " << config::OneLine(article.feed_name) << " · "
      << config::FormatRfc3339(article.published) << "\n";
  if (!hit.snippet.empty())
    out << "   " << config::OneLine(hit.snippet) << "\n";
  out << "\n";
}

void PrintJson(std::ostream& out, const indexer::SearchHit& hit) {
  const indexer::Article& article = hit.article;
  const nlohmann::json line = {
      {"title", article.title},
      {"url", article.link},
      {"feed", article.feed_name},
      {"published", config::FormatRfc3339(article.published)},
      {"snippet", hit.snippet},
      {"id", article.id}};
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
}

}  // namespace

int SearchCommand(const CommandContext& context,
                  const std::vector<std::string>& args) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed = ParseCommandArgs(
      context, "search", args, {{"--json"}, {"--limit"}}, kHelp, &exit_status);
  if (!parsed) return exit_status;
  const ParsedArgs& options = *parsed;
  if (options.positional.empty()) {
    context.err << "newswatch: search needs a QUERY\n" << kHelp;
    return kExitUsage;
  }
  indexer::SearchOptions search_options;
  if (auto limit = options.Value("--limit")) {
    config::Result<size_t> number = PositiveNumber("--limit", *limit);
    if (!number.ok()) {
      context.err << "newswatch: search: " << number.error().ToString() << "\n";
      return kExitUsage;
    }
    search_options.limit = number.value();
  }
  std::string query_text;
  for (const std::string& word : options.positional) {
    query_text += (query_text.empty() ? "" : " ") + word;
  }
  config::Result<indexer::QueryNode> query = indexer::ParseQuery(query_text);
  if (!query.ok()) {
    context.err << "newswatch: search: query \"" << query_text
                << "\": " << query.error().what << "\n";
    return kExitUsage;
  }

  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  auto index =
      indexer::Index::OpenReadOnly(IndexDirectory(loaded.config.data_dir));
  if (!index.ok()) {
    context.err << "newswatch: " << index.error().ToString() << "\n";
    return kExitFailure;
  }
  auto hits = index.value()->Search(query.value(), search_options);
  if (!hits.ok()) {
    context.err << "newswatch: " << hits.error().ToString() << "\n";
    return kExitFailure;
  }
  const bool json = options.Has("--json");
  size_t rank = 0;
  for (const indexer::SearchHit& hit : hits.value()) {
    if (json) {
      PrintJson(context.out, hit);
    } else {
      PrintText(context.out, ++rank, hit);
    }
  }
  if (!json && hits.value().empty()) context.err << "no matches\n";
  return kExitOk;
}

}  // namespace newswatch::daemon
