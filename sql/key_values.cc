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

}  // namespace sql
