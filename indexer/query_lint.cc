// Lint for saved queries (see query_lint.h).
//
// The rules look at the query as a saved search sees it: it runs on each
// batch of new articles, so a published: range in the past is dead, and
// a query that narrows nothing alerts on every article.
//
// "Required" parts of a query are those reached from the root (or from one
// alternative of an OR) through AND alone; the parts under a NOT are
// excluded. A conjunction is the flat list of one node's required parts.
#include "indexer/query_lint.h"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::indexer {
namespace {

// English function words that nearly every English article contains, so a
// query needing only these narrows nothing. Chosen from the stop-word list
// of the Snowball project's English stemmer (the stemmer the index uses),
// keeping the pronouns, determiners, prepositions, conjunctions and
// auxiliary verbs and leaving out its contractions ("don't": one term with
// an apostrophe that users rarely type alone), plus a few more function
// words of the same kinds that it lacks (also, among, must, though, ...).
// Not "us" or "may": in news they are mostly the US and May. Sorted, for
// binary search; ASCII lower-case.
constexpr auto kStopwords = std::to_array<std::string_view>({
    "a",       "about",    "above",      "across",    "after",    "again",
    "against", "all",      "along",      "also",      "although", "am",
    "among",   "an",       "and",        "any",       "are",      "around",
    "as",      "at",       "be",         "because",   "been",     "before",
    "being",   "below",    "between",    "both",      "but",      "by",
    "can",     "could",    "did",        "do",        "does",     "doing",
    "down",    "during",   "each",       "few",       "for",      "from",
    "further", "had",      "has",        "have",      "having",   "he",
    "her",     "here",     "hers",       "herself",   "him",      "himself",
    "his",     "how",      "i",          "if",        "in",       "into",
    "is",      "it",       "its",        "itself",    "just",     "me",
    "might",   "more",     "most",       "must",      "my",       "myself",
    "no",      "nor",      "not",        "now",       "of",       "off",
    "on",      "once",     "only",       "onto",      "or",       "other",
    "ought",   "our",      "ours",       "ourselves", "out",      "over",
    "own",     "same",     "shall",      "she",       "should",   "so",
    "some",    "such",     "than",       "that",      "the",      "their",
    "theirs",  "them",     "themselves", "then",      "there",    "these",
    "they",    "this",     "those",      "though",    "through",  "to",
    "too",     "toward",   "towards",    "under",     "unless",   "until",
    "up",      "upon",     "very",       "was",       "we",       "were",
    "what",    "when",     "where",      "whether",   "which",    "while",
    "who",     "whom",     "whose",      "why",       "will",     "with",
    "within",  "without",  "would",      "yet",       "you",      "your",
    "yours",   "yourself", "yourselves",
});
static_assert(std::is_sorted(kStopwords.begin(), kStopwords.end()));

// A prefix shorter than this many characters matches most articles.
constexpr size_t kMinPrefixCharacters = 3;

bool IsStopword(std::string_view word) {
  const std::string lower = Xapian::Unicode::tolower(std::string(word));
  return std::binary_search(kStopwords.begin(), kStopwords.end(),
                            std::string_view(lower));
}

// Every word of a phrase is a stopword: "of the" is in nearly every article.
bool IsStopwordPhrase(std::string_view phrase) {
  std::string word;
  bool any = false;
  auto flush = [&]() {
    if (word.empty()) return true;
    any = true;
    const bool stop = IsStopword(word);
    word.clear();
    return stop;
  };
  for (char c : phrase) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!flush()) return false;
    } else {
      word += c;
    }
  }
  return flush() && any;
}

size_t CharacterCount(const std::string& text) {
  size_t count = 0;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    ++count;
  }
  return count;
}

bool IsLoneStar(const QueryNode& node) {
  return node.kind == QueryNode::Kind::kPrefix && node.text.empty() &&
         node.field == QueryField::kAny;
}

// The canonical text of a part, for telling whether two parts are the same:
// words and phrases match case-insensitively, so their case does not count.
std::string Canonical(const QueryNode& node) {
  return Xapian::Unicode::tolower(node.ToString());
}

std::string FormatDay(std::int64_t seconds) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(seconds)))};
  const int year = static_cast<int>(day.year());
  const unsigned month = static_cast<unsigned>(day.month());
  const unsigned day_of_month = static_cast<unsigned>(day.day());
  std::string out = std::to_string(year) + "-";
  if (month < 10) out += '0';
  out += std::to_string(month) + "-";
  if (day_of_month < 10) out += '0';
  return out + std::to_string(day_of_month);
}

