#include "config/config_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "config/digest_every.h"
#include "config/text.h"

namespace newswatch::config {
namespace {

namespace fs = std::filesystem;

const char* TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// An IANA zone name with a file in the system's tz database, which is where
// the digest scheduler (Howard Hinnant's date, built on the OS database)
// looks it up.
bool IsKnownTimeZone(const std::string& name) {
  if (name.empty() || name.front() == '/' ||
      name.find("..") != std::string::npos) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("/_+-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  const char* tzdir = std::getenv("TZDIR");
  const fs::path root = tzdir != nullptr ? tzdir : "/usr/share/zoneinfo";
  std::error_code ignored;
  return fs::is_regular_file(root / name, ignored);
}

// A bare addr-spec, local@domain, with nothing that could end or fold a
// header line. (Display names are not accepted: the message writes its own.)
bool LooksLikeAddress(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
      address.size() > 254) {
    return false;
  }
  for (char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f ||
        std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool IsBase64(std::string_view text) {
  if (text.size() < 24 || text.size() % 4 != 0) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool padding = c == '=' && i + 2 >= text.size();
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' &&
        !padding) {
      return false;
    }
  }
  return true;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Collects errors, each located by file, line and key path.
class Diagnostics {
 public:
  explicit Diagnostics(fs::path path) : path_(std::move(path)) {}

  void Add(const toml::source_region* where, const std::string& key_path,
           const std::string& what) {
    errors_.push_back(Error::Fatal(Locate(where, key_path), what));
  }

  // "file:line: key.path", leaving out what is unknown.
  std::string Locate(const toml::source_region* where,
                     const std::string& key_path) const {
    std::string location = path_.string();
    if (where != nullptr && where->begin.line > 0) {
      location += ":" + std::to_string(where->begin.line);
    }
    if (!key_path.empty()) location += ": " + key_path;
    return location;
  }

  std::vector<Error> Take() { return std::move(errors_); }

 private:
  fs::path path_;
  std::vector<Error> errors_;
};

// Reads the keys of one TOML table, reporting missing keys and wrong types,
// and finally every key nobody asked for (the misspelt ones).
class TableReader {
 public:
  TableReader(const toml::table& table, std::string context,
              Diagnostics& diagnostics)
      : table_(table), context_(std::move(context)), diag_(diagnostics) {}

  const std::string& context() const { return context_; }

  std::string KeyPath(std::string_view key) const {
    return context_.empty() ? std::string(key)
                            : context_ + "." + std::string(key);
  }

  // Where `key`'s value stands, else the table itself: for errors about a
  // value that was read fine but is wrong.
  const toml::source_region* SourceOf(std::string_view key) const {
    const toml::node* node = table_.get(key);
    return node != nullptr ? &node->source() : &table_.source();
  }

  // The node of `key` or nullptr; marks the key as known.
  const toml::node* Get(std::string_view key, bool required) {
    known_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (node == nullptr && required) {
      diag_.Add(&table_.source(), KeyPath(key), "required key is missing");
    }
    return node;
  }

  std::optional<std::string> String(std::string_view key, bool required) {
    const toml::node* node = Get(key, required);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) return WrongType(*node, key, "a string");
    std::string value = node->as_string()->get();
    if (value.empty() && required) {
      diag_.Add(&node->source(), KeyPath(key), "must not be empty");
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> Bool(std::string_view key) {
    const toml::node* node = Get(key, false);
    if (node == nullptr) return std::nullopt;
    if (!node->is_boolean())
      return WrongType<bool>(*node, key, "true or false");
    return node->as_boolean()->get();
  }

  std::optional<long> PositiveInteger(std::string_view key) {
    const toml::node* node = Get(key, false);
    if (node == nullptr) return std::nullopt;
    if (!node->is_integer()) return WrongType<long>(*node, key, "an integer");
    const int64_t value = node->as_integer()->get();
    if (value <= 0) {
      diag_.Add(&node->source(), KeyPath(key), "must be greater than zero");
      return std::nullopt;
    }
    return static_cast<long>(value);
  }

  std::optional<Seconds> Duration(std::string_view key) {
    const toml::node* node = Get(key, false);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) {
      return WrongType<Seconds>(*node, key, "a duration string like \"15m\"");
    }
    Result<Seconds> parsed = ParseDuration(node->as_string()->get());
    if (!parsed.ok()) {
      diag_.Add(&node->source(), KeyPath(key), parsed.error().what);
      return std::nullopt;
    }
    return parsed.value();
  }

  std::optional<std::vector<std::string>> StringList(std::string_view key,
                                                     bool required) {
    const toml::node* node = Get(key, required);
    if (node == nullptr) return std::nullopt;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return WrongType<std::vector<std::string>>(*node, key,
                                                 "a list of strings");
    }
    std::vector<std::string> values;
    for (const toml::node& element : *array) {
      if (!element.is_string()) {
        diag_.Add(&element.source(), KeyPath(key),
                  std::string("every entry must be a string, found ") +
                      TypeName(element.type()));
        return std::nullopt;
      }
      values.push_back(element.as_string()->get());
    }
    if (required && values.empty()) {
      diag_.Add(&node->source(), KeyPath(key), "must list at least one entry");
      return std::nullopt;
    }
    return values;
  }

  // An optional `language` key: a tag (NormalizeLanguageTag), normalised;
  // empty when the key is absent or wrong.
  std::string Language() {
    std::optional<std::string> value = String("language", false);
    if (!value) return "";
    std::optional<std::string> tag = NormalizeLanguageTag(*value);
    if (!tag) {
      diag_.Add(
          SourceOf("language"), KeyPath("language"),
          "\"" + *value +
              "\" is not a language tag like \"de\" or \"pt-BR\" (2-3 "
              "letters, then optional -subtags of 1-8 letters or digits)");
      return "";
    }
    return *tag;
  }

  const toml::table* Table(std::string_view key) {
    const toml::node* node = Get(key, false);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) {
      WrongType<bool>(*node, key, "a table");
      return nullptr;
    }
    return node->as_table();
  }

