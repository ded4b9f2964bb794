#include "ivm/operators/weighted_rows.h"

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

Row ReadWeightedRow(std::string_view value, int64_t* weight) {
  *weight = GetSignedVarint64(&value);
  return DeserializeRow(value);
}

}  // namespace ivm
