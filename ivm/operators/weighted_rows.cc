#include "ivm/operators/weighted_rows.h"

#include <map>

#include "ivm/row_codec.h"

namespace ivm {

int64_t AddWeightedRow(StateStore* state, const std::string& key, const Row& row, int64_t weight,
                       StepStats* stats) {
  std::string value;
  ++stats->state_reads;
  if (state->Get(key, &value)) {
    std::string_view in = value;
    weight += GetSignedVarint64(&in);
  }
  ++stats->state_writes;
  if (weight == 0) {
    state->Delete(key);
    return 0;
  }
  value.clear();
  PutSignedVarint64(weight, &value);
  SerializeRow(row, &value);
  state->Put(key, value);
  return weight;
}

Row ReadWeightedRow(std::string_view value, int64_t* weight) {
  *weight = GetSignedVarint64(&value);
  return DeserializeRow(value);
}

ZSet RecomputeTouchedPartitions(const ZSet& in, const std::vector<ExprPtr>& partition,
                                const std::function<std::string(const Row&)>& row_key,
                                const std::function<ZSet(const std::string&)>& output,
                                StepContext& ctx) {
  ctx.stats->rows_in += in.size();
  std::map<std::string, std::vector<const ZSetEntry*>> by_partition;
  std::string key;
  for (const ZSetEntry& e : in.entries()) {
    key.clear();
    for (const ExprPtr& p : partition) EncodeKeyValue(p->Eval(e.row), &key);
    by_partition[key].push_back(&e);
  }
  ZSet out;
  for (const auto& [prefix, entries] : by_partition) {
    out.Append(output(prefix), -1);
    for (const ZSetEntry* e : entries) {
      AddWeightedRow(ctx.state, prefix + row_key(e->row), e->row, e->weight, ctx.stats);
    }
    out.Append(output(prefix), 1);
  }
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

}  // namespace ivm
