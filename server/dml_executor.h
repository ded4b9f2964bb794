// DmlExecutor: evaluates INSERT, UPDATE and DELETE at the writer's step. Reads the
// tables through the step's batch (so it sees earlier statements of the same step),
// enforces NOT NULL and primary keys, writes the rows, and records each table's delta
// for the circuits. REQUIRES: the writer thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "ivm/zset.h"
#include "sql/binder.h"
#include "storage/database.h"

namespace server {

// Per relation id, the change made so far in a transaction or step.
using DeltaMap = std::map<uint64_t, ivm::ZSet>;

// A row as PostgreSQL's "Failing row contains (1, null)." shows it.
std::string RowText(const ivm::Row& row);
// Throws 23502, as INSERT does, when `row` has NULL in a NOT NULL column of `table`.
void CheckNotNull(const sql::RelationInfo& table, const ivm::Row& row);

class DmlExecutor {
 public:
  // Pending rows a statement lets gather in `deltas` before it hands them on.
  static constexpr size_t kRowsPerPropagation = 16384;

  // `propagate`, if set, carries `deltas` through the views (and empties it) whenever a
  // statement has recorded kRowsPerPropagation rows in it, so that a bulk statement holds
  // a bounded slice of its change in memory, not the whole of it. The step stays atomic:
  // every slice goes into the same batch.
  DmlExecutor(const sql::Catalog& catalog, storage::StepBatch& batch, DeltaMap* deltas,
              std::function<void()> propagate = nullptr)
      : catalog_(catalog), batch_(batch), deltas_(deltas), propagate_(std::move(propagate)) {}

  // Each returns the number of rows affected.
  int64_t Insert(const sql::BoundInsert& insert);
  int64_t Update(const sql::BoundModify& update);
  int64_t Delete(const sql::BoundModify& del);
  // COPY FROM: inserts one row of `table`'s width (checked as INSERT checks it).
  void InsertCopiedRow(const sql::RelationInfo& table, ivm::Row row) {
    PrepareRow(table, &row);
    InsertRow(table, std::move(row), 1);
  }

 private:
  // Rows of the table that satisfy the statement's WHERE, with their weights.
  std::vector<ivm::ZSetEntry> MatchingRows(const sql::RelationInfo& table,
                                           const sql::BoundModify& stmt);
  // Casts each value to its column type and checks NOT NULL.
  void PrepareRow(const sql::RelationInfo& table, ivm::Row* row) const;
  // Stores +row, refusing a duplicate primary key.
  void InsertRow(const sql::RelationInfo& table, ivm::Row row, int64_t weight);
  void Record(uint64_t table_id, ivm::Row row, int64_t weight);

  const sql::Catalog& catalog_;
  storage::StepBatch& batch_;
  DeltaMap* deltas_;
  std::function<void()> propagate_;
  size_t recorded_ = 0;  // rows recorded since `propagate_` last ran
};

}  // namespace server
