#include "sql/bulk_insert.h"

#include <string>

#include "ivm/ascii.h"

namespace sql {
namespace {

// Character classes as the grammar's lexer has them (sql/grammar/TributarySql.g4).
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c) || c == '$'; }

AstExprPtr Literal(AstExpr::LiteralKind kind, std::string text) {
  auto e = std::make_shared<AstExpr>();
  e->kind = AstExpr::Kind::kLiteral;
  e->literal_kind = kind;
  e->text = std::move(text);
  return e;
}

// Reads tokens of one statement from a position on; each method leaves the position
// unchanged (as far as it matters) when it returns false or null.
class Scanner {
 public:
  Scanner(std::string_view text, size_t pos) : s_(text), pos_(pos) {}

  size_t pos() const { return pos_; }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == s_.size();
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ == s_.size() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // An unquoted word (identifier or key word) at the position, or "" when there is none.
  std::string_view Word() {
    if (pos_ == s_.size() || !IsIdentifierStart(s_[pos_])) return {};
    const size_t start = pos_;
    while (pos_ < s_.size() && IsIdentifierPart(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // A "quoted identifier" at the position (the grammar lets a backslash escape a quote).
  bool QuotedIdentifier() {
    size_t p = pos_ + 1;
    while (p < s_.size()) {
      if (s_[p] == '\\') {
        p += 2;
      } else if (s_[p] == '"') {
        if (p + 1 < s_.size() && s_[p + 1] == '"') {
          p += 2;
        } else {
          pos_ = p + 1;
          return true;
        }
      } else {
        ++p;
      }
    }
    return false;
  }

  // "( literal, ... )".
  bool Row(std::vector<AstExprPtr>* row) {
    if (!Eat('(')) return false;
    do {
      AstExprPtr value = Value();
      if (!value) return false;
      row->push_back(std::move(value));
    } while (Eat(','));
    return Eat(')');
  }

 private:
  // A literal, or a sign and a number, followed by ',' or ')': anything that would run
  // on (5abc, 'a'::int, 1.2.3, 'a' 'b', 5/*...*/) is not one of the rows read here.
  AstExprPtr Value() {
    SkipSpace();
    if (pos_ == s_.size()) return nullptr;
    const size_t start = pos_;
    const char c = s_[pos_];
    AstExprPtr value;
    if (c == '-' || c == '+') {
      // The grammar's unary minus or plus over the number. "--" starts a comment; a sign
      // before anything else is ANTLR's to read.
      ++pos_;
      SkipSpace();
      if (AstExprPtr operand = Number()) {
        value = std::make_shared<AstExpr>();
        value->kind = AstExpr::Kind::kUnary;
        value->op = std::string(1, c);
        value->text = std::string(s_.substr(start, pos_ - start));
        value->args = {std::move(operand)};
      }
    } else if (IsDigit(c) || c == '.') {
      value = Number();
    } else if (c == '\'') {
      value = String();
    } else {
      const std::string_view word = Word();
      if (ivm::EqualsIgnoreCase(word, "null")) {
        value = Literal(AstExpr::LiteralKind::kNull, std::string(word));
      } else if (ivm::EqualsIgnoreCase(word, "true")) {
        value = Literal(AstExpr::LiteralKind::kTrue, std::string(word));
      } else if (ivm::EqualsIgnoreCase(word, "false")) {
        value = Literal(AstExpr::LiteralKind::kFalse, std::string(word));
      }
    }
    if (!value) return nullptr;
    size_t next = pos_;
    while (next < s_.size() && IsSpace(s_[next])) ++next;
    if (next == s_.size() || (s_[next] != ',' && s_[next] != ')')) return nullptr;
    return value;
  }

  // INTEGER_LITERAL (DIGIT+) or DECIMAL_LITERAL (DIGIT+ '.' DIGIT* EXPONENT? |
  // '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT), the longest that matches, as the lexer reads.
  AstExprPtr Number() {
    const size_t start = pos_;
    size_t p = pos_;
    while (p < s_.size() && IsDigit(s_[p])) ++p;
    const bool has_integer_part = p > start;
    bool decimal = false;
    if (p < s_.size() && s_[p] == '.') {
      size_t q = p + 1;
      while (q < s_.size() && IsDigit(s_[q])) ++q;
      if (!has_integer_part && q == p + 1) return nullptr;  // a lone '.'
      p = q;
      decimal = true;
    } else if (!has_integer_part) {
      return nullptr;
    }
    if (p < s_.size() && (s_[p] == 'e' || s_[p] == 'E')) {
      size_t q = p + 1;
      if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
      size_t digits = q;
      while (digits < s_.size() && IsDigit(s_[digits])) ++digits;
      if (digits == q) return nullptr;  // 1e, 1e+: the lexer reads a word after the number
      p = digits;
      decimal = true;
    }
    pos_ = p;
    return Literal(decimal ? AstExpr::LiteralKind::kDecimal : AstExpr::LiteralKind::kInteger,
                   std::string(s_.substr(start, p - start)));
  }

  // STRING_LITERAL: '...' with '' for a quote; its value without the quotes.
  AstExprPtr String() {
    std::string value;
    size_t p = pos_ + 1;
    for (;;) {
      const size_t quote = s_.find('\'', p);
      if (quote == std::string_view::npos) return nullptr;
      value.append(s_.substr(p, quote - p));
      if (quote + 1 < s_.size() && s_[quote + 1] == '\'') {
        value.push_back('\'');
        p = quote + 2;
        continue;
      }
      pos_ = quote + 1;
      return Literal(AstExpr::LiteralKind::kString, std::move(value));
    }
  }

  std::string_view s_;
  size_t pos_;
};

}  // namespace

std::optional<BulkInsertRows> ReadBulkInsert(std::string_view sql) {
  BulkInsertRows out;
  Scanner scan(sql, 0);
  scan.SkipSpace();
  out.statement_begin = scan.pos();
  if (!ivm::EqualsIgnoreCase(scan.Word(), "insert")) return std::nullopt;
  // The head: words, quoted identifiers, '.', ',' and parentheses up to the key word
  // VALUES. Anything else (a comment, a string, a number, a ';') is ANTLR's to read.
  for (;;) {
    scan.SkipSpace();
    if (scan.AtEnd()) return std::nullopt;
    const char c = sql[scan.pos()];
    if (IsIdentifierStart(c)) {
      if (ivm::EqualsIgnoreCase(scan.Word(), "values")) break;
    } else if (c == '"') {
      if (!scan.QuotedIdentifier()) return std::nullopt;
    } else if (!scan.Eat('.') && !scan.Eat(',') && !scan.Eat('(') && !scan.Eat(')')) {
      return std::nullopt;
    }
  }
  do {
    if (!scan.Row(&out.rows.emplace_back())) return std::nullopt;
    if (out.rows.size() == 1) out.first_row_end = scan.pos();
  } while (scan.Eat(','));
  out.statement_end = scan.pos();
  scan.Eat(';');
  if (!scan.AtEnd()) return std::nullopt;
  return out;
}

bool SameLiteralExpr(const AstExpr& a, const AstExpr& b) {
  if (a.kind != b.kind || a.literal_kind != b.literal_kind || a.text != b.text || a.op != b.op ||
      a.args.size() != b.args.size()) {
    return false;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!SameLiteralExpr(*a.args[i], *b.args[i])) return false;
  }
  return true;
}

}  // namespace sql
