#include "storage/step_committer.h"

#include <pthread.h>
#include <rocksdb/perf_level.h>

#include <utility>

namespace storage {

StepCommitter::StepCommitter() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "committer");      // for top -H, perf and gdb
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // as on the writer (StepBatch)
    Run();
  });
}

StepCommitter::~StepCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

std::shared_future<void> StepCommitter::Commit(const StepBatch* batch, bool sync,
                                               std::function<void()> written) {
  std::packaged_task<void()> job([batch, sync] { batch->Persist(sync); });
  std::shared_future<void> future = job.get_future().share();
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back({std::move(job), std::move(written)});
  }
  cv_.notify_one();
  return future;
}

void StepCommitter::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and everything given is written
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job.write();  // an exception is stored in the future
    job.written();
  }
}

}  // namespace storage
