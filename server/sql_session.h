// SqlSession: one client connection's SQL front door. Statements run on the worker pool:
// reads against the latest published step (or the snapshot a BEGIN block pinned), writes
// on the engine's writer as one transaction per statement string. No thread ever blocks
// waiting for the writer: a statement that needs it continues in the writer's completion.
//
// Both protocols are served. The simple protocol runs a query string as one implicit
// transaction. The extended protocol keeps prepared statements (parsed, and for a SELECT
// bound, once) and portals (a statement with its parameter values and result formats).
//
// Transactions: BEGIN opens a block. Its reads see one snapshot; its writes are checked
// against the current state at once (a dry run on the writer that is rolled back, so the
// client gets each statement's real outcome and reads see the block's own writes) and are
// applied together, in one step, at COMMIT. If at COMMIT a write no longer does what it
// reported (a concurrent change), the whole block fails with 40001 and nothing is applied.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "protocol/backend.h"
#include "server/engine.h"
#include "server/parse_cache.h"
#include "server/plan_cache.h"
#include "server/query_context.h"
#include "server/session_settings.h"

namespace server {

class SqlSession final : public protocol::Session {
 public:
  // `role` is the authenticated user; every statement runs with its privileges.
  SqlSession(Engine& engine, boost::asio::thread_pool& pool, ParseCache& parses, PlanCache& plans,
             SessionSettings settings, std::string role);
  ~SqlSession() override;

  void SimpleQuery(std::string sql,
                   std::function<void(std::vector<protocol::StatementResult>)> done) override;
  void Extended(std::vector<protocol::ExtendedMessage> messages,
                std::function<void(std::vector<protocol::ExtendedReply>)> done) override;
  void CopyData(std::string data, std::function<void(bool)> done) override;
  void CopyDone(std::function<void(std::vector<protocol::StatementResult>)> done) override;
  void CopyFail(std::string message,
                std::function<void(std::vector<protocol::StatementResult>)> done) override;
  void Cancel() override;
  char TransactionStatus() const override;
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override;

  // Who the session is (current_user, current_database(), pg_backend_pid()).
  void SetIdentity(SessionIdentity identity);

  // Everything a running statement touches; shared with the work on the pool. The
  // connection sends one request at a time, so one piece of work runs at a time.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

// The Backend: validates the startup and opens SqlSessions.
class SqlBackend final : public protocol::Backend {
 public:
  SqlBackend(Engine& engine, boost::asio::thread_pool& pool) : engine_(engine), pool_(pool) {}

  std::unique_ptr<protocol::Session> Connect(const protocol::StartupInfo& startup) override;
  protocol::RoleCredentials LookupRole(const std::string& user) const override;
  std::vector<std::pair<std::string, std::string>> ServerParameters() const override;

  const ParseCache& parses() const { return parses_; }
  const PlanCache& plans() const { return plans_; }

 private:
  Engine& engine_;
  boost::asio::thread_pool& pool_;
  ParseCache parses_;  // shared by every session: repeated query text skips ANTLR
  PlanCache plans_;    // and repeated SELECTs skip binding
};

}  // namespace server
