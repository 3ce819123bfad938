// A strict recursive-descent parser for the query language in query.h.
//
// Grammar (OR binds tighter than AND, NOT tightest):
//   query    := and_expr END
//   and_expr := or_expr ( ["AND"] or_expr )*
//   or_expr  := unary ( "OR" unary )*
//   unary    := "NOT" unary | "-" unary | primary
//   primary  := WORD | PHRASE | "(" and_expr ")"
#include <optional>

#include "indexer/query.h"
#include "indexer/xapian_query.h"

namespace newswatch::indexer {
namespace {

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
    kEnd
  };
  Kind kind;
  std::string text;
  size_t column;  // 1-based byte column in the query.
};

std::string Describe(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kAnd:
      return "AND";
    case Token::Kind::kOr:
      return "OR";
    case Token::Kind::kNot:
      return "NOT";
    case Token::Kind::kMinus:
      return "'-'";
    case Token::Kind::kOpen:
      return "'('";
    case Token::Kind::kClose:
      return "')'";
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

config::Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const size_t column = i + 1;
    if (IsSpace(c)) {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::Kind::kOpen : Token::Kind::kClose,
                        std::string(1, c), column});
      ++i;
    } else if (c == '"') {
      const size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return SyntaxError("unbalanced quotes: the '\"' at column " +
                           std::to_string(column) + " is never closed");
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
      size_t end = i;
      while (end < text.size() && !EndsWord(text[end])) ++end;
      std::string word(text.substr(i, end - i));
      Token::Kind kind = Token::Kind::kWord;
      if (word == "AND") kind = Token::Kind::kAnd;
      if (word == "OR") kind = Token::Kind::kOr;
      if (word == "NOT") kind = Token::Kind::kNot;
      tokens.push_back({kind, std::move(word), column});
      i = end;
    }
  }
  tokens.push_back({Token::Kind::kEnd, "", text.size() + 1});
  return tokens;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  config::Result<QueryNode> ParseAll() {
    if (Peek().kind == Token::Kind::kEnd) {
      return SyntaxError("the query is empty");
    }
    std::optional<QueryNode> node = ParseAnd();
    if (node && Peek().kind != Token::Kind::kEnd) {
      // Only a stray ')' can stop an and_expr before the end.
      Fail("unbalanced parentheses: the ')' at column " +
           std::to_string(Peek().column) + " has no matching '('");
    }
    if (error_) return std::move(*error_);
    return std::move(*node);
  }

 private:
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
           token.kind == Token::Kind::kNot || token.kind == Token::Kind::kMinus;
  }

  // Called where an operand must follow `after`; reports what came instead.
  std::nullopt_t MissingOperand(const Token& after) {
    const Token& found = Peek();
    if (found.kind == Token::Kind::kEnd || found.kind == Token::Kind::kClose) {
      return Fail(Describe(after) + " at column " +
                  std::to_string(after.column) + " has nothing after it");
    }
    return Fail(Describe(after) + " at column " + std::to_string(after.column) +
                " is followed by " + Describe(found) + " at column " +
                std::to_string(found.column) +
                " where a word, phrase or group should be");
  }

  static QueryNode Combine(QueryNode::Kind kind, std::vector<QueryNode> parts) {
    if (parts.size() == 1) return std::move(parts.front());
    QueryNode node;
    node.kind = kind;
    node.children = std::move(parts);
    return node;
  }

  std::optional<QueryNode> ParseAnd() {
    std::vector<QueryNode> parts;
    std::optional<QueryNode> first = ParseOr();
    if (!first) return std::nullopt;
    parts.push_back(std::move(*first));
    while (true) {
      if (Peek().kind == Token::Kind::kAnd) {
        const Token& op = Next();
        if (!StartsOperand(Peek())) return MissingOperand(op);
      } else if (!StartsOperand(Peek())) {
        break;
      }
      std::optional<QueryNode> next = ParseOr();
      if (!next) return std::nullopt;
      parts.push_back(std::move(*next));
    }
    return Combine(QueryNode::Kind::kAnd, std::move(parts));
  }

  std::optional<QueryNode> ParseOr() {
    std::vector<QueryNode> parts;
    std::optional<QueryNode> first = ParseUnary();
    if (!first) return std::nullopt;
    parts.push_back(std::move(*first));
    while (Peek().kind == Token::Kind::kOr) {
      const Token& op = Next();
      if (!StartsOperand(Peek())) return MissingOperand(op);
      std::optional<QueryNode> next = ParseUnary();
      if (!next) return std::nullopt;
      parts.push_back(std::move(*next));
    }
    return Combine(QueryNode::Kind::kOr, std::move(parts));
  }

  // Nesting of groups and negations is bounded so that hostile input cannot
  // exhaust the stack.
  static constexpr int kMaxDepth = 64;

  std::optional<QueryNode> ParseUnary() {
    if (Peek().kind == Token::Kind::kNot ||
        Peek().kind == Token::Kind::kMinus) {
      if (++depth_ > kMaxDepth) return Fail("the query is nested too deeply");
      const Token& op = Next();
      if (!StartsOperand(Peek())) return MissingOperand(op);
      std::optional<QueryNode> operand = ParseUnary();
      if (!operand) return std::nullopt;
      QueryNode node;
      node.kind = QueryNode::Kind::kNot;
      node.children.push_back(std::move(*operand));
      --depth_;
      return node;
    }
    return ParsePrimary();
  }

  std::optional<QueryNode> ParsePrimary() {
    const Token& token = Peek();
    switch (token.kind) {
      case Token::Kind::kWord:
      case Token::Kind::kPhrase: {
        Next();
        if (!HasSearchableTerms(token.text)) {
          if (token.kind == Token::Kind::kPhrase) {
            return Fail("the phrase at column " + std::to_string(token.column) +
                        " has no words in it");
          }
          return Fail(Describe(token) + " at column " +
                      std::to_string(token.column) +
                      " has no letters or digits to search for");
        }
        QueryNode node;
        node.kind = token.kind == Token::Kind::kWord ? QueryNode::Kind::kWord
                                                     : QueryNode::Kind::kPhrase;
        node.text = token.text;
        return node;
      }
      case Token::Kind::kOpen: {
        const Token& open = Next();
        if (++depth_ > kMaxDepth) return Fail("the query is nested too deeply");
        if (Peek().kind == Token::Kind::kClose) {
          return Fail("empty parentheses at column " +
                      std::to_string(open.column));
        }
        if (Peek().kind == Token::Kind::kEnd) {
          return Fail("unbalanced parentheses: the '(' at column " +
                      std::to_string(open.column) + " is never closed");
        }
        std::optional<QueryNode> inner = ParseAnd();
        if (!inner) return std::nullopt;
        if (Peek().kind != Token::Kind::kClose) {
          return Fail("unbalanced parentheses: the '(' at column " +
                      std::to_string(open.column) + " is never closed");
        }
        Next();
        --depth_;
        return inner;
      }
      case Token::Kind::kClose:
        return Fail("unbalanced parentheses: the ')' at column " +
                    std::to_string(token.column) + " has no matching '('");
      default:
        return Fail(Describe(token) + " at column " +
                    std::to_string(token.column) + " has nothing before it");
    }
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::optional<config::Error> error_;
};

}  // namespace

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
  switch (kind) {
    case Kind::kWord:
      return text;
    case Kind::kPhrase:
      return "\"" + text + "\"";
    case Kind::kNot:
      return "NOT " + children.front().ToString();
    default:  // INTERIM
      return text;
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out += kind == Kind::kAnd ? " AND " : " OR ";
        out += children[i].ToString();
      }
      return out + ")";
    }
  }
  return "";
}

std::string LanguageOfQuery(const QueryNode&) { return ""; }  // INTERIM

}  // namespace newswatch::indexer
