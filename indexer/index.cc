#include "indexer/index.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "indexer/analysed_batch.h"
#include "indexer/article_document.h"
#include "indexer/query_terms.h"
#include "indexer/xapian_query.h"

namespace newswatch::indexer {
namespace {

namespace fs = std::filesystem;

// Snippets are cut to about this many bytes.
constexpr size_t kSnippetBytes = 240;
// Snippets are looked for in this much of the text at most: an article's
// lead is where the context is, and a long article must not make every one
// of its matches cost a scan of the whole text.
constexpr size_t kSnippetSourceBytes = 16 * 1024;
// Read-only handles retry this often when a writer commits under them.
constexpr int kMaxReopens = 5;
constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

// The markers MSet::snippet is asked to put around highlighted words:
// control characters that are removed from the text first, so that every
// one in a snippet is a marker.
constexpr char kHighlightStart = '\x02';
constexpr char kHighlightEnd = '\x03';

// The longest prefix of `text` of at most `max_bytes` that does not cut a
// UTF-8 sequence.
std::string Utf8Prefix(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

config::Error FromXapian(
    const fs::path& directory, const Xapian::Error& error,
    config::ErrorKind kind = config::ErrorKind::kPermanent) {
  return config::Error{kind, "index " + directory.string(),
                       error.get_description()};
}

// `query` restricted by the options' filters (batch, since, feeds), which
// select without weighing.
Xapian::Query Filtered(const Xapian::Query& query,
                       const SearchOptions& options) {
  std::vector<Xapian::Query> filters;
  if (options.batch_id) filters.emplace_back(BatchTerm(*options.batch_id));
  if (options.since) {
    filters.emplace_back(
        Xapian::Query::OP_VALUE_GE, kPublishedSlot,
        Xapian::sortable_serialise(static_cast<double>(*options.since)));
  }
  if (!options.feeds.empty()) {
    // The same term a `feed:` leaf of a query names.
    std::vector<Xapian::Query> feeds;
    for (const std::string& feed : options.feeds) {
      feeds.emplace_back(ValueTermOf(
          QueryField::kFeed, NormaliseFieldValue(QueryField::kFeed, feed)));
    }
    filters.emplace_back(Xapian::Query::OP_OR, feeds.begin(), feeds.end());
  }
  if (filters.empty()) return query;
  return Xapian::Query(
      Xapian::Query::OP_FILTER, query,
      Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

bool HasNegation(const QueryNode& node) {
  if (node.kind == QueryNode::Kind::kNot) return true;
  return std::any_of(node.children.begin(), node.children.end(), HasNegation);
}

// `node` without the parts under a NOT; nothing when nothing else is left.
std::optional<QueryNode> WithoutNegations(const QueryNode& node) {
  if (node.kind == QueryNode::Kind::kNot) return std::nullopt;
  if (node.kind != QueryNode::Kind::kAnd && node.kind != QueryNode::Kind::kOr) {
    return node;
  }
  QueryNode kept;
  kept.kind = node.kind;
  kept.field = node.field;
  for (const QueryNode& child : node.children) {
    std::optional<QueryNode> kept_child = WithoutNegations(child);
    if (kept_child) kept.children.push_back(std::move(*kept_child));
  }
  if (kept.children.empty()) return std::nullopt;
  if (kept.children.size() == 1) return std::move(kept.children.front());
  return kept;
}

// The MSet whose query MSet::snippet highlights. Snippets highlight every
// term the query names, a term under NOT too (it can be in a hit, as in
// `sanctions OR -gas`), so a query with negations is highlighted through a
// query of its other parts. Running that query for its statistics alone
// (no items) visits no documents.
Xapian::MSet HighlightingMSet(const Xapian::Database& database,
                              const QueryNode& query,
                              const CompileOptions& compile_options,
                              const Xapian::MSet& hits) {
  if (!HasNegation(query)) return hits;
  const std::optional<QueryNode> positive = WithoutNegations(query);
  Xapian::Enquire enquire(database);
  enquire.set_query(positive ? CompileQuery(*positive, compile_options)
                             : Xapian::Query::MatchAll);
  return enquire.get_mset(0, 0);
}

// What MSet::snippet is given: the lead of the text, without the bytes that
// serve as highlight markers.
std::string SnippetSource(const std::string& text) {
  std::string source = Utf8Prefix(text, kSnippetSourceBytes);
  std::erase_if(source, [](char c) {
    return c == kHighlightStart || c == kHighlightEnd;
  });
  return source;
}

struct Snippet {
  std::string text;
  std::vector<SnippetSpan> highlights;
};

// MSet::snippet escapes &, < and > for HTML; a hit's snippet is plain text
// (each output escapes for its own medium), so the escaping is undone, and
// the markers become byte ranges of the result. The snippet escapes every
// '&' of the text, so each '&' in it starts one of the three entities.
// Stretches that touch become one: CJK text is highlighted a character at a
// time, and a word of it reads better as one stretch.
Snippet DecodeSnippet(const std::string& marked) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
  Snippet snippet;
  snippet.text.reserve(marked.size());
  constexpr size_t kOutside = std::string::npos;
  size_t span_start = kOutside;
  for (size_t i = 0; i < marked.size(); ++i) {
    const char c = marked[i];
    if (c == kHighlightStart) {
      span_start = snippet.text.size();
    } else if (c == kHighlightEnd) {
      if (span_start != kOutside && snippet.text.size() > span_start) {
        std::vector<SnippetSpan>& spans = snippet.highlights;
        if (!spans.empty() &&
            spans.back().offset + spans.back().length == span_start) {
          spans.back().length = snippet.text.size() - spans.back().offset;
        } else {
          spans.push_back({span_start, snippet.text.size() - span_start});
        }
      }
      span_start = kOutside;
    } else if (c == '&') {
      const std::string_view rest = std::string_view(marked).substr(i);
      char decoded = c;
      for (const auto& [entity, character] : kEntities) {
        if (rest.starts_with(entity)) {
          decoded = character;
          i += entity.size() - 1;
          break;
        }
      }
      snippet.text += decoded;
    } else {
      snippet.text += c;
    }
  }
  return snippet;
}

// Counts the documents of a match by the UTC day of their published value.
// Reading the value streams in the match costs far less than fetching each
// document, which matters over a large archive.
class DayCounter : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& document, double) override {
    const std::string value = document.get_value(kPublishedSlot);
    if (value.empty()) return;
    const double published = Xapian::sortable_unserialise(value);
    // Values outside what a time can be (a damaged slot) are not counted
    // rather than converted with undefined behaviour.
    if (!(published > -1e18 && published < 1e18)) return;
    const auto seconds = static_cast<std::int64_t>(published);
    std::int64_t day = seconds / kSecondsPerDay;
    if (seconds % kSecondsPerDay < 0) --day;  // Days before 1970 round down.
    ++articles_by_day_[day * kSecondsPerDay];
  }

  const std::map<std::int64_t, size_t>& articles_by_day() const {
    return articles_by_day_;
  }

 private:
  std::map<std::int64_t, size_t> articles_by_day_;
};

// A copy of a stored document that no longer reads from the database: the
// same terms (wdf and positions), values and data, valid whatever the
// database does next, and safe to read from several threads at once (a
// stored document loads itself lazily).
Xapian::Document Detached(const Xapian::Document& stored) {
  Xapian::Document copy;
  copy.set_data(stored.get_data());
  for (auto value = stored.values_begin(); value != stored.values_end();
       ++value) {
    copy.add_value(value.get_valueno(), *value);
  }
  for (auto term = stored.termlist_begin(); term != stored.termlist_end();
       ++term) {
    copy.add_term(*term, term.get_wdf());
    for (auto position = term.positionlist_begin();
         position != term.positionlist_end(); ++position) {
      copy.add_posting(*term, *position, 0);
    }
  }
  return copy;
}

}  // namespace

std::shared_ptr<const AnalysedBatch> AnalyseArticles(
    std::vector<Article> articles, long long batch_id) {
  auto batch = std::make_shared<AnalysedBatch>();
  for (Article& article : articles) {
    Xapian::Document document = MakeDocument(article, batch_id);
    batch->Add(std::move(article), std::move(document));
  }
  return batch;
}

struct Index::Impl {
  fs::path directory;
  // `writable` is set for a writer; `database` always refers to the open
  // database (the writable one, or a read-only handle).
  std::unique_ptr<Xapian::WritableDatabase> writable;
  Xapian::Database database;
  // The batch this writer committed last, for DocumentsOfBatch: the matcher
  // reads it right after WriteBatch, and reading it back would cost about
  // as much as analysing it again. Null before the first WriteBatch and
  // after a failed one.
  std::shared_ptr<const AnalysedBatch> last_batch;
  long long last_batch_id = 0;

