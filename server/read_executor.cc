#include "server/read_executor.h"

#include "server/engine.h"
#include "server/query_executor.h"
#include "sql/binder.h"
#include "sql/parser.h"
#include "storage/keys.h"

namespace server {
namespace {

using protocol::StatementResult;

StatementResult TextLines(const std::string& column, const std::string& text) {
  std::vector<ivm::Row> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    rows.push_back({ivm::Value::Text(text.substr(start, end - start))});
    start = end + 1;
  }
  StatementResult r = RowsResult({column}, {ivm::Type::Of(ivm::TypeId::kText)}, rows);
  r.command_tag = "EXPLAIN";
  return r;
}

// How many state entries each stateful operator of view `id` holds.
std::string StateSizes(const sql::LoweredCircuit& lowered, uint64_t id, storage::Reader& reader) {
  std::string out;
  for (int node : lowered.circuit->StatefulNodes()) {
    uint64_t entries = 0;
    reader.Scan(storage::OperatorStatePrefix(id, static_cast<uint32_t>(node)),
                [&](std::string_view, std::string_view) {
                  ++entries;
                  return true;
                });
    out += "state: op " + std::to_string(node) + " holds " + std::to_string(entries) + " entries\n";
  }
  return out;
}

StatementResult Explain(const sql::ExplainStmt& stmt, const sql::Catalog& catalog,
                        storage::Reader& reader) {
  if (stmt.query) {
    sql::BoundQuery bound = sql::Binder(catalog).BindQuery(*stmt.query);
    return TextLines("QUERY PLAN", sql::LowerToCircuit(*bound.plan).circuit->Explain());
  }
  if (stmt.create_view) {
    return TextLines("QUERY PLAN", PlanView(*stmt.create_view->query, catalog).circuit->Explain());
  }
  const sql::RelationInfo& rel = sql::Binder(catalog).LookupRelation(*stmt.view);
  if (rel.is_table()) {
    throw ivm::Error(ivm::sqlstate::kWrongObjectType,
                     "\"" + rel.name + "\" is not a materialized view");
  }
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(rel.definition);
  const auto& query = *std::get<sql::SelectStmt>(parsed[0].statement).query;
  sql::LoweredCircuit lowered = PlanView(query, catalog);
  return TextLines("QUERY PLAN", lowered.circuit->Explain() + StateSizes(lowered, rel.id, reader));
}

}  // namespace

StatementResult ErrorResult(const ivm::Error& e) {
  StatementResult r;
  r.kind = StatementResult::Kind::kError;
  r.error = e;
  return r;
}

StatementResult CommandResult(std::string tag) {
  StatementResult r;
  r.kind = StatementResult::Kind::kCommand;
  r.command_tag = std::move(tag);
  return r;
}

StatementResult RowsResult(const std::vector<std::string>& names,
                           const std::vector<ivm::Type>& types, const std::vector<ivm::Row>& rows) {
  StatementResult r;
  r.kind = StatementResult::Kind::kRows;
  for (size_t i = 0; i < names.size(); ++i) {
    protocol::FieldDescription f;
    f.name = names[i];
    f.type_oid = ivm::TypeOid(types[i].id);
    f.type_size = ivm::TypeLength(types[i].id);
    f.type_modifier = ivm::TypeModifier(types[i]);
    r.fields.push_back(std::move(f));
  }
  r.rows.reserve(rows.size());
  for (const ivm::Row& row : rows) {
    std::vector<std::optional<std::string>> cells;
    cells.reserve(row.size());
    for (const ivm::Value& v : row) {
      cells.push_back(v.is_null() ? std::nullopt : std::optional<std::string>(v.ToText()));
    }
    r.rows.push_back(std::move(cells));
  }
  r.command_tag = "SELECT " + std::to_string(rows.size());
  return r;
}

StatementResult ExecuteRead(const sql::ParsedStatement& statement, const sql::Catalog& catalog,
                            storage::Reader& reader) {
  try {
    if (auto* select = std::get_if<sql::SelectStmt>(&statement.statement)) {
      sql::BoundQuery bound = sql::Binder(catalog).BindQuery(*select->query);
      std::vector<ivm::Row> rows = RunQuery(bound, catalog, reader);
      return RowsResult(bound.column_names, bound.column_types, rows);
    }
    if (auto* explain = std::get_if<sql::ExplainStmt>(&statement.statement)) {
      return Explain(*explain, catalog, reader);
    }
    throw ivm::Error(ivm::sqlstate::kFeatureNotSupported, "statement not supported");
  } catch (const ivm::Error& e) {
    return ErrorResult(e);
  }
}

}  // namespace server
