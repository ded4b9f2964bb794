#include "server/malloc_config.h"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

namespace server {

// glibc lets a large block, once freed, raise the mmap threshold up to 32 MiB; blocks of
// that size then come from the heaps and stay resident when freed, and a bulk load grows
// by what each statement left behind. Blocks of 4 MiB and more are always mapped here,
// so returned when freed.
// Setting the mmap threshold fixes the trim threshold too, at its default of 128 KiB
// instead of letting it follow: every arena then shrinks as soon as its top is free, and
// librdkafka's fetch and lz4 buffers are faulted in again for every message set, which
// made group-by ingest 40% slower. 8 MiB keeps those buffers resident.
// Two things that save memory are not done:
//  - Bounding the arenas (glibc allows 8 per core). One per core cost Kafka ingest a third
//    to arena contention; two per core still cost Nexmark q2, with its three sources,
//    15-20%, for 6% less peak in a bulk load.
//  - Handing freed memory back after each bulk step (malloc_trim). The block cache then
//    faulted the memory in again, and single-row updates right after a load were 40%
//    slower. The writer does it once it has been idle for ten seconds instead
//    (ReleaseFreeMemory): after a load of 1M rows, 166 -> 91 MiB resident, and the next
//    2,000 updates after that about 20% slower while it is faulted in again. It also
//    does it when reads have left much memory freed: after a SELECT of 1M rows, 309 ->
//    143 MiB resident.
// (2 cores, 2M-row load peak: 413 MiB with glibc's defaults, 337 with these settings,
// 237 with one arena per core and a 1 MiB threshold. Kafka ingest and Nexmark as fast as
// with glibc's defaults.)
void ConfigureMalloc() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
}

namespace {

std::atomic<uint64_t> released{0};

// The process's resident memory (VmRSS), in bytes.
uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

uint64_t ResidentNotInUse() {
  const uint64_t resident = ResidentBytes();
  const struct mallinfo2 heap = mallinfo2();
  const uint64_t in_use = heap.uordblks + heap.hblkhd;
  return resident > in_use ? resident - in_use : 0;
}

void ReleaseFreeMemory() {
  const uint64_t before = ResidentBytes();
  malloc_trim(0);
  const uint64_t after = ResidentBytes();
  if (after < before) released += before - after;
}

uint64_t FreeMemoryReleased() { return released; }

}  // namespace server
