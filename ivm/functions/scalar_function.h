// ScalarFunction: one overload of a SQL function or operator, as PostgreSQL's pg_proc and
// pg_operator hold them: fixed parameter types, a result type, a row-at-a-time body.
// Operators on non-numeric types (date + integer, timestamp - interval) use their symbol.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ivm/value.h"

namespace ivm {

// Computes the result from already-evaluated arguments. Throws ivm::Error.
using ScalarBody = Value (*)(std::span<const Value> args);

struct ScalarFunction {
  std::string name;
  std::vector<TypeId> params;
  TypeId result = TypeId::kUnknown;
  ScalarBody body = nullptr;
  // A NULL argument gives NULL without calling the body (PostgreSQL's STRICT).
  bool strict = true;
  // now(), random(): the same arguments may give different results.
  bool deterministic = true;
  // concat(...), concat_ws(sep, ...): any number of arguments of any type after `params`.
  bool variadic_any = false;
  // generate_series, unnest: the body returns an array whose elements are the rows; the
  // binder plans the call as a FROM item or unnests it in the select list.
  bool set_returning = false;
  // A set-returning function whose rows are records: their fields, given the element type
  // of the first array argument (kUnknown when there is none).
  const std::vector<RecordField>* (*record_fields)(TypeId element) = nullptr;
};

}  // namespace ivm
