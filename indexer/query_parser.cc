// A strict recursive-descent parser for the query language in query.h, and
// the canonical writer (QueryNode::ToString) that parses back to the same
// tree.
//
// Grammar, loosest binding first:
//   query    := and_expr END
//   and_expr := or_expr ( ["AND"] or_expr )*
//   or_expr  := prox ( "OR" prox )*
//   prox     := unary ( PROXOP unary )*    one operator and distance a chain
//   unary    := "NOT" unary | "-" unary | primary
//   primary  := FIELD ":" atom | atom       no space after the ':'
//   atom     := WORD | WORD "*" | PHRASE | "(" and_expr ")"
//   PROXOP   := "NEAR" | "NEAR/" n | "ADJ" | "ADJ/" n     (1 <= n <= 1000)
// published: and since: take a date, a range or a duration instead of an
// atom. A word right after a field's ':' is always a word, never an operator.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/text.h"
#include "indexer/query.h"

namespace newswatch::indexer {
namespace {

// The field names of the language. published: and since: are not
// QueryFields: they make kPublished and kSince nodes.
enum class FieldName {
  kTitle,
  kAuthor,
  kFeed,
  kSite,
  kCategory,
  kLang,
  kPublished,
  kSince
};

struct FieldSpelling {
  std::string_view name;
  FieldName field;
};

constexpr FieldSpelling kFields[] = {
    {"title", FieldName::kTitle},         {"author", FieldName::kAuthor},
    {"feed", FieldName::kFeed},           {"site", FieldName::kSite},
    {"category", FieldName::kCategory},   {"lang", FieldName::kLang},
    {"published", FieldName::kPublished}, {"since", FieldName::kSince},
};

constexpr char kFieldList[] =
    "fields are title:, author:, feed:, site:, category:, lang:, published: "
    "and since:";

std::optional<FieldName> FieldNamed(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const FieldSpelling& spelling : kFields) {
    if (spelling.name == lower) return spelling.field;
  }
  return std::nullopt;
}

QueryField QueryFieldOf(FieldName name) {
  switch (name) {
    case FieldName::kTitle:
      return QueryField::kTitle;
    case FieldName::kAuthor:
      return QueryField::kAuthor;
    case FieldName::kFeed:
      return QueryField::kFeed;
    case FieldName::kSite:
      return QueryField::kSite;
    case FieldName::kCategory:
      return QueryField::kCategory;
    case FieldName::kLang:
      return QueryField::kLanguage;
    case FieldName::kPublished:
    case FieldName::kSince:
      break;
  }
  return QueryField::kAny;
}

// The name written before a leaf of `field`, with its colon; empty for kAny.
std::string_view FieldPrefix(QueryField field) {
  switch (field) {
    case QueryField::kAny:
      return "";
    case QueryField::kTitle:
      return "title:";
    case QueryField::kAuthor:
      return "author:";
    case QueryField::kFeed:
      return "feed:";
    case QueryField::kSite:
      return "site:";
    case QueryField::kCategory:
      return "category:";
    case QueryField::kLanguage:
      return "lang:";
  }
  return "";
}

bool IsValueField(QueryField field) {
  return field == QueryField::kFeed || field == QueryField::kSite ||
         field == QueryField::kCategory || field == QueryField::kLanguage;
}

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// What the index's TermGenerator makes of a word: how many term occurrences
// (a hyphenated word or a CJK run makes several) and the first term. Built
// with FLAG_CJK_NGRAM and no stemmer, so that "one term" means one word as
// the index sees it, whatever the stemmer's language.
struct WordAnalysis {
  size_t occurrences = 0;
  std::string term;
};

WordAnalysis AnalyseWord(std::string_view text) {
  Xapian::Document scratch;
  Xapian::TermGenerator generator;
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  generator.set_document(scratch);
  generator.index_text(std::string(text));
  WordAnalysis analysis;
  for (auto term = scratch.termlist_begin(); term != scratch.termlist_end();
       ++term) {
    analysis.occurrences += term.get_wdf();
    if (analysis.term.empty()) analysis.term = *term;
  }
  return analysis;
}

// True when `text` has a character the TermGenerator would index if the
// word were not too long: tells "too long" from "no letters" apart.
bool HasWordCharacters(std::string_view text) {
  const std::string copy(text);
  for (Xapian::Utf8Iterator it(copy); it != Xapian::Utf8Iterator(); ++it) {
    if (Xapian::Unicode::is_wordchar(*it)) return true;
  }
  return false;
}

struct Token {
  enum class Kind {
    kWord,
    kPhrase,
    kOpen,
    kClose,
    kAnd,
    kOr,
    kNot,
    kMinus,
    kProximity,  // NEAR, NEAR/n, ADJ, ADJ/n.
    kField,      // `name:`, always followed by the token it applies to.
    kEnd
  };
  Kind kind;
  std::string text;  // As written (a field without its colon).
  size_t column;     // 1-based byte column in the query.
  FieldName field = FieldName::kTitle;  // kField.
  bool adjacent = false;                // kProximity: ADJ rather than NEAR.
  int distance = 0;                     // kProximity.
};

std::string Column(size_t column) { return "column " + std::to_string(column); }

std::string Describe(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kAnd:
      return "AND";
    case Token::Kind::kOr:
      return "OR";
    case Token::Kind::kNot:
      return "NOT";
    case Token::Kind::kProximity:
      return token.text;
    case Token::Kind::kMinus:
      return "'-'";
    case Token::Kind::kOpen:
      return "'('";
    case Token::Kind::kClose:
      return "')'";
    case Token::Kind::kField:
      return token.text + ":";
    case Token::Kind::kWord:
      return "'" + token.text + "'";
    case Token::Kind::kPhrase:
      return "\"" + token.text + "\"";
    case Token::Kind::kEnd:
      return "the end of the query";
  }
  return "?";
}