  // Runs `work`, reopening a read-only handle when a writer's commit has
  // moved the revision it was reading.
  template <typename Work>
  auto WithReopen(Work work) -> decltype(work()) {
    for (int attempt = 0;; ++attempt) {
      try {
        return work();
      } catch (const Xapian::DatabaseModifiedError& error) {
        if (attempt >= kMaxReopens) {
          return FromXapian(directory, error, config::ErrorKind::kTransient);
        }
        database.reopen();
      } catch (const Xapian::Error& error) {
        return FromXapian(directory, error);
      }
    }
  }

  std::optional<Xapian::Document> FindDocument(const std::string& id) {
    const std::string term = IdTerm(id);
    Xapian::PostingIterator posting = database.postlist_begin(term);
    if (posting == database.postlist_end(term)) return std::nullopt;
    return database.get_document(*posting);
  }
};

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::~Index() = default;

namespace {

// A folder that an interrupted creation left behind: Xapian makes a new
// glass database in several steps and writes its revision file (iamglass)
// last, so a kill before that leaves lock, table and temporary files that
// never open. Nothing was ever committed there, so it can go.
bool IsUnfinishedIndex(const fs::path& directory) {
  if (fs::exists(directory / "iamglass")) return false;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    const bool xapian_file = name == "flintlock" ||
                             entry.path().extension() == ".glass" ||
                             entry.path().extension() == ".tmp";
    if (!xapian_file || !entry.is_regular_file()) return false;
  }
  return true;  // Also an empty folder.
}

// Creates the index whole or not at all: built in a sibling folder, then
// renamed into place, so a kill during the first start cannot leave a folder
// that every later start fails to open.
void CreateIndexAtomically(const fs::path& directory) {
  if (fs::exists(directory)) {
    if (!IsUnfinishedIndex(directory)) return;
    fs::remove_all(directory);
  }
  fs::create_directories(directory.parent_path());
  fs::path staging = directory;
  staging += ".new";
  fs::remove_all(staging);  // From a creation interrupted earlier.
  {
    Xapian::WritableDatabase created(staging.string(), Xapian::DB_CREATE);
    created.commit();
  }
  fs::rename(staging, directory);
}

}  // namespace

