// Binding of aggregate calls (count, sum, avg, min, max, ...) into AggregateSpecs.
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

}  // namespace

bool IsAggregateName(const std::string& name) {
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max";
}

ExprPtr ExpressionBinder::BindAggregateCall(const AstExpr& expr, AggregateScope* agg) {
  if (expr.distinct) {
    throw Error(sqlstate::kFeatureNotSupported,
                "aggregates with DISTINCT (" + expr.name + "(DISTINCT ...)) are not supported yet");
  }
  for (const AstExprPtr& a : expr.args) {
    if (ContainsAggregate(*a)) {
      throw Error(sqlstate::kGroupingError, "aggregate function calls cannot be nested");
    }
  }
  ivm::AggregateSpec spec;
  if (expr.star) {
    if (expr.name != "count") {
      throw Error(sqlstate::kSyntaxError,
                  expr.name + "(*) must be used to call a parameterless aggregate function");
    }
    spec.kind = ivm::AggregateKind::kCountStar;
    spec.result_type = Type::Of(TypeId::kInt64);
  } else {
    if (expr.args.size() != 1) {
      throw Error(sqlstate::kUndefinedFunction, "function " + expr.name + " with " +
                                                    std::to_string(expr.args.size()) +
                                                    " arguments does not exist");
    }
    ExprPtr arg = Bind(*expr.args[0]);
    if (expr.name == "count") {
      spec.kind = ivm::AggregateKind::kCount;
    } else {
      if (IsUnknown(arg))
        arg = ivm::MakeCast(arg, expr.name == "min" || expr.name == "max" ? Type::Of(TypeId::kText)
                                                                          : Type::Numeric());
      bool numeric = arg->type.IsNumeric();
      if ((expr.name == "sum" || expr.name == "avg") && !numeric) {
        throw Error(sqlstate::kUndefinedFunction,
                    "function " + expr.name + "(" + arg->type.ToString() + ") does not exist", "",
                    "No function matches the given name and argument types.");
      }
      if ((expr.name == "min" || expr.name == "max") && arg->type.id == TypeId::kBool) {
        throw Error(sqlstate::kUndefinedFunction,
                    "function " + expr.name + "(boolean) does not exist");
      }
      spec.kind = expr.name == "sum"   ? ivm::AggregateKind::kSum
                  : expr.name == "avg" ? ivm::AggregateKind::kAvg
                  : expr.name == "min" ? ivm::AggregateKind::kMin
                                       : ivm::AggregateKind::kMax;
    }
    spec.arg = arg;
    spec.result_type = ivm::AggregateResultType(spec.kind, arg->type);
    if (spec.kind == ivm::AggregateKind::kMin || spec.kind == ivm::AggregateKind::kMax) {
      spec.result_type = arg->type;  // keeps numeric(p,s), varchar(n)
    }
  }
  std::string text = std::string(ivm::AggregateName(spec.kind)) + "(" +
                     (spec.arg ? spec.arg->ToString() : "*") + ")" +
                     std::to_string(static_cast<int>(spec.kind));
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
