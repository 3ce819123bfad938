// parse_bench: ParseFeed's throughput (MB/s of input, articles/s) beside
// sfeed's (Debian's `sfeed`, a streaming C feed parser) on the same bytes, in
// the same run, over three input sets:
//
//   real-news:   the 23 well-formed news feeds of
//                ../shared/corpora/realworld-news (manifest.tsv minus its
//                "(personal blog) ILLFORMED" rows), read in place;
//   feedparser:  every .xml under ../shared/corpora/feedparser/tests (Python
//                feedparser's test corpus: small, many encodings, some
//                ill-formed on purpose);
//   synthetic:   one RSS 2.0 news feed of 2,000 items generated here from a
//                fixed seed (escaped-HTML descriptions, CDATA
//                content:encoded of ~2 KB, dc:creator, categories).
//
// newswatch: ParseFeed on every file of the set, passes repeated until a
// round lasts at least --seconds; the median of --rounds rounds. sfeed: ONE
// process per round, its stdin a temporary file holding the set's files
// concatenated (sfeed does not care where one document ends) and repeated
// until the round lasts as long, stdout to /dev/null; the wall clock is
// fork to wait. Its output lines are its items; the bench checks that the
// concatenation gives as many as the files run one by one. The two are
// measured in alternating rounds, so both see the same noise; the ratio
// (newswatch / sfeed) is the figure to quote.
//
// Not like for like: sfeed copies each item's content out as it stands,
// while ParseFeed also decodes the charset, turns HTML into text, parses
// dates, resolves links and deduplicates.
//
// Targets (the parsing issue): at least sfeed's throughput on every set, and
// at least 300 MB/s on the well-formed UTF-8 sets (real-news, synthetic).
//
// usage: parse_bench [--only SET] [--rounds N] [--seconds S] [--no-sfeed]
//                    [CORPORA_DIR]
//        parse_bench --write-synthetic FILE   (the generated feed, to look at)
//   CORPORA_DIR defaults to ../shared/corpora beside the source tree; the
//   sets read from it are skipped (and the bench says so) where it is absent.
//   Profile one set with, e.g.:
//   perf record -g parse_bench --only real-news --rounds 3 --no-sfeed
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/feed_parser.h"
#include "tests/bench/news_words.h"
#include "tests/support/http_server.h"

namespace fs = std::filesystem;
using newswatch::indexer::FeedSource;
using newswatch::indexer::ParseFeed;
using newswatch::indexer::ParseLimits;

namespace {

constexpr std::int64_t kNow = 1763890200;  // 2025-11-23 09:30 UTC.
constexpr double kTargetMbPerSecond = 300;
constexpr int kSyntheticItems = 2000;

// --- Input sets -------------------------------------------------------------

struct InputSet {
  std::string name;
  std::string what;               // One line for the report.
  bool well_formed_utf8 = false;  // The 300 MB/s target applies.
  std::vector<std::string> bodies;
  std::vector<FeedSource> sources;  // One per body.
  // Where each body is on disk (sfeed reads them one by one for the
  // concatenation check); empty for a generated set.
  std::vector<fs::path> paths;
  // Articles expected per body (the manifest's count), where known.
  std::vector<long> expected;
  size_t bytes = 0;

  void Add(std::string body, FeedSource source, fs::path path) {
    bytes += body.size();
    bodies.push_back(std::move(body));
    sources.push_back(std::move(source));
    if (!path.empty()) paths.push_back(std::move(path));
  }
};

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) {
    fields.push_back(field);
  }
  return fields;
}

// The well-formed news feeds listed in realworld-news/manifest.tsv (columns
// file, url, outlet, format, xml_encoding_decl, bytes, items).
std::optional<InputSet> LoadRealNews(const fs::path& corpora) {
  const fs::path folder = corpora / "realworld-news";
  std::ifstream manifest(folder / "manifest.tsv");
  if (!manifest) {
    std::printf("real-news: skipped, no %s\n",
                (folder / "manifest.tsv").string().c_str());
    return std::nullopt;
  }
  InputSet set;
  set.name = "real-news";
  set.well_formed_utf8 = true;
  std::string line;
  std::getline(manifest, line);  // The header.
  while (std::getline(manifest, line)) {
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 7 ||
        fields[2].starts_with("(personal blog) ILLFORMED")) {
      continue;
    }
    const fs::path path = folder / fields[0];
    std::optional<std::string> body = ReadFile(path);
    if (!body) {
      std::printf("real-news: cannot read %s, left out\n", path.c_str());
      continue;
    }
    set.expected.push_back(std::atol(fields[6].c_str()));
    set.Add(std::move(*body), FeedSource{fields[1], fields[2]}, path);
  }
  set.what = "well-formed UTF-8 news feeds from realworld-news/manifest.tsv";
  return set;
}

