// A reference archive for the matcher benches: generated articles of the
// same news (news_corpus.h) but not the ones a bench matches, written
// through Index::WriteBatch, so that Matcher::Create can file each search
// under its rarest terms as the daemon's matcher does with its own index.
#ifndef NEWSWATCH_TESTS_BENCH_REFERENCE_ARCHIVE_H_
#define NEWSWATCH_TESTS_BENCH_REFERENCE_ARCHIVE_H_

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "config/error.h"
#include "indexer/index.h"
#include "tests/bench/news_corpus.h"

namespace newswatch::bench {

// Articles in the reference archive: enough for Index::TermShare to answer
// (it wants 1,000), few enough to write in seconds.
inline constexpr size_t kReferenceArticles = 4096;

// Writes kReferenceArticles generated articles (from `seed`: pick one no
// bench uses for the articles it matches) to a new index at `directory`,
// published over the 30 days before kCorpusNow, 1,000 a commit.
inline config::Result<std::unique_ptr<indexer::Index>> BuildReferenceArchive(
    const NewsCorpus& corpus, const std::filesystem::path& directory,
    std::uint64_t seed) {
  ArticleShape shape;
  shape.real_first = false;
  shape.span_seconds = 30 * 24 * 60 * 60;
  const ArticleGenerator generator(
      corpus, MakeFeeds(corpus, 50, /*outlets_first=*/true), shape, seed);
  auto index = indexer::Index::OpenWritable(directory);
  if (!index.ok()) return index.error();
  for (size_t first = 0; first < kReferenceArticles; first += 1000) {
    std::vector<indexer::Article> batch;
    for (size_t n = first; n < std::min(kReferenceArticles, first + 1000);
         ++n) {
      batch.push_back(generator.Make(n));
    }
    config::Status written = index.value()->WriteBatch(
        static_cast<long long>(first / 1000 + 1), batch);
    if (!written.ok()) return written.error();
  }
  return index;
}

}  // namespace newswatch::bench

#endif  // NEWSWATCH_TESTS_BENCH_REFERENCE_ARCHIVE_H_
