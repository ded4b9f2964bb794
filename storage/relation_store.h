// Durable relations (tables and views) as Z-sets in the key space 'r' + id + row key.
// A keyed relation's row key is its storage key (a table's primary key, a materialized
// view's unique leading columns); a keyless one (a multiset) keys each distinct row by
// the whole row and stores its weight.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "ivm/zset.h"
#include "storage/database.h"

namespace storage {

class RelationStore {
 public:
  // `key_columns` empty means the whole row is the key (multiset).
  RelationStore(uint64_t relation_id, std::vector<int> key_columns);

  // Visits every row with its weight (> 0), in key order, while `visit` returns true.
  void Scan(Reader& reader, const std::function<bool(const ivm::Row&, int64_t)>& visit) const;
  // The whole relation as a Z-set.
  ivm::ZSet ReadAll(Reader& reader) const;

  // Row keys from `start` up to, not including, `end`.
  struct KeyRange {
    std::string start, end;
  };
  // Every row key of the relation.
  KeyRange AllKeys() const;
  // The keys of the rows whose leading key values (primary-key columns in key order; for
  // a keyless relation, its leading columns) are `leading` and whose next key column lies
  // within [low, high] (either bound may be absent: unbounded). REQUIRES: for a keyless
  // relation no column of `leading` but the last is numeric, and none is when a bound is
  // given (its display scale follows its value in the row key).
  KeyRange Keys(const ivm::Row& leading, const std::optional<ivm::Value>& low = std::nullopt,
                const std::optional<ivm::Value>& high = std::nullopt) const;
  // The rows of `range` as a Z-set, read by one scan.
  ivm::ZSet ReadKeyRange(Reader& reader, const KeyRange& range) const;
  // The rows of `range` in key order, `rows` rows at a time: each chunk is read by a scan
  // of its own and handed to `consume` once that scan is over, so `consume` may read too.
  void ReadChunks(Reader& reader, const KeyRange& range, size_t rows,
                  const std::function<void(ivm::ZSet chunk)>& consume) const;
  // One such chunk: the first `rows` rows of `range`, which is then left with the keys
  // after them (start == end once it is read to its end).
  ivm::ZSet ReadChunk(Reader& reader, KeyRange* range, size_t rows) const;
  // The row stored under a key (primary-key values in key order).
  std::optional<ivm::Row> Lookup(Reader& reader, const ivm::Row& key_values) const;
  // Adds `delta` to the stored Z-set. Weights of keyed rows must stay 0 or 1.
  void Apply(StepBatch& batch, const ivm::ZSet& delta) const;
  // Keyed relations only: stores `row` as the one row of its key, replacing what was there,
  // or removes the row stored under a key (primary-key values in key order, as Lookup
  // takes them). Neither reads.
  void PutKeyed(StepBatch& batch, const ivm::Row& row) const;
  // The same, with the row's key (RowKey(row)) at hand.
  void PutKeyed(StepBatch& batch, std::string_view row_key, const ivm::Row& row) const;
  void EraseKey(StepBatch& batch, const ivm::Row& key_values) const;
  // The row stored under a row key (RowKey()), with its weight; nullopt when none.
  std::optional<ivm::ZSetEntry> LookupKey(Reader& reader, const std::string& row_key) const;
  // LookupKey for many row keys at once through the step's batch. REQUIRES: keys sorted.
  std::vector<std::optional<ivm::ZSetEntry>> LookupKeys(
      StepBatch& batch, const std::vector<std::string_view>& row_keys) const;
  // Removes every row (DROP).
  void Clear(StepBatch& batch) const;

  std::string RowKey(const ivm::Row& row) const;

 private:
  // Apply() for the entries whose weight `selected` accepts.
  void ApplyEntries(StepBatch& batch, const ivm::ZSet& delta,
                    bool (*selected)(int64_t weight)) const;

  uint64_t relation_id_;
  std::vector<int> key_columns_;
  std::string prefix_;
};

}  // namespace storage
