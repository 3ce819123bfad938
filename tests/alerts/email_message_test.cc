#include "alerts/email_message.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts/base64.h"
#include "alerts/notifier.h"
#include "config/config.h"
#include "config/error.h"

namespace newswatch::alerts {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

// ---------------------------------------------------------------------------
// A small reader for what BuildEmail writes, independent of its code.

struct Header {
  std::string name;
  std::string value;  // Unfolded (CRLF removed), still encoded.
};

struct Part {
  std::vector<Header> headers;
  std::string body;  // As transferred.
};

struct Email {
  std::vector<Header> headers;
  std::string body;
  std::vector<std::string> raw_lines;  // Split on CRLF.
};

std::string Lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

std::vector<std::string> SplitCrlf(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find("\r\n", start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      return lines;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 2;
  }
}

std::vector<Header> ParseHeaders(std::string_view block) {
  std::vector<Header> headers;
  for (const std::string& line : SplitCrlf(block)) {
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      REQUIRE(!headers.empty());
      headers.back().value += line;  // Unfolding removes only the CRLF.
      continue;
    }
    const std::size_t colon = line.find(':');
    REQUIRE(colon != std::string::npos);
    std::string value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    headers.push_back({line.substr(0, colon), value});
  }
  return headers;
}

Email Parse(const std::string& message) {
  Email email;
  const std::size_t end = message.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  email.headers = ParseHeaders(std::string_view(message).substr(0, end));
  email.body = message.substr(end + 4);
  email.raw_lines = SplitCrlf(message);
  return email;
}

std::vector<std::string> All(const std::vector<Header>& headers,
                             const std::string& name) {
  std::vector<std::string> values;
  for (const Header& header : headers) {
    if (Lower(header.name) == Lower(name)) values.push_back(header.value);
  }
  return values;
}

std::string One(const std::vector<Header>& headers, const std::string& name) {
  const std::vector<std::string> values = All(headers, name);
  INFO("header " << name);
  REQUIRE(values.size() == 1);
  return values.front();
}

// Decodes RFC 2047 B encoded-words in UTF-8; the whitespace between two
// adjacent encoded-words is dropped, as RFC 2047 says.
std::string DecodeHeader(const std::string& value) {
  std::string out;
  bool previous_encoded = false;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(' ', start);
    if (end == std::string::npos) end = value.size();
    const std::string token = value.substr(start, end - start);
    const bool encoded = token.rfind("=?UTF-8?B?", 0) == 0 &&
                         token.size() >= 12 &&
                         token.compare(token.size() - 2, 2, "?=") == 0;
    if (!out.empty() && !(encoded && previous_encoded)) out += ' ';
    if (encoded) {
      CHECK(token.size() <= 75);
      const std::optional<std::string> decoded =
          Base64Decode(token.substr(10, token.size() - 12));
      REQUIRE(decoded.has_value());
      out += *decoded;
    } else {
      out += token;
    }
    previous_encoded = encoded;
    start = end + 1;
  }
  return out;
}

