// One-shot evaluation of a bound query: the same circuit a view would use, run once over
// the whole input as a single delta with scratch (in-memory) state. Then ORDER BY,
// OFFSET and LIMIT are applied to the result.
#pragma once

#include <vector>

#include "ivm/operators/operator.h"
#include "sql/catalog.h"
#include "sql/logical_plan.h"
#include "storage/database.h"

namespace server {

// The rows of `query` over the relations `reader` sees, in presentation order, with only
// the visible columns.
std::vector<ivm::Row> RunQuery(const sql::BoundQuery& query, const sql::Catalog& catalog,
                               storage::Reader& reader, ivm::StepStats* stats = nullptr);

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
