#include "sql/key_values.h"

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/subquery.h"
#include "sql/expression_binder.h"

namespace sql {
namespace {

using ivm::ExprKind;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;

bool IsExactNumber(const Type& t) { return t.IsInteger() || t.id == TypeId::kNumeric; }

// Whether a value of type `from` equal (by Value::Compare) to some value of type `to`
// converts to exactly that value.
bool SameFamily(const Type& from, const Type& to) {
  if (from.id == to.id) return true;
  if (IsExactNumber(from) && IsExactNumber(to)) return true;
  if (from.IsFloat() && to.IsFloat()) return true;
  return from.IsString() && to.IsString();
}

}  // namespace

std::optional<ivm::Value> KnownValue(const ExprPtr& expr) {
  switch (expr->kind) {
    case ExprKind::kConstant:
      return expr->constant;
    case ExprKind::kParameter: {
      const std::vector<ivm::Value>* values = ivm::ParameterValues::Current();
      if (!values || expr->column < 0 || static_cast<size_t>(expr->column) >= values->size()) {
        return std::nullopt;
      }
      return (*values)[static_cast<size_t>(expr->column)];
    }
    case ExprKind::kOuterColumn: {  // fixed for one run of a correlated subquery
      const std::vector<ivm::Value>* values = ivm::OuterValues::Current();
      if (!values || static_cast<size_t>(expr->column) >= values->size()) return std::nullopt;
      return (*values)[static_cast<size_t>(expr->column)];
    }
    case ExprKind::kCast: {
      std::optional<ivm::Value> arg = KnownValue(expr->args[0]);
      if (!arg) return std::nullopt;
      return ivm::CastValue(*arg, expr->type, ivm::CastKind::kExplicit);
    }
    default:
      return std::nullopt;
  }
}

std::map<int, ivm::Value> PinnedColumns(const ExprPtr& predicate,
                                        const std::vector<Type>& column_types) {
  std::map<int, ivm::Value> pinned;
  if (!predicate) return pinned;
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(predicate, &conjuncts);
  for (const ExprPtr& c : conjuncts) {
    if (c->kind != ExprKind::kCompare || c->compare != ivm::CompareOp::kEq) continue;
    for (int side = 0; side < 2; ++side) {
      const ExprPtr& column = c->args[side];
      if (column->kind != ExprKind::kColumn || column->column < 0 ||
          static_cast<size_t>(column->column) >= column_types.size()) {
        continue;
      }
      const Type& type = column_types[static_cast<size_t>(column->column)];
      if (type.id == TypeId::kInterval || pinned.contains(column->column)) continue;
      std::optional<ivm::Value> value;
      try {
        value = KnownValue(c->args[1 - side]);
        if (!value) continue;
        if (value->is_null()) {
          pinned.emplace(column->column, *value);
          break;
        }
        if (!SameFamily(Type::Of(value->type()), type)) continue;
        pinned.emplace(column->column, ivm::CastValue(*value, type, ivm::CastKind::kExplicit));
      } catch (const ivm::Error&) {
        // Out of the column's range: no row can be equal; leave the column to the predicate.
      }
      break;
    }
  }
  return pinned;
}

ColumnRange RangeOf(const ExprPtr& predicate, int column, const Type& type) {
  ColumnRange range;
  if (!predicate) return range;
  // Key bytes in value order, comparing as Value::Compare does.
  const bool numbers = IsExactNumber(type);
  const bool ordered = numbers || type.id == TypeId::kText || type.id == TypeId::kVarchar ||
                       type.id == TypeId::kDate || type.id == TypeId::kTimestamp;
  if (!ordered) return range;
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(predicate, &conjuncts);
  for (const ExprPtr& c : conjuncts) {
    if (c->kind != ExprKind::kCompare) continue;
    ivm::CompareOp op = c->compare;
    if (op == ivm::CompareOp::kEq || op == ivm::CompareOp::kNe) continue;
    // The column's side: the column itself, or (for `int_column > 2.5`) the column widened
    // to another exact number type, which keeps its order and value.
    auto is_column = [&](ExprPtr e) {
      if (e->kind == ExprKind::kCast && numbers &&
          (e->type.id == TypeId::kNumeric || e->type.id == TypeId::kInt64)) {
        e = e->args[0];
      }
      return e->kind == ExprKind::kColumn && e->column == column;
    };
    int side = 0;
    if (is_column(c->args[0])) {
      side = 0;
    } else if (is_column(c->args[1])) {
      side = 1;
    } else {
      continue;
    }
    std::optional<ivm::Value> value;
    try {
      value = KnownValue(c->args[1 - side]);
    } catch (const ivm::Error&) {
      continue;
    }
    if (!value) continue;
    if (value->is_null()) {
      range.empty = true;
      return range;
    }
    const Type value_type = Type::Of(value->type());
    const bool same = numbers ? IsExactNumber(value_type)
                              : (value_type.id == type.id ||
                                 (type.IsString() && (value_type.id == TypeId::kText ||
                                                      value_type.id == TypeId::kVarchar)));
    if (!same) continue;
    // `v < column` bounds the column from below, as `column > v` does.
    const bool lower = side == 0 ? (op == ivm::CompareOp::kGt || op == ivm::CompareOp::kGe)
                                 : (op == ivm::CompareOp::kLt || op == ivm::CompareOp::kLe);
    std::optional<ivm::Value>& bound = lower ? range.low : range.high;
    if (!bound || (lower ? value->Compare(*bound) > 0 : value->Compare(*bound) < 0)) {
      bound = *value;
    }
  }
  return range;
}

}  // namespace sql
