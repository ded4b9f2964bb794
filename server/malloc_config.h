// How the process's allocator (glibc malloc) is configured, by the server and by the
// benchmarks that run the engine in process, so that both measure the same thing.
#pragma once

namespace server {

// Call once, first thing in main(), before any thread starts.
void ConfigureMalloc();

}  // namespace server
