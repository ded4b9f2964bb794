#include "ivm/operators/window_assign.h"

namespace ivm {
namespace {

// Microseconds from 2000-01-01 (PostgreSQL's epoch) back to 1970-01-01.
constexpr int64_t kUnixEpochOffset = 946684800LL * 1000000LL;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

ZSet WindowAssignOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  ZSet out;
  for (const ZSetEntry& e : inputs[0]->entries()) {
    Value t = time_->Eval(e.row);
    TypeId type = time_->type.id;
    if (t.is_null()) {  // no time, no window
      Row row = e.row;
      row.push_back(Value::Null(type));
      row.push_back(Value::Null(type));
      out.Add(std::move(row), e.weight);
      continue;
    }
    int64_t unix_micros = t.int_value() + kUnixEpochOffset;
    // The latest window containing t starts at the last slide boundary at or before t;
    // earlier ones do while they still reach past t. They are emitted earliest first, so
    // that an input in row order gives an output in row order, which Consolidate below
    // then only checks rather than sorts.
    int64_t last = FloorDiv(unix_micros, slide_) * slide_;
    int64_t first = last;
    while (first - slide_ + size_ > unix_micros) first -= slide_;
    for (int64_t start = first; start <= last && start + size_ > unix_micros; start += slide_) {
      Row row;
      row.reserve(e.row.size() + 2);
      row.insert(row.end(), e.row.begin(), e.row.end());
      row.push_back(Value::Integer(type, start - kUnixEpochOffset));
      row.push_back(Value::Integer(type, start + size_ - kUnixEpochOffset));
      out.Add(std::move(row), e.weight);
    }
  }
  out.Consolidate();
  ctx.stats->rows_in += inputs[0]->size();
  ctx.stats->rows_out += out.size();
  return out;
}

std::string WindowAssignOperator::Describe() const {
  std::string s = size_ == slide_ ? "Tumble" : "Hop";
  s += " time=" + time_->ToString() + " size=" + std::to_string(size_) + "us";
  if (size_ != slide_) s += " slide=" + std::to_string(slide_) + "us";
  return s;
}

}  // namespace ivm
