// Binding of subqueries: EXISTS / IN conditions become semi- and anti-joins (decorrelated
// on equality conditions), scalar subqueries a single-row input joined to every row (in
// views) or expressions run per row (in one-shot queries).
#include "ivm/error.h"
#include "ivm/functions/function_registry.h"
#include "sql/query_binder.h"
#include "sql/subquery_expression.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
namespace sqlstate = ivm::sqlstate;

namespace {

void SplitAst(const AstExpr* e, std::vector<const AstExpr*>* out) {
  if (e->kind == AstExpr::Kind::kBinary && e->op == "AND") {
    SplitAst(e->args[0].get(), out);
    SplitAst(e->args[1].get(), out);
  } else {
    out->push_back(e);
  }
}

// Whether `e` calls a set-returning function (generate_series, unnest ...).
bool CallsSetReturning(const AstExpr& e) {
  if (e.kind == AstExpr::Kind::kFunction) {
    for (const ivm::ScalarFunction& f : ivm::ScalarFunctions()) {
      if (f.set_returning && f.name == e.name) return true;
    }
  }
  for (const AstExprPtr& a : e.args) {
    if (a && CallsSetReturning(*a)) return true;
  }
  return false;
}

// A subquery we can decorrelate: SELECT ... FROM ... [WHERE ...], nothing else.
bool IsSimple(const AstQuery& q) {
  if (!q.ctes.empty() || q.body.kind != AstQueryBody::Kind::kSelect || q.limit || q.offset) {
    return false;
  }
  const AstSelect& s = q.body.select;
  if (!s.group_by.empty() || s.having) return false;
  for (const AstSelectItem& item : s.items) {
    if (item.expr && (ContainsAggregate(*item.expr) || CallsSetReturning(*item.expr))) {
      return false;
    }
  }
  return true;
}

}  // namespace

PlanPtr QueryBinder::BindScalarSubquery(const AstQuery& query, Type* type) {
  QueryBinder sub = Nested();
  BoundQuery q;
  try {
    q = sub.Bind(query);
  } catch (const Error& e) {
    if (e.sqlstate() == sqlstate::kUndefinedColumn || e.sqlstate() == sqlstate::kUndefinedTable) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "correlated scalar subqueries are not supported yet (" + e.message() + ")");
    }
    throw;
  }
  if (q.column_types.size() != 1) {
    throw Error(sqlstate::kSyntaxError, "subquery must return only one column");
  }
  *type = q.column_types[0];
  return MakeNode(PlanNode::Kind::kSingleRow, q.column_types, {q.plan});
}

ExprPtr QueryBinder::BindSubqueryExpression(const AstExpr& e, const Scope& scope) {
  OuterScope outer(scope);
  auto plan = std::make_shared<SubqueryQuery>();
  plan->query = Nested(/*for_view=*/false).Bind(*e.subquery);
  plan->text = e.subquery->text;
  const std::vector<Type>& types = plan->query.column_types;
  if (e.kind == AstExpr::Kind::kExists) {
    return ivm::MakeSubquery(plan, ivm::SubqueryMode::kExists, outer.captured(),
                             Type::Of(ivm::TypeId::kBool));
  }
  if (types.size() != 1) {
    throw Error(sqlstate::kSyntaxError, "subquery must return only one column");
  }
  if (e.kind == AstExpr::Kind::kSubquery) {
    return ivm::MakeSubquery(plan, ivm::SubqueryMode::kScalar, outer.captured(), types[0]);
  }
  if (types[0].id == ivm::TypeId::kArray || types[0].id == ivm::TypeId::kRecord) {
    throw Error(sqlstate::kFeatureNotSupported,
                "ARRAY(subquery) of arrays or records is not supported yet");
  }
  return ivm::MakeSubquery(plan, ivm::SubqueryMode::kArray, outer.captured(),
                           Type::Array(types[0].id == ivm::TypeId::kUnknown ? ivm::TypeId::kText
                                                                            : types[0].id));
}

