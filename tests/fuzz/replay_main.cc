// A driver for the fuzz targets without libFuzzer, so that every build (and
// the sanitizer build in CI) runs them as ordinary tests: each seed file, then
// a fixed number of deterministic mutations of the seeds (bit flips,
// truncations, insertions of syntax bytes, splices of two seeds).
//
// usage: <target> [--iterations N] SEED_FILE_OR_DIR...
// The libFuzzer build (./dev fuzz) links the same targets with
// -fsanitize=fuzzer instead, for coverage-guided search.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()),
                         input.size());
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Mutate(const std::vector<std::string>& seeds,
                   std::mt19937& random) {
  static const char kSyntax[] = "<>&;\"'/=![]()-:# \n\r\t\xef\xbb\xbf\xc3\xff";
  std::string input = seeds[random() % seeds.size()];
  const int edits = 1 + static_cast<int>(random() % 8);
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = input.empty() ? 0 : random() % input.size();
    switch (random() % 5) {
      case 0:  // Flip a bit.
        if (!input.empty())
          input[at] = static_cast<char>(input[at] ^ (1 << (random() % 8)));
        break;
      case 1:  // Truncate.
        input.resize(at);
        break;
      case 2:  // Insert a syntax byte.
        input.insert(at, 1, kSyntax[random() % (sizeof kSyntax - 1)]);
        break;
      case 3:  // Duplicate a slice (deep nesting, repeated elements).
        if (!input.empty()) {
          const std::size_t length = random() % (input.size() - at + 1);
          input.insert(at, input.substr(at, length));
        }
        break;
      default: {  // Splice in part of another seed.
        const std::string& other = seeds[random() % seeds.size()];
        const std::size_t from = other.empty() ? 0 : random() % other.size();
        input.insert(at, other.substr(from, random() % 256));
      }
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 2000;
  std::vector<std::string> seeds;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
      iterations = std::atol(argv[++i]);
      continue;
    }
    const std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) seeds.push_back(ReadAll(entry.path()));
      }
    } else {
      seeds.push_back(ReadAll(path));
    }
  }
  if (seeds.empty()) {
    std::cerr << "no seed inputs given\n";
    return 2;
  }
  for (const std::string& seed : seeds) Run(seed);
  std::mt19937 random(20251123);  // Fixed: a failure reproduces.
  for (long i = 0; i < iterations; ++i) Run(Mutate(seeds, random));
  std::cout << seeds.size() << " seeds and " << iterations
            << " mutations ran without a crash\n";
  return 0;
}
