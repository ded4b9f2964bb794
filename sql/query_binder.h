// QueryBinder: binds a query (SELECT, set operations, WITH) into a logical plan. Internal
// to sql/; Binder::BindQuery and Binder::BindViewQuery are the public entry points.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sql/ast.h"
#include "sql/catalog.h"
#include "sql/expression_binder.h"
#include "sql/logical_plan.h"

namespace sql {

struct BoundFrom {
  PlanPtr plan;
  Scope scope;
};

// Plan-building helpers shared by the binder's files.
PlanPtr MakeNode(PlanNode::Kind kind, std::vector<ivm::Type> types, std::vector<PlanPtr> children);
PlanPtr MakeFilter(PlanPtr input, const std::vector<ivm::ExprPtr>& conjuncts);
PlanPtr MakeProject(PlanPtr input, std::vector<ivm::ExprPtr> exprs);
// Appends the rows of set-returning `calls` (over `input`'s row) to each row; `expand_records`
// spreads a record's fields over columns.
PlanPtr MakeUnnest(PlanPtr input, std::vector<ivm::ExprPtr> calls, bool expand_records);
// Inner join of `left` and `right` (a combined row: left columns, then right), taking from
// `conjuncts` what reads only these columns: equi-join keys, one-side filters pushed below
// (only into sides listed in `push_into`: 1 left, 2 right), and residual filters.
PlanPtr JoinWithConjuncts(PlanPtr left, PlanPtr right, std::vector<ivm::ExprPtr>* conjuncts,
                          int push_into = 3);

// Window function results stand as columns numbered from here until their nodes are
// placed (after grouping); see QueryBinder::BindWindowFunction.
inline constexpr int kWindowPlaceholder = 1 << 24;
// Puts each window node of `windows` over `plan` in turn, and replaces the placeholder
// columns in `exprs` by the columns the nodes append.
PlanPtr ApplyWindows(PlanPtr plan, const std::vector<PlanPtr>& windows,
                     std::vector<ivm::ExprPtr>* exprs);

class QueryBinder {
 public:
  // `for_view`: the result is maintained (LIMIT becomes a top-N operator, ORDER BY alone
  // is dropped). `outer`: the scope of an enclosing query, for correlated subqueries.
  // `one_shot`: the query runs once (not a view); subqueries used as values may then be
  // correlated, run per row (sql/subquery_expression.h).
  QueryBinder(const Catalog& catalog, bool for_view, bool one_shot = false)
      : catalog_(catalog), for_view_(for_view), one_shot_(one_shot) {}

  BoundQuery Bind(const AstQuery& query);

 private:
  struct Body {
    PlanPtr plan;
    std::vector<std::string> names;
    std::vector<ivm::Type> types;
  };

  Body BindBody(const AstQueryBody& body);
  BoundQuery BindSelect(const AstSelect& select, const AstQuery* query);
  // ORDER BY over a set operation's output columns, then LIMIT/OFFSET.
  BoundQuery Finish(Body body, const AstQuery& query);
  // Adds top-N for a maintained LIMIT and strips hidden sort columns.
  void ApplyLimit(BoundQuery* result);

  BoundFrom BindFromItem(const AstFromItem& item);
  // A view (CREATE VIEW): its stored query, bound in place like a FROM subquery.
  BoundFrom BindView(const RelationInfo& view, const std::string& alias);
  BoundFrom BindJoin(const AstFromItem& item);
  // TUMBLE(table, time column, size) and HOP(table, time column, slide, size).
  BoundFrom BindTableFunction(const AstFromItem& item);
  // Binds the FROM list and the WHERE conjuncts together (comma joins get keys). Scalar
  // subqueries in WHERE join the plan as extra columns after the FROM columns.
  BoundFrom BindFrom(const std::vector<AstFromItemPtr>& from,
                     const std::vector<const AstExpr*>& where);

  // Subqueries (subquery_binder.cc).
  // A scalar subquery's plan: exactly one row (SingleRowOperator). Sets *type.
  PlanPtr BindScalarSubquery(const AstQuery& query, ivm::Type* type);
  // Filters `plan` by an EXISTS / NOT EXISTS / IN / NOT IN (subquery) condition.
  PlanPtr BindSubqueryCondition(PlanPtr plan, const Scope& scope, const AstExpr& condition);
  // A semi-join of `plan` with the subquery of `e` (kExists or kInSubquery) under `kind`;
  // the mark kinds append the condition's value as a boolean column.
  PlanPtr BindSemiJoin(PlanPtr plan, const Scope& scope, const AstExpr& e, ivm::SemiJoinKind kind);
  // EXISTS (...) or x [NOT] IN (...) used as a value: appends the mark to `*plan` and
  // returns the expression reading it.
  ivm::ExprPtr BindSubqueryValue(const AstExpr& e, const Scope& scope, PlanPtr* plan);
  // A window function call (sql/window_binder.cc): its plan node, with `bind` binding its
  // arguments, PARTITION BY and ORDER BY over the rows it runs on (after grouping, when the
  // query groups). The node is appended to `*windows`, its input left to the caller; the
  // result is a placeholder column (kWindowPlaceholder + its index) until the caller
  // applies the nodes and replaces the placeholders (ResolveWindowPlaceholders).
  ivm::ExprPtr BindWindowFunction(const AstExpr& call,
                                  const std::function<ivm::ExprPtr(const AstExpr&)>& bind,
                                  std::vector<PlanPtr>* windows);
  const AstCte* FindCte(const std::string& name) const;
  // A binder for a query nested in this one: the same WITH names and mode.
  QueryBinder Nested(bool for_view = true) const;
  // One-shot queries: a subquery used as a value (scalar, ARRAY, EXISTS), with `scope` the
  // columns of the row it is evaluated over.
  ivm::ExprPtr BindSubqueryExpression(const AstExpr& e, const Scope& scope);
  // A FROM item calling a function: a set-returning one (generate_series, unnest ...) or a
  // scalar one (one row). `lateral`: the columns of the FROM items before it, which its
  // arguments may read; then *lateral_call is set and the item's plan is left null.
  BoundFrom BindFunctionItem(const AstFromItem& item, const Scope& lateral,
                             ivm::ExprPtr* lateral_call);

  const Catalog& catalog_;
  bool for_view_;
  bool one_shot_ = false;
  // The views expanded so far, shared by every binder of one statement.
  std::shared_ptr<std::vector<uint64_t>> views_ = std::make_shared<std::vector<uint64_t>>();
  std::map<std::string, const AstCte*> ctes_;
};

}  // namespace sql
