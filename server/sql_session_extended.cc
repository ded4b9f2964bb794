// The extended query protocol of SqlSession: Parse, Bind, Describe, Execute, Close and
// Sync over the session's prepared statements and portals (docs/wire-protocol.md).
#include <boost/asio/post.hpp>
#include <set>

#include "server/pg_binary.h"
#include "server/read_executor.h"
#include "server/session_state.h"
#include "sql/parser.h"

namespace server {
namespace session {

using protocol::ExtendedMessage;
using protocol::ExtendedReply;
using protocol::StatementResult;
using State = SqlSession::State;

namespace {

struct ExtendedRun {
  std::shared_ptr<State> st;
  std::vector<ExtendedMessage> messages;
  size_t next = 0;
  std::vector<ExtendedReply> replies;
  std::function<void(std::vector<ExtendedReply>)> done;

  void Reply(ExtendedReply::Kind kind) {
    replies.emplace_back();
    replies.back().kind = kind;
  }
  void Fail(StatementResult error) {
    replies.emplace_back();
    replies.back().result = std::move(error);
    st->skipping = true;
    if (st->block == State::Block::kOpen) st->block = State::Block::kFailed;
  }
};

std::string StatementLabel(const std::string& name) {
  return name.empty() ? "unnamed prepared statement" : "prepared statement \"" + name + "\"";
}

void Parse(State& st, const ExtendedMessage& m) {
  if (!m.name.empty() && st.statements.count(m.name)) {
    throw ivm::Error(ivm::sqlstate::kDuplicatePreparedStatement,
                     "prepared statement \"" + m.name + "\" already exists");
  }
  auto prepared = std::make_shared<Prepared>();
  prepared->parsed = st.parses.Parse(m.query);
  if (prepared->parsed->size() > 1) {
    throw ivm::Error(ivm::sqlstate::kSyntaxError,
                     "cannot insert multiple commands into a prepared statement");
  }
  std::vector<ivm::Type> declared;
  for (uint32_t oid : m.parameter_types) {
    declared.push_back(oid == 0 ? ivm::Type::Of(ivm::TypeId::kUnknown) : TypeFromOid(oid));
  }
  if (!prepared->parsed->empty()) {
    prepared->statement = &prepared->parsed->front();
    const sql::Statement& s = prepared->statement->statement;
    if (st.block == State::Block::kFailed && !IsTransactionControl(s)) throw Aborted();
    std::shared_ptr<const PublishedState> published = st.engine.Published();
    if (auto* select = std::get_if<sql::SelectStmt>(&s)) {
      prepared->plan = st.plans.Get(prepared->statement->text, *select, published->catalog,
                                    declared);
      prepared->parameter_types = prepared->plan->parameter_types;
    } else {
      prepared->parameter_types = InferParameterTypes(s, published->catalog, declared);
    }
  }
  st.statements[m.name] = std::move(prepared);
}

const std::shared_ptr<const Prepared>& FindStatement(State& st, const std::string& name) {
  auto it = st.statements.find(name);
  if (it == st.statements.end()) {
    throw ivm::Error(ivm::sqlstate::kInvalidSqlStatementName,
                     StatementLabel(name) + " does not exist");
  }
  return it->second;
}

Portal& FindPortal(State& st, const std::string& name) {
  auto it = st.portals.find(name);
  if (it == st.portals.end()) {
    throw ivm::Error(ivm::sqlstate::kInvalidCursorName,
                     "portal \"" + name + "\" does not exist");
  }
  return it->second;
}

void Bind(State& st, const ExtendedMessage& m) {
  std::shared_ptr<const Prepared> prepared = FindStatement(st, m.statement);
  if (st.block == State::Block::kFailed &&
      (!prepared->statement || !IsTransactionControl(prepared->statement->statement))) {
    throw Aborted();
  }
  if (!m.name.empty() && st.portals.count(m.name)) {
    throw ivm::Error(ivm::sqlstate::kDuplicateCursor,
                     "cursor \"" + m.name + "\" already exists");
  }
  const std::vector<ivm::Type>& types = prepared->parameter_types;
  if (m.parameters.size() != types.size()) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                     "bind message supplies " + std::to_string(m.parameters.size()) +
                         " parameters, but " + StatementLabel(m.statement) + " requires " +
                         std::to_string(types.size()));
  }
  if (m.parameter_formats.size() > 1 && m.parameter_formats.size() != types.size()) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                     "bind message has " + std::to_string(m.parameter_formats.size()) +
                         " parameter formats but " + std::to_string(types.size()) +
                         " parameters");
  }
  Portal portal;
  portal.prepared = prepared;
  portal.result_formats = m.result_formats;
  for (size_t i = 0; i < types.size(); ++i) {
    const int16_t format = m.parameter_formats.empty()       ? 0
                           : m.parameter_formats.size() == 1 ? m.parameter_formats[0]
                                                             : m.parameter_formats[i];
    portal.parameters.push_back(DecodeParameter(m.parameters[i], format, types[i]));
  }
  if (prepared->plan) {
    std::vector<protocol::FieldDescription> fields = prepared->plan->fields;
    ApplyResultFormats(portal.result_formats, &fields);  // checks the count now, as PG does
  }
  st.portals[m.name] = std::move(portal);
}

