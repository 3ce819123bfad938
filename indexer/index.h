// Index: the Xapian archive of every article, under <data_dir>/index.
//
// One process may hold the index writable (Xapian's lock enforces it: a
// second daemon on the same data_dir gets a clear error); any number may open
// it read-only. An Index object is not thread-safe; use one per thread.
#ifndef NEWSWATCH_INDEXER_INDEX_H_
#define NEWSWATCH_INDEXER_INDEX_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"
#include "indexer/article.h"
#include "indexer/query.h"

namespace newswatch::indexer {

// The articles of one batch with the Xapian documents the index makes of
// them: what the matcher verifies saved searches against. Defined in the
// internal analysed_batch.h; opaque to the rest of the program.
struct AnalysedBatch;

// Analyses articles exactly as Index::WriteBatch would (same terms, same
// positions, per-language stemming), without an index: for the matcher's
// tests and benchmarks.
std::shared_ptr<const AnalysedBatch> AnalyseArticles(
    std::vector<Article> articles, long long batch_id = 0);

// A stretch of a snippet to show highlighted: a byte range of it.
struct SnippetSpan {
  size_t offset = 0;
  size_t length = 0;
};

struct SearchHit {
  Article article;
  std::string snippet;  // Plain text around the matched terms.
  // The words of the snippet that matched the query, in order, as byte
  // ranges of `snippet` (for bold on a terminal, a list in --json).
  std::vector<SnippetSpan> highlights;
  // The query's words and phrases that took part in this hit's match, as
  // written in the query, lowercased (phrases without quotes), deduplicated,
  // in query order: `Ukraine AND troop cap` on an article with "Ukraine's",
  // "troops" and "caps" gives {"ukraine", "troop", "cap"}. A word under NOT
  // never appears; of an OR, only the alternatives that matched do.
  std::vector<std::string> matched_terms;
};

enum class SortOrder { kRelevance, kDate };

struct SearchOptions {
  size_t limit = 20;
  // Only articles last written by this batch (see WriteBatch).
  std::optional<long long> batch_id;
  // kDate: newest first; kRelevance: best first, newest first among equals.
  SortOrder sort = SortOrder::kRelevance;
  // Only articles published at or after this time (Unix seconds).
  std::optional<std::int64_t> since;
  // Only articles of these feeds (configured names, case-insensitive); all
  // feeds when empty.
  std::vector<std::string> feeds;
  // The language whose stemmer the query's words use: a tag ("de", "pt-br")
  // or empty for English (see CompileOptions in query_terms.h).
  std::string language;
  // The time `since:` in the query counts back from (Unix seconds).
  std::int64_t now = 0;
};

// How many articles matched, per UTC day: `test-query`'s backtest.
struct DailyCount {
  std::int64_t day = 0;  // Unix seconds of the day's midnight, UTC.
  size_t articles = 0;
};

class Index {
 public:
  // Opens or creates the index for writing. kFatal if another process holds
  // it or it cannot be created.
  static config::Result<std::unique_ptr<Index>> OpenWritable(
      const std::filesystem::path& directory);
  // Opens an existing index for reading. kPermanent if there is none yet.
  static config::Result<std::unique_ptr<Index>> OpenReadOnly(
      const std::filesystem::path& directory);

  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // The articles that are not in the index yet, or whose content changed
  // since they were written. A re-poll of an unchanged feed yields nothing,
  // so it costs no indexing and fires no alert. Articles without a feed date
  // keep the date they were first seen. An article already brought by
  // another feed (same id) stays that feed's; of several with one id in
  // `articles` (feeds ingested together), the first is kept.
  config::Result<std::vector<Article>> SelectNewOrChanged(
      std::vector<Article> articles);

  // Writes the articles (replacing any with the same id, so a replay after a
  // crash is harmless), tags them with `batch_id`, and commits: one commit
  // per batch. Requires a writable index.
  config::Status WriteBatch(long long batch_id,
                            const std::vector<Article>& articles);

  // Ranked hits for a parsed query, each with its matched terms. Beyond the
  // search itself, working out the matched terms costs one boolean lookup
  // per word or phrase of the query, restricted to the hits.
  config::Result<std::vector<SearchHit>> Search(const QueryNode& query,
                                                const SearchOptions& options);

  // How many articles match, per UTC day, oldest day first; days without a
  // match are left out. `options.limit` and `sort` are ignored.
  config::Result<std::vector<DailyCount>> CountByDay(
      const QueryNode& query, const SearchOptions& options);

  // Looks up one article by id.
  config::Result<std::optional<Article>> Find(const std::string& article_id);

  // Looks up an article by its link (as stored: absolute URL); falls back to
  // the id, which is the link for many feeds. The newest if several.
  config::Result<std::optional<Article>> FindByLink(const std::string& url);

  // The articles and documents batch `batch_id` wrote: from memory when it
  // is the batch this object wrote last, else read back from the index (a
  // batch recovered after a crash). Empty when no article carries it.
  config::Result<std::shared_ptr<const AnalysedBatch>> DocumentsOfBatch(
      long long batch_id);

  size_t ArticleCount();

  // The share of the archive's articles that hold `term` (a term of the
  // index's internal scheme, article_document.h), for the matcher's choice
  // of the rarest terms to file searches under; nullopt while the archive
  // is too small (under 1,000 articles) to say.
  std::optional<double> TermShare(const std::string& term);

  // The highest batch id any article carries, 0 for none. The alert store's
  // batch ids must stay above it (see AlertStore::ReserveBatchIds).
  config::Result<long long> MaxBatchId();

 private:
  struct Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_INDEX_H_
