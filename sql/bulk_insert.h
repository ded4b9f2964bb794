// Bulk INSERT ... VALUES without ANTLR for its rows. Bulk loads (client libraries'
// multi-row inserts, pg_dump --inserts, generated scripts) send one INSERT with thousands
// of rows of plain literals; through ANTLR each row costs about 13 µs and 12 KB of parse
// tree. ReadBulkInsert reads such rows straight into the AST that the ANTLR path builds;
// sql::ParseScript parses the statement's head and first row with ANTLR as usual, checks
// that the first row came out the same both ways, and adds the other rows.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace sql {

// Scripts shorter than this are parsed by ANTLR alone (and cached by the server).
inline constexpr size_t kMinBulkInsertBytes = 4096;

struct BulkInsertRows {
  size_t statement_begin = 0;  // where INSERT starts
  size_t first_row_end = 0;    // just past the first row's ')'
  size_t statement_end = 0;    // just past the last row's ')'
  std::vector<std::vector<AstExprPtr>> rows;
};

// The rows of `sql` when it is one INSERT ... VALUES statement (optionally ending in ';')
// whose rows hold only literals: numbers, optionally signed, standard strings ('it''s'),
// NULL, TRUE and FALSE. nullopt for anything else (comments, expressions, E'' strings,
// more statements ...), and for text ANTLR would reject: the caller then parses it all.
// Reads only the rows; whether the head (INSERT INTO name (columns) VALUES) is valid is
// for ANTLR to say.
std::optional<BulkInsertRows> ReadBulkInsert(std::string_view sql);

// Whether two expressions are the same tree (kind, literal kind, text, operator, operands).
// For the literal expressions ReadBulkInsert makes.
bool SameLiteralExpr(const AstExpr& a, const AstExpr& b);

}  // namespace sql
