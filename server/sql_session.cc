#include "server/sql_session.h"

#include <boost/asio/post.hpp>

#include <map>
#include <optional>

#include "server/read_executor.h"
#include "sql/parser.h"

namespace server {

using protocol::StatementResult;

void SqlSession::SimpleQuery(std::string sql,
                             std::function<void(std::vector<StatementResult>)> done) {
  Engine* engine = &engine_;
  boost::asio::thread_pool* pool = &pool_;
  std::shared_ptr<SessionSettings> settings = settings_;
  ParseCache* parses = &parses_;
  boost::asio::post(pool_, [engine, pool, settings, parses, sql = std::move(sql),
                            done = std::move(done)]() mutable {
    std::shared_ptr<const ParseCache::Statements> parsed;
    try {
      parsed = parses->Parse(sql);
    } catch (const ivm::Error& e) {
      done({ErrorResult(e)});
      return;
    }
    const std::vector<sql::ParsedStatement>& statements = *parsed;
    if (statements.empty()) {
      StatementResult empty;
      empty.kind = StatementResult::Kind::kEmptyQuery;
      done({empty});
      return;
    }
    bool writes = false, session = false;
    for (const sql::ParsedStatement& s : statements) {
      writes = writes || Engine::IsWrite(s.statement);
      session = session || std::holds_alternative<sql::SetStmt>(s.statement) ||
                std::holds_alternative<sql::ShowStmt>(s.statement);
    }
    if (writes && session) {
      done({ErrorResult(ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                                   "SET, RESET and SHOW cannot share a query string with writes "
                                   "yet",
                                   "", "Send them in a query string of their own."))});
      return;
    }
    if (writes) {
      // Like PostgreSQL, a query string is one implicit transaction. The writer runs it;
      // its completion continues on the pool, never on the writer thread.
      engine->Submit(std::vector<sql::ParsedStatement>(statements),
                     [pool, done](TransactionResults results) mutable {
                       boost::asio::post(
                           *pool, [done = std::move(done), results = std::move(results)]() mutable {
                             done(std::move(results));
                           });
                     });
      return;
    }
    // Reads and settings: all reads see the same published step. The string is one implicit
    // transaction, so its SETs take effect only if every statement succeeds.
    std::shared_ptr<const PublishedState> state = engine->Published();
    std::vector<StatementResult> results;
    std::optional<SessionSettings> working;  // copied at the string's first SET
    int last_set = -1;
    for (const sql::ParsedStatement& s : statements) {
      try {
        if (auto* set = std::get_if<sql::SetStmt>(&s.statement)) {
          if (!working) working = *settings;
          working->Apply(*set);
          results.push_back(CommandResult(set->reset ? "RESET" : "SET"));
          last_set = static_cast<int>(results.size()) - 1;
        } else if (auto* show = std::get_if<sql::ShowStmt>(&s.statement)) {
          results.push_back((working ? *working : *settings).Show(*show));
        } else {
          results.push_back(ExecuteRead(s, *state->catalog, *state->snapshot));
        }
      } catch (const ivm::Error& e) {
        results.push_back(ErrorResult(e));
      }
      if (results.back().kind == StatementResult::Kind::kError) break;
    }
    if (results.back().kind != StatementResult::Kind::kError && last_set >= 0) {
      // The reported parameters that changed, sent with the last SET (PostgreSQL sends
      // them before ReadyForQuery).
      std::map<std::string, std::string> before;
      for (const auto& [name, value] : settings->Reported()) before[name] = value;
      for (const auto& [name, value] : working->Reported()) {
        if (before[name] != value) results[last_set].parameter_status.emplace_back(name, value);
      }
      *settings = std::move(*working);
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
  SessionSettings settings;
  for (const auto& [name, value] : startup.parameters) settings.ApplyStartup(name, value);
  return std::make_unique<SqlSession>(engine_, pool_, parses_, std::move(settings));
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
