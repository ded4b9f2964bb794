// Project: computes a new row of expressions from each row. Linear; consolidates its
// output because distinct inputs may project to equal rows.
#pragma once

#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

class ProjectOperator final : public Operator {
 public:
  explicit ProjectOperator(std::vector<ExprPtr> exprs) : exprs_(std::move(exprs)) {}
  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;

 private:
  std::vector<ExprPtr> exprs_;
};

}  // namespace ivm
