// Stateless operators: filter and project.
#include "ivm/operators/filter.h"
#include "ivm/operators/project.h"

namespace ivm {

ZSet FilterOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  ZSet out;
  for (const ZSetEntry& e : inputs[0]->entries()) {
    if (IsTrue(predicate_->Eval(e.row))) out.Add(e.row, e.weight);
  }
  ctx.stats->rows_in += inputs[0]->size();
  ctx.stats->rows_out += out.size();
  return out;
}

ZSet ProjectOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  ZSet out;
  for (const ZSetEntry& e : inputs[0]->entries()) {
    Row row;
    row.reserve(exprs_.size());
    for (const ExprPtr& expr : exprs_) row.push_back(expr->Eval(e.row));
    out.Add(std::move(row), e.weight);
  }
  out.Consolidate();
  ctx.stats->rows_in += inputs[0]->size();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string ProjectOperator::Describe() const {
  std::string s = "Project [";
  for (size_t i = 0; i < exprs_.size(); ++i) {
    if (i) s += ", ";
    s += exprs_[i]->ToString();
  }
  return s + "]";
}

}  // namespace ivm
