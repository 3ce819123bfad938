#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alerts/alert.h"
#include "alerts/alert_store.h"
#include "config/config.h"
#include "config/text.h"
#include "config/time_format.h"
#include "daemon/command_line.h"
#include "daemon/commands.h"
#include "daemon/data_paths.h"
#include "daemon/search_output.h"
#include "indexer/explain.h"
#include "indexer/index.h"
#include "indexer/query.h"

namespace newswatch::daemon {

namespace {

constexpr char kHelp[] =
    R"(usage: newswatch [--config PATH] explain [--language TAG] [--json]
                                          SEARCH ARTICLE-URL

Says why a saved search does or does not match an article of the archive:
whether it matches, then each part of the query (word, phrase, prefix,
NEAR/ADJ group, field or date condition) with whether the article has it,
in which fields (title, text, author, feed, site, category, language,
published) and which of the article's words matched it; when it does not
match, the parts that are missing. Also says whether an alert was recorded
for that search and article.

SEARCH is the name of a saved search in the config; when no search has
that name and it parses as a query, it is explained as a query (and the
output says so). ARTICLE-URL is the article's link as the archive holds it
(or its id). Words are stemmed in the search's language, else the query's
own lang:, else English. Exits 1 when no article has that link.

  --language TAG   stem the query's words in this language instead (de,
                   pt-br)
  --json           one JSON object: search (null for a query), query,
                   language, article {id, title, url, feed, published},
                   matches, leaves [{leaf, matched, negated, fields,
                   matched_words}], missing, alert ({recorded, id,
                   fired_at, deliveries [{notifier, state}]}, or null for a
                   query or when there is no alert database yet)
)";

// Where the labels' values start in the text output.
constexpr size_t kLabelWidth = 11;
// Leaf names are padded to the longest, up to this many bytes, so that what
// follows them lines up.
constexpr size_t kMaxLeafNameWidth = 32;

using Json = nlohmann::ordered_json;

// The search (or query) being explained.
struct Subject {
  std::optional<std::string> search_name;  // None: an ad-hoc query.
  std::string query_text;
  indexer::QueryNode query;
  std::string language;
  std::string language_source;  // Why that language, for people.
};

// What the alert store says about the pair.
struct AlertLookup {
  bool applicable = false;  // A saved search, and a database to ask.
  std::string note;         // Why not, when not.
  std::optional<alerts::Alert> alert;
};

// "label:     value"; an empty label continues the line above.
void PrintLine(std::ostream& out, std::string label, const std::string& value) {
  if (!label.empty()) label += ":";
  label.resize(kLabelWidth, ' ');
  out << label << value << "\n";
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    joined += (joined.empty() ? "" : ", ") + config::OneLine(part);
  }
  return joined;
}

// A leaf as its line names it: "NOT " before a negated one.
std::string LeafName(const indexer::LeafExplanation& leaf) {
  return (leaf.negated ? "NOT " : "") + config::OneLine(leaf.leaf);
}

// One leaf: "[x]" when its condition holds for the article (a required
// part present, or a NOT's operand absent), "[ ]" otherwise; the name padded
// to `name_width` bytes, then where the article has it.
std::string LeafLine(const indexer::LeafExplanation& leaf, size_t name_width) {
  const bool holds = leaf.matched != leaf.negated;
  std::string name = LeafName(leaf);
  if (name.size() < name_width) name.resize(name_width, ' ');
  std::string line =
      std::string("  [") + (holds ? "x" : " ") + "] " + name + "  ";
  if (!leaf.matched) return line + "not in the article";
  line += "in " + (leaf.fields.empty() ? "the article" : Joined(leaf.fields));
  if (!leaf.matched_words.empty()) {
    line += ": " + Joined(leaf.matched_words);
  }
  if (leaf.negated) line += " (excluded by NOT)";
  return line;
}

std::string AlertText(const AlertLookup& lookup) {
  if (!lookup.applicable) return lookup.note;
  if (!lookup.alert) return "none recorded";
  std::string text = "recorded " +
                     config::FormatRfc3339(lookup.alert->fired_at) +
                     " (alert " + std::to_string(lookup.alert->id);
  for (const alerts::Delivery& delivery : lookup.alert->deliveries) {
    text += "; " + config::OneLine(delivery.notifier) + ": " +
            alerts::DeliveryStateName(delivery.state);
  }
  return text + ")";
}

