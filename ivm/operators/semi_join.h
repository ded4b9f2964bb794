// SemiJoinOperator: keeps the rows of the outer input that have (EXISTS, IN) or lack
// (NOT EXISTS, NOT IN) a match in the inner input on equal keys — or, in the mark forms,
// keeps every row and appends the condition's value. Keeps the outer rows
// arranged by key and a count of inner rows per key; a step re-decides only the keys its
// deltas touch. NOT IN follows SQL's NULL rules: any NULL in the inner input, or a NULL
// outer key against a non-empty inner input, makes the predicate NULL (row dropped), and
// an empty inner input passes every row — so a NULL arriving can empty the result, a
// legitimate fan-out.
#pragma once

#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

enum class SemiJoinKind {
  kSemi,        // WHERE EXISTS / IN: rows with a match
  kAnti,        // WHERE NOT EXISTS: rows without a match
  kNotIn,       // WHERE NOT IN: rows for which NOT IN is true
  kMarkExists,  // EXISTS as a value: every row, plus a boolean column
  kMarkIn,      // IN as a value: every row, plus its three-valued IN result
};

class SemiJoinOperator final : public Operator {
 public:
  // `outer_unique`: the outer input holds each row at most once (a table with a primary
  // key), so its stored rows are written without reading them (StoredWeights::kAtMostOne).
  SemiJoinOperator(SemiJoinKind kind, std::vector<ExprPtr> outer_keys,
                   std::vector<ExprPtr> inner_keys, bool outer_unique = false)
      : kind_(kind),
        outer_keys_(std::move(outer_keys)),
        inner_keys_(std::move(inner_keys)),
        outer_unique_(outer_unique) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;
  bool HasState() const override { return true; }

 private:
  struct Totals {
    int64_t rows = 0;   // inner rows
    int64_t nulls = 0;  // inner rows whose key has a NULL
  };
  // Encodes the key; false when it has a NULL.
  bool KeyOf(const std::vector<ExprPtr>& exprs, const Row& row, std::string* key) const;
  // The condition's value for an outer row: TRUE, FALSE or NULL.
  Value Mark(bool null_key, int64_t count, const Totals& totals) const;
  bool emits_mark() const {
    return kind_ == SemiJoinKind::kMarkExists || kind_ == SemiJoinKind::kMarkIn;
  }
  // Adds `sign` × rows to `out` as the operator outputs them under `mark`.
  void Emit(const Row& row, int64_t weight, const Value& mark, ZSet* out) const;
  void EmitStored(StateStore* state, const std::string& prefix, int64_t sign, const Value& mark,
                  ZSet* out, StepStats* stats) const;
  Totals LoadTotals(StepContext& ctx) const;

  SemiJoinKind kind_;
  std::vector<ExprPtr> outer_keys_;
  std::vector<ExprPtr> inner_keys_;
  bool outer_unique_;
};

}  // namespace ivm
