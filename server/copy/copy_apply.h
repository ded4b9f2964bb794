// ApplyCopy: the writer's half of COPY FROM. Inserts a CopyBatch's rows into its table
// within the current transaction, enforcing primary keys against the table and within the
// batch, and records the table's delta for the views. REQUIRES: the writer thread.
#pragma once

#include <functional>
#include <string>

#include "server/copy/copy_batch.h"
#include "server/dml_executor.h"
#include "sql/catalog.h"
#include "storage/database.h"

namespace server {

// Returns the command tag ("COPY n"). Throws ivm::Error, with the failing row's line in its
// context; the caller rolls the transaction back, so nothing of the COPY is applied.
std::string ApplyCopy(CopyBatch& copy, const sql::Catalog& catalog, storage::StepBatch& batch,
                      DeltaMap* deltas, std::function<void()> propagate = nullptr);

}  // namespace server
