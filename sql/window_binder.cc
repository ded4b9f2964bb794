// Binding of window functions: ROW_NUMBER() becomes a row-numbering top-N node (which a
// filter rn <= k can limit); rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead,
// first_value, last_value, nth_value and the aggregates sum, avg, count, min and max
// OVER (...) become window nodes. They run after grouping, so the nodes are placed once
// the select list is bound (ApplyWindows).
#include "ivm/error.h"
#include "sql/query_binder.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
using ivm::WindowFunctionKind;
namespace sqlstate = ivm::sqlstate;

namespace {

constexpr const char* kWindowingError = "42P20";

bool ContainsWindowCall(const AstExpr& e) {
  if (e.kind == AstExpr::Kind::kFunction && e.has_over) return true;
  for (const AstExprPtr& a : e.args) {
    if (a && ContainsWindowCall(*a)) return true;
  }
  return false;
}

std::optional<WindowFunctionKind> KindOf(const std::string& name, bool star) {
  static const std::pair<const char*, WindowFunctionKind> kNames[] = {
      {"rank", WindowFunctionKind::kRank},
      {"dense_rank", WindowFunctionKind::kDenseRank},
      {"percent_rank", WindowFunctionKind::kPercentRank},
      {"cume_dist", WindowFunctionKind::kCumeDist},
      {"ntile", WindowFunctionKind::kNtile},
      {"lag", WindowFunctionKind::kLag},
      {"lead", WindowFunctionKind::kLead},
      {"first_value", WindowFunctionKind::kFirstValue},
      {"last_value", WindowFunctionKind::kLastValue},
      {"nth_value", WindowFunctionKind::kNthValue},
      {"sum", WindowFunctionKind::kSum},
      {"avg", WindowFunctionKind::kAvg},
      {"min", WindowFunctionKind::kMin},
      {"max", WindowFunctionKind::kMax},
  };
  if (name == "count") return star ? WindowFunctionKind::kCountStar : WindowFunctionKind::kCount;
  for (const auto& [n, kind] : kNames) {
    if (name == n) return kind;
  }
  return std::nullopt;
}

// A constant positive integer argument (lag's offset, ntile's buckets, nth_value's n).
int64_t ConstantCount(const ExprPtr& e, const std::string& function) {
  if (e->kind != ivm::ExprKind::kConstant || !e->type.IsInteger() || e->constant.is_null()) {
    throw Error(sqlstate::kFeatureNotSupported,
                function + " with an argument that is not a constant integer is not supported yet");
  }
  return e->constant.int_value();
}

// The frame of OVER (...), as PostgreSQL checks it; RANGE with an offset and GROUPS are not
// supported yet (0A000).
ivm::WindowFrame BindFrame(const AstWindowFrame& frame,
                           const std::function<ExprPtr(const AstExpr&)>& bind) {
  using Bound = ivm::WindowFrame::Bound;
  using K = AstFrameBound::Kind;
  if (frame.unit == AstWindowFrame::Unit::kGroups) {
    throw Error(sqlstate::kFeatureNotSupported, "GROUPS window frames are not supported yet");
  }
  ivm::WindowFrame out;
  out.rows = frame.unit == AstWindowFrame::Unit::kRows;
  auto convert = [&](const AstFrameBound& b, bool start, int64_t* offset) {
    if (b.offset) {
      if (!out.rows) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "RANGE with an offset PRECEDING or FOLLOWING is not supported yet", "",
                    "Use ROWS, or RANGE with UNBOUNDED and CURRENT ROW bounds.");
      }
      ExprPtr e = bind(*b.offset);
      if (e->kind != ivm::ExprKind::kConstant || !e->type.IsInteger() || e->constant.is_null()) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "a frame offset that is not a constant integer is not supported yet");
      }
      *offset = e->constant.int_value();
      if (*offset < 0) {
        throw Error("22013", std::string("frame ") + (start ? "starting" : "ending") +
                                 " offset must not be negative");
      }
    }
    switch (b.kind) {
      case K::kUnboundedPreceding: return Bound::kUnboundedPreceding;
      case K::kPreceding: return Bound::kPreceding;
      case K::kCurrentRow: return Bound::kCurrentRow;
      case K::kFollowing: return Bound::kFollowing;
      case K::kUnboundedFollowing: return Bound::kUnboundedFollowing;
    }
    return Bound::kCurrentRow;
  };
  out.start = convert(frame.start, true, &out.start_offset);
  out.end = convert(frame.end, false, &out.end_offset);
  if (out.start == Bound::kUnboundedFollowing) {
    throw Error(kWindowingError, "frame start cannot be UNBOUNDED FOLLOWING");
  }
  if (out.end == Bound::kUnboundedPreceding) {
    throw Error(kWindowingError, "frame end cannot be UNBOUNDED PRECEDING");
  }
  if (out.start == Bound::kCurrentRow && out.end == Bound::kPreceding) {
    throw Error(kWindowingError, "frame starting from current row cannot have preceding rows");
  }
  if (out.start == Bound::kFollowing &&
      (out.end == Bound::kPreceding || out.end == Bound::kCurrentRow)) {
    throw Error(kWindowingError, out.end == Bound::kCurrentRow
                                     ? "frame starting from following row cannot end with "
                                       "current row"
                                     : "frame starting from following row cannot have "
                                       "preceding rows");
  }
  return out;
}