// The statement of a portal with its parameter values, as the engine takes it.
sql::ParsedStatement WithParameters(const Prepared& prepared,
                                    const std::vector<ivm::Value>& values) {
  sql::ParsedStatement stmt = *prepared.statement;
  stmt.parameter_types = prepared.parameter_types;
  stmt.parameter_values = values;
  return stmt;
}

// Describe of a row-returning statement that is not a SELECT (SHOW, EXPLAIN ...): its
// fields are known only by running it, which for these reads is cheap and harmless.
std::optional<StatementResult> RunForDescription(State& st, const sql::ParsedStatement& stmt) {
  if (!ReturnsRows(stmt.statement)) return std::nullopt;
  std::shared_ptr<const PublishedState> published =
      st.snapshot ? st.snapshot : st.engine.Published();
  StatementResult r = Read(st, stmt, nullptr, *published);
  if (r.kind != StatementResult::Kind::kRows) return std::nullopt;
  return r;
}

void Describe(State& st, const ExtendedMessage& m, ExtendedRun& run) {
  if (m.target == 'S') {
    const Prepared& prepared = *FindStatement(st, m.name);
    run.Reply(ExtendedReply::Kind::kParameterDescription);
    for (const ivm::Type& t : prepared.parameter_types) {
      run.replies.back().parameter_types.push_back(ivm::TypeOid(t.id));
    }
    std::optional<StatementResult> shown;
    if (prepared.plan) {
      run.Reply(ExtendedReply::Kind::kRowDescription);
      run.replies.back().fields = prepared.plan->fields;
    } else if (prepared.statement &&
               (shown = RunForDescription(st, WithParameters(prepared, {})))) {
      run.Reply(ExtendedReply::Kind::kRowDescription);
      run.replies.back().fields = shown->fields;
    } else {
      run.Reply(ExtendedReply::Kind::kNoData);
    }
    return;
  }
  Portal& portal = FindPortal(st, m.name);
  const Prepared& prepared = *portal.prepared;
  std::vector<protocol::FieldDescription> fields;
  if (prepared.plan) {
    fields = prepared.plan->fields;
  } else if (prepared.statement && !portal.result) {
    // Run it now; Execute then sends what it found.
    if (auto r = RunForDescription(st, WithParameters(prepared, portal.parameters))) {
      ApplyResultFormats(portal.result_formats, &*r);
      portal.result = std::move(r);
    }
  }
  if (portal.result && portal.result->kind == StatementResult::Kind::kRows) {
    fields = portal.result->fields;
  } else if (!prepared.plan) {
    run.Reply(ExtendedReply::Kind::kNoData);
    return;
  }
  ApplyResultFormats(portal.result_formats, &fields);
  run.Reply(ExtendedReply::Kind::kRowDescription);
  run.replies.back().fields = std::move(fields);
}

