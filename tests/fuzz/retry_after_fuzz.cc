// Fuzz target: arbitrary bytes as a receiver's Retry-After header. The
// answer is nothing, or a time between now and now + kMaxRetryAfterSeconds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "alerts/retry_after.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  constexpr std::int64_t kNow = 1'700'000'000;
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const auto at = newswatch::alerts::ParseRetryAfter(value, kNow);
  if (at &&
      (*at < kNow || *at > kNow + newswatch::alerts::kMaxRetryAfterSeconds)) {
    std::abort();
  }
  return 0;
}
