// JoinOperator: incremental inner equi-join. Keeps both inputs as arrangements (Z-sets
// indexed by join key) and applies the DBSP rule
//   Δ(A ⋈ B) = ΔA ⋈ B + (A + ΔA) ⋈ ΔB
// so a step costs O(|ΔA| + |ΔB| + matches) lookups, never a scan of either side.
// Output rows are the left row followed by the right row. Rows whose key has a NULL
// never match (SQL equality) and are not stored. A side known to hold each row at most
// once (a table with a primary key) has its arrangement written without reading it.
#pragma once

#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

class JoinOperator final : public Operator {
 public:
  JoinOperator(std::vector<ExprPtr> left_keys, std::vector<ExprPtr> right_keys,
               bool left_unique = false, bool right_unique = false)
      : left_keys_(std::move(left_keys)),
        right_keys_(std::move(right_keys)),
        left_unique_(left_unique),
        right_unique_(right_unique) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }

 private:
  enum Side : char { kLeft = 'L', kRight = 'R' };

  // Encodes `prefix` then the join key of a row of `row_side`; false if it has a NULL.
  bool EncodeKey(Side prefix, Side row_side, const Row& row, std::string* out) const;
  // Joins each delta row with the stored rows of the other side under the same key.
  void JoinWithState(const ZSet& delta, Side delta_side, StepContext& ctx, ZSet* out) const;
  // Adds `delta` into the arrangement of `side`.
  void UpdateArrangement(const ZSet& delta, Side side, StepContext& ctx) const;

  std::vector<ExprPtr> left_keys_;
  std::vector<ExprPtr> right_keys_;
  bool left_unique_;   // the left input holds each row at most once
  bool right_unique_;  // ... and the right one
};

}  // namespace ivm
