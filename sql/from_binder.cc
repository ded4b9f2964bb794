// Binding of FROM: tables, subqueries, WITH references, and joins of every kind.
#include <functional>

#include "ivm/error.h"
#include "sql/parser.h"
#include "sql/query_binder.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
namespace sqlstate = ivm::sqlstate;

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

PlanPtr MakeProject(PlanPtr input, std::vector<ExprPtr> exprs) {
  auto node = MakeNode(PlanNode::Kind::kProject, {}, {std::move(input)});
  for (const ExprPtr& e : exprs) node->output_types.push_back(e->type);
  node->exprs = std::move(exprs);
  return node;
}

PlanPtr MakeUnnest(PlanPtr input, std::vector<ExprPtr> calls, bool expand_records) {
  auto node = MakeNode(PlanNode::Kind::kUnnest, input->output_types, {input});
  for (const ExprPtr& call : calls) {
    if (expand_records && call->type.id == ivm::TypeId::kRecord) {
      for (const ivm::RecordField& f : *call->type.fields) {
        node->output_types.push_back(Type::Of(f.type));
      }
    } else {
      node->output_types.push_back(call->type);
    }
  }
  node->exprs = std::move(calls);
  node->expand_records = expand_records;
  return node;
}

PlanPtr JoinWithConjuncts(PlanPtr left, PlanPtr right, std::vector<ExprPtr>* conjuncts,
                          int push_into) {
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
  auto is_key = [&](const ExprPtr& c) {
    if (c->kind != ivm::ExprKind::kCompare || c->compare != ivm::CompareOp::kEq) return false;
    int a = side_of(c->args[0]), b = side_of(c->args[1]);
    return (a == kLeft && b == kRight) || (a == kRight && b == kLeft);
  };

  std::vector<ExprPtr> left_filters, right_filters, keys_left, keys_right, residual, rest;
  for (const ExprPtr& c : *conjuncts) {
    int side = side_of(c);
    if (side & kBeyond) {
      rest.push_back(c);
    } else if (side == kLeft && (push_into & kLeft)) {
      left_filters.push_back(c);
    } else if (side == kRight && (push_into & kRight)) {
      right_filters.push_back(ivm::RemapColumns(c, to_right));
    } else if (is_key(c)) {
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

namespace {

bool IsFunctionItem(const AstFromItem& item) {
  return item.kind == AstFromItem::Kind::kFunction && item.name != "tumble" && item.name != "hop";
}

// A FROM function whose arguments read the FROM items before it (`plan`'s rows): its
// rows (or its one value) appended to each of theirs.
PlanPtr ApplyLateralCall(PlanPtr plan, const ExprPtr& call) {
  if (IsSetReturningCall(call)) return MakeUnnest(plan, {call}, true);
  std::vector<ExprPtr> exprs;
  for (size_t c = 0; c < plan->output_types.size(); ++c) {
    exprs.push_back(ivm::MakeColumn(static_cast<int>(c), plan->output_types[c]));
  }
  exprs.push_back(call);
  return MakeProject(plan, exprs);
}

}  // namespace

const AstCte* QueryBinder::FindCte(const std::string& name) const {
  auto it = ctes_.find(name);
  return it == ctes_.end() ? nullptr : it->second;
}

BoundFrom QueryBinder::BindFromItem(const AstFromItem& item) {
  BoundFrom out;
  switch (item.kind) {
    case AstFromItem::Kind::kTable: {
      if (item.schema.empty()) {
        if (const AstCte* cte = FindCte(item.name)) {
          QueryBinder sub = Nested();
          sub.ctes_.erase(item.name);  // not recursive: the name means the outer relation
          BoundQuery q = sub.Bind(*cte->query);
          if (cte->column_names.size() > q.column_names.size()) {
            throw Error(sqlstate::kInvalidColumnReference,
                        "WITH query \"" + cte->name + "\" has " +
                            std::to_string(q.column_names.size()) + " columns available but " +
                            std::to_string(cte->column_names.size()) + " columns specified");
          }
          out.plan = q.plan;
          std::string qualifier = item.alias.empty() ? item.name : item.alias;
          for (size_t i = 0; i < q.column_names.size(); ++i) {
            std::string name =
                i < cte->column_names.size() ? cte->column_names[i] : q.column_names[i];
            out.scope.push_back({qualifier, name, q.column_types[i]});
          }
          return out;
        }
      }
      const RelationInfo* rel = catalog_.Find(item.schema, item.name);
      if (!rel) {
        throw Error(sqlstate::kUndefinedTable, "relation \"" + item.name + "\" does not exist");
      }
      if (rel->is_view()) return BindView(*rel, item.alias);
      out.plan = MakeNode(PlanNode::Kind::kScan, {}, {});
      out.plan->relation_id = rel->id;
      out.plan->relation_name = rel->name;
      out.plan->rows_unique = rel->is_table() && !rel->system && !rel->primary_key.empty();
      std::string qualifier = item.alias.empty() ? rel->name : item.alias;
      for (const ColumnInfo& c : rel->columns) {
        out.scope.push_back({qualifier, c.name, c.type});
        out.plan->output_types.push_back(c.type);
      }
      return out;
    }
    case AstFromItem::Kind::kSubquery: {
      QueryBinder sub = Nested();
      BoundQuery q = sub.Bind(*item.subquery);
      out.plan = q.plan;
      for (size_t i = 0; i < q.column_names.size(); ++i) {
        out.scope.push_back({item.alias, q.column_names[i], q.column_types[i]});
      }
      return out;
    }
    case AstFromItem::Kind::kFunction:
      if (!IsFunctionItem(item)) return BindTableFunction(item);
      return BindFunctionItem(item, {}, nullptr);
    case AstFromItem::Kind::kJoin:
      return BindJoin(item);
  }
  throw Error(sqlstate::kInternalError, "unhandled FROM item");
}

BoundFrom QueryBinder::BindView(const RelationInfo& view, const std::string& alias) {
  std::vector<ParsedStatement> parsed = ParseScript(view.definition);
  if (parsed.size() != 1 || !std::holds_alternative<SelectStmt>(parsed[0].statement)) {
    throw Error(sqlstate::kInternalError, "the stored definition of view \"" + view.name +
                                              "\" is not a query");
  }
  // The view's query sees the catalog, not the WITH names of the query reading it.
  QueryBinder sub(catalog_, true, one_shot_);
  sub.views_ = views_;
  BoundQuery q = sub.Bind(*std::get<SelectStmt>(parsed[0].statement).query);
  if (q.column_types.size() != view.columns.size()) {
    throw Error(sqlstate::kInternalError,
                "view \"" + view.name + "\" no longer matches its stored columns");
  }
  views_->push_back(view.id);
  // A node of its own marks where the view's rows come from (privileges: the view's
  // owner reads what the view reads).
  std::vector<ExprPtr> columns;
  for (size_t i = 0; i < q.column_types.size(); ++i) {
    columns.push_back(ivm::MakeColumn(static_cast<int>(i), q.column_types[i]));
  }
  BoundFrom out;
  out.plan = MakeProject(q.plan, columns);
  out.plan->view_id = view.id;
  const std::string qualifier = alias.empty() ? view.name : alias;
  for (size_t i = 0; i < view.columns.size(); ++i) {
    out.scope.push_back({qualifier, view.columns[i].name, q.column_types[i]});
  }
  return out;
}

BoundFrom QueryBinder::BindJoin(const AstFromItem& item) {
  using JoinType = AstFromItem::JoinType;
  BoundFrom left = BindFromItem(*item.left);
  ExprPtr lateral_call;
  BoundFrom right = IsFunctionItem(*item.right)
                        ? BindFunctionItem(*item.right, left.scope, &lateral_call)
                        : BindFromItem(*item.right);
  int l = static_cast<int>(left.scope.size());
  Scope scope = left.scope;
  for (ScopeColumn c : right.scope) scope.push_back(c);
  if (lateral_call) {
    // t JOIN f(t.x) ON ...: the function's rows for each row of t, then the condition.
    if ((item.join_type != JoinType::kInner && item.join_type != JoinType::kCross) ||
        item.natural || !item.using_columns.empty()) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "a function reading the other side of a join is supported only in an inner "
                  "or cross join with ON");
    }
    BoundFrom out;
    out.plan = ApplyLateralCall(left.plan, lateral_call);
    out.scope = scope;
    if (item.condition) {
      out.plan = MakeFilter(out.plan,
                            {ExpressionBinder(scope, "JOIN/ON").BindPredicate(*item.condition)});
    }
    return out;
  }

  // USING and NATURAL: equality on the named (or all common) columns, which are merged.
  std::vector<std::string> using_columns = item.using_columns;
  if (item.natural) {
    for (const ScopeColumn& lc : left.scope) {
      if (lc.qualified_only) continue;
      for (const ScopeColumn& rc : right.scope) {
        if (!rc.qualified_only && rc.name == lc.name) using_columns.push_back(lc.name);
      }
    }
  }
  std::vector<std::pair<int, int>> merged;  // (left index, right index in the combined row)
  std::vector<ExprPtr> conjuncts;
  for (const std::string& name : using_columns) {
    auto find = [&](const Scope& s, const char* side) {
      int found = -1;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i].qualified_only || s[i].name != name) continue;
        if (found >= 0) {
          throw Error(
              sqlstate::kAmbiguousColumn,
              "common column name \"" + name + "\" appears more than once in " + side + " table");
        }
        found = static_cast<int>(i);
      }
      if (found < 0) {
        throw Error(sqlstate::kUndefinedColumn,
                    "column \"" + name + "\" specified in USING clause does not exist in " + side +
                        " table");
      }
      return found;
    };
    int li = find(left.scope, "left"), ri = l + find(right.scope, "right");
    ExprPtr a = ivm::MakeColumn(li, scope[li].type), b = ivm::MakeColumn(ri, scope[ri].type);
    Type common = CommonType(a->type, b->type, "=");
    conjuncts.push_back(
        ivm::MakeCompare(ivm::CompareOp::kEq, ivm::MakeCast(a, common), ivm::MakeCast(b, common)));
    merged.emplace_back(li, ri);
  }
  if (item.condition) {
    ExprPtr on = ExpressionBinder(scope, "JOIN/ON").BindPredicate(*item.condition);
    SplitConjuncts(on, &conjuncts);
  }

  BoundFrom out;
  int push = item.join_type == JoinType::kLeft    ? 2
             : item.join_type == JoinType::kRight ? 1
             : item.join_type == JoinType::kFull  ? 0
                                                  : 3;
  PlanPtr join = JoinWithConjuncts(left.plan, right.plan, &conjuncts, push);
  if (!conjuncts.empty()) throw Error(sqlstate::kInternalError, "join condition out of scope");
  if (item.join_type == JoinType::kInner || item.join_type == JoinType::kCross) {
    out.plan = join;
  } else {
    // An outer join is the inner join plus the NULL-padded rows of its preserved sides.
    int r = static_cast<int>(right.scope.size());
    std::vector<PlanPtr> parts = {join};
    if (item.join_type != JoinType::kRight) {
      auto pad = MakeNode(PlanNode::Kind::kOuterPad, join->output_types, {left.plan, join});
      pad->pad_offset = 0;
      pad->pad_count = l;
      pad->pad_side_first = true;
      parts.push_back(pad);
    }
    if (item.join_type != JoinType::kLeft) {
      auto pad = MakeNode(PlanNode::Kind::kOuterPad, join->output_types, {right.plan, join});
      pad->pad_offset = l;
      pad->pad_count = r;
      pad->pad_side_first = false;
      parts.push_back(pad);
    }
    out.plan = MakeNode(PlanNode::Kind::kUnion, join->output_types, parts);
    out.plan->signs.assign(parts.size(), 1);
  }
  out.scope = scope;
  if (merged.empty()) return out;

  // Merged columns come first, as PostgreSQL lists them; the originals stay reachable
  // when qualified.
  std::vector<ExprPtr> exprs;
  Scope merged_scope;
  for (const auto& [li, ri] : merged) {
    int from = item.join_type == JoinType::kRight ? ri : li;
    ExprPtr value = ivm::MakeColumn(from, scope[from].type);
    if (item.join_type == JoinType::kFull) {
      // Either side may be the padded one: the merged column is COALESCE(left, right).
      std::vector<ExprPtr> both = {ivm::MakeColumn(li, scope[li].type),
                                   ivm::MakeColumn(ri, scope[ri].type)};
      Type type = SelectCommonType(&both, "JOIN/USING");
      value = ivm::MakeVariadic(ivm::ExprKind::kCoalesce, both, type);
    }
    merged_scope.push_back({"", scope[from].name, value->type});
    exprs.push_back(std::move(value));
  }
  for (size_t i = 0; i < scope.size(); ++i) {
    exprs.push_back(ivm::MakeColumn(static_cast<int>(i), scope[i].type));
    ScopeColumn c = scope[i];
    for (const auto& [li, ri] : merged) {
      if (static_cast<int>(i) == li || static_cast<int>(i) == ri) c.qualified_only = true;
    }
    merged_scope.push_back(c);
  }
  out.plan = MakeProject(out.plan, exprs);
  out.scope = merged_scope;
  return out;
}

