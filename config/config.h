// The configuration model: what the operator wrote in newswatch.toml, after
// validation. Built once by LoadConfig (config_loader.h) and then treated as
// frozen; every other part of the program reads it and none changes it.
#ifndef NEWSWATCH_CONFIG_CONFIG_H_
#define NEWSWATCH_CONFIG_CONFIG_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/duration.h"

namespace newswatch::config {

// Defaults, documented again in config/newswatch.toml and the README.
inline constexpr Seconds kDefaultFeedInterval{15 * 60};
inline constexpr Seconds kMinFeedInterval{60};  // Refused below this.
inline constexpr long kDefaultMaxBodyBytes = 10L * 1024 * 1024;
inline constexpr Seconds kDefaultFetchTimeout{60};
inline constexpr Seconds kMaxFetchTimeout{10 * 60};
inline constexpr Seconds kDefaultConnectTimeout{15};
inline constexpr Seconds kDefaultLowSpeedTime{30};
inline constexpr long kDefaultMaxConcurrent = 32;
inline constexpr long kMaxMaxConcurrent = 1000;
inline constexpr long kDefaultMaxPerHost = 4;
inline constexpr Seconds kDefaultMaxInterval{6 * 60 * 60};
inline constexpr Seconds kDefaultWebhookTimeout{10};
inline constexpr Seconds kDefaultSmtpTimeout{30};
inline constexpr Seconds kMaxNotifierTimeout{5 * 60};
inline constexpr Seconds kDefaultDigestEvery{60 * 60};
inline constexpr Seconds kMinDigestEvery{60};

struct Feed {
  std::string url;   // As configured; relative file: URLs already resolved.
  std::string name;  // Defaults to the URL when the config gives none.
  Seconds interval = kDefaultFeedInterval;
  // The language of the feed's articles (a tag: "de", "pt-BR" is stored
  // "pt-br"), overriding what the feed says; empty: what the feed says.
  std::string language = {};
};

// When a digest goes out: every `every` (aligned to multiples of it since
// the Unix epoch, so "1h" means on the hour), or daily at a local time of
// day in the config's time_zone.
struct DigestSchedule {
  enum class Kind { kEvery, kDaily };
  Kind kind = Kind::kEvery;
  Seconds every = kDefaultDigestEvery;  // kEvery.
  int minute_of_day = 0;                // kDaily: 0..1439, local time.
};

enum class DeliveryMode { kImmediate, kDigest };

struct Search {
  std::string name;
  std::string query;                // Validated by the indexer's strict parser.
  std::vector<std::string> notify;  // Notifier names; each one exists.
  // The language whose stemmer the query's words use (a tag, lower-cased);
  // empty: the query's own lang: if it names exactly one, else English.
  std::string language = {};
  // "immediate": one message per alert as it fires. "digest": alerts wait
  // for the next digest time and go out as one message.
  DeliveryMode delivery = DeliveryMode::kImmediate;
  // When digests go out (for kDigest, and for alerts held back by
  // max_per_hour).
  DigestSchedule digest_every;
  // 0: no limit. Otherwise alerts beyond this many in the last hour wait for
  // the next digest instead of flooding the receiver.
  int max_per_hour = 0;
  // Where the query was written ("newswatch.toml:12: search[1].query"), for
  // errors found after loading.
  std::string location = {};
};

enum class NotifierType { kLog, kEmail, kWebhook };

struct EmailSettings {
  std::string smtp_url;  // smtp:// or smtps://
  std::string from;
  std::vector<std::string> to;
  bool starttls = false;  // Require STARTTLS on smtp://.
  std::string username;
  std::filesystem::path password_file;  // Read at send time, never logged.
  std::filesystem::path ca_file;  // PEM CAs to trust instead of the system's.
  Seconds timeout = kDefaultSmtpTimeout;
};

struct WebhookSettings {
  std::string url;
  std::string secret;  // "whsec_" + base64, may be empty.
  std::string format = "generic";
  std::map<std::string, std::string> headers;
  Seconds timeout = kDefaultWebhookTimeout;
  std::filesystem::path ca_file;  // PEM CAs to trust instead of the system's.
};

struct Notifier {
  std::string name;
  NotifierType type = NotifierType::kLog;
  std::optional<EmailSettings> email;      // Set when type == kEmail.
  std::optional<WebhookSettings> webhook;  // Set when type == kWebhook.
};

struct FetchSettings {
  std::string user_agent;  // Empty: "newswatch/<version>".
  long max_body_bytes = kDefaultMaxBodyBytes;
  Seconds timeout = kDefaultFetchTimeout;  // A whole fetch, redirects included.
  Seconds connect_timeout = kDefaultConnectTimeout;
  // A transfer slower than 1 KiB/s for this long is abandoned, so a server
  // that trickles bytes cannot hold a slot for the whole timeout.
  Seconds low_speed_time = kDefaultLowSpeedTime;
  long max_concurrent = kDefaultMaxConcurrent;  // Transfers in flight.
  long max_per_host = kDefaultMaxPerHost;       // ... to one host.
  // The ceiling on what a feed (<ttl>, sy:updatePeriod) or server
  // (Cache-Control max-age, Expires) may ask: they can lengthen a feed's
  // interval up to this, never shorten it. The feed's interval is the floor.
  Seconds max_interval = kDefaultMaxInterval;
};

struct Config {
  std::filesystem::path source_path;  // The file this was loaded from.
  std::filesystem::path data_dir;     // Absolute.
  // The IANA time zone ("Europe/Berlin") of daily digest times.
  std::string time_zone = "UTC";
  FetchSettings fetch;
  std::vector<Feed> feeds;
  std::vector<Search> searches;
  std::vector<Notifier> notifiers;

  const Notifier* FindNotifier(const std::string& name) const;
};

const char* NotifierTypeName(NotifierType type);

}  // namespace newswatch::config

#endif  // NEWSWATCH_CONFIG_CONFIG_H_
