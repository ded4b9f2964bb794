#include "sql/expression_binder.h"

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/stack_depth.h"
#include "sql/binder.h"
#include "sql/subquery_expression.h"

namespace sql {

using ivm::Error;
using ivm::ExprKind;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
namespace sqlstate = ivm::sqlstate;

namespace {

bool IsUnknown(const ExprPtr& e) { return e->type.id == TypeId::kUnknown; }

// Unknown-typed literals take the other operand's type, as in PostgreSQL.
void CoercePair(ExprPtr* a, ExprPtr* b, const std::string& op) {
  Type common = CommonType((*a)->type, (*b)->type, op);
  *a = ivm::MakeCast(*a, common);
  *b = ivm::MakeCast(*b, common);
}

// Column types with modifiers keep them only through plain references.
Type Unmodified(Type t) {
  t.precision = t.scale = -1;
  t.length = -1;
  if (t.id == TypeId::kVarchar) t.id = TypeId::kText;
  return t;
}

int IntegerRank(TypeId id) { return id == TypeId::kInt16 ? 1 : id == TypeId::kInt32 ? 2 : 3; }

}  // namespace

bool ContainsAggregate(const AstExpr& expr) {
  // sum(x) OVER (...) is a window function, though its arguments may hold aggregates.
  if (expr.kind == AstExpr::Kind::kFunction && IsAggregateName(expr.name) && !expr.has_over) {
    return true;
  }
  for (const AstExprPtr& a : expr.args) {
    if (a && ContainsAggregate(*a)) return true;
  }
  for (const AstExprPtr& a : expr.partition_by) {
    if (ContainsAggregate(*a)) return true;
  }
  for (const AstOrderItem& o : expr.window_order_by) {
    if (ContainsAggregate(*o.expr)) return true;
  }
  if (expr.case_operand && ContainsAggregate(*expr.case_operand)) return true;
  if (expr.else_expr && ContainsAggregate(*expr.else_expr)) return true;
  return false;
}

Type CommonType(const Type& a, const Type& b, const std::string& op) {
  if (a.id == b.id) {
    if (a.id == TypeId::kUnknown) return Type::Of(TypeId::kText);
    return Unmodified(a);
  }
  if (a.id == TypeId::kUnknown) return Unmodified(b);
  if (b.id == TypeId::kUnknown) return Unmodified(a);
  if (a.IsNumeric() && b.IsNumeric()) {
    if (a.IsFloat() || b.IsFloat()) return Type::Of(TypeId::kFloat64);
    if (a.id == TypeId::kNumeric || b.id == TypeId::kNumeric) return Type::Numeric();
    return Type::Of(IntegerRank(a.id) > IntegerRank(b.id) ? a.id : b.id);
  }
  if (a.IsString() && b.IsString()) {
    // character(n) against varchar compares as character (blanks ignored); against text,
    // as text — PostgreSQL's operator resolution.
    bool chars = (a.id == TypeId::kChar || a.id == TypeId::kVarchar) &&
                 (b.id == TypeId::kChar || b.id == TypeId::kVarchar);
    return chars ? Type::Char() : Type::Of(TypeId::kText);
  }
  if (a.IsDateTime() && b.IsDateTime()) {
    bool tz = a.id == TypeId::kTimestampTz || b.id == TypeId::kTimestampTz;
    return Type::Of(tz ? TypeId::kTimestampTz : TypeId::kTimestamp);
  }
  throw Error(sqlstate::kUndefinedFunction,
              "operator does not exist: " + a.ToString() + " " + op + " " + b.ToString(), "",
              "No operator matches the given name and argument types. You might need to add "
              "explicit type casts.");
}

ExprPtr ResolveUnknown(ExprPtr expr) {
  if (IsUnknown(expr)) return ivm::MakeCast(expr, Type::Of(TypeId::kText));
  return expr;
}

ExprPtr RequireBoolean(ExprPtr expr, const std::string& what) {
  if (IsUnknown(expr)) return ivm::MakeCast(expr, Type::Of(TypeId::kBool));
  if (expr->type.id != TypeId::kBool) {
    throw Error(sqlstate::kDatatypeMismatch,
                "argument of " + what + " must be type boolean, not type " + expr->type.ToString());
  }
  return expr;
}

void SplitConjuncts(const ExprPtr& expr, std::vector<ExprPtr>* out) {
  if (expr->kind == ExprKind::kAnd) {
    for (const ExprPtr& a : expr->args) SplitConjuncts(a, out);
  } else {
    out->push_back(expr);
  }
}

void CollectColumns(const ExprPtr& expr, std::vector<int>* out) {
  if (expr->kind == ExprKind::kColumn) out->push_back(expr->column);
  for (const ExprPtr& a : expr->args) CollectColumns(a, out);
}

bool ContainsWindowFunction(const AstExpr& expr) {
  if (expr.kind == AstExpr::Kind::kFunction && expr.has_over) return true;
  for (const AstExprPtr& a : expr.args) {
    if (a && ContainsWindowFunction(*a)) return true;
  }
  if (expr.case_operand && ContainsWindowFunction(*expr.case_operand)) return true;
  if (expr.else_expr && ContainsWindowFunction(*expr.else_expr)) return true;
  return false;
}

ExprPtr ExpressionBinder::Bind(const AstExpr& expr) { return BindNode(expr, nullptr); }

ExprPtr ExpressionBinder::BindPredicate(const AstExpr& expr, AggregateScope* agg) {
  if (!agg && ContainsAggregate(expr)) {
    throw Error(sqlstate::kGroupingError,
                std::string("aggregate functions are not allowed in ") + clause_);
  }
  ExprPtr e = agg ? BindAggregated(expr, agg) : Bind(expr);
  return RequireBoolean(e, clause_);
}

ExprPtr ExpressionBinder::BindAggregated(const AstExpr& expr, AggregateScope* agg) {
  // A window function is the query binder's (through the hook), over the grouped rows.
  if (expr.kind == AstExpr::Kind::kFunction && expr.has_over) return BindNode(expr, agg);
  if (expr.kind == AstExpr::Kind::kFunction && IsAggregateName(expr.name)) {
    return BindAggregateCall(expr, agg);
  }
  if (!ContainsAggregate(expr) && !ContainsWindowFunction(expr)) {
    ExprPtr bound = Bind(expr);
    std::string text = bound->ToString();
    for (size_t i = 0; i < agg->group_keys.size(); ++i) {
      if (agg->group_keys[i]->ToString() == text) {
        return ivm::MakeColumn(static_cast<int>(i), agg->group_keys[i]->type);
      }
    }
    std::vector<int> columns;
    CollectColumns(bound, &columns);
    if (columns.empty()) return bound;  // constants are fine anywhere
    if (expr.kind == AstExpr::Kind::kColumnRef) {
      std::string name = expr.qualifier.empty() ? expr.name : expr.qualifier + "." + expr.name;
      throw Error(sqlstate::kGroupingError,
                  "column \"" + name +
                      "\" must appear in the GROUP BY clause or be used in an aggregate function");
    }
  }
  return BindNode(expr, agg);
}

namespace {

ivm::CompareOp CompareOpFor(const std::string& op) {
  return op == "="    ? ivm::CompareOp::kEq
         : op == "<>" ? ivm::CompareOp::kNe
         : op == "<"  ? ivm::CompareOp::kLt
         : op == "<=" ? ivm::CompareOp::kLe
         : op == ">"  ? ivm::CompareOp::kGt
                      : ivm::CompareOp::kGe;
}

}  // namespace

ExprPtr ExpressionBinder::BindNode(const AstExpr& expr, AggregateScope* agg) {
  ivm::CheckStackDepth();  // a chain of 10,000 additions once ended the server here
  if (hook_) {
    if (ExprPtr hooked = hook_(expr)) return hooked;
  }
  // In an aggregated context every child goes back through BindAggregated.
  auto child = [&](const AstExprPtr& e) {
    return agg ? BindAggregated(*e, agg) : BindNode(*e, nullptr);
  };
  using K = AstExpr::Kind;
  switch (expr.kind) {
    case K::kLiteral:
      return BindLiteral(expr);
    case K::kTypedLiteral: {
      Type type = ResolveType(expr.type);
      return ivm::MakeConstant(ivm::ParseText(expr.name, type), type);
    }
    case K::kColumnRef:
      return BindColumn(expr);
    case K::kFunction:
      return BindFunction(expr, agg);
    case K::kUnary: {
      if (expr.op == "NOT") {
        return ivm::MakeUnary(ExprKind::kNot, RequireBoolean(child(expr.args[0]), "NOT"),
                              Type::Of(TypeId::kBool));
      }
      // Fold "-<integer literal>" so -2147483648 is an integer, as in PostgreSQL.
      const AstExpr& operand = *expr.args[0];
      if (expr.op == "-" && operand.kind == K::kLiteral &&
          (operand.literal_kind == AstExpr::LiteralKind::kInteger ||
           operand.literal_kind == AstExpr::LiteralKind::kDecimal)) {
        AstExpr negated = operand;
        negated.text = "-" + operand.text;
        return BindLiteral(negated);
      }
      ExprPtr arg = child(expr.args[0]);
      if (IsUnknown(arg)) arg = ivm::MakeCast(arg, Type::Numeric());
      if (!arg->type.IsNumeric() && arg->type.id != TypeId::kInterval) {
        throw Error(sqlstate::kUndefinedFunction,
                    "operator does not exist: " + expr.op + " " + arg->type.ToString());
      }
      if (expr.op == "+") return arg;
      if (arg->type.id == TypeId::kInterval) return BindRegisteredCall("-", {arg}, true);
      return ivm::MakeUnary(ExprKind::kNegate, arg, Unmodified(arg->type));
    }
    case K::kBinary:
      return BindBinary(expr, agg);
    case K::kCast: {
      ExprPtr arg = child(expr.args[0]);
      // 'name'::regclass and 'int4'::regtype look the name up; oids cast as integers.
      if ((expr.type.name == "regclass" || expr.type.name == "regtype") &&
          (IsUnknown(arg) || arg->type.IsString())) {
        return BindRegisteredCall(expr.type.name == "regclass" ? "regclassin" : "regtypein",
                                  {ivm::MakeCast(arg, Type::Of(TypeId::kText))}, false);
      }
      // regproc columns show function names here, so 'pg_catalog.array_in'::regproc is the
      // name, comparable with them.
      if (expr.type.name == "regproc" && arg->kind == ExprKind::kConstant &&
          (IsUnknown(arg) || arg->type.IsString())) {
        std::string name = arg->constant.is_null() ? "" : arg->constant.ToText();
        if (name.rfind("pg_catalog.", 0) == 0) name = name.substr(11);
        return ivm::MakeConstant(ivm::Value::Text(name), Type::Of(TypeId::kText));
      }
      Type target = ResolveType(expr.type);
      if (!ivm::CastExists(arg->type.id, target.id)) {
        throw Error("42846",
                    "cannot cast type " + arg->type.ToString() + " to " + target.ToString());
      }
      if (arg->type == target) return arg;
      if (arg->kind == ExprKind::kConstant) {
        return ivm::MakeConstant(ivm::CastValue(arg->constant, target), target);
      }
      auto e = std::make_shared<ivm::Expr>();
      e->kind = ExprKind::kCast;
      e->type = target;
      e->args = {arg};
      return e;
    }
    case K::kIsNull:
      return ivm::MakeUnary(expr.negated ? ExprKind::kIsNotNull : ExprKind::kIsNull,
                            child(expr.args[0]), Type::Of(TypeId::kBool));
    case K::kInList: {
      ExprPtr needle = child(expr.args[0]);
      std::vector<ExprPtr> tests;
      for (size_t i = 1; i < expr.args.size(); ++i) {
        ExprPtr a = needle, b = child(expr.args[i]);
        CoercePair(&a, &b, "=");
        tests.push_back(ivm::MakeCompare(ivm::CompareOp::kEq, a, b));
      }
      ExprPtr any = tests.size() == 1 ? tests[0] : ivm::MakeLogical(ExprKind::kOr, tests);
      return expr.negated ? ivm::MakeUnary(ExprKind::kNot, any, Type::Of(TypeId::kBool)) : any;
    }
    case K::kBetween: {
      ExprPtr v = child(expr.args[0]), lo = child(expr.args[1]), hi = child(expr.args[2]);
      ExprPtr v1 = v, v2 = v;
      CoercePair(&v1, &lo, ">=");
      CoercePair(&v2, &hi, "<=");
      ExprPtr both =
          ivm::MakeLogical(ExprKind::kAnd, {ivm::MakeCompare(ivm::CompareOp::kGe, v1, lo),
                                            ivm::MakeCompare(ivm::CompareOp::kLe, v2, hi)});
      return expr.negated ? ivm::MakeUnary(ExprKind::kNot, both, Type::Of(TypeId::kBool)) : both;
    }
    case K::kLike:
      return BindLike(expr, agg);
    case K::kCase:
      return BindCase(expr, agg);
    case K::kArray: {
      std::vector<ExprPtr> elements;
      for (const AstExprPtr& a : expr.args) elements.push_back(child(a));
      Type element = Type::Of(TypeId::kText);
      if (!elements.empty()) {
        element = SelectCommonType(&elements, "ARRAY");
        if (element.id == TypeId::kUnknown) element = Type::Of(TypeId::kText);
        for (ExprPtr& e : elements) e = ivm::MakeCast(e, element);
      }
      if (element.id == TypeId::kArray || element.id == TypeId::kRecord) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "arrays of arrays and of records are not supported yet");
      }
      return ivm::MakeArrayConstruct(std::move(elements), Type::Array(element.id));
    }
    case K::kSubscript: {
      ExprPtr array = child(expr.args[0]);
      if (array->type.id != TypeId::kArray) {
        throw Error(sqlstate::kDatatypeMismatch,
                    "cannot subscript type " + array->type.ToString() +
                        " because it does not support subscripting");
      }
      ExprPtr index = child(expr.args[1]);
      if (!IsUnknown(index) && !index->type.IsInteger()) {
        throw Error(sqlstate::kDatatypeMismatch, "array subscript must have type integer");
      }
      return ivm::MakeSubscript(array, ivm::MakeCast(index, Type::Of(TypeId::kInt64)));
    }
    case K::kQuantified: {
      ExprPtr value = child(expr.args[0]);
      ExprPtr array = child(expr.args[1]);
      if (IsUnknown(array)) {
        array = ivm::MakeCast(array, Type::Array(IsUnknown(value) ? TypeId::kText : value->type.id));
      }
      if (array->type.id != TypeId::kArray) {
        throw Error(sqlstate::kWrongObjectType,
                    "op ANY/ALL (array) requires array on right side");
      }
      ExprPtr element = ivm::MakeConstant(ivm::Value::Null(array->type.element),
                                          array->type.ElementType());
      CoercePair(&value, &element, expr.op);
      if (element->type.id != array->type.element) {
        array = ivm::MakeCast(array, Type::Array(element->type.id));
      }
      return ivm::MakeQuantified(CompareOpFor(expr.op), expr.name == "all", value, array);
    }
    case K::kFieldSelect: {
      ExprPtr record = child(expr.args[0]);
      if (record->type.id != TypeId::kRecord || !record->type.fields) {
        throw Error(sqlstate::kWrongObjectType,
                    "column notation ." + expr.name + " applied to type " +
                        record->type.ToString() + ", which is not a composite type");
      }
      const std::vector<ivm::RecordField>& fields = *record->type.fields;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (expr.name == fields[i].name) {
          return ivm::MakeFieldSelect(record, static_cast<int>(i), Type::Of(fields[i].type));
        }
      }
      throw Error(sqlstate::kUndefinedColumn,
                  "column \"" + expr.name + "\" not found in data type record");
    }
    case K::kArraySubquery:
    case K::kSubquery:
      if (const SubqueryExpressions* subqueries = SubqueryExpressions::Current()) {
        ExprPtr bound = subqueries->Bind(expr, scope_);
        if (agg && !bound->args.empty()) {
          throw Error(sqlstate::kFeatureNotSupported,
                      "a correlated subquery in an aggregated select list is not supported yet");
        }
        return bound;
      }
      throw Error(sqlstate::kFeatureNotSupported,
                  expr.kind == K::kSubquery
                      ? "scalar subqueries are not supported here yet"
                      : "ARRAY(subquery) is supported only in queries, not in materialized views");
    case K::kExists:
    case K::kInSubquery:
      throw Error(sqlstate::kFeatureNotSupported,
                  "EXISTS and IN (subquery) are supported only as WHERE conditions");
    case K::kIsDistinctFrom:
      return BindIsDistinctFrom(expr, agg);
    case K::kInterval:
      return BindIntervalLiteral(expr);
    case K::kParameter:
      return ivm::MakeParameter(expr.parameter_index);
  }
  throw Error(sqlstate::kInternalError, "unhandled expression");
}

