// Filter: keeps the rows for which a predicate is true. Linear: a delta maps to a delta.
#pragma once

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

class FilterOperator final : public Operator {
 public:
  explicit FilterOperator(ExprPtr predicate) : predicate_(std::move(predicate)) {}
  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override { return "Filter " + predicate_->ToString(); }

 private:
  ExprPtr predicate_;
};

}  // namespace ivm