namespace {

// A window size or slide: a constant interval of days and time (months have no fixed length).
int64_t WindowMicros(const AstExpr& expr, const char* what) {
  ExprPtr e = ExpressionBinder({}, "window").Bind(expr);
  if (e->kind != ivm::ExprKind::kConstant || e->type.id != ivm::TypeId::kInterval ||
      e->constant.is_null()) {
    throw Error(sqlstate::kDatatypeMismatch,
                std::string("the window ") + what +
                    " must be a constant interval, such as INTERVAL '5 minutes'");
  }
  const ivm::Interval& interval = e->constant.interval_value();
  if (interval.months != 0) {
    throw Error(sqlstate::kFeatureNotSupported,
                std::string("a window ") + what + " in months or years is not supported");
  }
  int64_t micros = static_cast<int64_t>(interval.days) * 86400000000LL + interval.micros;
  if (micros <= 0) {
    throw Error(sqlstate::kInvalidParameterValue,
                std::string("the window ") + what + " must be positive");
  }
  return micros;
}

}  // namespace

BoundFrom QueryBinder::BindTableFunction(const AstFromItem& item) {
  bool tumble = item.name == "tumble";
  size_t arity = tumble ? 3 : 4;
  if ((!tumble && item.name != "hop") || item.function_args.size() != arity) {
    throw Error(sqlstate::kUndefinedFunction,
                "function " + item.name + " with " + std::to_string(item.function_args.size()) +
                    " arguments does not exist",
                "",
                "Time windows are TUMBLE(table, time_column, size) and HOP(table, time_column, "
                "slide, size).");
  }
  const AstExpr& table = *item.function_args[0];
  if (table.kind != AstExpr::Kind::kColumnRef) {
    throw Error(sqlstate::kSyntaxError,
                "the first argument of " + item.name + " must name a table");
  }
  AstFromItem source;
  source.kind = AstFromItem::Kind::kTable;
  source.schema = table.qualifier;
  source.name = table.name;
  BoundFrom out = BindFromItem(source);
  ExprPtr time = ExpressionBinder(out.scope, item.name.c_str()).Bind(*item.function_args[1]);
  if (time->type.id != ivm::TypeId::kTimestamp && time->type.id != ivm::TypeId::kTimestampTz) {
    throw Error(
        sqlstate::kDatatypeMismatch,
        "the time column of " + item.name + " must be a timestamp, not " + time->type.ToString());
  }
  int64_t size = WindowMicros(*item.function_args[arity - 1], "size");
  int64_t slide = tumble ? size : WindowMicros(*item.function_args[2], "slide");
  auto node = MakeNode(PlanNode::Kind::kWindowAssign, out.plan->output_types, {out.plan});
  node->window_time = time;
  node->window_size = size;
  node->window_slide = slide;
  node->output_types.push_back(time->type);
  node->output_types.push_back(time->type);
  out.plan = node;
  std::string qualifier = item.alias.empty() ? table.name : item.alias;
  for (ScopeColumn& c : out.scope) c.qualifier = qualifier;
  out.scope.push_back({qualifier, "window_start", time->type});
  out.scope.push_back({qualifier, "window_end", time->type});
  return out;
}

