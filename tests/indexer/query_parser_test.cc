#include <catch2/catch.hpp>

#include "indexer/query.h"

namespace newswatch::indexer {
namespace {

std::string Parsed(const std::string& text) {
  config::Result<QueryNode> parsed = ParseQuery(text);
  INFO("query: " << text);
  REQUIRE(parsed.ok());
  return parsed.value().ToString();
}

std::string ErrorOf(const std::string& text) {
  config::Result<QueryNode> parsed = ParseQuery(text);
  INFO("query: " << text);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().what;
}

TEST_CASE("ParseQuery ANDs words by default", "[query]") {
  CHECK(Parsed("troop cap") == "(troop AND cap)");
  CHECK(Parsed("Ukraine AND troop cap") == "(Ukraine AND troop AND cap)");
  CHECK(Parsed("  spaced   out  ") == "(spaced AND out)");
}

TEST_CASE("ParseQuery binds OR tighter than AND, as web search does",
          "[query]") {
  CHECK(Parsed("Ukraine troops OR soldiers") ==
        "(Ukraine AND (troops OR soldiers))");
  CHECK(Parsed("a OR b OR c") == "(a OR b OR c)");
  CHECK(Parsed("(a b) OR c") == "((a AND b) OR c)");
}

TEST_CASE("ParseQuery reads NOT and -word as negation", "[query]") {
  CHECK(Parsed("Russia NOT sanctions") == "(Russia AND NOT sanctions)");
  CHECK(Parsed("Russia -sanctions") == "(Russia AND NOT sanctions)");
  CHECK(Parsed("-\"price cap\" oil") == "(NOT \"price cap\" AND oil)");
  CHECK(Parsed("a -(b OR c)") == "(a AND NOT (b OR c))");
  CHECK(Parsed("NOT a") == "NOT a");
}

TEST_CASE("ParseQuery keeps hyphenated words whole", "[query]") {
  CHECK(Parsed("air-defence systems") == "(air-defence AND systems)");
}

TEST_CASE("ParseQuery treats lower-case operators as words", "[query]") {
  CHECK(Parsed("war and peace") == "(war AND and AND peace)");
  CHECK(Parsed("or not") == "(or AND not)");
}

TEST_CASE("ParseQuery reads quoted phrases", "[query]") {
  CHECK(Parsed("\"troop cap\" Ukraine") == "(\"troop cap\" AND Ukraine)");
}

TEST_CASE("ParseQuery refuses unbalanced parentheses", "[query]") {
  CHECK_THAT(
      ErrorOf("(Ukraine troops"),
      Catch::Contains("unbalanced parentheses") && Catch::Contains("column 1"));
  CHECK_THAT(ErrorOf("Ukraine troops)"),
             Catch::Contains("unbalanced parentheses") &&
                 Catch::Contains("column 15"));
  CHECK_THAT(ErrorOf("((a) b"), Catch::Contains("never closed"));
  CHECK_THAT(ErrorOf("()"), Catch::Contains("empty parentheses"));
}

TEST_CASE("ParseQuery refuses unbalanced quotes", "[query]") {
  CHECK_THAT(ErrorOf("\"troop cap"), Catch::Contains("unbalanced quotes") &&
                                         Catch::Contains("column 1"));
  CHECK_THAT(ErrorOf("a \"b\" \"c"), Catch::Contains("column 7"));
  CHECK_THAT(ErrorOf("\"\""), Catch::Contains("no words"));
}

TEST_CASE("ParseQuery refuses dangling and doubled operators", "[query]") {
  CHECK_THAT(ErrorOf("Ukraine AND"), Catch::Contains("AND at column 9") &&
                                         Catch::Contains("nothing after it"));
  CHECK_THAT(ErrorOf("OR troops"), Catch::Contains("OR at column 1") &&
                                       Catch::Contains("nothing before it"));
  CHECK_THAT(ErrorOf("a AND AND b"), Catch::Contains("is followed by AND"));
  CHECK_THAT(ErrorOf("a OR AND b"), Catch::Contains("OR at column 3"));
  CHECK_THAT(ErrorOf("a NOT"), Catch::Contains("NOT at column 3"));
  CHECK_THAT(ErrorOf("(a OR)"), Catch::Contains("nothing after it"));
}

TEST_CASE("ParseQuery refuses empty queries and words without letters",
          "[query]") {
  CHECK_THAT(ErrorOf(""), Catch::Contains("empty"));
  CHECK_THAT(ErrorOf("   "), Catch::Contains("empty"));
  CHECK_THAT(ErrorOf("troops —"), Catch::Contains("no letters or digits") &&
                                      Catch::Contains("column 8"));
}

TEST_CASE("ParseQuery bounds size and nesting", "[query]") {
  CHECK_THAT(ErrorOf(std::string(kMaxQueryBytes + 1, 'a')),
             Catch::Contains("limit"));
  CHECK_THAT(ErrorOf(std::string(200, '(') + "a" + std::string(200, ')')),
             Catch::Contains("nested too deeply"));
  std::string negations;
  for (int i = 0; i < 100; ++i) negations += "NOT ";
  CHECK_THAT(ErrorOf(negations + "a"), Catch::Contains("nested too deeply"));
}

}  // namespace
}  // namespace newswatch::indexer
