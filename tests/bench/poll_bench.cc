// poll_bench: one full polling cycle of the real newswatch binary
// (`newswatch run --once`: one libcurl multi loop, conditional GET, parse,
// index, match, per-feed state in SQLite) against a loopback server with
// FEEDS feeds, and beside it, in the same run, the same cycle for
// NEWSBOAT_FEEDS of those feeds through newsboat (`newsboat -x reload`), so
// the per-feed figures can be quoted as a ratio.
//
// The server runs in a child process forked before anything else, so the
// CPU time and peak memory measured for a fetcher (from wait4's rusage) are
// its own. Feed N is "unchanged" for N % 10 < 7: the same body and ETag
// every cycle, so a conditional GET gets 304. The others are "changed": each
// generation (one per cycle) serves a small RSS 2.0 feed of 4 items, 2 of
// them new, each with ~500 bytes of description. Cycle 1 primes (every feed
// answers 200); cycle 2 is the one measured: ~70% 304s, ~30% 200s with 2 new
// items each. A third cycle with no change at all (every feed 304) shows the
// cost of polling apart from the articles.
//
// Targets on the 2-core development machine, for a 10,000-feed cycle: under
// 10 s wall, under 2 s CPU, peak memory under 200 MB. With another FEEDS the
// wall and CPU targets are scaled linearly.
//
// usage: poll_bench [FEEDS] [NEWSBOAT_FEEDS]   (defaults 10000 and 1000;
//        NEWSBOAT_FEEDS 0 skips newsboat)
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/bench/news_words.h"
#include "tests/support/http_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_search.h"

extern char** environ;

namespace fs = std::filesystem;
using newswatch::testing::CountOccurrences;
using newswatch::testing::HttpRequest;
using newswatch::testing::HttpResponse;
using newswatch::testing::HttpServer;
using newswatch::testing::TempDir;

namespace {

// The same concurrency for both fetchers; every feed is on one host.
constexpr int kConcurrency = 32;
constexpr int kItemsPerFeed = 4;
constexpr int kNewItemsPerGeneration = 2;
constexpr long kTargetFeeds = 10'000;
constexpr double kTargetWallSeconds = 10.0;
constexpr double kTargetCpuSeconds = 2.0;
constexpr double kTargetPeakMb = 200.0;

// --- The feeds --------------------------------------------------------------

bool IsChanged(long feed) { return feed % 10 >= 7; }

// The generation whose content feed `feed` serves while the server is at
// `generation`: unchanged feeds serve the same content forever.
int ContentGeneration(long feed, int generation) {
  return IsChanged(feed) ? generation : 0;
}

std::string ETag(long feed, int content_generation) {
  return "\"f" + std::to_string(feed) + "-g" +
         std::to_string(content_generation) + "\"";
}

// An RFC 1123 date, `hours` after 2025-11-23 08:00 UTC.
std::string HoursIntoBench(int hours) {
  return newswatch::testing::HttpDate(1763884800 + std::int64_t{hours} * 3600);
}

// splitmix64: deterministic text from a seed.
class Words {
 public:
  explicit Words(std::uint64_t seed) : state_(seed) {}

  std::string_view Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return newswatch::bench::kNewsWords[z % std::size(
                                                newswatch::bench::kNewsWords)];
  }

  // Words up to about `bytes`, first letter capitalised, ending with ".".
  std::string Sentence(size_t bytes) {
    std::string sentence;
    while (sentence.size() < bytes) {
      if (!sentence.empty()) sentence += ' ';
      sentence += Next();
    }
    sentence[0] = static_cast<char>(
        std::toupper(static_cast<unsigned char>(sentence[0])));
    return sentence + ".";
  }

 private:
  std::uint64_t state_;
};

