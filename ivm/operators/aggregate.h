// AggregateOperator: incremental GROUP BY. Per group it keeps the row count and, per
// aggregate, the count of non-NULL inputs and a running sum; MIN/MAX keep the multiset of
// values in key order so deleting the current extreme finds the next one. Each step folds
// the delta into the touched groups only and emits -old_row +new_row for each that changed.
// Output rows are the group-by values followed by the aggregate values.
#pragma once

#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"
#include "ivm/operators/sort_key.h"

namespace ivm {

enum class AggregateKind {
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kBoolAnd,
  kBoolOr,
  kStringAgg,
  kArrayAgg,        // NULL inputs included
  kPercentileCont,  // percentile_cont(fraction) WITHIN GROUP (ORDER BY arg): interpolated
  kPercentileDisc,  // percentile_disc(fraction) WITHIN GROUP (ORDER BY arg): an input value
};

struct AggregateSpec {
  AggregateKind kind = AggregateKind::kCountStar;
  ExprPtr arg;       // null for count(*)
  Type result_type;  // PostgreSQL's: count -> bigint, sum(int) -> bigint, avg(int) -> numeric ...
  bool distinct = false;           // count/sum/avg(DISTINCT x)
  std::string separator;           // string_agg's (a constant)
  std::vector<SortSpec> order_by;  // string_agg/array_agg(x ORDER BY ...); percentiles' order
  double fraction = 0;             // percentile_cont/disc's (a constant in [0, 1])

  // Whether the aggregate keeps a per-group multiset of its input values.
  bool KeepsValues() const {
    return distinct || kind == AggregateKind::kMin || kind == AggregateKind::kMax ||
           IsOrdered();
  }
  // Whether its result depends on the order of its inputs (a multiset in ORDER BY order).
  bool IsOrdered() const {
    return kind == AggregateKind::kStringAgg || kind == AggregateKind::kArrayAgg ||
           kind == AggregateKind::kPercentileCont || kind == AggregateKind::kPercentileDisc;
  }
};

// Adds weight × v into a running sum `acc` (NULL when empty): numeric for exact inputs,
// double for floating ones. Window aggregates share it.
void AddToRunningSum(Value* acc, const Value& v, int64_t weight);

// The result type PostgreSQL gives `kind` over an argument of type `arg`.
Type AggregateResultType(AggregateKind kind, const Type& arg);
const char* AggregateName(AggregateKind kind);

class AggregateOperator final : public Operator {
 public:
  // `global` is an aggregate without GROUP BY: it has exactly one row, even over no input.
  AggregateOperator(std::vector<ExprPtr> group_keys, std::vector<AggregateSpec> aggregates,
                    bool global)
      : group_keys_(std::move(group_keys)), aggregates_(std::move(aggregates)), global_(global) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }

 private:
  struct GroupState;
  struct GroupDelta;

  GroupState DecodeGroup(std::string_view value) const;
  // Folds one group's delta into its stored state (`stored`, absent for a new group),
  // stores it and adds the group's -old and +new rows to `out`.
  void FoldGroup(const std::string& group_key, const GroupDelta& d, GroupState* stored,
                 StepContext& ctx, ZSet* out) const;
  void StoreGroup(const std::string& key, const GroupState& state, StepContext& ctx) const;
  struct Element;
  // Applies weighted elements to aggregate `index`'s ordered multiset for the group.
  // Returns the elements that appeared (+1) or disappeared (-1) as distinct values.
  std::vector<std::pair<Value, int>> UpdateValues(size_t index, const std::string& group_key,
                                                  const std::vector<Element>& elements,
                                                  StepContext& ctx) const;
  Value Extreme(size_t index, const std::string& group_key, StepContext& ctx) const;
  // string_agg, array_agg and the percentiles: rebuilt from the group's ordered values.
  Value OrderedAggregate(size_t index, const std::string& group_key, int64_t non_null,
                         StepContext& ctx) const;
  Row OutputRow(const std::string& group_key, const GroupState& state, StepContext& ctx) const;

  std::vector<ExprPtr> group_keys_;
  std::vector<AggregateSpec> aggregates_;
  bool global_;
};

}  // namespace ivm
