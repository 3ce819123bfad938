#include "config/text.h"

#include <catch2/catch.hpp>
#include <string>

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

}  // namespace
}  // namespace newswatch::config