// Feed `feed` as RSS 2.0 at content generation `content_generation`: items
// 2g .. 2g+3, so each generation adds two and drops two; guids are stable.
std::string FeedBody(long feed, int content_generation) {
  const std::string n = std::to_string(feed);
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rss version=\"2.0\">\n<channel>\n"
      "<title>Feed " +
      n + "</title>\n<link>https://news.example/" + n +
      "/</link>\n<description>News from desk " + n +
      "</description>\n<lastBuildDate>" + HoursIntoBench(content_generation) +
      "</lastBuildDate>\n";
  const int first = content_generation * kNewItemsPerGeneration;
  for (int item = first + kItemsPerFeed - 1; item >= first; --item) {
    const std::string k = std::to_string(item);
    Words words(static_cast<std::uint64_t>(feed) * 1'000'003 +
                static_cast<std::uint64_t>(item));
    const std::string title = words.Sentence(48);
    // Entity-escaped HTML, as most feeds send their descriptions.
    std::string description = "&lt;p&gt;" + words.Sentence(230) +
                              "&lt;/p&gt;&lt;p&gt;" + words.Sentence(200) +
                              "&lt;/p&gt;";
    body += "<item>\n<title>" + title.substr(0, title.size() - 1) +
            "</title>\n<link>https://news.example/" + n + "/articles/" + k +
            "</link>\n<guid isPermaLink=\"false\">feed-" + n + "-item-" + k +
            "</guid>\n<pubDate>" + HoursIntoBench(item) +
            "</pubDate>\n<description>" + description +
            "</description>\n</item>\n";
  }
  return body + "</channel>\n</rss>\n";
}

// --- The server child -------------------------------------------------------

// Responses the server sent since the last kCount command.
struct Counts {
  long ok = 0;
  long not_modified = 0;
  long other = 0;
};

// Commands from the parent, one byte each on the command pipe; each gets
// one reply line. End of file (the parent exited) stops the server too.
constexpr char kAdvance = 'a';  // Next generation; replies with its number.
constexpr char kCount = 'c';    // Replies "OK NOT_MODIFIED OTHER", resets.

// The child: serves /feed/N until the command pipe closes. Writes its port
// first, as a line on `reply_fd`.
int ServeFeeds(int command_fd, int reply_fd) {
  std::atomic<int> generation{1};
  std::atomic<long> ok{0}, not_modified{0}, other{0};
  HttpServer server;
  server.SetFallback([&](const HttpRequest& request) {
    constexpr std::string_view kPrefix = "/feed/";
    const std::string_view path = request.path;
    long feed = -1;
    if (path.starts_with(kPrefix)) {
      const auto [end, error] = std::from_chars(
          path.data() + kPrefix.size(), path.data() + path.size(), feed);
      if (error != std::errc() || end != path.data() + path.size()) feed = -1;
    }
    if (feed < 0) {
      ++other;
      return HttpResponse{404, {}, "not found\n"};
    }
    const int content = ContentGeneration(feed, generation.load());
    HttpResponse response;
    response.headers["Content-Type"] = "application/rss+xml; charset=utf-8";
    response.headers["ETag"] = ETag(feed, content);
    response.headers["Last-Modified"] = HoursIntoBench(content);
    const auto if_none_match = request.headers.find("if-none-match");
    const auto if_modified_since = request.headers.find("if-modified-since");
    const bool fresh = if_none_match != request.headers.end()
                           ? if_none_match->second == response.headers["ETag"]
                           : if_modified_since != request.headers.end() &&
                                 if_modified_since->second ==
                                     response.headers["Last-Modified"];
    if (fresh) {
      response.status = 304;
      ++not_modified;
    } else {
      response.body = FeedBody(feed, content);
      ++ok;
    }
    return response;
  });
  const std::string port = std::to_string(server.port()) + "\n";
  if (write(reply_fd, port.data(), port.size()) < 0) return 1;
  char command;
  while (read(command_fd, &command, 1) == 1) {
    std::string reply;
    if (command == kAdvance) {
      reply = std::to_string(++generation);
    } else if (command == kCount) {
      reply = std::to_string(ok.exchange(0)) + " " +
              std::to_string(not_modified.exchange(0)) + " " +
              std::to_string(other.exchange(0));
    }
    reply += "\n";
    if (write(reply_fd, reply.data(), reply.size()) < 0) return 1;
  }
  return 0;
}

class ServerChild {
 public:
  // Forks the server. Call before this process starts any thread.
  ServerChild() {
    int command[2], reply[2];
    if (pipe2(command, O_CLOEXEC) != 0 || pipe2(reply, O_CLOEXEC) != 0) {
      std::perror("pipe2");
      std::exit(1);
    }
    pid_ = fork();
    if (pid_ < 0) {
      std::perror("fork");
      std::exit(1);
    }
    if (pid_ == 0) {
      close(command[1]);
      close(reply[0]);
      _exit(ServeFeeds(command[0], reply[1]));
    }
    close(command[0]);
    close(reply[1]);
    command_fd_ = command[1];
    reply_fd_ = reply[0];
    port_ = std::atoi(ReadLine().c_str());
    if (port_ <= 0) {
      std::fprintf(stderr, "poll_bench: the feed server did not start\n");
      std::exit(1);
    }
  }