void Close(State& st, const ExtendedMessage& m, ExtendedRun& run) {
  // Closing something that does not exist is not an error.
  if (m.target == 'S') {
    st.statements.erase(m.name);
  } else {
    st.portals.erase(m.name);
  }
  run.Reply(ExtendedReply::Kind::kCloseComplete);
}

// Sends the next `max_rows` (0: all) rows of a portal that has run, or its outcome.
void SendPortal(Portal& portal, int32_t max_rows, ExtendedRun& run) {
  StatementResult& result = *portal.result;
  if (result.kind == StatementResult::Kind::kError) {
    run.Fail(result);
    return;
  }
  run.replies.emplace_back();
  ExtendedReply& reply = run.replies.back();
  if (result.kind != StatementResult::Kind::kRows) {
    reply.result = result;
    return;
  }
  if (result.more_rows) {
    // Made as it is sent (Execute of all its rows): the rows so far and the source of the
    // rest go to the connection; the portal is then done, as one run to completion is.
    reply.result.kind = StatementResult::Kind::kRows;
    reply.result.rows = std::move(result.rows);
    reply.result.more_rows = std::move(result.more_rows);
    result.rows.clear();
    result.more_rows = nullptr;
    portal.sent = 0;
    return;
  }
  const size_t remaining = result.rows.size() - portal.sent;
  const size_t n = max_rows > 0 ? std::min<size_t>(static_cast<size_t>(max_rows), remaining)
                                : remaining;
  reply.result.kind = StatementResult::Kind::kRows;
  reply.result.rows.assign(std::make_move_iterator(result.rows.begin() + portal.sent),
                           std::make_move_iterator(result.rows.begin() + portal.sent + n));
  portal.sent += n;
  if (portal.sent < result.rows.size()) {
    reply.kind = ExtendedReply::Kind::kPortalSuspended;
  } else {
    reply.result.command_tag = "SELECT " + std::to_string(n);
  }
}

void ContinueExtended(const std::shared_ptr<ExtendedRun>& run);

// Whether an Execute of all of a portal's rows, outside a transaction block, is the last
// statement of its run: only a Sync follows, which ends the implicit transaction. Its rows
// may then be made as they are sent, after the run (Streaming). A run that ends without
// one could be followed by messages that must see the statement's outcome first.
bool SentAlone(const ExtendedRun& run, const ExtendedMessage& execute) {
  if (execute.max_rows != 0 || run.st->block != State::Block::kNone) return false;
  if (run.next >= run.messages.size()) return false;
  for (size_t i = run.next; i < run.messages.size(); ++i) {
    if (run.messages[i].kind != ExtendedMessage::Kind::kSync) return false;
  }
  return true;
}

// Returns false when the portal runs asynchronously and the run continues in its callback.
bool Execute(const std::shared_ptr<ExtendedRun>& run, const ExtendedMessage& m) {
  State& st = *run->st;
  Portal& portal = FindPortal(st, m.name);
  if (portal.result) {
    SendPortal(portal, m.max_rows, *run);
    return true;
  }
  const Prepared& prepared = *portal.prepared;
  if (!prepared.statement) {
    StatementResult empty;
    empty.kind = StatementResult::Kind::kEmptyQuery;
    portal.result = std::move(empty);
    SendPortal(portal, m.max_rows, *run);
    return true;
  }
  const std::string name = m.name;
  const int32_t max_rows = m.max_rows;
  auto finish = [run, name, max_rows](StatementResult r) {
    auto it = run->st->portals.find(name);
    if (it == run->st->portals.end()) return;  // DISCARD ALL dropped it
    try {
      ApplyResultFormats(it->second.result_formats, &r);
    } catch (const ivm::Error& e) {
      r = ErrorResult(e);
    }
    it->second.result = std::move(r);
    SendPortal(it->second, max_rows, *run);
  };
  std::optional<StatementResult> r = ExecuteStatement(
      run->st, WithParameters(prepared, portal.parameters), prepared.plan.get(),
      [run, finish](StatementResult result) {
        finish(std::move(result));
        ContinueExtended(run);
      },
      SentAlone(*run, m));
  if (!r) return false;
  finish(std::move(*r));
  return true;
}