ExprPtr ExpressionBinder::BindLiteral(const AstExpr& expr) {
  using L = AstExpr::LiteralKind;
  switch (expr.literal_kind) {
    case L::kInteger: {
      // int4 if it fits, else int8, else numeric — PostgreSQL's rule for integer literals.
      ivm::Decimal d = ivm::Decimal::Parse(expr.text);
      if (d.unscaled() >= INT32_MIN && d.unscaled() <= INT32_MAX) {
        return ivm::MakeConstant(ivm::Value::Int32(static_cast<int32_t>(d.unscaled())),
                                 Type::Of(TypeId::kInt32));
      }
      if (d.unscaled() >= INT64_MIN && d.unscaled() <= INT64_MAX) {
        return ivm::MakeConstant(ivm::Value::Int64(static_cast<int64_t>(d.unscaled())),
                                 Type::Of(TypeId::kInt64));
      }
      return ivm::MakeConstant(ivm::Value::Numeric(d), Type::Numeric());
    }
    case L::kDecimal:
      return ivm::MakeConstant(ivm::Value::Numeric(ivm::Decimal::Parse(expr.text)),
                               Type::Numeric());
    case L::kString:
      return ivm::MakeConstant(ivm::Value::Text(expr.text), Type::Of(TypeId::kUnknown));
    case L::kTrue:
      return ivm::MakeConstant(ivm::Value::Bool(true), Type::Of(TypeId::kBool));
    case L::kFalse:
      return ivm::MakeConstant(ivm::Value::Bool(false), Type::Of(TypeId::kBool));
    case L::kNull:
      return ivm::MakeConstant(ivm::Value::Null(TypeId::kUnknown), Type::Of(TypeId::kUnknown));
  }
  throw Error(sqlstate::kInternalError, "unhandled literal");
}

