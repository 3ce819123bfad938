#include "indexer/feed_date.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "indexer/text_util.h"

// Every reader here is our own code rather than libcurl's curl_getdate, which
// the house otherwise prefers for RFC 822. It does not serve feeds: it rejects
// "-01:01", "Etc/GMT", the US "ET"/"PT" and unknown zone names; it silently
// drops the offset of "GMT-01:01"; it rolls "31 Feb" into March and ignores
// trailing junk instead of rejecting them; it reads two-digit years with a
// pivot of 70 where feedparser uses 90; it refuses years before 1583; and its
// failure value is also a valid second. Correcting all that around it would
// mean tokenising the date fully first, after which it has nothing left to do.

namespace newswatch::indexer {
namespace {

// A date and time as written, before validation: local time at
// `offset_seconds` east of UTC. Readers leave unwritten fields at the start
// of the period (January, the 1st, midnight) and the zone at UTC.
struct DateFields {
  int year = 0;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset_seconds = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads a date left to right, byte by byte; UTF-8 words match as bytes.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  // The byte `ahead` places on, or '\0' past the end.
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  // The number of consecutive digits at the position.
  size_t DigitRun() const {
    size_t end = pos_;
    while (end < text_.size() && IsDigit(text_[end])) ++end;
    return end - pos_;
  }

  // Reads exactly `count` digits. `count` is at most 4, so *value cannot
  // overflow whatever the input.
  bool Digits(size_t count, int* value) {
    if (count > 4 || DigitRun() < count) return false;
    int result = 0;
    for (size_t k = 0; k < count; ++k) {
      result = result * 10 + (text_[pos_ + k] - '0');
    }
    pos_ += count;
    *value = result;
    return true;
  }

  // Reads a whole run of `min` to `max` digits; a longer run is no match.
  bool DigitsBetween(size_t min, size_t max, int* value) {
    const size_t run = DigitRun();
    return run >= min && run <= max && Digits(run, value);
  }

  void SkipDigits() { pos_ += DigitRun(); }

  // Consumes the next byte if it is one of `choices`.
  bool Accept(std::string_view choices) {
    if (AtEnd() || choices.find(text_[pos_]) == std::string_view::npos) {
      return false;
    }
    ++pos_;
    return true;
  }

  // Consumes `word` if the text continues with exactly it.
  bool AcceptWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // Skips spaces and tabs; returns how many.
  size_t SkipSpaces() {
    const size_t start = pos_;
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    return pos_ - start;
  }

