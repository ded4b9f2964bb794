#include "ivm/operators/distinct.h"

#include "ivm/row_codec.h"

namespace ivm {

ZSet DistinctOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  ZSet out;
  std::string key, value;
  for (const ZSetEntry& e : inputs[0]->entries()) {
    key.clear();
    EncodeRowIdentity(e.row, &key);
    int64_t before = 0;
    ++ctx.stats->state_reads;
    if (ctx.state->Get(key, &value)) {
      std::string_view in = value;
      before = GetSignedVarint64(&in);
    }
    int64_t after = before + e.weight;
    ++ctx.stats->state_writes;
    if (after == 0) {
      ctx.state->Delete(key);
    } else {
      value.clear();
      PutSignedVarint64(after, &value);
      ctx.state->Put(key, value);
    }
    if (before <= 0 && after > 0) out.Add(e.row, 1);
    if (before > 0 && after <= 0) out.Add(e.row, -1);
  }
  ctx.stats->rows_in += inputs[0]->size();
  ctx.stats->rows_out += out.size();
  return out;
}

}  // namespace ivm
