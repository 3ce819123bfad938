// match_bench: the presearching matcher (Matcher::Match, Strategy::
// kPresearch) beside brute force (Strategy::kEveryQuery: every saved search
// verified against the batch), in the same run, on batches of real-sized
// news articles, for 1k, 10k, 100k and 1M synthetic saved searches.
//
// Articles: the real news of ../shared/corpora/realworld-news (821 articles,
// most of them summaries of ~200 bytes), topped up with real sentences to
// 1.6-2.4 KB, and more made of real titles and sentences (news_corpus.h),
// 2,048 in all; analysed once (AnalyseArticles: the index's own terms and
// positions) into batches of 64 and of 256. Searches: SavedSearchGenerator
// (synthetic_searches.h; its long tail from Debian's wamerican word list,
// which ./dev bench installs), one fixed-seed stream whose first N are the
// N searches of each size.
//
// First the floor: a matcher of one search, what a batch costs whatever
// the searches. Then, for each size: the matcher's build time; its memory,
// as Stats() counts it and as the process's resident memory (VmRSS) grew
// while building it; the presearcher's articles/s (median of --runs passes
// over every batch, fewer once they have taken 30 s); brute force's
// articles/s over as many batches as fit in --brute-seconds (at least
// one); the speed-up; matches per article; and the searches verified for
// every batch (Stats().always_verified). Where both ran, the two strategies
// must give the same pairs: a difference is printed loudly and the bench
// exits 1. One thread throughout.
//
// Targets (issue 5) on the 2-core development machine: at least 10,000
// articles/s with 100k searches and 2,000 with 1M, the matcher's memory for
// 1M searches under 2 GB.
//
// The matchers are built as the daemon builds its own with its index: with
// an archive to file each search under its rarest terms, here a reference
// archive of 4,096 other articles of the same news (reference_archive.h);
// --no-archive builds them without (word length standing in for rarity).
//
// usage: match_bench [--sizes N,N,...] [--runs N] [--brute-seconds S]
//                    [--no-archive] [CORPUS_DIR]
//   CORPUS_DIR defaults to ../shared/corpora/realworld-news beside the
//   source tree; the bench is skipped where it is absent.
#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "indexer/index.h"
#include "indexer/matcher.h"
#include "tests/bench/measure.h"
#include "tests/bench/news_corpus.h"
#include "tests/bench/reference_archive.h"
#include "tests/bench/synthetic_searches.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace newswatch;
using bench::Megabytes;
using bench::Stopwatch;
using indexer::Matcher;
using indexer::MatchPair;

namespace {

constexpr size_t kArticles = 2048;  // A multiple of every batch size.
constexpr size_t kBatchSizes[] = {64, 256};
constexpr std::uint64_t kArticleSeed = 20260218;
constexpr std::uint64_t kSearchSeed = 5;
constexpr std::uint64_t kArchiveSeed = 4096;
constexpr double kTargetAt100k = 10'000;  // Articles/s.
constexpr double kTargetAt1M = 2'000;
constexpr double kMaxMegabytesAt1M = 2048;
// Presearch passes after the first stop once this much time has gone, so
// that a slow matcher cannot hold the bench for long.
constexpr double kPresearchSeconds = 30;

struct Options {
  std::vector<size_t> sizes = {1'000, 10'000, 100'000, 1'000'000};
  int runs = 3;
  double brute_seconds = 15;
  bool archive = true;
  fs::path corpus =
      fs::path(NEWSWATCH_SOURCE_DIR) / "../shared/corpora/realworld-news";
};

// The figures of one size and batch size.
struct Row {
  size_t searches = 0;
  size_t batch_size = 0;
  double build_seconds = 0;
  size_t stats_bytes = 0;
  long long rss_growth = 0;
  size_t always_verified = 0;
  double presearch_rate = 0;  // Articles/s.
  double brute_rate = 0;
  size_t brute_batches = 0;
  size_t batches = 0;
  double matches_per_article = 0;
};

using Batches = std::vector<std::shared_ptr<const indexer::AnalysedBatch>>;

// The pairs of `batch` by both strategies differ: says how, loudly.
void ReportMismatch(const std::vector<MatchPair>& presearch,
                    const std::vector<MatchPair>& brute,
                    const std::vector<config::Search>& searches,
                    const std::vector<indexer::Article>& articles,
                    size_t first_article) {
  std::printf(
      "\n*** MISMATCH: presearch gave %zu pairs, brute force %zu, on the "
      "batch of articles %zu.. ***\n",
      presearch.size(), brute.size(), first_article);
  // Both are sorted by search, then article (Match's contract).
  const auto order = [](const MatchPair& x, const MatchPair& y) {
    return x.search != y.search ? x.search < y.search : x.article < y.article;
  };
  const auto show = [&](const char* what, const std::vector<MatchPair>& from,
                        const std::vector<MatchPair>& other) {
    std::vector<MatchPair> only;
    std::set_difference(from.begin(), from.end(), other.begin(), other.end(),
                        std::back_inserter(only), order);
    for (size_t i = 0; i < only.size() && i < 5; ++i) {
      std::printf("  only %s: search %zu [%s] x article %s\n", what,
                  only[i].search, searches[only[i].search].query.c_str(),
                  articles[first_article + only[i].article].id.c_str());
    }
    if (only.size() > 5) std::printf("  ... %zu in all\n", only.size());
  };
  show("presearch", presearch, brute);
  show("brute force", brute, presearch);
}

std::optional<std::vector<size_t>> ParseSizes(std::string_view text) {
  std::vector<size_t> sizes;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    size_t value = 0;
    const auto [end, error] =
        std::from_chars(item.data(), item.data() + item.size(), value);
    if (error != std::errc() || end != item.data() + item.size() ||
        value == 0) {
      return std::nullopt;
    }
    sizes.push_back(value);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (sizes.empty()) return std::nullopt;
  return sizes;
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  bool corpus_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--sizes" && has_value) {
      auto sizes = ParseSizes(argv[++i]);
      if (!sizes) return std::nullopt;
      options.sizes = std::move(*sizes);
    } else if (arg == "--runs" && has_value) {
      options.runs = std::atoi(argv[++i]);
      if (options.runs < 1) return std::nullopt;
    } else if (arg == "--brute-seconds" && has_value) {
      char* end = nullptr;
      options.brute_seconds = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(options.brute_seconds >= 0)) return std::nullopt;
    } else if (arg == "--no-archive") {
      options.archive = false;
    } else if (!arg.starts_with("-") && !corpus_given) {
      options.corpus = arg;
      corpus_given = true;
    } else {
      return std::nullopt;
    }
  }
  return options;
}

