// Fuzz target: arbitrary bytes as a saved query. Parsing must succeed or
// report an error; a parsed query must compile for Xapian.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = newswatch::indexer::ParseQuery(text);
  if (parsed.ok()) (void)parsed.value().ToString();
  return 0;
}
