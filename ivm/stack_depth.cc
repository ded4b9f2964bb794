#include "ivm/stack_depth.h"

#include <pthread.h>

#include <cstdint>

#include "ivm/error.h"

namespace ivm {
namespace {

// The lowest address the calling thread may use for its stack plus the reserve, or 0 when
// the thread's stack is unknown (then nothing is checked).
uintptr_t StackLimit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  const bool known = pthread_attr_getstack(&attr, &low, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!known || size <= 2 * kStackReserve) return 0;
  return reinterpret_cast<uintptr_t>(low) + kStackReserve;
}

}  // namespace

void CheckStackDepth() {
  thread_local const uintptr_t limit = StackLimit();
  char here;
  if (reinterpret_cast<uintptr_t>(&here) < limit) {
    throw Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded", "",
                "Write the expression or query with fewer nested levels.");
  }
}

}  // namespace ivm