  // [[key]] arrays of tables; a single [key] table is a common slip.
  std::vector<const toml::table*> ArrayOfTables(std::string_view key) {
    const toml::node* node = Get(key, false);
    std::vector<const toml::table*> tables;
    if (node == nullptr) return tables;
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      diag_.Add(&node->source(), KeyPath(key),
                "must be written as [[" + std::string(key) +
                    "]] sections (an array of tables), found " +
                    TypeName(node->type()));
      return tables;
    }
    for (const toml::node& element : *array) {
      tables.push_back(element.as_table());
    }
    return tables;
  }

  void RejectUnknownKeys() {
    for (const auto& [key, node] : table_) {
      const std::string name(key.str());
      if (known_.count(name)) continue;
      std::string what = "unknown key";
      std::string best;
      size_t best_distance = 3;  // Suggest only close spellings.
      for (const std::string& candidate : known_) {
        const size_t distance = EditDistance(name, candidate);
        if (distance < best_distance) {
          best_distance = distance;
          best = candidate;
        }
      }
      if (!best.empty()) what += " (did you mean '" + best + "'?)";
      diag_.Add(&node.source(), KeyPath(name), what);
    }
  }

 private:
  template <typename T = std::string>
  std::optional<T> WrongType(const toml::node& node, std::string_view key,
                             const std::string& expected) {
    diag_.Add(&node.source(), KeyPath(key),
              "must be " + expected + ", found " + TypeName(node.type()));
    return std::nullopt;
  }

  const toml::table& table_;
  std::string context_;
  Diagnostics& diag_;
  std::set<std::string> known_;
};

std::string SchemeOf(const std::string& url) {
  const size_t colon = url.find(':');
  if (colon == std::string::npos) return "";
  std::string scheme = url.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return scheme;
}

// "file:relative/path" (no slashes after the colon) resolves against the
// config's folder, so the bundled config can point at its bundled feeds.
std::string ResolveFileUrl(const std::string& url, const fs::path& base) {
  const std::string rest = url.substr(5);  // after "file:"
  if (rest.rfind("/", 0) == 0) return url;
  return "file://" + (base / rest).lexically_normal().string();
}

