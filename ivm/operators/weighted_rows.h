// Rows kept in an operator's state as `key -> weight, row`: the arrangement entries of
// joins, top-N, semi-joins and single-row subqueries. One place adds weights, deletes an
// entry whose weight reaches zero, and reads entries back.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

// Adds `weight` copies of `row` under `key`. Returns the new weight (the entry is
// deleted at zero).
int64_t AddWeightedRow(StateStore* state, const std::string& key, const Row& row, int64_t weight,
                       StepStats* stats);

// What weights the entries under a writer's keys may have.
enum class StoredWeights {
  kAny,        // each change adds to the stored weight, which is read first
  kAtMostOne,  // 0 or 1, as the rows of a set are: no read, as a change of +1 can only
               // add the row and -1 only delete it
};

// AddWeightedRow for many rows, a slice at a time: the keys of a slice are read together
// (one MultiGet in storage), or not at all for kAtMostOne, and each is written once.
// Add() may write the slice; Flush() writes the rest, and must come before the state is
// read again. Rows given to Add() must live until they are written. `check`, when given,
// sees each key's new weight before it is written, and may throw. `stats` may be null.
class WeightedRowWriter {
 public:
  WeightedRowWriter(StateStore* state, StepStats* stats,
                    std::function<void(int64_t weight)> check = nullptr,
                    StoredWeights stored = StoredWeights::kAny)
      : state_(state), stats_(stats), check_(std::move(check)), stored_(stored) {}

  void Add(std::string key, const Row& row, int64_t weight);
  void Flush();

 private:
  static constexpr size_t kSlice = 4096;
  struct Change {
    std::string key;
    const Row* row;
    int64_t weight;
  };
  StateStore* state_;
  StepStats* stats_;
  std::function<void(int64_t weight)> check_;
  StoredWeights stored_;
  std::vector<Change> changes_;
};

// Decodes a `weight, row` value.
Row ReadWeightedRow(std::string_view value, int64_t* weight);

// The step of an operator whose output for a partition is a function of all its rows
// (top-N, row numbering, window functions): the input delta is grouped by
// key(`partition` values); for each touched partition the old output is retracted, its
// rows are updated under partition key + `row_key(row)`, and the new output is added.
// `output(prefix)` reads a partition's output from the stored rows under `prefix`.
ZSet RecomputeTouchedPartitions(const ZSet& in, const std::vector<ExprPtr>& partition,
                                const std::function<std::string(const Row&)>& row_key,
                                const std::function<ZSet(const std::string&)>& output,
                                StepContext& ctx);

}  // namespace ivm
