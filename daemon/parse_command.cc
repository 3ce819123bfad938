#include "daemon/parse_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/config_loader.h"
#include "config/error.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/feed_poller.h"
#include "indexer/article.h"
#include "indexer/feed_parser.h"

namespace newswatch::daemon {

namespace {

namespace fs = std::filesystem;

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] parse [--json] FILE|URL

Parses one feed as the daemon would and prints what it extracts, without
touching the index or the database: the feed's title, link and language,
then each article's id, title, url, published time, author, categories,
language and text (cut short; --json gives it whole). FILE is read from
disk ("-" for stdin); an http:// or https:// URL is fetched once (it may be
on loopback or the LAN, like a configured feed) and must answer 200. The
fetch uses the [fetch] settings of the config only when one is named with
--config or $NEWSWATCH_CONFIG, the defaults otherwise. A file:// URL is read
as a configured file: feed is. The parser's warnings go to stderr (with
--json, into the feed object's "warnings" instead). Exits 1 when the input
cannot be read or is not a feed.

  --json   one JSON object per line: first the feed ("kind": "feed", title,
           link, language, url, articles (how many), warnings), then each
           article ("kind": "article", id, title, url, published (RFC 3339
           UTC, or null when the feed gave no date), published_fallback,
           author, categories, language, text)
)";

using Json = nlohmann::ordered_json;

// Where a text block's values start: after the longest label, "categories:".
constexpr size_t kLabelWidth = 12;

// The bytes of one feed and where they came from.
struct FeedInput {
  std::string body;
  indexer::FeedSource source;
};

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

bool IsHttpUrl(std::string_view argument) {
  return StartsWithNoCase(argument, "http://") ||
         StartsWithNoCase(argument, "https://");
}

// Whether `argument` starts like a URL of some scheme ("ftp://x"), which the
// command does not fetch; telling the operator beats "no such file".
bool HasUrlScheme(std::string_view argument) {
  const size_t separator = argument.find("://");
  if (separator == std::string_view::npos || separator == 0) return false;
  for (size_t i = 0; i < separator; ++i) {
    const auto c = static_cast<unsigned char>(argument[i]);
    const bool letter = std::isalpha(c) != 0;
    if (!letter && (i == 0 || (std::isdigit(c) == 0 && c != '+' && c != '-' &&
                               c != '.'))) {
      return false;
    }
  }
  return true;
}