std::optional<InputSet> LoadFeedparser(const fs::path& corpora) {
  const fs::path folder = corpora / "feedparser" / "tests";
  if (!fs::is_directory(folder)) {
    std::printf("feedparser: skipped, no %s\n", folder.string().c_str());
    return std::nullopt;
  }
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".xml") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  InputSet set;
  set.name = "feedparser";
  for (const fs::path& path : paths) {
    std::optional<std::string> body = ReadFile(path);
    if (!body) continue;
    const std::string relative = fs::relative(path, folder).string();
    set.Add(
        std::move(*body),
        FeedSource{"https://bench.example/feedparser/" + relative, relative},
        path);
  }
  set.what =
      "feedparser/tests/**/*.xml: small, many encodings, some ill-formed";
  return set;
}

// Deterministic news-like text: words drawn from a fixed vocabulary by a
// seeded mt19937_64 (whose output the standard fixes; only its raw output
// is used, since the distributions are not portable).
class NewsText {
 public:
  explicit NewsText(std::uint64_t seed) : random_(seed) {}

  size_t Below(size_t n) { return static_cast<size_t>(random_() % n); }

  std::string_view Word() {
    return newswatch::bench::kNewsWords[Below(
        std::size(newswatch::bench::kNewsWords))];
  }

  // Words up to about `bytes`, first letter upper-cased, no final stop.
  std::string Phrase(size_t bytes) {
    std::string phrase;
    while (phrase.size() < bytes) {
      if (!phrase.empty()) phrase += ' ';
      phrase += Word();
    }
    phrase[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(phrase[0])));
    return phrase;
  }

  // A sentence of HTML as a news site writes it: sometimes a link, an
  // "&amp;", a curly apostrophe as "&#8217;", or an em dash in UTF-8.
  std::string HtmlSentence(size_t bytes) {
    std::string sentence = Phrase(bytes);
    switch (Below(6)) {
      case 0:
        sentence += " <a href=\"https://www.example-news.com/topic/" +
                    std::string(Word()) + "\">" + std::string(Word()) + " " +
                    std::string(Word()) + "</a>";
        break;
      case 1:
        sentence += " &amp; " + std::string(Word());
        break;
      case 2:
        sentence += ", the minister&#8217;s " + std::string(Word());
        break;
      case 3:
        sentence += " \xE2\x80\x94 " + std::string(Word());  // An em dash.
        break;
      default:
        break;
    }
    return sentence + ". ";
  }

  // <p> paragraphs of HTML sentences, about `bytes` in all.
  std::string Html(size_t bytes) {
    std::string html;
    while (html.size() < bytes) {
      html += "<p>";
      const size_t paragraph_end = html.size() + 250 + Below(300);
      while (html.size() < paragraph_end && html.size() < bytes) {
        html += HtmlSentence(40 + Below(80));
      }
      html += "</p>\n";
    }
    return html;
  }

 private:
  std::mt19937_64 random_;
};

std::string XmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

