// Counting in text, for tests and benchmarks that check logs and output.
#ifndef NEWSWATCH_TESTS_SUPPORT_TEXT_SEARCH_H_
#define NEWSWATCH_TESTS_SUPPORT_TEXT_SEARCH_H_

#include <cstddef>
#include <string_view>

namespace newswatch::testing {

// How many times `needle` (not empty) occurs in `haystack`, without overlaps.
inline size_t CountOccurrences(std::string_view haystack,
                               std::string_view needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_SUPPORT_TEXT_SEARCH_H_