std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (text[i] == '=') {
      REQUIRE(i + 2 < text.size());
      REQUIRE(std::isxdigit(static_cast<unsigned char>(text[i + 1])));
      REQUIRE(std::isxdigit(static_cast<unsigned char>(text[i + 2])));
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (text.compare(i, 2, "\r\n") == 0) {
      out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Boundary(const Email& email) {
  const std::string type = One(email.headers, "Content-Type");
  const std::string marker = "boundary=\"";
  const std::size_t at = type.find(marker);
  REQUIRE(at != std::string::npos);
  const std::size_t end = type.find('"', at + marker.size());
  REQUIRE(end != std::string::npos);
  return type.substr(at + marker.size(), end - at - marker.size());
}

std::vector<Part> Parts(const Email& email) {
  const std::string delimiter = "\r\n--" + Boundary(email);
  std::vector<Part> parts;
  std::size_t at = email.body.find(delimiter);
  REQUIRE(at != std::string::npos);
  while (true) {
    at += delimiter.size();
    if (email.body.compare(at, 2, "--") == 0) break;  // The close delimiter.
    REQUIRE(email.body.compare(at, 2, "\r\n") == 0);
    at += 2;
    const std::size_t next = email.body.find(delimiter, at);
    REQUIRE(next != std::string::npos);
    const std::string part = email.body.substr(at, next - at);
    const std::size_t blank = part.find("\r\n\r\n");
    REQUIRE(blank != std::string::npos);
    parts.push_back(
        {ParseHeaders(part.substr(0, blank)), part.substr(blank + 4)});
    at = next;
  }
  return parts;
}

// The decoded text of the part of type `type`.
std::string PartText(const Email& email, const std::string& type) {
  for (const Part& part : Parts(email)) {
    if (One(part.headers, "Content-Type") == type + "; charset=utf-8") {
      CHECK(One(part.headers, "Content-Transfer-Encoding") ==
            "quoted-printable");
      return DecodeQuotedPrintable(part.body);
    }
  }
  FAIL("no part of type " << type);
  return {};
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80                           ? 1
                         : (lead >> 5) == 0x6 && lead >= 0xC2  ? 2
                         : (lead >> 4) == 0xE                  ? 3
                         : (lead >> 3) == 0x1E && lead <= 0xF4 ? 4
                                                               : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

// Every line ends in CRLF, none is over 78 characters, and only 7-bit
// printable ASCII (and tabs) appears anywhere.
void CheckWellFormed(const std::string& message) {
  INFO(message.substr(0, 3000));
  REQUIRE(message.size() >= 2);
  CHECK(message.compare(message.size() - 2, 2, "\r\n") == 0);
  for (std::size_t i = 0; i < message.size(); ++i) {
    const auto byte = static_cast<unsigned char>(message[i]);
    if (message[i] == '\r') {
      REQUIRE(i + 1 < message.size());
      CHECK(message[i + 1] == '\n');
    } else if (message[i] == '\n') {
      CHECK((i > 0 && message[i - 1] == '\r'));
    } else {
      CHECK(((byte >= 0x20 && byte <= 0x7E) || byte == '\t'));
    }
  }
  for (const std::string& line : SplitCrlf(message)) {
    INFO(line);
    CHECK(line.size() <= 78);
  }
}

// ---------------------------------------------------------------------------
// Fixtures.

config::EmailSettings Settings() {
  config::EmailSettings settings;
  settings.smtp_url = "smtp://mail.example.org";
  settings.from = "alerts@newswatch.example.org";
  settings.to = {"ops@example.org", "editor+news@example.com"};
  return settings;
}

Alert MakeAlert(std::string title) {
  Alert alert;
  alert.id = 42;
  alert.content.search_name = "Glaciers";
  alert.content.query = "glacier AND (ice OR melt)";
  alert.content.article_id = "article-1";
  alert.content.title = std::move(title);
  alert.content.url = "https://example.org/ice?a=1&b=2";
  alert.content.feed_name = "Science Desk";
  alert.content.feed_url = "https://example.org/feed.xml";
  alert.content.snippet = "The ice sheet lost <more> mass than expected.";
  alert.content.published = kNow - 3600;
  alert.content.matched_terms = {"glacier", "ice"};
  alert.fired_at = kNow;
  return alert;
}

Message MakeMessage(std::string title = "Ice sheet retreats") {
  Message message;
  message.id = "msg_inst1_d42";
  message.alerts.push_back(MakeAlert(std::move(title)));
  return message;
}

std::string Build(const Message& message,
                  const config::EmailSettings& settings = Settings(),
                  std::int64_t now = kNow) {
  config::Result<std::string> built = BuildEmail(message, settings, now);
  INFO((built.ok() ? std::string() : built.error().ToString()));
  REQUIRE(built.ok());
  return std::move(built).value();
}

std::string Subject(const std::string& message) {
  return DecodeHeader(One(Parse(message).headers, "Subject"));
}

// The email for an alert whose title and snippet are both the hostile
// `text`, checked to be well-formed.
std::string BuildHostile(const std::string& text) {
  Message message = MakeMessage(text);
  message.alerts[0].content.snippet = text;
  const std::string built = Build(message);
  CheckWellFormed(built);
  return built;
}

// ---------------------------------------------------------------------------

TEST_CASE("BuildEmail: an alert email has the headers and both MIME parts",
          "[email]") {
  const std::string message = Build(MakeMessage());
  CheckWellFormed(message);
  const Email email = Parse(message);

  CHECK(One(email.headers, "Date") == "Tue, 14 Nov 2023 22:13:20 +0000");
  CHECK(One(email.headers, "From") ==
        "newswatch <alerts@newswatch.example.org>");
  CHECK(One(email.headers, "To") == "ops@example.org, editor+news@example.com");
  CHECK(One(email.headers, "Subject") ==
        "[newswatch] Glaciers: Ice sheet retreats");
  CHECK(One(email.headers, "Message-ID") ==
        "<msg_inst1_d42@newswatch.example.org>");
  CHECK(One(email.headers, "MIME-Version") == "1.0");
  CHECK(One(email.headers, "Auto-Submitted") == "auto-generated");
  CHECK(One(email.headers, "Content-Type").rfind("multipart/alternative;", 0) ==
        0);

  const std::vector<Part> parts = Parts(email);
  REQUIRE(parts.size() == 2);
  CHECK(One(parts[0].headers, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(One(parts[1].headers, "Content-Type") == "text/html; charset=utf-8");

  const std::string text = PartText(email, "text/plain");
  CHECK_THAT(text, Catch::Contains("Your saved search \"Glaciers\" matched a "
                                   "new article."));
  CHECK_THAT(text, Catch::Contains("Query: glacier AND (ice OR melt)"));
  CHECK_THAT(text, Catch::Contains("\nIce sheet retreats\n"
                                   "https://example.org/ice?a=1&b=2\n"
                                   "Feed: Science Desk\n"
                                   "Published: 2023-11-14T21:13:20Z\n"
                                   "Matched: glacier, ice\n"));
  CHECK_THAT(text,
             Catch::Contains("The ice sheet lost <more> mass than expected."));

  const std::string html = PartText(email, "text/html");
  CHECK_THAT(html, Catch::Contains("<meta charset=\"utf-8\">"));
  CHECK_THAT(html, Catch::Contains("<a href=\"https://example.org/ice?a=1&amp;"
                                   "b=2\">Ice sheet retreats</a>"));
  CHECK_THAT(html, Catch::Contains("lost &lt;more&gt; mass"));
  CHECK_THAT(html, Catch::Contains("<code>glacier AND (ice OR melt)</code>"));
  CHECK_THAT(html, Catch::Contains("Matched: glacier, ice"));
  CHECK_THAT(html, Catch::Contains("Feed: Science Desk"));
}

TEST_CASE(
    "BuildEmail: a digest lists every alert and counts them in the subject",
    "[email]") {
  Message message = MakeMessage("First story");
  message.digest = true;
  message.alerts.push_back(MakeAlert("Second story"));
  message.alerts.push_back(MakeAlert("Third <story>"));
  message.alerts[2].content.url = "javascript:alert(1)";
  const std::string built = Build(message);
  CheckWellFormed(built);
  const Email email = Parse(built);

  CHECK(Subject(built) == "[newswatch] Glaciers: 3 new articles");
  const std::string text = PartText(email, "text/plain");
  CHECK_THAT(text, Catch::Contains("matched 3 new articles."));
  CHECK_THAT(text, Catch::Contains("1. First story\n"));
  CHECK_THAT(text, Catch::Contains("2. Second story\n"));
  CHECK_THAT(text, Catch::Contains("3. Third <story>\n"));
  const std::string html = PartText(email, "text/html");
  CHECK_THAT(html, Catch::Contains(">First story</a>"));
  CHECK_THAT(html, Catch::Contains(">Second story</a>"));
  // Not a web link: shown, not linked.
  CHECK_THAT(html, Catch::Contains("3. Third &lt;story&gt;</h3>"));
  CHECK_THAT(html, !Catch::Contains("href=\"javascript:"));
}

TEST_CASE("BuildEmail: non-ASCII header text is sent as encoded-words",
          "[email]") {
  const std::string title = "Ukraine’s troop cap — Ελλάδα";
  const std::string message = Build(MakeMessage(title));
  CheckWellFormed(message);  // Also: no raw 8-bit byte anywhere.
  const std::string raw = One(Parse(message).headers, "Subject");
  CHECK(raw.rfind("=?UTF-8?B?", 0) == 0);
  CHECK(Subject(message) == "[newswatch] Glaciers: " + title);

  // A long one folds over several lines of whole encoded-words.
  std::string long_title;
  while (long_title.size() < 280) long_title += "Ελλάδα ";
  long_title.pop_back();
  const std::string long_message = Build(MakeMessage(long_title));
  CheckWellFormed(long_message);
  CHECK(Subject(long_message) == "[newswatch] Glaciers: " + long_title);
  int subject_lines = 0;
  bool in_subject = false;
  for (const std::string& line : Parse(long_message).raw_lines) {
    if (line.rfind("Subject:", 0) == 0) {
      in_subject = true;
    } else if (in_subject && line.rfind(" ", 0) != 0) {
      break;
    }
    subject_lines += in_subject ? 1 : 0;
  }
  CHECK(subject_lines > 3);

  // An ASCII word too long to fold is encoded rather than overlong.
  const std::string word(150, 'x');
  const std::string word_message = Build(MakeMessage(word));
  CheckWellFormed(word_message);
  CHECK(Subject(word_message) == "[newswatch] Glaciers: " + word);

  // ASCII that looks like an encoded-word is encoded so it reads as typed.
  const std::string lookalike = "=?UTF-8?B?SGk=?= trick";
  CHECK(Subject(Build(MakeMessage(lookalike))) ==
        "[newswatch] Glaciers: " + lookalike);
}

TEST_CASE("BuildEmail: the Message-ID is stable for a message", "[email]") {
  const auto message_id = [](const Message& message, std::int64_t now) {
    return One(Parse(Build(message, Settings(), now)).headers, "Message-ID");
  };
  const Message message = MakeMessage();
  CHECK(message_id(message, kNow) == message_id(message, kNow + 3600));
  CHECK(Build(message, Settings(), kNow) == Build(message, Settings(), kNow));
  Message other = MakeMessage();
  other.id = "msg_inst1_d43";
  CHECK(message_id(other, kNow) == "<msg_inst1_d43@newswatch.example.org>");

  Message bad = MakeMessage();
  bad.id = "msg>\r\nBcc: x@example.org";
  const auto built = BuildEmail(bad, Settings(), kNow);
  REQUIRE_FALSE(built.ok());
  CHECK(built.error().kind == config::ErrorKind::kPermanent);
}

TEST_CASE("BuildEmail: a title cannot inject a header", "[email][hostile]") {
  const std::string message =
      Build(MakeMessage("Hi\r\nBcc: victim@example.org"));
  CheckWellFormed(message);
  const Email email = Parse(message);
  CHECK(All(email.headers, "Bcc").empty());
  CHECK(All(email.headers, "Subject").size() == 1);
  CHECK(Subject(message) == "[newswatch] Glaciers: Hi Bcc: victim@example.org");
  for (const std::string& line : email.raw_lines) {
    CHECK(Lower(line).rfind("bcc:", 0) != 0);
  }
  // The To header still names only the configured recipients.
  CHECK(One(email.headers, "To") == "ops@example.org, editor+news@example.com");
}

TEST_CASE("BuildEmail: a snippet cannot break the MIME structure",
          "[email][hostile]") {
  Message message = MakeMessage();
  const std::string boundary = Boundary(Parse(Build(message)));
  message.alerts[0].content.snippet =
      "a\r\n--" + boundary + "--\r\n.\r\nFrom me\r\n\r\nContent-Type: x/y";
  const std::string built = Build(message);
  CheckWellFormed(built);
  const Email email = Parse(built);
  REQUIRE(Parts(email).size() == 2);
  CHECK_THAT(PartText(email, "text/plain"),
             Catch::Contains("a --" + boundary +
                             "-- . From me Content-Type: "
                             "x/y\n"));
}

TEST_CASE("BuildEmail: NUL and bidirectional controls are removed",
          "[email][hostile]") {
  const std::string title = std::string("Safe\0Title", 10) +
                            " \xE2\x80\xAEgnp.exe \xD8\x9C" +
                            "\xE2\x81\xA6x\xE2\x81\xA9 \xC2\x85 end";
  const std::string built = BuildHostile(title);
  const std::string subject = Subject(built);
  CHECK(subject == "[newswatch] Glaciers: Safe Title gnp.exe x end");
  const Email email = Parse(built);
  for (const std::string& part :
       {PartText(email, "text/plain"), PartText(email, "text/html")}) {
    CHECK(part.find('\0') == std::string::npos);
    CHECK(part.find("\xE2\x80\xAE") == std::string::npos);
    CHECK(part.find("\xE2\x81\xA6") == std::string::npos);
    CHECK(part.find("\xD8\x9C") == std::string::npos);
    CHECK(part.find("\xC2\x85") == std::string::npos);
    CHECK_THAT(part, Catch::Contains("Safe Title gnp.exe x end"));
  }
}

TEST_CASE("BuildEmail: megabyte feed text is bounded", "[email][hostile]") {
  std::string huge;
  while (huge.size() < 1024 * 1024) huge += "Ελλάδα and more words ";
  Message message = MakeMessage(huge);
  message.alerts[0].content.snippet = huge;
  message.alerts[0].content.url = "https://example.org/" + huge;
  message.alerts[0].content.feed_name = huge;
  message.alerts[0].content.matched_terms.assign(10'000, huge);
  const std::string built = Build(message);
  CheckWellFormed(built);
  CHECK(built.size() < 64 * 1024);

  const std::string subject = Subject(built);
  const std::string prefix = "[newswatch] Glaciers: ";
  CHECK(subject.size() <= prefix.size() + kMaxSubjectTitleBytes);
  CHECK(subject.size() > prefix.size() + kMaxSubjectTitleBytes - 20);
  CHECK(IsValidUtf8(subject));
  CHECK(subject.compare(subject.size() - 3, 3, "…") == 0);

  const std::string text = PartText(Parse(built), "text/plain");
  CHECK(IsValidUtf8(text));
  std::size_t longest = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - start);
    start = end + 1;
  }
  CHECK(longest <= kMaxUrlBytes + 20);  // No field unbounded.
}

TEST_CASE("BuildEmail: invalid UTF-8 is repaired", "[email][hostile]") {
  // A lone lead byte, bytes never valid, a truncated sequence, an overlong
  // '/', a surrogate.
  const std::string title =
      "Caf\xC3 ok \xFF\xFE \xC0\xAF \xED\xA0\x80 bad \xE2\x82";
  const std::string built = BuildHostile(title);
  const std::string subject = Subject(built);
  CHECK(IsValidUtf8(subject));
  CHECK_THAT(subject, Catch::StartsWith("[newswatch] Glaciers: Caf\xEF\xBF\xBD"
                                        " ok \xEF\xBF\xBD\xEF\xBF\xBD"));
  CHECK_THAT(subject, Catch::Contains(" bad \xEF\xBF\xBD"));
  const std::string text = PartText(Parse(built), "text/plain");
  CHECK(IsValidUtf8(text));
  CHECK(IsValidUtf8(PartText(Parse(built), "text/html")));
}

TEST_CASE("BuildEmail: addresses must be plain addr-specs",
          "[email][hostile]") {
  for (const char* good :
       {"ops@example.org", "a.b+c@mail.example.co.uk", "root@localhost",
        "x@[127.0.0.1]", "o'neil!#$%&*/=?^_`{|}~-@example.org"}) {
    INFO(good);
    CHECK(ValidateEmailAddress(good).ok());
  }
  for (const char* bad :
       {"", "ops", "ops@", "@example.org", "ops@example.org\r\nBcc: x@y.org",
        "ops@example.org\n", "Ops <ops@example.org>", "o ps@example.org",
        ".ops@example.org", "o..ps@example.org", "ops@-example.org",
        "ops@example..org", "ops@exa_mple.org", "jörg@example.org",
        "\"quoted\"@example.org", "ops@example.org,evil@example.org",
        "a@b@example.org"}) {
    INFO(bad);
    const config::Status status = ValidateEmailAddress(bad);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == config::ErrorKind::kPermanent);
    CHECK(status.error().what.find('\n') == std::string::npos);
  }
  CHECK_FALSE(ValidateEmailAddress(std::string(65, 'a') + "@example.org").ok());

  config::EmailSettings settings = Settings();
  settings.from = "alerts@example.org\r\nBcc: victim@example.org";
  auto built = BuildEmail(MakeMessage(), settings, kNow);
  REQUIRE_FALSE(built.ok());
  CHECK(built.error().kind == config::ErrorKind::kPermanent);
  CHECK_THAT(built.error().what, Catch::Contains("from address"));
  CHECK(built.error().what.find('\r') == std::string::npos);

  settings = Settings();
  settings.to.push_back("Victim <victim@example.org>");
  built = BuildEmail(MakeMessage(), settings, kNow);
  REQUIRE_FALSE(built.ok());
  CHECK_THAT(built.error().what, Catch::Contains("to address"));

  settings = Settings();
  settings.to.clear();
  CHECK_FALSE(BuildEmail(MakeMessage(), settings, kNow).ok());
  CHECK_FALSE(BuildEmail(Message{"msg_1", {}, false}, Settings(), kNow).ok());
}

}  // namespace
}  // namespace newswatch::alerts
