#include "server/sql_session.h"

#include <boost/asio/post.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>

#include "ivm/expression.h"
#include "ivm/interrupt.h"
#include "server/copy/copy_in.h"
#include "server/copy/copy_to.h"
#include "server/pg_binary.h"
#include "server/privileges.h"
#include "server/read_executor.h"
#include "sql/parser.h"

namespace server {

using protocol::ExtendedMessage;
using protocol::ExtendedReply;
using protocol::StatementResult;

namespace {

using Done = std::function<void(StatementResult)>;

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
  std::optional<StatementResult> result;
  size_t sent = 0;
};

bool IsTransactionControl(const sql::Statement& s) {
  return std::holds_alternative<sql::TransactionStmt>(s) ||
         std::holds_alternative<sql::DiscardStmt>(s);
}

bool IsSessionStatement(const sql::Statement& s) {
  return std::holds_alternative<sql::SetStmt>(s) || std::holds_alternative<sql::ShowStmt>(s);
}

// Statements other than SELECT that answer with rows.
bool ReturnsRows(const sql::Statement& s) {
  if (auto* control = std::get_if<sql::RoutineLoadControlStmt>(&s)) {
    return control->action == sql::RoutineLoadControlStmt::Action::kShow;
  }
  return std::holds_alternative<sql::ExplainStmt>(s) || std::holds_alternative<sql::VerifyStmt>(s) ||
         std::holds_alternative<sql::ShowStmt>(s);
}

// An error of the engine itself (shutdown, I/O, internal) rather than of a statement.
bool IsEngineFailure(const ivm::Error& e) {
  const std::string& code = e.sqlstate();
  return code.rfind("57", 0) == 0 || code.rfind("58", 0) == 0 || code.rfind("XX", 0) == 0;
}

// "INSERT", "CREATE" ...: the command a statement's text starts with, for messages.
std::string CommandWord(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n(");
  if (begin == std::string::npos) return "";
  size_t end = begin;
  while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
  std::string word = text.substr(begin, end - begin);
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

ivm::Error Aborted() {
  return ivm::Error(ivm::sqlstate::kInFailedSqlTransaction,
                    "current transaction is aborted, commands ignored until end of transaction "
                    "block");
}

// The reported parameters whose values differ between two settings, as ParameterStatus.
std::vector<std::pair<std::string, std::string>> ChangedParameters(const SessionSettings& before,
                                                                   const SessionSettings& after) {
  std::map<std::string, std::string> old;
  for (const auto& [name, value] : before.Reported()) old[name] = value;
  std::vector<std::pair<std::string, std::string>> changed;
  for (const auto& [name, value] : after.Reported()) {
    if (old[name] != value) changed.emplace_back(name, value);
  }
  return changed;
}

}  // namespace

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

namespace {

using State = SqlSession::State;

// Runs `fn` on the pool: engine completions arrive on the writer thread, which must never
// run session work.
void OnPool(State& st, std::function<void()> fn) { boost::asio::post(st.pool, std::move(fn)); }

// A read against `published`: a SELECT through its plan (the given one, or the cache's),
// anything else through ExecuteRead.
StatementResult Read(State& st, const sql::ParsedStatement& stmt, const ReadPlan* plan,
                     const PublishedState& published) {
  const int64_t timeout_ms = st.settings.StatementTimeoutMs();
  ivm::InterruptScope interrupt(&st.cancel,
                                timeout_ms > 0 ? ivm::InterruptScope::Clock::now() +
                                                     std::chrono::milliseconds(timeout_ms)
                                               : ivm::InterruptScope::Clock::time_point::max());
  QueryContext context(*published.catalog, st.identity, st.settings);
  QueryContextScope scope(&context);
  try {
    if (auto* show = std::get_if<sql::ShowStmt>(&stmt.statement)) return st.settings.Show(*show);
    if (auto* copy = std::get_if<sql::CopyStmt>(&stmt.statement)) {
      if (copy->from) {
        throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                         "COPY FROM STDIN must be sent as a simple query of its own", "",
                         "psql's \\copy, psycopg's cursor.copy() and pgjdbc's CopyManager do.");
      }
      CheckStatement(*published.catalog, st.role, stmt.statement);
      return RunCopyTo(*copy, *published.catalog, *published.snapshot);
    }
    if (auto* select = std::get_if<sql::SelectStmt>(&stmt.statement)) {
      std::shared_ptr<const ReadPlan> fresh;
      if (!plan || !plan->ValidFor(published.catalog)) {
        fresh = st.plans.Get(stmt.text, *select, published.catalog, stmt.parameter_types);
        plan = fresh.get();
      }
      CheckSelectPlan(*published.catalog, st.role, *plan->bound.plan);
      return ExecuteReadPlan(*plan, stmt.parameter_values, *published.catalog,
                             *published.snapshot);
    }
    std::optional<ivm::ParameterTyping> typing;
    if (!stmt.parameter_types.empty()) typing.emplace(stmt.parameter_types);
    ivm::ParameterValues values(&stmt.parameter_values);
    CheckStatement(*published.catalog, st.role, stmt.statement);
    return ExecuteRead(stmt, *published.catalog, *published.snapshot);
  } catch (const ivm::Error& e) {
    return ErrorResult(e);
  }
}

StatementResult ApplySet(State& st, const sql::SetStmt& set) {
  SessionSettings before = st.settings;
  st.settings.Apply(set);
  StatementResult r = CommandResult(set.reset ? "RESET" : "SET");
  r.parameter_status = ChangedParameters(before, st.settings);
  return r;
}

StatementResult Discard(State& st, const sql::DiscardStmt& discard) {
  if (st.block != State::Block::kNone) {
    throw ivm::Error(ivm::sqlstate::kActiveSqlTransaction,
                     "DISCARD ALL cannot run inside a transaction block");
  }
  if (discard.what != "all" && discard.what != "plans" && discard.what != "temp" &&
      discard.what != "temporary" && discard.what != "sequences") {
    throw ivm::Error(ivm::sqlstate::kSyntaxError,
                     "syntax error at or near \"" + discard.what + "\"");
  }
  std::string tag = "DISCARD " + std::string(discard.what == "temporary" ? "TEMP" : "");
  if (discard.what == "all") {
    st.statements.clear();
    st.portals.clear();
    sql::SetStmt reset_all;
    reset_all.name = "all";
    reset_all.to_default = reset_all.reset = true;
    StatementResult r = ApplySet(st, reset_all);
    r.command_tag = "DISCARD ALL";
    return r;
  }
  for (char c : discard.what) tag += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return CommandResult(tag);
}

// COMMIT: the block's writes run again, for real, in one transaction. Each must do what it
// reported; otherwise something changed underneath and the engine refuses the whole block.
std::optional<StatementResult> Commit(const std::shared_ptr<State>& st, bool chain, Done done) {
  if (st->block == State::Block::kFailed) {
    st->EndBlock();
    return CommandResult("ROLLBACK");
  }
  if (st->writes.empty()) {
    const bool read_only = st->read_only;
    st->EndBlock();
    if (chain) st->OpenBlock(read_only);
    return CommandResult("COMMIT");
  }
  std::vector<sql::ParsedStatement> writes = std::move(st->writes);
  std::vector<std::string> reported = std::move(st->reported);
  const bool read_only = st->read_only;
  st->EndBlock();
  SubmitOptions options;
  options.expected_tags = std::move(reported);
  options.role = st->role;
  st->engine.Submit(
      std::move(writes),
      [st, chain, read_only, done = std::move(done)](TransactionResults results) {
        OnPool(*st, [st, results = std::move(results), chain, read_only, done]() {
          StatementResult outcome = CommandResult("COMMIT");
          if (!results.empty() && results.back().kind == StatementResult::Kind::kError) {
            outcome = results.back();
            // A statement that now fails where its dry run succeeded: a concurrent change.
            if (!IsEngineFailure(*outcome.error) &&
                outcome.error->sqlstate() != ivm::sqlstate::kSerializationFailure) {
              outcome = ErrorResult(ivm::Error(
                  ivm::sqlstate::kSerializationFailure,
                  "could not serialize access due to concurrent update",
                  "At COMMIT, statement " + std::to_string(results.size()) +
                      " of the transaction failed: " + outcome.error->message(),
                  "Nothing of the transaction was applied; retry it."));
            }
          }
          if (chain && outcome.kind != StatementResult::Kind::kError) st->OpenBlock(read_only);
          done(std::move(outcome));
        });
      },
      std::move(options));
  return std::nullopt;
}

std::optional<StatementResult> TransactionControl(const std::shared_ptr<State>& st,
                                                  const sql::TransactionStmt& t, Done done) {
  switch (t.kind) {
    case sql::TransactionStmt::Kind::kBegin:
      // PostgreSQL warns and carries on when a block is already open.
      if (st->block == State::Block::kNone) st->OpenBlock(t.read_only);
      return CommandResult("BEGIN");
    case sql::TransactionStmt::Kind::kCommit:
      if (st->block == State::Block::kNone) return CommandResult("COMMIT");
      return Commit(st, t.chain, std::move(done));
    case sql::TransactionStmt::Kind::kRollback: {
      const bool was_open = st->block != State::Block::kNone, read_only = st->read_only;
      st->EndBlock();
      if (t.chain && was_open) st->OpenBlock(read_only);
      return CommandResult("ROLLBACK");
    }
  }
  return CommandResult("BEGIN");
}

// Runs one statement in the session's transaction context, with the plan of a prepared
// SELECT when there is one. Returns the result if it is ready at once; otherwise returns
// nothing and `done` gets it later, on the pool. An error inside a block fails the block.
std::optional<StatementResult> ExecuteStatement(const std::shared_ptr<State>& st,
                                                const sql::ParsedStatement& stmt,
                                                const ReadPlan* plan, Done done) {
  st->cancel = false;
  const sql::Statement& s = stmt.statement;
  if (auto* t = std::get_if<sql::TransactionStmt>(&s)) return TransactionControl(st, *t, done);
  if (st->block == State::Block::kFailed) return ErrorResult(Aborted());
  auto fail_block = [st](StatementResult r) {
    if (r.kind == StatementResult::Kind::kError && st->block == State::Block::kOpen) {
      st->block = State::Block::kFailed;
    }
    return r;
  };
  try {
    if (auto* discard = std::get_if<sql::DiscardStmt>(&s)) return Discard(*st, *discard);
    if (auto* set = std::get_if<sql::SetStmt>(&s)) return ApplySet(*st, *set);
  } catch (const ivm::Error& e) {
    return fail_block(ErrorResult(e));
  }
  const bool write = Engine::IsWrite(s);
  if (st->block == State::Block::kNone) {
    if (!write) return Read(*st, stmt, plan, *st->engine.Published());
    st->engine.Submit(
        {stmt},
        [st, done](TransactionResults results) {
          OnPool(*st, [done, r = std::move(results.back())]() mutable { done(std::move(r)); });
        },
        SubmitOptions{.dry_run = false, .expected_tags = {}, .role = st->role});
    return std::nullopt;
  }
  if (write && st->read_only) {
    return fail_block(ErrorResult(ivm::Error(ivm::sqlstate::kReadOnlySqlTransaction,
                                             "cannot execute " + CommandWord(stmt.text) +
                                                 " in a read-only transaction")));
  }
  if (!write && st->writes.empty()) {
    if (!st->snapshot) st->snapshot = st->engine.Published();
    return fail_block(Read(*st, stmt, plan, *st->snapshot));
  }
  // A dry run of the block so far plus this statement: what it does now, seeing the block's
  // own writes.
  std::vector<sql::ParsedStatement> run = st->writes;
  run.push_back(stmt);
  const size_t count = run.size();
  st->engine.Submit(
      std::move(run),
      [st, stmt, write, count, done, fail_block](TransactionResults results) {
        OnPool(*st, [st, stmt, write, count, done, fail_block, results = std::move(results)]() {
          StatementResult r = results.back();
          if (results.size() < count) {
            r = ErrorResult(ivm::Error(
                ivm::sqlstate::kSerializationFailure,
                "could not serialize access due to concurrent update",
                "An earlier statement of the transaction now fails: " +
                    (r.error ? r.error->message() : std::string("unknown error"))));
          }
          if (r.kind != StatementResult::Kind::kError && write) {
            st->writes.push_back(stmt);
            st->reported.push_back(r.command_tag);
          }
          done(fail_block(std::move(r)));
        });
      },
      SubmitOptions{.dry_run = true, .expected_tags = {}, .role = st->role});
  return std::nullopt;
}

// ---- The simple query protocol ------------------------------------------------------------

// A query string outside a block and without transaction control: one implicit
// transaction. Writes go to the writer together; reads and settings run here, all reads
// at the same published step, SETs taking effect only if every statement succeeds.
void RunImplicitTransaction(const std::shared_ptr<State>& st,
                            std::shared_ptr<const ParseCache::Statements> parsed,
                            std::function<void(std::vector<StatementResult>)> done) {
  const std::vector<sql::ParsedStatement>& statements = *parsed;
  bool writes = false, session = false;
  for (const sql::ParsedStatement& s : statements) {
    writes = writes || Engine::IsWrite(s.statement);
    session = session || IsSessionStatement(s.statement);
  }
  if (writes && session) {
    done({ErrorResult(ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                                 "SET, RESET and SHOW cannot share a query string with writes "
                                 "yet",
                                 "", "Send them in a query string of their own."))});
    return;
  }
  if (writes) {
    st->engine.Submit(std::vector<sql::ParsedStatement>(statements),
                      [st, done](TransactionResults results) mutable {
                        OnPool(*st, [done = std::move(done), results = std::move(results)]() {
                          done(results);
                        });
                      },
                      SubmitOptions{.dry_run = false, .expected_tags = {}, .role = st->role});
    return;
  }
  std::shared_ptr<const PublishedState> published = st->engine.Published();
  std::vector<StatementResult> results;
  const SessionSettings before = st->settings;
  st->cancel = false;
  for (const sql::ParsedStatement& s : statements) {
    try {
      if (auto* set = std::get_if<sql::SetStmt>(&s.statement)) {
        st->settings.Apply(*set);
        results.push_back(CommandResult(set->reset ? "RESET" : "SET"));
      } else {
        results.push_back(Read(*st, s, nullptr, *published));
      }
    } catch (const ivm::Error& e) {
      results.push_back(ErrorResult(e));
    }
    if (results.back().kind == StatementResult::Kind::kError) break;
  }
  if (results.back().kind == StatementResult::Kind::kError) {
    st->settings = before;
  } else {
    // The changed reported parameters go with the last SET (PostgreSQL sends them before
    // ReadyForQuery).
    for (auto it = results.rbegin(); it != results.rend(); ++it) {
      if (it->command_tag == "SET" || it->command_tag == "RESET") {
        it->parameter_status = ChangedParameters(before, st->settings);
        break;
      }
    }
  }
  done(std::move(results));
}

// COPY ... FROM STDIN: answers CopyInResponse; the data then arrives through
// SqlSession::CopyData and the COPY is applied, as one transaction, at CopyDone.
void StartCopyIn(const std::shared_ptr<State>& st, const ParseCache::Statements& statements,
                 const sql::CopyStmt& copy,
                 std::function<void(std::vector<StatementResult>)> done) {
  if (st->block == State::Block::kFailed) {
    done({ErrorResult(Aborted())});
    return;
  }
  if (st->block == State::Block::kOpen) {
    st->block = State::Block::kFailed;
    done({ErrorResult(ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                                 "COPY FROM STDIN inside a transaction block is not supported",
                                 "", "Run it outside BEGIN ... COMMIT: a COPY on its own is one "
                                     "atomic transaction."))});
    return;
  }
  if (statements.size() != 1) {
    done({ErrorResult(ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                                 "COPY FROM STDIN must be the only statement in its query string"))});
    return;
  }
  try {
    std::shared_ptr<const PublishedState> published = st->engine.Published();
    CheckStatement(*published->catalog, st->role, statements[0].statement);
    st->copy_in = std::make_unique<CopyIn>(copy, *published->catalog);
  } catch (const ivm::Error& e) {
    done({ErrorResult(e)});
    return;
  }
  StatementResult r;
  r.kind = StatementResult::Kind::kCopyIn;
  r.fields.resize(st->copy_in->column_count());
  done({std::move(r)});
}