// ---- Matches nearly every article ----

// The part of the query that lets it match without containing anything: a
// negation standing alone, or an AND of negations, possibly as one
// alternative of an OR. Null when every match needs something present.
const QueryNode* OnlyExcludes(const QueryNode& node) {
  switch (node.kind) {
    case QueryNode::Kind::kNot:
      return &node;
    case QueryNode::Kind::kAnd:
      for (const QueryNode& child : node.children) {
        if (OnlyExcludes(child) == nullptr) return nullptr;
      }
      return &node;
    case QueryNode::Kind::kOr:
      for (const QueryNode& child : node.children) {
        if (const QueryNode* culprit = OnlyExcludes(child)) return culprit;
      }
      return nullptr;
    default:
      return nullptr;
  }
}

// A part is broad when it narrows (almost) nothing among new articles: a
// stopword, an all-stopword phrase or NEAR group (not in author:, where
// stopwords are rare), a prefix shorter than kMinPrefixCharacters (a lone
// '*' included), or a date (a saved search sees only new articles, which
// are all recent). An AND is broad when all its parts other than negations
// are; an OR when any alternative is. Collects the broad leaves that make
// it so into `why`.
bool IsBroad(const QueryNode& node, std::vector<const QueryNode*>& why) {
  switch (node.kind) {
    case QueryNode::Kind::kWord:
      if (node.field == QueryField::kAuthor || !IsStopword(node.text)) {
        return false;
      }
      why.push_back(&node);
      return true;
    case QueryNode::Kind::kPhrase:
      if (node.field == QueryField::kAuthor || !IsStopwordPhrase(node.text)) {
        return false;
      }
      why.push_back(&node);
      return true;
    case QueryNode::Kind::kPrefix:
      if (CharacterCount(node.text) >= kMinPrefixCharacters) return false;
      why.push_back(&node);
      return true;
    case QueryNode::Kind::kNear:
    case QueryNode::Kind::kAdjacent:
      if (node.field == QueryField::kAuthor) return false;
      for (const QueryNode& child : node.children) {
        if (!IsStopword(child.text)) return false;
      }
      why.push_back(&node);
      return true;
    case QueryNode::Kind::kPublished:
    case QueryNode::Kind::kSince:
      why.push_back(&node);
      return true;
    case QueryNode::Kind::kValue:
      return false;
    case QueryNode::Kind::kNot:
      return true;  // Only reached at the root: OnlyExcludes reports it.
    case QueryNode::Kind::kAnd: {
      const size_t mark = why.size();
      for (const QueryNode& child : node.children) {
        if (child.kind == QueryNode::Kind::kNot) continue;
        if (!IsBroad(child, why)) {
          why.resize(mark);
          return false;
        }
      }
      return true;
    }
    case QueryNode::Kind::kOr:
      for (const QueryNode& child : node.children) {
        const size_t mark = why.size();
        if (IsBroad(child, why)) return true;
        why.resize(mark);
      }
      return false;
  }
  return false;
}

// Why the broad parts narrow nothing, one clause per kind of part.
std::string WhyBroad(const std::vector<const QueryNode*>& parts) {
  bool words = false;
  bool prefixes = false;
  bool star = false;
  bool dates = false;
  for (const QueryNode* part : parts) {
    switch (part->kind) {
      case QueryNode::Kind::kPrefix:
        (part->text.empty() ? star : prefixes) = true;
        break;
      case QueryNode::Kind::kPublished:
      case QueryNode::Kind::kSince:
        dates = true;
        break;
      default:
        words = true;
    }
  }
  std::vector<std::string> reasons;
  if (words) reasons.push_back("stopwords are in nearly every article");
  if (prefixes) {
    reasons.push_back("a prefix shorter than 3 characters starts most words");
  }
  if (star) reasons.push_back("* matches every article");
  if (dates) {
    reasons.push_back(
        "a date hardly narrows new articles, which are all recent");
  }
  std::string out;
  for (size_t i = 0; i < reasons.size(); ++i) {
    if (i > 0) out += i + 1 == reasons.size() ? " and " : ", ";
    out += reasons[i];
  }
  return out;
}

std::string JoinParts(const std::vector<const QueryNode*>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i]->ToString();
  }
  return out;
}

// ---- Can never match ----

// `node` as if written without a title: field: an unfielded word finds the
// title's words too, so NOT x excludes every article with title:x.
QueryNode WithoutTitleField(const QueryNode& node) {
  QueryNode copy = node;
  if (copy.field == QueryField::kTitle) copy.field = QueryField::kAny;
  for (QueryNode& child : copy.children) {
    if (child.field == QueryField::kTitle) child.field = QueryField::kAny;
  }
  return copy;
}

