#include "indexer/text_encoding.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

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
  if (name.empty() || name.size() > 40) return "";
  for (const char c : name) {
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9') &&
        std::string_view("._:-").find(c) == std::string_view::npos) {
      return "";
    }
  }
  return std::string(name);
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

std::string_view DecodeXmlToUtf8(std::string_view bytes, std::string* storage,
                                 std::vector<std::string>* warnings) {
  std::string encoding;
  const Signature* signature = std::find_if(
      std::begin(kSignatures), std::end(kSignatures),
      [bytes](const Signature& s) { return bytes.starts_with(s.bytes); });
  if (signature != std::end(kSignatures)) {
    if (signature->is_mark) bytes.remove_prefix(signature->bytes.size());
    if (signature->encoding == "UTF-8") return bytes;
    encoding = signature->encoding;
  } else {
    encoding = IconvNameFor(DeclaredEncoding(TrimAscii(bytes)));
    if (encoding.empty()) return bytes;
  }
  std::optional<std::string> converted = ConvertToUtf8(bytes, encoding);
  if (!converted) {
    warnings->push_back("unknown encoding " + encoding + "; read as UTF-8");
    return bytes;
  }
  *storage = std::move(*converted);
  return *storage;
}

}  // namespace newswatch::indexer
