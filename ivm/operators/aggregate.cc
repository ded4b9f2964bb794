#include "ivm/operators/aggregate.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/row_codec.h"

namespace ivm {

// State layout in the operator's store:
//   'g' + key(group)  -> count, then per aggregate: non-null count, running value
//                        (sum, or number of TRUEs for bool_and/bool_or); then the group row
//   'm' + agg index + key(group) + element key -> multiplicity, value
//        the ordered multiset of an aggregate's values (MIN/MAX, DISTINCT, string_agg,
//        array_agg, percentiles); the element key is key(value), or for the ordered
//        aggregates the ORDER BY key then key(value)
// For a DISTINCT aggregate the non-null count and running value cover distinct values.
struct AggregateOperator::GroupState {
  int64_t count = 0;
  std::vector<int64_t> non_null;
  std::vector<Value> sums;
  Row group;
};

struct AggregateOperator::Element {
  std::string key;
  Value value;
  int64_t weight = 0;
};

struct AggregateOperator::GroupDelta {
  Row group;
  int64_t count = 0;
  std::vector<int64_t> non_null;
  std::vector<Value> sums;
  std::vector<std::vector<Element>> elements;
};

namespace {

constexpr char kGroupTag = 'g';
constexpr char kValuesTag = 'm';

bool IsExact(const Type& t) { return t.IsInteger() || t.id == TypeId::kNumeric; }
bool IsSumLike(AggregateKind k) { return k == AggregateKind::kSum || k == AggregateKind::kAvg; }
bool IsBoolAgg(AggregateKind k) {
  return k == AggregateKind::kBoolAnd || k == AggregateKind::kBoolOr;
}

}  // namespace

// Adds weight × v into the running sum `acc` (NULL when empty).
void AddToRunningSum(Value* acc, const Value& v, int64_t weight) {
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

namespace {

void AddToSum(Value* acc, const Value& v, int64_t weight) { AddToRunningSum(acc, v, weight); }

// bool_and/bool_or count the TRUE inputs.
void AddTrues(Value* acc, bool value, int64_t weight) {
  *acc = Value::Int64((acc->is_null() ? 0 : acc->int_value()) + (value ? weight : 0));
}

void AddSums(Value* acc, const Value& delta) {
  if (delta.is_null()) return;
  if (acc->is_null()) {
    *acc = delta;
  } else if (delta.type() == TypeId::kNumeric) {
    *acc = Value::Numeric(acc->numeric_value() + delta.numeric_value());
  } else if (delta.type() == TypeId::kInt64) {
    *acc = Value::Int64(acc->int_value() + delta.int_value());
  } else {
    *acc = Value::Float64(acc->float_value() + delta.float_value());
  }
}

std::string ValuesPrefix(size_t index, const std::string& group_key) {
  std::string prefix(1, kValuesTag);
  prefix.push_back(static_cast<char>(index));
  prefix.append(group_key, 1, std::string::npos);  // group key without its 'g' tag
  return prefix;
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
      return Type::Of(arg.id);  // real -> real, double -> double
    case AggregateKind::kAvg:
      if (IsExact(arg)) return Type::Numeric();
      return Type::Of(TypeId::kFloat64);
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      return arg;
    case AggregateKind::kBoolAnd:
    case AggregateKind::kBoolOr:
      return Type::Of(TypeId::kBool);
    case AggregateKind::kStringAgg:
      return Type::Of(TypeId::kText);
    case AggregateKind::kArrayAgg:
      return Type::Array(arg.id);
    case AggregateKind::kPercentileCont:
      return Type::Of(TypeId::kFloat64);
    case AggregateKind::kPercentileDisc:
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
    case AggregateKind::kBoolAnd:
      return "bool_and";
    case AggregateKind::kBoolOr:
      return "bool_or";
    case AggregateKind::kStringAgg:
      return "string_agg";
    case AggregateKind::kArrayAgg:
      return "array_agg";
    case AggregateKind::kPercentileCont:
      return "percentile_cont";
    case AggregateKind::kPercentileDisc:
      return "percentile_disc";
  }
  return "?";
}

AggregateOperator::GroupState AggregateOperator::DecodeGroup(std::string_view in) const {
  GroupState state;
  state.count = GetSignedVarint64(&in);
  state.non_null.resize(aggregates_.size());
  state.sums.resize(aggregates_.size());
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    state.non_null[i] = GetSignedVarint64(&in);
    state.sums[i] = DeserializeValue(&in);
  }
  state.group = DeserializeRow(in);
  return state;
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

std::vector<std::pair<Value, int>> AggregateOperator::UpdateValues(
    size_t index, const std::string& group_key, const std::vector<Element>& elements,
    StepContext& ctx) const {
  std::vector<std::pair<Value, int>> crossings;
  std::string prefix = ValuesPrefix(index, group_key);
  std::string key, stored;
  for (const Element& e : elements) {
    key = prefix + e.key;
    int64_t before = 0;
    ++ctx.stats->state_reads;
    if (ctx.state->Get(key, &stored)) {
      std::string_view in = stored;
      before = GetSignedVarint64(&in);
    }
    int64_t after = before + e.weight;
    ++ctx.stats->state_writes;
    if (after == 0) {
      ctx.state->Delete(key);
    } else {
      stored.clear();
      PutSignedVarint64(after, &stored);
      SerializeValue(e.value, &stored);
      ctx.state->Put(key, stored);
    }
    if (before <= 0 && after > 0) crossings.emplace_back(e.value, 1);
    if (before > 0 && after <= 0) crossings.emplace_back(e.value, -1);
  }
  return crossings;
}

Value AggregateOperator::Extreme(size_t index, const std::string& group_key,
                                 StepContext& ctx) const {
  std::string prefix = ValuesPrefix(index, group_key);
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

// string_agg's, array_agg's and the percentiles' results depend on the whole group: they
// are rebuilt from its ordered values.
Value AggregateOperator::OrderedAggregate(size_t index, const std::string& group_key,
                                          int64_t non_null, StepContext& ctx) const {
  const AggregateSpec& agg = aggregates_[index];
  std::string text;
  std::vector<Value> items;
  Value result = Value::Null(agg.result_type.id);
  // Percentiles: the 0-based positions of the values that make the result.
  const double position = agg.fraction * static_cast<double>(non_null - 1);
  const int64_t disc = std::max<int64_t>(
      0, static_cast<int64_t>(std::ceil(agg.fraction * static_cast<double>(non_null))) - 1);
  const int64_t low = static_cast<int64_t>(std::floor(position));
  const int64_t high = static_cast<int64_t>(std::ceil(position));
  double low_value = 0;
  int64_t seen = 0;
  bool first = true;
  ctx.state->Scan(ValuesPrefix(index, group_key), [&](std::string_view, std::string_view value) {
    ++ctx.stats->state_reads;
    int64_t copies = GetSignedVarint64(&value);
    Value v = DeserializeValue(&value);
    if (agg.distinct) copies = 1;
    const int64_t begin = seen;
    seen += copies;
    switch (agg.kind) {
      case AggregateKind::kStringAgg:
        for (int64_t i = 0; i < copies; ++i) {
          if (!first) text += agg.separator;
          text += v.string_value();
          first = false;
        }
        return true;
      case AggregateKind::kArrayAgg:
        for (int64_t i = 0; i < copies; ++i) items.push_back(v);
        return true;
      case AggregateKind::kPercentileDisc:
        if (disc < seen) {
          result = v;
          return false;
        }
        return true;
      default:  // kPercentileCont
        if (low >= begin && low < seen) low_value = v.float_value();
        if (high < seen) {
          const double high_value = v.float_value();
          result = Value::Float64(low_value + (position - static_cast<double>(low)) *
                                                   (high_value - low_value));
          return false;
        }
        return true;
    }
  });
  if (agg.kind == AggregateKind::kStringAgg) return Value::Text(std::move(text));
  if (agg.kind == AggregateKind::kArrayAgg) return Value::Array(std::move(items));
  return result;
}

Row AggregateOperator::OutputRow(const std::string& group_key, const GroupState& state,
                                 StepContext& ctx) const {
  Row row = state.group;
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    const AggregateSpec& agg = aggregates_[i];
    const Type& type = agg.result_type;
    bool empty = state.non_null[i] == 0;
    switch (agg.kind) {
      case AggregateKind::kCountStar:
        row.push_back(Value::Int64(state.count));
        break;
      case AggregateKind::kCount:
        row.push_back(Value::Int64(state.non_null[i]));
        break;
      case AggregateKind::kSum:
        row.push_back(empty ? Value::Null(type.id) : CastValue(state.sums[i], type));
        break;
      case AggregateKind::kAvg:
        if (empty) {
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
        row.push_back(empty ? Value::Null(type.id) : Extreme(i, group_key, ctx));
        break;
      case AggregateKind::kBoolAnd:
        row.push_back(empty ? Value::Null(TypeId::kBool)
                            : Value::Bool(state.sums[i].int_value() == state.non_null[i]));
        break;
      case AggregateKind::kBoolOr:
        row.push_back(empty ? Value::Null(TypeId::kBool)
                            : Value::Bool(state.sums[i].int_value() > 0));
        break;
      case AggregateKind::kStringAgg:
      case AggregateKind::kArrayAgg:
      case AggregateKind::kPercentileCont:
      case AggregateKind::kPercentileDisc:
        row.push_back(empty ? Value::Null(type.id)
                            : OrderedAggregate(i, group_key, state.non_null[i], ctx));
        break;
    }
  }
  return row;
}

void AggregateOperator::FoldGroup(const std::string& group_key, const GroupDelta& d,
                                  GroupState* stored, StepContext& ctx, ZSet* out) const {
  const size_t n = aggregates_.size();
  GroupState state;
  if (stored != nullptr) {
    state = std::move(*stored);
  } else {
    state.non_null.assign(n, 0);
    state.sums.assign(n, Value());
    state.group = d.group;
  }
  // A global aggregate's row exists whenever the view does (count 0 when empty).
  bool had_row = stored != nullptr || (global_ && !ctx.initial);
  if (had_row) out->Add(OutputRow(group_key, state, ctx), -1);

  state.count += d.count;
  for (size_t i = 0; i < n; ++i) {
    state.non_null[i] += d.non_null[i];
    AddSums(&state.sums[i], d.sums[i]);
    if (!d.elements[i].empty()) {
      for (const auto& [value, sign] : UpdateValues(i, group_key, d.elements[i], ctx)) {
        if (!aggregates_[i].distinct) continue;
        state.non_null[i] += sign;
        if (IsSumLike(aggregates_[i].kind)) AddToSum(&state.sums[i], value, sign);
      }
    }
    if (state.non_null[i] == 0) state.sums[i] = Value();
  }
  if (state.count < 0) {
    throw Error(sqlstate::kInternalError, "aggregate group count went negative");
  }
  StoreGroup(group_key, state, ctx);
  if (state.count > 0 || global_) out->Add(OutputRow(group_key, state, ctx), 1);
}

ZSet AggregateOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  const ZSet& input = *inputs[0];
  const size_t n = aggregates_.size();
  auto init = [n](GroupDelta& d) {
    d.non_null.assign(n, 0);
    d.sums.assign(n, Value());
    d.elements.resize(n);
  };

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
      init(d);
    }
    d.count += e.weight;
    for (size_t i = 0; i < n; ++i) {
      const AggregateSpec& agg = aggregates_[i];
      if (agg.kind == AggregateKind::kCountStar) continue;
      Value v = agg.arg->Eval(e.row);
      if (v.is_null() && agg.kind != AggregateKind::kArrayAgg) continue;
      if (agg.KeepsValues()) {
        Element element;
        if (agg.IsOrdered()) AppendSortKey(agg.order_by, e.row, &element.key);
        EncodeKeyValue(v, &element.key);
        element.value = std::move(v);
        element.weight = e.weight;
        d.elements[i].push_back(std::move(element));
        if (agg.distinct) continue;  // counted when values appear or disappear
      } else if (IsSumLike(agg.kind)) {
        AddToSum(&d.sums[i], v, e.weight);
      } else if (IsBoolAgg(agg.kind)) {
        AddTrues(&d.sums[i], v.bool_value(), e.weight);
      }
      d.non_null[i] += e.weight;
    }
  }
  if (global_ && ctx.initial && deltas.empty()) {
    key.assign(1, kGroupTag);  // the one global group must appear even over no input
    init(deltas[key]);
  }

