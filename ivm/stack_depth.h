// A guard against running out of stack in recursive code (the AST builder and the
// expression binder call it), as PostgreSQL's check_stack_depth: a deeply nested
// expression is an error, not a crash.
#pragma once

namespace ivm {

// Throws ivm::Error 54001 (stack depth limit exceeded) when less than kStackReserve bytes
// of the calling thread's stack are left. Cheap: one comparison against a bound cached per
// thread.
inline constexpr unsigned long kStackReserve = 2ul << 20;
void CheckStackDepth();

}  // namespace ivm
