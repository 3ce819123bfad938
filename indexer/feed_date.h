// The dates feeds write: RFC 822 in RSS, RFC 3339 in Atom and Dublin Core,
// and each of them in the other's elements often enough.
#ifndef NEWSWATCH_INDEXER_FEED_DATE_H_
#define NEWSWATCH_INDEXER_FEED_DATE_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace newswatch::indexer {

// Parses `text` as an RFC 822/1123 date ("Sun, 23 Nov 2025 10:15:00 GMT",
// numeric or named zones) or an RFC 3339 / ISO 8601 date-time
// ("2025-11-23T10:15:00Z", "2025-11-23T10:15:00.123+01:00", or just
// "2025-11-23", read as midnight UTC), whichever it looks like, and returns
// Unix seconds (UTC; fractions of a second dropped). A date-time without a
// zone is taken as UTC. Returns nullopt when the text is no date.
// Thread-safe.
std::optional<std::int64_t> ParseFeedDate(std::string_view text);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_FEED_DATE_H_
