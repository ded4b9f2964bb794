#include "ivm/operators/semi_join.h"

#include <map>

#include "ivm/row_codec.h"

namespace ivm {
namespace {

// State layout:
//   'O' + key + key(row) -> weight, row   outer rows with a non-NULL key
//   'N' + key(row)       -> weight, row   outer rows with a NULL in the key (NOT IN only)
//   'I' + key            -> count         inner rows per non-NULL key
//   'T'                  -> rows, nulls   inner totals (NOT IN only)
constexpr char kOuter = 'O';
constexpr char kNullOuter = 'N';
constexpr char kInner = 'I';
const std::string kTotalsKey = "T";

int64_t ReadCount(StateStore* state, const std::string& key, StepStats* stats) {
  std::string value;
  ++stats->state_reads;
  if (!state->Get(key, &value)) return 0;
  std::string_view in = value;
  return GetSignedVarint64(&in);
}

void WriteCount(StateStore* state, const std::string& key, int64_t count, StepStats* stats) {
  ++stats->state_writes;
  if (count == 0) {
    state->Delete(key);
    return;
  }
  std::string value;
  PutSignedVarint64(count, &value);
  state->Put(key, value);
}

// Adds weighted rows under `prefix` + key(row).
void UpdateRows(StateStore* state, const std::string& prefix,
                const std::vector<const ZSetEntry*>& rows, StepStats* stats) {
  std::string key, value;
  for (const ZSetEntry* e : rows) {
    key = prefix;
    EncodeKeyRow(e->row, &key);
    int64_t weight = e->weight;
    ++stats->state_reads;
    if (state->Get(key, &value)) {
      std::string_view in = value;
      weight += GetSignedVarint64(&in);
    }
    ++stats->state_writes;
    if (weight == 0) {
      state->Delete(key);
      continue;
    }
    value.clear();
    PutSignedVarint64(weight, &value);
    SerializeRow(e->row, &value);
    state->Put(key, value);
  }
}

// Emits every stored row under `prefix` with `sign`.
void EmitStored(StateStore* state, const std::string& prefix, int64_t sign, ZSet* out,
                StepStats* stats) {
  state->Scan(prefix, [&](std::string_view, std::string_view value) {
    ++stats->state_reads;
    int64_t weight = GetSignedVarint64(&value);
    out->Add(DeserializeRow(value), sign * weight);
    return true;
  });
}

}  // namespace

bool SemiJoinOperator::KeyOf(const std::vector<ExprPtr>& exprs, const Row& row,
                             std::string* key) const {
  key->clear();
  for (const ExprPtr& e : exprs) {
    Value v = e->Eval(row);
    if (v.is_null()) return false;
    EncodeKeyValue(v, key);
  }
  return true;
}

bool SemiJoinOperator::Passes(bool null_key, int64_t count, const Totals& totals) const {
  switch (kind_) {
    case SemiJoinKind::kSemi: return !null_key && count > 0;
    case SemiJoinKind::kAnti: return null_key || count == 0;
    case SemiJoinKind::kNotIn:
      return totals.rows == 0 || (!null_key && count == 0 && totals.nulls == 0);
  }
  return false;
}

SemiJoinOperator::Totals SemiJoinOperator::LoadTotals(StepContext& ctx) const {
  Totals t;
  std::string value;
  ++ctx.stats->state_reads;
  if (ctx.state->Get(kTotalsKey, &value)) {
    std::string_view in = value;
    t.rows = GetSignedVarint64(&in);
    t.nulls = GetSignedVarint64(&in);
  }
  return t;
}

ZSet SemiJoinOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  const ZSet& outer = *inputs[0];
  const ZSet& inner = *inputs[1];
  ctx.stats->rows_in += outer.size() + inner.size();
  std::string key;

