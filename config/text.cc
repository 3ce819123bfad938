#include "config/text.h"

#include <algorithm>

namespace newswatch::config {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The bounds of a language tag's subtags (NormalizeLanguageTag).
constexpr size_t kMinPrimarySubtag = 2;
constexpr size_t kMaxPrimarySubtag = 3;
constexpr size_t kMaxSubtag = 8;

}  // namespace

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

std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;  // The range of the second byte.
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // No overlong forms.
    if (lead == 0xED) high = 0x9F;  // No surrogates.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // Nothing beyond U+10FFFF.
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

std::string RepairUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string TruncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < kEllipsis.size()) return std::string();
  std::size_t cut = max_bytes - kEllipsis.size();
  // Back off continuation bytes (10xxxxxx) so no sequence is split; at most
  // three, the longest tail a valid sequence has.
  for (int step = 0; step < 3 && cut > 0 &&
                     (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80;
       ++step) {
    --cut;
  }
  std::string out(text.substr(0, cut));
  out += kEllipsis;
  return out;
}

std::string EscapeChars(std::string_view text,
                        std::initializer_list<Escape> escapes) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const Escape* escape = std::find_if(
        escapes.begin(), escapes.end(),
        [c](const Escape& candidate) { return candidate.character == c; });
    if (escape == escapes.end()) {
      out += c;
    } else {
      out += escape->replacement;
    }
  }
  return out;
}

std::optional<std::string> NormalizeLanguageTag(std::string_view tag) {
  std::string normalized;
  size_t subtag_length = 0;
  bool primary = true;
  // Whether the subtag that just ended is long enough.
  const auto subtag_complete = [&] {
    return primary ? subtag_length >= kMinPrimarySubtag : subtag_length > 0;
  };
  for (const char c : tag) {
    if (c == '-' || c == '_') {
      if (!subtag_complete()) return std::nullopt;
      primary = false;
      subtag_length = 0;
      normalized += '-';
      continue;
    }
    const bool allowed =
        primary ? IsAsciiAlpha(c) : IsAsciiAlpha(c) || (c >= '0' && c <= '9');
    const size_t max_length = primary ? kMaxPrimarySubtag : kMaxSubtag;
    if (!allowed || ++subtag_length > max_length) return std::nullopt;
    normalized += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (!subtag_complete()) return std::nullopt;
  return normalized;
}

}  // namespace newswatch::config
