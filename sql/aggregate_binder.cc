// Binding of aggregate calls (count, sum, avg, min, max, bool_and, bool_or, string_agg,
// with DISTINCT and ORDER BY) into AggregateSpecs.
#include "ivm/error.h"
#include "sql/expression_binder.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
namespace sqlstate = ivm::sqlstate;

namespace {

bool IsUnknown(const ExprPtr& e) { return e->type.id == TypeId::kUnknown; }

[[noreturn]] void NoSuchAggregate(const std::string& name, const std::vector<ExprPtr>& args) {
  std::string signature = name + "(";
  for (size_t i = 0; i < args.size(); ++i) signature += (i ? ", " : "") + args[i]->type.ToString();
  throw Error(sqlstate::kUndefinedFunction, "function " + signature + ") does not exist", "",
              "No function matches the given name and argument types.");
}

ivm::AggregateKind KindOf(const std::string& name) {
  if (name == "count") return ivm::AggregateKind::kCount;
  if (name == "sum") return ivm::AggregateKind::kSum;
  if (name == "avg") return ivm::AggregateKind::kAvg;
  if (name == "min") return ivm::AggregateKind::kMin;
  if (name == "max") return ivm::AggregateKind::kMax;
  if (name == "bool_and" || name == "every") return ivm::AggregateKind::kBoolAnd;
  if (name == "bool_or") return ivm::AggregateKind::kBoolOr;
  if (name == "array_agg") return ivm::AggregateKind::kArrayAgg;
  if (name == "percentile_cont") return ivm::AggregateKind::kPercentileCont;
  if (name == "percentile_disc") return ivm::AggregateKind::kPercentileDisc;
  return ivm::AggregateKind::kStringAgg;
}

}  // namespace

bool IsAggregateName(const std::string& name) {
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max" ||
         name == "bool_and" || name == "bool_or" || name == "every" || name == "string_agg" ||
         name == "array_agg" || name == "percentile_cont" || name == "percentile_disc";
}

