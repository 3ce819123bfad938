// Durations as operators write them in the config: "90s", "15m", "1h30m", "2d".
#ifndef NEWSWATCH_CONFIG_DURATION_H_
#define NEWSWATCH_CONFIG_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "config/error.h"

namespace newswatch::config {

using Seconds = std::chrono::seconds;

// Parses a sequence of <number><unit> parts, unit one of s, m, h, d
// (e.g. "1h30m"). Zero, negative, empty and unit-less values are errors; the
// Error's `what` says why, `where` is left for the caller to fill.
Result<Seconds> ParseDuration(std::string_view text);

// The shortest spelling ParseDuration reads back: 5400s -> "1h30m".
std::string FormatDuration(Seconds duration);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_DURATION_H_