// A query string inside a block or with BEGIN/COMMIT/ROLLBACK: statement by statement.
struct SequentialRun {
  std::shared_ptr<State> st;
  std::shared_ptr<const ParseCache::Statements> parsed;
  size_t next = 0;
  std::vector<StatementResult> results;
  std::function<void(std::vector<StatementResult>)> done;
};

void ContinueSequential(const std::shared_ptr<SequentialRun>& run) {
  const auto& statements = *run->parsed;
  while (run->next < statements.size()) {
    const sql::ParsedStatement& stmt = statements[run->next++];
    std::optional<StatementResult> r =
        ExecuteStatement(run->st, stmt, nullptr, [run](StatementResult result) {
          const bool failed = result.kind == StatementResult::Kind::kError;
          run->results.push_back(std::move(result));
          if (failed) run->next = run->parsed->size();
          ContinueSequential(run);
        });
    if (!r) return;  // continues in the callback
    const bool failed = r->kind == StatementResult::Kind::kError;
    run->results.push_back(std::move(*r));
    if (failed) break;
  }
  run->done(std::move(run->results));
}

// ---- The extended query protocol ----------------------------------------------------------

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
      prepared->parameter_types = InferParameterTypes(s, *published->catalog, declared);
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
      });
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

}  // namespace