config::Error SyntaxError(const std::string& what) {
  return config::Error::Permanent("", what);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool EndsWord(char c) { return IsSpace(c) || c == '(' || c == ')' || c == '"'; }

constexpr int kMaxDistance = 1000;
constexpr int kDefaultNearDistance = 10;
constexpr int kDefaultAdjDistance = 1;

// Reads NEAR, NEAR/n, ADJ and ADJ/n. Returns false for other words; an
// error for a proximity operator with a bad distance.
config::Result<bool> ReadProximity(const std::string& word, size_t column,
                                   Token& token) {
  std::string_view name;
  for (std::string_view candidate : {"NEAR", "ADJ"}) {
    if (word.starts_with(candidate) &&
        (word.size() == candidate.size() || word[candidate.size()] == '/')) {
      name = candidate;
    }
  }
  if (name.empty()) return false;
  token.kind = Token::Kind::kProximity;
  token.adjacent = name == "ADJ";
  token.distance = token.adjacent ? kDefaultAdjDistance : kDefaultNearDistance;
  if (word.size() == name.size()) return true;
  const std::string_view digits =
      std::string_view(word).substr(name.size() + 1);
  int distance = 0;
  bool valid = !digits.empty() && digits.size() <= 4;
  for (char c : digits) {
    if (!IsAsciiDigit(c)) valid = false;
    if (valid) distance = distance * 10 + (c - '0');
  }
  if (!valid || distance < 1 || distance > kMaxDistance) {
    return SyntaxError(word + " at " + Column(column) +
                       ": the distance after " + std::string(name) +
                       "/ must be a whole number from 1 to " +
                       std::to_string(kMaxDistance));
  }
  token.distance = distance;
  return true;
}

config::Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  bool after_field = false;  // The previous token was a field.
  while (i < text.size()) {
    const char c = text[i];
    const size_t column = i + 1;
    const bool literal = after_field;
    after_field = false;
    if (IsSpace(c)) {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::Kind::kOpen : Token::Kind::kClose,
                        std::string(1, c), column});
      ++i;
    } else if (c == '"') {
      const size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return SyntaxError("unbalanced quotes: the '\"' at " + Column(column) +
                           " is never closed");
      }
      tokens.push_back({Token::Kind::kPhrase,
                        std::string(text.substr(i + 1, close - i - 1)),
                        column});
      i = close + 1;
    } else if (c == '-' && i + 1 < text.size() && !EndsWord(text[i + 1]) &&
               text[i + 1] != '-') {
      tokens.push_back({Token::Kind::kMinus, "-", column});
      ++i;
    } else if (c == '-' && i + 1 < text.size() &&
               (text[i + 1] == '"' || text[i + 1] == '(')) {
      tokens.push_back({Token::Kind::kMinus, "-", column});
      ++i;
    } else {
      size_t letters = i;
      while (letters < text.size() && IsAsciiLetter(text[letters])) ++letters;
      if (letters > i && letters < text.size() && text[letters] == ':') {
        const std::string name(text.substr(i, letters - i));
        const std::optional<FieldName> field = FieldNamed(name);
        if (!field) {
          return SyntaxError("unknown field '" + name + "' at " +
                             Column(column) + "; " + kFieldList);
        }
        if (literal) {
          return SyntaxError(
              name + ": at " + Column(column) +
              " follows another field's ':'; a leaf has one field");
        }
        const size_t after = letters + 1;
        if (after == text.size() || IsSpace(text[after]) ||
            text[after] == ')') {
          return SyntaxError(name + ": at " + Column(column) +
                             " has nothing after it; write the value right "
                             "after the ':' (" +
                             name + ":word, " + name + ":\"a phrase\")");
        }
        Token token{Token::Kind::kField, name, column};
        token.field = *field;
        tokens.push_back(std::move(token));
        after_field = true;
        i = after;
        continue;
      }
      size_t end = i;
      while (end < text.size() && !EndsWord(text[end])) ++end;
      Token token{Token::Kind::kWord, std::string(text.substr(i, end - i)),
                  column};
      if (!literal) {
        if (token.text == "AND") token.kind = Token::Kind::kAnd;
        if (token.text == "OR") token.kind = Token::Kind::kOr;
        if (token.text == "NOT") token.kind = Token::Kind::kNot;
        config::Result<bool> proximity =
            ReadProximity(token.text, column, token);
        if (!proximity.ok()) return proximity.error();
      }
      tokens.push_back(std::move(token));
      i = end;
    }
  }
  tokens.push_back({Token::Kind::kEnd, "", text.size() + 1});
  return tokens;
}

