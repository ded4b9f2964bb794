// Key values pinned by a predicate. For `WHERE k1 = 10 AND k2 = $1 AND ...` the rows that
// can pass are those whose key columns hold exactly these values, so a statement can fetch
// them by key instead of scanning the relation. The predicate is still applied to what is
// fetched: narrowing only has to keep every row the predicate accepts.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "ivm/expression.h"
#include "ivm/types.h"
#include "ivm/value.h"

namespace sql {

// The value of `expr` when it does not depend on the row: a constant, a parameter whose
// value is known (a prepared statement bound for execution), or a cast of one of these.
std::optional<ivm::Value> KnownValue(const ivm::ExprPtr& expr);

// For each conjunct `column = known value` of `predicate`, that value converted to the
// column's type: only where the conversion keeps equality (both sides of one type family,
// in range), so that a row equal to the value has the converted value's key bytes. A NULL
// value means no row can pass. Columns of type interval are never pinned (equal intervals
// can differ in their parts).
std::map<int, ivm::Value> PinnedColumns(const ivm::ExprPtr& predicate,
                                        const std::vector<ivm::Type>& column_types);

// The bounds `predicate` puts on `column` by comparisons with known values (`column >= v`,
// `v > column`, BETWEEN ...): the greatest lower and the least upper bound, both taken as
// inclusive (the predicate still decides the strict ones). Only where a column's key bytes
// sort as its values do and the value is of the column's family: exact numbers (which share
// one key encoding), text and varchar, date, timestamp. `empty` when a bound is NULL (no row
// can pass).
struct ColumnRange {
  std::optional<ivm::Value> low, high;
  bool empty = false;
};
ColumnRange RangeOf(const ivm::ExprPtr& predicate, int column, const ivm::Type& type);

}  // namespace sql
