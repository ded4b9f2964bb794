#include "storage/database.h"

#include <fcntl.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ivm/error.h"
#include "ivm/state_store.h"

namespace storage {
namespace {

[[noreturn]] void ThrowStatus(const rocksdb::Status& s, const std::string& what) {
  throw ivm::Error(ivm::sqlstate::kIoError, what + ": " + s.ToString());
}

void Check(const rocksdb::Status& s, const char* what) {
  if (!s.ok()) ThrowStatus(s, what);
}

// Iterates [prefix, successor(prefix)) of `it`, which must already be bounded or seeked.
void VisitPrefix(rocksdb::Iterator* it, std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& visit) {
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    rocksdb::Slice v = it->value();
    if (!visit(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) break;
  }
  Check(it->status(), "iterating storage");
}

bool LastInPrefix(rocksdb::Iterator* it, std::string_view prefix, std::string* key,
                  std::string* value) {
  std::string end = ivm::PrefixSuccessor(prefix);
  if (end.empty()) {
    it->SeekToLast();
  } else {
    it->SeekForPrev(end);
    if (it->Valid() && it->key() == rocksdb::Slice(end)) it->Prev();
  }
  if (!it->Valid()) {
    Check(it->status(), "iterating storage");
    return false;
  }
  rocksdb::Slice k = it->key();
  if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) return false;
  key->assign(k.data(), k.size());
  value->assign(it->value().data(), it->value().size());
  return true;
}

}  // namespace

rocksdb::ReadOptions Snapshot::Options() const {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot_;
  return options;
}

bool Snapshot::Get(std::string_view key, std::string* value) {
  rocksdb::Status s = db_->Get(Options(), rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return false;
  Check(s, "reading storage");
  return true;
}

void Snapshot::Scan(std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& visit) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Options()));
  VisitPrefix(it.get(), prefix, visit);
}

uint64_t Snapshot::ApproximateBytes(std::string_view prefix) const {
  // Keys start with a tag byte below 0xff, so "\xff" bounds the whole key space.
  std::string start(prefix), limit(prefix.empty() ? "\xff" : std::string(prefix));
  if (!prefix.empty()) {
    // The first key after every key starting with `prefix`.
    while (!limit.empty() && static_cast<unsigned char>(limit.back()) == 0xff) limit.pop_back();
    if (limit.empty()) limit = "\xff\xff\xff\xff";
    else limit.back() = static_cast<char>(static_cast<unsigned char>(limit.back()) + 1);
  }
  rocksdb::Range range(start, limit);
  rocksdb::SizeApproximationOptions options;
  options.include_memtables = true;
  options.include_files = true;
  uint64_t size = 0;
  rocksdb::Status s =
      db_->GetApproximateSizes(options, db_->DefaultColumnFamily(), &range, 1, &size);
  return s.ok() ? size : 0;
}

bool Snapshot::Last(std::string_view prefix, std::string* key, std::string* value) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Options()));
  return LastInPrefix(it.get(), prefix, key, value);
}

bool StepBatch::Get(std::string_view key, std::string* value) {
  rocksdb::Status s = batch_.GetFromBatchAndDB(db_, rocksdb::ReadOptions(),
                                               rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return false;
  Check(s, "reading storage");
  return true;
}

void StepBatch::Scan(std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) {
  std::unique_ptr<rocksdb::Iterator> it(
      batch_.NewIteratorWithBase(db_->NewIterator(rocksdb::ReadOptions())));
  VisitPrefix(it.get(), prefix, visit);
}

bool StepBatch::Last(std::string_view prefix, std::string* key, std::string* value) {
  std::unique_ptr<rocksdb::Iterator> it(
      batch_.NewIteratorWithBase(db_->NewIterator(rocksdb::ReadOptions())));
  return LastInPrefix(it.get(), prefix, key, value);
}

void StepBatch::Put(std::string_view key, std::string_view value) {
  Check(batch_.Put(rocksdb::Slice(key.data(), key.size()),
                   rocksdb::Slice(value.data(), value.size())),
        "writing storage");
}

void StepBatch::Delete(std::string_view key) {
  Check(batch_.Delete(rocksdb::Slice(key.data(), key.size())), "writing storage");
}

void StepBatch::DeletePrefix(std::string_view prefix) {
  std::vector<std::string> keys;
  Scan(prefix, [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  });
  for (const std::string& key : keys) Delete(key);
}

void StepBatch::RollbackToSavePoint() { Check(batch_.RollbackToSavePoint(), "rolling back"); }

void StepBatch::PopSavePoint() { Check(batch_.PopSavePoint(), "releasing a save point"); }

StepBatch::StepBatch(rocksdb::DB* db)
    : db_(db), batch_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {
  // The writer makes millions of point reads and writes; RocksDB's per-thread perf
  // counters (on by default) cost it several percent, and nothing reads them.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
}

void StepBatch::Commit(bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  Check(db_->Write(options, batch_.GetWriteBatch()), "committing a step");
  batch_.Clear();
}

std::unique_ptr<Database> Database::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw ivm::Error(ivm::sqlstate::kIoError,
                     "could not create data directory \"" + dir + "\": " + ec.message());
  }
  std::string lock_path = dir + "/tributary.lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw ivm::Error(ivm::sqlstate::kIoError,
                     "could not open lock file \"" + lock_path + "\": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {0};
    ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "another process";
    while (!holder.empty() && (holder.back() == '\n')) holder.pop_back();
    throw ivm::Error(
        ivm::sqlstate::kIoError,
        "data directory \"" + dir + "\" is in use by another Tributary server (pid " + holder + ")",
        "", "Stop the other server, or start this one with another --data-dir.");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is informational only; the flock is what excludes other servers.
  }

  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  options.OptimizeLevelStyleCompaction();
  // Point lookups of keys that do not exist yet (every new row of a keyed table, every new
  // group) are common: a whole-key bloom filter on the memtable answers them without a
  // skiplist search, and one on the table files without reading a block.
  options.memtable_prefix_bloom_size_ratio = 0.05;
  options.memtable_whole_key_filtering = true;
  // Rows of one relation or operator share the tag + id prefix and often arrive in key
  // order (new ids): memtable inserts with a per-prefix hint skip most of the search.
  options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(9));
  // Start-up time is bounded by what the write-ahead log holds beyond the table files:
  // after a clean shutdown nothing (the destructor flushes), after kill -9 at most about
  // one memtable, replayed into memory without writing table files first.
  options.write_buffer_size = 32 << 20;
  options.max_total_wal_size = 96 << 20;
  options.avoid_flush_during_recovery = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(256 << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // also for the log replay below
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir + "/rocksdb", &db);
  if (!s.ok()) {
    ::close(fd);
    ThrowStatus(s, "could not open the database in \"" + dir + "\"");
  }
  return std::unique_ptr<Database>(new Database(db, fd));
}

Database::~Database() {
  // Flushing the memtables makes the next start-up read table files instead of replaying
  // the log. A failure here loses nothing: the log is still there.
  db_->Flush(rocksdb::FlushOptions());
  db_->Close();
  delete db_;
  ::close(lock_fd_);  // releases the flock
}

std::shared_ptr<Snapshot> Database::NewSnapshot() {
  return std::make_shared<Snapshot>(db_, db_->GetSnapshot());
}

}  // namespace storage
