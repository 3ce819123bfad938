// pipeline_bench: the cost of the pipeline's stages on real news feeds
// (../shared/corpora/realworld-news), each against a baseline measured in the
// same run, since these machines are shared and noisy: ratios and medians,
// not absolute times.
//
//   parse:  ParseFeed on every feed  vs  pugixml's bare XML parse of the bytes
//   index:  Index::WriteBatch (positions, stems, one commit per feed)
//           vs  the same text through Xapian's TermGenerator alone
//   match:  MatchBatch with 1,000 saved searches  vs  with 1 search
//
// usage: pipeline_bench [CORPUS_DIR]
#include <sys/utsname.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "indexer/feed_parser.h"
#include "indexer/index.h"
#include "indexer/matcher.h"

namespace fs = std::filesystem;
using namespace newswatch;

namespace {

constexpr int kRepetitions = 5;

double MedianSeconds(int repetitions, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void PrintMachine() {
  utsname machine{};
  uname(&machine);
  std::printf("machine: %s %s, %ld cores\n", machine.sysname, machine.machine,
              sysconf(_SC_NPROCESSORS_ONLN));
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path corpus =
      argc > 1 ? fs::path(argv[1])
               : fs::path(NEWSWATCH_SOURCE_DIR) /
                     "../shared/corpora/realworld-news/benchmark_data";
  if (!fs::is_directory(corpus)) {
    std::printf("skipped: no corpus at %s\n", corpus.string().c_str());
    return 0;
  }
  std::vector<std::string> bodies;
  size_t total_bytes = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    bodies.push_back(ReadAll(entry.path()));
    total_bytes += bodies.back().size();
  }
  PrintMachine();
  std::printf("corpus: %zu feeds, %.1f MB\n", bodies.size(),
              static_cast<double>(total_bytes) / 1e6);

  // Parse.
  std::vector<std::vector<indexer::Article>> batches;
  const double parse = MedianSeconds(kRepetitions, [&] {
    batches.clear();
    for (size_t i = 0; i < bodies.size(); ++i) {
      auto parsed = indexer::ParseFeed(
          bodies[i], {"https://bench.example/" + std::to_string(i), "bench"},
          1763890200);
      if (parsed.ok()) batches.push_back(std::move(parsed.value().articles));
    }
  });
  const double xml_only = MedianSeconds(kRepetitions, [&] {
    for (const std::string& body : bodies) {
      pugi::xml_document document;
      document.load_buffer(body.data(), body.size());
    }
  });
  size_t articles = 0;
  for (const auto& batch : batches) articles += batch.size();
  std::printf(
      "parse: %zu articles, median %.1f ms (%.1f MB/s); bare XML parse "
      "%.1f ms; ratio %.2fx\n",
      articles, parse * 1e3, static_cast<double>(total_bytes) / parse / 1e6,
      xml_only * 1e3, parse / xml_only);

  // Index.
  const fs::path scratch = fs::temp_directory_path() /
                           ("newswatch-bench-" + std::to_string(getpid()));
  int run = 0;
  const double index = MedianSeconds(3, [&] {
    const fs::path directory = scratch / std::to_string(run++);
    auto opened = indexer::Index::OpenWritable(directory);
    long long batch_id = 1;
    for (const auto& batch : batches) {
      if (!opened.value()->WriteBatch(batch_id++, batch).ok()) std::abort();
    }
  });
  const double tokenise = MedianSeconds(3, [&] {
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    for (const auto& batch : batches) {
      for (const indexer::Article& article : batch) {
        Xapian::Document document;
        generator.set_document(document);
        generator.index_text(article.title);
        generator.index_text(article.text);
      }
    }
  });
  std::printf(
      "index: median %.1f ms (%.0f articles/s, one commit per feed); "
      "tokenising alone %.1f ms; ratio %.2fx\n",
      index * 1e3, static_cast<double>(articles) / index, tokenise * 1e3,
      index / tokenise);

  // Match: saved searches built from words of the articles' titles.
  std::vector<config::Search> searches;
  for (const auto& batch : batches) {
    for (const indexer::Article& article : batch) {
      std::string words;
      size_t taken = 0;
      for (size_t at = 0; at < article.title.size() && taken < 2;) {
        const size_t end = article.title.find(' ', at);
        const std::string word = article.title.substr(
            at, end == std::string::npos ? std::string::npos : end - at);
        if (word.size() > 3 &&
            std::all_of(word.begin(), word.end(),
                        [](unsigned char c) { return std::isalpha(c); })) {
          words += (taken++ ? " " : "") + word;
        }
        if (end == std::string::npos) break;
        at = end + 1;
      }
      if (taken == 2 && searches.size() < 1000) {
        config::Search search;
        search.name = "s" + std::to_string(searches.size());
        search.query = words;
        searches.push_back(std::move(search));
      }
    }
  }
  auto index_for_matching =
      indexer::Index::OpenWritable(scratch / "matching").value();
  long long batch_id = 1;
  for (const auto& batch : batches) {
    if (!index_for_matching->WriteBatch(batch_id++, batch).ok()) std::abort();
  }
  const auto all = indexer::Matcher::Create(searches).value();
  const auto one =
      indexer::Matcher::Create({searches.begin(), searches.begin() + 1})
          .value();
  size_t matches = 0;
  const double match_all = MedianSeconds(kRepetitions, [&] {
    matches = 0;
    for (long long id = 1; id < batch_id; ++id) {
      matches += all.MatchBatch(*index_for_matching, id, 0).value().size();
    }
  });
  const double match_one = MedianSeconds(kRepetitions, [&] {
    for (long long id = 1; id < batch_id; ++id) {
      (void)one.MatchBatch(*index_for_matching, id, 0).value();
    }
  });
  const double per_batch = match_all / static_cast<double>(batch_id - 1);
  std::printf(
      "match: %zu searches x %lld batches, %zu matches, median %.1f ms "
      "(%.2f ms per batch); 1 search %.2f ms; ratio %.0fx\n",
      searches.size(), batch_id - 1, matches, match_all * 1e3, per_batch * 1e3,
      match_one * 1e3, match_all / match_one);
  fs::remove_all(scratch);
  return 0;
}