fs::path ResolvePath(const std::string& value, const fs::path& base) {
  fs::path path(value);
  if (path.is_relative()) path = base / path;
  return path.lexically_normal();
}

class ConfigBuilder {
 public:
  ConfigBuilder(const fs::path& path, Diagnostics& diagnostics)
      : base_dir_(fs::absolute(path).parent_path()), diag_(diagnostics) {
    config_.source_path = path;
  }

  Config Build(const toml::table& root) {
    TableReader top(root, "", diag_);
    config_.data_dir = ResolvePath(
        top.String("data_dir", false).value_or("/var/lib/newswatch"),
        base_dir_);
    if (auto zone = top.String("time_zone", false)) {
      if (IsKnownTimeZone(*zone)) {
        config_.time_zone = *zone;
      } else {
        diag_.Add(top.SourceOf("time_zone"), top.KeyPath("time_zone"),
                  "\"" + *zone +
                      "\" is not a time zone of the system's tz database "
                      "(names look like \"Europe/Berlin\" or \"UTC\"; "
                      "Debian's tzdata package provides them)");
      }
    }
    if (const toml::table* fetch = top.Table("fetch")) ReadFetch(*fetch);
    const auto notifiers = top.ArrayOfTables("notifier");
    for (size_t i = 0; i < notifiers.size(); ++i) {
      ReadNotifier(*notifiers[i], i + 1);
    }
    const auto feeds = top.ArrayOfTables("feed");
    for (size_t i = 0; i < feeds.size(); ++i) ReadFeed(*feeds[i], i + 1);
    const auto searches = top.ArrayOfTables("search");
    for (size_t i = 0; i < searches.size(); ++i) {
      ReadSearch(*searches[i], i + 1);
    }
    top.RejectUnknownKeys();
    if (feeds.empty()) {
      diag_.Add(nullptr, "feed", "no [[feed]] is configured: nothing to poll");
    }
    return std::move(config_);
  }

 private:
  static std::string Numbered(const char* section, size_t number) {
    return std::string(section) + "[" + std::to_string(number) + "]";
  }

  void ReadFetch(const toml::table& table) {
    TableReader reader(table, "fetch", diag_);
    if (auto agent = reader.String("user_agent", false)) {
      config_.fetch.user_agent = *agent;
    }
    if (auto bytes = reader.PositiveInteger("max_body_bytes")) {
      config_.fetch.max_body_bytes = *bytes;
    }
    if (auto timeout = reader.Duration("timeout")) {
      if (*timeout > kMaxFetchTimeout) {
        diag_.Add(reader.SourceOf("timeout"), reader.KeyPath("timeout"),
                  "must be at most " + FormatDuration(kMaxFetchTimeout));
      } else {
        config_.fetch.timeout = *timeout;
      }
    }
    if (auto timeout = reader.Duration("connect_timeout")) {
      config_.fetch.connect_timeout = *timeout;
    }
    if (auto time = reader.Duration("low_speed_time")) {
      config_.fetch.low_speed_time = *time;
    }
    if (auto count = reader.PositiveInteger("max_concurrent")) {
      if (*count > kMaxMaxConcurrent) {
        diag_.Add(reader.SourceOf("max_concurrent"),
                  reader.KeyPath("max_concurrent"),
                  "must be at most " + std::to_string(kMaxMaxConcurrent));
      } else {
        config_.fetch.max_concurrent = *count;
      }
    }
    if (auto count = reader.PositiveInteger("max_per_host")) {
      config_.fetch.max_per_host = *count;
    }
    if (auto ceiling = reader.Duration("max_interval")) {
      config_.fetch.max_interval = *ceiling;
    }
    // Either, set at or beyond the whole timeout, would silently do nothing.
    if (table.contains("connect_timeout") &&
        config_.fetch.connect_timeout > config_.fetch.timeout) {
      diag_.Add(reader.SourceOf("connect_timeout"),
                reader.KeyPath("connect_timeout"),
                "must be at most timeout (" +
                    FormatDuration(config_.fetch.timeout) + ")");
    }
    if (table.contains("low_speed_time") &&
        config_.fetch.low_speed_time >= config_.fetch.timeout) {
      diag_.Add(reader.SourceOf("low_speed_time"),
                reader.KeyPath("low_speed_time"),
                "must be less than timeout (" +
                    FormatDuration(config_.fetch.timeout) +
                    "), or slow servers are never dropped");
    }
    reader.RejectUnknownKeys();
  }

