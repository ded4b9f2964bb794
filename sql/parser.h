// Parser: SQL text -> AST, through the ANTLR grammar (sql/grammar/TributarySql.g4).
// Parses with SLL prediction first and retries in full LL only when that fails.
#pragma once

#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace sql {

// Parses every statement of `sql` (separated by ';'). A blank script gives no statements.
// Throws ivm::Error 42601 for a syntax error anywhere; nothing is returned in that case,
// as PostgreSQL parses a whole query string before running any of it, and 22021 for text
// that is not well-formed UTF-8.
// Parentheses nested deeper than kMaxParenthesisDepth are 54001 (stack depth limit
// exceeded), as are expressions nested deeper than the stack allows (ivm::CheckStackDepth).
inline constexpr size_t kMaxParenthesisDepth = 1000;
std::vector<ParsedStatement> ParseScript(std::string_view sql);

}  // namespace sql
