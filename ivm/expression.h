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
  kColumn,             // input column `column`
  kConstant,           // `constant`
  kCast,               // args[0] converted to `type`
  kNegate,             // -args[0]
  kNot,                // NOT args[0]
  kIsNull,             // args[0] IS NULL
  kIsNotNull,          // args[0] IS NOT NULL
  kArith,              // args[0] `arith` args[1]
  kCompare,            // args[0] `compare` args[1]
  kAnd,                // args[0] AND args[1] AND ... (three-valued)
  kOr,                 // args[0] OR args[1] OR ...
  kConcat,             // args[0] || args[1] (text)
  kCall,               // function(args...): a registered scalar function (ivm/functions/)
  kCase,               // CASE WHEN args[0] THEN args[1] ... ELSE args.back() END (odd arg count)
  kCoalesce,           // the first non-NULL of args
  kNullIf,             // NULLIF(args[0], args[1]): NULL when equal, else args[0]
  kGreatest,           // the largest non-NULL of args (NULL when all are NULL)
  kLeast,              // the smallest non-NULL of args
  kLike,               // args[0] LIKE args[1] [ESCAPE args[2]]; `ilike` for ILIKE
  kIsDistinctFrom,     // args[0] IS DISTINCT FROM args[1] (NULLs compare as values)
  kIsNotDistinctFrom,  // args[0] IS NOT DISTINCT FROM args[1]
  kParameter,          // statement parameter $(column + 1), from the thread's ParameterValues
  kArrayConstruct,     // ARRAY[args...]
  kSubscript,          // args[0][args[1]]: NULL outside the array's bounds
  kQuantified,         // args[0] `compare` ANY (args[1]), or ALL when `all`
  kFieldSelect,        // field `column` of the record args[0]
  kSubquery,           // `subquery` run with args as its outer values (ivm/subquery.h)
  kOuterColumn,        // outer value `column` of the subquery run in progress
};

enum class ArithOp { kAdd, kSub, kMul, kDiv, kMod };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct ScalarFunction;
struct Expr;
class SubqueryPlan;
enum class SubqueryMode;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  Type type;
  int column = -1;
  Value constant;
  ArithOp arith = ArithOp::kAdd;
  CompareOp compare = CompareOp::kEq;
  const ScalarFunction* function = nullptr;  // kCall; points into the static registry
  bool ilike = false;                        // kLike: case-insensitive (ASCII)
  bool all = false;                          // kQuantified: ALL rather than ANY
  std::vector<ExprPtr> args;
  std::shared_ptr<const SubqueryPlan> subquery;  // kSubquery
  SubqueryMode subquery_mode{};                  // kSubquery

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
// REQUIRES: args already cast to function.params (or any type when variadic_any).
ExprPtr MakeCall(const ScalarFunction& function, std::vector<ExprPtr> args, Type type);
// kCase, kCoalesce, kNullIf, kGreatest, kLeast, kIsDistinctFrom, kIsNotDistinctFrom:
// REQUIRES: operands share one type (the binder casts them).
ExprPtr MakeVariadic(ExprKind kind, std::vector<ExprPtr> args, Type type);
ExprPtr MakeLike(ExprPtr text, ExprPtr pattern, ExprPtr escape, bool ilike);
// REQUIRES: the elements share type.element (the binder casts them).
ExprPtr MakeArrayConstruct(std::vector<ExprPtr> elements, Type type);
// REQUIRES: array is an array, index an integer.
ExprPtr MakeSubscript(ExprPtr array, ExprPtr index);
// REQUIRES: value has the array's element type.
ExprPtr MakeQuantified(CompareOp op, bool all, ExprPtr value, ExprPtr array);
ExprPtr MakeFieldSelect(ExprPtr record, int field, Type type);

// A statement parameter ($n is index n - 1). Inside a ParameterTyping scope, an
// unknown-typed parameter takes the type of its first context (MakeCast to that type), as
// PostgreSQL infers parameter types; later occurrences then have that type.
ExprPtr MakeParameter(int index);

// The types of a statement's parameters while it is bound: given ones (the client declared
// them) and those inferred so far. Installs itself for the calling thread; parameters are
// refused (42P02) when no scope is active, so view definitions cannot contain them.
class ParameterTyping {
 public:
  explicit ParameterTyping(std::vector<Type> declared);
  ~ParameterTyping();
  ParameterTyping(const ParameterTyping&) = delete;
  ParameterTyping& operator=(const ParameterTyping&) = delete;

  // Every parameter's type; text for one no context typed (as PostgreSQL's unknown
  // parameters used as text).
  std::vector<Type> Resolved() const;

  static ParameterTyping* Current();
  std::vector<Type>& types() { return types_; }

 private:
  std::vector<Type> types_;  // kUnknown: not typed yet
  ParameterTyping* outer_;
};

// The values of $1..$n for the statement executing on the calling thread, each already
// of its parameter's type. REQUIRES: `values` outlives the scope.
class ParameterValues {
 public:
  explicit ParameterValues(const std::vector<Value>* values);
  ~ParameterValues();
  ParameterValues(const ParameterValues&) = delete;
  ParameterValues& operator=(const ParameterValues&) = delete;

  static const std::vector<Value>* Current();

 private:
  const std::vector<Value>* outer_;
};

// False when the expression calls a volatile function (now(), random(), ...): a view's
// contents would then depend on when a row was processed, so views refuse them.
bool IsDeterministic(const ExprPtr& expr);

// True when `v` is boolean true (a WHERE/ON/HAVING predicate passes only then).
inline bool IsTrue(const Value& v) { return !v.is_null() && v.bool_value(); }

// The same expression with every column index i replaced by map[i].
ExprPtr RemapColumns(const ExprPtr& expr, const std::vector<int>& map);

}  // namespace ivm
