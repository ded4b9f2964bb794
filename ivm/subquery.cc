#include "ivm/subquery.h"

#include "ivm/error.h"

namespace ivm {
namespace {

thread_local SubqueryRunner* current_runner = nullptr;
thread_local const std::vector<Value>* current_outer = nullptr;

}  // namespace

SubqueryRunner::Scope::Scope(SubqueryRunner* runner) : outer_(current_runner) {
  current_runner = runner;
}
SubqueryRunner::Scope::~Scope() { current_runner = outer_; }
SubqueryRunner* SubqueryRunner::Current() { return current_runner; }

OuterValues::OuterValues(const std::vector<Value>* values) : outer_(current_outer) {
  current_outer = values;
}
OuterValues::~OuterValues() { current_outer = outer_; }
const std::vector<Value>* OuterValues::Current() { return current_outer; }

ExprPtr MakeSubquery(std::shared_ptr<const SubqueryPlan> plan, SubqueryMode mode,
                     std::vector<ExprPtr> outer_args, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kSubquery;
  e->type = type;
  e->subquery = std::move(plan);
  e->subquery_mode = mode;
  e->args = std::move(outer_args);
  return e;
}

ExprPtr MakeOuterColumn(int index, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kOuterColumn;
  e->type = type;
  e->column = index;
  return e;
}

Value EvalSubquery(const Expr& e, const Row& row) {
  SubqueryRunner* runner = SubqueryRunner::Current();
  if (!runner) {
    throw Error(sqlstate::kFeatureNotSupported,
                "a subquery that runs per row can only be used in a query");
  }
  std::vector<Value> outer;
  outer.reserve(e.args.size());
  for (const ExprPtr& arg : e.args) outer.push_back(arg->Eval(row));
  std::vector<Row> rows = runner->Run(*e.subquery, outer);
  switch (e.subquery_mode) {
    case SubqueryMode::kScalar:
      if (rows.empty()) return Value::Null(e.type.id);
      if (rows.size() > 1) {
        throw Error("21000", "more than one row returned by a subquery used as an expression");
      }
      return rows[0][0];
    case SubqueryMode::kExists:
      return Value::Bool(!rows.empty());
    case SubqueryMode::kArray: {
      std::vector<Value> items;
      items.reserve(rows.size());
      for (Row& r : rows) items.push_back(std::move(r[0]));
      return Value::Array(std::move(items));
    }
  }
  return Value::Null(e.type.id);
}

Value EvalOuterColumn(const Expr& e) {
  const std::vector<Value>* outer = OuterValues::Current();
  if (!outer || static_cast<size_t>(e.column) >= outer->size()) {
    throw Error(sqlstate::kInternalError, "outer reference evaluated outside its subquery");
  }
  return (*outer)[static_cast<size_t>(e.column)];
}

}  // namespace ivm
