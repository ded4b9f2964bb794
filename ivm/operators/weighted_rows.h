// Rows kept in an operator's state as `key -> weight, row`: the arrangement entries of
// joins, top-N, semi-joins and single-row subqueries. One place adds weights, deletes an
// entry whose weight reaches zero, and reads entries back.
#pragma once

#include <string>
#include <string_view>

#include "ivm/operators/operator.h"

namespace ivm {

// Adds `weight` copies of `row` under `key`. Returns the new weight (the entry is
// deleted at zero).
int64_t AddWeightedRow(StateStore* state, const std::string& key, const Row& row, int64_t weight,
                       StepStats* stats);

// Decodes a `weight, row` value.
Row ReadWeightedRow(std::string_view value, int64_t* weight);

}  // namespace ivm
