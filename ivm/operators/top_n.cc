#include "ivm/operators/top_n.h"

#include <map>

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
    int64_t weight = GetSignedVarint64(&value);
    Row row = DeserializeRow(value);
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
  const ZSet& in = *inputs[0];
  ctx.stats->rows_in += in.size();
  std::map<std::string, std::vector<const ZSetEntry*>> by_partition;
  std::string key;
  for (const ZSetEntry& e : in.entries()) {
    key.clear();
    for (const ExprPtr& p : partition_) EncodeKeyValue(p->Eval(e.row), &key);
    by_partition[key].push_back(&e);
  }
  ZSet out;
  std::string value;
  for (const auto& [partition, entries] : by_partition) {
    out.Append(Output(partition, ctx), -1);
    for (const ZSetEntry* e : entries) {
      key = partition + SortKey(e->row);
      int64_t weight = e->weight;
      ++ctx.stats->state_reads;
      if (ctx.state->Get(key, &value)) {
        std::string_view v = value;
        weight += GetSignedVarint64(&v);
      }
      ++ctx.stats->state_writes;
      if (weight == 0) {
        ctx.state->Delete(key);
        continue;
      }
      value.clear();
      PutSignedVarint64(weight, &value);
      SerializeRow(e->row, &value);
      ctx.state->Put(key, value);
    }
    out.Append(Output(partition, ctx), 1);
  }
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
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
