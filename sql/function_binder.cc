// Binding of scalar function calls (through the ivm function registry, with PostgreSQL's
// overload resolution), operators on non-numeric types, CASE, COALESCE, NULLIF, GREATEST,
// LEAST, LIKE/ILIKE, IS [NOT] DISTINCT FROM and INTERVAL literals.
#include "ivm/error.h"
#include "ivm/functions/function_registry.h"
#include "ivm/interval.h"
#include "sql/expression_binder.h"

namespace sql {

using ivm::Error;
using ivm::ExprKind;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
namespace sqlstate = ivm::sqlstate;

namespace {

constexpr const char* kAmbiguousFunction = "42725";

bool IsUnknown(const ExprPtr& e) { return e->type.id == TypeId::kUnknown; }

bool AllConstant(const std::vector<ExprPtr>& args) {
  for (const ExprPtr& a : args) {
    if (a->kind != ExprKind::kConstant) return false;
  }
  return true;
}

std::string ArgTypeList(const std::vector<ExprPtr>& args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += ", ";
    s += args[i]->type.ToString();
  }
  return s;
}

[[noreturn]] void NoOperator(const std::string& op, const std::vector<ExprPtr>& args) {
  std::string what = args.size() == 2
                         ? args[0]->type.ToString() + " " + op + " " + args[1]->type.ToString()
                         : op + " " + args[0]->type.ToString();
  throw Error(sqlstate::kUndefinedFunction, "operator does not exist: " + what, "",
              "No operator matches the given name and argument types. You might need to add "
              "explicit type casts.");
}

// The operands of "=" (CASE operand vs WHEN value, NULLIF, IS DISTINCT FROM).
void CoerceForEquality(ExprPtr* a, ExprPtr* b) {
  Type common = CommonType((*a)->type, (*b)->type, "=");
  *a = ivm::MakeCast(*a, common);
  *b = ivm::MakeCast(*b, common);
}

}  // namespace

ExprPtr BindRegisteredCall(const std::string& name, std::vector<ExprPtr> args, bool is_operator,
                           const char* set_returning_refused) {
  std::vector<TypeId> types;
  for (const ExprPtr& a : args) types.push_back(a->type.id);
  ivm::FunctionMatch match = ivm::ResolveFunction(name, types, is_operator);
  if (!match.function) {
    if (is_operator && !match.ambiguous) NoOperator(name, args);
    if (is_operator) {
      throw Error(kAmbiguousFunction,
                  "operator is not unique: " + args[0]->type.ToString() + " " + name + " " +
                      args.back()->type.ToString(),
                  "",
                  "Could not choose a best candidate operator. You might need to add "
                  "explicit type casts.");
    }
    if (match.ambiguous) {
      throw Error(kAmbiguousFunction,
                  "function " + name + "(" + ArgTypeList(args) + ") is not unique", "",
                  "Could not choose a best candidate function. You might need to add "
                  "explicit type casts.");
    }
    throw Error(sqlstate::kUndefinedFunction,
                "function " + name + "(" + ArgTypeList(args) + ") does not exist", "",
                "No function matches the given name and argument types. You might need to add "
                "explicit type casts.");
  }
  const ivm::ScalarFunction& f = *match.function;
  if (f.set_returning && set_returning_refused) {
    throw Error(sqlstate::kFeatureNotSupported,
                std::string("set-returning functions are not allowed in ") +
                    (*set_returning_refused ? set_returning_refused : "this context"));
  }
  // anyarray parameters take arrays of any element type; an anyarray result has the element
  // type of the first array argument (text when there is none).
  Type result = Type::Of(f.result);
  if (f.result == TypeId::kArray) result = Type::Array(TypeId::kText);
  bool array_seen = false;
  for (size_t i = 0; i < args.size(); ++i) {
    TypeId param = i < f.params.size() ? f.params[i] : TypeId::kUnknown;
    if (param == TypeId::kArray) {
      if (args[i]->type.id != TypeId::kArray) {
        args[i] = ivm::MakeCast(args[i], Type::Array(TypeId::kText));
      }
      if (!array_seen && f.result == TypeId::kArray) {
        result = Type::Array(args[i]->type.element);
      }
      array_seen = true;
    } else if (param == TypeId::kUnknown) {  // variadic "any": untyped literals become text
      args[i] = ResolveUnknown(args[i]);
    } else if (!(args[i]->type.IsString() && args[i]->type.id != TypeId::kChar &&
                 Type::Of(param).IsString())) {
      // character(n) becomes text without its trailing blanks, as in PostgreSQL.
      args[i] = ivm::MakeCast(args[i], Type::Of(param));
    }
  }
  if (f.set_returning) {
    // Typed by one row: a record of the function's fields, the array argument's element
    // (unnest), or the first argument's type (generate_series).
    TypeId first_element = TypeId::kUnknown;
    for (const ExprPtr& a : args) {
      if (a->type.id == TypeId::kArray) {
        first_element = a->type.element;
        break;
      }
    }
    Type row = f.record_fields             ? Type::Record(f.record_fields(first_element))
               : first_element != TypeId::kUnknown ? Type::Of(first_element)
                                                   : Type::Of(f.params.at(0));
    return ivm::MakeCall(f, std::move(args), row);
  }
  bool fold = f.deterministic && AllConstant(args);
  ExprPtr call = ivm::MakeCall(f, std::move(args), result);
  // Constant calls fold now, so their errors surface at bind time, as in PostgreSQL.
  if (fold) return ivm::MakeConstant(call->Eval({}), result);
  return call;
}

