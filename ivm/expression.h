// Expr: a bound, typed scalar expression evaluated against a row. The binder (sql/)
// builds them with operands already coerced to a common type, so evaluation only
// dispatches on the operator and the operands' shared type.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ivm/value.h"

namespace ivm {

enum class ExprKind {
  kColumn,     // input column `column`
  kConstant,   // `constant`
  kCast,       // args[0] converted to `type`
  kNegate,     // -args[0]
  kNot,        // NOT args[0]
  kIsNull,     // args[0] IS NULL
  kIsNotNull,  // args[0] IS NOT NULL
  kArith,      // args[0] `arith` args[1]
  kCompare,    // args[0] `compare` args[1]
  kAnd,        // args[0] AND args[1] AND ... (three-valued)
  kOr,         // args[0] OR args[1] OR ...
  kConcat,     // args[0] || args[1] (text)
};

enum class ArithOp { kAdd, kSub, kMul, kDiv, kMod };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  Type type;
  int column = -1;
  Value constant;
  ArithOp arith = ArithOp::kAdd;
  CompareOp compare = CompareOp::kEq;
  std::vector<ExprPtr> args;

  // Evaluates against `row`. Throws ivm::Error (22012, 22003, ...).
  Value Eval(const Row& row) const;
  // Readable form for EXPLAIN: "(#0 + 1)".
  std::string ToString() const;
};

ExprPtr MakeColumn(int column, Type type);
ExprPtr MakeConstant(Value value, Type type);
ExprPtr MakeCast(ExprPtr arg, Type type);
ExprPtr MakeUnary(ExprKind kind, ExprPtr arg, Type type);
ExprPtr MakeArith(ArithOp op, ExprPtr left, ExprPtr right, Type type);
ExprPtr MakeCompare(CompareOp op, ExprPtr left, ExprPtr right);
ExprPtr MakeLogical(ExprKind kind, std::vector<ExprPtr> args);
ExprPtr MakeConcat(ExprPtr left, ExprPtr right);

// True when `v` is boolean true (a WHERE/ON/HAVING predicate passes only then).
inline bool IsTrue(const Value& v) { return !v.is_null() && v.bool_value(); }

// The same expression with every column index i replaced by map[i].
ExprPtr RemapColumns(const ExprPtr& expr, const std::vector<int>& map);

}  // namespace ivm