// Calendar days as the language writes them: YYYY-MM-DD, UTC.
constexpr int kMinYear = 1970;
constexpr int kMaxYear = 9999;
constexpr std::int64_t kSecondsPerDay = 86400;

std::optional<std::int64_t> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsAsciiDigit(text[i])) return std::nullopt;
  }
  auto number = [&](size_t from, size_t length) {
    int value = 0;
    for (size_t i = from; i < from + length; ++i) {
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4);
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  const std::chrono::year_month_day day{
      std::chrono::year{year},
      std::chrono::month{static_cast<unsigned>(number(5, 2))},
      std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!day.ok()) return std::nullopt;
  return std::chrono::sys_seconds(std::chrono::sys_days(day))
      .time_since_epoch()
      .count();
}

// The day containing `seconds`, as YYYY-MM-DD.
std::string FormatDay(std::int64_t seconds) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(seconds)))};
  auto padded = [](unsigned value, size_t width) {
    std::string digits = std::to_string(value);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return digits;
  };
  return padded(static_cast<unsigned>(static_cast<int>(day.year())), 4) + "-" +
         padded(static_cast<unsigned>(day.month()), 2) + "-" +
         padded(static_cast<unsigned>(day.day()), 2);
}

// since: units, largest first (ToString picks the largest exact one).
struct SinceUnit {
  char letter;
  std::int64_t seconds;
};
constexpr SinceUnit kSinceUnits[] = {
    {'w', 7 * kSecondsPerDay}, {'d', kSecondsPerDay}, {'h', 3600}};
// The longest since: accepted: a bound that keeps now - seconds far from
// overflow, and more than any archive holds.
constexpr std::int64_t kMaxSinceSeconds = 36525 * kSecondsPerDay;

// A leaf's field context: the field a `field:(group)` gave to everything in
// it, or none.
struct FieldContext {
  bool set = false;
  QueryField field = QueryField::kAny;
  std::string name;  // As written, for messages.
  size_t column = 0;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  config::Result<QueryNode> ParseAll() {
    if (Peek().kind == Token::Kind::kEnd) {
      return SyntaxError("the query is empty");
    }
    std::optional<QueryNode> node = ParseAnd(FieldContext{});
    if (node && Peek().kind != Token::Kind::kEnd) {
      // Only a stray ')' can stop an and_expr before the end.
      Fail("unbalanced parentheses: the ')' at " + Column(Peek().column) +
           " has no matching '('");
    }
    // ToString writes a parenthesis for every AND, OR and NEAR node, even
    // where precedence made them implicit; bounding the tree's height as
    // well as the query's nesting keeps the canonical form parseable.
    if (node && Height(*node) > kMaxDepth) {
      Fail("the query is nested too deeply");
    }
    if (error_) return std::move(*error_);
    return std::move(*node);
  }

