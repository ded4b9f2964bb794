#include "server/read_executor.h"

#include "server/engine.h"
#include "server/query_executor.h"
#include "server/system_tables.h"
#include "sql/binder.h"
#include "sql/parser.h"
#include "storage/keys.h"
#include "storage/relation_store.h"

#include <cmath>

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
  StatementResult r = RowsResult({column}, {ivm::Type::Of(ivm::TypeId::kText)}, std::move(rows));
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
  if (!rel.is_materialized_view()) {
    throw ivm::Error(ivm::sqlstate::kWrongObjectType,
                     "\"" + rel.name + "\" is not a materialized view");
  }
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(rel.definition);
  const auto& query = *std::get<sql::SelectStmt>(parsed[0].statement).query;
  sql::LoweredCircuit lowered = PlanView(query, catalog);
  return TextLines("QUERY PLAN", lowered.circuit->Explain() + StateSizes(lowered, rel.id, reader));
}

std::string RowText(const ivm::Row& row) {
  std::string s = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) s += ", ";
    s += row[i].is_null() ? "NULL" : row[i].ToText();
  }
  return s + ")";
}

// Values equal, floats within a relative 1e-9 (incremental float sums may differ from a
// recomputation in the last bits; exact types must match exactly).
bool SameValue(const ivm::Value& a, const ivm::Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null();
  bool float_a = a.type() == ivm::TypeId::kFloat32 || a.type() == ivm::TypeId::kFloat64;
  if (float_a && a.type() == b.type()) {
    double x = a.float_value(), y = b.float_value();
    return x == y || std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y));
  }
  return a.Compare(b) == 0 && a.ToText() == b.ToText();
}

bool SameRow(const ivm::Row& a, const ivm::Row& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameValue(a[i], b[i])) return false;
  }
  return true;
}

std::vector<ivm::Row> Expand(ivm::ZSet z) {
  z.Consolidate();
  std::vector<ivm::Row> rows;
  for (const ivm::ZSetEntry& e : z.entries()) {
    for (int64_t i = 0; i < e.weight; ++i) rows.push_back(e.row);
  }
  return rows;
}

// VERIFY MATERIALIZED VIEW: recompute the view from its inputs at this step and compare
// with what was maintained.
StatementResult Verify(const sql::VerifyStmt& stmt, const sql::Catalog& catalog,
                       storage::Reader& reader) {
  const sql::RelationInfo& rel = sql::Binder(catalog).LookupRelation(stmt.view);
  if (!rel.is_materialized_view()) {
    throw ivm::Error(ivm::sqlstate::kWrongObjectType,
                     "\"" + rel.name + "\" is not a materialized view");
  }
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(rel.definition);
  sql::BoundQuery bound =
      sql::Binder(catalog).BindViewQuery(*std::get<sql::SelectStmt>(parsed[0].statement).query);
  ivm::ZSet expected;
  for (ivm::Row& row : RunQuery(bound, catalog, reader)) expected.Add(std::move(row), 1);
  std::vector<ivm::Row> want = Expand(expected);
  std::vector<ivm::Row> have =
      Expand(storage::RelationStore(rel.id, rel.StorageKey()).ReadAll(reader));

  // Walk both sorted lists, pairing rows that are the same (floats within tolerance).
  std::vector<ivm::Row> report;
  size_t i = 0, j = 0;
  while (i < want.size() || j < have.size()) {
    if (i < want.size() && j < have.size() && SameRow(want[i], have[j])) {
      ++i;
      ++j;
    } else if (j >= have.size() || (i < want.size() && ivm::CompareRows(want[i], have[j]) < 0)) {
      report.push_back({ivm::Value::Text("missing"), ivm::Value::Text(RowText(want[i++]))});
    } else {
      report.push_back({ivm::Value::Text("unexpected"), ivm::Value::Text(RowText(have[j++]))});
    }
  }
  if (report.empty()) {
    report.push_back(
        {ivm::Value::Text("OK"), ivm::Value::Text(std::to_string(want.size()) + " rows match")});
  }
  StatementResult r = RowsResult(
      {"status", "row"}, {ivm::Type::Of(ivm::TypeId::kText), ivm::Type::Of(ivm::TypeId::kText)},
      std::move(report));
  r.command_tag = "VERIFY";
  return r;
}

