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
  ScanRange(prefix, ivm::PrefixSuccessor(prefix), visit);
}

void Snapshot::ScanRange(std::string_view start, std::string_view end,
                         const std::function<bool(std::string_view, std::string_view)>& visit) {
  if (!end.empty() && end <= start) return;  // an empty range
  rocksdb::ReadOptions options = Options();
  rocksdb::Slice upper(end.data(), end.size());
  if (!end.empty()) options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options));
  for (it->Seek(rocksdb::Slice(start.data(), start.size())); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key(), v = it->value();
    if (!visit(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) {
      return;
    }
  }
  Check(it->status(), "iterating storage");
}

namespace {

uint64_t ApproximateBytesIn(rocksdb::DB* db, std::string_view prefix) {
  // Keys start with a tag byte below 0xff, so "\xff" bounds the whole key space.
  std::string start(prefix), limit = prefix.empty() ? "\xff" : ivm::PrefixSuccessor(prefix);
  if (limit.empty()) limit = "\xff\xff\xff\xff";  // a prefix of 0xff bytes only
  rocksdb::Range range(start, limit);
  rocksdb::SizeApproximationOptions options;
  options.include_memtables = true;
  options.include_files = true;
  uint64_t size = 0;
  rocksdb::Status s = db->GetApproximateSizes(options, db->DefaultColumnFamily(), &range, 1, &size);
  return s.ok() ? size : 0;
}

}  // namespace

uint64_t Snapshot::ApproximateBytes(std::string_view prefix) const {
  return ApproximateBytesIn(db_, prefix);
}

uint64_t StepBatch::ApproximateBytes(std::string_view prefix) const {
  return ApproximateBytesIn(db_, prefix);  // the database's: the step's own writes aside
}

StorageMemory Snapshot::Memory() const {
  auto property = [&](const std::string& name) {
    uint64_t value = 0;
    return db_->GetIntProperty(name, &value) ? value : 0;
  };
  StorageMemory memory;
  memory.memtables = property(rocksdb::DB::Properties::kSizeAllMemTables);
  memory.block_cache = property(rocksdb::DB::Properties::kBlockCacheUsage);
  memory.block_cache_capacity = property(rocksdb::DB::Properties::kBlockCacheCapacity);
  memory.table_readers = property(rocksdb::DB::Properties::kEstimateTableReadersMem);
  return memory;
}

bool Snapshot::Last(std::string_view prefix, std::string* key, std::string* value) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Options()));
  return LastInPrefix(it.get(), prefix, key, value);
}

StepBatch::StepBatch(rocksdb::DB* db, ScanIterator* iterator) : db_(db), iterator_(iterator) {
  // The writer makes millions of point reads; RocksDB's per-thread perf counters (on by
  // default) cost it several percent, and nothing reads them.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
}

const StepBatch::Packed* StepBatch::FindWrite(std::string_view key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return &it->second;
  if (below_) {
    it = below_->writes_.find(key);
    if (it != below_->writes_.end()) return &it->second;
  }
  return nullptr;
}

void StepBatch::ReadThrough(const StepBatch* below, std::shared_future<void> written) {
  below_ = below;
  below_written_ = below ? std::move(written) : std::shared_future<void>();
}

void StepBatch::SettleBelow() {
  if (!below_) return;
  // Its outcome is its committer's to report: a failed write voids this step too.
  below_written_.wait();
  ReadThrough(nullptr, {});
}

bool StepBatch::Get(std::string_view key, std::string* value) {
  if (const Packed* write = FindWrite(key)) {
    if (!*write) return false;
    *value = write->view();
    return true;
  }
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return false;
  Check(s, "reading storage");
  return true;
}

void StepBatch::MultiGet(const std::vector<std::string_view>& keys,
                         const std::function<void(size_t, std::string_view)>& visit) {
  // RocksDB looks keys up kChunk at a time (MultiGetContext::MAX_BATCH_SIZE); handing it
  // more at once only makes it grow a vector of them, key by key.
  constexpr size_t kChunk = 32;
  rocksdb::Slice missing[kChunk];  // keys this step has not written
  size_t positions[kChunk];
  rocksdb::PinnableSlice found[kChunk];
  rocksdb::Status statuses[kChunk];
  size_t pending = 0;
  auto look_up = [&] {
    db_->MultiGet(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), pending, missing, found,
                  statuses, /*sorted_input=*/true);
    for (size_t j = 0; j < pending; ++j) {
      if (!statuses[j].IsNotFound()) {
        Check(statuses[j], "reading storage");
        visit(positions[j], std::string_view(found[j].data(), found[j].size()));
      }
      found[j].Reset();
    }
    pending = 0;
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    if (const Packed* write = FindWrite(keys[i])) {
      // In order of i: what is pending comes first.
      if (pending > 0) look_up();
      if (*write) visit(i, write->view());
      continue;
    }
    missing[pending] = rocksdb::Slice(keys[i].data(), keys[i].size());
    positions[pending] = i;
    if (++pending == kChunk) look_up();
  }
  if (pending > 0) look_up();
}

