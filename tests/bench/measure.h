// Measuring for the benchmarks: the machine they ran on, wall and CPU
// clocks, medians and percentiles, the process's resident memory, and
// finding a baseline tool on PATH. Header-only; every bench is one
// executable.
#ifndef NEWSWATCH_TESTS_BENCH_MEASURE_H_
#define NEWSWATCH_TESTS_BENCH_MEASURE_H_

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::bench {

inline std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("model name")) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

// One line naming the machine, as every bench prints it first: the figures
// mean little without it. The load average says whether others were busy.
inline void PrintMachine() {
  utsname machine{};
  uname(&machine);
  double load[3] = {};
  getloadavg(load, 3);
  std::printf("machine: %s, %ld cores online, %s %s %s; load average %.1f\n",
              CpuModel().c_str(), sysconf(_SC_NPROCESSORS_ONLN),
              machine.sysname, machine.release, machine.machine, load[0]);
}

// Wall time since construction.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// CPU time of the whole process (every thread), in seconds.
inline double ProcessCpuSeconds() {
  timespec time{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
  return static_cast<double>(time.tv_sec) +
         static_cast<double>(time.tv_nsec) / 1e9;
}

// The value at quantile `q` (0..1) of `values`, nearest rank; 0 if empty.
inline double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::min(rank == 0 ? 0 : rank - 1, values.size() - 1)];
}

inline double Median(const std::vector<double>& values) {
  return Quantile(values, 0.5);
}

inline double Max(const std::vector<double>& values) {
  return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); 0 if unknown.
inline size_t ProcStatusBytes(std::string_view field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field) && line.size() > field.size() &&
        line[field.size()] == ':') {
      return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10) * 1024;
    }
  }
  return 0;
}

inline size_t ResidentBytes() { return ProcStatusBytes("VmRSS"); }
inline size_t PeakResidentBytes() { return ProcStatusBytes("VmHWM"); }

inline double Megabytes(size_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

// `program` found on PATH, as a shell would; nullopt when absent.
inline std::optional<std::filesystem::path> FindOnPath(
    std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::filesystem::path candidate =
        std::filesystem::path(rest.substr(0, colon)) /
        std::filesystem::path(program);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

}  // namespace newswatch::bench

#endif  // NEWSWATCH_TESTS_BENCH_MEASURE_H_
