#include "indexer/index.h"

#include <xapian.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_set>

#include "indexer/fnv_hash.h"
#include "indexer/xapian_query.h"

namespace newswatch::indexer {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Snippets are cut to about this many bytes.
constexpr size_t kSnippetBytes = 240;
// Snippets are looked for in this much of the text at most: an article's
// lead is where the context is, and a long article must not make every one
// of its matches cost a scan of the whole text.
constexpr size_t kSnippetSourceBytes = 16 * 1024;
// Read-only handles retry this often when a writer commits under them.
constexpr int kMaxReopens = 5;

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

std::string ContentHash(const Article& article) {
  std::uint64_t hash = kFnvOffsetBasis;
  auto mix = [&](std::string_view field) {
    hash = Fnv1a64(field, hash);
    // Field separator: "ab"+"c" differs from "a"+"bc".
    hash = Fnv1a64("\xff", hash);
  };
  mix(article.title);
  mix(article.link);
  mix(article.author);
  mix(article.text);
  for (const std::string& category : article.categories) mix(category);
  // A fallback date is the time of the poll; it must not make every poll of
  // an undated article look like a change.
  if (!article.published_is_fallback) mix(std::to_string(article.published));
  return Hex64(hash);
}

std::string SerialiseArticle(const Article& article) {
  return Json{{"id", article.id},
              {"feed_url", article.feed_url},
              {"feed_name", article.feed_name},
              {"title", article.title},
              {"link", article.link},
              {"author", article.author},
              {"text", article.text},
              {"categories", article.categories},
              {"published", article.published},
              {"published_is_fallback", article.published_is_fallback},
              {"language", article.language}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

Article DeserialiseArticle(const std::string& data) {
  const Json json = Json::parse(data, nullptr, /*allow_exceptions=*/false);
  Article article;
  if (!json.is_object()) return article;
  article.id = json.value("id", "");
  article.feed_url = json.value("feed_url", "");
  article.feed_name = json.value("feed_name", "");
  article.title = json.value("title", "");
  article.link = json.value("link", "");
  article.author = json.value("author", "");
  article.text = json.value("text", "");
  article.categories = json.value("categories", std::vector<std::string>{});
  article.published = json.value("published", std::int64_t{0});
  article.published_is_fallback = json.value("published_is_fallback", false);
  article.language = json.value("language", "");
  return article;
}

Xapian::Document MakeDocument(const Article& article, long long batch_id) {
  Xapian::Document document;
  Xapian::TermGenerator generator = MakeTermGenerator();
  generator.set_document(document);
  // Title words are searchable on their own (S prefix, for title: queries)
  // and with the body. The position gap keeps phrases from spanning the
  // title and the text.
  generator.index_text(article.title, 1, kTitlePrefix);
  generator.index_text(article.title);
  generator.increase_termpos(100);
  generator.index_text(article.text);
  document.add_boolean_term(IdTerm(article.id));
  document.add_boolean_term(BatchTerm(batch_id));
  if (!article.language.empty()) {
    document.add_boolean_term(kLanguagePrefix + article.language);
    const size_t dash = article.language.find('-');
    if (dash != std::string::npos) {
      document.add_boolean_term(kLanguagePrefix +
                                article.language.substr(0, dash));
    }
  }
  document.add_value(
      kPublishedSlot,
      Xapian::sortable_serialise(static_cast<double>(article.published)));
  document.add_value(kContentHashSlot, ContentHash(article));
  document.set_data(SerialiseArticle(article));
  return document;
}

config::Error FromXapian(
    const fs::path& directory, const Xapian::Error& error,
    config::ErrorKind kind = config::ErrorKind::kPermanent) {
  return config::Error{kind, "index " + directory.string(),
                       error.get_description()};
}

}  // namespace

struct Index::Impl {
  fs::path directory;
  // `writable` is set for a writer; `database` always refers to the open
  // database (the writable one, or a read-only handle).
  std::unique_ptr<Xapian::WritableDatabase> writable;
  Xapian::Database database;

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
  try {
    for (const Article& article : articles) {
      impl_->writable->replace_document(IdTerm(article.id),
                                        MakeDocument(article, batch_id));
    }
    impl_->writable->commit();
  } catch (const Xapian::Error& error) {
    return FromXapian(impl_->directory, error, config::ErrorKind::kFatal);
  }
  return config::Ok{};
}

config::Result<std::vector<SearchHit>> Index::Search(
    const QueryNode& query, const SearchOptions& options) {
  return impl_->WithReopen([&]() -> config::Result<std::vector<SearchHit>> {
    Xapian::Query compiled = CompileQuery(query);
    if (options.batch_id) {
      compiled = Xapian::Query(Xapian::Query::OP_FILTER, compiled,
                               Xapian::Query(BatchTerm(*options.batch_id)));
    }
    Xapian::Enquire enquire(impl_->database);
    enquire.set_query(compiled);
    // Xapian reserves room for `limit` results, so bound it by what can
    // match: the batch's size, or the whole archive.
    const Xapian::doccount available =
        options.batch_id
            ? impl_->database.get_termfreq(BatchTerm(*options.batch_id))
            : impl_->database.get_doccount();
    const Xapian::doccount limit = static_cast<Xapian::doccount>(
        std::min<size_t>(options.limit, available));
    Xapian::MSet mset = enquire.get_mset(0, limit);
    std::vector<SearchHit> hits;
    std::vector<MatchedDocument> documents;
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      SearchHit hit;
      hit.article = DeserialiseArticle(item.get_document().get_data());
      hit.snippet =
          mset.snippet(Utf8Prefix(hit.article.text, kSnippetSourceBytes),
                       kSnippetBytes, DefaultStemmer(),
                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL, "", "", "…");
      documents.push_back({*item, IdTerm(hit.article.id)});
      hits.push_back(std::move(hit));
    }
    std::vector<std::vector<std::string>> matched_terms =
        MatchedTerms(impl_->database, query, documents);
    for (size_t i = 0; i < hits.size(); ++i) {
      hits[i].matched_terms = std::move(matched_terms[i]);
    }
    return hits;
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

}  // namespace newswatch::indexer