ExprPtr ReplacePlaceholders(const ExprPtr& e, const std::vector<int>& columns) {
  if (e->kind == ivm::ExprKind::kColumn && e->column >= kWindowPlaceholder) {
    return ivm::MakeColumn(columns.at(static_cast<size_t>(e->column - kWindowPlaceholder)),
                           e->type);
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<ivm::Expr>(*e);
  for (ExprPtr& a : copy->args) a = ReplacePlaceholders(a, columns);
  return copy;
}

}  // namespace

ExprPtr QueryBinder::BindWindowFunction(const AstExpr& call,
                                        const std::function<ExprPtr(const AstExpr&)>& bind,
                                        std::vector<PlanPtr>* windows) {
  for (const AstExprPtr& a : call.args) {
    if (ContainsWindowCall(*a)) {
      throw Error(kWindowingError, "window function calls cannot be nested");
    }
  }
  if (call.distinct) {
    throw Error(sqlstate::kFeatureNotSupported, "DISTINCT is not implemented for window functions");
  }
  const bool row_number = call.name == "row_number";
  std::optional<WindowFunctionKind> kind = KindOf(call.name, call.star);
  if (!row_number && !kind) {
    throw Error(sqlstate::kUndefinedFunction, "window function " + call.name + " does not exist",
                "",
                "Window functions are row_number, rank, dense_rank, percent_rank, cume_dist, "
                "ntile, lag, lead, first_value, last_value, nth_value, and sum, avg, count, min "
                "and max with OVER.");
  }
  auto node = MakeNode(row_number ? PlanNode::Kind::kTopN : PlanNode::Kind::kWindow, {}, {});
  for (const AstExprPtr& p : call.partition_by) node->partition.push_back(ResolveUnknown(bind(*p)));
  for (const AstOrderItem& o : call.window_order_by) {
    ivm::SortSpec spec;
    spec.expr = ResolveUnknown(bind(*o.expr));
    spec.descending = o.descending;
    spec.nulls_first = o.nulls_first.value_or(o.descending);
    node->order.push_back(spec);
  }
  std::vector<ExprPtr> args;
  for (const AstExprPtr& a : call.args) args.push_back(ResolveUnknown(bind(*a)));
  auto arity = [&](size_t min, size_t max) {
    if (args.size() < min || args.size() > max) {
      throw Error(sqlstate::kUndefinedFunction,
                  "function " + call.name + " with " + std::to_string(args.size()) +
                      " arguments does not exist");
    }
  };
  Type type = Type::Of(TypeId::kInt64);
  if (row_number) {
    arity(0, 0);
    node->row_number = true;
  } else {
    ivm::WindowFunctionSpec& f = node->window_function;
    f.kind = *kind;
    switch (f.kind) {
      case WindowFunctionKind::kRank:
      case WindowFunctionKind::kDenseRank:
      case WindowFunctionKind::kCountStar:
        arity(0, 0);
        break;
      case WindowFunctionKind::kPercentRank:
      case WindowFunctionKind::kCumeDist:
        arity(0, 0);
        type = Type::Of(TypeId::kFloat64);
        break;
      case WindowFunctionKind::kNtile:
        arity(1, 1);
        f.offset = ConstantCount(args[0], call.name);
        if (f.offset <= 0) throw Error("22014", "argument of ntile must be greater than zero");
        type = Type::Of(TypeId::kInt32);
        break;
      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead:
        arity(1, 3);
        f.arg = args[0];
        type = f.arg->type;
        if (args.size() >= 2) f.offset = ConstantCount(args[1], call.name);
        if (args.size() == 3) {
          // The value and the default meet in their common type (numeric(12,2) and 0 give
          // numeric), as PostgreSQL resolves lag(anyelement, int, anyelement).
          type = CommonType(f.arg->type, args[2]->type, call.name);
          f.arg = ivm::MakeCast(f.arg, type);
          f.default_value = ivm::MakeCast(args[2], type);
        }
        break;
      case WindowFunctionKind::kFirstValue:
      case WindowFunctionKind::kLastValue:
        arity(1, 1);
        f.arg = args[0];
        type = f.arg->type;
        break;
      case WindowFunctionKind::kNthValue:
        arity(2, 2);
        f.arg = args[0];
        type = f.arg->type;
        f.offset = ConstantCount(args[1], call.name);
        if (f.offset <= 0) throw Error("22016", "argument of nth_value must be greater than zero");
        break;
      case WindowFunctionKind::kCount:
        arity(1, 1);
        f.arg = args[0];
        break;
      case WindowFunctionKind::kSum:
      case WindowFunctionKind::kAvg:
        arity(1, 1);
        f.arg = args[0];
        if (!f.arg->type.IsNumeric()) {
          throw Error(sqlstate::kUndefinedFunction,
                      "function " + call.name + "(" + f.arg->type.ToString() + ") does not exist");
        }
        type = ivm::AggregateResultType(
            f.kind == WindowFunctionKind::kSum ? ivm::AggregateKind::kSum : ivm::AggregateKind::kAvg,
            f.arg->type);
        break;
      case WindowFunctionKind::kMin:
      case WindowFunctionKind::kMax:
        arity(1, 1);
        f.arg = args[0];
        type = f.arg->type;
        break;
    }
    f.result_type = type;
    if (call.frame) f.frame = BindFrame(*call.frame, bind);
  }
  node->output_types = {type};  // the input's columns come first, once it is known
  windows->push_back(node);
  return ivm::MakeColumn(kWindowPlaceholder + static_cast<int>(windows->size() - 1), type);
}

PlanPtr ApplyWindows(PlanPtr plan, const std::vector<PlanPtr>& windows,
                     std::vector<ExprPtr>* exprs) {
  if (windows.empty()) return plan;
  std::vector<int> columns;
  for (const PlanPtr& w : windows) {
    std::vector<Type> types = plan->output_types;
    types.push_back(w->output_types.back());
    w->output_types = std::move(types);
    w->children = {plan};
    columns.push_back(static_cast<int>(w->output_types.size()) - 1);
    plan = w;
  }
  for (ExprPtr& e : *exprs) e = ReplacePlaceholders(e, columns);
  return plan;
}

}  // namespace sql