ExprPtr ExpressionBinder::BindColumn(const AstExpr& expr) {
  int found = -1;
  bool qualifier_seen = expr.qualifier.empty();
  for (size_t i = 0; i < scope_.size(); ++i) {
    const ScopeColumn& c = scope_[i];
    if (!expr.qualifier.empty()) {
      if (c.qualifier != expr.qualifier) continue;
      qualifier_seen = true;
    } else if (c.qualified_only) {
      continue;
    }
    if (c.name != expr.name) continue;
    if (found >= 0 && scope_[found].level < c.level) continue;  // an inner name wins
    if (found >= 0 && scope_[found].level == c.level) {
      throw Error(sqlstate::kAmbiguousColumn,
                  "column reference \"" + expr.name + "\" is ambiguous");
    }
    found = static_cast<int>(i);
  }
  if (found < 0 && OuterScope::Current()) {
    // A correlated subquery's reference to its enclosing query.
    if (ExprPtr outer = OuterScope::Current()->Resolve(expr)) return outer;
  }
  if (!qualifier_seen) {
    throw Error(sqlstate::kUndefinedTable,
                "missing FROM-clause entry for table \"" + expr.qualifier + "\"");
  }
  // CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP are written without parentheses.
  if (found < 0 && expr.qualifier.empty() &&
      (expr.name == "current_timestamp" || expr.name == "current_date" ||
       expr.name == "localtimestamp")) {
    return BindRegisteredCall(expr.name, {}, false);
  }
  // So are CURRENT_USER, SESSION_USER, USER, CURRENT_ROLE, CURRENT_CATALOG, CURRENT_SCHEMA.
  if (found < 0 && expr.qualifier.empty() &&
      (expr.name == "current_user" || expr.name == "session_user" || expr.name == "user" ||
       expr.name == "current_role" || expr.name == "current_catalog" ||
       expr.name == "current_schema")) {
    return BindRegisteredCall(expr.name, {}, false);
  }
  if (found < 0) {
    std::string name = expr.qualifier.empty() ? expr.name : expr.qualifier + "." + expr.name;
    throw Error(
        sqlstate::kUndefinedColumn,
        "column " + (expr.qualifier.empty() ? "\"" + name + "\"" : name) + " does not exist");
  }
  return ivm::MakeColumn(found, scope_[found].type);
}

