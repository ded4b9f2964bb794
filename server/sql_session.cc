#include "server/sql_session.h"

#include <boost/asio/post.hpp>

#include "server/query_executor.h"
#include "sql/binder.h"
#include "sql/parser.h"
#include "storage/keys.h"

namespace server {
namespace {

using protocol::StatementResult;

StatementResult ErrorResult(const ivm::Error& e) {
  StatementResult r;
  r.kind = StatementResult::Kind::kError;
  r.error = e;
  return r;
}

StatementResult RowsResult(const std::vector<std::string>& names,
                           const std::vector<ivm::Type>& types,
                           const std::vector<ivm::Row>& rows) {
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

// How many state entries each stateful operator of view `id` holds at this step.
std::string StateSizes(const sql::LoweredCircuit& lowered, uint64_t id, storage::Reader& reader) {
  std::string out;
  for (int node : lowered.circuit->StatefulNodes()) {
    uint64_t entries = 0;
    reader.Scan(storage::OperatorStatePrefix(id, static_cast<uint32_t>(node)),
                [&](std::string_view, std::string_view) {
                  ++entries;
                  return true;
                });
    out += "state: op " + std::to_string(node) + " holds " + std::to_string(entries) +
           " entries\n";
  }
  return out;
}

StatementResult Explain(const sql::ExplainStmt& stmt, const PublishedState& state) {
  const sql::Catalog& catalog = *state.catalog;
  if (stmt.query) {
    sql::BoundQuery bound = sql::Binder(catalog).BindQuery(*stmt.query);
    return TextLines("QUERY PLAN", sql::LowerToCircuit(*bound.plan).circuit->Explain());
  }
  if (stmt.create_view) {
    return TextLines("QUERY PLAN", PlanView(*stmt.create_view->query, catalog).circuit->Explain());
  }
  const sql::RelationInfo& rel = sql::Binder(catalog).LookupRelation(*stmt.view);
  if (rel.is_table()) {
    throw ivm::Error(ivm::sqlstate::kWrongObjectType, "\"" + rel.name + "\" is not a materialized view");
  }
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(rel.definition);
  const auto& query = *std::get<sql::SelectStmt>(parsed[0].statement).query;
  sql::LoweredCircuit lowered = PlanView(query, catalog);
  return TextLines("QUERY PLAN", lowered.circuit->Explain() +
                                     StateSizes(lowered, rel.id, *state.snapshot));
}

// The statements of one query string, run one after another.
struct QueryRun {
  Engine* engine;
  boost::asio::thread_pool* pool;
  std::vector<sql::ParsedStatement> statements;
  size_t next = 0;
  std::vector<StatementResult> results;
  std::function<void(std::vector<StatementResult>)> done;
};

void RunNext(std::shared_ptr<QueryRun> run) {
  while (run->next < run->statements.size()) {
    sql::ParsedStatement& statement = run->statements[run->next++];
    if (Engine::IsWrite(statement.statement)) {
      run->engine->Submit(std::move(statement), [run](StatementOutcome outcome) {
        // Continue on the pool: the writer thread must not run session work.
        boost::asio::post(*run->pool, [run, outcome = std::move(outcome)] {
          if (outcome.error) {
            run->results.push_back(ErrorResult(*outcome.error));
            run->done(std::move(run->results));
            return;
          }
          StatementResult r;
          r.command_tag = outcome.command_tag;
          run->results.push_back(std::move(r));
          RunNext(run);
        });
      });
      return;
    }
    run->results.push_back(ExecuteRead(statement, *run->engine->Published()));
    if (run->results.back().kind == StatementResult::Kind::kError) break;
  }
  run->done(std::move(run->results));
}

}  // namespace

StatementResult ExecuteRead(const sql::ParsedStatement& statement, const PublishedState& state) {
  try {
    if (auto* select = std::get_if<sql::SelectStmt>(&statement.statement)) {
      sql::BoundQuery bound = sql::Binder(*state.catalog).BindQuery(*select->query);
      std::vector<ivm::Row> rows = RunQuery(bound, *state.catalog, *state.snapshot);
      return RowsResult(bound.column_names, bound.column_types, rows);
    }
    if (auto* explain = std::get_if<sql::ExplainStmt>(&statement.statement)) {
      return Explain(*explain, state);
    }
    throw ivm::Error(ivm::sqlstate::kFeatureNotSupported, "statement not supported");
  } catch (const ivm::Error& e) {
    return ErrorResult(e);
  }
}

void SqlSession::SimpleQuery(std::string sql,
                             std::function<void(std::vector<StatementResult>)> done) {
  auto run = std::make_shared<QueryRun>();
  run->engine = &engine_;
  run->pool = &pool_;
  run->done = std::move(done);
  boost::asio::post(pool_, [run, sql = std::move(sql)] {
    try {
      run->statements = sql::ParseScript(sql);
    } catch (const ivm::Error& e) {
      run->done({ErrorResult(e)});
      return;
    }
    if (run->statements.empty()) {
      StatementResult empty;
      empty.kind = StatementResult::Kind::kEmptyQuery;
      run->done({empty});
      return;
    }
    RunNext(run);
  });
}

std::unique_ptr<protocol::Session> SqlBackend::Connect(const protocol::StartupInfo& startup) {
  if (startup.user != "tributary") {
    throw ivm::Error(ivm::sqlstate::kInvalidAuthorization,
                     "role \"" + startup.user + "\" does not exist");
  }
  std::string database = startup.database.empty() ? startup.user : startup.database;
  if (database != "tributary") {
    throw ivm::Error(ivm::sqlstate::kInvalidCatalogName,
                     "database \"" + database + "\" does not exist");
  }
  return std::make_unique<SqlSession>(engine_, pool_);
}

std::vector<std::pair<std::string, std::string>> SqlBackend::ServerParameters() const {
  return {
      {"application_name", ""},
      {"client_encoding", "UTF8"},
      {"DateStyle", "ISO, MDY"},
      {"integer_datetimes", "on"},
      {"IntervalStyle", "postgres"},
      {"is_superuser", "on"},
      {"server_encoding", "UTF8"},
      {"server_version", "15.0 (Tributary 0.1)"},
      {"session_authorization", "tributary"},
      {"standard_conforming_strings", "on"},
      {"TimeZone", "UTC"},
  };
}

}  // namespace server
