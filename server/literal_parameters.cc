#include "server/literal_parameters.h"

#include <algorithm>
#include <cctype>

#include "ivm/utf8.h"

namespace server {
namespace {

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The type PostgreSQL gives a numeric literal: int4 if it fits, int8 if it fits, else
// numeric (and numeric for any with a point or exponent).
ivm::Type NumberType(const std::string& text) {
  if (text.find_first_of(".eE") != std::string::npos) return ivm::Type::Numeric();
  if (text.size() > 18) return ivm::Type::Numeric();
  const long long v = std::stoll(text);
  if (v <= 2147483647LL) return ivm::Type::Of(ivm::TypeId::kInt32);
  return ivm::Type::Of(ivm::TypeId::kInt64);
}

}  // namespace

std::optional<ParameterizedText> ParameterizeLiterals(const std::string& sql) {
  if (sql.find('$') != std::string::npos) return std::nullopt;
  // A text that is not UTF-8 gets its 22021 from the parser; as a parameter's value it
  // would not.
  size_t bad = 0;
  if (!ivm::ValidUtf8(sql, &bad)) return std::nullopt;
  ParameterizedText out;
  std::string previous;  // the last significant token
  bool first_word_checked = false;
  size_t i = 0;
  const size_t n = sql.size();
  auto after_comparison = [&] {
    return previous == "=" || previous == "<>" || previous == "!=" || previous == "<" ||
           previous == "<=" || previous == ">" || previous == ">=";
  };
  // An INSERT's single VALUES row: a literal that is a whole item of it is a column's value.
  bool insert = false, in_values = false;
  int depth = 0, rows = 0;
  auto row_item = [&](size_t end) {  // the literal just read ends before `end`
    if (!in_values || depth != 1 || (previous != "(" && previous != ",")) return false;
    while (end < n && std::isspace(static_cast<unsigned char>(sql[end]))) ++end;
    return end < n && (sql[end] == ',' || sql[end] == ')');
  };
  while (i < n) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      out.text += c;
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {  // a comment to the end of the line
      size_t end = sql.find('\n', i);
      if (end == std::string::npos) end = n;
      out.text.append(sql, i, end - i);
      i = end;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      if (end == std::string::npos) return std::nullopt;
      out.text.append(sql, i, end + 2 - i);
      i = end + 2;
      continue;
    }
    if (!first_word_checked) {
      // A SELECT, UPDATE or DELETE: their compared literals (and an UPDATE's SET values)
      // are values, each typed by its context once it is a parameter.
      first_word_checked = true;
      size_t end = i;
      while (end < n && IsIdentifierChar(sql[end])) ++end;
      std::string word = sql.substr(i, end - i);
      for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (word != "select" && word != "update" && word != "delete" && word != "insert") {
        return std::nullopt;
      }
      insert = word == "insert";
    }
    if (c == ';') {
      // One statement only: nothing but blanks may follow.
      for (size_t j = i + 1; j < n; ++j) {
        if (!std::isspace(static_cast<unsigned char>(sql[j]))) return std::nullopt;
      }
      out.text.append(sql, i, n - i);
      break;
    }
    if (c == '\'') {  // a string literal; '' is a quote inside it
      size_t j = i + 1;
      std::string value;
      for (;; ++j) {
        if (j >= n) return std::nullopt;
        if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            value += '\'';
            ++j;
            continue;
          }
          break;
        }
        value += sql[j];
      }
      if (after_comparison() || row_item(j + 1)) {
        out.parameters.push_back({ivm::Type::Of(ivm::TypeId::kUnknown), value});
        out.text += "$" + std::to_string(out.parameters.size());
      } else {
        out.text.append(sql, i, j + 1 - i);
      }
      previous = "'";
      i = j + 1;
      continue;
    }
    if (c == '"') {  // a quoted identifier
      size_t j = i + 1;
      for (;; ++j) {
        if (j >= n) return std::nullopt;
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') {
            ++j;
            continue;
          }
          break;
        }
      }
      out.text.append(sql, i, j + 1 - i);
      previous = "\"";
      i = j + 1;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      size_t j = i;
      while (j < n && (std::isdigit(static_cast<unsigned char>(sql[j])) || sql[j] == '.')) ++j;
      if (j < n && (sql[j] == 'e' || sql[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (sql[k] == '+' || sql[k] == '-')) ++k;
        if (k < n && std::isdigit(static_cast<unsigned char>(sql[k]))) {
          j = k;
          while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
        }
      }
      // A number running into letters (1abc) is left for the parser to judge.
      if (j < n && IsIdentifierChar(sql[j])) return std::nullopt;
      const std::string number = sql.substr(i, j - i);
      if ((after_comparison() || row_item(j)) &&
          std::count(number.begin(), number.end(), '.') <= 1) {
        out.parameters.push_back({NumberType(number), number});
        out.text += "$" + std::to_string(out.parameters.size());
      } else {
        out.text += number;
      }
      previous = "0";
      i = j;
      continue;
    }
    if (IsIdentifierChar(c)) {
      size_t j = i;
      while (j < n && IsIdentifierChar(sql[j])) ++j;
      // E'...' (escapes), B'...', X'...', U&'...', and typed literals (DATE '...') keep
      // their literal: the word is significant, so the next literal follows no comparison.
      out.text.append(sql, i, j - i);
      if (insert && depth == 0 && j - i == 6) {
        std::string word = sql.substr(i, j - i);
        for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        in_values = in_values || word == "values";
      }
      previous = "w";
      i = j;
      continue;
    }
    // Operators and punctuation: the longest of the two-character comparisons, else one.
    std::string op(1, c);
    if (i + 1 < n) {
      const std::string two = sql.substr(i, 2);
      if (two == "<>" || two == "!=" || two == "<=" || two == ">=" || two == "::" ||
          two == "||" || two == "<<" || two == ">>" || two == "!~" || two == "~*") {
        op = two;
      }
    }
    if (op == "(" && depth++ == 0 && in_values && ++rows > 1) {
      return std::nullopt;  // a multi-row INSERT: the bulk path reads its rows faster
    }
    if (op == ")") --depth;
    out.text += op;
    previous = op;
    i += op.size();
  }
  if (out.parameters.empty()) return std::nullopt;
  return out;
}

}  // namespace server
