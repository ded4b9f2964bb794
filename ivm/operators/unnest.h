// UnnestOperator: set-returning functions (generate_series, unnest, _pg_expandarray ...).
// Each function call yields an array of rows for an input row; the input row is repeated
// once per element with the elements appended, all calls in lockstep as PostgreSQL runs
// the set-returning functions of one select list (a shorter result is padded with NULLs).
// An input row for which every call yields nothing is dropped. Linear and stateless.
#pragma once

#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

class UnnestOperator final : public Operator {
 public:
  // `calls`: set-returning calls over the input row, each evaluating to an array (NULL
  // counts as empty). `expand[i]`: call i yields records whose fields become one column
  // each (a FROM item); otherwise its element is one column.
  UnnestOperator(std::vector<ExprPtr> calls, std::vector<bool> expand);

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;

 private:
  // Appends element `i` of `items` (NULLs past its end) as call `call`'s columns.
  void AppendElement(size_t call, const std::vector<Value>* items, size_t i, Row* row) const;

  std::vector<ExprPtr> calls_;
  std::vector<bool> expand_;
  std::vector<size_t> widths_;  // columns each call appends
};

}  // namespace ivm
