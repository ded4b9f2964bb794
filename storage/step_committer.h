// StepCommitter: writes steps' batches to the database on a thread of its own, so that the
// writer computes the next step while the last one goes into RocksDB. Inserting a step's
// writes into the memtable is a large part of a step fed by Kafka (40% of the writer's
// time in the group-by ingest benchmark); overlapped, it no longer adds to the writer's.
// The next step's batch reads through the one being written (StepBatch::ReadThrough), so
// it sees the same state whether or not that write has landed.
// Batches are written one at a time, in the order given. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "storage/database.h"

namespace storage {

class StepCommitter {
 public:
  StepCommitter();
  // Writes what was given, then stops the thread.
  ~StepCommitter();
  StepCommitter(const StepCommitter&) = delete;
  StepCommitter& operator=(const StepCommitter&) = delete;

  // Writes `batch` (StepBatch::Persist) after everything given before. The future is
  // ready once it is in the database, or holds the ivm::Error the write threw; then
  // `written` runs (on the committer's thread). `batch` must stay alive and unchanged
  // until then; it stays readable meanwhile.
  std::shared_future<void> Commit(
      const StepBatch* batch, bool sync, std::function<void()> written = [] {});

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  struct Job {
    std::packaged_task<void()> write;
    std::function<void()> written;
  };
  std::deque<Job> jobs_;   // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace storage
