#include "ivm/operators/join.h"

#include <map>

#include "ivm/interrupt.h"
#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"

namespace ivm {
namespace {

Row Concat(const Row& left, const Row& right) {
  Row row;
  row.reserve(left.size() + right.size());
  row.insert(row.end(), left.begin(), left.end());
  row.insert(row.end(), right.begin(), right.end());
  return row;
}

}  // namespace

bool JoinOperator::EncodeKey(Side prefix, Side row_side, const Row& row, std::string* out) const {
  out->clear();
  out->push_back(prefix);
  for (const ExprPtr& key : row_side == kLeft ? left_keys_ : right_keys_) {
    Value v = key->Eval(row);
    if (v.is_null()) return false;
    EncodeKeyValue(v, out);
  }
  return true;
}

void JoinOperator::JoinWithState(const ZSet& delta, Side delta_side, StepContext& ctx,
                                 ZSet* out) const {
  Side other = delta_side == kLeft ? kRight : kLeft;
  // Group the delta by key so each key's matches are scanned once.
  std::map<std::string, std::vector<const ZSetEntry*>> by_key;
  std::string key;
  for (const ZSetEntry& e : delta.entries()) {
    if (!EncodeKey(other, delta_side, e.row, &key)) continue;
    by_key[key].push_back(&e);
  }
  uint32_t probes = 0;
  for (const auto& [prefix, entries] : by_key) {
    ctx.state->Scan(prefix, [&](std::string_view, std::string_view value) {
      CheckInterruptEvery(&probes);
      ++ctx.stats->state_reads;
      int64_t weight;
      Row stored = ReadWeightedRow(value, &weight);
      for (const ZSetEntry* e : entries) {
        Row joined = delta_side == kLeft ? Concat(e->row, stored) : Concat(stored, e->row);
        out->Add(std::move(joined), e->weight * weight);
      }
      return true;
    });
  }
}

void JoinOperator::UpdateArrangement(const ZSet& delta, Side side, StepContext& ctx) const {
  const bool unique = side == kLeft ? left_unique_ : right_unique_;
  WeightedRowWriter writer(ctx.state, ctx.stats, nullptr,
                           unique ? StoredWeights::kAtMostOne : StoredWeights::kAny);
  std::string key;
  for (const ZSetEntry& e : delta.entries()) {
    if (!EncodeKey(side, side, e.row, &key)) continue;
    EncodeRowIdentity(e.row, &key);
    writer.Add(key, e.row, e.weight);
  }
  writer.Flush();
}

ZSet JoinOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  const ZSet& left = *inputs[0];
  const ZSet& right = *inputs[1];
  ZSet out;
  // ΔA ⋈ B (B before this step), then A += ΔA, then (A + ΔA) ⋈ ΔB, then B += ΔB. A side's
  // arrangement is there to join the other side's later changes: none come once the
  // other side is closed.
  auto closed = [&](size_t input) {
    return input < ctx.inputs_closed.size() && ctx.inputs_closed[input];
  };
  if (!left.empty()) JoinWithState(left, kLeft, ctx, &out);
  if (!closed(1)) UpdateArrangement(left, kLeft, ctx);
  if (!right.empty()) JoinWithState(right, kRight, ctx, &out);
  if (!closed(0)) UpdateArrangement(right, kRight, ctx);
  out.Consolidate();
  ctx.stats->rows_in += left.size() + right.size();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string JoinOperator::Describe() const {
  std::string s = "Join keys=[";
  for (size_t i = 0; i < left_keys_.size(); ++i) {
    if (i) s += ", ";
    s += left_keys_[i]->ToString() + " = " + right_keys_[i]->ToString();
  }
  s += "]";
  if (left_unique_ || right_unique_) {
    s += std::string(" unique=[") + (left_unique_ ? "left" : "") +
         (left_unique_ && right_unique_ ? ", " : "") + (right_unique_ ? "right" : "") + "]";
  }
  return s;
}

}  // namespace ivm
