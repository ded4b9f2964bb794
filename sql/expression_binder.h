// ExpressionBinder: binds AST expressions against a scope of input columns, applying
// PostgreSQL's type rules (integer widening, numeric and float promotion, unknown-typed
// literals taking the type of the other operand). Internal to the binder.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/aggregate.h"
#include "sql/ast.h"

namespace sql {

struct ScopeColumn {
  std::string qualifier;  // the table name or alias
  std::string name;
  ivm::Type type;
  // 0 for the query's own columns; 1 for an enclosing query's (a correlated subquery).
  // A name resolves at the lowest level that has it.
  int level = 0;
  // A column a JOIN ... USING merged away: reachable only qualified, not part of *.
  bool qualified_only = false;
};

using Scope = std::vector<ScopeColumn>;

// Collects a query's aggregates while its SELECT list and HAVING are bound. After
// aggregation a row is the group keys followed by the aggregates.
struct AggregateScope {
  std::vector<ivm::ExprPtr> group_keys;
  std::vector<ivm::AggregateSpec> aggregates;
  std::vector<std::string> aggregate_texts;  // for de-duplication
};

// Binds what the expression binder cannot bind alone (subqueries, window functions — the
// query binder plans those): returns null to let the expression binder go on.
using ExprHook = std::function<ivm::ExprPtr(const AstExpr&)>;

class ExpressionBinder {
 public:
  // `clause` names where the expression stands ("WHERE"), for error messages.
  ExpressionBinder(const Scope& scope, const char* clause) : scope_(scope), clause_(clause) {}

  void set_hook(ExprHook hook) { hook_ = std::move(hook); }
  // Lets set-returning functions (generate_series, unnest ...) be called: in a select list
  // or a FROM item. Their calls are typed by one row's value (an element, or a record);
  // the query binder moves them into an Unnest plan node (see ExtractSetReturning).
  void set_allow_set_returning(bool allow) { allow_set_returning_ = allow; }

  // Binds an expression over the scope's row.
  ivm::ExprPtr Bind(const AstExpr& expr);
  // Binds an expression over the aggregate's output row; aggregates are added to `agg`.
  ivm::ExprPtr BindAggregated(const AstExpr& expr, AggregateScope* agg);
  // Binds a predicate (WHERE, ON, HAVING): must be boolean.
  ivm::ExprPtr BindPredicate(const AstExpr& expr, AggregateScope* agg = nullptr);

 private:
  ivm::ExprPtr BindNode(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindColumn(const AstExpr& expr);
  ivm::ExprPtr BindLiteral(const AstExpr& expr);
  ivm::ExprPtr BindFunction(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindAggregateCall(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindBinary(const AstExpr& expr, AggregateScope* agg);
  // sql/function_binder.cc: calls of registered functions, and the conditional forms.
  ivm::ExprPtr BindChild(const AstExprPtr& expr, AggregateScope* agg);
  ivm::ExprPtr BindScalarCall(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindConditional(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindCase(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindLike(const AstExpr& expr, AggregateScope* agg);
  ivm::ExprPtr BindIsDistinctFrom(const AstExpr& expr, AggregateScope* agg);

  const Scope& scope_;
  const char* clause_;
  ExprHook hook_;
  bool allow_set_returning_ = false;
};

bool IsAggregateName(const std::string& name);
bool ContainsAggregate(const AstExpr& expr);
bool ContainsWindowFunction(const AstExpr& expr);
// Casts `expr` to boolean if it is an unknown literal; throws 42804 unless boolean.
ivm::ExprPtr RequireBoolean(ivm::ExprPtr expr, const std::string& what);
// The common type of two operands (PostgreSQL's resolution), or throws 42883/42804.
ivm::Type CommonType(const ivm::Type& a, const ivm::Type& b, const std::string& op);
// PostgreSQL's select_common_type for CASE, COALESCE, GREATEST, LEAST ...: casts every
// expression to the common type and returns it; throws 42804 "<construct> types integer and
// text cannot be matched".
ivm::Type SelectCommonType(std::vector<ivm::ExprPtr>* exprs, const std::string& construct);
// Resolves `name` over `args` in the function registry (operators when `is_operator`),
// casts the arguments to the chosen parameter types and folds constant calls. Throws
// 42883 (no such function/operator) or 42725 (ambiguous) in PostgreSQL's words.
// `clause`: where a set-returning function stands; null when one is allowed there.
ivm::ExprPtr BindRegisteredCall(const std::string& name, std::vector<ivm::ExprPtr> args,
                                bool is_operator, const char* set_returning_refused = "");
// True for a call of a set-returning function (its type is one row's value).
bool IsSetReturningCall(const ivm::ExprPtr& expr);
// Replaces the set-returning calls in `expr` by columns numbered from `first_column` on,
// appending the calls (one per distinct call) to `calls`. Throws 0A000 for a call nested
// in another's arguments.
ivm::ExprPtr ExtractSetReturning(const ivm::ExprPtr& expr, int first_column,
                                 std::vector<ivm::ExprPtr>* calls);
// INTERVAL 'text' [unit] as a constant.
ivm::ExprPtr BindIntervalLiteral(const AstExpr& expr);
// Gives an unknown-typed expression (string literal, NULL) the type text.
ivm::ExprPtr ResolveUnknown(ivm::ExprPtr expr);
// Flattens a predicate into its AND-ed conjuncts.
void SplitConjuncts(const ivm::ExprPtr& expr, std::vector<ivm::ExprPtr>* out);
// Every input column an expression reads.
void CollectColumns(const ivm::ExprPtr& expr, std::vector<int>* out);

}  // namespace sql
