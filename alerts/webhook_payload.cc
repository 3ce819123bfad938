#include "alerts/webhook_payload.h"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "config/text.h"
#include "config/time_format.h"

namespace newswatch::alerts {
namespace {

using Json = nlohmann::ordered_json;  // Keeps fields in the documented order.

// Slack shows up to 40,000 characters of text; a digest stays far below.
// Slack cuts message text at 40,000 characters. Ten lines fit even at their
// worst (a 500-byte title escaped to five times its size, without its link).
constexpr std::size_t kSlackDigestBudgetBytes = 38000;
constexpr std::size_t kSlackDigestMaxListed = 10;
constexpr std::size_t kNtfyDigestMaxListed = 5;
// Discord's limits (characters; bytes are at least as many): content 2000,
// embed title 256, description 4096, 10 embeds, 6000 characters over all
// embeds of a message. A digest's descriptions are kept short so 10 embeds
// stay under the total: 10 * (256 + 300) < 6000.
constexpr std::size_t kDiscordContentBytes = 2000;
constexpr std::size_t kDiscordTitleBytes = 256;
constexpr std::size_t kDiscordDescriptionBytes = 4096;
constexpr std::size_t kDiscordDigestDescriptionBytes = 300;
constexpr std::size_t kDiscordMaxEmbeds = 10;
constexpr std::size_t kDiscordUrlBytes = 2048;
// ntfy refuses (or turns into an attachment) messages over 4096 bytes by
// default; titles have no documented limit but show on one line.
constexpr std::size_t kNtfyTitleBytes = 250;
constexpr std::size_t kNtfyMessageBytes = 4000;

// An alert's content made safe to put in a body: one-line, bounded fields.
struct SafeAlert {
  long long id = 0;
  std::int64_t fired_at = 0;
  std::string article_id;
  std::string title;
  std::string url;  // Empty when it was too long.
  std::string feed_name;
  std::string feed_url;
  std::string snippet;
  std::int64_t published = 0;
  std::vector<std::string> matched_terms;
};

std::string Bounded(std::string_view text, std::size_t max_bytes) {
  return config::TruncateUtf8(config::OneLine(text), max_bytes);
}

std::string BoundedUrl(std::string_view url) {
  if (url.size() > kMaxWebhookUrlBytes) return {};
  return config::OneLine(url);
}

// The message's search name, bounded; empty for a message without alerts.
std::string SearchName(const Message& message) {
  return message.alerts.empty()
             ? std::string()
             : Bounded(message.search_name(), kMaxWebhookNameBytes);
}

// "1 new alert for SEARCH", "3 new alerts for SEARCH".
std::string NewAlertsFor(std::size_t count, std::string_view search) {
  return std::to_string(count) + " new alert" + (count == 1 ? "" : "s") +
         " for " + std::string(search);
}

// The line that ends a digest listing `listed` of `total` alerts: empty when
// it lists them all.
std::string MoreLine(std::size_t total, std::size_t listed) {
  if (listed >= total) return {};
  return "\n…and " + std::to_string(total - listed) + " more";
}

SafeAlert MakeSafe(const Alert& alert) {
  const AlertContent& content = alert.content;
  SafeAlert safe;
  safe.id = alert.id;
  safe.fired_at = alert.fired_at;
  safe.article_id = Bounded(content.article_id, kMaxWebhookIdBytes);
  safe.title = Bounded(content.title, kMaxWebhookTitleBytes);
  safe.url = BoundedUrl(content.url);
  safe.feed_name = Bounded(content.feed_name, kMaxWebhookNameBytes);
  safe.feed_url = BoundedUrl(content.feed_url);
  safe.snippet = Bounded(content.snippet, kMaxWebhookSnippetBytes);
  safe.published = content.published;
  for (const std::string& term : content.matched_terms) {
    if (safe.matched_terms.size() == kMaxWebhookTerms) break;
    safe.matched_terms.push_back(Bounded(term, kMaxWebhookTermBytes));
  }
  return safe;
}

// A link target a chat service will accept and a person may click.
bool IsWebUrl(std::string_view url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string JoinTerms(const std::vector<std::string>& terms) {
  std::string joined;
  for (const std::string& term : terms) {
    if (!joined.empty()) joined += ", ";
    joined += term;
  }
  return joined;
}

std::string Dump(const Json& json) {
  // Invalid UTF-8 from a feed becomes U+FFFD instead of an exception.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// --- generic ---------------------------------------------------------------

Json GenericArticle(const SafeAlert& alert) {
  Json article;
  article["id"] = alert.article_id;
  article["title"] = alert.title;
  article["url"] = alert.url;
  article["feed"] = alert.feed_name;
  article["feed_url"] = alert.feed_url;
  article["published"] = alert.published != 0
                             ? Json(config::FormatRfc3339(alert.published))
                             : Json(nullptr);
  article["snippet"] = alert.snippet;
  article["matched_terms"] = alert.matched_terms;
  return article;
}

std::string GenericBody(const Message& message,
                        const std::vector<SafeAlert>& alerts, bool digest) {
  Json search;
  search["name"] = SearchName(message);
  search["query"] = message.alerts.empty()
                        ? std::string()
                        : Bounded(message.alerts.front().content.query,
                                  kMaxWebhookQueryBytes);
  Json body;
  body["type"] = digest ? "digest" : "alert";
  body["id"] = message.id;
  body["search"] = std::move(search);
  if (!digest) {
    const SafeAlert& alert = alerts.front();
    body["fired_at"] = config::FormatRfc3339(alert.fired_at);
    body["article"] = GenericArticle(alert);
    body["alert_id"] = alert.id;
    return Dump(body);
  }
  body["alert_count"] = message.alerts.size();
  Json list = Json::array();
  for (const SafeAlert& alert : alerts) {
    if (list.size() == kMaxWebhookDigestAlerts) break;
    Json entry;
    entry["alert_id"] = alert.id;
    entry["fired_at"] = config::FormatRfc3339(alert.fired_at);
    entry["article"] = GenericArticle(alert);
    list.push_back(std::move(entry));
  }
  body["alerts"] = std::move(list);
  return Dump(body);
}

// --- slack -----------------------------------------------------------------

// Slack's mrkdwn gives &, < and > a meaning (entities, links, mentions such
// as <!everyone>); everything else is shown as written.
std::string SlackEscape(std::string_view text) {
  return config::EscapeChars(text,
                             {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}});
}

// A URL inside <url|text>: '|' and '>' would end it early.
std::string SlackUrl(std::string_view url) {
  return config::EscapeChars(
      url,
      {{'&', "&amp;"}, {'<', "%3C"}, {'>', "%3E"}, {'|', "%7C"}, {' ', "%20"}});
}

std::string SlackTitleLink(const SafeAlert& alert) {
  const std::string title =
      SlackEscape(alert.title.empty() ? "(untitled)" : alert.title);
  if (!IsWebUrl(alert.url)) return title;
  return "<" + SlackUrl(alert.url) + "|" + title + ">";
}

std::string SlackBody(const Message& message,
                      const std::vector<SafeAlert>& alerts, bool digest) {
  const std::string search = SlackEscape(SearchName(message));
  std::string text;
  if (!digest) {
    const SafeAlert& alert = alerts.front();
    text = "*New alert for " + search + "*\n" + SlackTitleLink(alert) + "\n_" +
           SlackEscape(alert.feed_name) + "_";
    if (alert.published != 0) {
      text += " · published " + config::FormatRfc3339(alert.published);
    }
    if (!alert.snippet.empty()) text += "\n>" + SlackEscape(alert.snippet);
    if (!alert.matched_terms.empty()) {
      text += "\nMatched: " + SlackEscape(JoinTerms(alert.matched_terms));
    }
  } else {
    text = "*" + NewAlertsFor(message.alerts.size(), search) + "*";
    std::size_t listed = 0;
    for (const SafeAlert& alert : alerts) {
      const std::string feed = " (_" + SlackEscape(alert.feed_name) + "_)";
      std::string line = "\n• " + SlackTitleLink(alert) + feed;
      if (text.size() + line.size() > kSlackDigestBudgetBytes) {
        // A long link gives way: the title is what must be shown.
        line = "\n• " +
               SlackEscape(alert.title.empty() ? "(untitled)" : alert.title) +
               feed;
      }
      if (listed == kSlackDigestMaxListed ||
          text.size() + line.size() > kSlackDigestBudgetBytes) {
        break;
      }
      text += line;
      ++listed;
    }
    text += MoreLine(message.alerts.size(), listed);
  }
  Json body;
  body["text"] = text;
  return Dump(body);
}

// --- discord ---------------------------------------------------------------

// Discord's markdown takes a backslash before any punctuation as "show this
// character as is", so escaping every markup character is harmless. That
// keeps feed text from forming masked links ([text](url)), headings, quotes
// or mention syntax. (allowed_mentions stops pings in any case.)
std::string DiscordEscape(std::string_view text) {
  static constexpr std::string_view kMarkup = "\\*_~`|<>#[]()-@";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (kMarkup.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

Json DiscordEmbed(const SafeAlert& alert, std::size_t description_bytes) {
  Json embed;
  // A cut escape ("\" before "…") still shows "…": harmless.
  embed["title"] = config::TruncateUtf8(
      DiscordEscape(alert.title.empty() ? "(untitled)" : alert.title),
      kDiscordTitleBytes);
  // Discord refuses the whole message when an embed's URL is not one.
  if (IsWebUrl(alert.url) && alert.url.size() <= kDiscordUrlBytes &&
      alert.url.find(' ') == std::string::npos) {
    embed["url"] = alert.url;
  }
  std::string description;
  if (!alert.snippet.empty()) description = DiscordEscape(alert.snippet) + "\n";
  description += "Feed: " + DiscordEscape(alert.feed_name);
  if (!alert.matched_terms.empty()) {
    description +=
        "\nMatched: " + DiscordEscape(JoinTerms(alert.matched_terms));
  }
  embed["description"] = config::TruncateUtf8(description, description_bytes);
  if (alert.published != 0) {
    embed["timestamp"] = config::FormatRfc3339(alert.published);
  }
  return embed;
}

std::string DiscordBody(const Message& message,
                        const std::vector<SafeAlert>& alerts, bool digest) {
  const std::string search = DiscordEscape(SearchName(message));
  std::string content;
  Json embeds = Json::array();
  if (!digest) {
    content = "**New alert for " + search + "**";
    embeds.push_back(DiscordEmbed(alerts.front(), kDiscordDescriptionBytes));
  } else {
    content = "**" + NewAlertsFor(message.alerts.size(), search) + "**";
    for (const SafeAlert& alert : alerts) {
      if (embeds.size() == kDiscordMaxEmbeds) break;
      embeds.push_back(DiscordEmbed(alert, kDiscordDigestDescriptionBytes));
    }
    if (embeds.size() < message.alerts.size()) {
      content += " (showing the first " + std::to_string(embeds.size()) + ")";
    }
  }
  Json body;
  body["content"] = config::TruncateUtf8(content, kDiscordContentBytes);
  body["embeds"] = std::move(embeds);
  body["allowed_mentions"] = {{"parse", Json::array()}};
  return Dump(body);
}

// --- ntfy ------------------------------------------------------------------

std::string NtfyBody(const Message& message,
                     const std::vector<SafeAlert>& alerts, bool digest,
                     const std::string& topic) {
  const std::string search = SearchName(message);
  Json body;
  body["topic"] = topic;
  if (!digest) {
    const SafeAlert& alert = alerts.front();
    const std::string title = alert.title.empty() ? "(untitled)" : alert.title;
    body["title"] =
        config::TruncateUtf8(search + ": " + title, kNtfyTitleBytes);
    std::string text = title;
    if (!alert.snippet.empty()) text += "\n" + alert.snippet;
    text += "\nFeed: " + alert.feed_name;
    if (!alert.matched_terms.empty()) {
      text += "\nMatched: " + JoinTerms(alert.matched_terms);
    }
    body["message"] = config::TruncateUtf8(text, kNtfyMessageBytes);
    if (IsWebUrl(alert.url)) body["click"] = alert.url;
  } else {
    body["title"] = config::TruncateUtf8(
        NewAlertsFor(message.alerts.size(), search), kNtfyTitleBytes);
    std::string text;
    std::size_t listed = 0;
    // Room for the "…and N more" line.
    constexpr std::size_t kBudget = kNtfyMessageBytes - 40;
    for (const SafeAlert& alert : alerts) {
      std::string line =
          "• " + (alert.title.empty() ? "(untitled)" : alert.title);
      if (!text.empty()) line.insert(0, "\n");
      // The link only where it fits: five titles always do.
      if (IsWebUrl(alert.url) &&
          text.size() + line.size() + 1 + alert.url.size() <= kBudget) {
        line += " " + alert.url;
      }
      if (listed == kNtfyDigestMaxListed ||
          text.size() + line.size() > kBudget) {
        break;
      }
      text += line;
      ++listed;
    }
    text += MoreLine(message.alerts.size(), listed);
    body["message"] = config::TruncateUtf8(text, kNtfyMessageBytes);
  }
  body["tags"] = {"newspaper"};
  return Dump(body);
}

}  // namespace

std::size_t MaxDigestAlerts(std::string_view format) {
  if (format == "slack") return kSlackDigestMaxListed;
  if (format == "discord") return kDiscordMaxEmbeds;
  if (format == "ntfy") return kNtfyDigestMaxListed;
  return kMaxWebhookDigestAlerts;
}

std::optional<NtfyTarget> NtfyTargetOf(std::string_view url) {
  url = url.substr(0, url.find('#'));
  std::string_view query;
  if (const std::size_t mark = url.find('?'); mark != std::string_view::npos) {
    query = url.substr(mark);  // With the '?'.
    url = url.substr(0, mark);
  }
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::size_t path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string_view::npos) return std::nullopt;
  const std::size_t last_slash = url.rfind('/');
  NtfyTarget target;
  target.topic = std::string(url.substr(last_slash + 1));
  if (target.topic.empty()) return std::nullopt;
  target.post_url = std::string(url.substr(0, last_slash + 1));
  target.post_url += query;
  return target;
}

config::Result<WebhookPayload> BuildWebhookPayload(
    const Message& message, const config::WebhookSettings& settings) {
  std::vector<SafeAlert> alerts;
  alerts.reserve(message.alerts.size());
  for (const Alert& alert : message.alerts) alerts.push_back(MakeSafe(alert));
  const bool digest = message.digest || alerts.size() != 1;

  WebhookPayload payload;
  payload.url = settings.url;
  payload.content_type = "application/json";
  const std::string& format = settings.format;
  if (format == "generic" || format.empty()) {
    payload.body = GenericBody(message, alerts, digest);
  } else if (format == "slack") {
    payload.body = SlackBody(message, alerts, digest);
  } else if (format == "discord") {
    payload.body = DiscordBody(message, alerts, digest);
  } else if (format == "ntfy") {
    std::optional<NtfyTarget> target = NtfyTargetOf(settings.url);
    if (!target) {
      return config::Error::Permanent(
          "",
          "an ntfy webhook URL must end in the topic "
          "(https://ntfy.example/<topic>)");
    }
    payload.url = std::move(target->post_url);
    payload.body = NtfyBody(message, alerts, digest, target->topic);
  } else {
    return config::Error::Permanent(
        "", "unknown webhook format \"" + config::OneLine(format) +
                "\" (expected generic, slack, discord or ntfy)");
  }
  return payload;
}

}  // namespace newswatch::alerts
