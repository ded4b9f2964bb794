// SQL text quoting as PostgreSQL's quote_ident and quote_literal do it; shared by those
// functions and by what prints names (regclass output, pg_get_indexdef).
#pragma once

#include <string>

namespace ivm {

// Unchanged when `name` is a plain lower-case identifier and not a reserved key word;
// otherwise in double quotes, with embedded quotes doubled.
std::string QuoteIdentifier(const std::string& name);
// '...' with quotes doubled; E'...' (backslashes doubled too) when it holds a backslash.
std::string QuoteLiteral(const std::string& text);

}  // namespace ivm
