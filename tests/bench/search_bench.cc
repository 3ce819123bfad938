// search_bench: the latency of `newswatch search` (Index::Search: limit 20,
// relevance order, snippets and matched terms, as the CLI asks) on an
// archive of 200,000 articles, for a mix of term, AND, phrase, field and
// date queries; beside it, the same queries through Xapian's own `quest`
// on the same database, as a reference.
//
// The archive: articles of about 2 KB made from the real news of
// ../shared/corpora/realworld-news (news_corpus.h), published over the two
// years before the corpus was captured, in 50 feeds (the 23 real outlets and
// sections of them) on the outlets' sites, all in English (en, en-gb, en-us,
// en-au, as the real feeds say); written through Index::WriteBatch, 5,000
// articles a commit. It is built once and kept under the build directory
// (bench-cache/), and rebuilt when it is missing, has the wrong number of
// articles, was made by another version of this bench, or no longer answers
// a probe of known articles as it should (an index format change).
//
// The queries (--queries, default 500, a fifth of each kind), drawn from the
// real vocabulary as the saved searches are (synthetic_searches.h):
//   term     one word                        sanctions
//   and      2-3 words of one real sentence  jackson civil rights
//   phrase   two words the news writes so    "white house"
//   field    title:, feed:, site: with a word   title:ukraine ceasefire
//   date     a word within published:<month>, published:<day> or since:30d
// Each runs once to warm up, then --passes times (default 3); the figures
// are p50, p99 and max of all measured runs, per kind and overall.
//
// quest (Debian's xapian-tools) runs the same queries, translated to its
// syntax (AND as the default operator, the index's term prefixes for the
// fields), one process per query, as a user would from a shell: its times
// include process start-up and opening the database, which the bench
// measures and prints on their own. quest has no option for value ranges,
// so the date queries are not run through it. Skipped when quest is absent.
//
// Targets (issue 5): p50 under 5 ms, p99 under 50 ms, overall.
//
// usage: search_bench [--articles N] [--queries N] [--passes N] [--rebuild]
//                     [--no-quest] [CORPUS_DIR]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/index.h"
#include "indexer/query.h"
#include "tests/bench/measure.h"
#include "tests/bench/news_corpus.h"
#include "tests/bench/synthetic_searches.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace newswatch;
using bench::Stopwatch;

namespace {

constexpr size_t kDefaultArticles = 200'000;
constexpr size_t kArticlesPerCommit = 5'000;
constexpr size_t kFeeds = 50;
constexpr std::int64_t kArchiveSpanSeconds = 2 * 365 * 24 * 60 * 60;
constexpr std::uint64_t kArticleSeed = 20240218;
constexpr std::uint64_t kQuerySeed = 77;
constexpr size_t kLimit = 20;  // The CLI's default.
constexpr double kTargetP50Ms = 5;
constexpr double kTargetP99Ms = 50;
// Changes when what the archive holds changes (the generator, its seeds),
// so that an archive made by an older bench is rebuilt.
constexpr int kArchiveFormat = 1;

// The term prefixes quest needs to read newswatch's fields, as
// indexer/article_document.h defines them. quest maps "title:" to them
// (free-text prefix) and "feed:", "site:" to boolean filters.
constexpr std::string_view kQuestTitlePrefix = "S";
constexpr std::string_view kQuestFeedPrefix = "XF";
constexpr std::string_view kQuestSitePrefix = "XS";

enum class Kind { kTerm, kAnd, kPhrase, kField, kDate };
constexpr Kind kKinds[] = {Kind::kTerm, Kind::kAnd, Kind::kPhrase, Kind::kField,
                           Kind::kDate};

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kTerm:
      return "term";
    case Kind::kAnd:
      return "and";
    case Kind::kPhrase:
      return "phrase";
    case Kind::kField:
      return "field";
    case Kind::kDate:
      return "date";
  }
  return "?";
}

struct Options {
  size_t articles = kDefaultArticles;
  size_t queries = 500;
  int passes = 3;
  bool rebuild = false;
  bool quest = true;
  fs::path corpus =
      fs::path(NEWSWATCH_SOURCE_DIR) / "../shared/corpora/realworld-news";
};