void PrintText(std::ostream& out, const Subject& subject,
               const indexer::Article& article,
               const indexer::Explanation& explanation,
               const AlertLookup& lookup) {
  if (subject.search_name) {
    PrintLine(out, "search", config::OneLine(*subject.search_name));
  } else {
    PrintLine(out, "search",
              "(none: no saved search has that name, so it is read as a "
              "query)");
  }
  PrintLine(out, "query", config::OneLine(subject.query_text));
  PrintLine(out, "language",
            LanguageLabel(subject.language) +
                (subject.language_source.empty()
                     ? ""
                     : " (" + subject.language_source + ")"));
  PrintLine(out, "article", config::OneLine(article.title));
  PrintLine(out, "", config::OneLine(article.link));
  PrintLine(out, "",
            config::OneLine(article.feed_name) + " · " +
                config::FormatRfc3339(article.published));
  PrintLine(out, "result", explanation.matches ? "matches" : "does not match");
  PrintLine(out, "alert", AlertText(lookup));
  if (!explanation.matches) {
    bool first = true;
    for (const std::string& missing : explanation.missing) {
      PrintLine(out, first ? "missing" : "", config::OneLine(missing));
      first = false;
    }
  }
  out << "\n";
  size_t name_width = 0;
  for (const indexer::LeafExplanation& leaf : explanation.leaves) {
    name_width = std::max(name_width, LeafName(leaf).size());
  }
  name_width = std::min(name_width, kMaxLeafNameWidth);
  for (const indexer::LeafExplanation& leaf : explanation.leaves) {
    out << LeafLine(leaf, name_width) << "\n";
  }
}

Json AlertJson(const AlertLookup& lookup) {
  if (!lookup.applicable) return nullptr;
  if (!lookup.alert) return {{"recorded", false}};
  Json deliveries = Json::array();
  for (const alerts::Delivery& delivery : lookup.alert->deliveries) {
    deliveries.push_back(
        {{"notifier", delivery.notifier},
         {"state", alerts::DeliveryStateName(delivery.state)}});
  }
  return {{"recorded", true},
          {"id", lookup.alert->id},
          {"fired_at", config::FormatRfc3339(lookup.alert->fired_at)},
          {"deliveries", deliveries}};
}

void PrintJson(std::ostream& out, const Subject& subject,
               const indexer::Article& article,
               const indexer::Explanation& explanation,
               const AlertLookup& lookup) {
  Json leaves = Json::array();
  for (const indexer::LeafExplanation& leaf : explanation.leaves) {
    leaves.push_back({{"leaf", leaf.leaf},
                      {"matched", leaf.matched},
                      {"negated", leaf.negated},
                      {"fields", leaf.fields},
                      {"matched_words", leaf.matched_words}});
  }
  const Json object = {
      {"search",
       subject.search_name ? Json(*subject.search_name) : Json(nullptr)},
      {"query", subject.query_text},
      {"language", subject.language.empty() ? "en" : subject.language},
      {"article",
       {{"id", article.id},
        {"title", article.title},
        {"url", article.link},
        {"feed", article.feed_name},
        {"published", config::FormatRfc3339(article.published)}}},
      {"matches", explanation.matches},
      {"leaves", leaves},
      {"missing", explanation.missing},
      {"alert", AlertJson(lookup)}};
  out << object.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

// The saved search named `name`, else `name` read as a query. The error is
// for the operator: neither a search nor a query.
config::Result<Subject> FindSubject(const config::Config& config,
                                    const std::string& name,
                                    const std::string& language) {
  Subject subject;
  const auto search =
      std::find_if(config.searches.begin(), config.searches.end(),
                   [&](const config::Search& s) { return s.name == name; });
  if (search != config.searches.end()) {
    subject.search_name = search->name;
    subject.query_text = search->query;
  } else {
    subject.query_text = name;
  }
  config::Result<indexer::QueryNode> query =
      indexer::ParseQuery(subject.query_text);
  if (!query.ok()) {
    if (subject.search_name) {
      return config::Error::Fatal(search->location.empty()
                                      ? "search \"" + name + "\""
                                      : search->location,
                                  query.error().what);
    }
    return config::Error::Fatal(
        "explain", "no saved search is named \"" + config::OneLine(name) +
                       "\", and it is no query either: " + query.error().what);
  }
  subject.query = std::move(query).value();
  if (!language.empty()) {
    subject.language = language;
    subject.language_source = "--language";
  } else if (search != config.searches.end() && !search->language.empty()) {
    subject.language = search->language;
    subject.language_source = "the search's language";
  } else {
    subject.language = StemmingLanguage("", subject.query);
    if (!subject.language.empty())
      subject.language_source = "the query's lang:";
  }
  return subject;
}

AlertLookup LookUpAlert(const std::filesystem::path& data_dir,
                        const Subject& subject, const std::string& article_id,
                        std::string* error) {
  AlertLookup lookup;
  if (!subject.search_name) {
    lookup.note = "(a query, not a saved search: no alerts)";
    return lookup;
  }
  const std::filesystem::path database = DatabaseFile(data_dir);
  std::error_code ignored;
  if (!std::filesystem::exists(database, ignored)) {
    lookup.note = "(no alert database yet: the daemon has not run)";
    return lookup;
  }
  auto store =
      alerts::AlertStore::Open(database, alerts::AlertStore::Mode::kReadOnly);
  if (!store.ok()) {
    *error = store.error().ToString();
    return lookup;
  }
  config::Result<std::optional<alerts::Alert>> found =
      store.value()->FindAlert(*subject.search_name, article_id);
  if (!found.ok()) {
    *error = found.error().ToString();
    return lookup;
  }
  lookup.applicable = true;
  lookup.alert = std::move(found).value();
  return lookup;
}

}  // namespace

