#include "server/copy/copy_apply.h"

#include "ivm/error.h"

namespace server {

std::string ApplyCopy(CopyBatch& copy, const sql::Catalog& catalog, storage::StepBatch& batch,
                      DeltaMap* deltas, std::function<void()> propagate) {
  const sql::RelationInfo* table = catalog.FindById(copy.table_id);
  if (!table) {
    throw ivm::Error(ivm::sqlstate::kUndefinedTable,
                     "relation \"" + copy.table_name + "\" does not exist",
                     "It was dropped while the COPY was receiving its data.");
  }
  bool same = table->columns.size() == copy.column_types.size();
  for (size_t i = 0; same && i < table->columns.size(); ++i) {
    same = table->columns[i].type == copy.column_types[i];
  }
  if (!same) {
    throw ivm::Error(ivm::sqlstate::kSerializationFailure,
                     "could not serialize access: table \"" + table->name +
                         "\" changed while the COPY was receiving its data",
                     "", "Nothing was applied; retry the COPY.");
  }
  DmlExecutor executor(catalog, batch, deltas, std::move(propagate));
  for (size_t i = 0; i < copy.rows.size(); ++i) {
    try {
      executor.InsertCopiedRow(*table, std::move(copy.rows[i]));
    } catch (const ivm::Error& e) {
      ivm::Error located = e;
      located.set_context("COPY " + table->name + ", line " + std::to_string(copy.lines[i]));
      throw located;
    }
  }
  const size_t count = copy.rows.size();
  copy.rows.clear();
  copy.rows.shrink_to_fit();
  return "COPY " + std::to_string(count);
}

}  // namespace server