ExprPtr ExpressionBinder::BindFunction(const AstExpr& expr, AggregateScope* agg) {
  // information_schema holds one function clients call: _pg_expandarray.
  if (!expr.qualifier.empty() && expr.qualifier != kSystemSchema &&
      !(expr.qualifier == "information_schema" && expr.name == "_pg_expandarray")) {
    throw Error(sqlstate::kUndefinedFunction,
                "function " + expr.qualifier + "." + expr.name + " does not exist");
  }
  if (IsAggregateName(expr.name)) {
    if (!agg) {
      throw Error(sqlstate::kGroupingError,
                  std::string("aggregate functions are not allowed in ") + clause_);
    }
    return BindAggregateCall(expr, agg);
  }
  return BindScalarCall(expr, agg);
}

ExprPtr ExpressionBinder::BindBinary(const AstExpr& expr, AggregateScope* agg) {
  auto child = [&](const AstExprPtr& e) {
    return agg ? BindAggregated(*e, agg) : BindNode(*e, nullptr);
  };
  const std::string& op = expr.op;
  if (op == "AND" || op == "OR") {
    ExprKind kind = op == "AND" ? ExprKind::kAnd : ExprKind::kOr;
    std::vector<ExprPtr> args;
    for (const AstExprPtr& a : expr.args) {
      ExprPtr e = RequireBoolean(child(a), op);
      if (e->kind == kind) {
        args.insert(args.end(), e->args.begin(), e->args.end());
      } else {
        args.push_back(e);
      }
    }
    return ivm::MakeLogical(kind, args);
  }
  ExprPtr a = child(expr.args[0]);
  ExprPtr b = child(expr.args[1]);
  if (op == "||" && (a->type.id == TypeId::kArray || b->type.id == TypeId::kArray)) {
    // array || array, array || element, element || array.
    auto as_array = [](ExprPtr e, const Type& like) {
      if (e->type.id == TypeId::kArray) return e;
      if (IsUnknown(e)) return ivm::MakeCast(e, like);
      return ivm::MakeArrayConstruct({e}, Type::Array(e->type.id));
    };
    a = as_array(a, b->type);
    b = as_array(b, a->type);
    return BindRegisteredCall("array_cat", {a, b}, false);
  }
  if (op == "||") {
    return ivm::MakeConcat(ivm::MakeCast(a, Type::Of(TypeId::kText)),
                           ivm::MakeCast(b, Type::Of(TypeId::kText)));
  }
  if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    CoercePair(&a, &b, op);
    return ivm::MakeCompare(CompareOpFor(op), a, b);
  }
  // Regular-expression matches (~ ~* !~ !~*) are registered text operators.
  if (op[0] == '~' || op[0] == '!') return BindRegisteredCall(op, {a, b}, true);
  // Bitwise operators on integers are registered functions.
  if (op == "&" || op == "|" || op == "#" || op == "<<" || op == ">>") {
    return BindRegisteredCall(op, {a, b}, true);
  }
  // Operators on dates, timestamps and intervals come from the function registry.
  bool a_number = IsUnknown(a) || a->type.IsNumeric();
  bool b_number = IsUnknown(b) || b->type.IsNumeric();
  if (!a_number || !b_number) return BindRegisteredCall(op, {a, b}, true);
  // Arithmetic: an unknown literal against a number becomes that number's type.
  if (IsUnknown(a) && IsUnknown(b)) {
    a = ivm::MakeCast(a, Type::Numeric());
    b = ivm::MakeCast(b, Type::Numeric());
  }
  Type common = CommonType(a->type, b->type, op);
  if (!common.IsNumeric()) {
    throw Error(
        sqlstate::kUndefinedFunction,
        "operator does not exist: " + a->type.ToString() + " " + op + " " + b->type.ToString(), "",
        "No operator matches the given name and argument types. You might need to add explicit "
        "type casts.");
  }
  if (op == "%" && common.IsFloat()) {
    throw Error(sqlstate::kUndefinedFunction,
                "operator does not exist: double precision % double precision");
  }
  a = ivm::MakeCast(a, common);
  b = ivm::MakeCast(b, common);
  ivm::ArithOp arith = op == "+"   ? ivm::ArithOp::kAdd
                       : op == "-" ? ivm::ArithOp::kSub
                       : op == "*" ? ivm::ArithOp::kMul
                       : op == "/" ? ivm::ArithOp::kDiv
                                   : ivm::ArithOp::kMod;
  ExprPtr result = ivm::MakeArith(arith, a, b, common);
  // Fold constant arithmetic now so errors (1/0, overflow) surface at once, as in PG.
  if (a->kind == ExprKind::kConstant && b->kind == ExprKind::kConstant) {
    return ivm::MakeConstant(result->Eval({}), common);
  }
  return result;
}

}  // namespace sql