SqlSession::SqlSession(Engine& engine, boost::asio::thread_pool& pool, ParseCache& parses,
                       PlanCache& plans, SessionSettings settings, std::string role)
    : state_(std::make_shared<State>(engine, pool, parses, plans, std::move(settings),
                                     std::move(role))) {}

SqlSession::~SqlSession() = default;

void SqlSession::SetIdentity(SessionIdentity identity) { state_->identity = std::move(identity); }

char SqlSession::TransactionStatus() const { return state_->Status(); }

void SqlSession::Cancel() { state_->cancel = true; }

std::vector<std::pair<std::string, std::string>> SqlSession::ReportedParameters() const {
  return state_->settings.Reported();
}

void SqlSession::SimpleQuery(std::string sql,
                             std::function<void(std::vector<StatementResult>)> done) {
  std::shared_ptr<State> st = state_;
  boost::asio::post(st->pool, [st, sql = std::move(sql), done = std::move(done)]() mutable {
    std::shared_ptr<const ParseCache::Statements> parsed;
    try {
      parsed = st->parses.Parse(sql);
    } catch (const ivm::Error& e) {
      if (st->block == State::Block::kOpen) st->block = State::Block::kFailed;
      done({ErrorResult(e)});
      return;
    }
    if (parsed->empty()) {
      StatementResult empty;
      empty.kind = StatementResult::Kind::kEmptyQuery;
      done({empty});
      return;
    }
    bool control = false;
    for (const sql::ParsedStatement& s : *parsed) {
      control = control || IsTransactionControl(s.statement);
      auto* copy = std::get_if<sql::CopyStmt>(&s.statement);
      if (copy && copy->from) {
        StartCopyIn(st, *parsed, *copy, std::move(done));
        return;
      }
    }
    if (st->block == State::Block::kNone && !control) {
      RunImplicitTransaction(st, std::move(parsed), std::move(done));
      return;
    }
    auto run = std::make_shared<SequentialRun>();
    run->st = st;
    run->parsed = std::move(parsed);
    run->done = std::move(done);
    ContinueSequential(run);
  });
}

