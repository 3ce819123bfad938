#include "indexer/text_encoding.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::indexer {
namespace {

// `ascii` as UTF-16 code units in the given byte order.
std::string Utf16(std::string_view ascii, bool little_endian) {
  std::string units;
  for (const char c : ascii) {
    units += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
  }
  return units;
}

struct Decoded {
  std::string text;
  std::vector<std::string> warnings;
};

Decoded Decode(std::string_view bytes, std::string_view content_type = "") {
  std::string storage;
  Decoded decoded;
  decoded.text = std::string(
      DecodeXmlToUtf8(bytes, content_type, &storage, &decoded.warnings));
  return decoded;
}

TEST_CASE("DecodeXmlToUtf8 returns UTF-8 without its byte order mark, uncopied",
          "[encoding]") {
  const std::string bytes = "\xEF\xBB\xBF<rss>caf\xC3\xA9</rss>";
  std::string storage;
  std::vector<std::string> warnings;
  const std::string_view text = DecodeXmlToUtf8(bytes, "", &storage, &warnings);
  CHECK(text == "<rss>caf\xC3\xA9</rss>");
  CHECK(text.data() == bytes.data() + 3);
  CHECK(warnings.empty());
}

TEST_CASE("DecodeXmlToUtf8 converts UTF-16 with a byte order mark",
          "[encoding]") {
  const std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>b</a>";
  // U+00E9 and U+201C after the ASCII.
  const Decoded little = Decode("\xFF\xFE" + Utf16(xml, true) +
                                std::string("\xE9\x00\x1C\x20", 4));
  CHECK(little.text == xml + "\xC3\xA9\xE2\x80\x9C");
  CHECK(little.warnings.empty());
  const Decoded big = Decode("\xFE\xFF" + Utf16(xml, false) +
                             std::string("\x00\xE9\x20\x1C", 4));
  CHECK(big.text == xml + "\xC3\xA9\xE2\x80\x9C");
  CHECK(big.warnings.empty());
}

TEST_CASE("DecodeXmlToUtf8 recognises UTF-16 without a mark by its NULs",
          "[encoding]") {
  CHECK(Decode(Utf16("<a>b</a>", true)).text == "<a>b</a>");
  CHECK(Decode(Utf16("<a>b</a>", false)).text == "<a>b</a>");
}

TEST_CASE("DecodeXmlToUtf8 reads Latin-1 labels as windows-1252",
          "[encoding]") {
  for (const char* label :
       {"ISO-8859-1", "latin1", "us-ascii", "windows-1252"}) {
    INFO("encoding label: " << label);
    const std::string declaration =
        std::string("<?xml version=\"1.0\" encoding=\"") + label + "\"?>";
    // 0xE9 is e-acute in both; 0x93 and 0x94 are curly quotes only in
    // windows-1252.
    const Decoded decoded = Decode(declaration + "<t>caf\xE9 \x93q\x94</t>");
    CHECK(decoded.text ==
          declaration + "<t>caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D</t>");
    CHECK(decoded.warnings.empty());
  }
}

TEST_CASE("DecodeXmlToUtf8 converts other declared encodings", "[encoding]") {
  const std::string declaration = "<?xml version='1.0' encoding='KOI8-R'?>";
  CHECK(Decode(declaration + "<t>\xC1</t>").text ==
        declaration + "<t>\xD0\xB0</t>");  // U+0430 CYRILLIC SMALL LETTER A.
}

TEST_CASE("DecodeXmlToUtf8 reads UTF-8 and mislabelled UTF-16 as is",
          "[encoding]") {
  for (const char* declaration :
       {"", "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"}) {
    INFO("declaration: " << declaration);
    const std::string bytes = std::string(declaration) + "<t>caf\xC3\xA9</t>";
    std::string storage;
    std::vector<std::string> warnings;
    const std::string_view text =
        DecodeXmlToUtf8(bytes, "", &storage, &warnings);
    CHECK(text == bytes);
    CHECK(text.data() == bytes.data());
    CHECK(warnings.empty());
  }
}

TEST_CASE("DecodeXmlToUtf8 repairs invalid UTF-8 as windows-1252",
          "[encoding]") {
  // Curly quotes and an e-acute pasted as windows-1252 into a UTF-8 feed; the
  // valid UTF-8 around them stays as it is.
  const Decoded decoded = Decode(
      "<t>\x93"
      "caf\xE9\x94 \xC3\xA9 \x81</t>");
  CHECK(decoded.text ==
        "<t>\xE2\x80\x9C"
        "caf\xC3\xA9\xE2\x80\x9D \xC3\xA9 \xEF\xBF\xBD</t>");
  CHECK(decoded.warnings ==
        std::vector<std::string>{
            "invalid UTF-8: read 4 byte(s) as windows-1252"});
}

TEST_CASE("DecodeXmlToUtf8 takes the HTTP charset over the XML declaration",
          "[encoding]") {
  const std::string bytes =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>caf\xE9</t>";
  CHECK(Decode(bytes, "text/xml; charset=\"ISO-8859-1\"").text ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>caf\xC3\xA9</t>");
  // KOI8-R named only by the header.
  CHECK(Decode("<t>\xC1</t>", "application/rss+xml;charset=koi8-r").text ==
        "<t>\xD0\xB0</t>");
  // A byte order mark still wins over the header.
  CHECK(Decode("\xEF\xBB\xBF<t>\xC3\xA9</t>", "text/xml; charset=iso-8859-1")
            .text == "<t>\xC3\xA9</t>");
}

TEST_CASE("CharsetOf reads the charset parameter of a Content-Type",
          "[encoding]") {
  CHECK(CharsetOf("text/xml; charset=UTF-8") == "UTF-8");
  CHECK(CharsetOf("text/xml;charset=\"windows-1251\"; foo=bar") ==
        "windows-1251");
  CHECK(CharsetOf("application/xml; CHARSET = 'latin1'") == "latin1");
  CHECK(CharsetOf("text/xml") == "");
  CHECK(CharsetOf("text/xml; xcharset=utf-8") == "");
  CHECK(CharsetOf("text/xml; charset=\"a b\"") == "");  // Not a charset name.
}

TEST_CASE("IsValidUtf8 and RepairUtf8 follow the UTF-8 rules", "[encoding]") {
  CHECK(IsValidUtf8("plain ascii, long enough for the eight-byte path"));
  CHECK(IsValidUtf8("\xF0\x9F\x93\xB0 \xE2\x80\x94 \xC3\xA9"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // Overlong.
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // Surrogate.
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  CHECK_FALSE(IsValidUtf8("abc\xE2\x82"));       // Cut short.
  size_t repaired = 0;
  CHECK(RepairUtf8("abc\xE2\x82", &repaired) == "abc\xC3\xA2\xE2\x80\x9A");
  CHECK(repaired == 2);
  CHECK(RepairUtf8("ok \xC3\xA9", &repaired) == "ok \xC3\xA9");
  CHECK(repaired == 0);
}

TEST_CASE("DecodeXmlToUtf8 warns about an unknown encoding and reads UTF-8",
          "[encoding]") {
  const std::string bytes =
      "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><t>\xC3\xA9</t>";
  const Decoded decoded = Decode(bytes);
  CHECK(decoded.text == bytes);
  CHECK(decoded.warnings ==
        std::vector<std::string>{"unknown encoding x-no-such-charset; read as "
                                 "UTF-8"});
}

TEST_CASE("ConvertToUtf8 repairs invalid UTF-8 to valid UTF-8", "[encoding]") {
  // A stray continuation byte, a byte never valid, an overlong encoding, and a
  // sequence cut short at the end: one U+FFFD for each byte.
  CHECK(ConvertToUtf8("a\x80z\xFFz\xC0\xAFz\xE2\x82", "UTF-8") ==
        "a\xEF\xBF\xBDz\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBDz"
        "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(ConvertToUtf8("caf\xC3\xA9", "UTF-8") == "caf\xC3\xA9");
}

TEST_CASE("ConvertToUtf8 replaces what does not decode in other encodings",
          "[encoding]") {
  // 0x81 has no character in windows-1252; a lone surrogate none in UTF-16.
  CHECK(ConvertToUtf8("a\x81z", "WINDOWS-1252") == "a\xEF\xBF\xBDz");
  CHECK(ConvertToUtf8(std::string("a\x00\x00\xD8", 4), "UTF-16LE") ==
        "a\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("ConvertToUtf8 returns nullopt for an unknown encoding",
          "[encoding]") {
  CHECK_FALSE(ConvertToUtf8("abc", "x-no-such-charset").has_value());
}

}  // namespace
}  // namespace newswatch::indexer
