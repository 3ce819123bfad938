// Internal to indexer/: the articles of a batch with the Xapian documents
// the index makes of them (see index.h). The matcher reads the documents'
// terms, positions and published dates, so it sees exactly what a search of
// the index sees. Include only from indexer's .cc files.
#ifndef NEWSWATCH_INDEXER_ANALYSED_BATCH_H_
#define NEWSWATCH_INDEXER_ANALYSED_BATCH_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/article.h"

namespace newswatch::indexer {

// A document's terms and positions laid out flat, in term order: what the
// matcher reads. Walking a Xapian::Document's term list follows a std::map
// node by node and copies each term; once a batch's documents have left
// the cache that walk cost several times the matching itself.
class DocumentTerms {
 public:
  explicit DocumentTerms(const Xapian::Document& document);

  size_t size() const { return term_ends_.size(); }
  std::string_view Term(size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : term_ends_[i - 1];
    return std::string_view(bytes_).substr(begin, term_ends_[i] - begin);
  }
  // The positions of term i, ascending; empty for terms without any.
  const std::uint32_t* PositionsBegin(size_t i) const {
    return positions_.data() + (i == 0 ? 0 : position_ends_[i - 1]);
  }
  const std::uint32_t* PositionsEnd(size_t i) const {
    return positions_.data() + position_ends_[i];
  }

 private:
  std::string bytes_;  // Every term, back to back.
  std::vector<std::uint32_t> term_ends_;
  std::vector<std::uint32_t> positions_;
  std::vector<std::uint32_t> position_ends_;
};

struct AnalysedBatch {
  std::vector<Article> articles;
  // documents[i] is articles[i]'s, as MakeDocument (article_document.h)
  // makes it and the index stores it; terms[i] is its terms laid flat.
  std::vector<Xapian::Document> documents;
  std::vector<DocumentTerms> terms;

  // Appends one article with its document; the only way to add, which keeps
  // the three vectors in step.
  void Add(Article article, Xapian::Document document);
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_ANALYSED_BATCH_H_
