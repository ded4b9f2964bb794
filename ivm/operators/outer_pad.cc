#include "ivm/operators/outer_pad.h"

#include <map>

#include "ivm/row_codec.h"

namespace ivm {

int64_t OuterPadOperator::OutputWeight(int64_t weight, int64_t matches) const {
  if (weight <= 0) return 0;
  bool matched = matches != 0;
  return (mode_ == MatchMode::kMatched) == matched ? weight : 0;
}

Row OuterPadOperator::Padded(const Row& side_row) const {
  if (mode_ != MatchMode::kPadUnmatched) return side_row;
  Row row;
  row.reserve(side_row.size() + other_types_.size());
  if (side_first_) row.insert(row.end(), side_row.begin(), side_row.end());
  for (TypeId t : other_types_) row.push_back(Value::Null(t));
  if (!side_first_) row.insert(row.end(), side_row.begin(), side_row.end());
  return row;
}

// State: key(side row) -> weight of the row in S, total weight of its J rows, the row.
ZSet OuterPadOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  struct Change {
    Row row;
    int64_t weight = 0;
    int64_t matches = 0;
  };
  std::map<std::string, Change> touched;
  std::string key;
  for (const ZSetEntry& e : inputs[0]->entries()) {
    key.clear();
    EncodeRowIdentity(e.row, &key);
    Change& c = touched[key];
    c.row = e.row;
    c.weight += e.weight;
  }
  for (const ZSetEntry& e : inputs[1]->entries()) {
    Row side(e.row.begin() + offset_, e.row.begin() + offset_ + count_);
    key.clear();
    EncodeRowIdentity(side, &key);
    Change& c = touched[key];
    if (c.row.empty()) c.row = std::move(side);
    c.matches += e.weight;
  }
  ctx.stats->rows_in += inputs[0]->size() + inputs[1]->size();

  ZSet out;
  std::string value;
  for (auto& [row_key, change] : touched) {
    int64_t weight = 0, matches = 0;
    ++ctx.stats->state_reads;
    if (ctx.state->Get(row_key, &value)) {
      std::string_view in = value;
      weight = GetSignedVarint64(&in);
      matches = GetSignedVarint64(&in);
    }
    int64_t before = OutputWeight(weight, matches);
    weight += change.weight;
    matches += change.matches;
    int64_t after = OutputWeight(weight, matches);
    ++ctx.stats->state_writes;
    if (weight == 0 && matches == 0) {
      ctx.state->Delete(row_key);
    } else {
      value.clear();
      PutSignedVarint64(weight, &value);
      PutSignedVarint64(matches, &value);
      ctx.state->Put(row_key, value);
    }
    if (after != before) out.Add(Padded(change.row), after - before);
  }
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string OuterPadOperator::Describe() const {
  std::string name = mode_ == MatchMode::kMatched ? "MatchedRows"
                     : mode_ == MatchMode::kUnmatched
                         ? "UnmatchedRows"
                         : std::string("OuterPad ") + (side_first_ ? "left" : "right");
  return name + " columns=[" + std::to_string(offset_) + ".." + std::to_string(offset_ + count_) +
         ")";
}

}  // namespace ivm
