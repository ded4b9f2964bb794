#include "server/copy/copy_to.h"

#include "ivm/error.h"
#include "server/copy/copy_options.h"
#include "server/copy/copy_writer.h"
#include "server/read_executor.h"
#include "sql/parser.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

std::string QuoteIdentifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// COPY t (a, b) TO: the query SELECT "a", "b" FROM t, after PostgreSQL's checks.
sql::ParsedStatement TableQuery(const sql::CopyStmt& stmt, const sql::Catalog& catalog) {
  const sql::RelationInfo* rel = catalog.Find(stmt.table.schema, stmt.table.name);
  if (!rel) {
    throw Error(sqlstate::kUndefinedTable, "relation \"" + stmt.table.name + "\" does not exist");
  }
  if (!rel->is_table()) {
    throw Error(sqlstate::kWrongObjectType,
                std::string("cannot copy from ") + rel->KindName() + " \"" + rel->name + "\"", "",
                "Try the COPY (SELECT ...) TO variant.");
  }
  std::vector<std::string> columns = stmt.columns;
  if (columns.empty()) {
    for (const sql::ColumnInfo& c : rel->columns) columns.push_back(c.name);
  }
  std::string text = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (rel->FindColumn(columns[i]) < 0) {
      throw Error(sqlstate::kUndefinedColumn, "column \"" + columns[i] + "\" of relation \"" +
                                                  rel->name + "\" does not exist");
    }
    for (size_t k = 0; k < i; ++k) {
      if (columns[k] == columns[i]) {
        throw Error(sqlstate::kDuplicateColumn,
                    "column \"" + columns[i] + "\" specified more than once");
      }
    }
    text += (i ? ", " : "") + QuoteIdentifier(columns[i]);
  }
  text += " FROM ";
  if (!stmt.table.schema.empty()) text += QuoteIdentifier(stmt.table.schema) + ".";
  text += QuoteIdentifier(rel->name);
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(text);
  return std::move(parsed.at(0));
}

}  // namespace

protocol::StatementResult RunCopyTo(const sql::CopyStmt& stmt, const sql::Catalog& catalog,
                                    storage::Reader& reader) {
  try {
    CopyOptions options = BindCopyOptions(stmt);
    sql::ParsedStatement query;
    if (stmt.query) {
      query.statement = sql::SelectStmt{stmt.query};
      query.text = stmt.query->text;
    } else {
      query = TableQuery(stmt, catalog);
    }
    protocol::StatementResult rows = ExecuteRead(query, catalog, reader);
    if (rows.kind == protocol::StatementResult::Kind::kError) return rows;
    std::vector<std::string> names;
    for (const protocol::FieldDescription& f : rows.fields) names.push_back(f.name);
    std::vector<bool> force_quote(names.size(), false);
    for (const std::string& name : options.force_quote) {
      size_t i = 0;
      while (i < names.size() && names[i] != name) ++i;
      if (i == names.size()) {
        throw Error(sqlstate::kInvalidColumnReference,
                    "FORCE_QUOTE column \"" + name + "\" not referenced by COPY");
      }
      force_quote[i] = true;
    }
    const bool header = options.header != CopyOptions::Header::kNone;
    CopyWriter writer(std::move(options), std::move(force_quote));
    protocol::StatementResult result;
    result.kind = protocol::StatementResult::Kind::kCopyOut;
    result.fields = rows.fields;
    for (protocol::FieldDescription& f : result.fields) f.format = 0;
    result.copy_data.reserve(rows.rows.size() + 1);
    if (header) {
      result.copy_data.emplace_back();
      writer.AppendHeader(names, &result.copy_data.back());
    }
    for (auto& row : rows.rows) {
      result.copy_data.emplace_back();
      writer.AppendRow(row, &result.copy_data.back());
      row = {};  // each row is held once: as cells or as its line
    }
    result.command_tag = "COPY " + std::to_string(rows.rows.size());
    return result;
  } catch (const Error& e) {
    return ErrorResult(e);
  }
}

}  // namespace server