// One RSS 2.0 feed of kSyntheticItems items shaped like a WordPress news
// site's: title with entities, link, guid, pubDate, dc:creator, two
// categories, an escaped-HTML description of ~300 bytes and a CDATA
// content:encoded of ~2 KB.
InputSet SyntheticSet() {
  static constexpr std::string_view kSections[] = {
      "world", "politics", "business", "science", "health", "sport", "culture"};
  static constexpr std::string_view kAuthors[] = {
      "Amara Okafor",  "Lucía Fernández", "Jonas Müller", "Priya Raman",
      "Tom O'Neill",   "Mei Lin",         "Sarah Cohen",  "Kwame Mensah",
      "Élodie Martin", "Ahmed Hassan"};
  NewsText text(20251123);
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rss version=\"2.0\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n"
      "<title>Example News &#8211; World</title>\n"
      "<atom:link href=\"https://www.example-news.com/feed/\" rel=\"self\" "
      "type=\"application/rss+xml\" />\n"
      "<link>https://www.example-news.com/</link>\n"
      "<description>News from around the world</description>\n"
      "<lastBuildDate>" +
      newswatch::testing::HttpDate(kNow) +
      "</lastBuildDate>\n<language>en-GB</language>\n"
      "<sy:updatePeriod xmlns:sy=\"http://purl.org/rss/1.0/modules/"
      "syndication/\">hourly</sy:updatePeriod>\n";
  for (int item = 0; item < kSyntheticItems; ++item) {
    const std::string id = std::to_string(900000 + item);
    const std::string_view section =
        kSections[text.Below(std::size(kSections))];
    std::string title = text.Phrase(50 + text.Below(40));
    if (text.Below(4) == 0) title += " &amp; " + std::string(text.Word());
    if (text.Below(4) == 0) title += ": minister&#8217;s reply";
    std::string slug;
    for (const char c : text.Phrase(30)) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!slug.empty() && slug.back() != '-') {
        slug += '-';
      }
    }
    const std::string link = "https://www.example-news.com/" +
                             std::string(section) + "/2025/11/" + slug + "-" +
                             id + "/";
    std::string description = "<p>" + text.HtmlSentence(120);
    while (description.size() < 280) description += text.HtmlSentence(60);
    description += "</p>";
    body +=
        "<item>\n<title>" + title + "</title>\n<link>" + link +
        "</link>\n<guid isPermaLink=\"false\">"
        "https://www.example-news.com/?p=" +
        id + "</guid>\n<pubDate>" +
        newswatch::testing::HttpDate(
            kNow - 600 * item - static_cast<std::int64_t>(text.Below(600))) +
        "</pubDate>\n<dc:creator><![CDATA[" +
        std::string(kAuthors[text.Below(std::size(kAuthors))]) +
        "]]></dc:creator>\n<category><![CDATA[" + std::string(section) +
        "]]></category>\n<category><![CDATA[" + std::string(text.Word()) +
        "]]></category>\n<description>" + XmlEscape(description) +
        "</description>\n<content:encoded><![CDATA[" +
        text.Html(1800 + text.Below(500)) + "]]></content:encoded>\n</item>\n";
  }
  body += "</channel>\n</rss>\n";
  InputSet set;
  set.name = "synthetic";
  set.well_formed_utf8 = true;
  set.Add(std::move(body),
          FeedSource{"https://www.example-news.com/feed/", "synthetic"}, {});
  set.expected.push_back(kSyntheticItems);
  set.what = "one generated RSS 2.0 news feed of " +
             std::to_string(kSyntheticItems) + " items";
  return set;
}

// --- newswatch --------------------------------------------------------------

// Enough for the synthetic feed: the default (1,000) would stop there half
// way and overstate MB/s. No other feed of the sets comes near it.
ParseLimits Limits() {
  ParseLimits limits;
  limits.max_items = kSyntheticItems;
  return limits;
}

struct Pass {
  size_t articles = 0;
  size_t failed = 0;             // Bodies that ParseFeed rejected.
  std::vector<size_t> per_body;  // Articles of each body, if asked for.
};

Pass ParseAll(const InputSet& set, bool per_body = false) {
  static const ParseLimits limits = Limits();
  Pass pass;
  for (size_t i = 0; i < set.bodies.size(); ++i) {
    const auto parsed = ParseFeed(set.bodies[i], set.sources[i], kNow, limits);
    const size_t articles = parsed.ok() ? parsed.value().articles.size() : 0;
    pass.articles += articles;
    if (!parsed.ok()) ++pass.failed;
    if (per_body) pass.per_body.push_back(articles);
  }
  return pass;
}

double ProcessCpuSeconds() {
  timespec time{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
  return static_cast<double>(time.tv_sec) +
         static_cast<double>(time.tv_nsec) / 1e9;
}

// --- sfeed ------------------------------------------------------------------

std::optional<fs::path> FindOnPath(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const fs::path candidate =
        fs::path(rest.substr(0, colon)) / fs::path(program);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

struct Timed {
  bool ok = false;  // Ran and exited 0.
  double wall_seconds = 0;
  double cpu_seconds = 0;  // User + system, from wait4.
};

double Seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) +
         static_cast<double>(time.tv_usec) / 1e6;
}

