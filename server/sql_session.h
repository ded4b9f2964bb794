// SqlSession: one client connection's SQL front door. Parses a query string, runs reads
// on the worker pool against the latest published step, and hands writes to the engine,
// continuing with the next statement when the engine reports the write's step durable.
// No thread ever blocks waiting for the writer.
#pragma once

#include <utility>
#include <boost/asio/thread_pool.hpp>

#include "protocol/backend.h"
#include "server/engine.h"

namespace server {

class SqlSession final : public protocol::Session {
 public:
  SqlSession(Engine& engine, boost::asio::thread_pool& pool) : engine_(engine), pool_(pool) {}

  void SimpleQuery(std::string sql,
                   std::function<void(std::vector<protocol::StatementResult>)> done) override;
  char TransactionStatus() const override { return 'I'; }

 private:
  Engine& engine_;
  boost::asio::thread_pool& pool_;
};

// Runs a read-only statement (SELECT, EXPLAIN) against a published step.
protocol::StatementResult ExecuteRead(const sql::ParsedStatement& statement,
                                      const PublishedState& state);

// The Backend: validates the startup and opens SqlSessions.
class SqlBackend final : public protocol::Backend {
 public:
  SqlBackend(Engine& engine, boost::asio::thread_pool& pool) : engine_(engine), pool_(pool) {}

  std::unique_ptr<protocol::Session> Connect(const protocol::StartupInfo& startup) override;
  std::vector<std::pair<std::string, std::string>> ServerParameters() const override;

 private:
  Engine& engine_;
  boost::asio::thread_pool& pool_;
};

}  // namespace server