void ContinueExtended(const std::shared_ptr<ExtendedRun>& run) {
  State& st = *run->st;
  while (run->next < run->messages.size()) {
    const ExtendedMessage& m = run->messages[run->next++];
    if (m.kind == ExtendedMessage::Kind::kSync) {
      st.skipping = false;
      // Outside a transaction block a Sync ends the implicit transaction, and its portals
      // with it, as in PostgreSQL: a result the client left unfetched (Execute with a row
      // limit) is not held on to.
      if (st.block == State::Block::kNone) st.portals.clear();
      run->Reply(ExtendedReply::Kind::kReadyForQuery);
      run->replies.back().transaction_status = st.Status();
      continue;
    }
    if (st.skipping) continue;
    try {
      switch (m.kind) {
        case ExtendedMessage::Kind::kParse:
          Parse(st, m);
          run->Reply(ExtendedReply::Kind::kParseComplete);
          break;
        case ExtendedMessage::Kind::kBind:
          Bind(st, m);
          run->Reply(ExtendedReply::Kind::kBindComplete);
          break;
        case ExtendedMessage::Kind::kDescribe:
          Describe(st, m, *run);
          break;
        case ExtendedMessage::Kind::kClose:
          Close(st, m, *run);
          break;
        case ExtendedMessage::Kind::kExecute:
          if (!Execute(run, m)) return;  // resumes from the statement's completion
          break;
        case ExtendedMessage::Kind::kSync:
          break;
      }
    } catch (const ivm::Error& e) {
      run->Fail(ErrorResult(e));
    }
  }
  run->done(std::move(run->replies));
}

// Whether a run may go on the calling thread (the connection's I/O thread): binds and
// executions of prepared key lookups outside a transaction block, with their plans still
// valid, and of prepared writes in a session with synchronous_commit off. A lookup is one
// point read, cheaper than handing the run to the pool and back (two thread wake-ups,
// which dominate its cost); a small write runs in place too when the writer is idle
// (Engine::RunInPlace), and any other goes on on the pool once the writer answers.
bool RunsInline(const State& st, const std::vector<ExtendedMessage>& messages) {
  if (st.block != State::Block::kNone || st.skipping || st.copy_in) return false;
  std::shared_ptr<const PublishedState> published;
  std::set<std::string> bound;  // portals this run binds
  for (const ExtendedMessage& m : messages) {
    switch (m.kind) {
      case ExtendedMessage::Kind::kSync:
        break;
      case ExtendedMessage::Kind::kDescribe:
      case ExtendedMessage::Kind::kExecute:
        if (m.kind == ExtendedMessage::Kind::kExecute || m.target == 'P') {
          if (!bound.count(m.name)) return false;
        }
        break;
      case ExtendedMessage::Kind::kBind: {
        auto it = st.statements.find(m.statement);
        if (it == st.statements.end()) return false;
        const Prepared& prepared = *it->second;
        if (!prepared.plan) {
          if (!prepared.statement || st.settings.SynchronousCommit() ||
              !sql::IsDml(prepared.statement->statement)) {
            return false;
          }
        } else {
          if (!prepared.plan->key_lookup) return false;
          if (!published) published = st.engine.Published();
          if (!prepared.plan->ValidFor(published->catalog)) return false;
        }
        bound.insert(m.name);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

void RunExtended(const std::shared_ptr<State>& st, std::vector<ExtendedMessage> messages,
                 std::function<void(std::vector<ExtendedReply>)> done) {
  auto run = std::make_shared<ExtendedRun>();
  run->st = st;
  run->messages = std::move(messages);
  run->done = std::move(done);
  if (RunsInline(*st, run->messages)) {
    ContinueExtended(run);
    return;
  }
  boost::asio::post(st->pool, [run] { ContinueExtended(run); });
}

}  // namespace session
}  // namespace server
