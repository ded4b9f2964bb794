#include "ivm/operators/aggregate.h"

#include <unordered_map>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/row_codec.h"

namespace ivm {

// State layout in the operator's store:
//   'g' + key(group)                 -> count, then per aggregate: non-null count, sum value;
//                                       then the group row (serialized)
//   'm' + agg index + key(group) + key(value) -> multiplicity, value   (MIN/MAX only)
struct AggregateOperator::GroupState {
  int64_t count = 0;
  std::vector<int64_t> non_null;
  std::vector<Value> sums;
  Row group;
};

struct AggregateOperator::GroupDelta {
  Row group;
  int64_t count = 0;
  std::vector<int64_t> non_null;
  std::vector<Value> sums;
  std::vector<std::vector<std::pair<Value, int64_t>>> extremes;
};

namespace {

constexpr char kGroupTag = 'g';
constexpr char kExtremeTag = 'm';

bool IsExact(const Type& t) { return t.IsInteger() || t.id == TypeId::kNumeric; }

// Adds weight × v into the running sum `acc` (NULL when empty).
void AddToSum(Value* acc, const Value& v, int64_t weight) {
  if (IsExact(Type::Of(v.type()))) {
    Decimal d =
        v.type() == TypeId::kNumeric ? v.numeric_value() : Decimal::FromInt64(v.int_value());
    if (weight != 1) d = d * Decimal::FromInt64(weight);
    *acc = Value::Numeric(acc->is_null() ? d : acc->numeric_value() + d);
  } else {
    double d = v.float_value() * static_cast<double>(weight);
    *acc = Value::Float64(acc->is_null() ? d : acc->float_value() + d);
  }
}

void AddSums(Value* acc, const Value& delta) {
  if (delta.is_null()) return;
  if (acc->is_null()) {
    *acc = delta;
  } else if (delta.type() == TypeId::kNumeric) {
    *acc = Value::Numeric(acc->numeric_value() + delta.numeric_value());
  } else {
    *acc = Value::Float64(acc->float_value() + delta.float_value());
  }
}

}  // namespace

Type AggregateResultType(AggregateKind kind, const Type& arg) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return Type::Of(TypeId::kInt64);
    case AggregateKind::kSum:
      if (arg.id == TypeId::kInt16 || arg.id == TypeId::kInt32) return Type::Of(TypeId::kInt64);
      if (arg.id == TypeId::kInt64 || arg.id == TypeId::kNumeric) return Type::Numeric();
      return arg;  // real -> real, double -> double
    case AggregateKind::kAvg:
      if (IsExact(arg)) return Type::Numeric();
      return Type::Of(TypeId::kFloat64);
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      return arg;
  }
  return arg;
}

const char* AggregateName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kAvg:
      return "avg";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
  }
  return "?";
}

bool AggregateOperator::LoadGroup(const std::string& key, StepContext& ctx,
                                  GroupState* state) const {
  std::string value;
  ++ctx.stats->state_reads;
  if (!ctx.state->Get(key, &value)) return false;
  std::string_view in = value;
  state->count = GetSignedVarint64(&in);
  state->non_null.resize(aggregates_.size());
  state->sums.resize(aggregates_.size());
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    state->non_null[i] = GetSignedVarint64(&in);
    state->sums[i] = DeserializeValue(&in);
  }
  state->group = DeserializeRow(in);
  return true;
}

void AggregateOperator::StoreGroup(const std::string& key, const GroupState& state,
                                   StepContext& ctx) const {
  ++ctx.stats->state_writes;
  if (state.count == 0) {
    ctx.state->Delete(key);
    return;
  }
  std::string value;
  PutSignedVarint64(state.count, &value);
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    PutSignedVarint64(state.non_null[i], &value);
    SerializeValue(state.sums[i], &value);
  }
  SerializeRow(state.group, &value);
  ctx.state->Put(key, value);
}

void AggregateOperator::UpdateExtremes(size_t index, const std::string& group_key,
                                       const std::vector<std::pair<Value, int64_t>>& values,
                                       StepContext& ctx) const {
  std::string key, stored;
  for (const auto& [v, weight] : values) {
    key.assign(1, kExtremeTag);
    key.push_back(static_cast<char>(index));
    key.append(group_key, 1, std::string::npos);  // group key without its 'g' tag
    EncodeKeyValue(v, &key);
    int64_t count = weight;
    ++ctx.stats->state_reads;
    if (ctx.state->Get(key, &stored)) {
      std::string_view in = stored;
      count += GetSignedVarint64(&in);
    }
    ++ctx.stats->state_writes;
    if (count == 0) {
      ctx.state->Delete(key);
      continue;
    }
    stored.clear();
    PutSignedVarint64(count, &stored);
    SerializeValue(v, &stored);
    ctx.state->Put(key, stored);
  }
}

Value AggregateOperator::Extreme(size_t index, const std::string& group_key,
                                 StepContext& ctx) const {
  std::string prefix(1, kExtremeTag);
  prefix.push_back(static_cast<char>(index));
  prefix.append(group_key, 1, std::string::npos);
  Value result = Value::Null(aggregates_[index].result_type.id);
  ++ctx.stats->state_reads;
  if (aggregates_[index].kind == AggregateKind::kMin) {
    ctx.state->Scan(prefix, [&](std::string_view, std::string_view value) {
      GetSignedVarint64(&value);
      result = DeserializeValue(&value);
      return false;  // the first key is the minimum
    });
  } else {
    std::string key, value;
    if (ctx.state->Last(prefix, &key, &value)) {
      std::string_view in = value;
      GetSignedVarint64(&in);
      result = DeserializeValue(&in);
    }
  }
  return result;
}

