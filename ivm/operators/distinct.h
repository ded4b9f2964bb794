// DistinctOperator: set semantics. Keeps each row's accumulated weight and emits +row
// when it rises above zero and -row when it falls back to zero.
#pragma once

#include "ivm/operators/operator.h"

namespace ivm {

class DistinctOperator final : public Operator {
 public:
  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override { return "Distinct"; }
  bool HasState() const override { return true; }
};

}  // namespace ivm
