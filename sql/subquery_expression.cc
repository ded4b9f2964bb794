#include "sql/subquery_expression.h"

#include "ivm/error.h"

namespace sql {
namespace {

thread_local OuterScope* current_outer_scope = nullptr;
thread_local const SubqueryExpressions* current_subquery_expressions = nullptr;

}  // namespace

OuterScope::OuterScope(const Scope& scope) : scope_(scope), parent_(current_outer_scope) {
  current_outer_scope = this;
}

OuterScope::~OuterScope() { current_outer_scope = parent_; }

OuterScope* OuterScope::Current() { return current_outer_scope; }

ivm::ExprPtr OuterScope::Resolve(const AstExpr& column_ref) {
  // Bind the name as the enclosing query would: there, its own enclosing query (the
  // parent scope) is the one further out.
  ivm::ExprPtr bound;
  current_outer_scope = parent_;
  try {
    bound = ExpressionBinder(scope_, "subquery").Bind(column_ref);
  } catch (const ivm::Error& e) {
    current_outer_scope = this;
    if (e.sqlstate() == ivm::sqlstate::kUndefinedColumn ||
        e.sqlstate() == ivm::sqlstate::kUndefinedTable) {
      return nullptr;
    }
    throw;
  }
  current_outer_scope = this;
  std::string text = bound->ToString();
  for (size_t i = 0; i < captured_text_.size(); ++i) {
    if (captured_text_[i] == text) return ivm::MakeOuterColumn(static_cast<int>(i), bound->type);
  }
  captured_.push_back(bound);
  captured_text_.push_back(std::move(text));
  return ivm::MakeOuterColumn(static_cast<int>(captured_.size() - 1), bound->type);
}

SubqueryExpressions::SubqueryExpressions(BindFn bind)
    : bind_(std::move(bind)), outer_(current_subquery_expressions) {
  current_subquery_expressions = this;
}

SubqueryExpressions::~SubqueryExpressions() { current_subquery_expressions = outer_; }

const SubqueryExpressions* SubqueryExpressions::Current() { return current_subquery_expressions; }

}  // namespace sql