void StepBatch::Scan(std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) {
  ScanRange(prefix, ivm::PrefixSuccessor(prefix), visit);
}

// The iterator for one scan of [.., end): the shared one, bounded above by `end`, or when
// that one is lent already (or `end` is empty: no bound) a new one. The shared one is
// refreshed when something was committed since, so that a scan sees every committed
// write, as a Get does.
class StepBatch::IteratorLease {
 public:
  IteratorLease(StepBatch& batch, std::string_view end)
      : shared_(*batch.iterator_), own_bound_(end.data(), end.size()) {
    if (shared_.lent || end.empty()) {
      rocksdb::ReadOptions options;
      if (!end.empty()) options.iterate_upper_bound = &own_bound_;
      own_.reset(batch.db_->NewIterator(options));
      it_ = own_.get();
      return;
    }
    const rocksdb::SequenceNumber sequence = batch.db_->GetLatestSequenceNumber();
    if (shared_.iterator && shared_.sequence != sequence && !shared_.iterator->Refresh().ok()) {
      shared_.iterator.reset();
    }
    if (!shared_.iterator) {
      rocksdb::ReadOptions options;
      options.iterate_upper_bound = &shared_.bound;
      shared_.iterator.reset(batch.db_->NewIterator(options));
    }
    shared_.sequence = sequence;
    shared_.bound = rocksdb::Slice(end.data(), end.size());  // read at the next seek
    shared_.lent = true;
    it_ = shared_.iterator.get();
  }
  ~IteratorLease() {
    if (!own_) shared_.lent = false;
  }
  IteratorLease(const IteratorLease&) = delete;
  IteratorLease& operator=(const IteratorLease&) = delete;

  rocksdb::Iterator* operator->() const { return it_; }

 private:
  ScanIterator& shared_;
  rocksdb::Slice own_bound_;  // declared before own_, which reads it until destroyed
  std::unique_ptr<rocksdb::Iterator> own_;
  rocksdb::Iterator* it_ = nullptr;
};

// The step's writes in [start, end) over those of the batch below it, in key order: a key
// both wrote is the step's own. The batch below is only read, so the committer may be
// writing it meanwhile.
class StepBatch::WriteCursor {
 public:
  WriteCursor(const StepBatch& batch, std::string_view start, std::string_view end)
      : own_(Bounded(batch.writes_, start, end)),
        below_(batch.below_ ? Bounded(batch.below_->writes_, start, end) : Range{}) {}

  bool Valid() const { return own_.valid() || below_.valid(); }
  std::string_view key() const { return Top().it->first.view(); }
  Packed value() const { return Top().it->second; }
  void Next() {
    const std::string_view k = key();
    if (own_.valid() && own_.it->first.view() == k) ++own_.it;
    if (below_.valid() && below_.it->first.view() == k) ++below_.it;
  }

 private:
  struct Range {
    Writes::const_iterator it, end;
    bool valid() const { return it != end; }
  };
  static Range Bounded(const Writes& writes, std::string_view start, std::string_view end) {
    return {writes.lower_bound(start), end.empty() ? writes.end() : writes.lower_bound(end)};
  }
  // The range whose key comes first; the step's own when both hold it.
  const Range& Top() const {
    if (!below_.valid()) return own_;
    if (!own_.valid()) return below_;
    return below_.it->first.view() < own_.it->first.view() ? below_ : own_;
  }

  Range own_, below_;
};

