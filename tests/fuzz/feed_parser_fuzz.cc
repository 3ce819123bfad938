// Fuzz target: arbitrary bytes as a feed body. The parser must return
// articles or an error, never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/feed_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const newswatch::indexer::FeedSource source{
      "https://fuzz.example.org/feed.xml", "fuzz"};
  auto parsed = newswatch::indexer::ParseFeed(body, source, 1763890200);
  if (parsed.ok()) {
    for (const auto& article : parsed.value().articles) {
      // Touch every field so a bad string is caught by the sanitizers here.
      volatile std::size_t total = article.id.size() + article.title.size() +
                                   article.text.size() + article.link.size();
      (void)total;
    }
  }
  return 0;
}