// Runs `program` with stdin from `in` and stdout to `out` (stderr to
// /dev/null); the wall clock spans fork to wait.
Timed RunTimed(const fs::path& program, const fs::path& in,
               const fs::path& out) {
  Timed timed;
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) return timed;
  if (pid == 0) {
    const int in_fd = open(in.c_str(), O_RDONLY);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = open("/dev/null", O_WRONLY);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0 || dup2(in_fd, 0) < 0 ||
        dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
      _exit(127);
    }
    execl(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return timed;
  timed.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  timed.cpu_seconds = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  timed.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return timed;
}

// sfeed's items: its output lines.
std::optional<size_t> CountSfeedItems(const fs::path& sfeed, const fs::path& in,
                                      const fs::path& scratch) {
  const fs::path out = scratch / "items.tsv";
  if (!RunTimed(sfeed, in, out).ok) return std::nullopt;
  const std::optional<std::string> lines = ReadFile(out);
  if (!lines) return std::nullopt;
  return static_cast<size_t>(std::count(lines->begin(), lines->end(), '\n'));
}

bool WriteFile(const fs::path& path, const std::vector<std::string_view>& parts,
               int copies = 1) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (int copy = 0; copy < copies; ++copy) {
    for (const std::string_view part : parts) {
      out.write(part.data(), static_cast<std::streamsize>(part.size()));
    }
  }
  return static_cast<bool>(out.flush());
}

// An Atom entry and an RSS item: appended to a document, it tells whether
// sfeed ends that document in a state that loses the items after it.
constexpr std::string_view kProbe =
    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>probe</title>"
    "</entry></feed>\n<rss version=\"2.0\"><channel><item><title>probe"
    "</title></item></channel></rss>\n";
constexpr size_t kProbeItems = 2;

// sfeed's input for one set: the set's bodies concatenated, `copies` times
// over, in one file.
struct SfeedInput {
  fs::path file;
  int copies = 0;
  size_t items_per_copy = 0;
};

// Writes sfeed's input for `set`, sized so that one process runs for about
// `round_seconds`, after checking that sfeed finds as many items in the
// concatenation as in the bodies one by one. Bodies after which sfeed loses
// the next document's items (say, one that ends inside a CDATA section) go
// last in the concatenation, so that they cost only their own items.
std::optional<SfeedInput> PrepareSfeed(const InputSet& set,
                                       const fs::path& sfeed,
                                       double round_seconds,
                                       const fs::path& scratch) {
  const auto count_parts = [&](const std::vector<std::string_view>& parts) {
    const fs::path in = scratch / "in.xml";
    return WriteFile(in, parts) ? CountSfeedItems(sfeed, in, scratch)
                                : std::nullopt;
  };
  std::vector<size_t> single;  // Per body, run alone.
  for (size_t i = 0; i < set.bodies.size(); ++i) {
    const std::optional<size_t> items =
        i < set.paths.size() ? CountSfeedItems(sfeed, set.paths[i], scratch)
                             : count_parts({set.bodies[i]});
    if (!items) {
      std::printf("  sfeed: failed on %s, comparison skipped\n",
                  set.sources[i].name.c_str());
      return std::nullopt;
    }
    single.push_back(*items);
  }
  const size_t one_by_one =
      std::accumulate(single.begin(), single.end(), size_t{0});

  std::vector<std::string_view> parts(set.bodies.begin(), set.bodies.end());
  const std::optional<size_t> in_order = count_parts(parts);
  if (!in_order) {
    std::printf("  sfeed: failed on the concatenation, comparison skipped\n");
    return std::nullopt;
  }
  std::printf(
      "  sfeed check: %zu items over the %zu file(s) one by one, %zu over "
      "their concatenation (%s)\n",
      one_by_one, set.bodies.size(), *in_order,
      *in_order == one_by_one ? "equal" : "different");
  size_t items = *in_order;
  if (items != one_by_one) {
    std::vector<std::string_view> clean, leaky;
    std::string leaky_names;
    for (size_t i = 0; i < set.bodies.size(); ++i) {
      if (count_parts({set.bodies[i], kProbe}) == single[i] + kProbeItems) {
        clean.push_back(set.bodies[i]);
      } else {
        leaky.push_back(set.bodies[i]);
        leaky_names += (leaky_names.empty() ? "" : ", ") + set.sources[i].name;
      }
    }
    parts = clean;
    parts.insert(parts.end(), leaky.begin(), leaky.end());
    items = count_parts(parts).value_or(0);
    std::printf(
        "  sfeed check: %zu file(s) leave sfeed in a state that loses the "
        "next documents' items (%s); with them last: %zu items (%s)\n",
        leaky.size(), leaky_names.c_str(), items,
        items == one_by_one ? "equal" : "still different");
  }

  SfeedInput input;
  input.file = scratch / (set.name + ".xml");
  input.items_per_copy = items;
  if (!WriteFile(input.file, parts)) return std::nullopt;
  // Sized by CPU time, which others' work on the machine does not inflate,
  // so that even an idle machine's round lasts long enough: from one copy,
  // then from the whole file (start-up weighs on a short run), a few times
  // at most. This also reads the file into the page cache.
  input.copies = 1;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const Timed timed = RunTimed(sfeed, input.file, "/dev/null");
    if (!timed.ok) return std::nullopt;
    if (attempt > 0 && timed.cpu_seconds >= round_seconds) break;
    input.copies = std::max(
        input.copies + (attempt > 0 ? 1 : 0),
        static_cast<int>(std::ceil(input.copies * 1.1 * round_seconds /
                                   std::max(timed.cpu_seconds, 1e-4))));
    if (!WriteFile(input.file, parts, input.copies)) return std::nullopt;
  }
  return input;
}

