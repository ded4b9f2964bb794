// Quoting and formatting SQL text: quote_ident, quote_literal, quote_nullable, parse_ident,
// format (%s, %I, %L with positions and widths), as PostgreSQL defines them; and the integer
// bitwise operators & | # << >>.
#include <algorithm>
#include <array>
#include <string>

#include "ivm/error.h"
#include "ivm/functions/function_sets.h"
#include "ivm/functions/quote.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kBool = TypeId::kBool;

constexpr std::array<const char*, 77> kReservedKeywords = {
    "all",          "analyse",
    "analyze",      "and",
    "any",          "array",
    "as",           "asc",
    "asymmetric",   "both",
    "case",         "cast",
    "check",        "collate",
    "column",       "constraint",
    "create",       "current_catalog",
    "current_date", "current_role",
    "current_time", "current_timestamp",
    "current_user", "default",
    "deferrable",   "desc",
    "distinct",     "do",
    "else",         "end",
    "except",       "false",
    "fetch",        "for",
    "foreign",      "from",
    "grant",        "group",
    "having",       "in",
    "initially",    "intersect",
    "into",         "lateral",
    "leading",      "limit",
    "localtime",    "localtimestamp",
    "not",          "null",
    "offset",       "on",
    "only",         "or",
    "order",        "placing",
    "primary",      "references",
    "returning",    "select",
    "session_user", "some",
    "symmetric",    "table",
    "then",         "to",
    "trailing",     "true",
    "union",        "unique",
    "user",         "using",
    "variadic",     "when",
    "where",        "window",
    "with"};

bool IsReserved(const std::string& word) {
  return std::find_if(kReservedKeywords.begin(), kReservedKeywords.end(),
                      [&](const char* k) { return word == k; }) != kReservedKeywords.end();
}

}  // namespace

std::string QuoteIdentifier(const std::string& s) {
  bool plain = !s.empty() && (std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_')) {
      plain = false;
    }
  }
  if (plain && !IsReserved(s)) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteLiteral(const std::string& s) {
  const bool escape = s.find('\\') != std::string::npos;
  std::string out = escape ? "E'" : "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

namespace {

std::string QuoteIdent(const std::string& s) { return QuoteIdentifier(s); }

Value QuoteIdentFn(Args a) { return Value::Text(QuoteIdent(a[0].string_value())); }
Value QuoteLiteralFn(Args a) { return Value::Text(QuoteLiteral(a[0].string_value())); }
Value QuoteNullable(Args a) {
  return Value::Text(a[0].is_null() ? "NULL" : QuoteLiteral(a[0].string_value()));
}

// parse_ident('a."B c".d') -> {a,"B c",d}: unquoted parts lower-cased. With strict (the
// default) nothing may follow the last part.
Value ParseIdent(Args a) {
  const std::string& s = a[0].string_value();
  const bool strict = a.size() < 2 || a[1].bool_value();
  auto invalid = [&](const std::string& detail) {
    return Error(sqlstate::kInvalidParameterValue,
                 "string is not a valid identifier: \"" + s + "\"", detail);
  };
  std::vector<Value> parts;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  for (;;) {
    skip_space();
    std::string part;
    if (i < s.size() && s[i] == '"') {
      for (++i;; ++i) {
        if (i >= s.size()) throw invalid("String has unclosed double quotes.");
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            part += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        part += s[i];
      }
      if (part.empty()) throw invalid("Quoted identifier must not be empty.");
    } else {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' ||
                              s[i] == '$' || static_cast<unsigned char>(s[i]) >= 0x80)) {
        part += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
        ++i;
      }
      if (part.empty()) {
        throw invalid(parts.empty() ? "No valid identifier before \".\"."
                                    : "No valid identifier after \".\".");
      }
    }
    parts.push_back(Value::Text(part));
    skip_space();
    if (i < s.size() && s[i] == '.') {
      ++i;
      continue;
    }
    if (i < s.size() && strict) throw invalid("");
    break;
  }
  return Value::Array(std::move(parts));
}

