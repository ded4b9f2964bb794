// CopyBatch: the rows of one COPY FROM, parsed and typed on the session's side, waiting to
// be applied by the engine's writer in one transaction (Engine::SubmitCopy).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ivm/types.h"
#include "ivm/value.h"

namespace server {

struct CopyBatch {
  uint64_t table_id = 0;
  std::string table_name;
  std::vector<ivm::Type> column_types;  // the table's, when parsed: it must not have changed
  std::vector<ivm::Row> rows;           // full table rows, cast to the column types
  std::vector<int64_t> lines;           // the input line of each row, for errors' CONTEXT
};

}  // namespace server
