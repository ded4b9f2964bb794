// UnionOperator: the weighted sum of its inputs (UNION ALL, and the parts of an outer
// join). Linear: a delta maps to a delta, no state.
#pragma once

#include <vector>

#include "ivm/operators/operator.h"

namespace ivm {

class UnionOperator final : public Operator {
 public:
  // One sign (+1 or -1) per input.
  explicit UnionOperator(std::vector<int> signs) : signs_(std::move(signs)) {}
  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;

 private:
  std::vector<int> signs_;
};

}  // namespace ivm