  // Consumes and returns the ASCII letters at the position.
  std::string_view Letters() {
    const size_t start = pos_;
    while (!AtEnd() && IsAsciiAlpha(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::string_view Rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// --- The calendar ---

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// `month` must be 1 to 12.
int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to a valid proleptic Gregorian date, by Howard
// Hinnant's days_from_civil: the year is counted from March so that the leap
// day falls last, and 400-year eras repeat exactly. Unlike timegm, no error
// value and no dependence on the size of time_t.
std::int64_t DaysFromCivil(int year, int month, int day) {
  const std::int64_t march_year = month <= 2 ? year - 1 : year;
  const std::int64_t era =
      (march_year >= 0 ? march_year : march_year - 399) / 400;
  const std::int64_t year_of_era = march_year - era * 400;
  const int month_from_march = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// Validates every field and returns the UTC instant they name. Years are
// 1 to 9999, as in feedparser (Python's datetime); second 60 is a leap
// second, which folds into the next minute.
std::optional<std::int64_t> ToUnixSeconds(const DateFields& date) {
  constexpr int kDaySeconds = 24 * 3600;
  if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12 ||
      date.day < 1 || date.day > DaysInMonth(date.year, date.month) ||
      date.hour < 0 || date.hour > 23 || date.minute < 0 || date.minute > 59 ||
      date.second < 0 || date.second > 60 ||
      date.offset_seconds <= -kDaySeconds ||
      date.offset_seconds >= kDaySeconds) {
    return std::nullopt;
  }
  return DaysFromCivil(date.year, date.month, date.day) * kDaySeconds +
         date.hour * 3600 + date.minute * 60 + date.second -
         date.offset_seconds;
}

// Two-digit years: 00-89 are 2000-2089 and 90-99 are 1990-1999, the pivot of
// feedparser's RFC 822 reader. Its ISO 8601 reader takes the current century
// instead ("93" is 2093); one rule for both is simpler, and a feed dated in
// the 2090s is wrong anyway.
int ExpandTwoDigitYear(int year) {
  return year < 90 ? 2000 + year : 1900 + year;
}

// Sets the month and day from the day of the year (1 is January 1st).
bool SetDayOfYear(int day_of_year, DateFields* date) {
  if (date->year < 1 || day_of_year < 1 ||
      day_of_year > (IsLeapYear(date->year) ? 366 : 365)) {
    return false;
  }
  int month = 1;
  while (day_of_year > DaysInMonth(date->year, month)) {
    day_of_year -= DaysInMonth(date->year, month);
    ++month;
  }
  date->month = month;
  date->day = day_of_year;
  return true;
}

// Converts a 12-hour clock reading to 24 hours: 12 AM is midnight, 12 PM noon.
bool To24Hour(bool pm, int* hour) {
  if (*hour > 12) return false;
  *hour = *hour % 12 + (pm ? 12 : 0);
  return true;
}

// --- Zones ---

struct NamedZone {
  std::string_view name;  // Lower case.
  int minutes_east;
};

// RFC 822's names and feedparser's additions (the US "ET", "PT" and so on,
// "MET"), plus the common European and Pacific abbreviations. Ambiguous ones
// keep their RFC 822 or US meaning ("CST" is Central, not China).
constexpr NamedZone kZoneNames[] = {
    {"ut", 0},     {"utc", 0},     {"gmt", 0},     {"z", 0},      {"wet", 0},
    {"west", 60},  {"bst", 60},    {"cet", 60},    {"cest", 120}, {"met", 60},
    {"mest", 120}, {"eet", 120},   {"eest", 180},  {"msk", 180},  {"jst", 540},
    {"kst", 540},  {"aest", 600},  {"aedt", 660},  {"nzst", 720}, {"nzdt", 780},
    {"hst", -600}, {"akst", -540}, {"akdt", -480}, {"adt", -180}, {"ast", -240},
    {"at", -240},  {"edt", -240},  {"est", -300},  {"et", -300},  {"cdt", -300},
    {"cst", -360}, {"ct", -360},   {"mdt", -360},  {"mst", -420}, {"mt", -420},
    {"pdt", -420}, {"pst", -480},  {"pt", -480},
};

// The offset of a lower-case zone name, or nullopt for a name not known.
std::optional<int> ZoneNameOffset(std::string_view name) {
  for (const NamedZone& zone : kZoneNames) {
    if (zone.name == name) return zone.minutes_east * 60;
  }
  // RFC 822's military zones, with RFC 822's signs: "a" to "i" are -1 to -9
  // hours, "k" to "m" -10 to -12, "n" to "y" +1 to +12. RFC 1123 (5.2.14)
  // says those signs are the reverse of military usage; feedparser (and
  // curl) keep RFC 822's, and so do we, so a feed reads the same here as
  // there. "j" (the observer's local time) is no offset at all.
  if (name.size() == 1 && name[0] >= 'a' && name[0] <= 'y' && name[0] != 'j') {
    const char letter = name[0];
    const int hours = letter < 'j'    ? -(letter - 'a' + 1)
                      : letter <= 'm' ? -(letter - 'a')
                                      : letter - 'n' + 1;
    return hours * 3600;
  }
  return std::nullopt;
}

// Reads a numeric offset: "+01:00", "+0100", "+01" or "+1", either sign.
// Offsets beyond 23:59 are no zone.
bool ReadNumericOffset(Scanner& scan, int* offset_seconds) {
  const char sign = scan.Peek();
  if (!scan.Accept("+-")) return false;
  int hours = 0;
  int minutes = 0;
  const size_t run = scan.DigitRun();
  if (run == 4) {
    scan.Digits(2, &hours);
    scan.Digits(2, &minutes);
  } else if (run == 1 || run == 2) {
    scan.Digits(run, &hours);
    if (scan.Accept(":") && !scan.DigitsBetween(2, 2, &minutes)) return false;
  } else {
    return false;
  }
  if (hours > 23 || minutes > 59) return false;
  const int offset = hours * 3600 + minutes * 60;
  *offset_seconds = sign == '-' ? -offset : offset;
  return true;
}

// Reads hh:mm[:ss] where each field may have one or two digits, as
// feedparser's RFC 822 reader allows ("9:05", "1:2:3").
bool ReadClock(Scanner& scan, DateFields* date) {
  if (!scan.DigitsBetween(1, 2, &date->hour) || !scan.Accept(":") ||
      !scan.DigitsBetween(1, 2, &date->minute)) {
    return false;
  }
  return !scan.Accept(":") || scan.DigitsBetween(1, 2, &date->second);
}

// --- ISO 8601, RFC 3339, W3C-DTF ---

// Reads an ISO 8601 calendar or ordinal date, extended or basic: YYYY-MM-DD,
// YYYYMMDD, YYYY-DDD, YYYYDDD; the W3C-DTF partial dates YYYY and YYYY-MM;
// one-digit months and days ("2004-7-8"), which W3C-DTF readers tolerate;
// feedparser's YYYY-0MM-DD; and the truncated two-digit-year forms of ISO
// 8601:1988 that feedparser reads (YY-MM-DD, YYMMDD, YY-DDD, YYDDD, -YY-MM,
// -YYMM). Sets *names_day to false for a date naming only a year or month.
// Week dates (2025-W47-7) are not read: feedparser does not, nor do feeds.
bool ReadIsoDate(Scanner& scan, DateFields* date, bool* names_day) {
  *names_day = true;
  int two_digit_year = 0;
  int day_of_year = 0;
  if (scan.Accept("-")) {  // -YY-MM or -YYMM.
    *names_day = false;
    if (!scan.Digits(2, &two_digit_year)) return false;
    date->year = ExpandTwoDigitYear(two_digit_year);
    scan.Accept("-");
    return scan.DigitsBetween(2, 2, &date->month);
  }
  switch (scan.DigitRun()) {
    case 2:  // YY-MM-DD or YY-DDD.
      scan.Digits(2, &two_digit_year);
      date->year = ExpandTwoDigitYear(two_digit_year);
      if (!scan.Accept("-")) return false;
      if (scan.DigitRun() == 3) {
        return scan.Digits(3, &day_of_year) && SetDayOfYear(day_of_year, date);
      }
      return scan.DigitsBetween(2, 2, &date->month) && scan.Accept("-") &&
             scan.DigitsBetween(2, 2, &date->day);
    case 4:  // YYYY, YYYY-MM, YYYY-MM-DD, YYYY-DDD or YYYY-0MM-DD.
      scan.Digits(4, &date->year);
      if (!scan.Accept("-")) {
        *names_day = false;
        return true;
      }
      if (scan.DigitRun() == 3 && scan.Peek(3) != '-') {
        return scan.Digits(3, &day_of_year) && SetDayOfYear(day_of_year, date);
      }
      if (scan.DigitRun() == 3 && !scan.Accept("0")) return false;
      if (!scan.DigitsBetween(1, 2, &date->month)) return false;
      if (!scan.Accept("-")) {
        *names_day = false;
        return true;
      }
      return scan.DigitsBetween(1, 2, &date->day);
    case 5:  // YYDDD.
      scan.Digits(2, &two_digit_year);
      date->year = ExpandTwoDigitYear(two_digit_year);
      return scan.Digits(3, &day_of_year) && SetDayOfYear(day_of_year, date);
    case 6:  // YYMMDD.
      scan.Digits(2, &two_digit_year);
      date->year = ExpandTwoDigitYear(two_digit_year);
      return scan.Digits(2, &date->month) && scan.Digits(2, &date->day);
    case 7:  // YYYYDDD.
      scan.Digits(4, &date->year);
      return scan.Digits(3, &day_of_year) && SetDayOfYear(day_of_year, date);
    case 8:  // YYYYMMDD.
      return scan.Digits(4, &date->year) && scan.Digits(2, &date->month) &&
             scan.Digits(2, &date->day);
    default:
      return false;
  }
}

// Reads the time after a date: "T" or spaces (the MSSQL form W3C-DTF readers
// accept), then hh:mm[:ss] with a one-digit hour allowed, or basic hhmm[ss];
// then a fraction of a second, which is dropped.
bool ReadIsoTime(Scanner& scan, DateFields* date) {
  if (!scan.Accept("Tt") && scan.SkipSpaces() == 0) return false;
  const size_t run = scan.DigitRun();
  bool has_seconds = false;
  if ((run == 1 || run == 2) && scan.Peek(run) == ':') {
    scan.Digits(run, &date->hour);
    scan.Accept(":");
    if (!scan.DigitsBetween(2, 2, &date->minute)) return false;
    if (scan.Accept(":")) {
      if (!scan.DigitsBetween(2, 2, &date->second)) return false;
      has_seconds = true;
    }
  } else if (run == 4 || run == 6) {
    scan.Digits(2, &date->hour);
    scan.Digits(2, &date->minute);
    has_seconds = run == 6 && scan.Digits(2, &date->second);
  } else {
    return false;
  }
  if (has_seconds && scan.Accept(".,")) {
    if (scan.DigitRun() == 0) return false;
    scan.SkipDigits();
  }
  return true;
}

// Reads the zone that ends an ISO 8601 date-time: nothing (UTC), "Z", a
// numeric offset, or after spaces a zone name such as "GMT" or "EST".
bool ReadIsoZone(Scanner& scan, int* offset_seconds) {
  const bool spaced = scan.SkipSpaces() > 0;
  *offset_seconds = 0;
  if (scan.AtEnd()) return true;
  if (scan.Peek() == '+' || scan.Peek() == '-') {
    return ReadNumericOffset(scan, offset_seconds) && scan.AtEnd();
  }
  const std::string name = LowerAscii(scan.Rest());
  if (name == "z") return true;
  const std::optional<int> offset =
      spaced ? ZoneNameOffset(name) : std::nullopt;
  if (!offset) return false;
  *offset_seconds = *offset;
  return true;
}

// Reads the time and zone, if any, after a date; the scanner must end there.
bool ReadIsoTimeAndZone(Scanner& scan, DateFields* date) {
  if (scan.AtEnd()) return true;
  return ReadIsoTime(scan, date) && ReadIsoZone(scan, &date->offset_seconds);
}

std::optional<DateFields> ParseIso8601(std::string_view text) {
  Scanner scan(text);
  DateFields date;
  bool names_day = false;
  if (!ReadIsoDate(scan, &date, &names_day)) return std::nullopt;
  // A partial date is the start of its period; it takes no time.
  if (!names_day) {
    return scan.AtEnd() ? std::optional(date) : std::nullopt;
  }
  if (!ReadIsoTimeAndZone(scan, &date)) return std::nullopt;
  return date;
}

// --- RFC 822 and its relatives ---

constexpr std::array<std::string_view, 12> kMonthAbbreviations = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdayAbbreviations = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "monday", "tuesday",  "wednesday", "thursday",
    "friday", "saturday", "sunday"};

struct NamedNumber {
  std::string_view name;
  int number;
};

// Greek feeds write RFC 822 with Greek abbreviations, with or without accents
// (feedparser's "greek" reader).
constexpr NamedNumber kGreekMonths[] = {
    {"Ιαν", 1},  {"Φεβ", 2},  {"Μαρ", 3},  {"Μάρ", 3},  {"Απρ", 4},
    {"Μαΐ", 5},  {"Μάι", 5},  {"Μαι", 5},  {"Ιουν", 6}, {"Ιούν", 6},
    {"Ιουλ", 7}, {"Ιούλ", 7}, {"Αυγ", 8},  {"Αύγ", 8},  {"Σεπ", 9},
    {"Οκτ", 10}, {"Νοε", 11}, {"Νοέ", 11}, {"Δεκ", 12}};
constexpr std::string_view kGreekWeekdays[] = {"Δευ", "Τρι", "Τετ", "Πεμ",
                                               "Πέμ", "Παρ", "Σαβ", "Κυρ"};

template <typename Names>
bool Contains(const Names& names, std::string_view word) {
  for (const std::string_view name : names) {
    if (name == word) return true;
  }
  return false;
}

// The month (1-12) of a lower-case English name, abbreviated or in full
// ("sept" too), or of a Greek abbreviation; 0 when `word` is none.
int MonthFromName(std::string_view word) {
  for (size_t k = 0; k < 12; ++k) {
    if (word == kMonthAbbreviations[k] || word == kMonthNames[k]) {
      return static_cast<int>(k) + 1;
    }
  }
  if (word == "sept") return 9;
  for (const NamedNumber& month : kGreekMonths) {
    if (month.name == word) return month.number;
  }
  return 0;
}

bool IsWeekdayName(std::string_view word) {
  return Contains(kWeekdayAbbreviations, word) ||
         Contains(kWeekdayNames, word) || Contains(kGreekWeekdays, word);
}

// Whether `token` is a number of `min` to `max` digits, and which.
bool ReadNumber(std::string_view token, size_t min, size_t max, int* value) {
  Scanner scan(token);
  return scan.DigitsBetween(min, max, value) && scan.AtEnd();
}

// A year of four digits, or two (expanded as feedparser does).
bool ReadYear(std::string_view token, int* year) {
  if (ReadNumber(token, 4, 4, year)) return true;
  if (!ReadNumber(token, 2, 2, year)) return false;
  *year = ExpandTwoDigitYear(*year);
  return true;
}

// "23 nov" or, as feedparser allows, "nov 23".
bool ReadDayAndMonth(std::string_view first, std::string_view second,
                     DateFields* date) {
  if (ReadNumber(first, 1, 2, &date->day)) {
    date->month = MonthFromName(second);
  } else if (ReadNumber(second, 1, 2, &date->day)) {
    date->month = MonthFromName(first);
  } else {
    return false;
  }
  return date->month != 0;
}

// A whole date in one token: RFC 850's "06-nov-94" (still in HTTP dates) or
// Perforce's "2006/09/15".
bool ReadOneTokenDate(std::string_view token, DateFields* date) {
  Scanner scan(token);
  if (scan.DigitRun() == 4) {
    return scan.Digits(4, &date->year) && scan.Accept("/") &&
           scan.DigitsBetween(1, 2, &date->month) && scan.Accept("/") &&
           scan.DigitsBetween(1, 2, &date->day) && scan.AtEnd();
  }
  if (!scan.DigitsBetween(1, 2, &date->day) || !scan.Accept("-")) return false;
  date->month = MonthFromName(scan.Letters());
  return date->month != 0 && scan.Accept("-") &&
         ReadYear(scan.Rest(), &date->year);
}

bool ReadClockToken(std::string_view token, DateFields* date) {
  Scanner scan(token);
  return ReadClock(scan, date) && scan.AtEnd();
}

// The zone of an RFC 822 date: a name, a military letter, "+0100", "-01:01",
// "GMT+01:00", "UTC-5" or "Etc/GMT". As in feedparser, an unknown name is
// read as UTC, but only a short alphabetic one, so that prose is no zone.
std::optional<int> ReadRfc822Zone(std::string_view token) {
  constexpr size_t kMaxUnknownNameLength = 5;
  // "Etc/GMT" is the tz database's name for UTC. Its "Etc/GMT+5" is UTC-5
  // (POSIX signs), which nobody means in a feed, so only the bare name goes.
  const bool tz_database = token.substr(0, 4) == "etc/";
  if (tz_database) token.remove_prefix(4);
  for (const std::string_view utc : {"gmt", "utc", "ut"}) {
    if (!tz_database && token.size() > utc.size() &&
        token.substr(0, utc.size()) == utc &&
        (token[utc.size()] == '+' || token[utc.size()] == '-')) {
      token.remove_prefix(utc.size());
      break;
    }
  }
  if (!tz_database && !token.empty() && (token[0] == '+' || token[0] == '-')) {
    Scanner scan(token);
    int offset = 0;
    if (!ReadNumericOffset(scan, &offset) || !scan.AtEnd()) return std::nullopt;
    return offset;
  }
  Scanner scan(token);
  if (token.empty() || scan.Letters().size() != token.size()) {
    return std::nullopt;
  }
  if (const std::optional<int> offset = ZoneNameOffset(token)) return offset;
  if (tz_database || token.size() > kMaxUnknownNameLength) return std::nullopt;
  return 0;
}

// Drops a trailing RFC 822 comment: "... -0500 (EST)".
std::string_view StripTrailingComment(std::string_view text) {
  if (text.empty() || text.back() != ')') return text;
  const size_t open = text.rfind('(');
  return open == std::string_view::npos ? text
                                        : TrimAscii(text.substr(0, open));
}

// Splits at whitespace and commas, which feeds scatter freely
// ("Fri,24 Nov 2023", "Mon, 13 Feb, 2012").
std::vector<std::string_view> SplitTokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find_first_of(" \t\r\n\f\v,", start);
    const size_t stop = end == std::string_view::npos ? text.size() : end;
    if (stop > start) tokens.push_back(text.substr(start, stop - start));
    start = stop + 1;
  }
  return tokens;
}

// RFC 822/1123 and the variants feedparser reads: [weekday] day month year
// [time] [zone], with the day and month in either order, the time and zone
// optional (midnight, UTC), one- or two-digit time fields, an AM/PM clock;
// asctime's "weekday month day time [zone] year"; and the one-token dates of
// ReadOneTokenDate. Names are matched ignoring ASCII case.
std::optional<DateFields> ParseRfc822(std::string_view text) {
  const std::string lower = LowerAscii(StripTrailingComment(text));
  const std::vector<std::string_view> tokens = SplitTokens(lower);
  size_t next = 0;
  const auto token = [&](size_t ahead = 0) {
    return next + ahead < tokens.size() ? tokens[next + ahead]
                                        : std::string_view();
  };
  DateFields date;
  // The weekday is redundant and often wrong: skipped unchecked, as
  // feedparser and curl do.
  if (IsWeekdayName(token())) ++next;
  bool has_year = false;
  if (ReadDayAndMonth(token(), token(1), &date)) {
    next += 2;
  } else if (ReadOneTokenDate(token(), &date)) {
    ++next;
    has_year = true;
  } else {
    return std::nullopt;
  }
  if (!has_year && ReadYear(token(), &date.year)) {
    ++next;
    has_year = true;
  }
  if (ReadClockToken(token(), &date)) {
    ++next;
    if (token() == "am" || token() == "pm") {
      if (!To24Hour(token() == "pm", &date.hour)) return std::nullopt;
      ++next;
    }
  }
  if (const std::optional<int> offset = ReadRfc822Zone(token())) {
    date.offset_seconds = *offset;
    ++next;
  }
  // asctime puts the year last: "Sun Jan  4 16:29:06 2004".
  if (!has_year && ReadNumber(token(), 4, 4, &date.year)) {
    ++next;
    has_year = true;
  }
  if (!has_year || next != tokens.size()) return std::nullopt;
  return date;
}

// --- Local forms feedparser knows ---

// Hungarian month names, in the ISO 8601 month position.
constexpr NamedNumber kHungarianMonths[] = {
    {"január", 1},     {"február", 2},  {"március", 3},   {"április", 4},
    {"május", 5},      {"június", 6},   {"július", 7},    {"augusztus", 8},
    {"szeptember", 9}, {"október", 10}, {"november", 11}, {"december", 12}};

// "2004-július-13T9:15-05:00": W3C-DTF with the month spelt in Hungarian and
// a one-digit day allowed.
std::optional<DateFields> ParseHungarian(std::string_view text) {
  Scanner scan(text);
  DateFields date;
  if (!scan.Digits(4, &date.year) || !scan.Accept("-")) return std::nullopt;
  date.month = 0;
  for (const NamedNumber& month : kHungarianMonths) {
    if (scan.AcceptWord(month.name)) {
      date.month = month.number;
      break;
    }
  }
  if (date.month == 0 || !scan.Accept("-") ||
      !scan.DigitsBetween(1, 2, &date.day) || scan.AtEnd() ||
      !ReadIsoTimeAndZone(scan, &date)) {
    return std::nullopt;
  }
  return date;
}

// Korean blogs write the local time of Korea (UTC+9, no daylight saving).
constexpr int kKoreaOffsetSeconds = 9 * 3600;

// Nate's "2004-05-25 오후 11:23:17": a 12-hour clock after 오전 (AM) or
// 오후 (PM).
std::optional<DateFields> ParseKoreanNate(std::string_view text) {
  Scanner scan(text);
  DateFields date;
  if (!scan.Digits(4, &date.year) || !scan.Accept("-") ||
      !scan.DigitsBetween(2, 2, &date.month) || !scan.Accept("-") ||
      !scan.DigitsBetween(2, 2, &date.day) || scan.SkipSpaces() == 0) {
    return std::nullopt;
  }
  const bool pm = scan.AcceptWord("오후");
  if ((!pm && !scan.AcceptWord("오전")) || scan.SkipSpaces() == 0 ||
      !ReadClock(scan, &date) || !scan.AtEnd() || !To24Hour(pm, &date.hour)) {
    return std::nullopt;
  }
  date.offset_seconds = kKoreaOffsetSeconds;
  return date;
}

// OnBlog's "2004년 05월 28일 01:31:15": year 년, month 월, day 일, then the
// time.
std::optional<DateFields> ParseKoreanOnblog(std::string_view text) {
  Scanner scan(text);
  DateFields date;
  if (!scan.Digits(4, &date.year) || !scan.AcceptWord("년") ||
      scan.SkipSpaces() == 0 || !scan.DigitsBetween(1, 2, &date.month) ||
      !scan.AcceptWord("월") || scan.SkipSpaces() == 0 ||
      !scan.DigitsBetween(1, 2, &date.day) || !scan.AcceptWord("일") ||
      scan.SkipSpaces() == 0 || !ReadClock(scan, &date) || !scan.AtEnd()) {
    return std::nullopt;
  }
  date.offset_seconds = kKoreaOffsetSeconds;
  return date;
}

}  // namespace

std::optional<std::int64_t> ParseFeedDate(std::string_view text) {
  // Real dates are short; the bound caps the work hostile input can cause.
  constexpr size_t kMaxDateLength = 100;
  text = TrimAscii(text);
  if (text.empty() || text.size() > kMaxDateLength) return std::nullopt;
  // Each reader takes only the whole text in its own syntax, and no text is
  // in two syntaxes, so the first that reads it decides.
  for (const auto reader : {ParseIso8601, ParseRfc822, ParseHungarian,
                            ParseKoreanNate, ParseKoreanOnblog}) {
    if (const std::optional<DateFields> date = reader(text)) {
      return ToUnixSeconds(*date);
    }
  }
  return std::nullopt;
}

}  // namespace newswatch::indexer