// Measures one size with one batch size; false on a mismatch.
bool MeasureBatches(const Matcher& matcher, const Batches& batches,
                    size_t batch_size, const Options& options,
                    const std::vector<config::Search>& searches,
                    const std::vector<indexer::Article>& articles, Row& row) {
  row.batch_size = batch_size;
  row.batches = batches.size();
  std::vector<std::vector<MatchPair>> presearch(batches.size());
  std::vector<double> rates;
  size_t matches = 0;
  const Stopwatch all_runs;
  for (int run = 0; run < options.runs &&
                    (run == 0 || all_runs.Seconds() < kPresearchSeconds);
       ++run) {
    const Stopwatch watch;
    for (size_t b = 0; b < batches.size(); ++b) {
      std::vector<MatchPair> pairs =
          matcher.Match(*batches[b], bench::kCorpusNow);
      if (run == 0) {
        matches += pairs.size();
        presearch[b] = std::move(pairs);
      }
    }
    rates.push_back(static_cast<double>(batches.size() * batch_size) /
                    watch.Seconds());
  }
  row.presearch_rate = bench::Median(rates);
  row.matches_per_article = static_cast<double>(matches) /
                            static_cast<double>(batches.size() * batch_size);

  // Brute force: batch after batch (pass after pass, up to --runs) until
  // the budget is spent.
  bool same = true;
  const Stopwatch watch;
  size_t done = 0;
  for (int run = 0; run < options.runs &&
                    (done == 0 || watch.Seconds() < options.brute_seconds);
       ++run) {
    for (size_t b = 0; b < batches.size(); ++b) {
      const std::vector<MatchPair> pairs = matcher.Match(
          *batches[b], bench::kCorpusNow, Matcher::Strategy::kEveryQuery);
      ++done;
      if (run == 0) {
        row.brute_batches = b + 1;
        if (pairs != presearch[b]) {
          ReportMismatch(presearch[b], pairs, searches, articles,
                         b * batch_size);
          same = false;
        }
      }
      if (watch.Seconds() >= options.brute_seconds) break;
    }
  }
  row.brute_rate = static_cast<double>(done * batch_size) / watch.Seconds();
  return same;
}

void PrintRow(const Row& row) {
  std::printf(
      "%9zu %5zu | %7.2f %9.1f %9.1f %8zu | %11.0f %11.0f %7zu/%-3zu | "
      "%8.1fx %9.2f\n",
      row.searches, row.batch_size, row.build_seconds,
      Megabytes(row.stats_bytes),
      static_cast<double>(row.rss_growth) / (1024.0 * 1024.0),
      row.always_verified, row.presearch_rate, row.brute_rate,
      row.brute_batches, row.batches,
      row.brute_rate > 0 ? row.presearch_rate / row.brute_rate : 0.0,
      row.matches_per_article);
}

