// Binding of SELECT queries into logical plans.
#include <algorithm>

#include "ivm/error.h"
#include "sql/binder.h"
#include "sql/expression_binder.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
namespace sqlstate = ivm::sqlstate;

namespace {

struct BoundFrom {
  PlanPtr plan;
  Scope scope;
};

PlanPtr MakeNode(PlanNode::Kind kind, std::vector<Type> types, std::vector<PlanPtr> children) {
  auto node = std::make_shared<PlanNode>();
  node->kind = kind;
  node->output_types = std::move(types);
  node->children = std::move(children);
  return node;
}

PlanPtr MakeFilter(PlanPtr input, const std::vector<ExprPtr>& conjuncts) {
  if (conjuncts.empty()) return input;
  auto node = MakeNode(PlanNode::Kind::kFilter, input->output_types, {input});
  node->predicate =
      conjuncts.size() == 1 ? conjuncts[0] : ivm::MakeLogical(ivm::ExprKind::kAnd, conjuncts);
  return node;
}

// Joins `left` (columns [0, L)) with `right` (columns [L, L+R)) of a combined row, taking
// from `conjuncts` those that read only these columns: equalities between a left-only and
// a right-only expression become join keys, conjuncts on one side only are pushed below
// the join as filters on that side (valid for inner joins, and less state to keep), and
// the rest filter the join's output.
PlanPtr JoinWithConjuncts(PlanPtr left, PlanPtr right, std::vector<ExprPtr>* conjuncts) {
  int l = static_cast<int>(left->output_types.size());
  int total = l + static_cast<int>(right->output_types.size());
  std::vector<int> to_right(total, 0);
  for (int i = l; i < total; ++i) to_right[i] = i - l;

  enum Side { kNone = 0, kLeft = 1, kRight = 2, kBoth = 3, kBeyond = 4 };
  auto side_of = [&](const ExprPtr& e) {
    std::vector<int> cols;
    CollectColumns(e, &cols);
    int side = kNone;
    for (int c : cols) side |= c < l ? kLeft : (c < total ? kRight : kBeyond);
    return side;
  };

  std::vector<ExprPtr> left_filters, right_filters, keys_left, keys_right, residual, rest;
  for (const ExprPtr& c : *conjuncts) {
    int side = side_of(c);
    if (side & kBeyond) {
      rest.push_back(c);
    } else if (side == kLeft) {
      left_filters.push_back(c);
    } else if (side == kRight) {
      right_filters.push_back(ivm::RemapColumns(c, to_right));
    } else if (side == kBoth && c->kind == ivm::ExprKind::kCompare &&
               c->compare == ivm::CompareOp::kEq && side_of(c->args[0]) != kBoth &&
               side_of(c->args[1]) != kBoth && side_of(c->args[0]) != side_of(c->args[1]) &&
               side_of(c->args[0]) != kNone && side_of(c->args[1]) != kNone) {
      bool left_first = side_of(c->args[0]) == kLeft;
      keys_left.push_back(left_first ? c->args[0] : c->args[1]);
      keys_right.push_back(ivm::RemapColumns(left_first ? c->args[1] : c->args[0], to_right));
    } else {
      residual.push_back(c);
    }
  }
  *conjuncts = std::move(rest);
  left = MakeFilter(left, left_filters);
  right = MakeFilter(right, right_filters);
  auto node = MakeNode(PlanNode::Kind::kJoin, left->output_types, {left, right});
  node->output_types.insert(node->output_types.end(), right->output_types.begin(),
                            right->output_types.end());
  node->left_keys = std::move(keys_left);
  node->right_keys = std::move(keys_right);
  return MakeFilter(node, residual);
}

class QueryBinder {
 public:
  QueryBinder(const Catalog& catalog, bool for_view) : catalog_(catalog), for_view_(for_view) {}

  BoundQuery Bind(const AstQuery& query);

