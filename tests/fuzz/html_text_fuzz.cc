// Fuzz target: arbitrary bytes as HTML. Wherever HtmlToText's fast path
// answers, its text must be the gumbo path's, byte for byte (the target
// aborts on the first difference and prints both); and HtmlToText must never
// crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/html_fast_text.h"
#include "indexer/html_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> fast =
      newswatch::indexer::FastHtmlToText(html);
  if (!fast) {
    // The fallback (gumbo, or the tag stripper on deep nesting).
    volatile std::size_t length = newswatch::indexer::HtmlToText(html).size();
    (void)length;
    return 0;
  }
  const std::string reference = newswatch::indexer::HtmlToTextWithGumbo(html);
  if (*fast != reference) {
    std::fprintf(stderr, "fast path: [%s]\ngumbo:     [%s]\n", fast->c_str(),
                 reference.c_str());
    std::abort();
  }
  return 0;
}
