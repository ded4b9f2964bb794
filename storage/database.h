// Database: Tributary's durable store, one RocksDB instance in the data directory.
// Owns the process-exclusive lock on the directory. Reads go through a Reader: either a
// published snapshot (queries) or the step's uncommitted batch over the database (writer).
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/chunk_arena.h"

namespace storage {

// Read access to an ordered key space.
class Reader {
 public:
  virtual ~Reader() = default;
  virtual bool Get(std::string_view key, std::string* value) = 0;
  // Visits keys starting with `prefix` in order while `visit` returns true.
  virtual void Scan(std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& visit) = 0;
  // The greatest key starting with `prefix`.
  virtual bool Last(std::string_view prefix, std::string* key, std::string* value) = 0;
  // Visits the keys in [start, end) in order while `visit` returns true; an empty `end`
  // bounds nothing.
  virtual void ScanRange(std::string_view start, std::string_view end,
                         const std::function<bool(std::string_view, std::string_view)>& visit) = 0;
  // The storage engine's estimate of the bytes the keys starting with `prefix` take, in
  // files and in memory: not exact, and not tied to what the reader sees. "" means
  // everything; 0 when the reader cannot tell.
  virtual uint64_t ApproximateBytes(std::string_view /*prefix*/) const { return 0; }
};

class Database;

// What the storage engine holds in memory, in bytes (RocksDB's own accounting).
struct StorageMemory {
  uint64_t memtables = 0;    // the memtable being filled and those waiting to flush
  uint64_t block_cache = 0;  // table-file blocks cached
  uint64_t block_cache_capacity = 0;
  uint64_t table_readers = 0;  // index and filter blocks of open table files
};

// An immutable view of the database at one committed step. Shared by every query that
// reads that step; released (and the RocksDB snapshot with it) when the last one is done.
class Snapshot final : public Reader {
 public:
  Snapshot(rocksdb::DB* db, const rocksdb::Snapshot* snapshot) : db_(db), snapshot_(snapshot) {}
  ~Snapshot() override { db_->ReleaseSnapshot(snapshot_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  bool Get(std::string_view key, std::string* value) override;
  void Scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& visit) override;
  bool Last(std::string_view prefix, std::string* key, std::string* value) override;
  void ScanRange(std::string_view start, std::string_view end,
                 const std::function<bool(std::string_view, std::string_view)>& visit) override;
  uint64_t ApproximateBytes(std::string_view prefix) const override;
  // The storage engine's memory now (not tied to the snapshot either).
  StorageMemory Memory() const;

 private:
  rocksdb::ReadOptions Options() const;
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// The database iterator that step batches' scans share, kept by the database from step to
// step. Making one costs more than the seek it serves (RocksDB builds a merging iterator
// over every memtable and table file, 8 µs of a single-row update's 160 at 1M rows);
// refreshing it to see later commits costs next to nothing while no memtable was switched
// and no flush or compaction finished. It pins the memtables and table files it reads, so
// the writer lets it go when idle (Database::ReleaseScanIterator).
struct ScanIterator {
  std::unique_ptr<rocksdb::Iterator> iterator;
  rocksdb::SequenceNumber sequence = 0;  // the database's when it was made or refreshed
  rocksdb::Slice bound;                  // its exclusive upper bound, set before each seek
  bool lent = false;                     // to a scan in progress
};

// The writes of one step, readable (merged over the database) before they commit.
// They are kept by key in memory, newest value or deletion per key, and written to RocksDB
// in key order at Commit: a memtable takes sorted keys with little search, and a key
// written several times in a step reaches RocksDB once. Save points keep an undo log.
// Keys, values and the index's nodes live in one arena released at Commit or Clear: a bulk
// step of millions of writes costs about half what a string per key and value would, and
// no free per write. Values a step overwrites stay in the arena until then.
// REQUIRES: used by the single writer thread only.
class StepBatch final : public Reader {
 public:
  // Scans use `iterator`, kept by the database from step to step, when it is free.
  StepBatch(rocksdb::DB* db, ScanIterator* iterator);

  bool Get(std::string_view key, std::string* value) override;
  void Scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& visit) override;
  bool Last(std::string_view prefix, std::string* key, std::string* value) override;
  void ScanRange(std::string_view start, std::string_view end,
                 const std::function<bool(std::string_view, std::string_view)>& visit) override;
  uint64_t ApproximateBytes(std::string_view prefix) const override;

  // Get for many keys at once (faster than one Get each: RocksDB looks them up together).
  // Calls visit(i, value) for each keys[i] that has a value, in order of i; `value` is
  // valid only during the call. REQUIRES: `keys` sorted.
  void MultiGet(const std::vector<std::string_view>& keys,
                const std::function<void(size_t, std::string_view)>& visit);

  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  // Deletes every key starting with `prefix` (in the batch and, on commit, the database).
  void DeletePrefix(std::string_view prefix);

  // Save points nest; rolling back undoes every write since the innermost one and drops it.
  void SetSavePoint() {
    if (save_points_.empty()) bottom_clears_ = writes_.empty();
    save_points_.push_back(undo_.size());
  }
  void RollbackToSavePoint();
  void PopSavePoint();
  void Clear();
  bool empty() const { return writes_.empty(); }
  // What the batch reads while it is empty and reads through no batch below (the database
  // as the step found it), held still: for a statement that must not see the rows it writes
  // while it reads (INSERT ... SELECT FROM its own table, a chunk at a time). Null otherwise.
  std::unique_ptr<Snapshot> SnapshotWhileEmpty() const;

  // Writes the batch atomically; with `sync`, returns only once it is on disk. Leaves
  // the batch empty, also when it throws (the step's writes are then lost, not retried).
  void Commit(bool sync);
  // Writes the batch atomically like Commit, but leaves it as it is: readable, by another
  // batch that reads through it (ReadThrough) while this one is written on another thread.
  // Does not read or change anything a reader of the batch does, so the two may overlap.
  void Persist(bool sync) const;

  // Until ReadThrough(nullptr, {}), reads see `below`'s writes under this batch's own, and
  // the database under both: `below` is the previous step's batch while another thread
  // writes it (StepCommitter), and `written` is ready once it has. Point reads and scans
  // overlap that write; Last first waits for `written` and then reads the database alone.
  // `below` must stay alive and unchanged until then.
  // REQUIRES: Commit only after ReadThrough(nullptr, {}).
  void ReadThrough(const StepBatch* below, std::shared_future<void> written);

 private:
  // Bytes in `arena_`, their length (4 bytes) first: a map node holds a key and a value in
  // 16 bytes rather than 40 as a string_view and an optional one, which is a third of a
  // bulk step's index. A null one, as a value, is a deletion.
  class Packed {
   public:
    Packed() = default;
    explicit Packed(const char* bytes) : bytes_(bytes) {}
    explicit operator bool() const { return bytes_ != nullptr; }
    std::string_view view() const {
      uint32_t size;
      std::memcpy(&size, bytes_, sizeof size);
      return {bytes_ + sizeof size, size};
    }

   private:
    const char* bytes_ = nullptr;
  };
  struct KeyLess {
    using is_transparent = void;
    static std::string_view View(std::string_view key) { return key; }
    static std::string_view View(Packed key) { return key.view(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) < View(b);
    }
  };
  // Each key the step wrote, with its newest value or a null one when the step deleted it.
  using Writes = std::pmr::map<Packed, Packed, KeyLess>;
  // How to undo one write made under a save point: the key's entry (map nodes are stable)
  // and what it held before, an index into `previous_`, or kAdded when the write added
  // the entry. Small, as a bulk INSERT makes millions of them.
  static constexpr size_t kAdded = SIZE_MAX;
  struct Undo {
    Writes::iterator entry;
    size_t previous;
  };

  class IteratorLease;
  class WriteCursor;

  void Write(std::string_view key, std::optional<std::string_view> value);
  // Whether a write must be undoable: some save point needs the entry to roll back to.
  bool Undoable() const { return save_points_.size() > (bottom_clears_ ? 1 : 0); }
  Packed Copy(std::string_view bytes);  // into arena_
  // The newest write of `key` in this batch or the one below it, or nullptr.
  const Packed* FindWrite(std::string_view key) const;
  // Before Last: once the batch below is in the database, reads need not look at it.
  void SettleBelow();
  // Writes the writes to the database in one atomic write, calling `before_write` once
  // they are copied out of the batch.
  rocksdb::Status WriteToDatabase(bool sync, const std::function<void()>& before_write) const;

  rocksdb::DB* db_;
  ScanIterator* iterator_;
  ChunkArena arena_;
  Writes writes_{&arena_};
  std::vector<Undo> undo_;  // only while a save point is set
  std::vector<Packed> previous_;     // overwritten values, for undo_
  std::vector<size_t> save_points_;  // each: the size of undo_ when it was set
  // Whether the outermost save point was set on an empty batch. Rolling back to it then
  // empties the batch, so writes under it alone need no undo entries: a bulk INSERT alone
  // in its step made 16 bytes of them per key, in a vector that doubled as it grew.
  bool bottom_clears_ = false;
  const StepBatch* below_ = nullptr;  // see ReadThrough
  std::shared_future<void> below_written_;
};

class Database {
 public:
  // Opens (creating if needed) the database in `dir`. Throws ivm::Error with a clear
  // message if the directory is in use by another server or cannot be opened.
  static std::unique_ptr<Database> Open(const std::string& dir);
  ~Database();

  // A snapshot of everything committed so far.
  std::shared_ptr<Snapshot> NewSnapshot();
  // REQUIRES: batches are used by one thread at a time (the writer).
  std::unique_ptr<StepBatch> NewStepBatch() {
    return std::make_unique<StepBatch>(db_, &scan_iterator_);
  }
  // Lets go of the iterator the batches' scans share, and of the memtables and table files
  // it pins. For the writer, when it has been idle a while.
  void ReleaseScanIterator();
  // Has the memtable being filled written out to a table file, in the background, if it
  // holds at least `bytes`: its memory is then freed, and a restart after kill -9 has that
  // much less write-ahead log to replay. For the writer, when it has been idle a while after
  // some work. Throws ivm::Error when the flush cannot start (nothing is lost: the
  // write-ahead log has every write).
  void FlushMemtableAbove(uint64_t bytes);
  rocksdb::DB* raw() { return db_; }

 private:
  Database(rocksdb::DB* db, int lock_fd) : db_(db), lock_fd_(lock_fd) {}
  rocksdb::DB* db_;
  int lock_fd_;
  ScanIterator scan_iterator_;
};

}  // namespace storage
