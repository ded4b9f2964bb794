#include "ivm/operators/top_n.h"

#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"

namespace ivm {

// State: key(partition) + sort key + key(row) -> weight, row.
std::string TopNOperator::SortKey(const Row& row) const {
  std::string key;
  AppendSortKey(order_, row, &key);
  EncodeRowIdentity(row, &key);  // ties break on the whole row
  return key;
}

ZSet TopNOperator::Output(const std::string& prefix, StepContext& ctx) const {
  ZSet out;
  int64_t position = 0;  // copies seen so far
  int64_t end = limit_ ? offset_ + *limit_ : INT64_MAX;
  ctx.state->Scan(prefix, [&](std::string_view, std::string_view value) {
    ++ctx.stats->state_reads;
    int64_t weight;
    Row row = ReadWeightedRow(value, &weight);
    for (int64_t i = 0; i < weight && position < end; ++i, ++position) {
      if (position < offset_) continue;
      if (row_number_) {
        Row numbered = row;
        numbered.push_back(Value::Int64(position - offset_ + 1));
        out.Add(std::move(numbered), 1);
      } else {
        out.Add(row, 1);
      }
    }
    return position < end;
  });
  return out;
}

ZSet TopNOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  return RecomputeTouchedPartitions(
      *inputs[0], partition_, [this](const Row& row) { return SortKey(row); },
      [&](const std::string& prefix) { return Output(prefix, ctx); }, ctx);
}

std::string TopNOperator::Describe() const {
  std::string s = row_number_ ? "RowNumber" : "TopN";
  if (!partition_.empty()) {
    s += " partition=[";
    for (size_t i = 0; i < partition_.size(); ++i) s += (i ? ", " : "") + partition_[i]->ToString();
    s += "]";
  }
  s += " order=[" + DescribeSort(order_) + "]";
  if (limit_) s += " limit=" + std::to_string(*limit_);
  if (offset_) s += " offset=" + std::to_string(offset_);
  return s;
}

}  // namespace ivm
