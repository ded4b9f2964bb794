#include "ivm/expression.h"

#include <cctype>
#include <cmath>
#include <limits>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/functions/like.h"
#include "ivm/functions/scalar_function.h"
#include "ivm/subquery.h"

namespace ivm {
namespace {

[[noreturn]] void DivisionByZero() { throw Error(sqlstate::kDivisionByZero, "division by zero"); }

Value IntegerArith(ArithOp op, int64_t a, int64_t b, TypeId type) {
  __int128 r = 0;
  switch (op) {
    case ArithOp::kAdd:
      r = static_cast<__int128>(a) + b;
      break;
    case ArithOp::kSub:
      r = static_cast<__int128>(a) - b;
      break;
    case ArithOp::kMul:
      r = static_cast<__int128>(a) * b;
      break;
    case ArithOp::kDiv:
      if (b == 0) DivisionByZero();
      r = static_cast<__int128>(a) / b;  // truncates toward zero, as PostgreSQL does
      break;
    case ArithOp::kMod:
      if (b == 0) DivisionByZero();
      r = static_cast<__int128>(a) % b;
      break;
  }
  return Value::Integer(type, CheckIntegerRange(r, type));
}

Value FloatArith(ArithOp op, double a, double b, TypeId type) {
  double r = 0;
  switch (op) {
    case ArithOp::kAdd:
      r = a + b;
      break;
    case ArithOp::kSub:
      r = a - b;
      break;
    case ArithOp::kMul:
      r = a * b;
      break;
    case ArithOp::kDiv:
      if (b == 0) DivisionByZero();
      r = a / b;
      break;
    case ArithOp::kMod:
      throw Error(sqlstate::kUndefinedFunction,
                  "operator does not exist: double precision % double precision");
  }
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) {
    throw Error(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  }
  if (type == TypeId::kFloat32) {
    if (std::isfinite(r) && std::fabs(r) > std::numeric_limits<float>::max()) {
      throw Error(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
    }
    return Value::Float32(static_cast<float>(r));
  }
  return Value::Float64(r);
}

Value NumericArith(ArithOp op, const Decimal& a, const Decimal& b) {
  switch (op) {
    case ArithOp::kAdd:
      return Value::Numeric(a + b);
    case ArithOp::kSub:
      return Value::Numeric(a - b);
    case ArithOp::kMul:
      return Value::Numeric(a * b);
    case ArithOp::kDiv:
      return Value::Numeric(a.Divide(b));
    case ArithOp::kMod:
      return Value::Numeric(a.Mod(b));
  }
  return Value();
}

bool CompareResult(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq:
      return c == 0;
    case CompareOp::kNe:
      return c != 0;
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kGe:
      return c >= 0;
  }
  return false;
}

const char* ArithSymbol(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return "+";
    case ArithOp::kSub:
      return "-";
    case ArithOp::kMul:
      return "*";
    case ArithOp::kDiv:
      return "/";
    case ArithOp::kMod:
      return "%";
  }
  return "?";
}

const char* CompareSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "<>";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

// A registered function: arguments evaluated into a small buffer (no allocation for up to
// eight), NULL short-circuit for strict functions.
Value EvalCall(const Expr& e, const Row& row) {
  constexpr size_t kInline = 8;
  Value inline_args[kInline];
  std::vector<Value> heap_args;
  size_t n = e.args.size();
  Value* values = inline_args;
  if (n > kInline) {
    heap_args.resize(n);
    values = heap_args.data();
  }
  for (size_t i = 0; i < n; ++i) {
    values[i] = e.args[i]->Eval(row);
    if (e.function->strict && values[i].is_null()) return Value::Null(e.type.id);
  }
  Value result = e.function->body(std::span<const Value>(values, n));
  return result.is_null() ? Value::Null(e.type.id) : result;
}

// GREATEST / LEAST: NULLs are skipped; NULL only when every argument is NULL.
Value EvalExtreme(const Expr& e, const Row& row, bool greatest) {
  Value best = Value::Null(e.type.id);
  for (const ExprPtr& arg : e.args) {
    Value v = arg->Eval(row);
    if (v.is_null()) continue;
    if (best.is_null() || (greatest ? v.Compare(best) > 0 : v.Compare(best) < 0)) {
      best = std::move(v);
    }
  }
  return best;
}

Value EvalLike(const Expr& e, const Row& row) {
  Value text = e.args[0]->Eval(row);
  if (text.is_null()) return Value::Null(TypeId::kBool);
  Value pattern = e.args[1]->Eval(row);
  if (pattern.is_null()) return Value::Null(TypeId::kBool);
  int escape = kDefaultLikeEscape;
  if (e.args.size() > 2) {
    Value esc = e.args[2]->Eval(row);
    if (esc.is_null()) return Value::Null(TypeId::kBool);
    escape = LikeEscapeFromString(esc.string_value());
  }
  return Value::Bool(LikeMatch(text.string_value(), pattern.string_value(), escape, e.ilike));
}

std::string JoinArgs(const std::vector<ExprPtr>& args, const char* separator) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += separator;
    s += args[i]->ToString();
  }
  return s;
}