 private:
  // Operator nodes on the longest path from `node` to a leaf.
  static int Height(const QueryNode& node) {
    int height = 0;
    for (const QueryNode& child : node.children) {
      height = std::max(height, Height(child));
    }
    return node.children.empty() ? 0 : height + 1;
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_++]; }

  std::nullopt_t Fail(std::string what) {
    if (!error_) error_ = SyntaxError(std::move(what));
    return std::nullopt;
  }

  static bool StartsOperand(const Token& token) {
    return token.kind == Token::Kind::kWord ||
           token.kind == Token::Kind::kPhrase ||
           token.kind == Token::Kind::kOpen ||
           token.kind == Token::Kind::kField ||
           token.kind == Token::Kind::kNot || token.kind == Token::Kind::kMinus;
  }

  // Called where an operand must follow `after`; reports what came instead.
  std::nullopt_t MissingOperand(const Token& after) {
    const Token& found = Peek();
    if (found.kind == Token::Kind::kEnd || found.kind == Token::Kind::kClose) {
      return Fail(Describe(after) + " at " + Column(after.column) +
                  " has nothing after it");
    }
    return Fail(Describe(after) + " at " + Column(after.column) +
                " is followed by " + Describe(found) + " at " +
                Column(found.column) +
                " where a word, phrase or group should be");
  }

  static QueryNode Combine(QueryNode::Kind kind, std::vector<QueryNode> parts) {
    if (parts.size() == 1) return std::move(parts.front());
    QueryNode node;
    node.kind = kind;
    node.children = std::move(parts);
    return node;
  }

  std::optional<QueryNode> ParseAnd(const FieldContext& context) {
    std::vector<QueryNode> parts;
    std::optional<QueryNode> first = ParseOr(context);
    if (!first) return std::nullopt;
    parts.push_back(std::move(*first));
    while (true) {
      if (Peek().kind == Token::Kind::kAnd) {
        const Token& op = Next();
        if (!StartsOperand(Peek())) return MissingOperand(op);
      } else if (!StartsOperand(Peek())) {
        break;
      }
      std::optional<QueryNode> next = ParseOr(context);
      if (!next) return std::nullopt;
      parts.push_back(std::move(*next));
    }
    return Combine(QueryNode::Kind::kAnd, std::move(parts));
  }

  std::optional<QueryNode> ParseOr(const FieldContext& context) {
    std::vector<QueryNode> parts;
    std::optional<QueryNode> first = ParseProximity(context);
    if (!first) return std::nullopt;
    parts.push_back(std::move(*first));
    while (Peek().kind == Token::Kind::kOr) {
      const Token& op = Next();
      if (!StartsOperand(Peek())) return MissingOperand(op);
      std::optional<QueryNode> next = ParseProximity(context);
      if (!next) return std::nullopt;
      parts.push_back(std::move(*next));
    }
    return Combine(QueryNode::Kind::kOr, std::move(parts));
  }

  // One operand of a NEAR/ADJ chain and the token it started at.
  struct Operand {
    QueryNode node;
    size_t start;  // Index into tokens_.
  };

  std::optional<QueryNode> ParseProximity(const FieldContext& context) {
    const size_t start = pos_;
    std::optional<QueryNode> first = ParseUnary(context);
    if (!first || Peek().kind != Token::Kind::kProximity) return first;
    const Token& op = Peek();
    std::vector<Operand> operands;
    operands.push_back({std::move(*first), start});
    while (Peek().kind == Token::Kind::kProximity) {
      const Token& next_op = Next();
      if (next_op.adjacent != op.adjacent || next_op.distance != op.distance) {
        return Fail(op.text + " at " + Column(op.column) + " and " +
                    next_op.text + " at " + Column(next_op.column) +
                    " cannot be chained; a chain uses one operator and "
                    "distance, so join separate groups with AND");
      }
      if (!StartsOperand(Peek())) return MissingOperand(next_op);
      const size_t operand_start = pos_;
      std::optional<QueryNode> operand = ParseUnary(context);
      if (!operand) return std::nullopt;
      operands.push_back({std::move(*operand), operand_start});
    }
    return MakeProximity(op, std::move(operands));
  }

  // Why an operand of NEAR/ADJ is not a single word, or empty if it is one.
  std::string NotAWord(const Operand& operand) const {
    const Token& start = tokens_[operand.start];
    const bool group = start.kind == Token::Kind::kOpen ||
                       (start.kind == Token::Kind::kField &&
                        tokens_[operand.start + 1].kind == Token::Kind::kOpen);
    if (group) return "a group";
    switch (operand.node.kind) {
      case QueryNode::Kind::kWord:
        return "";
      case QueryNode::Kind::kPhrase:
        return "a phrase";
      case QueryNode::Kind::kPrefix:
        return "a prefix";
      case QueryNode::Kind::kNot:
        return "a negation";
      case QueryNode::Kind::kValue:
        return "a " + std::string(FieldPrefix(operand.node.field)) + " value";
      case QueryNode::Kind::kPublished:
      case QueryNode::Kind::kSince:
        return "a date";
      default:
        return "a group";
    }
  }

  std::optional<QueryNode> MakeProximity(const Token& op,
                                         std::vector<Operand> operands) {
    std::vector<std::string> terms;
    for (const Operand& operand : operands) {
      const size_t column = tokens_[operand.start].column;
      const std::string why = NotAWord(operand);
      if (!why.empty()) {
        return Fail(op.text + " needs single words: " + Column(column) +
                    " holds " + why);
      }
      const WordAnalysis analysis = AnalyseWord(operand.node.text);
      if (analysis.occurrences != 1) {
        return Fail(op.text + " needs single words: '" + operand.node.text +
                    "' at " + Column(column) + " is several");
      }
      const auto seen = std::find(terms.begin(), terms.end(), analysis.term);
      if (seen != terms.end()) {
        return Fail(op.text + " at " + Column(op.column) + " has '" +
                    operand.node.text +
                    "' twice; a word cannot be near itself");
      }
      terms.push_back(analysis.term);
      const QueryNode& first = operands.front().node;
      if (operand.node.field != first.field) {
        return Fail(
            op.text + " needs its words in one field: " + first.ToString() +
            " at " + Column(tokens_[operands.front().start].column) + " but " +
            operand.node.ToString() + " at " + Column(column));
      }
    }
    QueryNode node;
    node.kind =
        op.adjacent ? QueryNode::Kind::kAdjacent : QueryNode::Kind::kNear;
    node.distance = op.distance;
    node.field = operands.front().node.field;
    for (Operand& operand : operands) {
      node.children.push_back(std::move(operand.node));
    }
    return node;
  }

  // Nesting of groups and negations is bounded so that hostile input cannot
  // exhaust the stack.
  static constexpr int kMaxDepth = 64;

  std::optional<QueryNode> ParseUnary(const FieldContext& context) {
    if (Peek().kind == Token::Kind::kNot ||
        Peek().kind == Token::Kind::kMinus) {
      if (++depth_ > kMaxDepth) return Fail("the query is nested too deeply");
      const Token& op = Next();
      if (!StartsOperand(Peek())) return MissingOperand(op);
      std::optional<QueryNode> operand = ParseUnary(context);
      if (!operand) return std::nullopt;
      QueryNode node;
      node.kind = QueryNode::Kind::kNot;
      node.children.push_back(std::move(*operand));
      --depth_;
      return node;
    }
    return ParsePrimary(context);
  }

  std::optional<QueryNode> ParsePrimary(const FieldContext& context) {
    if (Peek().kind != Token::Kind::kField) return ParseAtom(context);
    const Token& field = Next();
    const Token& value = Peek();
    if (value.kind != Token::Kind::kWord &&
        value.kind != Token::Kind::kPhrase &&
        value.kind != Token::Kind::kOpen) {
      return Fail(field.text + ": at " + Column(field.column) +
                  " must be followed by a word, phrase or (group), not " +
                  Describe(value));
    }
    if (field.field == FieldName::kPublished ||
        field.field == FieldName::kSince) {
      if (context.set) {
        return Fail(field.text + ": at " + Column(field.column) +
                    " cannot be inside " + context.name + ":( at " +
                    Column(context.column) + ")");
      }
      if (value.kind != Token::Kind::kWord) {
        return Fail(field.text + ": at " + Column(field.column) +
                    " takes a date written YYYY-MM-DD, not " + Describe(value));
      }
      Next();
      return field.field == FieldName::kPublished ? ParsePublished(field, value)
                                                  : ParseSince(field, value);
    }
    const QueryField query_field = QueryFieldOf(field.field);
    if (context.set && context.field != query_field) {
      return Fail(field.text + ": at " + Column(field.column) + " is inside " +
                  context.name + ":( at " + Column(context.column) +
                  "); a field before a group applies to everything in it");
    }
    FieldContext inner = context;
    if (!context.set) {
      inner = FieldContext{true, query_field, field.text, field.column};
    }
    return ParseAtom(inner);
  }

  std::optional<QueryNode> ParseAtom(const FieldContext& context) {
    const Token& token = Peek();
    switch (token.kind) {
      case Token::Kind::kWord:
      case Token::Kind::kPhrase:
        Next();
        if (IsValueField(context.field)) return MakeValue(context, token);
        return MakeTextLeaf(context, token);
      case Token::Kind::kOpen: {
        const Token& open = Next();
        if (++depth_ > kMaxDepth) return Fail("the query is nested too deeply");
        if (Peek().kind == Token::Kind::kClose) {
          return Fail("empty parentheses at " + Column(open.column));
        }
        if (Peek().kind == Token::Kind::kEnd) {
          return Fail("unbalanced parentheses: the '(' at " +
                      Column(open.column) + " is never closed");
        }
        std::optional<QueryNode> inner = ParseAnd(context);
        if (!inner) return std::nullopt;
        if (Peek().kind != Token::Kind::kClose) {
          return Fail("unbalanced parentheses: the '(' at " +
                      Column(open.column) + " is never closed");
        }
        Next();
        --depth_;
        return inner;
      }
      case Token::Kind::kClose:
        return Fail("unbalanced parentheses: the ')' at " +
                    Column(token.column) + " has no matching '('");
      default:
        return Fail(Describe(token) + " at " + Column(token.column) +
                    " has nothing before it");
    }
  }

  std::optional<QueryNode> MakeTextLeaf(const FieldContext& context,
                                        const Token& token) {
    QueryNode node;
    node.field = context.field;
    node.text = token.text;
    if (token.kind == Token::Kind::kPhrase) {
      node.kind = QueryNode::Kind::kPhrase;
      const WordAnalysis analysis = AnalyseWord(token.text);
      if (analysis.occurrences == 0) {
        return Fail("the phrase at " + Column(token.column) +
                    (HasWordCharacters(token.text)
                         ? " has only words too long to search for"
                         : " has no words in it"));
      }
      return node;
    }
    const size_t star = token.text.find('*');
    if (star != std::string::npos) {
      if (star + 1 != token.text.size()) {
        return Fail(Describe(token) + " at " + Column(token.column) +
                    ": wildcards only at the end of a word");
      }
      node.kind = QueryNode::Kind::kPrefix;
      node.text.pop_back();
      if (node.text.empty()) return node;  // A lone '*': every article.
      const WordAnalysis analysis = AnalyseWord(node.text);
      if (analysis.occurrences != 1) {
        return Fail(Describe(token) + " at " + Column(token.column) +
                    ": the part before '*' must be a single word");
      }
      // The prefix is matched against indexed terms by its lower-case text
      // (PrefixTermOf); refuse what would silently never match.
      if (analysis.term != Xapian::Unicode::tolower(node.text)) {
        return Fail(Describe(token) + " at " + Column(token.column) +
                    ": a prefix must be written as it is indexed ('" +
                    analysis.term + "*')");
      }
      return node;
    }
    node.kind = QueryNode::Kind::kWord;
    if (AnalyseWord(token.text).occurrences == 0) {
      return Fail(Describe(token) + " at " + Column(token.column) +
                  (HasWordCharacters(token.text)
                       ? " is too long to search for"
                       : " has no letters or digits to search for"));
    }
    return node;
  }

  std::optional<QueryNode> MakeValue(const FieldContext& context,
                                     const Token& token) {
    const std::string where = context.name + ": value " + Describe(token) +
                              " at " + Column(token.column);
    if (token.kind == Token::Kind::kWord &&
        token.text.find('*') != std::string::npos) {
      return Fail(where + ": " + context.name +
                  ": compares whole values, so '*' is not a wildcard here");
    }
    QueryNode node;
    node.kind = QueryNode::Kind::kValue;
    node.field = context.field;
    node.text = NormaliseFieldValue(context.field, token.text);
    if (node.text.empty()) return Fail(where + " is empty");
    if (context.field == QueryField::kSite && !IsHost(node.text)) {
      return Fail(where +
                  " is not a host name (letters, digits, '-' and '.', "
                  "like bbc.co.uk)");
    }
    if (context.field == QueryField::kLanguage) {
      std::optional<std::string> tag = config::NormalizeLanguageTag(node.text);
      if (!tag) {
        return Fail(where +
                    " is not a language tag (like en, de or pt-br: 2-3 "
                    "letters, then optional -subtags of 1-8 letters or "
                    "digits)");
      }
      node.text = *std::move(tag);
    }
    return node;
  }

  // Labels of letters (any script), digits and '-', separated by single dots.
  static bool IsHost(const std::string& host) {
    bool label_empty = true;
    for (Xapian::Utf8Iterator it(host); it != Xapian::Utf8Iterator(); ++it) {
      const unsigned ch = *it;
      if (ch == '.') {
        if (label_empty) return false;
        label_empty = true;
        continue;
      }
      const bool allowed =
          ch == '-' || (ch < 0x80 ? IsAsciiLetter(static_cast<char>(ch)) ||
                                        IsAsciiDigit(static_cast<char>(ch))
                                  : Xapian::Unicode::is_wordchar(ch));
      if (!allowed) return false;
      label_empty = false;
    }
    return !label_empty;
  }

  std::optional<QueryNode> ParsePublished(const Token& field,
                                          const Token& value) {
    const std::string& text = value.text;
    const std::string bad =
        field.text + ":" + text + " at " + Column(field.column) + ": ";
    QueryNode node;
    node.kind = QueryNode::Kind::kPublished;
    const size_t dots = text.find("..");
    std::string_view from_text = text;
    std::string_view to_text = text;
    if (dots != std::string::npos) {
      from_text = std::string_view(text).substr(0, dots);
      to_text = std::string_view(text).substr(dots + 2);
      if (from_text.empty() && to_text.empty()) {
        return Fail(bad + "a range needs at least one date");
      }
    }
    node.from = std::numeric_limits<std::int64_t>::min();
    node.to = std::numeric_limits<std::int64_t>::max();
    for (std::string_view part : {from_text, to_text}) {
      if (part.empty()) continue;
      if (!ParseDay(part)) {
        return Fail(bad + "'" + std::string(part) +
                    "' is not a date; write YYYY-MM-DD (UTC), from " +
                    std::to_string(kMinYear) + "-01-01 to " +
                    std::to_string(kMaxYear) +
                    "-12-31, and a range as 2025-11-01..2025-11-30");
      }
    }
    if (!from_text.empty()) node.from = *ParseDay(from_text);
    if (!to_text.empty()) node.to = *ParseDay(to_text) + kSecondsPerDay;
    if (node.from >= node.to) {
      return Fail(bad + "the range ends before it starts");
    }
    return node;
  }

  std::optional<QueryNode> ParseSince(const Token& field, const Token& value) {
    const std::string& text = value.text;
    if (const std::optional<std::int64_t> day = ParseDay(text)) {
      QueryNode node;
      node.kind = QueryNode::Kind::kPublished;
      node.from = *day;
      node.to = std::numeric_limits<std::int64_t>::max();
      return node;
    }
    const std::string bad =
        field.text + ":" + text + " at " + Column(field.column) + ": ";
    std::int64_t count = 0;
    bool valid = text.size() >= 2 && text.size() <= 12;
    for (size_t i = 0; valid && i + 1 < text.size(); ++i) {
      valid = IsAsciiDigit(text[i]);
      if (valid) count = count * 10 + (text[i] - '0');
    }
    std::int64_t unit = 0;
    for (const SinceUnit& candidate : kSinceUnits) {
      if (valid && text.back() == candidate.letter) unit = candidate.seconds;
    }
    if (!valid || unit == 0) {
      return Fail(bad +
                  "write a number of hours, days or weeks (since:36h, "
                  "since:7d, since:2w) or a date (since:2025-11-01)");
    }
    if (count < 1 || count > kMaxSinceSeconds / unit) {
      return Fail(bad + "the span must be at least 1 and at most 100 years");
    }
    QueryNode node;
    node.kind = QueryNode::Kind::kSince;
    node.seconds = count * unit;
    return node;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::optional<config::Error> error_;
};