std::string SfeedVersion() {
  FILE* query = popen("dpkg-query -W -f='${Version}' sfeed 2>/dev/null", "r");
  if (query == nullptr) return "";
  char text[64] = {};
  const size_t read = std::fread(text, 1, sizeof text - 1, query);
  pclose(query);
  return std::string(text, read);
}

// --- Measuring --------------------------------------------------------------

struct Options {
  std::optional<std::string> only;
  int rounds = 7;
  double round_seconds = 1.0;
  bool sfeed = true;
  std::optional<fs::path> write_synthetic;  // Write the feed there, exit.
  fs::path corpora = fs::path(NEWSWATCH_SOURCE_DIR) / "../shared/corpora";
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double Min(const std::vector<double>& values) {
  return *std::min_element(values.begin(), values.end());
}

double Max(const std::vector<double>& values) {
  return *std::max_element(values.begin(), values.end());
}

// A parser's figures on one set: medians over the rounds of one round's
// time divided by the passes in it.
struct Figures {
  double wall_seconds_per_pass = 0;
  double cpu_seconds_per_pass = 0;
  size_t items_per_pass = 0;
  int passes_per_round = 0;   // The median; sfeed's copies of the set.
  double shortest_round = 0;  // Wall seconds.
  double longest_round = 0;
};

double MbPerSecond(const InputSet& set, double seconds) {
  return static_cast<double>(set.bytes) / 1e6 / seconds;
}

double PerSecond(size_t items, double seconds) {
  return static_cast<double>(items) / seconds;
}

struct Comparison {
  const InputSet* set = nullptr;
  Figures newswatch;
  std::optional<Figures> sfeed;
};

// Prints newswatch's count beside the expected one, and the bodies where
// they differ.
void CheckArticles(const InputSet& set, const Pass& pass) {
  if (set.expected.size() != set.bodies.size()) return;
  const long expected =
      std::accumulate(set.expected.begin(), set.expected.end(), 0L);
  std::printf(
      "  articles check: newswatch %zu, expected %ld (%s)\n", pass.articles,
      expected,
      static_cast<long>(pass.articles) == expected ? "equal" : "different");
  for (size_t i = 0; i < set.bodies.size(); ++i) {
    if (static_cast<long>(pass.per_body[i]) != set.expected[i]) {
      std::printf("    %s: newswatch %zu, expected %ld\n",
                  set.sources[i].name.c_str(), pass.per_body[i],
                  set.expected[i]);
    }
  }
  if (static_cast<long>(pass.articles) < expected) {
    std::printf(
        "    (the manifest counts <item> elements; ParseFeed drops an item "
        "that repeats an earlier one's id, link and title)\n");
  }
}

// Measures `set` with newswatch and (if `sfeed`) sfeed in alternating rounds.
Comparison Measure(const InputSet& set, const std::optional<fs::path>& sfeed,
                   const Options& options, const fs::path& scratch) {
  std::printf("\n%s: %zu file(s), %.2f MB: %s\n", set.name.c_str(),
              set.bodies.size(), static_cast<double>(set.bytes) / 1e6,
              set.what.c_str());
  Comparison result;
  result.set = &set;

  // A warm-up pass, which also checks the count.
  const Pass first = ParseAll(set, /*per_body=*/true);
  result.newswatch.items_per_pass = first.articles;
  std::printf("  newswatch: %zu articles per pass, %zu file(s) rejected\n",
              first.articles, first.failed);
  CheckArticles(set, first);

  std::optional<SfeedInput> sfeed_input;
  if (sfeed) {
    sfeed_input = PrepareSfeed(set, *sfeed, options.round_seconds, scratch);
  }
  if (sfeed_input) {
    result.sfeed = Figures();
    result.sfeed->items_per_pass = sfeed_input->items_per_copy;
    result.sfeed->passes_per_round = sfeed_input->copies;
  }

  std::vector<double> nw_wall, nw_cpu, nw_round, nw_passes, sf_wall, sf_cpu,
      sf_round;
  size_t articles = 0;
  size_t passes_in_all = 0;
  for (int round = 0; round < options.rounds; ++round) {
    // Whole passes until the round has lasted long enough.
    const double cpu_start = ProcessCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    double wall = 0;
    int passes = 0;
    do {
      articles += ParseAll(set).articles;
      ++passes;
      wall = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                           start)
                 .count();
    } while (wall < options.round_seconds);
    passes_in_all += static_cast<size_t>(passes);
    nw_passes.push_back(passes);
    nw_round.push_back(wall);
    nw_wall.push_back(wall / passes);
    nw_cpu.push_back((ProcessCpuSeconds() - cpu_start) / passes);
    if (result.sfeed) {
      const Timed timed = RunTimed(*sfeed, sfeed_input->file, "/dev/null");
      if (!timed.ok) {
        std::printf("  sfeed: failed in round %d, comparison dropped\n",
                    round + 1);
        result.sfeed.reset();
        continue;
      }
      sf_round.push_back(timed.wall_seconds);
      sf_wall.push_back(timed.wall_seconds / sfeed_input->copies);
      sf_cpu.push_back(timed.cpu_seconds / sfeed_input->copies);
    }
  }
  if (articles != first.articles * passes_in_all) {
    std::printf("  newswatch: the article count changed between passes\n");
  }
  result.newswatch.wall_seconds_per_pass = Median(nw_wall);
  result.newswatch.cpu_seconds_per_pass = Median(nw_cpu);
  result.newswatch.passes_per_round = static_cast<int>(Median(nw_passes));
  result.newswatch.shortest_round = Min(nw_round);
  result.newswatch.longest_round = Max(nw_round);
  std::printf(
      "  newswatch: %d passes per round (median), rounds of %.2f-%.2f s, "
      "%.2f ms per pass (CPU %.2f ms)\n",
      result.newswatch.passes_per_round, result.newswatch.shortest_round,
      result.newswatch.longest_round,
      result.newswatch.wall_seconds_per_pass * 1e3,
      result.newswatch.cpu_seconds_per_pass * 1e3);
  if (result.sfeed) {
    result.sfeed->wall_seconds_per_pass = Median(sf_wall);
    result.sfeed->cpu_seconds_per_pass = Median(sf_cpu);
    result.sfeed->shortest_round = Min(sf_round);
    result.sfeed->longest_round = Max(sf_round);
    std::printf(
        "  sfeed: 1 process per round reading %d cop%s of the concatenation "
        "(%.1f MB), rounds of %.2f-%.2f s, %.2f ms per copy (CPU %.2f ms)\n",
        sfeed_input->copies, sfeed_input->copies == 1 ? "y" : "ies",
        static_cast<double>(set.bytes) * sfeed_input->copies / 1e6,
        result.sfeed->shortest_round, result.sfeed->longest_round,
        result.sfeed->wall_seconds_per_pass * 1e3,
        result.sfeed->cpu_seconds_per_pass * 1e3);
  }
  if (sfeed_input) fs::remove(sfeed_input->file);
  return result;
}

