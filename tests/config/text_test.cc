#include "config/text.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace newswatch::config {
namespace {

TEST_CASE("OneLine replaces line breaks and tabs with spaces", "[config]") {
  CHECK(OneLine("a\r\nb") == "a  b");
  CHECK(OneLine("a\nb") == "a b");
  CHECK(OneLine("a\rb") == "a b");
  CHECK(OneLine("a\tb") == "a b");
  CHECK(OneLine("\n") == " ");
}

TEST_CASE("OneLine replaces every ASCII control, ESC and DEL", "[config]") {
  CHECK(OneLine("red \x1b[31mtext\x1b[0m") == "red  [31mtext [0m");
  CHECK(OneLine("a\x7f"
                "b") == "a b");
  CHECK(OneLine(std::string("a\0b", 3)) == "a b");
  for (int c = 0; c < 0x20; ++c) {
    INFO("control " << c);
    const std::string text = std::string("x") + static_cast<char>(c) + "y";
    CHECK(OneLine(text) == "x y");
  }
}

TEST_CASE("OneLine replaces C1 controls encoded in UTF-8", "[config]") {
  // U+0085 NEXT LINE is C2 85 in UTF-8; one space replaces both bytes.
  CHECK(OneLine("a\xc2\x85"
                "b") == "a b");
  CHECK(OneLine("a\xc2\x80"
                "b") == "a b");
  CHECK(OneLine("a\xc2\x9b"
                "31m") == "a 31m");  // U+009B CSI.
  CHECK(OneLine("a\xc2\x9f"
                "b") == "a b");
}

TEST_CASE("OneLine leaves printable text and UTF-8 unchanged", "[config]") {
  CHECK(OneLine("") == "");
  CHECK(OneLine("Plain ASCII: <a href=\"x\">&amp;</a> ~!") ==
        "Plain ASCII: <a href=\"x\">&amp;</a> ~!");
  CHECK(OneLine("Ukraine\xe2\x80\x99s troop caps") ==
        "Ukraine\xe2\x80\x99s troop caps");
  CHECK(OneLine("\xe6\x97\xa5\xe6\x9c\xac") == "\xe6\x97\xa5\xe6\x9c\xac");
  // Latin-1 supplement right after the C1 range: U+00A0 and U+00E9.
  CHECK(OneLine("caf\xc3\xa9\xc2\xa0x") == "caf\xc3\xa9\xc2\xa0x");
  CHECK(OneLine("\xf0\x9f\x93\xb0 news") == "\xf0\x9f\x93\xb0 news");
}

TEST_CASE("OneLine replaces bidirectional controls and line separators",
          "[config]") {
  // U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+200F
  // RIGHT-TO-LEFT MARK, U+2028 LINE SEPARATOR.
  CHECK(OneLine("a\u202Eb\u2066c\u200Fd\u2028e") == "a b c d e");
  // Neighbouring characters of the same block stay.
  CHECK(OneLine("\u2014 \u2019 \u20AC") == "\u2014 \u2019 \u20AC");
}

TEST_CASE("Utf8SequenceLength measures well-formed sequences only",
          "[config]") {
  CHECK(Utf8SequenceLength("a", 0) == 1);
  CHECK(Utf8SequenceLength("\xC3\xA9", 0) == 2);          // é
  CHECK(Utf8SequenceLength("\xE2\x82\xAC", 0) == 3);      // €
  CHECK(Utf8SequenceLength("\xF0\x9D\x84\x9E", 0) == 4);  // 𝄞
  CHECK(Utf8SequenceLength("x\xC3\xA9", 1) == 2);
  CHECK(Utf8SequenceLength("\x80", 0) == 0);              // Continuation.
  CHECK(Utf8SequenceLength("\xFF", 0) == 0);              // Never valid.
  CHECK(Utf8SequenceLength("\xC3", 0) == 0);              // Truncated.
  CHECK(Utf8SequenceLength("\xE2\x82", 0) == 0);          // Truncated.
  CHECK(Utf8SequenceLength("\xC3x", 0) == 0);             // Not continued.
  CHECK(Utf8SequenceLength("\xC0\xAF", 0) == 0);          // Overlong '/'.
  CHECK(Utf8SequenceLength("\xE0\x80\xAF", 0) == 0);      // Overlong.
  CHECK(Utf8SequenceLength("\xED\xA0\x80", 0) == 0);      // Surrogate.
  CHECK(Utf8SequenceLength("\xF4\x90\x80\x80", 0) == 0);  // > U+10FFFF.
  CHECK(Utf8SequenceLength("\xF4\x8F\xBF\xBF", 0) == 4);  // U+10FFFF.
}

TEST_CASE("RepairUtf8 replaces each invalid byte with U+FFFD", "[config]") {
  CHECK(RepairUtf8("") == "");
  CHECK(RepairUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E") ==
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E");
  CHECK(RepairUtf8("Caf\xC3 ok") == "Caf\uFFFD ok");
  CHECK(RepairUtf8("\xFF\xFE") == "\uFFFD\uFFFD");
  CHECK(RepairUtf8("\xC0\xAF") == "\uFFFD\uFFFD");
  CHECK(RepairUtf8("\xED\xA0\x80") == "\uFFFD\uFFFD\uFFFD");
  CHECK(RepairUtf8("end \xE2\x82") == "end \uFFFD\uFFFD");
  // Control characters are valid UTF-8: that is OneLine's business.
  CHECK(RepairUtf8(std::string("a\0\r\n", 4)) == std::string("a\0\r\n", 4));
}

TEST_CASE("TruncateUtf8 cuts on a character boundary and marks the cut",
          "[config]") {
  CHECK(TruncateUtf8("short", 10) == "short");
  CHECK(TruncateUtf8("exactly10!", 10) == "exactly10!");
  CHECK(TruncateUtf8("0123456789AB", 10) == "0123456\u2026");
  // "é" is two bytes: a cut inside it backs off to before it.
  CHECK(TruncateUtf8("abcde\u00E9123456", 9) == "abcde\u2026");
  CHECK(TruncateUtf8("abcd\u00E9123456", 9) == "abcd\u00E9\u2026");
  CHECK(TruncateUtf8("\U0001D11E\U0001D11E\U0001D11E", 9) ==
        "\U0001D11E\u2026");
  // Spaces before the cut stay.
  CHECK(TruncateUtf8("ab   cdefgh", 8) == "ab   \u2026");
  CHECK(TruncateUtf8("anything", 3) == "\u2026");
  CHECK(TruncateUtf8("anything", 2) == "");
  // Invalid UTF-8 is cut too, backing off no more than a sequence's tail.
  CHECK(TruncateUtf8(std::string(10, '\x80'), 8) ==
        std::string(2, '\x80') + "\u2026");
}

TEST_CASE("EscapeChars replaces only the listed characters", "[config]") {
  CHECK(EscapeChars("", {{'&', "&amp;"}}) == "");
  CHECK(EscapeChars("a & b < c", {{'&', "&amp;"}, {'<', "&lt;"}}) ==
        "a &amp; b &lt; c");
  CHECK(EscapeChars("<<>>", {{'<', "("}, {'>', ""}}) == "((");
  CHECK(EscapeChars("caf\u00E9 |", {{'|', "%7C"}}) == "caf\u00E9 %7C");
  CHECK(EscapeChars("plain", {}) == "plain");
}

TEST_CASE("NormalizeLanguageTag lower-cases a BCP 47-shaped tag",
          "[config][language]") {
  using Tag = std::pair<const char*, const char*>;  // Given, normalised.
  const auto [given, normalized] = GENERATE(
      Tag{"de", "de"}, Tag{"DE", "de"}, Tag{"FIL", "fil"},
      Tag{"pt-BR", "pt-br"}, Tag{"pt_BR", "pt-br"}, Tag{"en_GB", "en-gb"},
      Tag{"zh-Hant-TW", "zh-hant-tw"}, Tag{"de-1996", "de-1996"},
      Tag{"es-419", "es-419"}, Tag{"sl-rozaj-biske", "sl-rozaj-biske"},
      Tag{"de-x-12345678", "de-x-12345678"}, Tag{"en-a_b-c", "en-a-b-c"});
  INFO(given);
  const std::optional<std::string> tag = NormalizeLanguageTag(given);
  REQUIRE(tag);
  CHECK(*tag == normalized);
  // Normalising again changes nothing.
  CHECK(NormalizeLanguageTag(*tag) == tag);
}

TEST_CASE("NormalizeLanguageTag refuses what is not shaped like a tag",
          "[config][language]") {
  const std::vector<std::string> not_tags = {
      "",    "e",   "german", "d3",     "1de",     "-de",
      "_de", "de-", "de_",    "de--at", "de-_at",  "de-abcdefghi",
      "d e", "de ", " de",    "de.at",  "de-AT/x", "de\tat"};
  for (const std::string& bad : not_tags) {
    INFO('"' << bad << '"');
    CHECK_FALSE(NormalizeLanguageTag(bad));
  }
  CHECK_FALSE(NormalizeLanguageTag("de\n"));
  // Letters beyond ASCII (ä) are no subtag letters.
  CHECK_FALSE(NormalizeLanguageTag("\xC3\xA4\xC3\xA4"));
  CHECK_FALSE(NormalizeLanguageTag("de-\xC3\xA4"));
  CHECK_FALSE(NormalizeLanguageTag(std::string("de\0", 3)));
  // The longest subtags accepted, and one letter more.
  CHECK(NormalizeLanguageTag("abc-abcdefgh"));
  CHECK_FALSE(NormalizeLanguageTag("abcd-abcdefgh"));
  CHECK_FALSE(NormalizeLanguageTag("abc-abcdefghi"));
}

}  // namespace
}  // namespace newswatch::config