BoundFrom QueryBinder::BindFunctionItem(const AstFromItem& item, const Scope& lateral,
                                        ExprPtr* lateral_call) {
  if (!item.schema.empty() && item.schema != "pg_catalog" && item.schema != "information_schema") {
    throw Error(sqlstate::kUndefinedFunction,
                "function " + item.schema + "." + item.name + " does not exist");
  }
  ExpressionBinder binder(lateral, "functions in FROM");
  binder.set_allow_set_returning(true);
  std::vector<ExprPtr> args;
  for (const AstExprPtr& a : item.function_args) args.push_back(binder.Bind(*a));
  ExprPtr call = BindRegisteredCall(item.name, std::move(args), false, nullptr);
  std::vector<int> read;
  CollectColumns(call, &read);
  const bool set_returning = IsSetReturningCall(call);
  const bool expand = set_returning && call->type.id == ivm::TypeId::kRecord;

  BoundFrom out;
  std::string qualifier = item.alias.empty() ? item.name : item.alias;
  if (expand) {
    const std::vector<ivm::RecordField>& fields = *call->type.fields;
    if (item.column_aliases.size() > fields.size()) {
      throw Error(sqlstate::kInvalidColumnReference,
                  "table \"" + qualifier + "\" has " + std::to_string(fields.size()) +
                      " columns available but " + std::to_string(item.column_aliases.size()) +
                      " columns specified");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string name = i < item.column_aliases.size() ? item.column_aliases[i] : fields[i].name;
      out.scope.push_back({qualifier, name, Type::Of(fields[i].type)});
    }
  } else {
    if (item.column_aliases.size() > 1) {
      throw Error(sqlstate::kInvalidColumnReference,
                  "too many column aliases specified for function " + item.name);
    }
    std::string name = !item.column_aliases.empty() ? item.column_aliases[0]
                       : !item.alias.empty()        ? item.alias
                                                    : item.name;
    out.scope.push_back({qualifier, name, call->type});
  }
  if (!read.empty()) {  // reads earlier FROM items: applied to their joined rows
    *lateral_call = call;
    return out;
  }
  PlanPtr one_row = MakeNode(PlanNode::Kind::kScan, {}, {});
  one_row->relation_name = "(one row)";
  out.plan = set_returning ? MakeUnnest(one_row, {call}, true) : MakeProject(one_row, {call});
  return out;
}

