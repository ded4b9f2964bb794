// TopNOperator: per partition, the rows at positions [offset, offset + limit) in a sort
// order — ORDER BY ... LIMIT in a view, and ROW_NUMBER() OVER (PARTITION BY ... ORDER BY
// ...) (then each output row carries its row number, and `limit` comes from a filter such
// as rn <= k). Ties break on the whole row, so results are deterministic. Each partition's
// rows are kept in sort order, so a step reads only the first offset + limit rows of each
// partition it touches (all of them when there is no limit).
#pragma once

#include <optional>
#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"
#include "ivm/operators/sort_key.h"

namespace ivm {

class TopNOperator final : public Operator {
 public:
  TopNOperator(std::vector<ExprPtr> partition, std::vector<SortSpec> order,
               std::optional<int64_t> limit, int64_t offset, bool row_number)
      : partition_(std::move(partition)),
        order_(std::move(order)),
        limit_(limit),
        offset_(offset),
        row_number_(row_number) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }
  // Lowers the limit (a filter rn <= k above row numbering).
  void set_limit(int64_t limit) { limit_ = limit; }

 private:
  std::string SortKey(const Row& row) const;
  // The partition's current output, read from the stored rows under `prefix`.
  ZSet Output(const std::string& prefix, StepContext& ctx) const;

  std::vector<ExprPtr> partition_;
  std::vector<SortSpec> order_;
  std::optional<int64_t> limit_;
  int64_t offset_;
  bool row_number_;
};

}  // namespace ivm
