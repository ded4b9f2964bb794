#include "ivm/operators/single_row.h"

#include "ivm/error.h"
#include "ivm/row_codec.h"

namespace ivm {

// State: key(row) -> weight, row (the subquery's rows; normally at most one).
Row SingleRowOperator::Current(StepContext& ctx) const {
  Row row;
  int64_t total = 0;
  ctx.state->Scan("", [&](std::string_view, std::string_view value) {
    ++ctx.stats->state_reads;
    total += GetSignedVarint64(&value);
    if (total > 1) return false;
    row = DeserializeRow(value);
    return true;
  });
  if (total > 1) {
    throw Error(sqlstate::kCardinalityViolation,
                "more than one row returned by a subquery used as an expression");
  }
  if (total == 0) {
    for (TypeId t : types_) row.push_back(Value::Null(t));
  }
  return row;
}

ZSet SingleRowOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  const ZSet& in = *inputs[0];
  ctx.stats->rows_in += in.size();
  ZSet out;
  if (!ctx.initial) out.Add(Current(ctx), -1);
  std::string key, value;
  for (const ZSetEntry& e : in.entries()) {
    key.clear();
    EncodeRowIdentity(e.row, &key);
    int64_t weight = e.weight;
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
    SerializeRow(e.row, &value);
    ctx.state->Put(key, value);
  }
  out.Add(Current(ctx), 1);
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

}  // namespace ivm