namespace {

// ROW_NUMBER() over a FROM subquery filtered by `rn <= k` (or rn < k, rn = k) needs only
// the first k rows of each partition: give the row-numbering operator that limit.
void PushRowNumberLimit(const ExprPtr& conjunct, const std::vector<BoundFrom>& items) {
  if (conjunct->kind != ivm::ExprKind::kCompare) return;
  const ExprPtr* column = &conjunct->args[0];
  const ExprPtr* constant = &conjunct->args[1];
  ivm::CompareOp op = conjunct->compare;
  if ((*column)->kind != ivm::ExprKind::kColumn) {
    std::swap(column, constant);
    op = op == ivm::CompareOp::kGe   ? ivm::CompareOp::kLe
         : op == ivm::CompareOp::kGt ? ivm::CompareOp::kLt
                                     : op;
  }
  if ((*column)->kind != ivm::ExprKind::kColumn || (*constant)->kind != ivm::ExprKind::kConstant ||
      !(*constant)->type.IsInteger() || (*constant)->constant.is_null()) {
    return;
  }
  int64_t k = (*constant)->constant.int_value();
  int64_t limit = op == ivm::CompareOp::kLe   ? k
                  : op == ivm::CompareOp::kLt ? k - 1
                  : op == ivm::CompareOp::kEq ? k
                                              : -1;
  if (limit < 0) return;
  int offset = 0;
  for (const BoundFrom& item : items) {
    int width = static_cast<int>(item.scope.size());
    int c = (*column)->column - offset;
    offset += width;
    if (c < 0 || c >= width) continue;
    const PlanPtr& plan = item.plan;
    if (!plan) return;  // a function reading earlier FROM items
    if (plan->kind != PlanNode::Kind::kProject || plan->exprs[c]->kind != ivm::ExprKind::kColumn)
      return;
    int j = plan->exprs[c]->column;
    PlanNode* node = plan->children[0].get();
    while (node->kind == PlanNode::Kind::kTopN && node->row_number) {
      if (j == static_cast<int>(node->output_types.size()) - 1) {
        if (!node->limit || *node->limit > limit) node->limit = limit;
        return;
      }
      node = node->children[0].get();
    }
    return;
  }
}

}  // namespace

