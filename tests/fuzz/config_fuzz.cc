// Fuzz target: arbitrary bytes as newswatch.toml. Loading must yield a config
// or a list of errors, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = newswatch::config::ParseConfig(text, "/fuzz/newswatch.toml");
  for (const auto& error : loaded.errors) (void)error.ToString();
  return 0;
}
