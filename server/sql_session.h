// SqlSession: one client connection's SQL front door. Parses a query string on the worker
// pool; a string of reads runs there against the latest published step, a string with a
// write goes to the engine as one transaction. No thread ever blocks waiting for the writer.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <utility>

#include "protocol/backend.h"
#include "server/engine.h"
#include "server/parse_cache.h"
#include "server/session_settings.h"

namespace server {

class SqlSession final : public protocol::Session {
 public:
  SqlSession(Engine& engine, boost::asio::thread_pool& pool, ParseCache& parses,
             SessionSettings settings)
      : engine_(engine),
        pool_(pool),
        parses_(parses),
        settings_(std::make_shared<SessionSettings>(std::move(settings))) {}

  void SimpleQuery(std::string sql,
                   std::function<void(std::vector<protocol::StatementResult>)> done) override;
  char TransactionStatus() const override { return 'I'; }
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override {
    return settings_->Reported();
  }

 private:
  Engine& engine_;
  boost::asio::thread_pool& pool_;
  ParseCache& parses_;
  // Shared with the statements running on the pool; one query string at a time.
  std::shared_ptr<SessionSettings> settings_;
};

// The Backend: validates the startup and opens SqlSessions.
class SqlBackend final : public protocol::Backend {
 public:
  SqlBackend(Engine& engine, boost::asio::thread_pool& pool) : engine_(engine), pool_(pool) {}

  std::unique_ptr<protocol::Session> Connect(const protocol::StartupInfo& startup) override;
  std::vector<std::pair<std::string, std::string>> ServerParameters() const override;

  const ParseCache& parses() const { return parses_; }

 private:
  Engine& engine_;
  boost::asio::thread_pool& pool_;
  ParseCache parses_;  // shared by every session: repeated query text skips ANTLR
};

}  // namespace server
