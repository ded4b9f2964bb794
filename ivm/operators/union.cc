#include "ivm/operators/union.h"
#include "ivm/operators/set_operation.h"

#include <map>

#include "ivm/row_codec.h"

namespace ivm {

ZSet UnionOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  ZSet out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    out.Append(*inputs[i], signs_[i]);
    ctx.stats->rows_in += inputs[i]->size();
  }
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string UnionOperator::Describe() const {
  std::string s = "Union [";
  for (size_t i = 0; i < signs_.size(); ++i)
    s += (i ? ", " : "") + std::string(signs_[i] > 0 ? "+" : "-");
  return s + "]";
}

int64_t SetOperationOperator::OutputWeight(int64_t left, int64_t right) const {
  switch (kind_) {
    case SetOperationKind::kIntersect:
      return left > 0 && right > 0 ? 1 : 0;
    case SetOperationKind::kIntersectAll:
      return std::min(left, right) > 0 ? std::min(left, right) : 0;
    case SetOperationKind::kExcept:
      return left > 0 && right <= 0 ? 1 : 0;
    case SetOperationKind::kExceptAll:
      return left - right > 0 ? left - right : 0;
  }
  return 0;
}

ZSet SetOperationOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  // Per touched row: the weight change on each side.
  std::map<std::string, std::pair<const Row*, std::pair<int64_t, int64_t>>> touched;
  std::string key;
  for (int side = 0; side < 2; ++side) {
    for (const ZSetEntry& e : inputs[side]->entries()) {
      key.clear();
      EncodeRowIdentity(e.row, &key);
      auto& slot = touched[key];
      slot.first = &e.row;
      (side == 0 ? slot.second.first : slot.second.second) += e.weight;
    }
    ctx.stats->rows_in += inputs[side]->size();
  }
  ZSet out;
  std::string value;
  for (const auto& [row_key, change] : touched) {
    int64_t left = 0, right = 0;
    ++ctx.stats->state_reads;
    if (ctx.state->Get(row_key, &value)) {
      std::string_view in = value;
      left = GetSignedVarint64(&in);
      right = GetSignedVarint64(&in);
    }
    int64_t before = OutputWeight(left, right);
    left += change.second.first;
    right += change.second.second;
    int64_t after = OutputWeight(left, right);
    ++ctx.stats->state_writes;
    if (left == 0 && right == 0) {
      ctx.state->Delete(row_key);
    } else {
      value.clear();
      PutSignedVarint64(left, &value);
      PutSignedVarint64(right, &value);
      ctx.state->Put(row_key, value);
    }
    if (after != before) out.Add(*change.first, after - before);
  }
  out.Consolidate();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string SetOperationOperator::Describe() const {
  switch (kind_) {
    case SetOperationKind::kIntersect:
      return "Intersect";
    case SetOperationKind::kIntersectAll:
      return "IntersectAll";
    case SetOperationKind::kExcept:
      return "Except";
    case SetOperationKind::kExceptAll:
      return "ExceptAll";
  }
  return "SetOperation";
}

}  // namespace ivm