  // Deltas by key.
  std::map<std::string, std::vector<const ZSetEntry*>> outer_delta;
  std::vector<const ZSetEntry*> null_outer_delta;
  for (const ZSetEntry& e : outer.entries()) {
    if (KeyOf(outer_keys_, e.row, &key)) {
      outer_delta[key].push_back(&e);
    } else {
      null_outer_delta.push_back(&e);
    }
  }
  std::map<std::string, int64_t> inner_delta;
  Totals old_totals = kind_ == SemiJoinKind::kNotIn ? LoadTotals(ctx) : Totals();
  Totals new_totals = old_totals;
  for (const ZSetEntry& e : inner.entries()) {
    new_totals.rows += e.weight;
    if (KeyOf(inner_keys_, e.row, &key)) {
      inner_delta[key] += e.weight;
    } else {
      new_totals.nulls += e.weight;
    }
  }
  // A change in the totals can flip every outer row (NOT IN only).
  bool flip_all = Passes(false, 0, old_totals) != Passes(false, 0, new_totals) ||
                  Passes(true, 0, old_totals) != Passes(true, 0, new_totals);

  ZSet out;
  // NULL-key outer rows: they pass or not as a class.
  bool null_old = Passes(true, 0, old_totals), null_new = Passes(true, 0, new_totals);
  if (kind_ == SemiJoinKind::kNotIn) {
    if (null_old && !null_new) EmitStored(ctx.state, std::string(1, kNullOuter), -1, &out, ctx.stats);
    if (!null_old && null_new) EmitStored(ctx.state, std::string(1, kNullOuter), 1, &out, ctx.stats);
    UpdateRows(ctx.state, std::string(1, kNullOuter), null_outer_delta, ctx.stats);
  }
  if (null_new) {
    for (const ZSetEntry* e : null_outer_delta) out.Add(e->row, e->weight);
  }

  // Keys whose decision may change.
  std::map<std::string, bool> keys;
  for (const auto& [k, rows] : outer_delta) keys[k] = true;
  for (const auto& [k, delta] : inner_delta) keys[k] = true;
  std::vector<std::string> all_keys;
  for (const auto& [k, unused] : keys) all_keys.push_back(k);
  if (flip_all) {
    // Every stored outer key must be re-decided: collect them from the stored rows.
    std::map<std::string, bool> stored;
    ctx.state->Scan(std::string(1, kOuter), [&](std::string_view, std::string_view value) {
      GetSignedVarint64(&value);
      Row row = DeserializeRow(value);
      std::string k;
      if (KeyOf(outer_keys_, row, &k)) stored[k] = true;
      return true;
    });
    for (const auto& [k, unused] : stored) {
      if (!keys.count(k)) all_keys.push_back(k);
    }
  }

  for (const std::string& k : all_keys) {
    std::string inner_key = std::string(1, kInner) + k;
    int64_t count_old = ReadCount(ctx.state, inner_key, ctx.stats);
    auto in_it = inner_delta.find(k);
    int64_t count_new = count_old + (in_it == inner_delta.end() ? 0 : in_it->second);
    bool pass_old = Passes(false, count_old, old_totals);
    bool pass_new = Passes(false, count_new, new_totals);
    std::string outer_prefix = std::string(1, kOuter) + k;
    auto out_it = outer_delta.find(k);
    if (pass_old && !pass_new) EmitStored(ctx.state, outer_prefix, -1, &out, ctx.stats);
    if (!pass_old && pass_new) EmitStored(ctx.state, outer_prefix, 1, &out, ctx.stats);
    if (pass_new && out_it != outer_delta.end()) {
      for (const ZSetEntry* e : out_it->second) out.Add(e->row, e->weight);
    }
    if (out_it != outer_delta.end()) UpdateRows(ctx.state, outer_prefix, out_it->second, ctx.stats);
    if (count_new != count_old) WriteCount(ctx.state, inner_key, count_new, ctx.stats);
  }
  if (kind_ == SemiJoinKind::kNotIn &&
      (new_totals.rows != old_totals.rows || new_totals.nulls != old_totals.nulls)) {
    std::string value;
    PutSignedVarint64(new_totals.rows, &value);
    PutSignedVarint64(new_totals.nulls, &value);
    ++ctx.stats->state_writes;
    ctx.state->Put(kTotalsKey, value);
  }
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string SemiJoinOperator::Describe() const {
  std::string s = kind_ == SemiJoinKind::kSemi   ? "SemiJoin"
                  : kind_ == SemiJoinKind::kAnti ? "AntiJoin"
                                                 : "NotInAntiJoin";
  s += " keys=[";
  for (size_t i = 0; i < outer_keys_.size(); ++i) {
    if (i) s += ", ";
    s += outer_keys_[i]->ToString() + " = " + inner_keys_[i]->ToString();
  }
  return s + "]";
}

}  // namespace ivm
