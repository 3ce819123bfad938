// The dates feeds write: RFC 822 in RSS, RFC 3339 in Atom and Dublin Core,
// each in the other's elements often enough, and the variants and local
// forms Python's feedparser has learnt to read.
#ifndef NEWSWATCH_INDEXER_FEED_DATE_H_
#define NEWSWATCH_INDEXER_FEED_DATE_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace newswatch::indexer {

// Parses `text` as a feed date and returns Unix seconds (UTC; fractions of a
// second dropped), or nullopt when it is no date. Surrounding whitespace aside,
// it accepts:
//
// - RFC 822/1123: "Sun, 23 Nov 2025 10:15:00 GMT", with the weekday (not
//   checked against the date), the seconds or the whole time (midnight)
//   optional; one- or two-digit day and time fields; months abbreviated or in
//   full, in any case, before or after the day; stray commas; two-digit years
//   (00-89 are 2000-2089, 90-99 are 1990-1999: feedparser's pivot); an AM/PM
//   clock; asctime's order ("Sun Jan  4 16:29:06 2004"); RFC 850's
//   "06-Nov-94"; "2006/09/15"; a trailing "(comment)".
// - Zones for those: GMT, UT, UTC, Z; EST, EDT, CST, CDT, MST, MDT, PST, PDT,
//   the ET/CT/MT/PT/AT feedparser knows and some European and Pacific names;
//   RFC 822's military letters A-Z except J, with RFC 822's signs as
//   feedparser reads them (A is -0100, N is +0100); "+0100", "-05:30", "+01",
//   "GMT-01:00", "Etc/GMT". Another name of up to five letters is taken as
//   UTC, as feedparser takes it. No zone is UTC.
// - ISO 8601, RFC 3339, W3C-DTF: calendar dates, extended or basic
//   ("2025-11-23", "20251123"); ordinal dates ("2025-327", "2025327"); the
//   partial "2025" and "2025-11", meaning the start of the period in UTC; the
//   truncated two-digit-year dates feedparser reads ("03-12-31", "031231",
//   "03335", "-03-12"). Then optionally a time after "T" or spaces, "10:15",
//   "10:15:00", "101500", fraction dropped, and "Z", "+01:00", "+0100", "+01"
//   or, after a space, a zone name; no zone is UTC. Week dates are not read
//   (nor does feedparser read them).
// - Greek RFC 822 ("Κυρ, 11 Ιούλ 2004 12:00:00 EST"), Hungarian month names
//   ("2004-július-13T9:15-05:00") and two Korean blog forms
//   ("2004-05-25 오후 11:23:17", "2004년 05월 28일 01:31:15"; Korean time).
//
// Rejects out-of-range fields (month 13, day 32, 29 February of a common
// year, hour 24, minute 60, second 61; 60 is a leap second), years outside
// 1-9999, offsets beyond 23:59, trailing text and texts over 100 bytes.
// Thread-safe.
std::optional<std::int64_t> ParseFeedDate(std::string_view text);

}  // namespace newswatch::indexer

#endif  // NEWSWATCH_INDEXER_FEED_DATE_H_