// How a kValue's text is written back: bare when it reads back as one word,
// else quoted. Values never hold '"' (the tokenizer cannot produce one).
std::string WriteValue(const std::string& value) {
  bool bare = !value.empty() && value.front() != '-';
  for (char c : value) {
    if (EndsWord(c) || c == ':' || c == '*') bare = false;
  }
  return bare ? value : "\"" + value + "\"";
}

std::string WritePublished(std::int64_t from, std::int64_t to) {
  constexpr std::int64_t kOpenFrom = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kOpenTo = std::numeric_limits<std::int64_t>::max();
  const std::string start = from == kOpenFrom ? "" : FormatDay(from);
  const std::string end = to == kOpenTo ? "" : FormatDay(to - 1);
  if (from != kOpenFrom && to != kOpenTo && start == end) {
    return "published:" + start;
  }
  return "published:" + start + ".." + end;
}

std::string WriteSince(std::int64_t seconds) {
  for (const SinceUnit& unit : kSinceUnits) {
    if (seconds % unit.seconds == 0) {
      return "since:" + std::to_string(seconds / unit.seconds) + unit.letter;
    }
  }
  // Not from the parser (which counts in whole hours): round up to hours.
  const std::int64_t hours = (seconds + 3599) / 3600;
  return "since:" + std::to_string(hours) + "h";
}

}  // namespace

