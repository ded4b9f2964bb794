// Binding of queries into logical plans: SELECT, set operations, WITH, ORDER BY/LIMIT.
#include "sql/query_binder.h"

#include <algorithm>
#include <optional>
#include <set>

#include "ivm/error.h"
#include "sql/binder.h"
#include "sql/plan_walk.h"
#include "sql/subquery_expression.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
namespace sqlstate = ivm::sqlstate;

void SplitWhere(const AstExpr* where, std::vector<const AstExpr*>* plain,
                std::vector<const AstExpr*>* subqueries);

namespace {

std::string OutputName(const AstSelectItem& item) {
  if (!item.alias.empty()) return item.alias;
  const AstExpr& e = *item.expr;
  switch (e.kind) {
    case AstExpr::Kind::kColumnRef:
      return e.name;
    case AstExpr::Kind::kFunction:
      return e.name == "btrim" ? "btrim" : e.name;
    case AstExpr::Kind::kCast:
      if (e.args[0]->kind == AstExpr::Kind::kColumnRef) return e.args[0]->name;
      return ResolveType(e.type).ToString() == "integer" ? "int4" : e.type.name;
    case AstExpr::Kind::kCase:
      return "case";
    case AstExpr::Kind::kArray:
    case AstExpr::Kind::kArraySubquery:
      return "array";
    case AstExpr::Kind::kSubquery: {
      // Named after the subquery's one column, as PostgreSQL names it.
      const AstQueryBody* body = &e.subquery->body;
      while (body->kind == AstQueryBody::Kind::kNested) body = &body->nested->body;
      if (body->kind == AstQueryBody::Kind::kSelect && body->select.items.size() == 1 &&
          body->select.items[0].kind == AstSelectItem::Kind::kExpr) {
        return OutputName(body->select.items[0]);
      }
      return "?column?";
    }
    case AstExpr::Kind::kExists:
      return "exists";
    default:
      return "?column?";
  }
}

int64_t ConstantInteger(const AstExpr& expr, const char* clause) {
  ExprPtr e = ExpressionBinder({}, clause).Bind(expr);
  if (e->kind != ivm::ExprKind::kConstant || !e->type.IsInteger()) {
    throw Error(sqlstate::kDatatypeMismatch,
                std::string("argument of ") + clause + " must be a constant integer");
  }
  if (e->constant.is_null()) return -1;
  if (e->constant.int_value() < 0) {
    throw Error("2201W", std::string(clause) + " must not be negative");
  }
  return e->constant.int_value();
}

void BindLimit(const AstQuery& query, BoundQuery* result) {
  if (query.limit) {
    int64_t limit = ConstantInteger(*query.limit, "LIMIT");
    if (limit >= 0) result->limit = limit;
  }
  if (query.offset) result->offset = std::max<int64_t>(0, ConstantInteger(*query.offset, "OFFSET"));
}

SortKey MakeSortKey(const AstOrderItem& item, int column) {
  SortKey key;
  key.column = column;
  key.descending = item.descending;
  key.nulls_first = item.nulls_first.value_or(item.descending);
  return key;
}

}  // namespace

QueryBinder QueryBinder::Nested(bool for_view) const {
  QueryBinder sub(catalog_, for_view, one_shot_);
  sub.ctes_ = ctes_;
  sub.views_ = views_;
  return sub;
}

BoundQuery QueryBinder::Bind(const AstQuery& query) {
  // A one-shot query binds the subqueries it uses as values itself, seeing its WITH names.
  std::optional<SubqueryExpressions> subqueries;
  if (one_shot_) {
    subqueries.emplace(
        [this](const AstExpr& e, const Scope& scope) { return BindSubqueryExpression(e, scope); });
  }
  std::set<std::string> seen;
  for (const AstCte& cte : query.ctes) {
    if (!seen.insert(cte.name).second) {
      throw Error("42712", "WITH query name \"" + cte.name + "\" specified more than once");
    }
    ctes_[cte.name] = &cte;
  }
  BoundQuery result;
  if (query.body.kind == AstQueryBody::Kind::kSelect) {
    result = BindSelect(query.body.select, &query);
    ApplyLimit(&result);
  } else {
    result = Finish(BindBody(query.body), query);
  }
  result.views = *views_;
  return result;
}