 private:
  BoundFrom BindFromItem(const AstFromItem& item);
  BoundFrom BindFrom(const std::vector<AstFromItemPtr>& from, const AstExpr* where);

  const Catalog& catalog_;
  bool for_view_;
};

BoundFrom QueryBinder::BindFromItem(const AstFromItem& item) {
  BoundFrom out;
  switch (item.kind) {
    case AstFromItem::Kind::kTable: {
      const RelationInfo* rel = catalog_.Find(item.schema, item.name);
      if (!rel) {
        throw Error(sqlstate::kUndefinedTable, "relation \"" + item.name + "\" does not exist");
      }
      out.plan = MakeNode(PlanNode::Kind::kScan, {}, {});
      out.plan->relation_id = rel->id;
      out.plan->relation_name = rel->name;
      std::string qualifier = item.alias.empty() ? rel->name : item.alias;
      for (const ColumnInfo& c : rel->columns) {
        out.scope.push_back({qualifier, c.name, c.type});
        out.plan->output_types.push_back(c.type);
      }
      return out;
    }
    case AstFromItem::Kind::kSubquery: {
      BoundQuery sub = QueryBinder(catalog_, true).Bind(*item.subquery);
      out.plan = sub.plan;
      for (size_t i = 0; i < sub.column_names.size(); ++i) {
        out.scope.push_back({item.alias, sub.column_names[i], sub.column_types[i]});
      }
      return out;
    }
    case AstFromItem::Kind::kFunction:
      throw Error(sqlstate::kFeatureNotSupported,
                  "table function " + item.name + " is not supported yet");
    case AstFromItem::Kind::kJoin: {
      if (item.join_type != AstFromItem::JoinType::kInner &&
          item.join_type != AstFromItem::JoinType::kCross) {
        throw Error(sqlstate::kFeatureNotSupported, "outer joins are not supported yet");
      }
      BoundFrom left = BindFromItem(*item.left);
      BoundFrom right = BindFromItem(*item.right);
      out.scope = left.scope;
      out.scope.insert(out.scope.end(), right.scope.begin(), right.scope.end());
      std::vector<ExprPtr> conjuncts;
      if (item.condition) {
        ExprPtr on = ExpressionBinder(out.scope, "JOIN/ON").BindPredicate(*item.condition);
        SplitConjuncts(on, &conjuncts);
      }
      out.plan = JoinWithConjuncts(left.plan, right.plan, &conjuncts);
      return out;
    }
  }
  throw Error(sqlstate::kInternalError, "unhandled FROM item");
}

// Binds the FROM list and the WHERE clause together, so that equalities in WHERE between
// FROM items become join keys instead of a cross join followed by a filter.
BoundFrom QueryBinder::BindFrom(const std::vector<AstFromItemPtr>& from, const AstExpr* where) {
  BoundFrom out;
  std::vector<BoundFrom> items;
  for (const AstFromItemPtr& item : from) {
    items.push_back(BindFromItem(*item));
    out.scope.insert(out.scope.end(), items.back().scope.begin(), items.back().scope.end());
  }
  std::vector<ExprPtr> conjuncts;
  if (where) SplitConjuncts(ExpressionBinder(out.scope, "WHERE").BindPredicate(*where), &conjuncts);
  if (items.empty()) {
    // SELECT without FROM: one empty row, as a constant source.
    out.plan = MakeNode(PlanNode::Kind::kScan, {}, {});
    out.plan->relation_id = 0;
    out.plan->relation_name = "(one row)";
  } else {
    out.plan = items[0].plan;
    for (size_t i = 1; i < items.size(); ++i) {
      out.plan = JoinWithConjuncts(out.plan, items[i].plan, &conjuncts);
    }
  }
  out.plan = MakeFilter(out.plan, conjuncts);
  return out;
}

std::string OutputName(const AstSelectItem& item) {
  if (!item.alias.empty()) return item.alias;
  const AstExpr& e = *item.expr;
  switch (e.kind) {
    case AstExpr::Kind::kColumnRef:
      return e.name;
    case AstExpr::Kind::kFunction:
      return e.name;
    case AstExpr::Kind::kCast:
      if (e.args[0]->kind == AstExpr::Kind::kColumnRef) return e.args[0]->name;
      return ResolveType(e.type).ToString() == "integer" ? "int4" : e.type.name;
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

BoundQuery QueryBinder::Bind(const AstQuery& query) {
  if (!query.ctes.empty()) throw Error(sqlstate::kFeatureNotSupported, "WITH is not supported yet");
  if (query.body.kind != AstQueryBody::Kind::kSelect) {
    throw Error(sqlstate::kFeatureNotSupported, "set operations are not supported yet");
  }
  const AstSelect& select = query.body.select;
  if (for_view_ && (query.limit || query.offset)) {
    throw Error(sqlstate::kFeatureNotSupported,
                "LIMIT/OFFSET in a materialized view (top-N) is not supported yet");
  }
  BoundFrom from = BindFrom(select.from, select.where.get());
  PlanPtr plan = from.plan;

  bool aggregated = !select.group_by.empty() || (select.having != nullptr);
  for (const AstSelectItem& item : select.items) {
    if (item.expr && ContainsAggregate(*item.expr)) aggregated = true;
  }
  for (const AstOrderItem& item : query.order_by) {
    if (ContainsAggregate(*item.expr)) aggregated = true;
  }

  AggregateScope agg;
  ExpressionBinder from_binder(from.scope, "SELECT");
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
  for (const AstSelectItem& item : select.items) {
    if (item.kind != AstSelectItem::Kind::kExpr) {
      if (aggregated) {
        throw Error(sqlstate::kGroupingError,
                    "SELECT * is not allowed with GROUP BY or aggregates");
      }
      bool any = false;
      for (size_t i = 0; i < from.scope.size(); ++i) {
        if (item.kind == AstSelectItem::Kind::kQualifiedStar &&
            from.scope[i].qualifier != item.qualifier) {
          continue;
        }
        exprs.push_back(ivm::MakeColumn(static_cast<int>(i), from.scope[i].type));
        names.push_back(from.scope[i].name);
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

  ExprPtr having;
  if (select.having)
    having = ExpressionBinder(from.scope, "HAVING").BindPredicate(*select.having, &agg);

  // ORDER BY: an output column by position or name, or an expression (a hidden column).
  BoundQuery result;
  result.visible_columns = exprs.size();
  for (const AstOrderItem& item : query.order_by) {
    SortKey key;
    key.descending = item.descending;
    key.nulls_first = item.nulls_first.value_or(item.descending);
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
    key.column = column;
    result.order_by.push_back(key);
  }
  if (for_view_) {
    result.order_by.clear();  // a view is a set: ORDER BY without LIMIT has no effect
    exprs.resize(result.visible_columns);
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

  auto project = MakeNode(PlanNode::Kind::kProject, {}, {plan});
  project->exprs = exprs;
  for (const ExprPtr& e : exprs) project->output_types.push_back(e->type);
  plan = project;
  if (select.distinct) plan = MakeNode(PlanNode::Kind::kDistinct, plan->output_types, {plan});

  result.plan = plan;
  result.column_names = names;
  for (size_t i = 0; i < result.visible_columns; ++i) result.column_types.push_back(exprs[i]->type);
  if (query.limit) {
    int64_t limit = ConstantInteger(*query.limit, "LIMIT");
    if (limit >= 0) result.limit = limit;
  }
  if (query.offset) result.offset = std::max<int64_t>(0, ConstantInteger(*query.offset, "OFFSET"));
  return result;
}

}  // namespace

BoundQuery Binder::BindQuery(const AstQuery& query) {
  return QueryBinder(catalog_, false).Bind(query);
}

BoundQuery Binder::BindViewQuery(const AstQuery& query) {
  return QueryBinder(catalog_, true).Bind(query);
}

}  // namespace sql