void SqlSession::CopyData(std::string data, std::function<void(bool)> done) {
  std::shared_ptr<State> st = state_;
  boost::asio::post(st->pool, [st, data = std::move(data), done = std::move(done)]() {
    if (st->copy_in) st->copy_in->Feed(data);
    done(st->copy_in != nullptr);
  });
}

void SqlSession::CopyDone(std::function<void(std::vector<StatementResult>)> done) {
  std::shared_ptr<State> st = state_;
  boost::asio::post(st->pool, [st, done = std::move(done)]() {
    std::unique_ptr<CopyIn> copy = std::move(st->copy_in);
    if (!copy) {
      done({ErrorResult(ivm::Error(ivm::sqlstate::kProtocolViolation, "no COPY in progress"))});
      return;
    }
    std::shared_ptr<CopyBatch> batch;
    try {
      batch = copy->Finish();
    } catch (const ivm::Error& e) {
      done({ErrorResult(e)});
      return;
    }
    copy.reset();
    st->engine.SubmitCopy(std::move(batch), [st, done](TransactionResults results) {
      OnPool(*st, [done, r = std::move(results.back())]() mutable { done({std::move(r)}); });
    });
  });
}

void SqlSession::CopyFail(std::string message,
                          std::function<void(std::vector<StatementResult>)> done) {
  std::shared_ptr<State> st = state_;
  boost::asio::post(st->pool, [st, message = std::move(message), done = std::move(done)]() {
    st->copy_in.reset();
    done({ErrorResult(
        ivm::Error(ivm::sqlstate::kQueryCanceled, "COPY from stdin failed: " + message))});
  });
}

