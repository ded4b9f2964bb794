#include "ivm/operators/weighted_rows.h"

#include <algorithm>
#include <map>

#include "ivm/error.h"
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

void WeightedRowWriter::Add(std::string key, const Row& row, int64_t weight) {
  changes_.push_back({std::move(key), &row, weight});
  if (changes_.size() >= kSlice) Flush();
}

void WeightedRowWriter::Flush() {
  if (changes_.empty()) return;
  // In key order (the same key's changes in the order they came: their weights add up,
  // as one AddWeightedRow after another would, and the last row stays).
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const Change& a, const Change& b) { return a.key < b.key; });
  std::vector<std::string_view> keys;  // each key once
  std::vector<size_t> ends;            // where each key's changes end
  for (size_t i = 0; i < changes_.size(); ++i) {
    if (i + 1 < changes_.size() && changes_[i + 1].key == changes_[i].key) continue;
    keys.push_back(changes_[i].key);
    ends.push_back(i + 1);
  }
  std::vector<int64_t> weights(keys.size(), 0);  // what each key holds, then what it will
  if (stored_ == StoredWeights::kAny) {
    state_->MultiGet(
        keys, [&](size_t k, std::string_view value) { weights[k] = GetSignedVarint64(&value); });
    if (stats_) stats_->state_reads += keys.size();
  }
  if (stats_) stats_->state_writes += keys.size();
  std::string value;
  size_t i = 0;
  for (size_t k = 0; k < keys.size(); ++k) {
    int64_t change = 0;
    for (; i < ends[k]; ++i) change += changes_[i].weight;
    if (stored_ == StoredWeights::kAtMostOne) {
      if (change == 0) continue;  // deleted and added back, or added and deleted again
      if (change != 1 && change != -1) {
        throw Error(sqlstate::kInternalError,
                    "a row of a set changed by " + std::to_string(change) + " copies at once");
      }
      weights[k] = change > 0 ? 1 : 0;
    } else {
      weights[k] += change;
    }
    if (check_) check_(weights[k]);
    if (weights[k] == 0) {
      state_->Delete(keys[k]);
      continue;
    }
    value.clear();
    PutSignedVarint64(weights[k], &value);
    SerializeRow(*changes_[ends[k] - 1].row, &value);
    state_->Put(keys[k], value);
  }
  changes_.clear();
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
