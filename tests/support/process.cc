#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.h"

extern char** environ;

namespace newswatch::testing {

namespace {

std::filesystem::path UniqueOutputFile(const char* suffix) {
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("newswatch-proc-" + std::to_string(getpid()) + "-" +
          std::to_string(counter++) + suffix);
}

pid_t Spawn(const std::vector<std::string>& argv,
            const std::vector<std::string>& extra_env,
            const std::filesystem::path& out_file,
            const std::filesystem::path& err_file) {
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    env_strings.emplace_back(*entry);
  }
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (const std::string& entry : env_strings) {
    env.push_back(const_cast<char*>(entry.c_str()));
  }
  env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The child starts with no signals blocked, whatever the test runner did.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, args[0], &actions, &attributes,
                                 args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (failed != 0) throw std::runtime_error("cannot spawn " + argv[0]);
  return pid;
}

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env) {
  const auto out_file = UniqueOutputFile(".out");
  const auto err_file = UniqueOutputFile(".err");
  const pid_t pid = Spawn(argv, env, out_file, err_file);
  int status = 0;
  waitpid(pid, &status, 0);
  ProcessResult result{ExitCode(status), ReadFile(out_file),
                       ReadFile(err_file)};
  std::filesystem::remove(out_file);
  std::filesystem::remove(err_file);
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv)
    : out_file_(UniqueOutputFile(".out")), err_file_(UniqueOutputFile(".err")) {
  pid_ = Spawn(argv, {}, out_file_, err_file_);
}

BackgroundProcess::~BackgroundProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(out_file_, ignored);
  std::filesystem::remove(err_file_, ignored);
}

std::string BackgroundProcess::Err() const { return ReadFile(err_file_); }

bool BackgroundProcess::WaitForErr(const std::string& text,
                                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Err().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void BackgroundProcess::Signal(int signal) { kill(pid_, signal); }

int BackgroundProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return ExitCode(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

}  // namespace newswatch::testing
