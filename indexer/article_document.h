// Internal to indexer/: the Xapian document the index stores for an article
// (its terms, positions, value slots and data), and the term scheme that
// queries are compiled against (xapian_query.h, query_terms.h). Include only
// from indexer's .cc files.
//
// The scheme, for an article in language L (its tag; see StemmerFor):
//   title words       "S" + word at positions, "ZS" + L-stem; and the same
//                     words unprefixed (word, "Z" + stem), as text
//   text words        word at positions, "Z" + L-stem
//   author words      "A" + word at positions, "ZA" + L-stem
//   CJK text          in any of those fields, each character as a word (with
//                     a position) and each pair of neighbouring characters
//                     as a term without position (Xapian's FLAG_CJK_NGRAM)
//   id                "Q" + id           (hashed when long, see PrefixedTerm)
//   batch             "XB" + batch id
//   language          "XL" + tag, and "XL" + primary subtag
//   feed              "XF" + feed name   (NormaliseFieldValue, kFeed)
//   site              "XS" + link host and each domain above it
//   category          "XK" + category    (NormaliseFieldValue, kCategory)
//   link              "XU" + link        (hashed when long)
//   values            published (sortable_serialise), content hash
//   data              the article (SerialiseArticle)
// Positions run: S-prefixed title words, the title words again unprefixed,
// kFieldGap, the text, kFieldGap, the author's words.
//
// Indexes on disk store these terms. An article is written again only when
// its ContentHash changes, so articles indexed before a term was added to
// the scheme lack it until then; changing how an existing term is made needs
// the archive re-indexed.
#ifndef NEWSWATCH_INDEXER_ARTICLE_DOCUMENT_H_
#define NEWSWATCH_INDEXER_ARTICLE_DOCUMENT_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "indexer/article.h"

namespace newswatch::indexer {

// Term prefixes. Words are lower-cased by the TermGenerator, so an upper-case
// prefix cannot be confused with the start of a word.
inline constexpr char kIdPrefix[] = "Q";      // Unique article id term.
inline constexpr char kBatchPrefix[] = "XB";  // Batch that last wrote it.
inline constexpr char kTitlePrefix[] = "S";   // Title words (also unprefixed).
inline constexpr char kAuthorPrefix[] = "A";  // Author words.
inline constexpr char kStemPrefix[] = "Z";    // Xapian's stemmed-term prefix.
// The article's language tag ("XLen-gb"), and its primary subtag alone
// ("XLen") so that a search for a language finds every region of it.
inline constexpr char kLanguagePrefix[] = "XL";
inline constexpr char kFeedPrefix[] = "XF";      // Feed name, normalised.
inline constexpr char kSitePrefix[] = "XS";      // Link host and parents.
inline constexpr char kCategoryPrefix[] = "XK";  // Category, normalised.
inline constexpr char kLinkPrefix[] = "XU";      // The link, as stored.

inline constexpr Xapian::valueno kPublishedSlot = 0;    // sortable_serialise
inline constexpr Xapian::valueno kContentHashSlot = 1;  // change detection

// Positions skipped between the title, the text and the author, so that no
// phrase or NEAR group spans two of them: more than the widest NEAR window a
// query can ask for (NEAR/1000 over every word a kMaxQueryBytes query holds).
inline constexpr Xapian::termpos kFieldGap = 10000;

// A TermGenerator as documents and queries use it: `stemmer` for the stems,
// both unstemmed terms (with positions, for phrases and NEAR) and Z-prefixed
// stems (without positions, for inflection-tolerant words), and CJK text cut
// into n-grams. Copies share `stemmer`: use on one thread.
Xapian::TermGenerator MakeTermGenerator(const Xapian::Stem& stemmer);

// The document the index stores for `article`, written by batch `batch_id`:
// the terms, values and data listed above, with the article's words stemmed
// by StemmerFor(article.language). Deterministic: the same article and batch
// give the same document.
Xapian::Document MakeDocument(const Article& article, long long batch_id);

// `prefix` + `value`, or, when `value` is longer than a Xapian term can
// hold with room to spare (200 bytes), `prefix` + "#" + 32 hex digits of two
// independent FNV-1a hashes of it. Used for every term made of outside text
// of unbounded length (ids, links, field values), on the document and the
// query side alike.
std::string PrefixedTerm(std::string_view prefix, std::string_view value);

// The id term of an article id (PrefixedTerm with kIdPrefix).
std::string IdTerm(const std::string& article_id);

std::string BatchTerm(long long batch_id);

// The link term of an article's link (PrefixedTerm with kLinkPrefix), for
// finding an article by its URL.
std::string LinkTerm(std::string_view link);

// The domains `link` is under, for site: (kSitePrefix terms without the
// prefix): its host, lower-cased, percent-escapes decoded and without a
// trailing dot, and each parent domain of it ("www.bbc.co.uk" gives
// www.bbc.co.uk, bbc.co.uk, co.uk, uk); an IP address only whole. Empty when
// the link has no host.
std::vector<std::string> SiteDomainsOf(std::string_view link);

// A digest of the article's indexed fields: a stored article whose hash is
// unchanged need not be written again. Fixed forever for the fields it
// covers, as indexes store it (the feed name and language are not covered).
std::string ContentHash(const Article& article);

// The article as the document's data (JSON), and back. Deserialising data
// that is not an object gives an empty Article.
std::string SerialiseArticle(const Article& article);
Article DeserialiseArticle(const std::string& data);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_ARTICLE_DOCUMENT_H_
