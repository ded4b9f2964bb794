// The registry of scalar functions and non-numeric operators, and PostgreSQL's overload
// resolution over it (parse_func.c's func_select_candidate, with PostgreSQL's implicit
// casts, type categories and preferred types).
#pragma once

#include <string_view>
#include <vector>

#include "ivm/functions/scalar_function.h"

namespace ivm {

// Every registered overload. The vector lives for the whole process and never changes, so
// Expr can point into it.
const std::vector<ScalarFunction>& ScalarFunctions();

bool FunctionNameExists(std::string_view name);

struct FunctionMatch {
  const ScalarFunction* function = nullptr;  // null: none (or ambiguous)
  bool ambiguous = false;                    // several candidates, none best (42725)
};

// Picks the overload of `name` for arguments of types `args` (kUnknown for untyped
// literals). `is_operator` applies the operator rule that an unknown operand is first
// assumed to have the other operand's type.
FunctionMatch ResolveFunction(std::string_view name, const std::vector<TypeId>& args,
                              bool is_operator = false);

// PostgreSQL's type categories (numeric, string, datetime, ...) and preferred types
// (double precision, text, timestamptz, interval, boolean).
bool SameTypeCategory(TypeId a, TypeId b);
bool IsPreferredType(TypeId id);

// PostgreSQL's implicit casts (pg_cast castcontext 'i'), plus unknown to anything.
bool CanCoerceImplicitly(TypeId from, TypeId to);

}  // namespace ivm