  ~ServerChild() {
    close(command_fd_);  // The child sees end of file and exits.
    close(reply_fd_);
    kill(pid_, SIGKILL);  // Without waiting for its connections to drain.
    waitpid(pid_, nullptr, 0);
  }

  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;

  int port() const { return port_; }

  int Advance() { return std::atoi(Ask(kAdvance).c_str()); }

  // What the server answered since the last call.
  Counts TakeCounts() {
    Counts counts;
    if (std::sscanf(Ask(kCount).c_str(), "%ld %ld %ld", &counts.ok,
                    &counts.not_modified, &counts.other) != 3) {
      std::fprintf(stderr, "poll_bench: bad reply from the feed server\n");
      std::exit(1);
    }
    return counts;
  }

 private:
  std::string Ask(char command) {
    if (write(command_fd_, &command, 1) != 1) {
      std::perror("poll_bench: feed server");
      std::exit(1);
    }
    return ReadLine();
  }

  std::string ReadLine() {
    std::string line;
    char c;
    while (read(reply_fd_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }

  pid_t pid_ = -1;
  int command_fd_ = -1;
  int reply_fd_ = -1;
  int port_ = 0;
};

// --- Measuring a process ----------------------------------------------------

struct Measured {
  int exit_code = -1;  // -1 if it could not run or was killed by a signal.
  double wall_seconds = 0;
  double cpu_seconds = 0;  // User + system.
  double peak_mb = 0;      // Peak resident set size.
};

double Seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) +
         static_cast<double>(time.tv_usec) / 1e6;
}

// Runs `argv` (argv[0] a path) with environment `env`, stdout and stderr to
// files, and measures it: wall time around fork and wait, CPU time and peak
// RSS from wait4's rusage, which count this child alone. (Linux carries the
// peak RSS across exec, so this process's own few MB at fork are a floor.)
Measured RunMeasured(const std::vector<std::string>& argv,
                     const std::vector<std::string>& env,
                     const fs::path& out_file, const fs::path& err_file) {
  std::vector<char*> args, envp;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  for (const std::string& entry : env)
    envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  Measured measured;
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) return measured;
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(err, 2) < 0) {
      _exit(127);
    }
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return measured;
  measured.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  measured.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  measured.cpu_seconds = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  measured.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB.
  return measured;
}

// This process's environment with `overrides` ("NAME=value") replacing or
// adding entries.
std::vector<std::string> Environment(
    const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text = *entry;
    const std::string_view name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const std::string& override : overrides) {
      replaced = replaced || override.starts_with(std::string(name) + "=");
    }
    if (!replaced) env.emplace_back(text);
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

std::optional<fs::path> FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    const size_t colon = std::min(rest.find(':'), rest.size());
    const fs::path candidate = fs::path(rest.substr(0, colon)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    rest.remove_prefix(std::min(colon + 1, rest.size()));
  }
  return std::nullopt;
}

// The sum of the numbers just before each `suffix` in `text` ("3 alert(s)").
// The decimal number just before the first `suffix` in `text`; 0 if none.
double NumberBefore(const std::string& text, std::string_view suffix) {
  const size_t at = text.find(suffix);
  if (at == std::string::npos) return 0;
  size_t start = at;
  while (start > 0 &&
         (std::isdigit(static_cast<unsigned char>(text[start - 1])) ||
          text[start - 1] == '.')) {
    --start;
  }
  return std::strtod(text.substr(start, at - start).c_str(), nullptr);
}

long SumBefore(const std::string& text, std::string_view suffix) {
  long sum = 0;
  for (size_t at = text.find(suffix); at != std::string::npos;
       at = text.find(suffix, at + suffix.size())) {
    size_t start = at;
    while (start > 0 &&
           std::isdigit(static_cast<unsigned char>(text[start - 1]))) {
      --start;
    }
    sum += std::atol(text.substr(start, at - start).c_str());
  }
  return sum;
}

// The last `lines` lines of `text`.
std::string Tail(const std::string& text, int lines) {
  size_t at = text.size();
  for (int i = 0; i <= lines && at != std::string::npos && at > 0; ++i) {
    at = text.rfind('\n', at - 1);
  }
  return at == std::string::npos ? text : text.substr(at + 1);
}