  void ReadFeed(const toml::table& table, size_t number) {
    TableReader reader(table, Numbered("feed", number), diag_);
    Feed feed;
    if (auto url = reader.String("url", true)) {
      const std::string scheme = SchemeOf(*url);
      if (scheme == "file") {
        feed.url = ResolveFileUrl(*url, base_dir_);
      } else if (scheme == "http" || scheme == "https") {
        feed.url = *url;
      } else {
        diag_.Add(reader.SourceOf("url"), reader.KeyPath("url"),
                  "\"" + *url + "\" is not an http, https or file URL");
      }
    }
    feed.name = feed.url;
    if (auto name = reader.String("name", false)) {
      if (name->empty()) {
        diag_.Add(reader.SourceOf("name"), reader.KeyPath("name"),
                  "must not be empty (leave it out to use the URL)");
      }
      feed.name = *name;
    }
    if (auto interval = reader.Duration("interval")) {
      if (*interval < kMinFeedInterval) {
        diag_.Add(reader.SourceOf("interval"), reader.KeyPath("interval"),
                  "must be at least " + FormatDuration(kMinFeedInterval) +
                      ": polling more often is impolite to publishers");
      } else {
        feed.interval = *interval;
      }
    }
    feed.language = reader.Language();
    reader.RejectUnknownKeys();
    if (feed.url.empty()) return;
    // Sets, not a scan of the feeds so far: configs run to tens of
    // thousands of feeds.
    if (feed_urls_.count(feed.url) > 0) {
      diag_.Add(reader.SourceOf("url"), reader.KeyPath("url"),
                "duplicate feed URL \"" + feed.url + "\"");
      return;
    }
    if (feed_names_.count(feed.name) > 0) {
      diag_.Add(reader.SourceOf("name"), reader.KeyPath("name"),
                "duplicate feed name \"" + feed.name + "\"");
      return;
    }
    feed_urls_.insert(feed.url);
    feed_names_.insert(feed.name);
    config_.feeds.push_back(std::move(feed));
  }

  void ReadSearch(const toml::table& table, size_t number) {
    TableReader reader(table, Numbered("search", number), diag_);
    Search search;
    search.name = reader.String("name", true).value_or("");
    search.query = reader.String("query", true).value_or("");
    search.location =
        diag_.Locate(reader.SourceOf("query"), reader.KeyPath("query"));
    search.notify =
        reader.StringList("notify", false).value_or(std::vector<std::string>{});
    search.language = reader.Language();
    ReadDeliveryPolicy(reader, search);
    reader.RejectUnknownKeys();
    std::set<std::string> listed;
    for (const std::string& notifier : search.notify) {
      if (!listed.insert(notifier).second) {
        diag_.Add(reader.SourceOf("notify"), reader.KeyPath("notify"),
                  "search \"" + search.name + "\" lists notifier \"" +
                      notifier + "\" twice");
      } else if (config_.FindNotifier(notifier) == nullptr) {
        diag_.Add(reader.SourceOf("notify"), reader.KeyPath("notify"),
                  "search \"" + search.name + "\" notifies \"" + notifier +
                      "\", but no [[notifier]] has that name");
      }
    }
    if (search.name.empty()) return;
    for (const Search& other : config_.searches) {
      if (other.name == search.name) {
        diag_.Add(reader.SourceOf("name"), reader.KeyPath("name"),
                  "duplicate search name \"" + search.name + "\"");
        return;
      }
    }
    config_.searches.push_back(std::move(search));
  }

