#include "config/text.h"

namespace newswatch::config {

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // Line and paragraph separators and bidirectional controls (U+200E/F,
    // U+2028..202E, U+2066..2069), which can reorder what a terminal
    // shows: E2 80 8E/8F, E2 80 A8..AE, E2 81 A6..A9.
    if (byte == 0xE2 && i + 2 < text.size()) {
      const auto second = static_cast<unsigned char>(text[i + 1]);
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if ((second == 0x80 && (third == 0x8E || third == 0x8F ||
                              (third >= 0xA8 && third <= 0xAE))) ||
          (second == 0x81 && third >= 0xA6 && third <= 0xA9)) {
        out += ' ';
        i += 2;
        continue;
      }
    }
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
