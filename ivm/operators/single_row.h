// SingleRowOperator: the value of a scalar subquery. Its output is always exactly one
// row: the input's only row, or a row of NULLs when the input is empty. More than one
// input row is an error (21000), as in PostgreSQL.
#pragma once

#include "ivm/operators/operator.h"

namespace ivm {

class SingleRowOperator final : public Operator {
 public:
  explicit SingleRowOperator(std::vector<TypeId> types) : types_(std::move(types)) {}
  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override { return "SingleRow"; }
  bool HasState() const override { return true; }

 private:
  // The current output row given the stored rows.
  Row Current(StepContext& ctx) const;
  std::vector<TypeId> types_;
};

}  // namespace ivm