QueryBinder::Body QueryBinder::BindBody(const AstQueryBody& body) {
  if (body.kind == AstQueryBody::Kind::kSelect) {
    BoundQuery q = BindSelect(body.select, nullptr);
    return {q.plan, q.column_names, q.column_types};
  }
  if (body.kind == AstQueryBody::Kind::kNested) {
    QueryBinder nested = Nested();
    BoundQuery q = nested.Bind(*body.nested);
    return {q.plan, q.column_names, q.column_types};
  }
  const char* op_name = body.op == AstQueryBody::SetOp::kUnion       ? "UNION"
                        : body.op == AstQueryBody::SetOp::kIntersect ? "INTERSECT"
                                                                     : "EXCEPT";
  Body left = BindBody(*body.left);
  Body right = BindBody(*body.right);
  if (left.types.size() != right.types.size()) {
    throw Error(sqlstate::kSyntaxError,
                std::string("each ") + op_name + " query must have the same number of columns");
  }
  // Both sides are cast to each column's common type.
  std::vector<ExprPtr> left_exprs, right_exprs;
  bool cast_left = false, cast_right = false;
  std::vector<Type> types;
  for (size_t i = 0; i < left.types.size(); ++i) {
    Type common;
    try {
      common = CommonType(left.types[i], right.types[i], op_name);
    } catch (const Error&) {
      throw Error(sqlstate::kDatatypeMismatch,
                  std::string(op_name) + " types " + left.types[i].ToString() + " and " +
                      right.types[i].ToString() + " cannot be matched");
    }
    if (left.types[i] == right.types[i]) common = left.types[i];
    types.push_back(common);
    left_exprs.push_back(
        ivm::MakeCast(ivm::MakeColumn(static_cast<int>(i), left.types[i]), common));
    right_exprs.push_back(
        ivm::MakeCast(ivm::MakeColumn(static_cast<int>(i), right.types[i]), common));
    cast_left = cast_left || !(left_exprs.back()->kind == ivm::ExprKind::kColumn);
    cast_right = cast_right || !(right_exprs.back()->kind == ivm::ExprKind::kColumn);
  }
  PlanPtr l = cast_left ? MakeProject(left.plan, left_exprs) : left.plan;
  PlanPtr r = cast_right ? MakeProject(right.plan, right_exprs) : right.plan;
  PlanPtr node;
  switch (body.op) {
    case AstQueryBody::SetOp::kUnion:
      node = MakeNode(PlanNode::Kind::kUnion, types, {l, r});
      node->signs = {1, 1};
      if (!body.all) node = MakeNode(PlanNode::Kind::kDistinct, types, {node});
      break;
    case AstQueryBody::SetOp::kIntersect:
      node = MakeNode(PlanNode::Kind::kSetOperation, types, {l, r});
      node->set_kind =
          body.all ? ivm::SetOperationKind::kIntersectAll : ivm::SetOperationKind::kIntersect;
      break;
    case AstQueryBody::SetOp::kExcept:
      node = MakeNode(PlanNode::Kind::kSetOperation, types, {l, r});
      node->set_kind =
          body.all ? ivm::SetOperationKind::kExceptAll : ivm::SetOperationKind::kExcept;
      break;
  }
  return {node, left.names, types};
}

BoundQuery QueryBinder::Finish(Body body, const AstQuery& query) {
  BoundQuery result;
  result.plan = body.plan;
  result.column_names = body.names;
  result.column_types = body.types;
  result.visible_columns = body.types.size();
  for (const AstOrderItem& item : query.order_by) {
    const AstExpr& e = *item.expr;
    int column = -1;
    if (e.kind == AstExpr::Kind::kLiteral && e.literal_kind == AstExpr::LiteralKind::kInteger) {
      size_t pos = std::stoul(e.text);
      if (pos >= 1 && pos <= body.names.size()) column = static_cast<int>(pos - 1);
    } else if (e.kind == AstExpr::Kind::kColumnRef && e.qualifier.empty()) {
      for (size_t i = 0; i < body.names.size() && column < 0; ++i) {
        if (body.names[i] == e.name) column = static_cast<int>(i);
      }
    }
    if (column < 0) {
      throw Error(sqlstate::kFeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
                  "Only result column names can be used, not expressions or functions.");
    }
    result.order_by.push_back(MakeSortKey(item, column));
  }
  BindLimit(query, &result);
  ApplyLimit(&result);
  return result;
}

void QueryBinder::ApplyLimit(BoundQuery* result) {
  if (!for_view_) return;  // a one-shot query sorts and limits its result directly
  if (result->limit || result->offset > 0) {
    // Maintained LIMIT: a top-N operator keeps the first rows in ORDER BY order.
    auto node = MakeNode(PlanNode::Kind::kTopN, result->plan->output_types, {result->plan});
    for (const SortKey& key : result->order_by) {
      ivm::SortSpec spec;
      spec.expr = ivm::MakeColumn(key.column, result->plan->output_types[key.column]);
      spec.descending = key.descending;
      spec.nulls_first = key.nulls_first;
      node->order.push_back(spec);
    }
    node->limit = result->limit;
    node->offset = result->offset;
    result->plan = node;
    result->limit.reset();
    result->offset = 0;
  }
  result->order_by.clear();
  if (result->plan->output_types.size() > result->visible_columns) {
    std::vector<ExprPtr> visible;
    for (size_t i = 0; i < result->visible_columns; ++i) {
      visible.push_back(ivm::MakeColumn(static_cast<int>(i), result->plan->output_types[i]));
    }
    result->plan = MakeProject(result->plan, visible);
  }
}