  // 2. Per touched group, in key order: -old row, fold, store, +new row. The stored
  // states are read a slice of groups at a time, with one MultiGet.
  std::vector<std::pair<const std::string*, const GroupDelta*>> groups;
  groups.reserve(deltas.size());
  for (const auto& [group_key, d] : deltas) groups.emplace_back(&group_key, &d);
  std::sort(groups.begin(), groups.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  constexpr size_t kSlice = 4096;
  ZSet out;
  std::vector<std::string_view> keys;
  std::vector<std::optional<GroupState>> stored;
  for (size_t begin = 0; begin < groups.size(); begin += kSlice) {
    size_t end = std::min(groups.size(), begin + kSlice);
    keys.clear();
    for (size_t i = begin; i < end; ++i) keys.push_back(*groups[i].first);
    stored.assign(keys.size(), std::nullopt);
    ctx.stats->state_reads += keys.size();
    ctx.state->MultiGet(
        keys, [&](size_t i, std::string_view value) { stored[i].emplace(DecodeGroup(value)); });
    for (size_t i = begin; i < end; ++i) {
      std::optional<GroupState>& state = stored[i - begin];
      FoldGroup(*groups[i].first, *groups[i].second, state ? &*state : nullptr, ctx, &out);
    }
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
    s += "(" + std::string(a.distinct ? "DISTINCT " : "") +
         (a.arg ? a.arg->ToString() : std::string("*"));
    if (a.kind == AggregateKind::kStringAgg) s += ", '" + a.separator + "'";
    if (a.kind == AggregateKind::kPercentileCont || a.kind == AggregateKind::kPercentileDisc) {
      s += " fraction=" + std::to_string(a.fraction);
    }
    if (!a.order_by.empty()) s += " ORDER BY " + DescribeSort(a.order_by);
    s += ")";
  }
  return s + "]";
}

}  // namespace ivm