config::Result<std::unique_ptr<Index>> Index::OpenWritable(
    const fs::path& directory) {
  auto impl = std::make_unique<Impl>();
  impl->directory = directory;
  try {
    CreateIndexAtomically(directory);
    impl->writable = std::make_unique<Xapian::WritableDatabase>(
        directory.string(), Xapian::DB_OPEN);
    impl->database = *impl->writable;
  } catch (const Xapian::DatabaseLockError&) {
    return config::Error::Fatal(
        "index " + directory.string(),
        "the index is locked by another process: is another newswatch daemon "
        "running on this data_dir?");
  } catch (const Xapian::Error& error) {
    return FromXapian(directory, error, config::ErrorKind::kFatal);
  } catch (const fs::filesystem_error& error) {
    return config::Error::Fatal("index " + directory.string(), error.what());
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

config::Result<std::unique_ptr<Index>> Index::OpenReadOnly(
    const fs::path& directory) {
  auto impl = std::make_unique<Impl>();
  impl->directory = directory;
  std::error_code ignored;
  if (!fs::exists(directory, ignored)) {
    return config::Error::Permanent(
        "index " + directory.string(),
        "there is no archive here yet: run `newswatch run --once` first");
  }
  try {
    impl->database = Xapian::Database(directory.string());
  } catch (const Xapian::Error& error) {
    return FromXapian(directory, error);
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

config::Result<std::vector<Article>> Index::SelectNewOrChanged(
    std::vector<Article> articles) {
  return impl_->WithReopen([&]() -> config::Result<std::vector<Article>> {
    std::vector<Article> selected;
    // Several feeds are ingested in one batch: of two carrying the same
    // article, the first keeps it here too.
    std::unordered_set<std::string> seen;
    for (Article& article : articles) {
      if (!seen.insert(article.id).second) continue;
      std::optional<Xapian::Document> existing =
          impl_->FindDocument(article.id);
      if (existing) {
        if (existing->get_value(kContentHashSlot) == ContentHash(article)) {
          continue;
        }
        const Article stored = DeserialiseArticle(existing->get_data());
        // Two feeds carrying the same globally unique article: the first
        // one to bring it keeps it. Otherwise their differing copies would
        // replace each other, and be matched again, on every poll.
        if (stored.feed_url != article.feed_url) continue;
        if (article.published_is_fallback) article.published = stored.published;
      }
      selected.push_back(std::move(article));
    }
    return selected;
  });
}

config::Status Index::WriteBatch(long long batch_id,
                                 const std::vector<Article>& articles) {
  if (!impl_->writable) {
    return config::Error::Fatal("index " + impl_->directory.string(),
                                "WriteBatch on a read-only index");
  }
  impl_->last_batch.reset();
  try {
    std::shared_ptr<const AnalysedBatch> batch =
        AnalyseArticles(articles, batch_id);
    for (size_t i = 0; i < batch->articles.size(); ++i) {
      impl_->writable->replace_document(IdTerm(batch->articles[i].id),
                                        batch->documents[i]);
    }
    impl_->writable->commit();
    impl_->last_batch = std::move(batch);
    impl_->last_batch_id = batch_id;
  } catch (const Xapian::Error& error) {
    return FromXapian(impl_->directory, error, config::ErrorKind::kFatal);
  }
  return config::Ok{};
}

config::Result<std::vector<SearchHit>> Index::Search(
    const QueryNode& query, const SearchOptions& options) {
  return impl_->WithReopen([&]() -> config::Result<std::vector<SearchHit>> {
    const CompileOptions compile_options{options.language, options.now};
    Xapian::Enquire enquire(impl_->database);
    enquire.set_query(Filtered(CompileQuery(query, compile_options), options));
    // Newest first, by relevance or among equally relevant hits.
    if (options.sort == SortOrder::kDate) {
      enquire.set_sort_by_value_then_relevance(kPublishedSlot,
                                               /*reverse=*/true);
    } else {
      enquire.set_sort_by_relevance_then_value(kPublishedSlot,
                                               /*reverse=*/true);
    }
    // Xapian reserves room for `limit` results, so bound it by what can
    // match: the batch's size, or the whole archive.
    const Xapian::doccount available =
        options.batch_id
            ? impl_->database.get_termfreq(BatchTerm(*options.batch_id))
            : impl_->database.get_doccount();
    const Xapian::doccount limit = static_cast<Xapian::doccount>(
        std::min<size_t>(options.limit, available));
    const Xapian::MSet mset = enquire.get_mset(0, limit);
    const Xapian::MSet highlighting =
        HighlightingMSet(impl_->database, query, compile_options, mset);
    // The query's words are stemmed in the search's language, so the text's
    // words are too when the snippet compares them.
    const Xapian::Stem stemmer = StemmerFor(options.language);
    std::vector<SearchHit> hits;
    std::vector<MatchedDocument> documents;
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      SearchHit hit;
      hit.article = DeserialiseArticle(item.get_document().get_data());
      // Without SNIPPET_BACKGROUND_MODEL: weighing every word of the text
      // by its frequency in the archive (a term lookup each) was 70% of a
      // search's time; the query's own terms choose the passage well.
      Snippet snippet = DecodeSnippet(highlighting.snippet(
          SnippetSource(hit.article.text), kSnippetBytes, stemmer,
          Xapian::MSet::SNIPPET_CJK_NGRAM, std::string(1, kHighlightStart),
          std::string(1, kHighlightEnd), "…"));
      hit.snippet = std::move(snippet.text);
      hit.highlights = std::move(snippet.highlights);
      documents.push_back({*item, IdTerm(hit.article.id)});
      hits.push_back(std::move(hit));
    }
    std::vector<std::vector<std::string>> matched_terms =
        MatchedTerms(impl_->database, query, compile_options, documents);
    for (size_t i = 0; i < hits.size(); ++i) {
      hits[i].matched_terms = std::move(matched_terms[i]);
    }
    return hits;
  });
}

config::Result<std::vector<DailyCount>> Index::CountByDay(
    const QueryNode& query, const SearchOptions& options) {
  return impl_->WithReopen([&]() -> config::Result<std::vector<DailyCount>> {
    const CompileOptions compile_options{options.language, options.now};
    Xapian::Enquire enquire(impl_->database);
    enquire.set_query(Filtered(CompileQuery(query, compile_options), options));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
    DayCounter counter;
    enquire.add_matchspy(&counter);
    // No items, but every match checked: each passes through the counter.
    enquire.get_mset(0, 0, impl_->database.get_doccount());
    std::vector<DailyCount> days;
    for (const auto& [day, articles] : counter.articles_by_day()) {
      days.push_back({day, articles});
    }
    return days;
  });
}

config::Result<std::optional<Article>> Index::Find(
    const std::string& article_id) {
  return impl_->WithReopen([&]() -> config::Result<std::optional<Article>> {
    std::optional<Xapian::Document> document = impl_->FindDocument(article_id);
    if (!document) return std::optional<Article>();
    return std::optional<Article>(DeserialiseArticle(document->get_data()));
  });
}

config::Result<std::optional<Article>> Index::FindByLink(
    const std::string& url) {
  return impl_->WithReopen([&]() -> config::Result<std::optional<Article>> {
    if (url.empty()) return std::optional<Article>();
    const Xapian::Database& database = impl_->database;
    const std::string term = LinkTerm(url);
    std::optional<Xapian::Document> newest;
    double newest_published = 0;
    for (auto posting = database.postlist_begin(term);
         posting != database.postlist_end(term); ++posting) {
      Xapian::Document document = database.get_document(*posting);
      const double published =
          Xapian::sortable_unserialise(document.get_value(kPublishedSlot));
      if (!newest || published > newest_published) {
        newest = std::move(document);
        newest_published = published;
      }
    }
    // Articles indexed before links had terms are found by id, which is the
    // link for many feeds.
    if (!newest) newest = impl_->FindDocument(url);
    if (!newest) return std::optional<Article>();
    return std::optional<Article>(DeserialiseArticle(newest->get_data()));
  });
}

config::Result<std::shared_ptr<const AnalysedBatch>> Index::DocumentsOfBatch(
    long long batch_id) {
  if (impl_->last_batch && impl_->last_batch_id == batch_id) {
    return impl_->last_batch;
  }
  return impl_->WithReopen(
      [&]() -> config::Result<std::shared_ptr<const AnalysedBatch>> {
        auto batch = std::make_shared<AnalysedBatch>();
        const Xapian::Database& database = impl_->database;
        const std::string term = BatchTerm(batch_id);
        for (auto posting = database.postlist_begin(term);
             posting != database.postlist_end(term); ++posting) {
          const Xapian::Document stored = database.get_document(*posting);
          batch->Add(DeserialiseArticle(stored.get_data()), Detached(stored));
        }
        return std::shared_ptr<const AnalysedBatch>(std::move(batch));
      });
}

config::Result<long long> Index::MaxBatchId() {
  return impl_->WithReopen([&]() -> config::Result<long long> {
    long long highest = 0;
    // Batch terms sort as strings ("XB10" < "XB9"), so every one is read.
    for (auto term = impl_->database.allterms_begin(kBatchPrefix);
         term != impl_->database.allterms_end(kBatchPrefix); ++term) {
      const std::string digits = (*term).substr(sizeof kBatchPrefix - 1);
      if (!digits.empty() && digits.size() < 19 &&
          digits.find_first_not_of("0123456789") == std::string::npos) {
        highest = std::max(highest, std::stoll(digits));
      }
    }
    return highest;
  });
}

size_t Index::ArticleCount() {
  auto count = impl_->WithReopen([&]() -> config::Result<size_t> {
    return impl_->database.get_doccount();
  });
  return count.ok() ? count.value() : 0;
}

std::optional<double> Index::TermShare(const std::string& term) {
  // Below this many articles the shares say more about the first feeds
  // polled than about the news.
  constexpr Xapian::doccount kMinArticles = 1000;
  auto share =
      impl_->WithReopen([&]() -> config::Result<std::optional<double>> {
        const Xapian::doccount articles = impl_->database.get_doccount();
        if (articles < kMinArticles) return std::optional<double>();
        return std::optional<double>(
            static_cast<double>(impl_->database.get_termfreq(term)) / articles);
      });
  return share.ok() ? share.value() : std::nullopt;
}

}  // namespace newswatch::indexer
