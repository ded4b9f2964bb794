// Literal parameters for the simple query protocol: a SELECT, UPDATE, DELETE or INSERT sent
// as text with different values each time (WHERE id = 42, then WHERE id = 43) would be
// parsed by ANTLR (and a SELECT planned) anew for every value. ParameterizeLiterals takes
// the literals that are compared (the operand right after =, <>, !=, <, <=, > or >=, which
// includes an UPDATE's SET col = value) out of the text as $1, $2 ..., so such statements
// share one parse and one plan. Only literals in that position are taken: there a literal
// is always a value, never a position (ORDER BY 1), a count (LIMIT 10), a type's input
// (DATE '...', INTERVAL '...') or an escape string. An INSERT with one VALUES row also has
// the literals that are whole items of that row taken out: each is a column's value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ivm/types.h"

namespace server {

struct LiteralParameter {
  ivm::Type type;    // int4 or int8 (an integer that fits), numeric, or unknown (a string)
  std::string text;  // the literal's value as written (a string without its quotes)
};

struct ParameterizedText {
  std::string text;  // the query with $n in place of each literal taken out
  std::vector<LiteralParameter> parameters;
};

// nullopt unless `sql` is one SELECT, UPDATE, DELETE or INSERT statement with at least
// one literal taken out and no `$` anywhere (parameters or dollar quoting), and unless an
// INSERT has more than one VALUES row (the bulk path reads those faster as written).
std::optional<ParameterizedText> ParameterizeLiterals(const std::string& sql);

}  // namespace server