// The host of an http(s) URL, without credentials or port
// ("https://u:p@Example.org:8443/feed" -> "Example.org").
std::string HostOf(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    rest.remove_prefix(at + 1);
  }
  if (!rest.empty() && rest.front() == '[') {  // An IPv6 literal.
    const size_t close = rest.find(']');
    return std::string(rest.substr(
        0, close == std::string_view::npos ? rest.size() : close + 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

// Reads all of `fd`, failing once it holds more than `max_bytes`.
config::Result<std::string> ReadAll(int fd, const std::string& where,
                                    long max_bytes) {
  std::string body;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return config::Error::Permanent(where, std::strerror(errno));
    }
    if (got == 0) return body;
    body.append(buffer, static_cast<size_t>(got));
    if (body.size() > static_cast<size_t>(max_bytes)) {
      return config::Error::Permanent(where, "larger than max_body_bytes (" +
                                                 std::to_string(max_bytes) +
                                                 " bytes)");
    }
  }
}

// FILE, or stdin for "-". The source is named as a configured `file:` feed
// of that path would be, so ids come out the same as the daemon's.
config::Result<FeedInput> ReadFile(const std::string& argument,
                                   const config::FetchSettings& settings) {
  FeedInput input;
  if (argument == "-") {
    input.source.url = "file:///dev/stdin";
    input.source.name = "stdin";
    config::Result<std::string> body =
        ReadAll(STDIN_FILENO, "stdin", settings.max_body_bytes);
    if (!body.ok()) return body.error();
    input.body = std::move(body).value();
    return input;
  }
  std::error_code ignored;
  const fs::path path = fs::absolute(argument, ignored).lexically_normal();
  input.source.url = "file://" + path.string();
  input.source.name = path.filename().string();
  const int fd = open(argument.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return config::Error::Permanent(argument, std::strerror(errno));
  struct stat status {};
  if (fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
    close(fd);
    return config::Error::Permanent(argument, std::strerror(EISDIR));
  }
  config::Result<std::string> body =
      ReadAll(fd, argument, settings.max_body_bytes);
  close(fd);
  if (!body.ok()) return body.error();
  input.body = std::move(body).value();
  return input;
}

// One GET of `url` through the daemon's poller: the same limits, redirects
// and decompression as a poll. The operator named the URL, so its first hop
// may be on loopback or the LAN, as a configured feed's may.
config::Result<FeedInput> Fetch(const std::string& url,
                                const config::FetchSettings& settings) {
  PollRequest request;
  request.url = url;
  request.trust_first_hop = true;
  PollResponse response = PollOne(settings, std::move(request));
  if (response.error) return *response.error;
  const bool file = StartsWithNoCase(url, "file:");
  if (!file && response.http_status != 200) {
    std::string what = "HTTP " + std::to_string(response.http_status);
    if (response.final_url != url) what += " at " + response.final_url;
    return config::Error::Permanent(url, std::move(what));
  }
  FeedInput input;
  input.body = std::move(response.body);
  input.source.url = url;
  input.source.name = file ? fs::path(url).filename().string() : HostOf(url);
  input.source.base_url = response.final_url;
  // As for a file: feed: whatever libcurl guesses from a file name is no
  // charset anyone declared.
  if (!file) input.source.content_type = response.content_type;
  return input;
}

// `text`, made safe for one line of a terminal, or "(none)".
std::string Shown(std::string_view text) {
  return text.empty() ? "(none)" : config::OneLine(text);
}

void PrintLine(std::ostream& out, std::string label, const std::string& value) {
  label += ":";
  label.resize(kLabelWidth, ' ');
  out << "  " << label << value << "\n";
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    joined += (joined.empty() ? "" : ", ") + part;
  }
  return joined;
}

void PrintText(std::ostream& out, const indexer::ParsedFeed& feed,
               const indexer::FeedSource& source) {
  out << "feed\n";
  PrintLine(out, "title", Shown(feed.title));
  PrintLine(out, "link", Shown(feed.link));
  PrintLine(out, "language", Shown(feed.language));
  PrintLine(out, "url", Shown(source.url));
  PrintLine(out, "articles", std::to_string(feed.articles.size()));
  size_t number = 0;
  for (const indexer::Article& article : feed.articles) {
    out << "\narticle " << ++number << "\n";
    PrintLine(out, "id", Shown(article.id));
    PrintLine(out, "title", Shown(article.title));
    PrintLine(out, "url", Shown(article.link));
    PrintLine(out, "published",
              article.published_is_fallback
                  ? "(none; first seen " +
                        config::FormatRfc3339(article.published) + ")"
                  : config::FormatRfc3339(article.published));
    PrintLine(out, "author", Shown(article.author));
    PrintLine(out, "categories", Shown(Joined(article.categories)));
    PrintLine(out, "language", Shown(article.language));
    PrintLine(out, "text",
              Shown(config::TruncateUtf8(config::OneLine(article.text),
                                         kParseTextPreviewBytes)));
  }
}

void PrintJsonLine(std::ostream& out, const Json& line) {
  // replace: whatever the parser let through that is not UTF-8.
  out << line.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

void PrintJson(std::ostream& out, const indexer::ParsedFeed& feed,
               const indexer::FeedSource& source) {
  PrintJsonLine(out, {{"kind", "feed"},
                      {"title", feed.title},
                      {"link", feed.link},
                      {"language", feed.language},
                      {"url", source.url},
                      {"articles", feed.articles.size()},
                      {"warnings", feed.warnings}});
  for (const indexer::Article& article : feed.articles) {
    PrintJsonLine(out, {{"kind", "article"},
                        {"id", article.id},
                        {"title", article.title},
                        {"url", article.link},
                        {"published",
                         article.published_is_fallback
                             ? Json(nullptr)
                             : Json(config::FormatRfc3339(article.published))},
                        {"published_fallback", article.published_is_fallback},
                        {"author", article.author},
                        {"categories", article.categories},
                        {"language", article.language},
                        {"text", article.text}});
  }
}

}  // namespace

int ParseCommand(const CommandContext& context,
                 const std::vector<std::string>& args, bool config_chosen) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed = ParseCommandArgs(
      context, "parse", args, {{"--json"}, {}}, kHelp, &exit_status);
  if (!parsed) return exit_status;
  if (parsed->positional.size() != 1) {
    context.err << "newswatch: parse needs one FILE or URL\n" << kHelp;
    return kExitUsage;
  }
  const std::string& argument = parsed->positional.front();
  // file: URLs, as a config names file feeds, go through the poller too, so
  // that the ids are the daemon's for the same URL.
  const bool url = IsHttpUrl(argument) || StartsWithNoCase(argument, "file://");
  if (!url && HasUrlScheme(argument)) {
    context.err << "newswatch: parse: " << config::OneLine(argument)
                << ": only http://, https:// and file:// URLs are read\n";
    return kExitUsage;
  }

  config::FetchSettings settings;
  if (config_chosen) {
    // The schema only: parsing needs no saved query.
    const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
    if (!ReportConfigErrors(context, loaded)) return kExitUsage;
    settings = loaded.config.fetch;
  }

  config::Result<FeedInput> input =
      url ? Fetch(argument, settings) : ReadFile(argument, settings);
  if (!input.ok()) {
    context.err << "newswatch: parse: "
                << config::OneLine(input.error().ToString()) << "\n";
    return kExitFailure;
  }
  const indexer::FeedSource& source = input.value().source;
  config::Result<indexer::ParsedFeed> feed =
      indexer::ParseFeed(input.value().body, source, config::UnixNow());
  if (!feed.ok()) {
    context.err << "newswatch: parse: "
                << config::OneLine(feed.error().ToString()) << "\n";
    return kExitFailure;
  }
  if (parsed->Has("--json")) {
    PrintJson(context.out, feed.value(), source);
  } else {
    for (const std::string& warning : feed.value().warnings) {
      context.err << "newswatch: parse: warning: " << config::OneLine(warning)
                  << "\n";
    }
    PrintText(context.out, feed.value(), source);
  }
  return kExitOk;
}

}  // namespace newswatch::daemon