BoundFrom QueryBinder::BindFrom(const std::vector<AstFromItemPtr>& from,
                                const std::vector<const AstExpr*>& where) {
  BoundFrom out;
  std::vector<BoundFrom> items;
  std::vector<ExprPtr> lateral_calls;  // per item: a function call reading earlier items
  for (const AstFromItemPtr& item : from) {
    ExprPtr lateral_call;
    items.push_back(IsFunctionItem(*item) ? BindFunctionItem(*item, out.scope, &lateral_call)
                                          : BindFromItem(*item));
    lateral_calls.push_back(lateral_call);
    out.scope.insert(out.scope.end(), items.back().scope.begin(), items.back().scope.end());
  }
  std::vector<ExprPtr> conjuncts;
  // Subqueries inside WHERE expressions add one column each after the FROM columns, once
  // the FROM items are joined; `extra_columns` adds them in order.
  std::vector<std::function<PlanPtr(PlanPtr)>> extra_columns;
  ExpressionBinder binder(out.scope, "WHERE");
  binder.set_hook([&](const AstExpr& e) -> ExprPtr {
    if (e.kind == AstExpr::Kind::kFunction && e.has_over) {
      throw Error("42P20", "window functions are not allowed in WHERE");
    }
    if (one_shot_ && e.kind == AstExpr::Kind::kSubquery) return nullptr;  // run per row
    int column = static_cast<int>(out.scope.size() + extra_columns.size());
    if (e.kind == AstExpr::Kind::kSubquery) {
      Type type;
      PlanPtr single = BindScalarSubquery(*e.subquery, &type);
      extra_columns.push_back([single](PlanPtr plan) {
        std::vector<ExprPtr> none;
        return JoinWithConjuncts(plan, single, &none);
      });
      return ivm::MakeColumn(column, type);
    }
    if (e.kind == AstExpr::Kind::kExists || e.kind == AstExpr::Kind::kInSubquery) {
      Scope scope = out.scope;
      extra_columns.push_back([this, scope, &e](PlanPtr plan) {
        return BindSemiJoin(plan, scope, e,
                            e.kind == AstExpr::Kind::kInSubquery ? ivm::SemiJoinKind::kMarkIn
                                                                 : ivm::SemiJoinKind::kMarkExists);
      });
      ExprPtr value = ivm::MakeColumn(column, Type::Of(ivm::TypeId::kBool));
      if (e.kind == AstExpr::Kind::kInSubquery && e.negated) {
        value = ivm::MakeUnary(ivm::ExprKind::kNot, value, Type::Of(ivm::TypeId::kBool));
      }
      return value;
    }
    return nullptr;
  });
  for (const AstExpr* w : where) SplitConjuncts(binder.BindPredicate(*w), &conjuncts);
  for (const ExprPtr& c : conjuncts) PushRowNumberLimit(c, items);
  if (items.empty()) {
    // SELECT without FROM: one empty row, as a constant source.
    out.plan = MakeNode(PlanNode::Kind::kScan, {}, {});
    out.plan->relation_id = 0;
    out.plan->relation_name = "(one row)";
  } else {
    out.plan = items[0].plan;
    for (size_t i = 1; i < items.size(); ++i) {
      if (const ExprPtr& call = lateral_calls[i]) {
        out.plan = ApplyLateralCall(out.plan, call);
        continue;
      }
      out.plan = JoinWithConjuncts(out.plan, items[i].plan, &conjuncts);
    }
  }
  for (const auto& add_column : extra_columns) out.plan = add_column(out.plan);
  out.plan = MakeFilter(out.plan, conjuncts);
  return out;
}

}  // namespace sql