void PrintHeader() {
  std::printf("\n%9s %5s | %7s %9s %9s %8s | %11s %11s %11s | %9s %9s\n",
              "searches", "batch", "build s", "stats MB", "RSS+ MB", "always",
              "presearch", "brute", "brute on", "speed-up", "matches");
  std::printf("%9s %5s | %7s %9s %9s %8s | %11s %11s %11s | %9s %9s\n", "", "",
              "", "", "", "verified", "articles/s", "articles/s", "batches", "",
              "/article");
}

}  // namespace

int main(int argc, char** argv) {
  // Lines as they come, also into a pipe or a file (./dev bench | tee).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "usage: match_bench [--sizes N,N,...] [--runs N] "
                 "[--brute-seconds S] [--no-archive] [CORPUS_DIR]\n");
    return 2;
  }
  std::printf(
      "match_bench: the presearcher beside brute force (every search "
      "verified), same batches, same run, one thread\n");
  bench::PrintMachine();
  std::string why_not;
  const std::optional<bench::NewsCorpus> corpus =
      bench::NewsCorpus::Load(options->corpus, &why_not);
  if (!corpus) {
    std::printf("skipped: %s\n", why_not.c_str());
    return 0;
  }

  // The articles, analysed once per batch size.
  const std::vector<bench::BenchFeed> feeds =
      bench::MakeFeeds(*corpus, corpus->outlets().size(), true);
  const bench::ArticleGenerator generator(*corpus, feeds, {}, kArticleSeed);
  std::vector<indexer::Article> articles;
  size_t text_bytes = 0;
  for (size_t i = 0; i < kArticles; ++i) {
    articles.push_back(generator.Make(i));
    text_bytes += articles.back().title.size() + articles.back().text.size();
  }
  std::printf(
      "articles: %zu (%zu real ones topped up with real sentences, the rest "
      "made of real titles and sentences), %.0f bytes of title and text on "
      "average, %zu feeds\n",
      articles.size(), std::min(corpus->articles().size(), articles.size()),
      static_cast<double>(text_bytes) / static_cast<double>(articles.size()),
      feeds.size());
  std::vector<Batches> batches_by_size;
  for (const size_t batch_size : kBatchSizes) {
    Batches batches;
    const Stopwatch watch;
    for (size_t first = 0; first < articles.size(); first += batch_size) {
      batches.push_back(indexer::AnalyseArticles(
          {articles.begin() + static_cast<std::ptrdiff_t>(first),
           articles.begin() + static_cast<std::ptrdiff_t>(first + batch_size)},
          static_cast<long long>(batches.size() + 1)));
    }
    std::printf(
        "analysis into batches of %zu (AnalyseArticles: the index's terms "
        "and positions, no commit): %.0f articles/s\n",
        batch_size, static_cast<double>(articles.size()) / watch.Seconds());
    batches_by_size.push_back(std::move(batches));
  }

  // The searches: one stream, each size its first N.
  size_t largest = 0;
  for (const size_t size : options->sizes) largest = std::max(largest, size);
  std::vector<bench::RareWord> rare_words = bench::InstalledRareWords(*corpus);
  bench::SavedSearchGenerator searches_from(*corpus, bench::MaterialOf(feeds),
                                            kSearchSeed, std::move(rare_words));
  const Stopwatch generating;
  const std::vector<config::Search> all_searches = searches_from.Make(largest);
  std::printf("searches: %zu generated in %.1f s; %s\n", all_searches.size(),
              generating.Seconds(), searches_from.Describe().c_str());
  if (searches_from.rejected() > 0) {
    std::printf(
        "searches: %zu drawn queries did not parse and were replaced, e.g. "
        "[%s]\n",
        searches_from.rejected(), searches_from.first_rejected().c_str());
  }
  for (size_t i = 0; i < 4 && i < all_searches.size(); ++i) {
    std::printf("  e.g. %s\n", all_searches[i].query.c_str());
  }

  // The archive the matchers learn the terms' rarity from.
  const testing::TempDir scratch;
  std::unique_ptr<indexer::Index> archive;
  if (options->archive) {
    const Stopwatch writing;
    auto built = bench::BuildReferenceArchive(*corpus, scratch.path() / "index",
                                              kArchiveSeed);
    if (!built.ok()) {
      std::printf("cannot build the reference archive: %s\n",
                  built.error().ToString().c_str());
      return 1;
    }
    archive = std::move(built).value();
    std::printf(
        "matchers: built with a reference archive of %zu other articles "
        "(written in %.1f s) to file searches under their rarest terms\n",
        bench::kReferenceArticles, writing.Seconds());
  } else {
    std::printf(
        "matchers: built without an archive (--no-archive): word "
        "length stands in for rarity\n");
  }

  // The floor: what a batch costs whatever the searches (reading the
  // documents' terms), with a single search.
  if (!all_searches.empty()) {
    auto one = Matcher::Create({all_searches.front()}, archive.get());
    if (one.ok()) {
      for (size_t i = 0; i < std::size(kBatchSizes); ++i) {
        std::vector<double> rates;
        for (int run = 0; run < options->runs; ++run) {
          const Stopwatch watch;
          for (const auto& batch : batches_by_size[i]) {
            (void)one.value().Match(*batch, bench::kCorpusNow);
          }
          rates.push_back(static_cast<double>(articles.size()) /
                          watch.Seconds());
        }
        std::printf("floor: 1 search, batches of %zu: %.0f articles/s\n",
                    kBatchSizes[i], bench::Median(rates));
      }
    }
  }

  std::vector<Row> rows;
  bool same = true;
  for (const size_t size : options->sizes) {
    const std::vector<config::Search> searches(
        all_searches.begin(),
        all_searches.begin() + static_cast<std::ptrdiff_t>(size));
    malloc_trim(0);
    const size_t resident_before = bench::ResidentBytes();
    const Stopwatch building;
    config::Result<Matcher> matcher = Matcher::Create(searches, archive.get());
    const double build_seconds = building.Seconds();
    if (!matcher.ok()) {
      std::printf("Matcher::Create with %zu searches failed: %s\n", size,
                  matcher.error().ToString().c_str());
      return 1;
    }
    malloc_trim(0);
    const size_t resident_after = bench::ResidentBytes();
    const indexer::MatcherStats stats = matcher.value().Stats();
    std::printf(
        "\n%zu searches: built in %.2f s; Stats: %zu distinct terms, "
        "%.1f MB, %zu always verified; RSS grew %.1f MB\n",
        size, build_seconds, stats.distinct_terms,
        Megabytes(stats.memory_bytes), stats.always_verified,
        (static_cast<double>(resident_after) -
         static_cast<double>(resident_before)) /
            (1024.0 * 1024.0));
    for (size_t i = 0; i < std::size(kBatchSizes); ++i) {
      Row row;
      row.searches = size;
      row.build_seconds = build_seconds;
      row.stats_bytes = stats.memory_bytes;
      row.rss_growth = static_cast<long long>(resident_after) -
                       static_cast<long long>(resident_before);
      row.always_verified = stats.always_verified;
      same = MeasureBatches(matcher.value(), batches_by_size[i], kBatchSizes[i],
                            *options, searches, articles, row) &&
             same;
      std::printf(
          "  batches of %zu: presearch %.0f articles/s, brute force %.0f "
          "(%zu batches), speed-up %.1fx, %.2f matches per article\n",
          row.batch_size, row.presearch_rate, row.brute_rate, row.brute_batches,
          row.presearch_rate / row.brute_rate, row.matches_per_article);
      rows.push_back(row);
    }
  }

  PrintHeader();
  for (const Row& row : rows) PrintRow(row);
  std::printf(
      "(stats MB: Matcher::Stats().memory_bytes; RSS+ MB: resident memory "
      "growth while building; presearch: median of up to %d passes over all "
      "%zu "
      "articles; brute: every search verified, on the batches that fit in "
      "%.0f s)\n",
      options->runs, articles.size(), options->brute_seconds);
  std::printf("peak resident memory of the process: %.0f MB\n",
              Megabytes(bench::PeakResidentBytes()));

  std::printf("\ntargets:\n");
  for (const Row& row : rows) {
    if (row.searches == 100'000) {
      std::printf(
          "  100k searches, batches of %zu: at least %.0f "
          "articles/s: %s (%.0f)\n",
          row.batch_size, kTargetAt100k,
          row.presearch_rate >= kTargetAt100k ? "met" : "NOT MET",
          row.presearch_rate);
    }
    if (row.searches == 1'000'000) {
      std::printf(
          "  1M searches, batches of %zu: at least %.0f articles/s: "
          "%s (%.0f)\n",
          row.batch_size, kTargetAt1M,
          row.presearch_rate >= kTargetAt1M ? "met" : "NOT MET",
          row.presearch_rate);
    }
  }
  for (const Row& row : rows) {
    if (row.searches == 1'000'000 && row.batch_size == kBatchSizes[0]) {
      const double megabytes =
          std::max(Megabytes(row.stats_bytes),
                   static_cast<double>(row.rss_growth) / (1024.0 * 1024.0));
      std::printf(
          "  1M searches: matcher memory under %.0f MB: %s (%.0f MB, "
          "the larger of Stats and RSS growth)\n",
          kMaxMegabytesAt1M, megabytes < kMaxMegabytesAt1M ? "met" : "NOT MET",
          megabytes);
    }
  }
  if (!same) {
    std::printf(
        "\n*** the strategies gave different pairs: see MISMATCH "
        "above ***\n");
    return 1;
  }
  std::printf(
      "presearch and brute force gave the same pairs on every batch "
      "both ran\n");
  return 0;
}