int ExplainCommand(const CommandContext& context,
                   const std::vector<std::string>& args) {
  int exit_status = kExitOk;
  const std::optional<ParsedArgs> parsed =
      ParseCommandArgs(context, "explain", args, {{"--json"}, {"--language"}},
                       kHelp, &exit_status);
  if (!parsed) return exit_status;
  const ParsedArgs& options = *parsed;
  if (options.positional.size() != 2) {
    context.err << "newswatch: explain needs a SEARCH and an ARTICLE-URL\n"
                << kHelp;
    return kExitUsage;
  }
  const std::string& name = options.positional[0];
  const std::string& url = options.positional[1];
  // Of the shared options explain takes only --language (kHelp).
  const config::Result<SearchFilters> filters =
      ParseSearchFilters(options, {}, SearchFilters{});
  if (!filters.ok()) {
    context.err << "newswatch: explain: " << filters.error().ToString() << "\n";
    return kExitUsage;
  }
  const std::string& language = filters.value().search.language;

  const config::LoadedConfig loaded = config::LoadConfig(context.config_path);
  if (!ReportConfigErrors(context, loaded)) return kExitUsage;
  config::Result<Subject> subject = FindSubject(loaded.config, name, language);
  if (!subject.ok()) {
    context.err << "newswatch: " << subject.error().ToString() << "\n";
    return kExitUsage;
  }
  auto index =
      indexer::Index::OpenReadOnly(IndexDirectory(loaded.config.data_dir));
  if (!index.ok()) {
    context.err << "newswatch: " << index.error().ToString() << "\n";
    return kExitFailure;
  }
  config::Result<std::optional<indexer::Article>> article =
      index.value()->FindByLink(url);
  if (!article.ok()) {
    context.err << "newswatch: " << article.error().ToString() << "\n";
    return kExitFailure;
  }
  if (!article.value()) {
    context.err << "newswatch: explain: no article in the archive has the "
                   "link or id \""
                << config::OneLine(url) << "\"\n";
    return kExitFailure;
  }
  const indexer::Article& found = *article.value();
  const indexer::Explanation explanation =
      indexer::ExplainMatch(subject.value().query, found,
                            subject.value().language, config::UnixNow());
  std::string store_error;
  const AlertLookup lookup = LookUpAlert(
      loaded.config.data_dir, subject.value(), found.id, &store_error);
  if (!store_error.empty()) {
    context.err << "newswatch: " << store_error << "\n";
    return kExitFailure;
  }
  if (options.Has("--json")) {
    PrintJson(context.out, subject.value(), found, explanation, lookup);
  } else {
    PrintText(context.out, subject.value(), found, explanation, lookup);
  }
  return kExitOk;
}

}  // namespace newswatch::daemon
