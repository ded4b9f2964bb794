// COPY t [(cols)] TO STDOUT and COPY (query) TO STDOUT: runs the query as a read at the
// reader's state and formats its rows (CopyWriter) into a kCopyOut result.
#pragma once

#include "protocol/backend.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "storage/database.h"

namespace server {

// Errors come back as a kError result, never as exceptions.
protocol::StatementResult RunCopyTo(const sql::CopyStmt& stmt, const sql::Catalog& catalog,
                                    storage::Reader& reader);

}  // namespace server
