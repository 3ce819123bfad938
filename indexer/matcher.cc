#include "indexer/matcher.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "indexer/analysed_batch.h"
#include "indexer/match_chunk.h"
#include "indexer/match_program.h"
#include "indexer/match_snippet.h"
#include "indexer/query_leaves.h"
#include "indexer/query_terms.h"

namespace newswatch::indexer {
namespace {

// Alert snippets are cut to about this many bytes, as search's are.
constexpr size_t kSnippetBytes = 240;

config::Error QueryError(const config::Search& search,
                         const config::Error& parse_error) {
  // The loader records where the query was written; searches built in code
  // have no location and are named instead.
  return config::Error::Fatal(
      search.location.empty() ? "search \"" + search.name + "\""
                              : search.location,
      "the query \"" + search.query + "\" of search \"" + search.name +
          "\" does not parse: " + parse_error.what);
}

}  // namespace

struct Matcher::Compiled {
  MatchPrograms programs;
  // By search, in config order. The query text is kept rather than its
  // tree (a tenth of the memory); a match re-parses it to say which terms
  // took part.
  std::vector<std::string> names;
  std::vector<std::string> queries;
};

Matcher::Matcher(std::unique_ptr<Compiled> compiled)
    : compiled_(std::move(compiled)) {}
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

std::vector<config::Error> Matcher::Validate(
    const std::vector<config::Search>& searches) {
  std::vector<config::Error> errors;
  for (const config::Search& search : searches) {
    config::Result<QueryNode> parsed = ParseQuery(search.query);
    if (!parsed.ok()) errors.push_back(QueryError(search, parsed.error()));
  }
  return errors;
}

config::Result<Matcher> Matcher::Create(
    const std::vector<config::Search>& searches, Index* archive) {
  auto compiled = std::make_unique<Compiled>();
  if (archive) {
    compiled->programs = MatchPrograms([archive](const std::string& term) {
      return archive->TermShare(term);
    });
  }
  // One stemmer per language: constructing one is not free.
  std::map<std::string, Xapian::Stem> stemmers;
  compiled->names.reserve(searches.size());
  compiled->queries.reserve(searches.size());
  for (const config::Search& search : searches) {
    config::Result<QueryNode> parsed = ParseQuery(search.query);
    if (!parsed.ok()) return QueryError(search, parsed.error());
    const std::string language = search.language.empty()
                                     ? LanguageOfQuery(parsed.value())
                                     : search.language;
    auto stemmer = stemmers.find(language);
    if (stemmer == stemmers.end()) {
      stemmer = stemmers.emplace(language, StemmerFor(language)).first;
    }
    compiled->programs.Add(parsed.value(), stemmer->second);
    compiled->names.push_back(search.name);
    compiled->queries.push_back(search.query);
  }
  compiled->programs.FinishAdding();
  return Matcher(std::move(compiled));
}

std::vector<MatchPair> Matcher::Match(const AnalysedBatch& batch,
                                      std::int64_t now,
                                      Strategy strategy) const {
  const MatchPrograms& programs = compiled_->programs;
  std::vector<MatchPair> pairs;
  if (programs.size() == 0 || batch.documents.empty()) return pairs;
  MatchChunk chunk(programs);
  // The candidates of a chunk as a bitmap by search: setting a bit twice is
  // harmless, and reading it in order verifies the searches in the order
  // their programs lie in memory.
  std::vector<std::uint64_t> candidates((programs.size() + 63) / 64, 0);
  auto verify = [&](size_t search, size_t first) {
    for (std::uint64_t matched = chunk.Evaluate(search, now); matched != 0;
         matched &= matched - 1) {
      pairs.push_back(
          {search, first + static_cast<size_t>(__builtin_ctzll(matched))});
    }
  };
  for (size_t first = 0; first < batch.documents.size();
       first += MatchChunk::kMaxArticles) {
    const size_t count =
        std::min(MatchChunk::kMaxArticles, batch.documents.size() - first);
    chunk.Load(batch, first, count);
    if (strategy == Strategy::kEveryQuery) {
      for (size_t search = 0; search < programs.size(); ++search) {
        verify(search, first);
      }
      continue;
    }
    auto add = [&](std::uint32_t search) {
      candidates[search / 64] |= std::uint64_t{1} << (search % 64);
    };
    for (const std::uint32_t search : programs.AlwaysVerified()) add(search);
    for (const std::uint32_t slot : chunk.PresentSlots()) {
      for (const std::uint32_t* search = programs.AnchoredBegin(slot);
           search != programs.AnchoredEnd(slot); ++search) {
        add(*search);
      }
    }
    for (size_t word = 0; word < candidates.size(); ++word) {
      for (std::uint64_t bits = candidates[word]; bits != 0; bits &= bits - 1) {
        verify(word * 64 + static_cast<size_t>(__builtin_ctzll(bits)), first);
      }
      candidates[word] = 0;
    }
  }
  // Chunks come in batch order and searches in order within each: sorting
  // by search keeps each search's articles in batch order.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const MatchPair& a, const MatchPair& b) {
                     return a.search < b.search;
                   });
  return pairs;
}