Type SelectCommonType(std::vector<ExprPtr>* exprs, const std::string& construct) {
  const Type* first = nullptr;
  bool all_same = true;
  TypeId common_id = TypeId::kUnknown;
  for (const ExprPtr& e : *exprs) {
    TypeId t = e->type.id;
    if (t == TypeId::kUnknown) continue;
    if (!first) {
      first = &e->type;
      common_id = t;
      continue;
    }
    if (!(e->type == *first)) all_same = false;
    if (t == common_id) continue;
    if (!ivm::SameTypeCategory(common_id, t)) {
      throw Error(sqlstate::kDatatypeMismatch, construct + " types " +
                                                   Type::Of(common_id).ToString() + " and " +
                                                   e->type.ToString() + " cannot be matched");
    }
    if (!ivm::IsPreferredType(common_id) && ivm::CanCoerceImplicitly(common_id, t) &&
        !ivm::CanCoerceImplicitly(t, common_id)) {
      common_id = t;
    }
  }
  Type common = !first ? Type::Of(TypeId::kText) : all_same ? *first : Type::Of(common_id);
  if (common.id == TypeId::kNumeric && !all_same) common = Type::Numeric();
  for (ExprPtr& e : *exprs) {
    if (!ivm::CanCoerceImplicitly(e->type.id, common.id)) {
      throw Error(sqlstate::kDatatypeMismatch, construct + " could not convert type " +
                                                   e->type.ToString() + " to " + common.ToString());
    }
    e = ivm::MakeCast(e, common);
  }
  return common;
}

ExprPtr BindIntervalLiteral(const AstExpr& expr) {
  ivm::Interval value = ivm::ParseInterval(expr.name, ivm::IntervalUnitFromName(expr.op));
  return ivm::MakeConstant(ivm::Value::FromInterval(value), Type::Of(TypeId::kInterval));
}

ExprPtr ExpressionBinder::BindChild(const AstExprPtr& expr, AggregateScope* agg) {
  return agg ? BindAggregated(*expr, agg) : BindNode(*expr, nullptr);
}

ExprPtr ExpressionBinder::BindScalarCall(const AstExpr& expr, AggregateScope* agg) {
  const std::string& name = expr.name;
  if (name == "coalesce" || name == "nullif" || name == "greatest" || name == "least") {
    return BindConditional(expr, agg);
  }
  if (expr.distinct || !expr.order_by.empty()) {
    throw Error(sqlstate::kWrongObjectType,
                "DISTINCT or ORDER BY specified, but " + name + " is not an aggregate function");
  }
  if (expr.star) {
    throw Error(sqlstate::kWrongObjectType,
                name + "(*) specified, but " + name + " is not an aggregate function");
  }
  std::vector<ExprPtr> args;
  for (const AstExprPtr& a : expr.args) args.push_back(BindChild(a, agg));
  return BindRegisteredCall(name, std::move(args), false,
                            allow_set_returning_ ? nullptr : clause_);
}

bool IsSetReturningCall(const ExprPtr& expr) {
  return expr->kind == ExprKind::kCall && expr->function->set_returning;
}

ExprPtr ExtractSetReturning(const ExprPtr& expr, int first_column, std::vector<ExprPtr>* calls) {
  if (IsSetReturningCall(expr)) {
    for (const ExprPtr& a : expr->args) {
      std::vector<ExprPtr> nested;
      ExtractSetReturning(a, 0, &nested);
      if (!nested.empty()) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "a set-returning function in the arguments of another is not supported");
      }
    }
    std::string text = expr->ToString();
    size_t i = 0;
    while (i < calls->size() && (*calls)[i]->ToString() != text) ++i;
    if (i == calls->size()) calls->push_back(expr);
    return ivm::MakeColumn(first_column + static_cast<int>(i), expr->type);
  }
  if (expr->args.empty()) return expr;
  std::shared_ptr<ivm::Expr> copy;
  for (size_t i = 0; i < expr->args.size(); ++i) {
    ExprPtr arg = ExtractSetReturning(expr->args[i], first_column, calls);
    if (arg == expr->args[i]) continue;
    if (!copy) copy = std::make_shared<ivm::Expr>(*expr);
    copy->args[i] = std::move(arg);
  }
  return copy ? copy : expr;
}