PlanPtr QueryBinder::BindSubqueryCondition(PlanPtr plan, const Scope& scope,
                                           const AstExpr& condition) {
  const AstExpr* e = &condition;
  bool negated = false;
  if (e->kind == AstExpr::Kind::kUnary && e->op == "NOT") {
    negated = true;
    e = e->args[0].get();
  }
  bool in = e->kind == AstExpr::Kind::kInSubquery;
  if (in && e->negated) negated = !negated;
  ivm::SemiJoinKind kind = !negated ? ivm::SemiJoinKind::kSemi
                           : in     ? ivm::SemiJoinKind::kNotIn
                                    : ivm::SemiJoinKind::kAnti;
  return BindSemiJoin(plan, scope, *e, kind);
}

ExprPtr QueryBinder::BindSubqueryValue(const AstExpr& e, const Scope& scope, PlanPtr* plan) {
  bool in = e.kind == AstExpr::Kind::kInSubquery;
  int column = static_cast<int>((*plan)->output_types.size());
  *plan = BindSemiJoin(*plan, scope, e,
                       in ? ivm::SemiJoinKind::kMarkIn : ivm::SemiJoinKind::kMarkExists);
  ExprPtr mark = ivm::MakeColumn(column, Type::Of(ivm::TypeId::kBool));
  if (in && e.negated)
    mark = ivm::MakeUnary(ivm::ExprKind::kNot, mark, Type::Of(ivm::TypeId::kBool));
  return mark;
}