  void ReadDeliveryPolicy(TableReader& reader, Search& search) {
    if (auto mode = reader.String("delivery", false)) {
      if (*mode == "digest") {
        search.delivery = DeliveryMode::kDigest;
      } else if (*mode != "immediate") {
        diag_.Add(reader.SourceOf("delivery"), reader.KeyPath("delivery"),
                  "unknown delivery \"" + *mode +
                      "\" (expected \"immediate\" or \"digest\")");
      }
    }
    if (auto every = reader.String("digest_every", false)) {
      Result<DigestSchedule> schedule = ParseDigestSchedule(*every);
      if (schedule.ok()) {
        search.digest_every = schedule.value();
      } else {
        diag_.Add(reader.SourceOf("digest_every"),
                  reader.KeyPath("digest_every"), schedule.error().what);
      }
    }
    if (auto limit = reader.PositiveInteger("max_per_hour")) {
      search.max_per_hour = static_cast<int>(std::min(*limit, 1'000'000L));
    }
  }

  void ReadNotifier(const toml::table& table, size_t number) {
    TableReader reader(table, Numbered("notifier", number), diag_);
    Notifier notifier;
    notifier.name = reader.String("name", true).value_or("");
    const std::string type = reader.String("type", true).value_or("");
    if (type == "log") {
      notifier.type = NotifierType::kLog;
    } else if (type == "email") {
      notifier.type = NotifierType::kEmail;
      notifier.email = ReadEmail(reader);
    } else if (type == "webhook") {
      notifier.type = NotifierType::kWebhook;
      notifier.webhook = ReadWebhook(reader);
    } else if (!type.empty()) {
      diag_.Add(reader.SourceOf("type"), reader.KeyPath("type"),
                "unknown notifier type \"" + type +
                    "\" (expected \"log\", \"email\" or \"webhook\")");
    }
    reader.RejectUnknownKeys();
    if (notifier.name.empty()) return;
    if (config_.FindNotifier(notifier.name) != nullptr) {
      diag_.Add(reader.SourceOf("name"), reader.KeyPath("name"),
                "duplicate notifier name \"" + notifier.name + "\"");
      return;
    }
    config_.notifiers.push_back(std::move(notifier));
  }

  EmailSettings ReadEmail(TableReader& reader) {
    EmailSettings email;
    email.smtp_url = reader.String("smtp_url", true).value_or("");
    const std::string scheme = SchemeOf(email.smtp_url);
    if (!email.smtp_url.empty() && scheme != "smtp" && scheme != "smtps") {
      diag_.Add(
          reader.SourceOf("smtp_url"), reader.KeyPath("smtp_url"),
          "\"" + email.smtp_url + "\" must start with smtp:// or smtps://");
    }
    email.from = reader.String("from", true).value_or("");
    if (!email.from.empty() && !LooksLikeAddress(email.from)) {
      diag_.Add(reader.SourceOf("from"), reader.KeyPath("from"),
                "\"" + email.from +
                    "\" is not an email address like newswatch@example.org");
    }
    email.to =
        reader.StringList("to", true).value_or(std::vector<std::string>{});
    for (const std::string& to : email.to) {
      if (!LooksLikeAddress(to)) {
        diag_.Add(
            reader.SourceOf("to"), reader.KeyPath("to"),
            "\"" + to + "\" is not an email address like desk@example.org");
      }
    }
    email.starttls = reader.Bool("starttls").value_or(false);
    if (email.starttls && scheme == "smtps") {
      diag_.Add(reader.SourceOf("starttls"), reader.KeyPath("starttls"),
                "smtps:// is TLS from the start; starttls applies to smtp:// "
                "only");
    }
    email.username = reader.String("username", false).value_or("");
    if (auto file = reader.String("password_file", false)) {
      email.password_file = ResolvePath(*file, base_dir_);
      if (email.username.empty()) {
        diag_.Add(reader.SourceOf("password_file"),
                  reader.KeyPath("password_file"),
                  "a password_file needs a username to log in with");
      }
    }
    if (auto file = reader.String("ca_file", false)) {
      email.ca_file = ResolvePath(*file, base_dir_);
    }
    if (auto timeout = NotifierTimeout(reader)) email.timeout = *timeout;
    return email;
  }