std::shared_ptr<Expr> NewExpr(ExprKind kind, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->type = type;
  return e;
}

}  // namespace

Value Expr::Eval(const Row& row) const {
  switch (kind) {
    case ExprKind::kColumn:
      return row[column];
    case ExprKind::kConstant:
      return constant;
    case ExprKind::kParameter: {
      const std::vector<Value>* values = ParameterValues::Current();
      if (!values || static_cast<size_t>(column) >= values->size()) {
        throw Error(sqlstate::kUndefinedParameter,
                    "there is no parameter $" + std::to_string(column + 1));
      }
      return (*values)[static_cast<size_t>(column)];
    }
    case ExprKind::kCast:
      return CastValue(args[0]->Eval(row), type);
    case ExprKind::kNegate: {
      Value v = args[0]->Eval(row);
      if (v.is_null()) return Value::Null(type.id);
      if (type.IsInteger()) return IntegerArith(ArithOp::kSub, 0, v.int_value(), type.id);
      if (type.IsFloat()) return FloatArith(ArithOp::kSub, 0, v.float_value(), type.id);
      return Value::Numeric(v.numeric_value().Negate());
    }
    case ExprKind::kNot: {
      Value v = args[0]->Eval(row);
      return v.is_null() ? v : Value::Bool(!v.bool_value());
    }
    case ExprKind::kIsNull:
      return Value::Bool(args[0]->Eval(row).is_null());
    case ExprKind::kIsNotNull:
      return Value::Bool(!args[0]->Eval(row).is_null());
    case ExprKind::kArith: {
      Value a = args[0]->Eval(row);
      if (a.is_null()) return Value::Null(type.id);
      Value b = args[1]->Eval(row);
      if (b.is_null()) return Value::Null(type.id);
      if (type.IsInteger()) return IntegerArith(arith, a.int_value(), b.int_value(), type.id);
      if (type.IsFloat()) return FloatArith(arith, a.float_value(), b.float_value(), type.id);
      return NumericArith(arith, a.numeric_value(), b.numeric_value());
    }
    case ExprKind::kCompare: {
      Value a = args[0]->Eval(row);
      if (a.is_null()) return Value::Null(TypeId::kBool);
      Value b = args[1]->Eval(row);
      if (b.is_null()) return Value::Null(TypeId::kBool);
      return Value::Bool(CompareResult(compare, a.Compare(b)));
    }
    case ExprKind::kAnd: {
      bool saw_null = false;
      for (const ExprPtr& arg : args) {
        Value v = arg->Eval(row);
        if (v.is_null()) {
          saw_null = true;
        } else if (!v.bool_value()) {
          return Value::Bool(false);
        }
      }
      return saw_null ? Value::Null(TypeId::kBool) : Value::Bool(true);
    }
    case ExprKind::kOr: {
      bool saw_null = false;
      for (const ExprPtr& arg : args) {
        Value v = arg->Eval(row);
        if (v.is_null()) {
          saw_null = true;
        } else if (v.bool_value()) {
          return Value::Bool(true);
        }
      }
      return saw_null ? Value::Null(TypeId::kBool) : Value::Bool(false);
    }
    case ExprKind::kConcat: {
      Value a = args[0]->Eval(row);
      Value b = args[1]->Eval(row);
      if (a.is_null() || b.is_null()) return Value::Null(TypeId::kText);
      return Value::Text(a.string_value() + b.string_value());
    }
    case ExprKind::kCall:
      return EvalCall(*this, row);
    case ExprKind::kCase: {
      for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (IsTrue(args[i]->Eval(row))) return args[i + 1]->Eval(row);
      }
      return args.back()->Eval(row);
    }
    case ExprKind::kCoalesce:
      for (const ExprPtr& arg : args) {
        Value v = arg->Eval(row);
        if (!v.is_null()) return v;
      }
      return Value::Null(type.id);
    case ExprKind::kNullIf: {
      Value a = args[0]->Eval(row);
      if (a.is_null()) return a;
      Value b = args[1]->Eval(row);
      if (!b.is_null() && a.Compare(b) == 0) return Value::Null(type.id);
      return a;
    }
    case ExprKind::kGreatest:
      return EvalExtreme(*this, row, true);
    case ExprKind::kLeast:
      return EvalExtreme(*this, row, false);
    case ExprKind::kLike:
      return EvalLike(*this, row);
    case ExprKind::kArrayConstruct: {
      std::vector<Value> items;
      items.reserve(args.size());
      for (const ExprPtr& arg : args) items.push_back(arg->Eval(row));
      return Value::Array(std::move(items));
    }
    case ExprKind::kSubscript: {
      Value array = args[0]->Eval(row);
      Value index = args[1]->Eval(row);
      if (array.is_null() || index.is_null()) return Value::Null(type.id);
      const int64_t lower = array.composite().vector ? 0 : 1;
      const int64_t i = index.int_value() - lower;
      if (i < 0 || i >= static_cast<int64_t>(array.items().size())) return Value::Null(type.id);
      return array.items()[static_cast<size_t>(i)];
    }
    case ExprKind::kQuantified: {
      // ANY: true when some element compares true, else NULL when some comparison was
      // NULL, else false. ALL: the same with true and false exchanged. Empty: false / true.
      Value array = args[1]->Eval(row);
      if (array.is_null()) return Value::Null(TypeId::kBool);
      if (array.items().empty()) return Value::Bool(all);
      Value a = args[0]->Eval(row);
      if (a.is_null()) return Value::Null(TypeId::kBool);
      bool saw_null = false;
      for (const Value& item : array.items()) {
        if (item.is_null()) {
          saw_null = true;
        } else if (CompareResult(compare, a.Compare(item)) != all) {
          return Value::Bool(!all);
        }
      }
      return saw_null ? Value::Null(TypeId::kBool) : Value::Bool(all);
    }
    case ExprKind::kFieldSelect: {
      Value record = args[0]->Eval(row);
      if (record.is_null()) return Value::Null(type.id);
      return record.items().at(static_cast<size_t>(column));
    }
    case ExprKind::kSubquery:
      return EvalSubquery(*this, row);
    case ExprKind::kOuterColumn:
      return EvalOuterColumn(*this);
    case ExprKind::kIsDistinctFrom:
    case ExprKind::kIsNotDistinctFrom: {
      bool same = args[0]->Eval(row).Compare(args[1]->Eval(row)) == 0;  // NULL == NULL here
      return Value::Bool(kind == ExprKind::kIsDistinctFrom ? !same : same);
    }
  }
  return Value();
}

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kColumn:
      return "#" + std::to_string(column);
    case ExprKind::kConstant:
      if (constant.is_null()) return "NULL";
      if (constant.type() == TypeId::kText || constant.type() == TypeId::kVarchar) {
        return "'" + constant.string_value() + "'";
      }
      return constant.ToText();
    case ExprKind::kParameter:
      return "$" + std::to_string(column + 1);
    case ExprKind::kCast:
      return args[0]->ToString() + "::" + type.ToString();
    case ExprKind::kNegate:
      return "(-" + args[0]->ToString() + ")";
    case ExprKind::kNot:
      return "(NOT " + args[0]->ToString() + ")";
    case ExprKind::kIsNull:
      return "(" + args[0]->ToString() + " IS NULL)";
    case ExprKind::kIsNotNull:
      return "(" + args[0]->ToString() + " IS NOT NULL)";
    case ExprKind::kArith:
      return "(" + args[0]->ToString() + " " + ArithSymbol(arith) + " " + args[1]->ToString() + ")";
    case ExprKind::kCompare:
      return "(" + args[0]->ToString() + " " + CompareSymbol(compare) + " " + args[1]->ToString() +
             ")";
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::string s = "(";
      for (size_t i = 0; i < args.size(); ++i) {
        if (i) s += kind == ExprKind::kAnd ? " AND " : " OR ";
        s += args[i]->ToString();
      }
      return s + ")";
    }
    case ExprKind::kConcat:
      return "(" + args[0]->ToString() + " || " + args[1]->ToString() + ")";
    case ExprKind::kCall: {
      const std::string& name = function->name;
      bool symbol = !name.empty() && !std::isalpha(static_cast<unsigned char>(name[0]));
      if (symbol && args.size() == 2) {
        return "(" + args[0]->ToString() + " " + name + " " + args[1]->ToString() + ")";
      }
      if (symbol) return "(" + name + args[0]->ToString() + ")";
      return name + "(" + JoinArgs(args, ", ") + ")";
    }
    case ExprKind::kCase: {
      std::string s = "CASE";
      for (size_t i = 0; i + 1 < args.size(); i += 2) {
        s += " WHEN " + args[i]->ToString() + " THEN " + args[i + 1]->ToString();
      }
      return s + " ELSE " + args.back()->ToString() + " END";
    }
    case ExprKind::kCoalesce:
      return "COALESCE(" + JoinArgs(args, ", ") + ")";
    case ExprKind::kNullIf:
      return "NULLIF(" + JoinArgs(args, ", ") + ")";
    case ExprKind::kGreatest:
      return "GREATEST(" + JoinArgs(args, ", ") + ")";
    case ExprKind::kLeast:
      return "LEAST(" + JoinArgs(args, ", ") + ")";
    case ExprKind::kLike: {
      std::string s = "(" + args[0]->ToString() + (ilike ? " ~~* " : " ~~ ") + args[1]->ToString();
      if (args.size() > 2) s += " ESCAPE " + args[2]->ToString();
      return s + ")";
    }
    case ExprKind::kArrayConstruct:
      return "ARRAY[" + JoinArgs(args, ", ") + "]";
    case ExprKind::kSubscript:
      return args[0]->ToString() + "[" + args[1]->ToString() + "]";
    case ExprKind::kQuantified:
      return "(" + args[0]->ToString() + " " + CompareSymbol(compare) + (all ? " ALL(" : " ANY(") +
             args[1]->ToString() + "))";
    case ExprKind::kFieldSelect:
      return "(" + args[0]->ToString() + ").#" + std::to_string(column);
    case ExprKind::kSubquery:
      return "(" + subquery->Describe() +
             (args.empty() ? std::string() : " WITH OUTER " + JoinArgs(args, ", ")) + ")";
    case ExprKind::kOuterColumn:
      return "outer#" + std::to_string(column);
    case ExprKind::kIsDistinctFrom:
      return "(" + args[0]->ToString() + " IS DISTINCT FROM " + args[1]->ToString() + ")";
    case ExprKind::kIsNotDistinctFrom:
      return "(" + args[0]->ToString() + " IS NOT DISTINCT FROM " + args[1]->ToString() + ")";
  }
  return "?";
}