std::string NormaliseFieldValue(QueryField field, std::string_view value) {
  std::string out;
  bool pending_space = false;
  const std::string input(value);
  for (Xapian::Utf8Iterator it(input); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned ch = *it;
    if (Xapian::Unicode::is_whitespace(ch)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(ch));
  }
  if (field == QueryField::kSite) {
    // Until nothing changes, so that normalising twice changes nothing.
    for (bool changed = true; changed;) {
      const size_t size = out.size();
      if (out.starts_with("www.")) out.erase(0, 4);
      if (out.starts_with(' ')) out.erase(0, 1);
      if (out.ends_with('.') || out.ends_with(' ')) out.pop_back();
      changed = out.size() != size;
    }
  } else if (field == QueryField::kLanguage) {
    std::replace(out.begin(), out.end(), '_', '-');
  }
  return out;
}

config::Result<QueryNode> ParseQuery(std::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    return SyntaxError("the query is " + std::to_string(text.size()) +
                       " bytes long; the limit is " +
                       std::to_string(kMaxQueryBytes));
  }
  config::Result<std::vector<Token>> tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.error();
  return Parser(std::move(tokens).value()).ParseAll();
}

std::string QueryNode::ToString() const {
  const std::string prefix(FieldPrefix(field));
  switch (kind) {
    case Kind::kWord:
      return prefix + text;
    case Kind::kPrefix:
      return prefix + text + "*";
    case Kind::kPhrase:
      return prefix + "\"" + text + "\"";
    case Kind::kValue:
      return prefix + WriteValue(text);
    case Kind::kPublished:
      return WritePublished(from, to);
    case Kind::kSince:
      return WriteSince(seconds);
    case Kind::kNot:
      return "NOT " + children.front().ToString();
    case Kind::kNear:
    case Kind::kAdjacent:
    case Kind::kAnd:
    case Kind::kOr: {
      std::string op;
      if (kind == Kind::kAnd) op = " AND ";
      if (kind == Kind::kOr) op = " OR ";
      if (kind == Kind::kNear) op = " NEAR/" + std::to_string(distance) + " ";
      if (kind == Kind::kAdjacent) {
        op = " ADJ/" + std::to_string(distance) + " ";
      }
      std::string out = "(";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out += op;
        out += children[i].ToString();
      }
      return out + ")";
    }
  }
  return "";
}

namespace {

// Collects the lang: values a match requires: those reached from the root
// through AND alone.
void RequiredLanguages(const QueryNode& node,
                       std::vector<std::string>& languages) {
  if (node.kind == QueryNode::Kind::kValue &&
      node.field == QueryField::kLanguage) {
    languages.push_back(node.text.substr(0, node.text.find('-')));
  } else if (node.kind == QueryNode::Kind::kAnd) {
    for (const QueryNode& child : node.children) {
      RequiredLanguages(child, languages);
    }
  }
}

}  // namespace

std::string LanguageOfQuery(const QueryNode& query) {
  std::vector<std::string> languages;
  RequiredLanguages(query, languages);
  if (languages.empty()) return "";
  for (const std::string& language : languages) {
    if (language != languages.front()) return "";
  }
  return languages.front();
}

}  // namespace newswatch::indexer