struct BenchQuery {
  Kind kind = Kind::kTerm;
  std::string text;  // newswatch's query language.
  indexer::QueryNode tree;
  std::string quest;  // quest's syntax; empty: not run through quest.
};

// "2025-06-01" for a Unix time.
std::string Day(std::int64_t seconds) {
  const std::time_t time = seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &utc);
  return day;
}

// --- The archive ------------------------------------------------------------

bench::ArticleGenerator ArchiveGenerator(const bench::NewsCorpus& corpus) {
  bench::ArticleShape shape;
  shape.newest = bench::kCorpusNow;
  shape.span_seconds = kArchiveSpanSeconds;
  return bench::ArticleGenerator(
      corpus, bench::MakeFeeds(corpus, kFeeds, /*outlets_first=*/true), shape,
      kArticleSeed);
}

std::string StampOf(size_t articles) {
  return "search_bench archive format " + std::to_string(kArchiveFormat) +
         ", " + std::to_string(articles) + " articles, seed " +
         std::to_string(kArticleSeed) + "\n";
}

// Whether the archive answers as the generator says it should: a few of its
// articles are there, unchanged, and a query naming each one's title words,
// feed, site and day finds it. False also when a search fails.
bool ProbeAnswers(indexer::Index& index,
                  const bench::ArticleGenerator& generator, size_t articles,
                  std::string* why_not) {
  for (const size_t number : {size_t{0}, articles / 3, articles - 1}) {
    const indexer::Article expected = generator.Make(number);
    auto found = index.Find(expected.id);
    if (!found.ok() || !found.value() ||
        found.value()->title != expected.title ||
        found.value()->text != expected.text) {
      *why_not = "article " + expected.id + " is missing or differs";
      return false;
    }
    std::string title_words;
    bench::ForEachWord(expected.title, [&](std::string_view word, bool) {
      if (title_words.size() < 20) {
        title_words += " title:" + bench::LowerAscii(word);
      }
    });
    std::string site = bench::NewsCorpus::HostOf(expected.link);
    if (site.starts_with("www.")) site.erase(0, 4);
    const std::string query = title_words + " feed:\"" + expected.feed_name +
                              "\" site:" + site +
                              " published:" + Day(expected.published);
    auto tree = indexer::ParseQuery(query);
    if (!tree.ok()) {
      *why_not =
          "the probe [" + query + "] does not parse: " + tree.error().what;
      return false;
    }
    indexer::SearchOptions options;
    options.limit = 1000;
    options.now = bench::kCorpusNow;
    auto hits = index.Search(tree.value(), options);
    if (!hits.ok()) {
      *why_not = "the probe [" + query + "] failed: " + hits.error().ToString();
      return false;
    }
    const bool hit = std::any_of(hits.value().begin(), hits.value().end(),
                                 [&](const indexer::SearchHit& h) {
                                   return h.article.id == expected.id;
                                 });
    if (!hit) {
      *why_not = "the probe [" + query + "] does not find " + expected.id;
      return false;
    }
  }
  return true;
}

// Builds the archive at `directory` (removing whatever is there).
bool BuildArchive(const fs::path& directory,
                  const bench::ArticleGenerator& generator, size_t articles) {
  fs::remove_all(directory);
  fs::create_directories(directory.parent_path());
  auto index = indexer::Index::OpenWritable(directory);
  if (!index.ok()) {
    std::printf("cannot create %s: %s\n", directory.c_str(),
                index.error().ToString().c_str());
    return false;
  }
  std::printf("archive: building %zu articles at %s\n", articles,
              directory.c_str());
  std::fflush(stdout);
  const Stopwatch watch;
  const double cpu_start = bench::ProcessCpuSeconds();
  size_t bytes = 0;
  for (size_t first = 0; first < articles; first += kArticlesPerCommit) {
    std::vector<indexer::Article> batch;
    for (size_t n = first; n < std::min(articles, first + kArticlesPerCommit);
         ++n) {
      batch.push_back(generator.Make(n));
      bytes += batch.back().title.size() + batch.back().text.size();
    }
    const auto batch_id =
        static_cast<long long>(first / kArticlesPerCommit + 1);
    if (config::Status written = index.value()->WriteBatch(batch_id, batch);
        !written.ok()) {
      std::printf("WriteBatch failed: %s\n",
                  written.error().ToString().c_str());
      return false;
    }
    const size_t done = std::min(articles, first + kArticlesPerCommit);
    if (done % 20'000 == 0 || done == articles) {
      std::printf("  %zu articles, %.0f s, %.0f articles/s\n", done,
                  watch.Seconds(), static_cast<double>(done) / watch.Seconds());
      std::fflush(stdout);
    }
  }
  std::printf(
      "archive: %zu articles (%.0f MB of title and text) in %.0f s, %.0f "
      "articles/s (CPU %.0f s)\n",
      articles, static_cast<double>(bytes) / 1e6, watch.Seconds(),
      static_cast<double>(articles) / watch.Seconds(),
      bench::ProcessCpuSeconds() - cpu_start);
  return true;
}

