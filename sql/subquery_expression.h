// Subqueries used as values in one-shot queries: scalar subqueries, ARRAY(subquery) and
// EXISTS, correlated or not, become ivm::ExprKind::kSubquery expressions that the executor
// runs per distinct outer values (ivm/subquery.h). Materialized views never use them: they
// plan subqueries as joins, which are maintained incrementally.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ivm/subquery.h"
#include "sql/ast.h"
#include "sql/expression_binder.h"
#include "sql/logical_plan.h"

namespace sql {

// The bound query behind a kSubquery expression.
struct SubqueryQuery final : ivm::SubqueryPlan {
  BoundQuery query;
  std::string text;
  std::string Describe() const override { return text; }
};

// The enclosing query's columns while a subquery is bound. A name the subquery does not
// define resolves here and becomes one of the subquery's outer values (kOuterColumn);
// `captured()` lists the expressions over the enclosing row that supply them. Scopes nest
// for subqueries within subqueries. Installs itself for the calling thread while it lives.
class OuterScope {
 public:
  explicit OuterScope(const Scope& scope);
  ~OuterScope();
  OuterScope(const OuterScope&) = delete;
  OuterScope& operator=(const OuterScope&) = delete;

  // The outer reference for `column_ref`, or null when no enclosing query has that name.
  ivm::ExprPtr Resolve(const AstExpr& column_ref);
  const std::vector<ivm::ExprPtr>& captured() const { return captured_; }

  static OuterScope* Current();

 private:
  const Scope& scope_;
  OuterScope* parent_;
  std::vector<ivm::ExprPtr> captured_;
  std::vector<std::string> captured_text_;
};

// How the expression binder binds a subquery used as a value, while a one-shot query is
// being bound (installed for the calling thread by its QueryBinder). `scope`: the columns
// of the row the expression is evaluated over.
class SubqueryExpressions {
 public:
  using BindFn = std::function<ivm::ExprPtr(const AstExpr& subquery, const Scope& scope)>;
  explicit SubqueryExpressions(BindFn bind);
  ~SubqueryExpressions();
  SubqueryExpressions(const SubqueryExpressions&) = delete;
  SubqueryExpressions& operator=(const SubqueryExpressions&) = delete;

  ivm::ExprPtr Bind(const AstExpr& subquery, const Scope& scope) const {
    return bind_(subquery, scope);
  }
  static const SubqueryExpressions* Current();

 private:
  BindFn bind_;
  const SubqueryExpressions* outer_;
};

}  // namespace sql
