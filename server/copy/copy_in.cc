#include "server/copy/copy_in.h"

#include "ivm/cast.h"
#include "server/dml_executor.h"
#include "sql/binder.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

}  // namespace

CopyIn::CopyIn(const sql::CopyStmt& stmt, const sql::Catalog& catalog) {
  CopyOptions options = BindCopyOptions(stmt);
  const sql::RelationInfo* rel = catalog.Find(stmt.table.schema, stmt.table.name);
  if (!rel) {
    throw Error(sqlstate::kUndefinedTable, "relation \"" + stmt.table.name + "\" does not exist");
  }
  sql::CheckWritable(*rel);
  table_ = *rel;
  std::vector<std::string> names;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < table_.columns.size(); ++i) targets_.push_back(static_cast<int>(i));
  } else {
    for (const std::string& name : stmt.columns) {
      const int index = table_.FindColumn(name);
      if (index < 0) {
        throw Error(sqlstate::kUndefinedColumn, "column \"" + name + "\" of relation \"" +
                                                    table_.name + "\" does not exist");
      }
      for (int t : targets_) {
        if (t == index) {
          throw Error(sqlstate::kDuplicateColumn,
                      "column \"" + name + "\" specified more than once");
        }
      }
      targets_.push_back(index);
    }
  }
  for (int t : targets_) names.push_back(table_.columns[t].name);
  batch_ = std::make_shared<CopyBatch>();
  batch_->table_id = table_.id;
  batch_->table_name = table_.name;
  for (const sql::ColumnInfo& c : table_.columns) batch_->column_types.push_back(c.type);
  parser_ = std::make_unique<CopyParser>(
      std::move(options), std::move(names),
      [this](CopyFields& fields, int64_t line, std::string_view text) {
        AddRow(fields, line, text);
      });
}

void CopyIn::Record(const Error& error) {
  Error e = error;
  e.set_context("COPY " + table_.name + ", " + error.context());
  error_ = std::move(e);
  batch_->Clear();
}

void CopyIn::Feed(std::string_view data) {
  if (error_) return;
  try {
    parser_->Feed(data);
  } catch (const Error& e) {
    Record(e);
  }
}

std::shared_ptr<CopyBatch> CopyIn::Finish() {
  if (!error_) {
    try {
      parser_->Finish();
    } catch (const Error& e) {
      Record(e);
    }
  }
  if (error_) throw *error_;
  return std::move(batch_);
}

void CopyIn::AddRow(CopyFields& fields, int64_t line, std::string_view text) {
  ivm::Row row;
  row.reserve(table_.columns.size());
  for (const sql::ColumnInfo& c : table_.columns) row.push_back(ivm::Value::Null(c.type.id));
  for (size_t j = 0; j < targets_.size(); ++j) {
    if (!fields[j]) continue;
    const sql::ColumnInfo& column = table_.columns[targets_[j]];
    ivm::Value value = ivm::Value::Text(std::move(*fields[j]));
    try {
      row[targets_[j]] = ivm::CastValue(value, column.type, ivm::CastKind::kAssignment);
    } catch (const Error& e) {
      Error located = e;
      located.set_context("line " + std::to_string(line) + ", column " + column.name + ": \"" +
                          CopyContextText(value.ToText()) + "\"");
      throw located;
    }
  }
  // Here rather than on the writer, so the error names the line's text, as PostgreSQL's does.
  try {
    CheckNotNull(table_, row);
  } catch (const Error& e) {
    Error located = e;
    located.set_context("line " + std::to_string(line) + ": \"" + CopyContextText(text) + "\"");
    throw located;
  }
  batch_->Append(row, line);
}

}  // namespace server
