// SetOperationOperator: INTERSECT [ALL] and EXCEPT [ALL]. Keeps each row's weight in
// both inputs; the output weight of a row is a function of the two (min for INTERSECT
// ALL, left minus right floored at zero for EXCEPT ALL, 0/1 for the set forms), so a
// step emits, per touched row, the new output weight minus the old.
#pragma once

#include "ivm/operators/operator.h"

namespace ivm {

enum class SetOperationKind { kIntersect, kIntersectAll, kExcept, kExceptAll };

class SetOperationOperator final : public Operator {
 public:
  explicit SetOperationOperator(SetOperationKind kind) : kind_(kind) {}
  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }

 private:
  int64_t OutputWeight(int64_t left, int64_t right) const;
  SetOperationKind kind_;
};

}  // namespace ivm