// SHOW ROUTINE LOAD [FOR job]: StarRocks' columns, from tributary_sources.
StatementResult ShowRoutineLoad(const sql::RoutineLoadControlStmt& stmt, storage::Reader& reader) {
  std::vector<ivm::Row> rows;
  storage::RelationStore(kSourcesTableId, {0}).Scan(reader, [&](const ivm::Row& r, int64_t) {
    SourceRow source = SourceRow::FromRow(r);
    if (source.kind != "routine load") return true;
    if (stmt.job && stmt.job->name != source.name) return true;
    std::string progress = "{";
    for (const auto& [partition, offset] : source.offsets) {
      if (progress.size() > 1) progress += ",";
      progress += "\"" + std::to_string(partition) + "\":\"" + std::to_string(offset) + "\"";
    }
    progress += "}";
    std::string state = source.status == "retrying" ? "running" : source.status;
    for (char& c : state) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const bool explain = source.status != "running" && source.last_error;
    rows.push_back({ivm::Value::Text(source.name), ivm::Value::Text(source.table_name),
                    ivm::Value::Text(state), ivm::Value::Text("KAFKA"), ivm::Value::Text(progress),
                    ivm::Value::Text(explain ? *source.last_error : "")});
    return true;
  });
  if (stmt.job && rows.empty()) {
    throw ivm::Error(ivm::sqlstate::kUndefinedObject,
                     "routine load job \"" + stmt.job->name + "\" does not exist");
  }
  const ivm::Type text = ivm::Type::Of(ivm::TypeId::kText);
  StatementResult r = RowsResult(
      {"Name", "TableName", "State", "DataSourceType", "Progress", "ReasonOfStateChanged"},
      {text, text, text, text, text, text}, std::move(rows));
  r.command_tag = "SHOW";
  return r;
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

std::vector<protocol::FieldDescription> FieldsFor(const std::vector<std::string>& names,
                                                  const std::vector<ivm::Type>& types) {
  std::vector<protocol::FieldDescription> fields;
  for (size_t i = 0; i < names.size(); ++i) {
    protocol::FieldDescription f;
    f.name = names[i];
    f.type_oid = ivm::TypeOid(types[i]);
    f.type_size = ivm::TypeLength(types[i].id);
    f.type_modifier = ivm::TypeModifier(types[i]);
    fields.push_back(std::move(f));
  }
  return fields;
}

StatementResult RowsResult(const std::vector<std::string>& names,
                           const std::vector<ivm::Type>& types, std::vector<ivm::Row> rows) {
  StatementResult r;
  r.kind = StatementResult::Kind::kRows;
  r.fields = FieldsFor(names, types);
  r.command_tag = "SELECT " + std::to_string(rows.size());
  r.rows = TextCells(std::move(rows));
  return r;
}

std::vector<protocol::Cells> TextCells(std::vector<ivm::Row> rows) {
  std::vector<protocol::Cells> out;
  out.reserve(rows.size());
  for (ivm::Row& row : rows) {
    protocol::Cells cells;
    cells.reserve(row.size());
    for (const ivm::Value& v : row) {
      cells.push_back(v.is_null() ? std::nullopt : std::optional<std::string>(v.ToText()));
    }
    ivm::Row().swap(row);  // malloc hands its memory to the next rows' cells
    out.push_back(std::move(cells));
  }
  return out;
}

StatementResult ExecuteRead(const sql::ParsedStatement& statement, const sql::Catalog& catalog,
                            storage::Reader& reader) {
  try {
    if (auto* select = std::get_if<sql::SelectStmt>(&statement.statement)) {
      sql::BoundQuery bound = sql::Binder(catalog).BindQuery(*select->query);
      return RowsResult(bound.column_names, bound.column_types, RunQuery(bound, catalog, reader));
    }
    if (auto* explain = std::get_if<sql::ExplainStmt>(&statement.statement)) {
      return Explain(*explain, catalog, reader);
    }
    if (auto* verify = std::get_if<sql::VerifyStmt>(&statement.statement)) {
      return Verify(*verify, catalog, reader);
    }
    if (auto* show = std::get_if<sql::RoutineLoadControlStmt>(&statement.statement)) {
      return ShowRoutineLoad(*show, reader);
    }
    throw ivm::Error(ivm::sqlstate::kFeatureNotSupported, "statement not supported");
  } catch (const ivm::Error& e) {
    return ErrorResult(e);
  }
}

}  // namespace server
