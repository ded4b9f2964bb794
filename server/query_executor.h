// One-shot evaluation of a bound query: the same circuit a view would use, run once over
// the whole input as a single delta with scratch (in-memory) state. Then ORDER BY,
// OFFSET and LIMIT are applied to the result.
#pragma once

#include <memory>
#include <vector>

#include "ivm/operators/operator.h"
#include "sql/catalog.h"
#include "sql/logical_plan.h"
#include "storage/database.h"
#include "storage/relation_store.h"

namespace server {

// The rows of `query` over the relations `reader` sees, in presentation order, with only
// the visible columns.
std::vector<ivm::Row> RunQuery(const sql::BoundQuery& query, const sql::Catalog& catalog,
                               storage::Reader& reader, ivm::StepStats* stats = nullptr);

// A SELECT whose rows are made a chunk of its relation at a time, so that they can be sent
// as they are made rather than all first: projections over an optional filter over one
// stored relation (a table or a materialized view), without ORDER BY, LIMIT or OFFSET,
// that is read whole or by a range of its keys. The rows come a chunk at a time in the
// relation's key order, each chunk's in row order (a result of one chunk is in the order
// RunQuery gives). Subqueries in its expressions run once for the whole stream, as in
// RunQuery.
class QueryStream {
 public:
  // Null when `query` has another shape, or its filter pins a whole key (a lookup) by
  // constants or by `parameters`, the values of its $n. REQUIRES: `catalog` and `reader`
  // outlive the stream.
  static std::unique_ptr<QueryStream> Open(const sql::BoundQuery& query,
                                           const sql::Catalog& catalog, storage::Reader& reader,
                                           std::vector<ivm::Value> parameters);
  ~QueryStream();

  // The next rows (visible columns only): those of the next chunks until some are found or
  // the relation is read to its end. Throws ivm::Error as RunQuery does.
  std::vector<ivm::Row> Next();
  // Whether the relation has been read to its end.
  bool finished() const { return range_.start == range_.end; }

 private:
  struct Plan;  // the query's shape, and what runs its subqueries

  QueryStream(const sql::BoundQuery& query, std::vector<ivm::Value> parameters);

  sql::BoundQuery query_;
  std::vector<ivm::Value> parameters_;
  std::unique_ptr<Plan> plan_;
  storage::RelationStore::KeyRange range_;  // the keys left to read
};

// Whether `query` reads at most one row of one stored relation, found by its whole primary
// key (pinned by constants or parameters), and nothing else: work small and bounded enough
// to run on a connection's I/O thread instead of handing it to the pool and back.
bool IsKeyLookup(const sql::BoundQuery& query, const sql::Catalog& catalog);

// How many rows a one-shot query reads from a large relation per step (16,384 unless set;
// --query-chunk-rows): fewer hold less memory, more take fewer steps. The oracle tests set
// a few rows, so that every query they run is read in many chunks. REQUIRES: rows >= 1.
void SetQueryChunkRows(size_t rows);

// Reads relation `id` whole (0 is the one-empty-row relation of a SELECT without FROM).
ivm::ZSet ReadRelation(uint64_t id, const sql::Catalog& catalog, storage::Reader& reader);

}  // namespace server
