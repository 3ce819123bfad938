// Internal to indexer/: the articles of a batch with the Xapian documents
// the index makes of them (see index.h). The matcher reads the documents'
// term lists, positions and published value, so it sees exactly what a
// search of the index sees. Include only from indexer's .cc files.
#ifndef NEWSWATCH_INDEXER_ANALYSED_BATCH_H_
#define NEWSWATCH_INDEXER_ANALYSED_BATCH_H_

#include <xapian.h>

#include <vector>

#include "indexer/article.h"

namespace newswatch::indexer {

struct AnalysedBatch {
  std::vector<Article> articles;
  // documents[i] is articles[i]'s, as MakeDocument (article_document.h)
  // makes it and the index stores it.
  std::vector<Xapian::Document> documents;
};

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_ANALYSED_BATCH_H_