void WriteFile(const fs::path& file, const std::string& content) {
  FILE* out = std::fopen(file.c_str(), "wb");
  if (out == nullptr ||
      std::fwrite(content.data(), 1, content.size(), out) != content.size() ||
      std::fclose(out) != 0) {
    std::perror(file.c_str());
    std::exit(1);
  }
}

// --- The two fetchers -------------------------------------------------------

std::string FeedUrl(int port, long feed) {
  return "http://127.0.0.1:" + std::to_string(port) + "/feed/" +
         std::to_string(feed);
}

// A newswatch installation polling feeds 0 .. feeds-1.
class Newswatch {
 public:
  Newswatch(const fs::path& dir, int port, long feeds) : dir_(dir) {
    fs::create_directories(dir_);
    std::string config =
        "data_dir = \"" + (dir_ / "data").string() +
        "\"\n\n[fetch]\nmax_concurrent = " + std::to_string(kConcurrency) +
        "\nmax_per_host = " + std::to_string(kConcurrency) +
        "\n\n"
        "[[search]]\nname = \"Budget votes\"\n"
        "query = \"\\\"budget vote\\\"\"\n\n"
        "[[search]]\nname = \"Climate\"\n"
        "query = \"\\\"climate summit\\\" OR \\\"wildfire season\\\"\"\n";
    for (long n = 0; n < feeds; ++n) {
      config += "\n[[feed]]\nurl = \"" + FeedUrl(port, n) +
                "\"\nname = \"Feed " + std::to_string(n) + "\"\n";
    }
    WriteFile(dir_ / "newswatch.toml", config);
  }

  // One `run --once`; its stderr is kept for Log().
  Measured Cycle() {
    return RunMeasured({NEWSWATCH_BINARY, "--config",
                        (dir_ / "newswatch.toml").string(), "run", "--once"},
                       Environment({}), dir_ / "out.log", dir_ / "err.log");
  }

  std::string Log() const {
    return newswatch::testing::ReadFile(dir_ / "err.log");
  }

 private:
  fs::path dir_;
};

// A newsboat with its own HOME, polling feeds 0 .. feeds-1.
class Newsboat {
 public:
  Newsboat(fs::path program, const fs::path& dir, int port, long feeds)
      : program_(std::move(program)), dir_(dir) {
    fs::create_directories(dir_ / "home");
    std::string urls;
    for (long n = 0; n < feeds; ++n) urls += FeedUrl(port, n) + "\n";
    WriteFile(dir_ / "urls", urls);
    WriteFile(dir_ / "config",
              "reload-threads " + std::to_string(kConcurrency) + "\n");
  }

  Measured Cycle() {
    const fs::path home = dir_ / "home";
    return RunMeasured(
        {program_.string(), "-x", "reload", "-u", (dir_ / "urls").string(),
         "-c", (dir_ / "cache.db").string(), "-C", (dir_ / "config").string()},
        Environment({"HOME=" + home.string(),
                     "XDG_CONFIG_HOME=" + (home / ".config").string(),
                     "XDG_DATA_HOME=" + (home / ".local/share").string()}),
        dir_ / "out.log", dir_ / "err.log");
  }

  std::string Log() const {
    return newswatch::testing::ReadFile(dir_ / "out.log") +
           newswatch::testing::ReadFile(dir_ / "err.log");
  }

 private:
  fs::path program_;
  fs::path dir_;
};

// --- Output -----------------------------------------------------------------

void PrintMachine() {
  utsname machine{};
  uname(&machine);
  std::printf("machine: %s %s %s, %ld cores\n", machine.sysname,
              machine.release, machine.machine, sysconf(_SC_NPROCESSORS_ONLN));
}

void PrintCycle(const char* what, long feeds, const Measured& measured,
                const Counts& counts) {
  std::printf(
      "%-30s %5ld feeds  wall %6.2f s  CPU %6.2f s (%.3f ms/feed)  "
      "peak %6.1f MB  server: %ld x 200, %ld x 304, %ld other\n",
      what, feeds, measured.wall_seconds, measured.cpu_seconds,
      measured.cpu_seconds * 1e3 / static_cast<double>(feeds), measured.peak_mb,
      counts.ok, counts.not_modified, counts.other);
}

// False (after saying why) if a run failed.
bool Check(const char* what, const Measured& measured, const std::string& log) {
  if (measured.exit_code == 0) return true;
  std::printf("%s failed (exit %d); the end of its output:\n%s\n", what,
              measured.exit_code, Tail(log, 15).c_str());
  return false;
}

