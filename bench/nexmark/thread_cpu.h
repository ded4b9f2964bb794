// ThreadCpu: CPU time (user + system) of this process's live threads, grouped by what the
// thread does, read from /proc/self/task/*/stat by thread name (the engine names its
// threads "writer", "src:<table>", librdkafka "rdk:*", RocksDB "rocksdb:*"). Threads that
// ended before a snapshot are missing from it: compare snapshots taken while the same
// threads run.
#pragma once

#include <map>
#include <string>

namespace nexmark {

// Group name → CPU seconds. Groups: "writer", "sources" (poll and decode), "kafka client"
// (librdkafka's own threads), "mock broker" (the in-process cluster), "rocksdb" (flushes and
// compactions), "other".
using ThreadCpu = std::map<std::string, double>;

ThreadCpu SnapshotThreadCpu();
// after - before, group by group.
ThreadCpu Subtract(const ThreadCpu& after, const ThreadCpu& before);

}  // namespace nexmark