// format(formatstr, args...): %s the text form (NULL as empty), %I an identifier, %L a
// literal (NULL as NULL), %% a percent sign; each may carry an argument position n$, a
// '-' flag and a width.
Value Format(Args a) {
  const std::string& f = a[0].string_value();
  std::string out;
  size_t next = 1;  // the next argument, by position in `a`
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out += f[i];
      continue;
    }
    if (++i >= f.size()) throw Error(sqlstate::kInvalidParameterValue, "unterminated format() type specifier");
    if (f[i] == '%') {
      out += '%';
      continue;
    }
    size_t start = i;
    size_t number = 0;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
      number = number * 10 + static_cast<size_t>(f[i] - '0');
      ++i;
    }
    size_t arg = next;
    if (i < f.size() && f[i] == '$' && i > start) {
      if (number == 0) throw Error(sqlstate::kInvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1");
      arg = number;
      ++i;
      number = 0;
      start = i;
    } else {
      i = start;
      number = 0;
    }
    bool left = false;
    if (i < f.size() && f[i] == '-') {
      left = true;
      ++i;
    }
    size_t width = 0;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
      width = width * 10 + static_cast<size_t>(f[i] - '0');
      ++i;
    }
    if (i >= f.size()) throw Error(sqlstate::kInvalidParameterValue, "unterminated format() type specifier");
    const char type = f[i];
    if (type != 's' && type != 'I' && type != 'L') {
      throw Error(sqlstate::kInvalidParameterValue,
                  std::string("unrecognized format() type specifier \"") + type + "\"", "",
                  "For a single \"%\" use \"%%\".");
    }
    if (arg >= a.size()) throw Error(sqlstate::kInvalidParameterValue, "too few arguments for format()");
    next = arg + 1;
    const Value& v = a[arg];
    std::string piece;
    if (type == 's') {
      piece = v.is_null() ? "" : v.ToText();
    } else if (type == 'I') {
      if (v.is_null()) {
        throw Error("22004", "null values cannot be formatted as an SQL identifier");
      }
      piece = QuoteIdent(v.ToText());
    } else {
      piece = v.is_null() ? "NULL" : QuoteLiteral(v.ToText());
    }
    if (piece.size() < width) {
      std::string pad(width - piece.size(), ' ');
      piece = left ? piece + pad : pad + piece;
    }
    out += piece;
  }
  return Value::Text(std::move(out));
}

template <int kOp>
Value Bitwise(Args a) {
  const int64_t x = a[0].int_value(), y = a[1].int_value();
  const int64_t r = kOp == 0 ? (x & y) : kOp == 1 ? (x | y) : (x ^ y);
  return Value::Integer(a[0].type(), r);
}

// x << n, x >> n: the shift count is taken modulo the width, as C on PostgreSQL's platforms.
template <bool kLeft>
Value Shift(Args a) {
  const TypeId t = a[0].type();
  const int bits = t == TypeId::kInt16 ? 16 : t == TypeId::kInt32 ? 32 : 64;
  const int n = static_cast<int>(a[1].int_value() & (bits - 1));
  const uint64_t mask = bits == 64 ? ~0ULL : ((1ULL << bits) - 1);
  const int64_t x = a[0].int_value();
  int64_t r;
  if (kLeft) {
    uint64_t u = (static_cast<uint64_t>(x) << n) & mask;
    // Sign-extend from the type's width.
    r = bits == 64 ? static_cast<int64_t>(u)
                   : static_cast<int64_t>(u << (64 - bits)) >> (64 - bits);
  } else {
    r = x >> n;
  }
  return Value::Integer(t, r);
}

}  // namespace

std::span<const char* const> ReservedKeywords() { return kReservedKeywords; }

void AddQuoteFunctions(std::vector<ScalarFunction>* out) {
  out->push_back({"quote_ident", {kText}, kText, QuoteIdentFn});
  out->push_back({"quote_literal", {kText}, kText, QuoteLiteralFn});
  out->push_back({"quote_nullable", {kText}, kText, QuoteNullable, /*strict=*/false});
  out->push_back({"parse_ident", {kText}, TypeId::kArray, ParseIdent});
  out->push_back({"parse_ident", {kText, kBool}, TypeId::kArray, ParseIdent});
  out->push_back({"format", {kText}, kText, Format, /*strict=*/false, true, /*variadic_any=*/true});
  for (TypeId t : {TypeId::kInt16, TypeId::kInt32, TypeId::kInt64}) {
    out->push_back({"&", {t, t}, t, Bitwise<0>});
    out->push_back({"|", {t, t}, t, Bitwise<1>});
    out->push_back({"#", {t, t}, t, Bitwise<2>});
    out->push_back({"<<", {t, TypeId::kInt32}, t, Shift<true>});
    out->push_back({">>", {t, TypeId::kInt32}, t, Shift<false>});
  }
}

}  // namespace ivm