PlanPtr QueryBinder::BindSemiJoin(PlanPtr plan, const Scope& scope, const AstExpr& expr,
                                  ivm::SemiJoinKind kind) {
  const AstExpr* e = &expr;
  bool in = e->kind == AstExpr::Kind::kInSubquery;
  const AstQuery& sub = *e->subquery;
  std::vector<ExprPtr> outer_keys, inner_keys;
  PlanPtr inner;

  auto add_in_pair = [&](ExprPtr lhs, ExprPtr item) {
    Type common = CommonType(lhs->type, item->type, "=");
    outer_keys.push_back(ivm::MakeCast(lhs, common));
    inner_keys.push_back(ivm::MakeCast(item, common));
  };

  if (IsSimple(sub)) {
    // Bind the subquery's FROM alone, then its WHERE over its own columns followed by the
    // outer query's (level 1): conditions linking the two become keys.
    QueryBinder sub_binder = Nested();
    BoundFrom f = sub_binder.BindFrom(sub.body.select.from, {});
    int n = static_cast<int>(f.scope.size());
    Scope combined = f.scope;
    for (ScopeColumn c : scope) {
      c.level = 1;
      combined.push_back(c);
    }
    std::vector<int> to_outer(combined.size(), 0);
    for (size_t i = n; i < combined.size(); ++i) to_outer[i] = static_cast<int>(i) - n;
    auto side_of = [&](const ExprPtr& x) {
      std::vector<int> cols;
      CollectColumns(x, &cols);
      int side = 0;
      for (int c : cols) side |= c < n ? 1 : 2;
      return side;
    };
    std::vector<ExprPtr> inner_filters, residual;
    bool correlated = false;
    if (sub.body.select.where) {
      std::vector<ExprPtr> conjuncts;
      SplitConjuncts(ExpressionBinder(combined, "WHERE").BindPredicate(*sub.body.select.where),
                     &conjuncts);
      for (const ExprPtr& c : conjuncts) {
        int side = side_of(c);
        if (side <= 1) {
          inner_filters.push_back(c);
          continue;
        }
        if (c->kind == ivm::ExprKind::kCompare && c->compare == ivm::CompareOp::kEq) {
          int a = side_of(c->args[0]), b = side_of(c->args[1]);
          if ((a == 1 && b == 2) || (a == 2 && b == 1)) {
            const ExprPtr& inner_side = a == 1 ? c->args[0] : c->args[1];
            const ExprPtr& outer_side = a == 1 ? c->args[1] : c->args[0];
            outer_keys.push_back(ivm::RemapColumns(outer_side, to_outer));
            inner_keys.push_back(inner_side);
            correlated = true;
            continue;
          }
        }
        residual.push_back(c);  // any other condition on both: checked per matching pair
      }
    }
    if (!residual.empty()) {
      if (kind != ivm::SemiJoinKind::kSemi && kind != ivm::SemiJoinKind::kAnti) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "a correlated subquery condition other than equality is supported only in "
                    "WHERE [NOT] EXISTS");
      }
      // Join the outer rows with the subquery's rows on the equalities, keep the pairs that
      // pass the other conditions, and keep the outer rows that have (or lack) such a pair.
      int m = static_cast<int>(scope.size());
      std::vector<int> to_joined(combined.size(), 0);
      for (int i = 0; i < n; ++i) to_joined[i] = m + i;
      for (int j = 0; j < m; ++j) to_joined[n + j] = j;
      std::vector<ExprPtr> conditions;
      for (const ExprPtr& c : residual) conditions.push_back(ivm::RemapColumns(c, to_joined));
      PlanPtr inner_rows = MakeFilter(f.plan, inner_filters);
      auto join = MakeNode(PlanNode::Kind::kJoin, plan->output_types, {plan, inner_rows});
      join->output_types.insert(join->output_types.end(), inner_rows->output_types.begin(),
                                inner_rows->output_types.end());
      join->left_keys = outer_keys;
      join->right_keys = inner_keys;
      PlanPtr pairs = MakeFilter(join, conditions);
      auto node = MakeNode(PlanNode::Kind::kOuterPad, plan->output_types, {plan, pairs});
      node->pad_offset = 0;
      node->pad_count = m;
      node->pad_mode =
          kind == ivm::SemiJoinKind::kSemi ? ivm::MatchMode::kMatched : ivm::MatchMode::kUnmatched;
      return node;
    }
    if (correlated && (kind == ivm::SemiJoinKind::kNotIn || kind == ivm::SemiJoinKind::kMarkIn)) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "a correlated IN subquery is supported only as a WHERE condition (not NOT IN, "
                  "nor as a value)");
    }
    inner = MakeFilter(f.plan, inner_filters);
    if (in) {
      const auto& items = sub.body.select.items;
      if (items.size() != 1 || items[0].kind != AstSelectItem::Kind::kExpr) {
        throw Error(sqlstate::kSyntaxError, "subquery has too many columns");
      }
      add_in_pair(ExpressionBinder(scope, "WHERE").Bind(*e->args[0]),
                  ResolveUnknown(ExpressionBinder(f.scope, "SELECT").Bind(*items[0].expr)));
    }
  } else {
    Type unused;
    QueryBinder sub_binder = Nested();
    BoundQuery q = sub_binder.Bind(sub);
    inner = q.plan;
    if (in) {
      if (q.column_types.size() != 1)
        throw Error(sqlstate::kSyntaxError, "subquery has too many columns");
      add_in_pair(ExpressionBinder(scope, "WHERE").Bind(*e->args[0]),
                  ivm::MakeColumn(0, q.column_types[0]));
    }
  }
  auto node = MakeNode(PlanNode::Kind::kSemiJoin, plan->output_types, {plan, inner});
  if (kind == ivm::SemiJoinKind::kMarkIn || kind == ivm::SemiJoinKind::kMarkExists) {
    node->output_types.push_back(Type::Of(ivm::TypeId::kBool));
  }
  node->semi_kind = kind;
  node->left_keys = std::move(outer_keys);
  node->right_keys = std::move(inner_keys);
  return node;
}

// Splits a WHERE clause into plain conjuncts and subquery conditions.
void SplitWhere(const AstExpr* where, std::vector<const AstExpr*>* plain,
                std::vector<const AstExpr*>* subqueries) {
  if (!where) return;
  std::vector<const AstExpr*> all;
  SplitAst(where, &all);
  for (const AstExpr* c : all) {
    const AstExpr* inner = c;
    if (inner->kind == AstExpr::Kind::kUnary && inner->op == "NOT") inner = inner->args[0].get();
    bool sub = inner->kind == AstExpr::Kind::kExists || inner->kind == AstExpr::Kind::kInSubquery;
    (sub ? subqueries : plain)->push_back(c);
  }
}

}  // namespace sql