void SqlSession::Extended(std::vector<ExtendedMessage> messages,
                          std::function<void(std::vector<ExtendedReply>)> done) {
  auto run = std::make_shared<ExtendedRun>();
  run->st = state_;
  run->messages = std::move(messages);
  run->done = std::move(done);
  boost::asio::post(state_->pool, [run] { ContinueExtended(run); });
}

protocol::RoleCredentials SqlBackend::LookupRole(const std::string& user) const {
  protocol::RoleCredentials credentials;
  if (const sql::RoleInfo* role = engine_.Published()->catalog->FindRole(user)) {
    credentials.exists = true;
    credentials.can_login = role->login;
    credentials.secret = role->secret;
  }
  return credentials;
}

std::unique_ptr<protocol::Session> SqlBackend::Connect(const protocol::StartupInfo& startup) {
  const protocol::RoleCredentials role = LookupRole(startup.user);
  if (!role.exists) {
    throw ivm::Error(ivm::sqlstate::kInvalidAuthorization,
                     "role \"" + startup.user + "\" does not exist");
  }
  if (!role.can_login) {
    throw ivm::Error(ivm::sqlstate::kInvalidAuthorization,
                     "role \"" + startup.user + "\" is not permitted to log in");
  }
  std::string database = startup.database.empty() ? startup.user : startup.database;
  if (database != "tributary") {
    throw ivm::Error(ivm::sqlstate::kInvalidCatalogName,
                     "database \"" + database + "\" does not exist");
  }
  SessionSettings settings;
  for (const auto& [name, value] : startup.parameters) settings.ApplyStartup(name, value);
  settings.SetSessionUser(startup.user,
                          engine_.Published()->catalog->IsSuperuser(startup.user));
  auto session = std::make_unique<SqlSession>(engine_, pool_, parses_, plans_,
                                              std::move(settings), startup.user);
  session->SetIdentity({startup.user, database, startup.process_id});
  return session;
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
