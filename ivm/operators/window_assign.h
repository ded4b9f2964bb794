// WindowAssignOperator: time windows as a table function. Each row gets window_start and
// window_end columns: one window for TUMBLE (size = slide), size / slide overlapping
// windows for HOP. Windows align to the Unix epoch, as Flink and RisingWave align them.
// Linear and stateless: a delta maps to a delta.
#pragma once

#include "ivm/expression.h"
#include "ivm/operators/operator.h"

namespace ivm {

class WindowAssignOperator final : public Operator {
 public:
  // `time`: the row's timestamp; sizes in microseconds (slide == size for TUMBLE).
  WindowAssignOperator(ExprPtr time, int64_t size_micros, int64_t slide_micros)
      : time_(std::move(time)), size_(size_micros), slide_(slide_micros) {}

  ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) override;
  std::string Describe() const override;

 private:
  ExprPtr time_;
  int64_t size_;
  int64_t slide_;
};

}  // namespace ivm