// True when every article matching `required` also matches `excluded`: the
// same part (case aside), the same part in the title where the exclusion
// looks everywhere, or a prefix that a required prefix extends (NOT sanc*
// excludes every article sanction* finds). Words against prefixes are left
// alone: a word also finds its inflections, which need not share the prefix.
bool Excludes(const QueryNode& excluded, const QueryNode& required) {
  const std::string text = Canonical(excluded);
  if (Canonical(required) == text) return true;
  if (excluded.field == QueryField::kAny &&
      Canonical(WithoutTitleField(required)) == text) {
    return true;
  }
  if (excluded.kind == QueryNode::Kind::kPrefix &&
      required.kind == QueryNode::Kind::kPrefix &&
      (excluded.field == required.field ||
       (excluded.field == QueryField::kAny &&
        required.field == QueryField::kTitle))) {
    return Xapian::Unicode::tolower(required.text)
        .starts_with(Xapian::Unicode::tolower(excluded.text));
  }
  return false;
}

// The required and excluded parts of one conjunction.
struct Conjunction {
  std::vector<const QueryNode*> required;
  std::vector<const QueryNode*> excluded;
};

void Flatten(const QueryNode& node, Conjunction& conjunction) {
  if (node.kind == QueryNode::Kind::kAnd) {
    for (const QueryNode& child : node.children) Flatten(child, conjunction);
  } else if (node.kind == QueryNode::Kind::kNot) {
    conjunction.excluded.push_back(&node.children.front());
  } else {
    conjunction.required.push_back(&node);
  }
}

// Whether two required values of the same field can both hold for one
// article, which has one feed, one language and one host (categories may be
// many, so any two are compatible).
bool ValuesCompatible(QueryField field, const std::string& a,
                      const std::string& b) {
  auto under = [](const std::string& narrow, const std::string& wide,
                  char separator) {
    return narrow == wide ||
           (narrow.size() > wide.size() && narrow.ends_with(wide) &&
            narrow[narrow.size() - wide.size() - 1] == separator);
  };
  switch (field) {
    case QueryField::kFeed:
      return a == b;
    case QueryField::kSite:  // A host is under both: one is under the other.
      return under(a, b, '.') || under(b, a, '.');
    case QueryField::kLanguage: {  // de-at is de: one tag extends the other.
      auto extends = [](const std::string& narrow, const std::string& wide) {
        return narrow == wide ||
               (narrow.starts_with(wide) && narrow.size() > wide.size() &&
                narrow[wide.size()] == '-');
      };
      return extends(a, b) || extends(b, a);
    }
    default:
      return true;
  }
}

std::string_view OneOf(QueryField field) {
  switch (field) {
    case QueryField::kFeed:
      return "one feed";
    case QueryField::kSite:
      return "one host";
    case QueryField::kLanguage:
      return "one language";
    default:
      return "one value";
  }
}

// True when every article with all of `required` matches `node`: some
// required part implies it (Excludes), or it is an AND of implied parts, or
// an OR with an implied alternative. Collects the required parts used.
bool Implied(const QueryNode& node,
             const std::vector<const QueryNode*>& required,
             std::vector<const QueryNode*>& because) {
  for (const QueryNode* part : required) {
    if (Excludes(node, *part)) {
      if (std::find(because.begin(), because.end(), part) == because.end()) {
        because.push_back(part);
      }
      return true;
    }
  }
  const size_t mark = because.size();
  if (node.kind == QueryNode::Kind::kAnd) {
    for (const QueryNode& child : node.children) {
      if (!Implied(child, required, because)) {
        because.resize(mark);
        return false;
      }
    }
    return true;
  }
  if (node.kind == QueryNode::Kind::kOr) {
    for (const QueryNode& child : node.children) {
      if (Implied(child, required, because)) return true;
      because.resize(mark);
    }
  }
  return false;
}

class Linter {
 public:
  explicit Linter(std::int64_t now) : now_(now) {}

  // Checks the conjunction rooted at `node`, then each alternative of its
  // required ORs as a conjunction of its own. Negated parts are not
  // searched: what they hold narrows nothing by being dead.
  void CheckConjunction(const QueryNode& node) {
    Conjunction conjunction;
    Flatten(node, conjunction);
    CheckContradictions(conjunction);
    CheckValues(conjunction);
    CheckDates(conjunction);
    for (const QueryNode* part : conjunction.required) {
      if (part->kind != QueryNode::Kind::kOr) continue;
      for (const QueryNode& alternative : part->children) {
        CheckConjunction(alternative);
      }
    }
  }

