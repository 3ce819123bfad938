// 64-bit FNV-1a, the hash behind article ids that are too long to keep,
// Xapian id terms and content hashes. Internal to the indexer.
//
// Indexes on disk store these values, so the function and its hex form must
// never change.
#ifndef NEWSWATCH_INDEXER_FNV_HASH_H_
#define NEWSWATCH_INDEXER_FNV_HASH_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace newswatch::indexer {

// The standard FNV-1a 64-bit offset basis.
inline constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ULL;

// Returns the FNV-1a hash of `data`, starting from `seed`. Passing the result
// of one call as the seed of the next hashes the concatenation, so data can
// be fed in pieces. Not a cryptographic hash: collisions can be made on
// purpose. Thread-safe.
std::uint64_t Fnv1a64(std::string_view data,
                      std::uint64_t seed = kFnvOffsetBasis);

// Returns `value` as 16 lower-case hex digits, zero-padded ("%016llx").
std::string Hex64(std::uint64_t value);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_FNV_HASH_H_
