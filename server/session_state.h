// The state of one SqlSession and the pieces of its statement execution that the
// protocol front ends share: sql_session.cc (simple query protocol, COPY, transactions)
// and sql_session_extended.cc (the extended query protocol). Internal to server/.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/copy/copy_in.h"
#include "server/sql_session.h"

namespace server {

using Done = std::function<void(protocol::StatementResult)>;

// A prepared statement: parsed once; its parameter types fixed at Parse; a SELECT's plan
// bound then and again only when DDL changes the catalog.
struct Prepared {
  std::shared_ptr<const ParseCache::Statements> parsed;  // owns *statement
  const sql::ParsedStatement* statement = nullptr;       // null: an empty query string
  std::vector<ivm::Type> parameter_types;
  std::shared_ptr<const ReadPlan> plan;  // SELECT only
};

// A bound statement, ready to run; once run, its result and how many rows were sent.
struct Portal {
  std::shared_ptr<const Prepared> prepared;
  std::vector<ivm::Value> parameters;
  std::vector<int16_t> result_formats;
  std::optional<protocol::StatementResult> result;
  size_t sent = 0;
};

struct SqlSession::State {
  State(Engine& e, boost::asio::thread_pool& p, ParseCache& pc, PlanCache& pl, SessionSettings s,
        std::string r)
      : engine(e), pool(p), parses(pc), plans(pl), settings(std::move(s)), role(std::move(r)) {}

  enum class Block { kNone, kOpen, kFailed };

  Engine& engine;
  boost::asio::thread_pool& pool;
  ParseCache& parses;
  PlanCache& plans;
  SessionSettings settings;
  SessionIdentity identity;
  const std::string role;  // checked at every execution, against that step's catalog

  std::map<std::string, std::shared_ptr<const Prepared>> statements;  // "" is the unnamed one
  std::map<std::string, Portal> portals;

  Block block = Block::kNone;
  bool read_only = false;
  std::shared_ptr<const PublishedState> snapshot;  // a block's reads, pinned at its first
  std::vector<sql::ParsedStatement> writes;        // a block's writes, applied at COMMIT
  std::vector<std::string> reported;               // the command tag each write reported
  bool skipping = false;  // extended protocol: after an error, discard until Sync
  // Set by a CancelRequest; cleared when a statement starts, so it cancels only the
  // statement running when it arrives.
  std::atomic<bool> cancel{false};
  std::unique_ptr<CopyIn> copy_in;  // a COPY FROM STDIN receiving its data

  char Status() const {
    return block == Block::kNone ? 'I' : block == Block::kOpen ? 'T' : 'E';
  }
  void EndBlock() {
    block = Block::kNone;
    read_only = false;
    snapshot.reset();
    writes.clear();
    reported.clear();
  }
  void OpenBlock(bool is_read_only) {
    EndBlock();
    block = Block::kOpen;
    read_only = is_read_only;
  }
};

namespace session {

bool IsTransactionControl(const sql::Statement& s);
// Statements other than SELECT that answer with rows.
bool ReturnsRows(const sql::Statement& s);
// 25P02: a statement inside a failed transaction block.
ivm::Error Aborted();

// What a read needs to send a large SELECT's rows as they are made: the session and the
// published state it reads, kept until the last rows are sent. Only for a SELECT outside a
// transaction block that nothing runs after until its rows are out: alone in a simple query,
// or an extended-protocol Execute of all its rows that only a Sync follows.
struct Streaming {
  std::shared_ptr<SqlSession::State> st;
  std::shared_ptr<const PublishedState> published;
};

// A read against `published`: a SELECT through its plan (the given one, or the cache's),
// anything else through ExecuteRead. With `streaming` (whose `published` it must be), a
// SELECT whose rows can be made a chunk at a time (QueryStream) answers with the first
// rows and StatementResult::more_rows.
protocol::StatementResult Read(SqlSession::State& st, const sql::ParsedStatement& stmt,
                               const ReadPlan* plan, const PublishedState& published,
                               const Streaming* streaming = nullptr);

// Runs one statement in the session's transaction context, with the plan of a prepared
// SELECT when there is one. Returns the result if it is ready at once; otherwise returns
// nothing and `done` gets it later, on the pool. An error inside a block fails the block.
// `lone`: nothing runs in the session after this statement until its result is sent, so a
// SELECT outside a block may send its rows as they are made (Streaming).
std::optional<protocol::StatementResult> ExecuteStatement(
    const std::shared_ptr<SqlSession::State>& st, const sql::ParsedStatement& stmt,
    const ReadPlan* plan, Done done, bool lone = false);

// Runs a batch of extended-protocol messages on the pool; `done` gets the replies.
void RunExtended(const std::shared_ptr<SqlSession::State>& st,
                 std::vector<protocol::ExtendedMessage> messages,
                 std::function<void(std::vector<protocol::ExtendedReply>)> done);

}  // namespace session
}  // namespace server