  std::vector<std::string> TakeFindings() { return std::move(findings_); }
  bool empty() const { return findings_.empty(); }

 private:
  void CheckContradictions(const Conjunction& conjunction) {
    for (const QueryNode* excluded : conjunction.excluded) {
      if (IsLoneStar(*excluded)) {
        findings_.push_back("can never match: NOT * excludes every article.");
        continue;
      }
      std::vector<const QueryNode*> because;
      if (!Implied(*excluded, conjunction.required, because)) continue;
      const bool one = because.size() == 1;
      findings_.push_back(
          "can never match: " + JoinParts(because) + (one ? " is" : " are") +
          " required but NOT " + excluded->ToString() +
          " excludes every article that has " + (one ? "it." : "them."));
    }
  }

  void CheckValues(const Conjunction& conjunction) {
    const auto& required = conjunction.required;
    for (size_t i = 0; i < required.size(); ++i) {
      for (size_t j = i + 1; j < required.size(); ++j) {
        const QueryNode& a = *required[i];
        const QueryNode& b = *required[j];
        if (a.kind != QueryNode::Kind::kValue ||
            b.kind != QueryNode::Kind::kValue || a.field != b.field ||
            ValuesCompatible(a.field, a.text, b.text)) {
          continue;
        }
        findings_.push_back("can never match: " + a.ToString() + " and " +
                            b.ToString() +
                            " are both required, but an "
                            "article has " +
                            std::string(OneOf(a.field)) + ".");
      }
    }
  }

  void CheckDates(const Conjunction& conjunction) {
    std::int64_t from = std::numeric_limits<std::int64_t>::min();
    std::int64_t to = std::numeric_limits<std::int64_t>::max();
    const QueryNode* latest_start = nullptr;
    const QueryNode* earliest_end = nullptr;
    const QueryNode* longest_since = nullptr;
    for (const QueryNode* part : conjunction.required) {
      if (part->kind == QueryNode::Kind::kSince &&
          (!longest_since || part->seconds > longest_since->seconds)) {
        longest_since = part;
      }
      if (part->kind != QueryNode::Kind::kPublished) continue;
      if (part->from > from) {
        from = part->from;
        latest_start = part;
      }
      if (part->to < to) {
        to = part->to;
        earliest_end = part;
      }
    }
    if (earliest_end == nullptr) return;
    if (latest_start != nullptr && from >= to) {
      // In the order written.
      const bool start_first =
          std::find(conjunction.required.begin(), conjunction.required.end(),
                    latest_start) < std::find(conjunction.required.begin(),
                                              conjunction.required.end(),
                                              earliest_end);
      const QueryNode* first = start_first ? latest_start : earliest_end;
      const QueryNode* second = start_first ? earliest_end : latest_start;
      findings_.push_back("can never match: " + first->ToString() + " and " +
                          second->ToString() + " do not overlap.");
      return;
    }
    if (to > now_) return;
    const std::string ended =
        earliest_end->ToString() + " ended on " + FormatDay(to - 1);
    if (longest_since != nullptr && to <= now_ - longest_since->seconds) {
      findings_.push_back("can never match: " + ended + ", before " +
                          longest_since->ToString() + " begins (" +
                          FormatDay(now_ - longest_since->seconds) + ").");
    } else {
      findings_.push_back("can never match: " + ended +
                          ", and saved searches run on new articles.");
    }
  }

  std::int64_t now_;
  std::vector<std::string> findings_;
};

}  // namespace

std::vector<std::string> LintQuery(const QueryNode& query, std::int64_t now) {
  Linter linter(now);
  linter.CheckConjunction(query);
  // A query that can never match is not also broad; say only what is wrong.
  if (!linter.empty()) return linter.TakeFindings();
  std::vector<std::string> findings;
  if (const QueryNode* culprit = OnlyExcludes(query)) {
    findings.push_back(
        "matches nearly every article: " +
        (culprit == &query ? culprit->ToString()
                           : "the alternative " + culprit->ToString()) +
        " only excludes, so every other article matches; add a word or "
        "field an article must have.");
    return findings;
  }
  std::vector<const QueryNode*> why;
  if (IsBroad(query, why)) {
    findings.push_back("matches nearly every article: it can match on " +
                       JoinParts(why) + " alone, and " + WhyBroad(why) +
                       "; add a rarer word.");
  }
  return findings;
}

}  // namespace newswatch::indexer
