#include "ivm/operators/unnest.h"

#include <algorithm>

namespace ivm {

UnnestOperator::UnnestOperator(std::vector<ExprPtr> calls, std::vector<bool> expand)
    : calls_(std::move(calls)), expand_(std::move(expand)) {
  for (size_t i = 0; i < calls_.size(); ++i) {
    const Type& t = calls_[i]->type;
    widths_.push_back(expand_[i] && t.id == TypeId::kRecord ? t.fields->size() : 1);
  }
}

void UnnestOperator::AppendElement(size_t call, const std::vector<Value>* items, size_t i,
                                   Row* row) const {
  const Type& t = calls_[call]->type;
  const bool present = items && i < items->size();
  if (widths_[call] == 1 && !(expand_[call] && t.id == TypeId::kRecord)) {
    row->push_back(present ? (*items)[i] : Value::Null(t.id));
    return;
  }
  // A record expanded into its fields; a NULL record gives NULL fields.
  const Value* element = present ? &(*items)[i] : nullptr;
  for (size_t f = 0; f < widths_[call]; ++f) {
    if (element && !element->is_null()) {
      row->push_back(element->items()[f]);
    } else {
      row->push_back(Value::Null((*t.fields)[f].type));
    }
  }
}

ZSet UnnestOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  ZSet out;
  std::vector<Value> results(calls_.size());
  for (const ZSetEntry& e : inputs[0]->entries()) {
    size_t rows = 0;
    for (size_t c = 0; c < calls_.size(); ++c) {
      results[c] = calls_[c]->Eval(e.row);
      if (!results[c].is_null()) rows = std::max(rows, results[c].items().size());
    }
    for (size_t i = 0; i < rows; ++i) {
      Row row = e.row;
      for (size_t c = 0; c < calls_.size(); ++c) {
        AppendElement(c, results[c].is_null() ? nullptr : &results[c].items(), i, &row);
      }
      out.Add(std::move(row), e.weight);
    }
  }
  out.Consolidate();
  ctx.stats->rows_in += inputs[0]->size();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string UnnestOperator::Describe() const {
  std::string s = "Unnest";
  for (size_t i = 0; i < calls_.size(); ++i) s += (i ? ", " : " ") + calls_[i]->ToString();
  return s;
}

}  // namespace ivm
