// Cooperative cancellation of the statement running on the calling thread: a client's
// CancelRequest or its statement_timeout. The session installs an InterruptScope around a
// statement; long loops (relation scans, join probes, circuit steps) call CheckInterrupt(),
// which throws 57014 once the statement was cancelled or passed its deadline. Without a
// scope (the writer applying a committed step, a view's backfill) it does nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ivm {

class InterruptScope {
 public:
  using Clock = std::chrono::steady_clock;
  // `cancel` (may be null) is set by another thread to cancel; `deadline` is
  // Clock::time_point::max() for none. REQUIRES: `cancel` outlives the scope.
  InterruptScope(const std::atomic<bool>* cancel, Clock::time_point deadline);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  const InterruptScope* outer_;
  friend void CheckInterrupt();
  const std::atomic<bool>* cancel_;
  Clock::time_point deadline_;
};

// Throws ivm::Error 57014 if the calling thread's statement is cancelled or out of time.
void CheckInterrupt();

// For per-row loops: CheckInterrupt() every 1024th call of this `counter`.
inline void CheckInterruptEvery(uint32_t* counter) {
  if ((++*counter & 1023u) == 0) CheckInterrupt();
}

}  // namespace ivm
