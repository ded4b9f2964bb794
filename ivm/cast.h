// Conversions between SQL types with PostgreSQL's rules and errors: range checks (22003),
// text parsing (22P02, 22007), numeric(p,s) and varchar(n) enforcement.
#pragma once

#include <string_view>

#include "ivm/value.h"

namespace ivm {

enum class CastKind {
  kExplicit,    // CAST(x AS t), x::t: varchar(n) truncates
  kAssignment,  // INSERT/UPDATE into a column: varchar(n) too long is an error (22001)
};

// Converts `value` to `target`. NULL stays NULL (retyped). Throws ivm::Error.
Value CastValue(const Value& value, const Type& target, CastKind kind = CastKind::kExplicit);

// Whether a cast from `from` to `to` exists at all (binder check; 42846 otherwise).
bool CastExists(TypeId from, TypeId to);

// Parses PostgreSQL text input for `target` (integers, booleans, numerics, dates, ...).
Value ParseText(std::string_view text, const Type& target);

// Checks that an integer fits `type` (smallint, integer, bigint); throws 22003.
int64_t CheckIntegerRange(__int128 v, TypeId type);
bool CheckIntegerRangeNoThrow(__int128 v, TypeId type);

}  // namespace ivm