ExprPtr MakeColumn(int column, Type type) {
  auto e = NewExpr(ExprKind::kColumn, type);
  e->column = column;
  return e;
}

ExprPtr MakeConstant(Value value, Type type) {
  auto e = NewExpr(ExprKind::kConstant, type);
  e->constant = std::move(value);
  return e;
}

namespace {
thread_local ParameterTyping* current_typing = nullptr;
thread_local const std::vector<Value>* current_values = nullptr;

std::shared_ptr<Expr> NewParameter(int index, Type type) {
  auto e = NewExpr(ExprKind::kParameter, type);
  e->column = index;
  return e;
}
}  // namespace

ParameterTyping::ParameterTyping(std::vector<Type> declared)
    : types_(std::move(declared)), outer_(current_typing) {
  current_typing = this;
}

ParameterTyping::~ParameterTyping() { current_typing = outer_; }

ParameterTyping* ParameterTyping::Current() { return current_typing; }

std::vector<Type> ParameterTyping::Resolved() const {
  std::vector<Type> out = types_;
  for (Type& t : out) {
    if (t.id == TypeId::kUnknown) t = Type::Of(TypeId::kText);
  }
  return out;
}

ParameterValues::ParameterValues(const std::vector<Value>* values) : outer_(current_values) {
  current_values = values;
}