void StepBatch::ScanRange(std::string_view start, std::string_view end,
                          const std::function<bool(std::string_view, std::string_view)>& visit) {
  // Merges the step's writes (over the batch below's) with the database, both in key
  // order; a write (or deletion) hides the database's value of its key. The database's
  // iterator may see the batch below or not, depending on whether its write has landed:
  // the batch's writes hide the same values either way.
  if (!end.empty() && end <= start) return;  // an empty range
  IteratorLease db(*this, end);
  db->Seek(rocksdb::Slice(start.data(), start.size()));
  WriteCursor w(*this, start, end);
  while (true) {
    const bool db_valid = db->Valid();
    const bool w_valid = w.Valid();
    if (!db_valid && !w_valid) break;
    int order = 0;  // < 0: the database's key comes first; > 0: the write's
    if (!db_valid) {
      order = 1;
    } else if (!w_valid) {
      order = -1;
    } else {
      order = db->key().compare(rocksdb::Slice(w.key()));
      order = order < 0 ? -1 : order > 0 ? 1 : 0;
    }
    if (order < 0) {
      const rocksdb::Slice k = db->key(), v = db->value();
      if (!visit(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) {
        return;
      }
      db->Next();
      continue;
    }
    if (order == 0) db->Next();  // the write hides the stored value
    const std::string_view key = w.key();
    const Packed value = w.value();
    w.Next();
    if (value && !visit(key, value.view())) return;
  }
  Check(db->status(), "iterating storage");
}

bool StepBatch::Last(std::string_view prefix, std::string* key, std::string* value) {
  // The greatest key in the prefix that the step did not delete: walk both sides down
  // from the end of the prefix until one holds a live key the other does not hide.
  SettleBelow();
  const std::string end = ivm::PrefixSuccessor(prefix);
  IteratorLease db(*this, end);
  if (end.empty()) {
    db->SeekToLast();
  } else {
    db->SeekForPrev(end);
    if (db->Valid() && db->key() == rocksdb::Slice(end)) db->Prev();
  }
  auto in_prefix = [&](std::string_view k) { return k.substr(0, prefix.size()) == prefix; };
  // w: one past the write to look at next (reverse order).
  auto w = end.empty() ? writes_.end() : writes_.lower_bound(end);
  while (true) {
    const bool db_valid =
        db->Valid() && in_prefix(std::string_view(db->key().data(), db->key().size()));
    const bool w_valid = w != writes_.begin() && in_prefix(std::prev(w)->first.view());
    if (!db_valid && !w_valid) break;
    if (w_valid) {
      const std::string_view wk = std::prev(w)->first.view();
      const Packed wv = std::prev(w)->second;
      const int order = db_valid ? db->key().compare(rocksdb::Slice(wk)) : -1;
      if (order <= 0) {  // the write's key is the greatest (or hides the stored one)
        if (order == 0) db->Prev();
        --w;
        if (!wv) continue;  // deleted in this step
        *key = wk;
        *value = wv.view();
        return true;
      }
    }
    key->assign(db->key().data(), db->key().size());
    value->assign(db->value().data(), db->value().size());
    return true;
  }
  Check(db->status(), "iterating storage");
  return false;
}

StepBatch::Packed StepBatch::Copy(std::string_view bytes) {
  if (bytes.size() > UINT32_MAX) {
    throw ivm::Error(ivm::sqlstate::kProgramLimitExceeded, "a stored key or row of " +
                                                               std::to_string(bytes.size()) +
                                                               " bytes is over the limit of 4 GiB");
  }
  const auto size = static_cast<uint32_t>(bytes.size());
  char* data = static_cast<char*>(arena_.allocate(sizeof size + size, 1));
  std::memcpy(data, &size, sizeof size);
  if (size > 0) std::memcpy(data + sizeof size, bytes.data(), size);
  return Packed(data);
}

void StepBatch::Write(std::string_view key, std::optional<std::string_view> value) {
  auto it = writes_.lower_bound(key);
  const bool added = it == writes_.end() || it->first.view() != key;
  if (added) it = writes_.emplace_hint(it, Copy(key), Packed());
  if (Undoable()) {
    if (added) {
      undo_.push_back({it, kAdded});
    } else {
      undo_.push_back({it, previous_.size()});
      previous_.push_back(it->second);
    }
  }
  it->second = value ? Copy(*value) : Packed();
}

void StepBatch::Put(std::string_view key, std::string_view value) { Write(key, value); }

void StepBatch::Delete(std::string_view key) { Write(key, std::nullopt); }

std::unique_ptr<Snapshot> StepBatch::SnapshotWhileEmpty() const {
  if (!writes_.empty() || below_) return nullptr;
  return std::make_unique<Snapshot>(db_, db_->GetSnapshot());
}

void StepBatch::DeletePrefix(std::string_view prefix) {
  std::vector<std::string> keys;
  Scan(prefix, [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  });
  for (const std::string& key : keys) Delete(key);
}

void StepBatch::RollbackToSavePoint() {
  if (save_points_.empty()) {
    throw ivm::Error(ivm::sqlstate::kInternalError, "rolling back: no save point");
  }
  if (save_points_.size() == 1 && bottom_clears_) {
    Clear();  // the batch was empty when it was set
    return;
  }
  const size_t mark = save_points_.back();
  save_points_.pop_back();
  while (undo_.size() > mark) {
    const Undo& u = undo_.back();
    if (u.previous == kAdded) {
      writes_.erase(u.entry);
    } else {
      u.entry->second = previous_[u.previous];
      previous_.resize(u.previous);  // undone last to first: it was the newest
    }
    undo_.pop_back();
  }
}

void StepBatch::PopSavePoint() {
  if (save_points_.empty()) {
    throw ivm::Error(ivm::sqlstate::kInternalError, "releasing a save point: none is set");
  }
  save_points_.pop_back();
  // An outer save point still needs the undo entries; with none left that does, they are
  // dead.
  if (!Undoable()) {
    undo_.clear();
    previous_.clear();
  }
}

void StepBatch::Clear() {
  writes_.clear();
  arena_.release();
  undo_.clear();
  previous_.clear();
  save_points_.clear();
}

void StepBatch::Commit(bool sync) {
  if (below_) {
    throw ivm::Error(ivm::sqlstate::kInternalError,
                     "committing a batch that reads through another");
  }
  // The write batch holds it all once filled; the memtable grows while it is applied.
  rocksdb::Status status = WriteToDatabase(sync, [this] { Clear(); });
  if (!status.ok()) {
    Clear();
    ThrowStatus(status, "committing a step");
  }
}

void StepBatch::Persist(bool sync) const {
  Check(WriteToDatabase(sync, [] {}), "committing a step");
}

rocksdb::Status StepBatch::WriteToDatabase(bool sync,
                                           const std::function<void()>& before_write) const {
  // Each thread that commits (the writer, the committer) keeps its WriteBatch and the
  // memory under it: a new one for each step was mapped afresh, and filling it faulted
  // its pages in one by one (14% of the writer in Nexmark q6). A batch that grew past
  // kKept is let go after the write, so that a bulk step's memory is not held.
  constexpr size_t kKept = 16 << 20;
  thread_local rocksdb::WriteBatch batch;
  batch.Clear();
  // A bulk step's batch is sized up front: grown by doubling, it would hold up to three
  // times its bytes while it copies itself. A smaller one grows within the kept memory,
  // once. (Per write: a tag, two varint lengths, the bytes.)
  size_t bytes = 12;
  for (const auto& [key, value] : writes_) {
    bytes += 11 + key.view().size() + (value ? value.view().size() : 0);
  }
  if (bytes > kKept) batch = rocksdb::WriteBatch(bytes);
  for (const auto& [key, value] : writes_) {
    rocksdb::Status s = value ? batch.Put(key.view(), value.view()) : batch.Delete(key.view());
    if (!s.ok()) return s;
  }
  before_write();
  rocksdb::WriteOptions options;
  options.sync = sync;
  rocksdb::Status status = db_->Write(options, &batch);
  if (bytes > kKept) batch = rocksdb::WriteBatch();
  return status;
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
  // A full memtable is flushed on its own, not held until a second one fills
  // (OptimizeLevelStyleCompaction sets 2 of 6): at most one waits while the next fills,
  // which keeps their memory near 64 MiB rather than 192.
  options.min_write_buffer_number_to_merge = 1;
  options.max_write_buffer_number = 3;
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

void Database::FlushMemtableAbove(uint64_t bytes) {
  uint64_t active = 0;
  if (!db_->GetIntProperty(rocksdb::DB::Properties::kCurSizeActiveMemTable, &active) ||
      active < bytes) {
    return;
  }
  rocksdb::FlushOptions options;
  options.wait = false;  // RocksDB's flush thread writes it; writes go on meanwhile
  Check(db_->Flush(options), "flushing the memtable");
}

void Database::ReleaseScanIterator() {
  if (!scan_iterator_.lent) scan_iterator_.iterator.reset();
}

Database::~Database() {
  scan_iterator_.iterator.reset();  // before the database it reads
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
