#include "server/sql_session.h"

#include <boost/asio/post.hpp>

#include "server/read_executor.h"
#include "sql/parser.h"

namespace server {

using protocol::StatementResult;

void SqlSession::SimpleQuery(std::string sql,
                             std::function<void(std::vector<StatementResult>)> done) {
  Engine* engine = &engine_;
  boost::asio::thread_pool* pool = &pool_;
  boost::asio::post(pool_, [engine, pool, sql = std::move(sql), done = std::move(done)]() mutable {
    std::vector<sql::ParsedStatement> statements;
    try {
      statements = sql::ParseScript(sql);
    } catch (const ivm::Error& e) {
      done({ErrorResult(e)});
      return;
    }
    if (statements.empty()) {
      StatementResult empty;
      empty.kind = StatementResult::Kind::kEmptyQuery;
      done({empty});
      return;
    }
    bool writes = false;
    for (const sql::ParsedStatement& s : statements)
      writes = writes || Engine::IsWrite(s.statement);
    if (writes) {
      // Like PostgreSQL, a query string is one implicit transaction. The writer runs it;
      // its completion continues on the pool, never on the writer thread.
      engine->Submit(std::move(statements), [pool, done](TransactionResults results) mutable {
        boost::asio::post(*pool, [done = std::move(done), results = std::move(results)]() mutable {
          done(std::move(results));
        });
      });
      return;
    }
    // Reads only: all of them see the same published step.
    std::shared_ptr<const PublishedState> state = engine->Published();
    std::vector<StatementResult> results;
    for (const sql::ParsedStatement& s : statements) {
      results.push_back(ExecuteRead(s, *state->catalog, *state->snapshot));
      if (results.back().kind == StatementResult::Kind::kError) break;
    }
    done(std::move(results));
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
