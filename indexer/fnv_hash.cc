#include "indexer/fnv_hash.h"

#include <cstdio>

namespace newswatch::indexer {

std::uint64_t Fnv1a64(std::string_view data, std::uint64_t seed) {
  constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
  std::uint64_t hash = seed;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

std::string Hex64(std::uint64_t value) {
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx",
                static_cast<unsigned long long>(value));
  return digits;
}

}  // namespace newswatch::indexer
