#include "ivm/operators/single_row.h"

#include "ivm/error.h"
#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"

namespace ivm {

// State: key(row) -> weight, row (the subquery's rows; normally at most one).
Row SingleRowOperator::Current(StepContext& ctx) const {
  Row row;
  int64_t total = 0;
  ctx.state->Scan("", [&](std::string_view, std::string_view value) {
    ++ctx.stats->state_reads;
    int64_t weight;
    Row stored = ReadWeightedRow(value, &weight);
    total += weight;
    if (total > 1) return false;
    row = std::move(stored);
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
  WeightedRowWriter writer(ctx.state, ctx.stats);
  std::string key;
  for (const ZSetEntry& e : in.entries()) {
    key.clear();
    EncodeRowIdentity(e.row, &key);
    writer.Add(key, e.row, e.weight);
  }
  writer.Flush();
  out.Add(Current(ctx), 1);
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

}  // namespace ivm