Row AggregateOperator::OutputRow(const std::string& group_key, const GroupState& state,
                                 StepContext& ctx) const {
  Row row = state.group;
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    const AggregateSpec& agg = aggregates_[i];
    const Type& type = agg.result_type;
    switch (agg.kind) {
      case AggregateKind::kCountStar:
        row.push_back(Value::Int64(state.count));
        break;
      case AggregateKind::kCount:
        row.push_back(Value::Int64(state.non_null[i]));
        break;
      case AggregateKind::kSum:
        if (state.non_null[i] == 0) {
          row.push_back(Value::Null(type.id));
        } else {
          row.push_back(CastValue(state.sums[i], type));
        }
        break;
      case AggregateKind::kAvg:
        if (state.non_null[i] == 0) {
          row.push_back(Value::Null(type.id));
        } else if (type.id == TypeId::kNumeric) {
          row.push_back(
              Value::Numeric(Decimal::Average(state.sums[i].numeric_value(), state.non_null[i])));
        } else {
          row.push_back(
              Value::Float64(state.sums[i].float_value() / static_cast<double>(state.non_null[i])));
        }
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax:
        row.push_back(state.non_null[i] == 0 ? Value::Null(type.id) : Extreme(i, group_key, ctx));
        break;
    }
  }
  return row;
}

ZSet AggregateOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  const ZSet& input = *inputs[0];
  const size_t n = aggregates_.size();

  // 1. Fold the delta per group.
  std::unordered_map<std::string, GroupDelta> deltas;
  std::string key;
  for (const ZSetEntry& e : input.entries()) {
    Row group;
    group.reserve(group_keys_.size());
    for (const ExprPtr& k : group_keys_) group.push_back(k->Eval(e.row));
    key.assign(1, kGroupTag);
    EncodeKeyRow(group, &key);
    auto [it, inserted] = deltas.try_emplace(key);
    GroupDelta& d = it->second;
    if (inserted) {
      d.group = std::move(group);
      d.non_null.assign(n, 0);
      d.sums.assign(n, Value());
      d.extremes.resize(n);
    }
    d.count += e.weight;
    for (size_t i = 0; i < n; ++i) {
      const AggregateSpec& agg = aggregates_[i];
      if (agg.kind == AggregateKind::kCountStar) continue;
      Value v = agg.arg->Eval(e.row);
      if (v.is_null()) continue;
      d.non_null[i] += e.weight;
      if (agg.kind == AggregateKind::kSum || agg.kind == AggregateKind::kAvg) {
        AddToSum(&d.sums[i], v, e.weight);
      } else if (agg.kind == AggregateKind::kMin || agg.kind == AggregateKind::kMax) {
        d.extremes[i].emplace_back(std::move(v), e.weight);
      }
    }
  }
  if (global_ && ctx.initial && deltas.empty()) {
    key.assign(1, kGroupTag);  // the one global group must appear even over no input
    GroupDelta& d = deltas[key];
    d.non_null.assign(n, 0);
    d.sums.assign(n, Value());
    d.extremes.resize(n);
  }

  // 2. Per touched group: -old row, fold, store, +new row.
  ZSet out;
  for (auto& [group_key, d] : deltas) {
    GroupState state;
    bool existed = LoadGroup(group_key, ctx, &state);
    if (!existed) {
      state.non_null.assign(n, 0);
      state.sums.assign(n, Value());
      state.group = d.group;
    }
    // A global aggregate's row exists whenever the view does (count 0 when empty).
    bool had_row = existed || (global_ && !ctx.initial);
    if (had_row) out.Add(OutputRow(group_key, state, ctx), -1);

    state.count += d.count;
    for (size_t i = 0; i < n; ++i) {
      state.non_null[i] += d.non_null[i];
      AddSums(&state.sums[i], d.sums[i]);
      if (!d.extremes[i].empty()) UpdateExtremes(i, group_key, d.extremes[i], ctx);
      if (state.non_null[i] == 0) state.sums[i] = Value();
    }
    if (state.count < 0) {
      throw Error(sqlstate::kInternalError, "aggregate group count went negative");
    }
    StoreGroup(group_key, state, ctx);
    if (state.count > 0 || global_) out.Add(OutputRow(group_key, state, ctx), 1);
  }
  out.Consolidate();
  ctx.stats->rows_in += input.size();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string AggregateOperator::Describe() const {
  std::string s = "Aggregate group=[";
  for (size_t i = 0; i < group_keys_.size(); ++i) {
    if (i) s += ", ";
    s += group_keys_[i]->ToString();
  }
  s += "] aggregates=[";
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    if (i) s += ", ";
    const AggregateSpec& a = aggregates_[i];
    s += AggregateName(a.kind);
    s += "(" + (a.arg ? a.arg->ToString() : std::string("*")) + ")";
  }
  return s + "]";
}

}  // namespace ivm