ExprPtr ExpressionBinder::BindAggregateCall(const AstExpr& expr, AggregateScope* agg) {
  if (expr.has_over) {
    throw Error(sqlstate::kFeatureNotSupported,
                "aggregate functions used as window functions are not supported yet");
  }
  for (const AstExprPtr& a : expr.args) {
    if (ContainsAggregate(*a)) {
      throw Error(sqlstate::kGroupingError, "aggregate function calls cannot be nested");
    }
  }
  ivm::AggregateSpec spec;
  spec.distinct = expr.distinct;
  if (expr.star) {
    if (expr.name != "count") {
      throw Error(sqlstate::kSyntaxError,
                  expr.name + "(*) must be used to call a parameterless aggregate function");
    }
    spec.kind = ivm::AggregateKind::kCountStar;
    spec.result_type = Type::Of(TypeId::kInt64);
  } else {
    std::vector<ExprPtr> args;
    for (const AstExprPtr& a : expr.args) args.push_back(Bind(*a));
    spec.kind = KindOf(expr.name);
    const bool percentile = spec.kind == ivm::AggregateKind::kPercentileCont ||
                            spec.kind == ivm::AggregateKind::kPercentileDisc;
    if (percentile && !expr.within_group) {
      throw Error(sqlstate::kUndefinedFunction,
                  "function " + expr.name + "(" + (args.empty() ? "" : "numeric") +
                      ") does not exist",
                  "", "An ordered-set aggregate is called with WITHIN GROUP (ORDER BY ...).");
    }
    if (!percentile && expr.within_group) {
      throw Error(sqlstate::kUndefinedFunction,
                  "function " + expr.name + " WITHIN GROUP does not exist", "",
                  expr.name + " is not an ordered-set aggregate function.");
    }
    if (percentile) {
      // percentile_cont(fraction) WITHIN GROUP (ORDER BY x): the argument is x, ordered.
      if (args.size() != 1 || expr.order_by.size() != 1) NoSuchAggregate(expr.name, args);
      ExprPtr fraction = ivm::MakeCast(args[0], Type::Of(TypeId::kFloat64));
      if (fraction->kind != ivm::ExprKind::kConstant || fraction->constant.is_null()) {
        throw Error(sqlstate::kFeatureNotSupported,
                    expr.name + " with a fraction that is not a constant is not supported yet");
      }
      spec.fraction = fraction->constant.float_value();
      if (spec.fraction < 0 || spec.fraction > 1) {
        throw Error(sqlstate::kNumericValueOutOfRange,
                    "percentile value " + fraction->constant.ToText() + " is not between 0 and 1");
      }
      args = {ResolveUnknown(Bind(*expr.order_by[0].expr))};
    }
    const size_t arity = spec.kind == ivm::AggregateKind::kStringAgg ? 2 : 1;
    if (args.size() != arity) NoSuchAggregate(expr.name, args);
    ExprPtr arg = args[0];
    switch (spec.kind) {
      case ivm::AggregateKind::kCount:
        break;
      case ivm::AggregateKind::kSum:
      case ivm::AggregateKind::kAvg:
        if (IsUnknown(arg)) arg = ivm::MakeCast(arg, Type::Numeric());
        if (!arg->type.IsNumeric()) NoSuchAggregate(expr.name, {arg});
        break;
      case ivm::AggregateKind::kMin:
      case ivm::AggregateKind::kMax:
        if (IsUnknown(arg)) arg = ivm::MakeCast(arg, Type::Of(TypeId::kText));
        if (arg->type.id == TypeId::kBool) NoSuchAggregate(expr.name, {arg});
        break;
      case ivm::AggregateKind::kBoolAnd:
      case ivm::AggregateKind::kBoolOr:
        arg = RequireBoolean(arg, expr.name);
        break;
      case ivm::AggregateKind::kStringAgg: {
        if (IsUnknown(arg)) arg = ivm::MakeCast(arg, Type::Of(TypeId::kText));
        if (!arg->type.IsString()) NoSuchAggregate(expr.name, args);
        arg = ivm::MakeCast(arg, Type::Of(TypeId::kText));
        const ExprPtr& sep = args[1];
        if (sep->kind != ivm::ExprKind::kConstant) {
          throw Error(sqlstate::kFeatureNotSupported,
                      "string_agg with a separator that is not a constant is not supported yet");
        }
        spec.separator = sep->constant.is_null() ? "" : sep->constant.ToText();
        break;
      }
      case ivm::AggregateKind::kArrayAgg:
        arg = ResolveUnknown(arg);
        if (arg->type.id == TypeId::kArray || arg->type.id == TypeId::kRecord) {
          throw Error(sqlstate::kFeatureNotSupported,
                      "array_agg of arrays or records is not supported yet");
        }
        break;
      case ivm::AggregateKind::kPercentileCont:
        if (!arg->type.IsNumeric()) NoSuchAggregate(expr.name, {arg});
        arg = ivm::MakeCast(arg, Type::Of(TypeId::kFloat64));
        break;
      case ivm::AggregateKind::kPercentileDisc:
      case ivm::AggregateKind::kCountStar:
        break;
    }
    if (!expr.order_by.empty()) {
      if (!spec.IsOrdered()) {
        // ORDER BY does not change any other supported aggregate's result.
      } else {
        for (const AstOrderItem& o : expr.order_by) {
          ivm::SortSpec s;
          s.expr = ResolveUnknown(Bind(*o.expr));
          s.descending = o.descending;
          s.nulls_first = o.nulls_first.value_or(o.descending);
          spec.order_by.push_back(s);
        }
      }
    }
    if (spec.distinct && spec.kind == ivm::AggregateKind::kStringAgg) {
      throw Error(sqlstate::kFeatureNotSupported, "string_agg(DISTINCT ...) is not supported yet");
    }
    if (spec.distinct && spec.kind == ivm::AggregateKind::kArrayAgg && !spec.order_by.empty()) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "array_agg(DISTINCT ... ORDER BY ...) is not supported yet");
    }
    spec.arg = arg;
    spec.result_type = ivm::AggregateResultType(spec.kind, arg->type);
    if (spec.kind == ivm::AggregateKind::kMin || spec.kind == ivm::AggregateKind::kMax) {
      spec.result_type = arg->type;  // keeps numeric(p,s), varchar(n)
    }
  }
  std::string text = std::string(ivm::AggregateName(spec.kind)) + (spec.distinct ? "D(" : "(") +
                     (spec.arg ? spec.arg->ToString() : "*") + ")" +
                     std::to_string(static_cast<int>(spec.kind)) + spec.separator +
                     (expr.within_group ? std::to_string(spec.fraction) : std::string()) +
                     ivm::DescribeSort(spec.order_by);
  size_t index = 0;
  while (index < agg->aggregate_texts.size() && agg->aggregate_texts[index] != text) ++index;
  if (index == agg->aggregate_texts.size()) {
    agg->aggregates.push_back(spec);
    agg->aggregate_texts.push_back(text);
  }
  return ivm::MakeColumn(static_cast<int>(agg->group_keys.size() + index),
                         agg->aggregates[index].result_type);
}

}  // namespace sql
