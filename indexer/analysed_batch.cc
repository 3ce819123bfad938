#include "indexer/analysed_batch.h"

namespace newswatch::indexer {

DocumentTerms::DocumentTerms(const Xapian::Document& document) {
  for (auto term = document.termlist_begin(); term != document.termlist_end();
       ++term) {
    bytes_ += *term;
    term_ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    for (auto position = term.positionlist_begin();
         position != term.positionlist_end(); ++position) {
      positions_.push_back(*position);
    }
    position_ends_.push_back(static_cast<std::uint32_t>(positions_.size()));
  }
}

void AnalysedBatch::Add(Article article, Xapian::Document document) {
  terms.emplace_back(document);
  articles.push_back(std::move(article));
  documents.push_back(std::move(document));
}

}  // namespace newswatch::indexer
