#include "config/text.h"

namespace newswatch::config {

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F in UTF-8.
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        out += ' ';
        ++i;
        continue;
      }
    }
    out += (byte < 0x20 || byte == 0x7F) ? ' ' : text[i];
  }
  return out;
}

}  // namespace newswatch::config