const char* Verdict(bool met) { return met ? "PASS" : "MISS"; }

std::optional<long> ParseCount(const char* text) {
  long value = -1;
  const std::string_view view = text;
  const auto [end, error] =
      std::from_chars(view.data(), view.data() + view.size(), value);
  if (error != std::errc() || end != view.data() + view.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<long> feeds =
      argc > 1 ? ParseCount(argv[1]) : kTargetFeeds;
  const std::optional<long> newsboat_feeds =
      argc > 2 ? ParseCount(argv[2]) : 1000L;
  if (argc > 3 || !feeds || *feeds == 0 || !newsboat_feeds) {
    std::fprintf(stderr, "usage: poll_bench [FEEDS] [NEWSBOAT_FEEDS]\n");
    return 2;
  }
  // First, while nothing else runs here: the server's threads live in the
  // child, and this process stays single-threaded, so forking it is safe.
  ServerChild server;
  const TempDir scratch;  // Under $TMPDIR: its disk is part of the figures.

  PrintMachine();
  std::printf("data: %s\n", scratch.path().string().c_str());
  std::printf(
      "feeds: on one loopback HTTP/1.1 server (its own process); 70%% "
      "unchanged (304 to a conditional GET), the rest RSS 2.0 with %d items "
      "(~0.5 KB of description each), %d new per cycle; concurrency %d\n",
      kItemsPerFeed, kNewItemsPerGeneration, kConcurrency);

  // newswatch, FEEDS feeds: the priming cycle at generation 1, the measured
  // one at generation 2.
  Newswatch newswatch(scratch.path() / "newswatch", server.port(), *feeds);
  const Measured primed = newswatch.Cycle();
  PrintCycle("newswatch cycle 1 (priming)", *feeds, primed,
             server.TakeCounts());
  if (!Check("newswatch", primed, newswatch.Log())) return 1;
  server.Advance();
  const Measured measured = newswatch.Cycle();
  PrintCycle("newswatch cycle 2 (measured)", *feeds, measured,
             server.TakeCounts());
  if (!Check("newswatch", measured, newswatch.Log())) return 1;
  const std::string log = newswatch.Log();
  const size_t fetched = CountOccurrences(log, " article(s), ");
  std::printf(
      "  its log: %zu not modified, %zu fetched (%ld new articles, %ld "
      "alerts), %zu errors\n",
      CountOccurrences(log, ": not modified"), fetched,
      SumBefore(log, " new, "), SumBefore(log, " alert(s)"),
      CountOccurrences(log, "error(s) in a row"));
  // run --once's summary line splits the CPU time: the poller's thread, and
  // the main thread's parsing, indexing, matching and recording.
  const double poller_cpu = NumberBefore(log, " s on the poller's thread");
  const double ingest_cpu = NumberBefore(log, " s parsing, indexing");
  const double fetching_cpu = measured.cpu_seconds - ingest_cpu;
  std::printf(
      "  CPU split: %.2f s parsing, indexing, matching and recording the new "
      "articles; %.2f s the rest (%.2f s of it on the poller's thread)\n",
      ingest_cpu, fetching_cpu, poller_cpu);
  // The same generation again: every feed answers 304, which shows what
  // polling costs apart from the new articles.
  const Measured unchanged = newswatch.Cycle();
  PrintCycle("newswatch cycle 3 (all 304)", *feeds, unchanged,
             server.TakeCounts());
  if (!Check("newswatch", unchanged, newswatch.Log())) return 1;

  // newsboat on the first NEWSBOAT_FEEDS feeds and, for a like-for-like
  // ratio, newswatch on the same feeds: both prime at the next generation
  // and are measured at the one after.
  std::optional<Measured> boat, same_size;
  const std::optional<fs::path> newsboat_program = FindOnPath("newsboat");
  if (*newsboat_feeds == 0) {
    std::printf("newsboat: skipped (NEWSBOAT_FEEDS is 0)\n");
  } else if (!newsboat_program) {
    std::printf(
        "newsboat: not installed, skipped (`./dev bench` installs Debian's "
        "newsboat)\n");
  } else {
    Newsboat newsboat(*newsboat_program, scratch.path() / "newsboat",
                      server.port(), *newsboat_feeds);
    Newswatch same(scratch.path() / "newswatch-same", server.port(),
                   *newsboat_feeds);
    server.Advance();
    // newsboat 2.21 saves a feed's validators (ETag, Last-Modified) only once
    // the feed is in its cache: its first reload of a new feed updates a row
    // not yet there. So it primes with two reloads, the second one sending
    // no validators yet either.
    Measured boat_primed = newsboat.Cycle();
    PrintCycle("newsboat cycle 1 (priming)", *newsboat_feeds, boat_primed,
               server.TakeCounts());
    if (boat_primed.exit_code == 0) {
      boat_primed = newsboat.Cycle();
      PrintCycle("newsboat cycle 1b (priming)", *newsboat_feeds, boat_primed,
                 server.TakeCounts());
    }
    const Measured same_primed = same.Cycle();
    PrintCycle("newswatch, same feeds, cycle 1", *newsboat_feeds, same_primed,
               server.TakeCounts());
    if (Check("newsboat", boat_primed, newsboat.Log()) &&
        Check("newswatch", same_primed, same.Log())) {
      server.Advance();
      boat = newsboat.Cycle();
      PrintCycle("newsboat cycle 2 (measured)", *newsboat_feeds, *boat,
                 server.TakeCounts());
      same_size = same.Cycle();
      PrintCycle("newswatch, same feeds, cycle 2", *newsboat_feeds, *same_size,
                 server.TakeCounts());
      if (!Check("newsboat", *boat, newsboat.Log())) boat.reset();
      if (!Check("newswatch", *same_size, same.Log())) same_size.reset();
    }
  }

  const auto per_feed = [](double seconds, long n) {
    return seconds * 1e3 / static_cast<double>(n);
  };
  const double cpu_ms = per_feed(measured.cpu_seconds, *feeds);
  const double wall_ms = per_feed(measured.wall_seconds, *feeds);
  std::printf("\nper feed, measured cycle:\n");
  std::printf("  newswatch (%ld feeds):  CPU %.3f ms  wall %.3f ms\n", *feeds,
              cpu_ms, wall_ms);
  if (same_size) {
    std::printf("  newswatch (%ld feeds):  CPU %.3f ms  wall %.3f ms\n",
                *newsboat_feeds,
                per_feed(same_size->cpu_seconds, *newsboat_feeds),
                per_feed(same_size->wall_seconds, *newsboat_feeds));
  }
  if (boat) {
    const double boat_cpu_ms = per_feed(boat->cpu_seconds, *newsboat_feeds);
    const double boat_wall_ms = per_feed(boat->wall_seconds, *newsboat_feeds);
    std::printf("  newsboat  (%ld feeds):  CPU %.3f ms  wall %.3f ms\n",
                *newsboat_feeds, boat_cpu_ms, boat_wall_ms);
    std::printf(
        "  ratio newsboat / newswatch (%ld feeds):  CPU %.2fx  wall %.2fx\n",
        *feeds, boat_cpu_ms / cpu_ms, boat_wall_ms / wall_ms);
    if (same_size) {
      std::printf(
          "  ratio newsboat / newswatch (%ld feeds, same feeds):  CPU %.2fx  "
          "wall %.2fx\n",
          *newsboat_feeds, boat->cpu_seconds / same_size->cpu_seconds,
          boat->wall_seconds / same_size->wall_seconds);
    }
  }

  const double scale =
      static_cast<double>(*feeds) / static_cast<double>(kTargetFeeds);
  std::printf("\ntargets for a %ld-feed cycle%s:\n", *feeds,
              *feeds == kTargetFeeds ? "" : " (wall and CPU scaled linearly)");
  std::printf("  wall %6.2f s  < %5.2f s   %s\n", measured.wall_seconds,
              kTargetWallSeconds * scale,
              Verdict(measured.wall_seconds < kTargetWallSeconds * scale));
  std::printf("  CPU  %6.2f s  < %5.2f s   %s  (the whole cycle)\n",
              measured.cpu_seconds, kTargetCpuSeconds * scale,
              Verdict(measured.cpu_seconds < kTargetCpuSeconds * scale));
  std::printf(
      "  CPU  %6.2f s  < %5.2f s   %s  (fetching: all but parsing, indexing "
      "and matching the new articles)\n",
      fetching_cpu, kTargetCpuSeconds * scale,
      Verdict(fetching_cpu < kTargetCpuSeconds * scale));
  std::printf("  peak %6.1f MB < %5.0f MB  %s\n", measured.peak_mb,
              kTargetPeakMb, Verdict(measured.peak_mb < kTargetPeakMb));
  return 0;
}