ExprPtr ExpressionBinder::BindConditional(const AstExpr& expr, AggregateScope* agg) {
  std::vector<ExprPtr> args;
  for (const AstExprPtr& a : expr.args) args.push_back(BindChild(a, agg));
  if (expr.name == "nullif") {
    if (args.size() != 2) throw Error(sqlstate::kSyntaxError, "NULLIF takes two arguments");
    CoerceForEquality(&args[0], &args[1]);
    Type type = args[0]->type;
    return ivm::MakeVariadic(ExprKind::kNullIf, std::move(args), type);
  }
  if (args.empty()) {
    throw Error(sqlstate::kSyntaxError, "syntax error at or near \")\"");
  }
  std::string construct = expr.name == "coalesce"   ? "COALESCE"
                          : expr.name == "greatest" ? "GREATEST"
                                                    : "LEAST";
  Type type = SelectCommonType(&args, construct);
  ExprKind kind = expr.name == "coalesce"   ? ExprKind::kCoalesce
                  : expr.name == "greatest" ? ExprKind::kGreatest
                                            : ExprKind::kLeast;
  return ivm::MakeVariadic(kind, std::move(args), type);
}

ExprPtr ExpressionBinder::BindCase(const AstExpr& expr, AggregateScope* agg) {
  ExprPtr operand = expr.case_operand ? BindChild(expr.case_operand, agg) : nullptr;
  std::vector<ExprPtr> conditions;
  // Results with the ELSE first: PostgreSQL resolves the CASE type in that order.
  std::vector<ExprPtr> results(1);
  for (size_t i = 0; i + 1 < expr.args.size(); i += 2) {
    ExprPtr when = BindChild(expr.args[i], agg);
    if (operand) {
      ExprPtr left = operand;
      CoerceForEquality(&left, &when);
      conditions.push_back(ivm::MakeCompare(ivm::CompareOp::kEq, left, when));
    } else {
      conditions.push_back(RequireBoolean(when, "CASE/WHEN"));
    }
    results.push_back(BindChild(expr.args[i + 1], agg));
  }
  results[0] = expr.else_expr ? BindChild(expr.else_expr, agg)
                              : ivm::MakeConstant(ivm::Value::Null(TypeId::kUnknown),
                                                  Type::Of(TypeId::kUnknown));
  Type type = SelectCommonType(&results, "CASE");
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < conditions.size(); ++i) {
    args.push_back(conditions[i]);
    args.push_back(results[i + 1]);
  }
  args.push_back(results[0]);
  return ivm::MakeVariadic(ExprKind::kCase, std::move(args), type);
}

ExprPtr ExpressionBinder::BindLike(const AstExpr& expr, AggregateScope* agg) {
  bool ilike = expr.op == "ILIKE";
  std::vector<ExprPtr> args;
  for (const AstExprPtr& a : expr.args) args.push_back(BindChild(a, agg));
  std::string symbol = std::string(expr.negated ? "!" : "") + (ilike ? "~~*" : "~~");
  for (size_t i = 0; i < 2; ++i) {
    if (!IsUnknown(args[i]) && !args[i]->type.IsString()) {
      NoOperator(symbol, {args[0], args[1]});
    }
  }
  for (ExprPtr& a : args) {
    a = ResolveUnknown(a);
    if (!a->type.IsString()) {
      throw Error(sqlstate::kUndefinedFunction,
                  "function like_escape(text, " + a->type.ToString() + ") does not exist");
    }
  }
  ExprPtr like = ivm::MakeLike(args[0], args[1], args.size() > 2 ? args[2] : nullptr, ilike);
  if (AllConstant(args)) like = ivm::MakeConstant(like->Eval({}), Type::Of(TypeId::kBool));
  return expr.negated ? ivm::MakeUnary(ExprKind::kNot, like, Type::Of(TypeId::kBool)) : like;
}

ExprPtr ExpressionBinder::BindIsDistinctFrom(const AstExpr& expr, AggregateScope* agg) {
  ExprPtr a = BindChild(expr.args[0], agg);
  ExprPtr b = BindChild(expr.args[1], agg);
  CoerceForEquality(&a, &b);
  ExprKind kind = expr.negated ? ExprKind::kIsNotDistinctFrom : ExprKind::kIsDistinctFrom;
  return ivm::MakeVariadic(kind, {a, b}, Type::Of(TypeId::kBool));
}

}  // namespace sql
