#include "config/duration.h"

#include <cctype>
#include <limits>

namespace newswatch::config {

Result<Seconds> ParseDuration(std::string_view text) {
  const auto invalid = [&](const std::string& why) {
    return Error::Permanent(
        "", "invalid duration \"" + std::string(text) + "\": " + why +
                " (write e.g. \"90s\", \"15m\", \"1h30m\", \"2d\")");
  };
  if (text.empty()) return invalid("it is empty");
  // Bounded so that the sum below cannot overflow: ten years is plenty.
  constexpr long long kMaxSeconds = 10LL * 366 * 24 * 3600;
  long long total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return invalid("expected a number at \"" + std::string(text.substr(i)) +
                     "\"");
    }
    long long number = 0;
    while (i < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > kMaxSeconds) return invalid("it is too long");
      ++i;
    }
    if (i == text.size()) return invalid("a number needs a unit (s, m, h, d)");
    long long unit = 0;
    switch (text[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        return invalid(std::string("unknown unit '") + text[i] +
                       "' (use s, m, h or d)");
    }
    ++i;
    total += number * unit;
    if (total > kMaxSeconds) return invalid("it is too long");
  }
  if (total <= 0) return invalid("it must be longer than zero");
  return Seconds(total);
}

std::string FormatDuration(Seconds duration) {
  long long rest = duration.count();
  if (rest <= 0) return "0s";
  std::string out;
  for (const auto& [unit, suffix] :
       {std::pair{86400LL, 'd'}, {3600LL, 'h'}, {60LL, 'm'}, {1LL, 's'}}) {
    if (rest >= unit) {
      out += std::to_string(rest / unit) + suffix;
      rest %= unit;
    }
  }
  return out;
}

}  // namespace newswatch::config
