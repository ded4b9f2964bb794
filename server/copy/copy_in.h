// CopyIn: one COPY ... FROM STDIN on the session's side. It checks the statement against the
// catalog, parses the data as it arrives (CopyParser), turns fields into typed rows, and
// keeps the first error while the rest of the data is still consumed (the client only
// hears of it after CopyDone, as in PostgreSQL). Nothing reaches the table until the engine
// applies the finished CopyBatch in one transaction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivm/error.h"
#include "server/copy/copy_batch.h"
#include "server/copy/copy_options.h"
#include "server/copy/copy_parser.h"
#include "sql/ast.h"
#include "sql/catalog.h"

namespace server {

class CopyIn {
 public:
  // Throws ivm::Error: an unknown or unwritable table or column, bad options.
  CopyIn(const sql::CopyStmt& stmt, const sql::Catalog& catalog);

  // The number of columns COPY fills (CopyInResponse's column count).
  size_t column_count() const { return targets_.size(); }

  // Parses more data. After an error, data is consumed and ignored.
  void Feed(std::string_view data);
  // The end of the data: the rows to apply, or throws the first error.
  std::shared_ptr<CopyBatch> Finish();

 private:
  void AddRow(CopyFields& fields, int64_t line, std::string_view text);
  void Record(const ivm::Error& error);

  sql::RelationInfo table_;
  std::vector<int> targets_;  // per COPY column, its table column
  std::shared_ptr<CopyBatch> batch_;
  std::unique_ptr<CopyParser> parser_;
  std::optional<ivm::Error> error_;
};

}  // namespace server
