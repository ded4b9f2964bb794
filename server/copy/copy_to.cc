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

// Appends the lines of `rows`, letting go of each row as its line is made.
void AppendLines(const CopyWriter& writer, std::vector<protocol::Cells> rows,
                 std::vector<std::string>* lines) {
  lines->reserve(lines->size() + rows.size());
  for (protocol::Cells& row : rows) {
    lines->emplace_back();
    writer.AppendRow(row, &lines->back());
    row = {};  // each row is held once: as cells or as its line
  }
}

}  // namespace

protocol::StatementResult RunCopyTo(const sql::CopyStmt& stmt, const sql::Catalog& catalog,
                                    storage::Reader& reader, const CopyQueryRunner& run) {
  try {
    CopyOptions options = BindCopyOptions(stmt);
    sql::ParsedStatement query;
    if (stmt.query) {
      query.statement = sql::SelectStmt{stmt.query};
      query.text = stmt.query->text;
    } else {
      query = TableQuery(stmt, catalog);
    }
    protocol::StatementResult rows = run ? run(query) : ExecuteRead(query, catalog, reader);
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
    auto writer = std::make_shared<const CopyWriter>(std::move(options), std::move(force_quote));
    protocol::StatementResult result;
    result.kind = protocol::StatementResult::Kind::kCopyOut;
    result.fields = rows.fields;
    for (protocol::FieldDescription& f : result.fields) f.format = 0;
    if (header) {
      result.copy_data.emplace_back();
      writer->AppendHeader(names, &result.copy_data.back());
    }
    const size_t count = rows.rows.size();
    AppendLines(*writer, std::move(rows.rows), &result.copy_data);
    if (!rows.more_rows) {
      result.command_tag = "COPY " + std::to_string(count);
      return result;
    }
    // The rows are made while they are sent: so are their lines. (One batch at a time:
    // the connection asks for the next once it has sent the last.)
    auto copied = std::make_shared<size_t>(count);
    result.more_rows = [writer, copied, more_rows = std::move(rows.more_rows)](
                           std::function<void(protocol::MoreRows)> next) {
      more_rows([writer, copied, next = std::move(next)](protocol::MoreRows more) {
        *copied += more.rows.size();
        AppendLines(*writer, std::move(more.rows), &more.copy_data);
        more.rows.clear();
        if (more.last) more.command_tag = "COPY " + std::to_string(*copied);
        next(std::move(more));
      });
    };
    return result;
  } catch (const Error& e) {
    return ErrorResult(e);
  }
}

}  // namespace server
