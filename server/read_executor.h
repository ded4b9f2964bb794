// Runs read-only statements (SELECT, EXPLAIN) against a catalog and a reader: a published
// snapshot for ordinary queries, or the writer's step batch for reads inside a
// transaction that has written. Formats results for the wire.
#pragma once

#include "ivm/error.h"
#include "ivm/value.h"
#include "protocol/backend.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "storage/database.h"

namespace server {

// Runs a SELECT or EXPLAIN. Errors come back as a kError result, never as exceptions.
protocol::StatementResult ExecuteRead(const sql::ParsedStatement& statement,
                                      const sql::Catalog& catalog, storage::Reader& reader);

protocol::StatementResult ErrorResult(const ivm::Error& error);
protocol::StatementResult CommandResult(std::string tag);
// RowDescription fields (text format) for columns of these names and types.
std::vector<protocol::FieldDescription> FieldsFor(const std::vector<std::string>& names,
                                                  const std::vector<ivm::Type>& types);
// Takes `rows` and lets go of each as its text cells are made: a large result is then
// held about once rather than twice.
protocol::StatementResult RowsResult(const std::vector<std::string>& names,
                                     const std::vector<ivm::Type>& types,
                                     std::vector<ivm::Row> rows);
// The text cells of `rows`, letting go of each row as its cells are made.
std::vector<protocol::Cells> TextCells(std::vector<ivm::Row> rows);

}  // namespace server