// --- Reporting --------------------------------------------------------------

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("model name")) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

void PrintMachine() {
  utsname machine{};
  uname(&machine);
  double load[3] = {};
  getloadavg(load, 3);
  std::printf(
      "machine: %s, %ld cores online, %s %s %s; load average %.1f (others' "
      "work shows in wall time, not in CPU time)\n",
      CpuModel().c_str(), sysconf(_SC_NPROCESSORS_ONLN), machine.sysname,
      machine.release, machine.machine, load[0]);
}

void PrintTable(const std::vector<Comparison>& results) {
  std::printf(
      "\n%-11s %6s %7s | %-27s | %-27s | %6s %6s\n"
      "%-11s %6s %7s | %13s %13s | %13s %13s | %6s %6s\n",
      "set", "files", "MB", "newswatch", "sfeed", "ratio", "ratio", "", "", "",
      "MB/s", "articles/s", "MB/s", "items/s", "wall", "CPU");
  for (const Comparison& result : results) {
    const InputSet& set = *result.set;
    const Figures& nw = result.newswatch;
    std::printf("%-11s %6zu %7.2f | %13.1f %13.0f | ", set.name.c_str(),
                set.bodies.size(), static_cast<double>(set.bytes) / 1e6,
                MbPerSecond(set, nw.wall_seconds_per_pass),
                PerSecond(nw.items_per_pass, nw.wall_seconds_per_pass));
    if (result.sfeed) {
      const Figures& sf = *result.sfeed;
      std::printf("%13.1f %13.0f | %5.2fx %5.2fx\n",
                  MbPerSecond(set, sf.wall_seconds_per_pass),
                  PerSecond(sf.items_per_pass, sf.wall_seconds_per_pass),
                  sf.wall_seconds_per_pass / nw.wall_seconds_per_pass,
                  sf.cpu_seconds_per_pass / nw.cpu_seconds_per_pass);
    } else {
      std::printf("%13s %13s | %6s %6s\n", "-", "-", "-", "-");
    }
  }
  std::printf("(ratio: newswatch / sfeed throughput; above 1 is faster)\n\n");
  for (const Comparison& result : results) {
    const InputSet& set = *result.set;
    const Figures& nw = result.newswatch;
    const double nw_mb = MbPerSecond(set, nw.wall_seconds_per_pass);
    std::printf("%s: newswatch %.1f MB/s (%.0f articles/s)", set.name.c_str(),
                nw_mb, PerSecond(nw.items_per_pass, nw.wall_seconds_per_pass));
    if (result.sfeed) {
      const Figures& sf = *result.sfeed;
      std::printf(", sfeed %.1f MB/s (%.0f items/s), ratio %.2f\n",
                  MbPerSecond(set, sf.wall_seconds_per_pass),
                  PerSecond(sf.items_per_pass, sf.wall_seconds_per_pass),
                  sf.wall_seconds_per_pass / nw.wall_seconds_per_pass);
    } else {
      std::printf(", sfeed not measured\n");
    }
    // Wall time counts the waits of a loaded machine; CPU time does not.
    std::printf("  by CPU time: newswatch %.1f MB/s",
                MbPerSecond(set, nw.cpu_seconds_per_pass));
    if (result.sfeed) {
      std::printf(", sfeed %.1f MB/s, ratio %.2f",
                  MbPerSecond(set, result.sfeed->cpu_seconds_per_pass),
                  result.sfeed->cpu_seconds_per_pass / nw.cpu_seconds_per_pass);
    }
    std::printf("\n");
  }
  std::printf("\ntargets:\n");
  for (const Comparison& result : results) {
    const InputSet& set = *result.set;
    const double nw_mb =
        MbPerSecond(set, result.newswatch.wall_seconds_per_pass);
    std::printf("  %s:", set.name.c_str());
    if (set.well_formed_utf8) {
      std::printf(" target %.0f MB/s: %s (%.1f MB/s; by CPU time %.1f);",
                  kTargetMbPerSecond,
                  nw_mb >= kTargetMbPerSecond ? "met" : "not met", nw_mb,
                  MbPerSecond(set, result.newswatch.cpu_seconds_per_pass));
    }
    if (result.sfeed) {
      const double ratio = result.sfeed->wall_seconds_per_pass /
                           result.newswatch.wall_seconds_per_pass;
      std::printf(" target at least sfeed: %s (ratio %.2f)",
                  ratio >= 1 ? "met" : "not met", ratio);
    } else {
      std::printf(" target at least sfeed: not measured");
    }
    std::printf("\n");
  }
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  bool corpora_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--only" && has_value) {
      options.only = argv[++i];
    } else if (arg == "--rounds" && has_value) {
      const std::string_view value = argv[++i];
      const auto [end, error] = std::from_chars(
          value.data(), value.data() + value.size(), options.rounds);
      if (error != std::errc() || end != value.data() + value.size() ||
          options.rounds < 1) {
        return std::nullopt;
      }
    } else if (arg == "--seconds" && has_value) {
      char* end = nullptr;
      options.round_seconds = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(options.round_seconds > 0)) return std::nullopt;
    } else if (arg == "--write-synthetic" && has_value) {
      options.write_synthetic = argv[++i];
    } else if (arg == "--no-sfeed") {
      options.sfeed = false;
    } else if (!arg.starts_with("-") && !corpora_given) {
      options.corpora = arg;
      corpora_given = true;
    } else {
      return std::nullopt;
    }
  }
  if (options.only && *options.only != "real-news" &&
      *options.only != "feedparser" && *options.only != "synthetic") {
    return std::nullopt;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "usage: parse_bench [--only real-news|feedparser|synthetic] "
                 "[--rounds N] [--seconds S] [--no-sfeed] [CORPORA_DIR]\n"
                 "       parse_bench --write-synthetic FILE\n");
    return 2;
  }
  if (options->write_synthetic) {
    const InputSet synthetic = SyntheticSet();
    return WriteFile(*options->write_synthetic, {synthetic.bodies[0]}) ? 0 : 1;
  }
  const auto wanted = [&](std::string_view name) {
    return !options->only || *options->only == name;
  };
  std::printf("parse_bench: ParseFeed beside sfeed, same bytes, same run\n");
  PrintMachine();

  std::optional<fs::path> sfeed;
  if (!options->sfeed) {
    std::printf("sfeed: skipped (--no-sfeed)\n");
  } else if (sfeed = FindOnPath("sfeed"); !sfeed) {
    std::printf(
        "sfeed: not installed, comparison skipped (Debian package sfeed)\n");
  } else {
    const std::string version = SfeedVersion();
    std::vector<double> startup;
    for (int i = 0; i < 5; ++i) {
      startup.push_back(
          RunTimed(*sfeed, "/dev/null", "/dev/null").wall_seconds);
    }
    std::printf(
        "sfeed: %s%s%s; one process start-up on empty input %.2f ms "
        "(included in its rounds)\n",
        sfeed->c_str(), version.empty() ? "" : ", version ", version.c_str(),
        Median(startup) * 1e3);
  }
  std::printf("rounds: %d per set, each at least %.1f s; figures are medians\n",
              options->rounds, options->round_seconds);
  std::printf("corpora: %s\n", options->corpora.lexically_normal().c_str());

  std::vector<InputSet> sets;
  if (wanted("real-news")) {
    if (auto set = LoadRealNews(options->corpora)) {
      sets.push_back(std::move(*set));
    }
  }
  if (wanted("feedparser")) {
    if (auto set = LoadFeedparser(options->corpora)) {
      sets.push_back(std::move(*set));
    }
  }
  if (wanted("synthetic")) sets.push_back(SyntheticSet());

  const fs::path scratch =
      fs::temp_directory_path() /
      ("newswatch-parse-bench-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  std::vector<Comparison> results;
  for (const InputSet& set : sets) {
    if (set.bodies.empty()) {
      std::printf("\n%s: no files, skipped\n", set.name.c_str());
      continue;
    }
    results.push_back(Measure(set, sfeed, *options, scratch));
  }
  fs::remove_all(scratch);
  if (results.empty()) {
    std::printf("\nnothing measured\n");
    return 0;
  }
  PrintTable(results);
  return 0;
}