BoundQuery QueryBinder::BindSelect(const AstSelect& select, const AstQuery* query) {
  std::vector<const AstExpr*> plain, subqueries;
  SplitWhere(select.where.get(), &plain, &subqueries);
  BoundFrom from = BindFrom(select.from, plain);
  PlanPtr plan = from.plan;
  for (const AstExpr* condition : subqueries) {
    plan = BindSubqueryCondition(plan, from.scope, *condition);
  }
  // ORDER BY matters for a one-shot query, or under a LIMIT.
  bool ordered = query && !query->order_by.empty() && (!for_view_ || query->limit || query->offset);

  bool aggregated = !select.group_by.empty() || (select.having != nullptr);
  for (const AstSelectItem& item : select.items) {
    if (item.expr && ContainsAggregate(*item.expr)) aggregated = true;
  }
  if (ordered) {
    for (const AstOrderItem& item : query->order_by) {
      if (ContainsAggregate(*item.expr)) aggregated = true;
    }
  }

  AggregateScope agg;
  std::vector<PlanPtr> windows;  // window functions, placed after grouping
  ExpressionBinder from_binder(from.scope, "SELECT");
  from_binder.set_hook([&](const AstExpr& e) -> ExprPtr {
    bool window = e.kind == AstExpr::Kind::kFunction && e.has_over;
    bool mark = e.kind == AstExpr::Kind::kExists || e.kind == AstExpr::Kind::kInSubquery;
    if (!window && !mark && e.kind != AstExpr::Kind::kSubquery) return nullptr;
    if (one_shot_ && e.kind == AstExpr::Kind::kSubquery) return nullptr;  // run per row
    if (window) {
      // Over the grouped rows when the query groups.
      return BindWindowFunction(
          e,
          [&](const AstExpr& x) {
            return aggregated ? from_binder.BindAggregated(x, &agg) : from_binder.Bind(x);
          },
          &windows);
    }
    if (aggregated) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "subqueries in the select list together with GROUP BY or aggregates are "
                  "not supported yet");
    }
    if (mark) return BindSubqueryValue(e, from.scope, &plan);
    Type type;
    PlanPtr single = BindScalarSubquery(*e.subquery, &type);
    int column = static_cast<int>(plan->output_types.size());
    std::vector<ExprPtr> none;
    plan = JoinWithConjuncts(plan, single, &none);
    return ivm::MakeColumn(column, type);
  });
  if (aggregated) {
    for (const AstExprPtr& key : select.group_by) {
      if (ContainsAggregate(*key)) {
        throw Error(sqlstate::kGroupingError, "aggregate functions are not allowed in GROUP BY");
      }
      // GROUP BY 2 names the second select item.
      const AstExpr* target = key.get();
      if (key->kind == AstExpr::Kind::kLiteral &&
          key->literal_kind == AstExpr::LiteralKind::kInteger) {
        size_t pos = std::stoul(key->text);
        if (pos < 1 || pos > select.items.size() || !select.items[pos - 1].expr) {
          throw Error(sqlstate::kInvalidColumnReference,
                      "GROUP BY position " + key->text + " is not in select list");
        }
        target = select.items[pos - 1].expr.get();
      }
      agg.group_keys.push_back(ResolveUnknown(from_binder.Bind(*target)));
    }
  }

  // Select list.
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  from_binder.set_allow_set_returning(true);
  for (const AstSelectItem& item : select.items) {
    if (item.kind != AstSelectItem::Kind::kExpr) {
      if (aggregated) {
        throw Error(sqlstate::kGroupingError,
                    "SELECT * is not allowed with GROUP BY or aggregates");
      }
      bool any = false;
      for (size_t i = 0; i < from.scope.size(); ++i) {
        const ScopeColumn& c = from.scope[i];
        bool take = item.kind == AstSelectItem::Kind::kStar ? !c.qualified_only && c.level == 0
                                                            : c.qualifier == item.qualifier;
        if (!take) continue;
        exprs.push_back(ivm::MakeColumn(static_cast<int>(i), c.type));
        names.push_back(c.name);
        any = true;
      }
      if (!any && item.kind == AstSelectItem::Kind::kQualifiedStar) {
        throw Error(sqlstate::kUndefinedTable,
                    "missing FROM-clause entry for table \"" + item.qualifier + "\"");
      }
      continue;
    }
    ExprPtr e =
        aggregated ? from_binder.BindAggregated(*item.expr, &agg) : from_binder.Bind(*item.expr);
    exprs.push_back(ResolveUnknown(e));
    names.push_back(OutputName(item));
  }

  from_binder.set_allow_set_returning(false);

  ExprPtr having;
  if (select.having)
    having = ExpressionBinder(from.scope, "HAVING").BindPredicate(*select.having, &agg);

  // ORDER BY: an output column by position or name, or an expression (a hidden column).
  BoundQuery result;
  result.visible_columns = exprs.size();
  if (ordered) {
    for (const AstOrderItem& item : query->order_by) {
      const AstExpr& e = *item.expr;
      int column = -1;
      if (e.kind == AstExpr::Kind::kLiteral && e.literal_kind == AstExpr::LiteralKind::kInteger) {
        size_t pos = std::stoul(e.text);
        if (pos < 1 || pos > result.visible_columns) {
          throw Error(sqlstate::kInvalidColumnReference,
                      "ORDER BY position " + e.text + " is not in select list");
        }
        column = static_cast<int>(pos - 1);
      } else if (e.kind == AstExpr::Kind::kColumnRef && e.qualifier.empty()) {
        for (size_t i = 0; i < result.visible_columns; ++i) {
          if (names[i] == e.name) {
            if (column >= 0) {
              throw Error(sqlstate::kAmbiguousColumn, "ORDER BY \"" + e.name + "\" is ambiguous");
            }
            column = static_cast<int>(i);
          }
        }
      }
      if (column < 0) {
        ExprPtr bound = aggregated ? from_binder.BindAggregated(e, &agg) : from_binder.Bind(e);
        std::string text = bound->ToString();
        for (size_t i = 0; i < exprs.size() && column < 0; ++i) {
          if (exprs[i]->ToString() == text) column = static_cast<int>(i);
        }
        if (column < 0) {
          if (select.distinct) {
            throw Error(sqlstate::kInvalidColumnReference,
                        "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
          }
          column = static_cast<int>(exprs.size());
          exprs.push_back(ResolveUnknown(bound));
        }
      }
      result.order_by.push_back(MakeSortKey(item, column));
    }
  }

  if (aggregated) {
    auto node = MakeNode(PlanNode::Kind::kAggregate, {}, {plan});
    node->group_keys = agg.group_keys;
    node->aggregates = agg.aggregates;
    node->global_aggregate = select.group_by.empty();
    for (const ExprPtr& k : agg.group_keys) node->output_types.push_back(k->type);
    for (const ivm::AggregateSpec& a : agg.aggregates) node->output_types.push_back(a.result_type);
    plan = node;
    if (having) plan = MakeFilter(plan, {having});
  }

  plan = ApplyWindows(plan, windows, &exprs);

  // Set-returning functions in the select list: their rows, in lockstep, after grouping.
  std::vector<ExprPtr> set_returning;
  const int width = static_cast<int>(plan->output_types.size());
  for (ExprPtr& e : exprs) e = ExtractSetReturning(e, width, &set_returning);
  if (!set_returning.empty()) plan = MakeUnnest(plan, set_returning, false);

  plan = MakeProject(plan, exprs);
  if (select.distinct) plan = MakeNode(PlanNode::Kind::kDistinct, plan->output_types, {plan});

  result.plan = plan;
  result.column_names = names;
  for (size_t i = 0; i < result.visible_columns; ++i) result.column_types.push_back(exprs[i]->type);
  if (query) BindLimit(*query, &result);
  return result;
}

BoundQuery Binder::BindQuery(const AstQuery& query) {
  return QueryBinder(catalog_, false, true).Bind(query);
}

namespace {

// A view must give the same rows whenever it is recomputed: refuse now(), random() ...
void CheckDeterministic(const PlanNode& node) {
  for (const ExprPtr& e : NodeExpressions(node)) {
    if (!ivm::IsDeterministic(e)) {
      throw Error(
          sqlstate::kFeatureNotSupported,
          "non-deterministic functions such as now() and random() cannot be used in a "
          "materialized view",
          "The expression " + e->ToString() + " would give another result on every recomputation.",
          "Compute the value when the row is written, and store it in a column.");
    }
  }
  for (const PlanPtr& child : node.children) CheckDeterministic(*child);
}

}  // namespace

BoundQuery Binder::BindViewQuery(const AstQuery& query) {
  BoundQuery bound = QueryBinder(catalog_, true).Bind(query);
  CheckDeterministic(*bound.plan);
  return bound;
}

}  // namespace sql