ParameterValues::~ParameterValues() { current_values = outer_; }

const std::vector<Value>* ParameterValues::Current() { return current_values; }

ExprPtr MakeParameter(int index) {
  ParameterTyping* typing = ParameterTyping::Current();
  if (!typing) {
    throw Error(sqlstate::kUndefinedParameter,
                "there is no parameter $" + std::to_string(index + 1));
  }
  std::vector<Type>& types = typing->types();
  if (static_cast<size_t>(index) >= types.size()) {
    types.resize(static_cast<size_t>(index) + 1, Type::Of(TypeId::kUnknown));
  }
  return NewParameter(index, types[static_cast<size_t>(index)]);
}

ExprPtr MakeCast(ExprPtr arg, Type type) {
  if (arg->type == type) return arg;
  if (arg->kind == ExprKind::kParameter && arg->type.id == TypeId::kUnknown) {
    // The parameter's first typed context fixes its type (PostgreSQL's inference).
    ParameterTyping* typing = ParameterTyping::Current();
    Type& slot = typing->types()[static_cast<size_t>(arg->column)];
    if (slot.id == TypeId::kUnknown) slot = type;
    return MakeCast(NewParameter(arg->column, slot), type);
  }
  // Widening to the unconstrained form of the same type (numeric(12,2) -> numeric) is free.
  if (arg->type.id == type.id && type.precision < 0 && type.length < 0 &&
      type.id != TypeId::kArray) {
    return arg;
  }
  if (arg->kind == ExprKind::kConstant) {  // fold: errors surface at bind time, as in PG
    return MakeConstant(CastValue(arg->constant, type), type);
  }
  auto e = NewExpr(ExprKind::kCast, type);
  e->args = {std::move(arg)};
  return e;
}