config::Result<std::vector<SearchMatch>> Matcher::MatchBatch(
    Index& index, long long batch_id, std::int64_t now) const {
  config::Result<std::shared_ptr<const AnalysedBatch>> documents =
      index.DocumentsOfBatch(batch_id);
  if (!documents.ok()) return documents.error();
  std::vector<SearchMatch> matches;
  if (!documents.value()) return matches;
  const AnalysedBatch& batch = *documents.value();
  const std::vector<MatchPair> pairs = Match(batch, now);

  // Which of each matching query's terms took part needs its leaves'
  // results for that one article: each article is loaded once, alone, and
  // its matching searches evaluated again with their leaves recorded.
  std::vector<size_t> by_article(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) by_article[i] = i;
  std::stable_sort(
      by_article.begin(), by_article.end(),
      [&](size_t a, size_t b) { return pairs[a].article < pairs[b].article; });
  matches.resize(pairs.size());
  MatchChunk chunk(compiled_->programs);
  std::vector<std::uint64_t> leaf_masks;
  std::optional<ArticleSnippets> snippets;
  // A search matching several articles of the batch is parsed once. (Its
  // query parsed when the matcher was created, so it parses the same.)
  std::unordered_map<size_t, QueryNode> parsed;
  size_t loaded = batch.articles.size();  // None yet.
  for (const size_t i : by_article) {
    const MatchPair& pair = pairs[i];
    const Article& article = batch.articles[pair.article];
    if (pair.article != loaded) {
      chunk.Load(batch, pair.article, 1);
      snippets.emplace(article, batch.terms[pair.article]);
      loaded = pair.article;
    }
    leaf_masks.clear();
    chunk.Evaluate(pair.search, now, &leaf_masks);
    std::vector<bool> leaf_matched;
    for (const std::uint64_t mask : leaf_masks)
      leaf_matched.push_back(mask & 1);
    auto query = parsed.find(pair.search);
    if (query == parsed.end()) {
      query = parsed
                  .emplace(pair.search,
                           ParseQuery(compiled_->queries[pair.search]).value())
                  .first;
    }
    SearchMatch& match = matches[i];
    match.search_name = compiled_->names[pair.search];
    match.hit.article = article;
    match.hit.matched_terms = MatchedTermsOf(query->second, leaf_matched);
    const std::vector<const QueryNode*> leaves = LeavesOf(query->second);
    std::vector<std::string> words;
    for (const size_t leaf : LeavesTakingPart(query->second, leaf_matched)) {
      for (std::string& word : snippets->WordsMatching(*leaves[leaf])) {
        words.push_back(std::move(word));
      }
    }
    match.hit.snippet = snippets->Around(words, kSnippetBytes);
  }
  return matches;
}

MatcherStats Matcher::Stats() const {
  const MatchPrograms& programs = compiled_->programs;
  MatcherStats stats;
  stats.searches = programs.size();
  stats.always_verified = programs.AlwaysVerified().size();
  stats.distinct_terms = programs.terms() + programs.prefixes();
  stats.memory_bytes = programs.MemoryBytes();
  // Strings longer than the small-string buffer live on the heap.
  auto heap_bytes = [](const std::string& text) {
    return text.capacity() > 15 ? text.capacity() + 1 : 0;
  };
  for (size_t i = 0; i < compiled_->names.size(); ++i) {
    stats.memory_bytes += 2 * sizeof(std::string) +
                          heap_bytes(compiled_->names[i]) +
                          heap_bytes(compiled_->queries[i]);
  }
  return stats;
}

}  // namespace newswatch::indexer
