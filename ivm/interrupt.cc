#include "ivm/interrupt.h"

#include "ivm/error.h"

namespace ivm {
namespace {
thread_local const InterruptScope* current = nullptr;
}  // namespace

InterruptScope::InterruptScope(const std::atomic<bool>* cancel, Clock::time_point deadline)
    : outer_(current), cancel_(cancel), deadline_(deadline) {
  current = this;
}

InterruptScope::~InterruptScope() { current = outer_; }

void CheckInterrupt() {
  const InterruptScope* scope = current;
  if (!scope) return;
  if (scope->cancel_ && scope->cancel_->load(std::memory_order_relaxed)) {
    throw Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  if (scope->deadline_ != InterruptScope::Clock::time_point::max() &&
      InterruptScope::Clock::now() >= scope->deadline_) {
    throw Error(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
  }
}

}  // namespace ivm
