#include "indexer/text_encoding.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>

#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

// Whether `name` looks like a charset name (letters, digits, "._:-"), so
// that nothing else is handed to iconv or echoed into warnings.
bool PlausibleCharsetName(std::string_view name) {
  if (name.empty() || name.size() > 40) return false;
  for (const char c : name) {
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9') &&
        std::string_view("._:-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The length of the longest prefix of `text` that is valid UTF-8. Eight
// ASCII bytes are checked at a time: feeds are mostly ASCII markup.
size_t Utf8PrefixLength(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    if (i + 8 <= size) {
      std::uint64_t block;
      std::memcpy(&block, bytes + i, 8);
      if ((block & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    std::uint32_t min;
    std::uint32_t code;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, min = 0x80, code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, min = 0x800, code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, min = 0x10000, code = lead & 0x07;
    } else {
      return i;
    }
    if (i + length > size) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return size;
}

// Appends `byte` read as windows-1252, in UTF-8.
void AppendWindows1252(unsigned char byte, std::string* out) {
  // 0x80-0x9F; 0 marks the five bytes windows-1252 leaves unassigned.
  static constexpr std::uint16_t kC1[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::uint32_t code = byte;
  if (byte >= 0x80 && byte <= 0x9F) code = kC1[byte - 0x80];
  if (code == 0) code = 0xFFFD;
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// The encoding named in the XML declaration, or "" when there is none or the
// name is not a plausible charset name (it is echoed into warnings).
std::string DeclaredEncoding(std::string_view xml) {
  if (!xml.starts_with("<?xml")) return "";
  const std::string_view declaration = xml.substr(0, xml.find("?>"));
  size_t i = declaration.find("encoding");
  if (i == std::string_view::npos) return "";
  i = declaration.find_first_of("\"'", i);
  if (i == std::string_view::npos) return "";
  const size_t end = declaration.find(declaration[i], i + 1);
  if (end == std::string_view::npos) return "";
  const std::string_view name = declaration.substr(i + 1, end - i - 1);
  return PlausibleCharsetName(name) ? std::string(name) : "";
}

// The iconv name to convert a declared encoding from, or "" for UTF-8.
std::string IconvNameFor(std::string_view declared) {
  const std::string name = LowerAscii(declared);
  // A declared UTF-16/32 without a byte order mark or NUL bytes (checked
  // before this) is a mislabelled ASCII-compatible document.
  if (name.empty() || name == "utf-8" || name == "utf8" ||
      name.starts_with("utf-16") || name.starts_with("utf-32")) {
    return "";
  }
  // As browsers do (WHATWG Encoding), Latin-1 and ASCII labels mean
  // windows-1252: feeds so labelled are full of its curly quotes.
  if (name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" ||
      name == "l1" || name == "us-ascii" || name == "ascii" ||
      name == "windows-1252" || name == "cp1252") {
    return "WINDOWS-1252";
  }
  return std::string(declared);
}

// What the first bytes of a document say about its encoding: a byte order
// mark (skipped), or the NUL bytes around a UTF-16 "<" (kept).
struct Signature {
  std::string_view bytes;  // Sized explicitly below: they contain NULs.
  std::string_view encoding;
  bool is_mark;
};
constexpr Signature kSignatures[] = {
    {std::string_view("\xEF\xBB\xBF", 3), "UTF-8", true},
    // UTF-32LE before UTF-16LE, whose mark begins it.
    {std::string_view("\x00\x00\xFE\xFF", 4), "UTF-32BE", true},
    {std::string_view("\xFF\xFE\x00\x00", 4), "UTF-32LE", true},
    {std::string_view("\xFE\xFF", 2), "UTF-16BE", true},
    {std::string_view("\xFF\xFE", 2), "UTF-16LE", true},
    // Without a mark, the NULs around a "<" tell UTF-32 from UTF-16.
    {std::string_view("<\0\0\0", 4), "UTF-32LE", false},
    {std::string_view("\0\0\0<", 4), "UTF-32BE", false},
    {std::string_view("<\0", 2), "UTF-16LE", false},
    {std::string_view("\0<", 2), "UTF-16BE", false},
};

}  // namespace

std::optional<std::string> ConvertToUtf8(std::string_view bytes,
                                         const std::string& encoding) {
  iconv_t converter = iconv_open("UTF-8", encoding.c_str());
  if (converter == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string input(bytes);  // iconv wants a mutable input pointer.
  char* in_next = input.data();
  size_t in_left = input.size();
  std::string out(input.size() * 2 + 16, '\0');
  size_t written = 0;
  while (in_left > 0) {
    char* out_next = out.data() + written;
    size_t out_left = out.size() - written;
    const size_t result =
        iconv(converter, &in_next, &in_left, &out_next, &out_left);
    written = static_cast<size_t>(out_next - out.data());
    if (result != static_cast<size_t>(-1)) break;
    if (errno != E2BIG) {  // EILSEQ, or EINVAL for a sequence cut at the end.
      if (out.size() - written < 3) out.resize(out.size() + 16);
      std::memcpy(out.data() + written, "\xEF\xBF\xBD", 3);
      written += 3;
      ++in_next;
      --in_left;
    } else {
      out.resize(out.size() * 2);
    }
  }
  iconv_close(converter);
  out.resize(written);
  return out;
}

std::string CharsetOf(std::string_view content_type) {
  const std::string lowered = LowerAscii(content_type);
  size_t at = lowered.find("charset");
  while (at != std::string::npos) {
    // "charset" must be a parameter name: after ';' and optional spaces.
    size_t before = at;
    while (before > 0 &&
           (lowered[before - 1] == ' ' || lowered[before - 1] == '\t')) {
      --before;
    }
    size_t after = at + 7;
    while (after < lowered.size() && lowered[after] == ' ') ++after;
    if (before > 0 && lowered[before - 1] == ';' && after < lowered.size() &&
        lowered[after] == '=') {
      std::string_view value = content_type.substr(after + 1);
      value = value.substr(0, value.find(';'));
      value = TrimAscii(value);
      if (value.size() >= 2 &&
          (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = TrimAscii(value.substr(1, value.size() - 2));
      }
      return PlausibleCharsetName(value) ? std::string(value) : "";
    }
    at = lowered.find("charset", at + 1);
  }
  return "";
}

bool IsValidUtf8(std::string_view text) {
  return Utf8PrefixLength(text) == text.size();
}

std::string RepairUtf8(std::string_view text, size_t* repaired_bytes) {
  *repaired_bytes = 0;
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (!text.empty()) {
    const size_t valid = Utf8PrefixLength(text);
    out.append(text.substr(0, valid));
    if (valid == text.size()) break;
    AppendWindows1252(static_cast<unsigned char>(text[valid]), &out);
    ++*repaired_bytes;
    text.remove_prefix(valid + 1);
  }
  return out;
}

std::string_view DecodeXmlToUtf8(std::string_view bytes,
                                 std::string_view content_type,
                                 std::string* storage,
                                 std::vector<std::string>* warnings) {
  std::string encoding;
  const Signature* signature = std::find_if(
      std::begin(kSignatures), std::end(kSignatures),
      [bytes](const Signature& s) { return bytes.starts_with(s.bytes); });
  if (signature != std::end(kSignatures)) {
    if (signature->is_mark) bytes.remove_prefix(signature->bytes.size());
    if (signature->encoding != "UTF-8") encoding = signature->encoding;
  } else {
    std::string label = CharsetOf(content_type);
    if (label.empty()) label = DeclaredEncoding(TrimAscii(bytes));
    encoding = IconvNameFor(label);
  }
  if (!encoding.empty()) {
    std::optional<std::string> converted = ConvertToUtf8(bytes, encoding);
    if (converted) {
      *storage = std::move(*converted);
      return *storage;
    }
    warnings->push_back("unknown encoding " + encoding + "; read as UTF-8");
  }
  if (IsValidUtf8(bytes)) return bytes;
  size_t repaired = 0;
  *storage = RepairUtf8(bytes, &repaired);
  warnings->push_back("invalid UTF-8: read " + std::to_string(repaired) +
                      " byte(s) as windows-1252");
  return *storage;
}

}  // namespace newswatch::indexer
