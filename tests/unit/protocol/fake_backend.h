// A test double of the engine for protocol tests. Statements are split on ';':
// "select" gives 2 columns and 2 rows (answered from another thread), "big" 100000 rows,
// "create" a command, "begin"/"commit" move the transaction status, "throw" makes
// SimpleQuery throw, "bad" and anything else fail with 42601. User "nobody" is refused.
// The extended protocol runs the same statements: Parse keeps the text, Execute runs it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ivm/error.h"
#include "protocol/backend.h"

namespace protocol::testing {

inline std::string Trim(std::string text) {
  const char* space = " \t\r\n";
  const size_t begin = text.find_first_not_of(space);
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

class FakeBackend;

class FakeSession : public Session {
 public:
  explicit FakeSession(FakeBackend& backend) : backend_(backend) {}
  void SimpleQuery(std::string sql,
                   std::function<void(std::vector<StatementResult>)> done) override;
  void Extended(std::vector<ExtendedMessage> messages,
                std::function<void(std::vector<ExtendedReply>)> done) override;
  char TransactionStatus() const override { return status_; }

 private:
  StatementResult Run(const std::string& statement);

  FakeBackend& backend_;
  char status_ = 'I';
  std::map<std::string, std::string> statements_;  // name -> text
  std::map<std::string, std::string> portals_;     // name -> text
  bool skipping_ = false;
};

class FakeBackend : public Backend {
 public:
  ~FakeBackend() override {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::thread& worker : workers_) worker.join();
  }

  std::unique_ptr<Session> Connect(const StartupInfo& startup) override {
    if (startup.user == "nobody") {
      throw ivm::Error(ivm::sqlstate::kInvalidAuthorization, "role \"nobody\" does not exist");
    }
    if (startup.database != "tributary") {
      throw ivm::Error(ivm::sqlstate::kInvalidCatalogName,
                       "database \"" + startup.database + "\" does not exist");
    }
    return std::make_unique<FakeSession>(*this);
  }

  std::vector<std::pair<std::string, std::string>> ServerParameters() const override {
    return {{"server_version", "15.0"},  {"server_encoding", "UTF8"},
            {"client_encoding", "UTF8"}, {"DateStyle", "ISO, MDY"},
            {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"},
            {"TimeZone", "UTC"},         {"application_name", ""}};
  }

  // Completes `done` on a fresh thread, as the real engine may.
  void CompleteElsewhere(std::function<void(std::vector<StatementResult>)> done,
                         std::vector<StatementResult> results) {
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([done = std::move(done), results = std::move(results)]() mutable {
      done(std::move(results));
    });
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> workers_;
};

inline StatementResult FakeSession::Run(const std::string& statement) {
  StatementResult result;
  if (statement == "select" || statement == "big") {
    result.kind = StatementResult::Kind::kRows;
    result.fields.resize(2);
    result.fields[0].name = "a";
    result.fields[0].type_oid = 23;  // int4
    result.fields[0].type_size = 4;
    result.fields[1].name = "b";
    result.fields[1].type_oid = 25;  // text
    if (statement == "select") {
      result.rows = {{"1", "one"}, {"2", std::nullopt}};
    } else {
      for (int i = 0; i < 100000; ++i) result.rows.push_back({std::to_string(i), "row"});
    }
    result.command_tag = "SELECT " + std::to_string(result.rows.size());
  } else if (statement == "create") {
    result.command_tag = "CREATE TABLE";
  } else if (statement == "begin") {
    result.command_tag = "BEGIN";
    status_ = 'T';
  } else if (statement == "commit") {
    result.command_tag = "COMMIT";
    status_ = 'I';
  } else {
    result.kind = StatementResult::Kind::kError;
    result.error = ivm::Error(ivm::sqlstate::kSyntaxError,
                              "syntax error at or near \"" + statement + "\"", "", "Try select.");
  }
  return result;
}

inline void FakeSession::SimpleQuery(std::string sql,
                                     std::function<void(std::vector<StatementResult>)> done) {
  std::vector<StatementResult> results;
  bool elsewhere = false;
  size_t start = 0;
  while (start <= sql.size()) {
    size_t end = sql.find(';', start);
    if (end == std::string::npos) end = sql.size();
    const std::string statement = Trim(sql.substr(start, end - start));
    start = end + 1;
    if (statement.empty()) continue;
    if (statement == "throw") throw ivm::Error(ivm::sqlstate::kInternalError, "engine threw");
    if (statement == "select") elsewhere = true;
    results.push_back(Run(statement));
    if (results.back().kind == StatementResult::Kind::kError) break;
  }
  if (results.empty()) {
    results.emplace_back();
    results.back().kind = StatementResult::Kind::kEmptyQuery;
  }
  if (elsewhere) {
    backend_.CompleteElsewhere(std::move(done), std::move(results));
  } else {
    done(std::move(results));
  }
}

inline void FakeSession::Extended(std::vector<ExtendedMessage> messages,
                                  std::function<void(std::vector<ExtendedReply>)> done) {
  std::vector<ExtendedReply> replies;
  auto reply = [&](ExtendedReply::Kind kind) -> ExtendedReply& {
    replies.emplace_back();
    replies.back().kind = kind;
    return replies.back();
  };
  for (const ExtendedMessage& m : messages) {
    if (m.kind == ExtendedMessage::Kind::kSync) {
      skipping_ = false;
      reply(ExtendedReply::Kind::kReadyForQuery).transaction_status = status_;
      continue;
    }
    if (skipping_) continue;
    switch (m.kind) {
      case ExtendedMessage::Kind::kParse:
        statements_[m.name] = Trim(m.query);
        reply(ExtendedReply::Kind::kParseComplete);
        break;
      case ExtendedMessage::Kind::kBind:
        portals_[m.name] = statements_[m.statement];
        reply(ExtendedReply::Kind::kBindComplete);
        break;
      case ExtendedMessage::Kind::kDescribe: {
        const std::string& text = m.target == 'S' ? statements_[m.name] : portals_[m.name];
        if (m.target == 'S') reply(ExtendedReply::Kind::kParameterDescription);
        StatementResult probe = Run(text);
        if (probe.kind == StatementResult::Kind::kRows) {
          reply(ExtendedReply::Kind::kRowDescription).fields = probe.fields;
        } else {
          reply(ExtendedReply::Kind::kNoData);
        }
        break;
      }
      case ExtendedMessage::Kind::kExecute: {
        StatementResult r = Run(portals_[m.name]);
        skipping_ = r.kind == StatementResult::Kind::kError;
        reply(ExtendedReply::Kind::kResult).result = std::move(r);
        break;
      }
      case ExtendedMessage::Kind::kClose:
        (m.target == 'S' ? statements_ : portals_).erase(m.name);
        reply(ExtendedReply::Kind::kCloseComplete);
        break;
      case ExtendedMessage::Kind::kSync:
        break;
    }
  }
  done(std::move(replies));
}

}  // namespace protocol::testing