ExprPtr MakeUnary(ExprKind kind, ExprPtr arg, Type type) {
  auto e = NewExpr(kind, type);
  e->args = {std::move(arg)};
  return e;
}

ExprPtr MakeArith(ArithOp op, ExprPtr left, ExprPtr right, Type type) {
  auto e = NewExpr(ExprKind::kArith, type);
  e->arith = op;
  e->args = {std::move(left), std::move(right)};
  return e;
}

ExprPtr MakeCompare(CompareOp op, ExprPtr left, ExprPtr right) {
  auto e = NewExpr(ExprKind::kCompare, Type::Of(TypeId::kBool));
  e->compare = op;
  e->args = {std::move(left), std::move(right)};
  return e;
}

ExprPtr MakeLogical(ExprKind kind, std::vector<ExprPtr> args) {
  auto e = NewExpr(kind, Type::Of(TypeId::kBool));
  e->args = std::move(args);
  return e;
}

ExprPtr MakeConcat(ExprPtr left, ExprPtr right) {
  auto e = NewExpr(ExprKind::kConcat, Type::Of(TypeId::kText));
  e->args = {std::move(left), std::move(right)};
  return e;
}

ExprPtr MakeCall(const ScalarFunction& function, std::vector<ExprPtr> args, Type type) {
  auto e = NewExpr(ExprKind::kCall, type);
  e->function = &function;
  e->args = std::move(args);
  return e;
}

ExprPtr MakeVariadic(ExprKind kind, std::vector<ExprPtr> args, Type type) {
  auto e = NewExpr(kind, type);
  e->args = std::move(args);
  return e;
}

ExprPtr MakeLike(ExprPtr text, ExprPtr pattern, ExprPtr escape, bool ilike) {
  auto e = NewExpr(ExprKind::kLike, Type::Of(TypeId::kBool));
  e->ilike = ilike;
  e->args = {std::move(text), std::move(pattern)};
  if (escape) e->args.push_back(std::move(escape));
  return e;
}

ExprPtr MakeArrayConstruct(std::vector<ExprPtr> elements, Type type) {
  auto e = NewExpr(ExprKind::kArrayConstruct, type);
  e->args = std::move(elements);
  return e;
}

ExprPtr MakeSubscript(ExprPtr array, ExprPtr index) {
  auto e = NewExpr(ExprKind::kSubscript, array->type.ElementType());
  e->args = {std::move(array), std::move(index)};
  return e;
}

ExprPtr MakeQuantified(CompareOp op, bool all, ExprPtr value, ExprPtr array) {
  auto e = NewExpr(ExprKind::kQuantified, Type::Of(TypeId::kBool));
  e->compare = op;
  e->all = all;
  e->args = {std::move(value), std::move(array)};
  return e;
}

ExprPtr MakeFieldSelect(ExprPtr record, int field, Type type) {
  auto e = NewExpr(ExprKind::kFieldSelect, type);
  e->column = field;
  e->args = {std::move(record)};
  return e;
}

bool IsDeterministic(const ExprPtr& expr) {
  if (expr->kind == ExprKind::kCall && !expr->function->deterministic) return false;
  for (const ExprPtr& arg : expr->args) {
    if (!IsDeterministic(arg)) return false;
  }
  return true;
}

ExprPtr RemapColumns(const ExprPtr& expr, const std::vector<int>& map) {
  if (expr->kind == ExprKind::kColumn) return MakeColumn(map[expr->column], expr->type);
  if (expr->args.empty()) return expr;
  auto copy = std::make_shared<Expr>(*expr);
  for (ExprPtr& arg : copy->args) arg = RemapColumns(arg, map);
  return copy;
}

}  // namespace ivm
