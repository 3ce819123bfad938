// Running the real newswatch binary from tests.
#ifndef NEWSWATCH_TESTS_SUPPORT_PROCESS_H_
#define NEWSWATCH_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace newswatch::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 if killed by a signal.
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] a path) to completion, capturing stdout and stderr.
// `env` entries ("NAME=value") are added to the inherited environment.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

// A process left running (the daemon), with output captured to files.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();  // Kills the process if it still runs.
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // What it wrote to stderr so far.
  std::string Err() const;
  // Polls Err() until it contains `text` or `timeout` passes.
  bool WaitForErr(const std::string& text, std::chrono::milliseconds timeout);
  void Signal(int signal);
  // Waits for exit up to `timeout`; the exit code, or -1 on timeout/signal.
  int Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_file_;
  std::filesystem::path err_file_;
  bool exited_ = false;
};

}  // namespace newswatch::testing

#endif  // NEWSWATCH_TESTS_SUPPORT_PROCESS_H_
