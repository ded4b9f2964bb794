#include "server/malloc_config.h"

#include <malloc.h>

#include <algorithm>
#include <thread>

namespace server {

// glibc's defaults suit a server badly in two ways, and its knobs interact:
//  - Up to 8 arenas per core. Each keeps the memory its threads freed, so a bulk statement
//    parsed on one session thread and applied on the writer leaves hundreds of MiB behind
//    in arenas the next statement may not use. Two arenas per core (at least 4) bound that;
//    with only one per core, Kafka ingest (writer, decoder and librdkafka threads all
//    allocating) lost a third of its rate to arena contention.
//  - A large block, once freed, raises the mmap threshold up to 32 MiB, and then blocks of
//    that size come from the heaps and stay resident when freed. Blocks of 4 MiB and more
//    are always mapped here, so returned when freed.
// Setting the mmap threshold also fixes the trim threshold at its default of 128 KiB
// instead of letting it follow: every arena then shrinks as soon as its top is free, and
// librdkafka's fetch and decompression buffers are faulted in again for every message set.
// That made group-by ingest 40% slower; 8 MiB keeps those buffers resident.
// Freed memory is not handed back after bulk steps (malloc_trim): that took a 2M-row
// load's peak from about 317 to 263 MiB, but the block cache then faulted the memory in
// again, and single-row updates right after the load took about 40% longer.
// (bench_kafka_ingest, group-by view, 2 cores: 210k msg/s with 2 arenas and the 1 MiB
// threshold, 330k with these settings, the same as glibc's defaults. A 2M-row load peaks
// at about 317 MiB, against 237 with 2 arenas and the 1 MiB threshold, 337 with 16 arenas
// and these thresholds, and 413 with glibc's defaults.)
void ConfigureMalloc() {
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(4u, 2 * std::thread::hardware_concurrency())));
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
}

}  // namespace server
