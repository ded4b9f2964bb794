// COPY t [(cols)] TO STDOUT and COPY (query) TO STDOUT: runs the query as a read at the
// reader's state and formats its rows (CopyWriter) into a kCopyOut result.
#pragma once

#include <functional>

#include "protocol/backend.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "storage/database.h"

namespace server {

// Runs the query a COPY TO copies (a SELECT), as a read would: its kRows result, or the
// error. A result with more_rows makes the COPY's lines follow the same way.
using CopyQueryRunner = std::function<protocol::StatementResult(const sql::ParsedStatement&)>;

// Errors come back as a kError result, never as exceptions. `run` runs the query;
// ExecuteRead over `reader` when not given.
protocol::StatementResult RunCopyTo(const sql::CopyStmt& stmt, const sql::Catalog& catalog,
                                    storage::Reader& reader, const CopyQueryRunner& run = nullptr);

}  // namespace server
