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
  ivm::Row row;
  int64_t line = 0;
  while (copy.TakeNext(&row, &line)) {
    try {
      executor.InsertCopiedRow(*table, std::move(row));
    } catch (const ivm::Error& e) {
      ivm::Error located = e;
      located.set_context("COPY " + table->name + ", line " + std::to_string(line));
      throw located;
    }
  }
  return "COPY " + std::to_string(copy.size());
}

}  // namespace server
