#include "indexer/feed_date.h"

#include <curl/curl.h>

#include <ctime>
#include <string>

#include "indexer/text_util.h"

namespace newswatch::indexer {
namespace {

// Reads an ISO 8601 date-time left to right.
class IsoScanner {
 public:
  explicit IsoScanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  // Reads exactly `count` digits into *value.
  bool Digits(size_t count, int* value) {
    if (pos_ + count > text_.size()) return false;
    int result = 0;
    for (size_t k = 0; k < count; ++k) {
      const char c = text_[pos_ + k];
      if (c < '0' || c > '9') return false;
      result = result * 10 + (c - '0');
    }
    pos_ += count;
    *value = result;
    return true;
  }

  // Consumes the next character if it is one of `choices`.
  bool Accept(std::string_view choices) {
    if (AtEnd() || choices.find(text_[pos_]) == std::string_view::npos) {
      return false;
    }
    ++pos_;
    return true;
  }

  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipDigits() {
    while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads the zone designator at the scanner ("Z", "+01:00", "+0100", "+01"
// or nothing, meaning UTC) as seconds east of UTC.
std::optional<int> ReadZoneOffset(IsoScanner& scan) {
  if (scan.AtEnd() || scan.Accept("Zz")) return 0;
  const char sign = scan.Peek();
  if (!scan.Accept("+-")) return std::nullopt;
  int hours = 0;
  int minutes = 0;
  if (!scan.Digits(2, &hours)) return std::nullopt;
  if (!scan.AtEnd()) {
    scan.Accept(":");
    if (!scan.Digits(2, &minutes)) return std::nullopt;
  }
  if (hours > 23 || minutes > 59) return std::nullopt;
  const int offset = hours * 3600 + minutes * 60;
  return sign == '-' ? -offset : offset;
}

// RFC 3339 and the ISO 8601 forms feeds use: a calendar date, optionally a
// time (seconds and fraction optional) and a zone.
std::optional<std::int64_t> ParseIso8601(std::string_view text) {
  IsoScanner scan(text);
  std::tm fields{};
  int year = 0;
  int month = 0;
  int day = 0;
  if (!scan.Digits(4, &year) || !scan.Accept("-") || !scan.Digits(2, &month) ||
      !scan.Accept("-") || !scan.Digits(2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset = 0;
  if (!scan.AtEnd()) {
    if (!scan.Accept("Tt ") || !scan.Digits(2, &hour) || !scan.Accept(":") ||
        !scan.Digits(2, &minute)) {
      return std::nullopt;
    }
    if (scan.Accept(":")) {
      if (!scan.Digits(2, &second)) return std::nullopt;
      if (scan.Accept(".,")) scan.SkipDigits();  // Sub-second precision.
    }
    // 60 is a leap second, which timegm folds into the next minute.
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const std::optional<int> zone = ReadZoneOffset(scan);
    if (!zone || !scan.AtEnd()) return std::nullopt;
    offset = *zone;
  }
  fields.tm_year = year - 1900;
  fields.tm_mon = month - 1;
  fields.tm_mday = day;
  fields.tm_hour = hour;
  fields.tm_min = minute;
  fields.tm_sec = second;
  // The fields are local time at `offset`; UTC is that minus the offset.
  return static_cast<std::int64_t>(timegm(&fields)) - offset;
}

bool LooksLikeIso8601(std::string_view text) {
  if (text.size() < 5 || text[4] != '-') return false;
  for (size_t k = 0; k < 4; ++k) {
    if (text[k] < '0' || text[k] > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<std::int64_t> ParseFeedDate(std::string_view text) {
  // Real dates are short; the bound keeps curl_getdate from scanning junk.
  constexpr size_t kMaxDateLength = 100;
  text = TrimAscii(text);
  if (text.empty() || text.size() > kMaxDateLength) return std::nullopt;
  if (LooksLikeIso8601(text)) return ParseIso8601(text);
  // curl_getdate knows RFC 822/850/1123 and asctime forms, named zones
  // included. It returns -1 for failure, which is also a valid second in
  // 1969: no feed item is dated then.
  const std::string terminated(text);
  const time_t seconds = curl_getdate(terminated.c_str(), nullptr);
  if (seconds == -1) return std::nullopt;
  return static_cast<std::int64_t>(seconds);
}

}  // namespace newswatch::indexer