  WebhookSettings ReadWebhook(TableReader& reader) {
    WebhookSettings webhook;
    webhook.url = reader.String("url", true).value_or("");
    const std::string scheme = SchemeOf(webhook.url);
    if (!webhook.url.empty() && scheme != "http" && scheme != "https") {
      diag_.Add(reader.SourceOf("url"), reader.KeyPath("url"),
                "\"" + webhook.url + "\" must be an http or https URL");
    }
    webhook.secret = reader.String("secret", false).value_or("");
    if (!webhook.secret.empty() &&
        (webhook.secret.rfind("whsec_", 0) != 0 ||
         !IsBase64(std::string_view(webhook.secret).substr(6)))) {
      // The value is a secret: the error does not repeat it.
      diag_.Add(reader.SourceOf("secret"), reader.KeyPath("secret"),
                "must be \"whsec_\" followed by the key in base64 (at least "
                "16 bytes), as Standard Webhooks writes it");
    }
    webhook.format = reader.String("format", false).value_or("generic");
    static const std::set<std::string> kFormats = {"generic", "slack",
                                                   "discord", "ntfy"};
    if (!kFormats.count(webhook.format)) {
      diag_.Add(reader.SourceOf("format"), reader.KeyPath("format"),
                "unknown format \"" + webhook.format +
                    "\" (expected generic, slack, discord or ntfy)");
    }
    if (const toml::table* headers = reader.Table("headers")) {
      for (const auto& [key, value] : *headers) {
        if (!value.is_string()) {
          diag_.Add(&value.source(),
                    reader.KeyPath("headers." + std::string(key.str())),
                    "header values must be strings");
          continue;
        }
        webhook.headers[std::string(key.str())] = value.as_string()->get();
      }
    }
    if (auto timeout = NotifierTimeout(reader)) webhook.timeout = *timeout;
    if (auto file = reader.String("ca_file", false)) {
      webhook.ca_file = ResolvePath(*file, base_dir_);
    }
    return webhook;
  }

  std::optional<Seconds> NotifierTimeout(TableReader& reader) {
    auto timeout = reader.Duration("timeout");
    if (timeout && (*timeout < Seconds(1) || *timeout > kMaxNotifierTimeout)) {
      diag_.Add(
          reader.SourceOf("timeout"), reader.KeyPath("timeout"),
          "must be between 1s and " + FormatDuration(kMaxNotifierTimeout));
      return std::nullopt;
    }
    return timeout;
  }

  fs::path base_dir_;
  Diagnostics& diag_;
  Config config_;
  std::set<std::string> feed_urls_;  // Of config_.feeds, for duplicates.
  std::set<std::string> feed_names_;
};

}  // namespace

LoadedConfig ParseConfig(std::string_view text, const fs::path& path) {
  Diagnostics diagnostics(path);
  LoadedConfig loaded;
  toml::table root;
  try {
    root = toml::parse(text, path.string());
  } catch (const toml::parse_error& error) {
    diagnostics.Add(&error.source(), "",
                    "not valid TOML: " + std::string(error.description()));
    loaded.errors = diagnostics.Take();
    return loaded;
  }
  loaded.config = ConfigBuilder(path, diagnostics).Build(root);
  loaded.errors = diagnostics.Take();
  return loaded;
}

LoadedConfig LoadConfig(const fs::path& path) {
  std::error_code ignored;
  if (fs::is_directory(path, ignored)) {
    LoadedConfig loaded;
    loaded.errors.push_back(
        Error::Fatal(path.string(), "is a directory, not a config file"));
    return loaded;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadedConfig loaded;
    loaded.errors.push_back(Error::Fatal(
        path.string(),
        "cannot read the config file: " + std::string(std::strerror(errno))));
    return loaded;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

}  // namespace newswatch::config
