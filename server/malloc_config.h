// How the process's allocator (glibc malloc) is configured, by the server and by the
// benchmarks that run the engine in process, so that both measure the same thing.
#pragma once

#include <cstdint>

namespace server {

// Call once, first thing in main(), before any thread starts.
void ConfigureMalloc();

// Hands the memory malloc holds freed back to the system: for when the server has gone
// idle after work that needed more than it keeps needing (a bulk load). Takes each
// arena's lock in turn while it runs, a few milliseconds for hundreds of MiB.
void ReleaseFreeMemory();
// Resident memory malloc does not count as in use: mostly what it keeps freed, plus the
// process's code, stacks and other mappings (about 20 MiB). Reads a /proc file and takes
// each arena's lock in turn: not for hot paths.
uint64_t ResidentNotInUse();
// What ReleaseFreeMemory has handed back since the process started: the fall in resident
// memory across each call, added up.
uint64_t FreeMemoryReleased();

}  // namespace server
