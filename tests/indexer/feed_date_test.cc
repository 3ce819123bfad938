#include "indexer/feed_date.h"

#include <catch2/catch.hpp>

namespace newswatch::indexer {
namespace {

// 2025-11-23T10:15:00Z.
constexpr std::int64_t kSunday1015Utc = 1763892900;

TEST_CASE("ParseFeedDate reads RFC 822 dates with named and numeric zones",
          "[feed_date]") {
  CHECK(ParseFeedDate("Sun, 23 Nov 2025 10:15:00 GMT") == kSunday1015Utc);
  CHECK(ParseFeedDate("Sun, 23 Nov 2025 10:15:00 +0100") ==
        kSunday1015Utc - 3600);
  CHECK(ParseFeedDate("Sun, 23 Nov 2025 10:15:00 EST") ==
        kSunday1015Utc + 5 * 3600);
  CHECK(ParseFeedDate("Sun, 23 Nov 2025 10:15:00 Z") == kSunday1015Utc);
  CHECK(ParseFeedDate("23 Nov 2025 10:15:00 -0800") ==
        kSunday1015Utc + 8 * 3600);
  CHECK(ParseFeedDate("  Sun, 23 Nov 2025 10:15:00 GMT\n") == kSunday1015Utc);
}

TEST_CASE("ParseFeedDate reads RFC 3339 and ISO 8601 dates", "[feed_date]") {
  CHECK(ParseFeedDate("2025-11-23T10:15:00Z") == kSunday1015Utc);
  CHECK(ParseFeedDate("2025-11-23T10:15:00.123+01:00") ==
        kSunday1015Utc - 3600);
  CHECK(ParseFeedDate("2025-11-23T10:15:00-05:30") ==
        kSunday1015Utc + 5 * 3600 + 30 * 60);
  CHECK(ParseFeedDate("2025-11-23T10:15:00+0100") == kSunday1015Utc - 3600);
  CHECK(ParseFeedDate("2025-11-23 10:15:00Z") == kSunday1015Utc);
  CHECK(ParseFeedDate("2025-11-23T10:15Z") == kSunday1015Utc);
  // Without a zone, UTC.
  CHECK(ParseFeedDate("2025-11-23T10:15:00") == kSunday1015Utc);
  // Date only: midnight UTC.
  CHECK(ParseFeedDate("2025-11-23") == kSunday1015Utc - (10 * 3600 + 15 * 60));
  CHECK(ParseFeedDate("2024-02-29T00:00:00Z") == 1709164800);
}

TEST_CASE("ParseFeedDate rejects what is not a date", "[feed_date]") {
  CHECK_FALSE(ParseFeedDate("").has_value());
  CHECK_FALSE(ParseFeedDate("   ").has_value());
  CHECK_FALSE(ParseFeedDate("garbage").has_value());
  CHECK_FALSE(ParseFeedDate("yesterday at noon").has_value());
  CHECK_FALSE(ParseFeedDate("12").has_value());
  CHECK_FALSE(ParseFeedDate("2025-13-01").has_value());
  CHECK_FALSE(ParseFeedDate("2025-02-29").has_value());
  CHECK_FALSE(ParseFeedDate("2025-11-23T25:00:00Z").has_value());
  CHECK_FALSE(ParseFeedDate("2025-11-23T10:15:00Zjunk").has_value());
  CHECK_FALSE(ParseFeedDate("2025-11-23Tnoon").has_value());
  CHECK_FALSE(ParseFeedDate("Mon, 32 Nov 2025 10:15:00 GMT").has_value());
}

}  // namespace
}  // namespace newswatch::indexer
