// OuterPadOperator: the NULL-padded part of an outer join. Inputs: one side of the join
// (S) and the inner join's output (J, after any residual ON condition). For each row of S
// it keeps the row's weight and the total weight of J rows it produced; a row with no J
// rows is emitted padded with NULLs for the other side's columns. LEFT JOIN is
// J + Pad(L, J), RIGHT JOIN J + Pad(R, J), FULL JOIN both pads. The same bookkeeping
// keeps the rows of S with (EXISTS) or without (NOT EXISTS) a J row, unpadded: the
// semi- and anti-joins whose condition is more than key equality.
#pragma once

#include "ivm/operators/operator.h"

namespace ivm {

enum class MatchMode {
  kPadUnmatched,  // outer join: rows without a match, padded with NULLs
  kMatched,       // EXISTS: rows with at least one match
  kUnmatched,     // NOT EXISTS: rows without a match
};

class OuterPadOperator final : public Operator {
 public:
  // `side_columns`: where the padded side's columns sit in a J row ([offset, offset+count));
  // `other_types`: the types of the other side's columns, in J order, to fill with NULLs.
  // `side_first`: whether the padded side comes first in output rows (LEFT) or last (RIGHT).
  OuterPadOperator(int offset, int count, std::vector<TypeId> other_types, bool side_first,
                   MatchMode mode = MatchMode::kPadUnmatched)
      : offset_(offset),
        count_(count),
        other_types_(std::move(other_types)),
        side_first_(side_first),
        mode_(mode) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }

 private:
  Row Padded(const Row& side_row) const;
  // The row's output weight given its weight in S and the weight of its J rows.
  int64_t OutputWeight(int64_t weight, int64_t matches) const;

  int offset_;
  int count_;
  std::vector<TypeId> other_types_;
  bool side_first_;
  MatchMode mode_;
};

}  // namespace ivm
