#include "ivm/operators/semi_join.h"

#include <map>

#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"

namespace ivm {
namespace {

// State layout:
//   'O' + key + key(row) -> weight, row   outer rows with a non-NULL key
//   'N' + key(row)       -> weight, row   outer rows with a NULL in the key (NOT IN, IN marks)
//   'I' + key            -> count         inner rows per non-NULL key
//   'T'                  -> rows, nulls   inner totals (NOT IN, IN marks)
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
                const std::vector<const ZSetEntry*>& rows, StoredWeights stored, StepStats* stats) {
  WeightedRowWriter writer(state, stats, nullptr, stored);
  std::string key;
  for (const ZSetEntry* e : rows) {
    key = prefix;
    EncodeRowIdentity(e->row, &key);
    writer.Add(key, e->row, e->weight);
  }
  writer.Flush();
}

bool IsTrueValue(const Value& v) { return !v.is_null() && v.bool_value(); }

bool SameMark(const Value& a, const Value& b) {
  return a.is_null() == b.is_null() && (a.is_null() || a.bool_value() == b.bool_value());
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

Value SemiJoinOperator::Mark(bool null_key, int64_t count, const Totals& totals) const {
  switch (kind_) {
    case SemiJoinKind::kSemi:
    case SemiJoinKind::kMarkExists:
      return Value::Bool(!null_key && count > 0);
    case SemiJoinKind::kAnti:
      return Value::Bool(null_key || count == 0);
    case SemiJoinKind::kNotIn:
      return Value::Bool(totals.rows == 0 || (!null_key && count == 0 && totals.nulls == 0));
    case SemiJoinKind::kMarkIn:
      // x IN (...): false over no rows; NULL when x is NULL or, without a match, any is NULL.
      if (totals.rows == 0) return Value::Bool(false);
      if (null_key) return Value::Null(TypeId::kBool);
      if (count > 0) return Value::Bool(true);
      return totals.nulls > 0 ? Value::Null(TypeId::kBool) : Value::Bool(false);
  }
  return Value::Bool(false);
}

void SemiJoinOperator::Emit(const Row& row, int64_t weight, const Value& mark, ZSet* out) const {
  if (!emits_mark()) {
    if (IsTrueValue(mark)) out->Add(row, weight);
    return;
  }
  Row marked = row;
  marked.push_back(mark);
  out->Add(std::move(marked), weight);
}

void SemiJoinOperator::EmitStored(StateStore* state, const std::string& prefix, int64_t sign,
                                  const Value& mark, ZSet* out, StepStats* stats) const {
  if (!emits_mark() && !IsTrueValue(mark)) return;
  state->Scan(prefix, [&](std::string_view, std::string_view value) {
    ++stats->state_reads;
    int64_t weight;
    Row row = ReadWeightedRow(value, &weight);
    Emit(row, sign * weight, mark, out);
    return true;
  });
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
  const bool uses_totals = kind_ == SemiJoinKind::kNotIn || kind_ == SemiJoinKind::kMarkIn;
  const StoredWeights stored = outer_unique_ ? StoredWeights::kAtMostOne : StoredWeights::kAny;
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
  Totals old_totals = uses_totals ? LoadTotals(ctx) : Totals();
  Totals new_totals = old_totals;
  for (const ZSetEntry& e : inner.entries()) {
    new_totals.rows += e.weight;
    if (KeyOf(inner_keys_, e.row, &key)) {
      inner_delta[key] += e.weight;
    } else {
      new_totals.nulls += e.weight;
    }
  }

  ZSet out;
  // NULL-key outer rows: their value depends on the totals only.
  Value null_old = Mark(true, 0, old_totals), null_new = Mark(true, 0, new_totals);
  if (uses_totals) {
    if (!SameMark(null_old, null_new)) {
      EmitStored(ctx.state, std::string(1, kNullOuter), -1, null_old, &out, ctx.stats);
      EmitStored(ctx.state, std::string(1, kNullOuter), 1, null_new, &out, ctx.stats);
    }
    UpdateRows(ctx.state, std::string(1, kNullOuter), null_outer_delta, stored, ctx.stats);
  }
  for (const ZSetEntry* e : null_outer_delta) Emit(e->row, e->weight, null_new, &out);

  // Keys whose value may change: those the deltas touch, or every stored key when the
  // totals changed the value of keys without a match.
  std::map<std::string, bool> keys;
  for (const auto& [k, rows] : outer_delta) keys[k] = true;
  for (const auto& [k, delta] : inner_delta) keys[k] = true;
  if (!SameMark(Mark(false, 0, old_totals), Mark(false, 0, new_totals))) {
    ctx.state->Scan(std::string(1, kOuter), [&](std::string_view, std::string_view value) {
      GetSignedVarint64(&value);
      std::string k;
      if (KeyOf(outer_keys_, DeserializeRow(value), &k)) keys[k] = true;
      return true;
    });
  }

  for (const auto& [k, unused] : keys) {
    std::string inner_key = std::string(1, kInner) + k;
    int64_t count_old = ReadCount(ctx.state, inner_key, ctx.stats);
    auto in_it = inner_delta.find(k);
    int64_t count_new = count_old + (in_it == inner_delta.end() ? 0 : in_it->second);
    Value mark_old = Mark(false, count_old, old_totals);
    Value mark_new = Mark(false, count_new, new_totals);
    std::string outer_prefix = std::string(1, kOuter) + k;
    if (!SameMark(mark_old, mark_new)) {
      EmitStored(ctx.state, outer_prefix, -1, mark_old, &out, ctx.stats);
      EmitStored(ctx.state, outer_prefix, 1, mark_new, &out, ctx.stats);
    }
    auto out_it = outer_delta.find(k);
    if (out_it != outer_delta.end()) {
      for (const ZSetEntry* e : out_it->second) Emit(e->row, e->weight, mark_new, &out);
      UpdateRows(ctx.state, outer_prefix, out_it->second, stored, ctx.stats);
    }
    if (count_new != count_old) WriteCount(ctx.state, inner_key, count_new, ctx.stats);
  }
  if (uses_totals && (new_totals.rows != old_totals.rows || new_totals.nulls != old_totals.nulls)) {
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
  std::string s;
  switch (kind_) {
    case SemiJoinKind::kSemi:
      s = "SemiJoin";
      break;
    case SemiJoinKind::kAnti:
      s = "AntiJoin";
      break;
    case SemiJoinKind::kNotIn:
      s = "NotInAntiJoin";
      break;
    case SemiJoinKind::kMarkExists:
      s = "ExistsMark";
      break;
    case SemiJoinKind::kMarkIn:
      s = "InMark";
      break;
  }
  s += " keys=[";
  for (size_t i = 0; i < outer_keys_.size(); ++i) {
    if (i) s += ", ";
    s += outer_keys_[i]->ToString() + " = " + inner_keys_[i]->ToString();
  }
  return s + (outer_unique_ ? "] unique=[outer]" : "]");
}

}  // namespace ivm