size_t DirectoryBytes(const fs::path& directory) {
  size_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// The archive, reused from the cache when it is the right one; nullopt when
// it cannot be built.
std::optional<fs::path> PrepareArchive(const bench::ArticleGenerator& generator,
                                       const Options& options) {
  const fs::path cache = NEWSWATCH_BENCH_CACHE;
  const fs::path directory =
      cache / ("search-archive-" + std::to_string(options.articles));
  const fs::path stamp_file =
      cache / ("search-archive-" + std::to_string(options.articles) + ".stamp");
  const std::string stamp = StampOf(options.articles);
  std::string why_rebuild = "--rebuild";
  if (!options.rebuild) {
    std::ifstream in(stamp_file);
    const std::string found(std::istreambuf_iterator<char>(in), {});
    auto index = indexer::Index::OpenReadOnly(directory);
    if (found != stamp) {
      why_rebuild = found.empty() ? "none cached" : "made by another version";
    } else if (!index.ok()) {
      why_rebuild = "it does not open: " + index.error().ToString();
    } else if (index.value()->ArticleCount() != options.articles) {
      why_rebuild = "it holds " +
                    std::to_string(index.value()->ArticleCount()) + " articles";
    } else if (!ProbeAnswers(*index.value(), generator, options.articles,
                             &why_rebuild)) {
      why_rebuild = "the probe failed: " + why_rebuild;
    } else {
      std::printf("archive: %s, cached (%.0f MB; --rebuild to make anew)\n",
                  directory.c_str(),
                  bench::Megabytes(DirectoryBytes(directory)));
      return directory;
    }
  }
  std::printf("archive: rebuilding (%s)\n", why_rebuild.c_str());
  fs::remove(stamp_file);
  if (!BuildArchive(directory, generator, options.articles))
    return std::nullopt;
  auto index = indexer::Index::OpenReadOnly(directory);
  std::string why_not;
  if (!index.ok() ||
      !ProbeAnswers(*index.value(), generator, options.articles, &why_not)) {
    // Kept all the same: the latencies still mean something, but say it.
    std::printf(
        "archive: *** a freshly built archive fails the probe (%s): the "
        "searches below may not answer as they should ***\n",
        index.ok() ? why_not.c_str() : index.error().ToString().c_str());
  }
  std::ofstream(stamp_file) << stamp;
  std::printf("archive: %.0f MB on disk\n",
              bench::Megabytes(DirectoryBytes(directory)));
  return directory;
}

// --- The queries ------------------------------------------------------------

// quest's rendering of a query of plain words, phrases and title:, feed:,
// site: fields (which is all the non-date kinds hold); AND is its default
// operator there.
std::string QuestQuery(const std::string& text) {
  std::string quest;
  size_t at = 0;
  while (at < text.size()) {
    if (text.compare(at, 6, "feed:\"") == 0) {
      // quest's boolean prefixes take a quoted value whole, which must be
      // the feed term's own form.
      const size_t end = text.find('"', at + 6);
      quest += "feed:\"" +
               indexer::NormaliseFieldValue(indexer::QueryField::kFeed,
                                            text.substr(at + 6, end - at - 6)) +
               "\"";
      at = end + 1;
    } else {
      quest += text[at++];
    }
  }
  return quest;
}

std::vector<BenchQuery> MakeQueries(const bench::NewsCorpus& corpus,
                                    const std::vector<bench::BenchFeed>& feeds,
                                    size_t count, size_t* rejected) {
  const bench::SearchMaterial material = bench::MaterialOf(feeds);
  bench::SavedSearchGenerator words(corpus, material, kQuerySeed);
  bench::Random random(kQuerySeed);
  std::vector<BenchQuery> queries;
  for (size_t i = 0; i < count; ++i) {
    BenchQuery query;
    query.kind = kKinds[i % std::size(kKinds)];
    const size_t variant = (i / std::size(kKinds)) % 3;
    std::string word = words.Word();
    switch (query.kind) {
      case Kind::kTerm:
        query.text = word;
        break;
      case Kind::kAnd: {
        std::vector<std::string> parts =
            words.WordsOfOneSentence(2 + random.Below(2));
        while (parts.size() < 2) parts.push_back(words.Word());
        for (const std::string& part : parts) {
          query.text += (query.text.empty() ? "" : " ") + part;
        }
        break;
      }
      case Kind::kPhrase:
        query.text = "\"" + words.Bigram() + "\"";
        break;
      case Kind::kField:
        if (variant == 0) {
          query.text = "title:" + word + " " + words.Word();
        } else if (variant == 1) {
          query.text =
              "feed:\"" +
              material.feed_names[random.Below(material.feed_names.size())] +
              "\" " + word;
        } else {
          query.text =
              "site:" + material.sites[random.Below(material.sites.size())] +
              " " + word;
        }
        break;
      case Kind::kDate: {
        const std::int64_t day =
            bench::kCorpusNow -
            static_cast<std::int64_t>(random.Below(kArchiveSpanSeconds));
        if (variant == 0) {
          query.text = word + " published:" + Day(day) + ".." +
                       Day(day + 30 * 24 * 60 * 60);
        } else if (variant == 1) {
          query.text = word + " published:" + Day(day);
        } else {
          query.text = word + " since:30d";
        }
        break;
      }
    }
    auto tree = indexer::ParseQuery(query.text);
    if (!tree.ok()) {
      if ((*rejected)++ == 0) {
        std::printf("queries: [%s] does not parse: %s\n", query.text.c_str(),
                    tree.error().what.c_str());
      }
      continue;
    }
    query.tree = std::move(tree).value();
    if (query.kind != Kind::kDate) query.quest = QuestQuery(query.text);
    queries.push_back(std::move(query));
  }
  return queries;
}

// --- Measuring
// ----------------------------------------------------------------

struct Latencies {
  std::map<Kind, std::vector<double>> by_kind;  // Milliseconds.
  std::vector<double> all;
  std::map<Kind, size_t> empty;  // Queries (first pass) without a hit.
  std::map<Kind, size_t> queries;

  void Add(Kind kind, double milliseconds) {
    by_kind[kind].push_back(milliseconds);
    all.push_back(milliseconds);
  }
};

void PrintLatencies(const char* who, const Latencies& latencies) {
  std::printf("\n%-9s %7s %7s %9s %9s %9s %9s\n", who, "queries", "runs",
              "p50 ms", "p99 ms", "max ms", "no hits");
  for (const Kind kind : kKinds) {
    const auto found = latencies.by_kind.find(kind);
    if (found == latencies.by_kind.end()) {
      std::printf("%-9s %7s %7s %9s %9s %9s %9s\n", KindName(kind), "-", "-",
                  "-", "-", "-", "-");
      continue;
    }
    const std::vector<double>& values = found->second;
    std::printf("%-9s %7zu %7zu %9.2f %9.2f %9.2f %9zu\n", KindName(kind),
                latencies.queries.at(kind), values.size(),
                bench::Median(values), bench::Quantile(values, 0.99),
                bench::Max(values),
                latencies.empty.count(kind) > 0 ? latencies.empty.at(kind) : 0);
  }
  size_t queries = 0;
  size_t empty = 0;
  for (const auto& [kind, n] : latencies.queries) queries += n;
  for (const auto& [kind, n] : latencies.empty) empty += n;
  std::printf("%-9s %7zu %7zu %9.2f %9.2f %9.2f %9zu\n", "all", queries,
              latencies.all.size(), bench::Median(latencies.all),
              bench::Quantile(latencies.all, 0.99), bench::Max(latencies.all),
              empty);
}

// One quest process: its wall time (spawn to exit) and what it printed.
struct QuestRun {
  bool ok = false;
  double seconds = 0;
  std::string out;
};

QuestRun RunQuest(const fs::path& quest, const fs::path& database,
                  const std::string& query) {
  std::vector<std::string> arguments = {
      quest.string(),
      "--db=" + database.string(),
      "--msize=" + std::to_string(kLimit),
      "--default-op=and",
      "--prefix=title:" + std::string(kQuestTitlePrefix),
      "--boolean-prefix=feed:" + std::string(kQuestFeedPrefix),
      "--boolean-prefix=site:" + std::string(kQuestSitePrefix),
      query};
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int pipe_ends[2];
  QuestRun run;
  if (pipe(pipe_ends) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  const Stopwatch watch;
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  if (spawned == 0) {
    char buffer[65536];
    for (ssize_t n; (n = read(pipe_ends[0], buffer, sizeof buffer)) > 0;) {
      run.out.append(buffer, static_cast<size_t>(n));
    }
  }
  close(pipe_ends[0]);
  if (spawned != 0) return run;
  int status = 0;
  waitpid(pid, &status, 0);
  run.seconds = watch.Seconds();
  run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return run;
}

// quest prints "Exactly N matches", "About N matches" or "Between N and M
// matches"; true when it says none at all.
bool QuestFoundNothing(const std::string& out) {
  return out.find("Exactly 0 matches") != std::string::npos ||
         out.find("MSet:\n") == std::string::npos ||
         out.substr(out.find("MSet:\n") + 6).empty();
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  bool corpus_given = false;
  const auto number = [](const char* text, size_t* value) {
    const std::string_view view = text;
    const auto [end, error] =
        std::from_chars(view.data(), view.data() + view.size(), *value);
    return error == std::errc() && end == view.data() + view.size() &&
           *value > 0;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    size_t value = 0;
    if (arg == "--articles" && has_value && number(argv[++i], &value)) {
      options.articles = value;
    } else if (arg == "--queries" && has_value && number(argv[++i], &value)) {
      options.queries = value;
    } else if (arg == "--passes" && has_value && number(argv[++i], &value)) {
      options.passes = static_cast<int>(value);
    } else if (arg == "--rebuild") {
      options.rebuild = true;
    } else if (arg == "--no-quest") {
      options.quest = false;
    } else if (!arg.starts_with("-") && !corpus_given) {
      options.corpus = arg;
      corpus_given = true;
    } else {
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  // Lines as they come, also into a pipe or a file (./dev bench | tee).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "usage: search_bench [--articles N] [--queries N] "
                 "[--passes N] [--rebuild] [--no-quest] [CORPUS_DIR]\n");
    return 2;
  }
  std::printf(
      "search_bench: Index::Search on a %zu-article archive (limit %zu, "
      "snippets), beside quest on the same database\n",
      options->articles, kLimit);
  bench::PrintMachine();
  std::string why_not;
  const std::optional<bench::NewsCorpus> corpus =
      bench::NewsCorpus::Load(options->corpus, &why_not);
  if (!corpus) {
    std::printf("skipped: %s\n", why_not.c_str());
    return 0;
  }
  const bench::ArticleGenerator generator = ArchiveGenerator(*corpus);
  const std::optional<fs::path> archive = PrepareArchive(generator, *options);
  if (!archive) return 1;

  size_t rejected = 0;
  const std::vector<BenchQuery> queries =
      MakeQueries(*corpus, generator.feeds(), options->queries, &rejected);
  std::printf("queries: %zu (%zu did not parse and were left out), e.g.:\n",
              queries.size(), rejected);
  for (size_t i = 0; i < std::size(kKinds) * 2 && i < queries.size(); ++i) {
    std::printf("  %-6s %s\n", KindName(queries[i].kind),
                queries[i].text.c_str());
  }

  auto index = indexer::Index::OpenReadOnly(*archive);
  if (!index.ok()) {
    std::printf("%s\n", index.error().ToString().c_str());
    return 1;
  }
  indexer::SearchOptions search_options;
  search_options.limit = kLimit;
  search_options.now = bench::kCorpusNow;
  Latencies ours;
  size_t hits = 0;
  for (int pass = 0; pass <= options->passes; ++pass) {
    for (const BenchQuery& query : queries) {
      const Stopwatch watch;
      auto found = index.value()->Search(query.tree, search_options);
      const double milliseconds = watch.Seconds() * 1e3;
      if (!found.ok()) {
        std::printf("search [%s] failed: %s\n", query.text.c_str(),
                    found.error().ToString().c_str());
        return 1;
      }
      if (pass == 0) {  // The warm-up pass: counted, not timed.
        ++ours.queries[query.kind];
        hits += found.value().size();
        if (found.value().empty()) ++ours.empty[query.kind];
        continue;
      }
      ours.Add(query.kind, milliseconds);
    }
  }
  std::printf(
      "newswatch: %d timed passes after a warm-up, %.1f hits per "
      "query\n",
      options->passes,
      static_cast<double>(hits) / static_cast<double>(queries.size()));
  PrintLatencies("newswatch", ours);

  std::optional<fs::path> quest;
  if (!options->quest) {
    std::printf("\nquest: skipped (--no-quest)\n");
  } else if (quest = bench::FindOnPath("quest"); !quest) {
    std::printf(
        "\nquest: not installed, reference skipped (Debian package "
        "xapian-tools)\n");
  }
  std::optional<Latencies> theirs;
  if (quest) {
    std::vector<double> startup;
    theirs.emplace();
    size_t failed = 0;
    for (int pass = 0; pass < 2; ++pass) {
      for (const BenchQuery& query : queries) {
        if (query.quest.empty()) continue;
        const QuestRun run = RunQuest(*quest, *archive, query.quest);
        if (!run.ok) {
          if (pass == 0 && failed++ == 0) {
            std::printf("quest failed on [%s]\n", query.quest.c_str());
          }
          continue;
        }
        if (pass == 0) {  // Warm-up, and the hit counts.
          ++theirs->queries[query.kind];
          if (QuestFoundNothing(run.out)) ++theirs->empty[query.kind];
          continue;
        }
        theirs->Add(query.kind, run.seconds * 1e3);
      }
      if (pass == 0) {
        // The cost of a process that finds nothing, once the database is in
        // the page cache as for the queries.
        for (int i = 0; i < 20; ++i) {
          startup.push_back(RunQuest(*quest, *archive, "zzqxjv").seconds * 1e3);
        }
      }
    }
    std::printf(
        "\nquest: one process per query (after a warm-up pass), its start-up "
        "and database opening included: a query that matches nothing takes "
        "%.2f ms (median); %zu queries failed; date queries not run (quest "
        "has no value ranges)\n",
        bench::Median(startup), failed);
    PrintLatencies("quest", *theirs);
  }

  const double p50 = bench::Median(ours.all);
  const double p99 = bench::Quantile(ours.all, 0.99);
  std::printf(
      "\ntargets:\n  p50 under %.0f ms: %s (%.2f ms)\n  p99 under "
      "%.0f ms: %s (%.2f ms)\n",
      kTargetP50Ms, p50 < kTargetP50Ms ? "met" : "NOT MET", p50, kTargetP99Ms,
      p99 < kTargetP99Ms ? "met" : "NOT MET", p99);
  if (theirs && !theirs->all.empty()) {
    // The same queries on both sides: all but the date ones.
    std::vector<double> comparable;
    for (const auto& [kind, values] : ours.by_kind) {
      if (kind != Kind::kDate) {
        comparable.insert(comparable.end(), values.begin(), values.end());
      }
    }
    std::printf(
        "  beside quest, the same queries (all but date): newswatch p50 %.2f "
        "ms, p99 %.2f ms; quest (a process each) p50 %.2f ms, p99 %.2f ms\n",
        bench::Median(comparable), bench::Quantile(comparable, 0.99),
        bench::Median(theirs->all), bench::Quantile(theirs->all, 0.99));
  }
  return 0;
}
