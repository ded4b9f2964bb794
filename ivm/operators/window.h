// WindowOperator: one window function over PARTITION BY ... ORDER BY ... (ranks, lag/lead,
// first/last/nth value, ntile, and sum/avg/count/min/max over the default frame: the
// partition's rows up to the current row's last peer, or the whole partition without
// ORDER BY). Each output row is an input row with the function's value appended.
// Per partition it keeps the rows in window order (ties broken on the whole row, so
// results are deterministic); a step recomputes only the partitions its delta touches,
// emitting -old +new for them: the work is the touched partitions' size, as a window's
// value may depend on every row of its partition. (ROW_NUMBER() is a TopNOperator, which
// can stop early under rn <= k.)
#pragma once

#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"
#include "ivm/operators/sort_key.h"

namespace ivm {

enum class WindowFunctionKind {
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kNthValue,
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
};

// The rows an aggregate, first_value, last_value or nth_value sees for the current row:
// ROWS counts rows; RANGE (only with UNBOUNDED and CURRENT ROW bounds) takes the current
// row's peers along. The default is RANGE UNBOUNDED PRECEDING .. CURRENT ROW.
struct WindowFrame {
  enum class Bound { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
  bool rows = false;
  Bound start = Bound::kUnboundedPreceding;
  Bound end = Bound::kCurrentRow;
  int64_t start_offset = 0;  // kPreceding / kFollowing
  int64_t end_offset = 0;

  bool IsDefault() const {
    return !rows && start == Bound::kUnboundedPreceding && end == Bound::kCurrentRow;
  }
  std::string ToString() const;
};

struct WindowFunctionSpec {
  WindowFunctionKind kind = WindowFunctionKind::kRank;
  ExprPtr arg;            // the value read (lag ... max); null for ranks, ntile, count(*)
  int64_t offset = 1;     // lag/lead's offset, nth_value's n, ntile's bucket count
  ExprPtr default_value;  // lag/lead: the value when there is no such row (null: NULL)
  Type result_type;
  WindowFrame frame;
};

const char* WindowFunctionName(WindowFunctionKind kind);

class WindowOperator final : public Operator {
 public:
  WindowOperator(std::vector<ExprPtr> partition, std::vector<SortSpec> order,
                 WindowFunctionSpec function)
      : partition_(std::move(partition)), order_(std::move(order)), function_(std::move(function)) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }

 private:
  // The partition's rows under `prefix`, each with the function's value appended.
  ZSet Output(const std::string& prefix, StepContext& ctx) const;
  // The function's value for each of `rows` (one partition, in window order); `peers[i]`
  // is the index of the first row of row i's peer group (rows equal in ORDER BY).
  std::vector<Value> Compute(const std::vector<Row>& rows, const std::vector<size_t>& peers) const;
  std::vector<Value> ComputeAggregate(const std::vector<Row>& rows,
                                      const std::vector<size_t>& peers) const;
  // Aggregates over an explicit frame: a window sliding over the partition (both ends of
  // a frame only move forward from row to row).
  std::vector<Value> ComputeFramedAggregate(const std::vector<Row>& rows,
                                            const std::vector<size_t>& peers) const;
  // Row i's frame as [*begin, *end) (empty when *begin >= *end).
  void FrameOf(size_t i, const std::vector<size_t>& peers, size_t* begin, size_t* end) const;

  std::vector<ExprPtr> partition_;
  std::vector<SortSpec> order_;
  WindowFunctionSpec function_;
};

}  // namespace ivm
