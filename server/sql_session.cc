#include "server/sql_session.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>

#include "ivm/cast.h"
#include "ivm/expression.h"
#include "ivm/interrupt.h"
#include "server/copy/copy_to.h"
#include "server/literal_parameters.h"
#include "server/privileges.h"
#include "server/query_executor.h"
#include "server/read_executor.h"
#include "server/session_state.h"
#include "sql/parser.h"

namespace server {

using protocol::ExtendedMessage;
using protocol::ExtendedReply;
using protocol::StatementResult;

namespace session {

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

using State = SqlSession::State;

// Runs `fn` on the pool: engine completions arrive on the writer thread, which must never
// run session work.
void OnPool(State& st, std::function<void()> fn) { boost::asio::post(st.pool, std::move(fn)); }

// `result` alone, moved: `done({result})` would copy it out of the initializer list, every
// row of a large SELECT included.
std::vector<StatementResult> Only(StatementResult result) {
  std::vector<StatementResult> results;
  results.push_back(std::move(result));
  return results;
}

// The end of a statement's time, by its statement_timeout.
ivm::InterruptScope::Clock::time_point Deadline(const State& st) {
  const int64_t timeout_ms = st.settings.StatementTimeoutMs();
  return timeout_ms > 0 ? ivm::InterruptScope::Clock::now() + std::chrono::milliseconds(timeout_ms)
                        : ivm::InterruptScope::Clock::time_point::max();
}

// What a read runs under: its deadline and the session's cancel flag; the catalog, session
// and snapshot that functions such as current_user and the pg_catalog relations ask for.
class ReadScope {
 public:
  ReadScope(State& st, const PublishedState& published,
            ivm::InterruptScope::Clock::time_point deadline)
      : interrupt_(&st.cancel, deadline),
        context_(*published.catalog, st.identity, st.settings),
        scope_(WithSnapshot(&context_, published.snapshot.get())) {}

 private:
  static const QueryContext* WithSnapshot(QueryContext* context, storage::Snapshot* snapshot) {
    context->set_snapshot(snapshot);
    return context;
  }
  ivm::InterruptScope interrupt_;
  QueryContext context_;
  QueryContextScope scope_;
};

// A SELECT's result made while it is sent (QueryStream): what each batch of rows reads and
// runs under, kept until the connection has the last batch.
class StreamedRows : public std::enable_shared_from_this<StreamedRows> {
 public:
  StreamedRows(const Streaming& streaming, std::unique_ptr<QueryStream> stream,
               ivm::InterruptScope::Clock::time_point deadline)
      : streaming_(streaming), stream_(std::move(stream)), deadline_(deadline) {}

  // The next rows, made on the calling thread.
  protocol::MoreRows Next() {
    protocol::MoreRows more;
    State& st = *streaming_.st;
    const PublishedState& published = *streaming_.published;
    try {
      ReadScope scope(st, published, deadline_);
      std::vector<ivm::Row> rows = stream_->Next();
      sent_ += rows.size();
      more.rows = TextCells(std::move(rows));
    } catch (const ivm::Error& e) {
      more.error = e;
    } catch (const std::exception& e) {
      spdlog::error("internal error in a query's rows: {}", e.what());
      more.error =
          ivm::Error(ivm::sqlstate::kInternalError, std::string("internal error: ") + e.what());
    }
    more.last = more.error || stream_->finished();
    if (more.last) more.command_tag = "SELECT " + std::to_string(sent_);
    return more;
  }

  // StatementResult::more_rows: each batch is made on the pool.
  void MoreRows(std::function<void(protocol::MoreRows)> next) {
    OnPool(*streaming_.st,
           [self = shared_from_this(), next = std::move(next)] { next(self->Next()); });
  }

 private:
  Streaming streaming_;  // what stream_ reads: it goes first
  std::unique_ptr<QueryStream> stream_;
  ivm::InterruptScope::Clock::time_point deadline_;
  uint64_t sent_ = 0;
};

// A SELECT's result, its first rows made now and the rest as they are sent.
StatementResult StreamRows(const Streaming& streaming, std::unique_ptr<QueryStream> stream,
                           const ReadPlan& plan, ivm::InterruptScope::Clock::time_point deadline) {
  auto rows = std::make_shared<StreamedRows>(streaming, std::move(stream), deadline);
  protocol::MoreRows first = rows->Next();
  if (first.error) return ErrorResult(*first.error);
  StatementResult r;
  r.kind = StatementResult::Kind::kRows;
  r.fields = FieldsFor(plan.bound.column_names, plan.bound.column_types);
  r.rows = std::move(first.rows);
  if (first.last) {
    r.command_tag = std::move(first.command_tag);
  } else {
    r.more_rows = [rows](std::function<void(protocol::MoreRows)> next) {
      rows->MoreRows(std::move(next));
    };
  }
  return r;
}

// A SELECT through its plan (the given one, or the cache's); with `streaming`, sent as it
// is made when it can be.
StatementResult ReadSelect(State& st, const sql::ParsedStatement& stmt,
                           const sql::SelectStmt& select, const ReadPlan* plan,
                           const PublishedState& published, const Streaming* streaming,
                           ivm::InterruptScope::Clock::time_point deadline) {
  std::shared_ptr<const ReadPlan> fresh;
  if (!plan || !plan->ValidFor(published.catalog)) {
    fresh = st.plans.Get(stmt.text, select, published.catalog, stmt.parameter_types);
    plan = fresh.get();
  }
  CheckSelectPlan(*published.catalog, st.role, *plan->bound.plan);
  if (streaming && !plan->key_lookup) {  // a key lookup has one row at most
    if (std::unique_ptr<QueryStream> stream = QueryStream::Open(
            plan->bound, *published.catalog, *published.snapshot, stmt.parameter_values)) {
      return StreamRows(*streaming, std::move(stream), *plan, deadline);
    }
  }
  return ExecuteReadPlan(*plan, stmt.parameter_values, *published.catalog, *published.snapshot);
}

// A read against `published`: a SELECT through ReadSelect, anything else through
// ExecuteRead.
StatementResult Read(State& st, const sql::ParsedStatement& stmt, const ReadPlan* plan,
                     const PublishedState& published, const Streaming* streaming) {
  const ivm::InterruptScope::Clock::time_point deadline = Deadline(st);
  ReadScope scope(st, published, deadline);
  try {
    if (auto* show = std::get_if<sql::ShowStmt>(&stmt.statement)) return st.settings.Show(*show);
    if (auto* copy = std::get_if<sql::CopyStmt>(&stmt.statement)) {
      if (copy->from) {
        throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                         "COPY FROM STDIN must be sent as a simple query of its own", "",
                         "psql's \\copy, psycopg's cursor.copy() and pgjdbc's CopyManager do.");
      }
      CheckStatement(*published.catalog, st.role, stmt.statement);
      CopyQueryRunner run;
      if (streaming) {
        // Its lines are sent as they are made, as a lone SELECT's rows are.
        run = [&](const sql::ParsedStatement& query) {
          return ReadSelect(st, query, std::get<sql::SelectStmt>(query.statement), nullptr,
                            published, streaming, deadline);
        };
      }
      return RunCopyTo(*copy, *published.catalog, *published.snapshot, run);
    }
    if (auto* select = std::get_if<sql::SelectStmt>(&stmt.statement)) {
      return ReadSelect(st, stmt, *select, plan, published, streaming, deadline);
    }
    std::optional<ivm::ParameterTyping> typing;
    if (!stmt.parameter_types.empty()) typing.emplace(stmt.parameter_types);
    ivm::ParameterValues values(&stmt.parameter_values);
    CheckStatement(*published.catalog, st.role, stmt.statement);
    return ExecuteRead(stmt, *published.catalog, *published.snapshot);
  } catch (const ivm::Error& e) {
    return ErrorResult(e);
  } catch (const std::exception& e) {
    // A bug in one query must not take the server down: it fails alone, and is logged.
    spdlog::error("internal error in query \"{}\": {}", stmt.text, e.what());
    return ErrorResult(ivm::Error(ivm::sqlstate::kInternalError,
                                  std::string("internal error: ") + e.what()));
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
  options.sync = st->settings.SynchronousCommit();
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
                                                const ReadPlan* plan, Done done, bool lone) {
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
    if (!write) {
      std::shared_ptr<const PublishedState> published = st->engine.Published();
      if (!lone) return Read(*st, stmt, plan, *published);
      const Streaming streaming{st, published};
      return Read(*st, stmt, plan, *published, &streaming);
    }
    // A write the engine ran in place answers before Submit returns: that answer is this
    // call's result. A later one comes from the writer thread and goes on on the pool.
    struct Answer {
      std::mutex mu;
      bool returned = false;  // Submit has returned
      std::optional<StatementResult> result;
    };
    auto answer = std::make_shared<Answer>();
    st->engine.Submit(
        {stmt},
        [st, done, answer](TransactionResults results) {
          {
            std::lock_guard<std::mutex> lock(answer->mu);
            if (!answer->returned) {
              answer->result = std::move(results.back());
              return;
            }
          }
          OnPool(*st, [done, r = std::move(results.back())]() mutable { done(std::move(r)); });
        },
        SubmitOptions{.dry_run = false,
                      .expected_tags = {},
                      .role = st->role,
                      .sync = st->settings.SynchronousCommit()});
    std::lock_guard<std::mutex> lock(answer->mu);
    answer->returned = true;
    return std::move(answer->result);
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
      // A dry run commits nothing of its own: it need not wait for a sync.
      SubmitOptions{.dry_run = true, .expected_tags = {}, .role = st->role, .sync = false});
  return std::nullopt;
}

// ---- The simple query protocol ------------------------------------------------------------

// A query string outside a block and without transaction control: one implicit
// transaction. Writes go to the writer together; reads and settings run here, all reads
// at the same published step, SETs taking effect only if every statement succeeds. After
// a write the writer calls `done` itself: it must not touch the session's state.
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
    // `done` (the connection's) touches no session state, so the writer calls it itself:
    // a thread hop less for every write.
    st->engine.Submit(std::vector<sql::ParsedStatement>(statements),
                      [done](TransactionResults results) { done(std::move(results)); },
                      SubmitOptions{.dry_run = false,
                                    .expected_tags = {},
                                    .role = st->role,
                                    .sync = st->settings.SynchronousCommit()});
    return;
  }
  std::shared_ptr<const PublishedState> published = st->engine.Published();
  std::vector<StatementResult> results;
  const SessionSettings before = st->settings;
  st->cancel = false;
  // A lone SELECT may send its rows as they are made: nothing runs after it.
  const Streaming streaming{st, published};
  const Streaming* lone = statements.size() == 1 ? &streaming : nullptr;
  for (const sql::ParsedStatement& s : statements) {
    try {
      if (auto* set = std::get_if<sql::SetStmt>(&s.statement)) {
        st->settings.Apply(*set);
        results.push_back(CommandResult(set->reset ? "RESET" : "SET"));
      } else {
        results.push_back(Read(*st, s, nullptr, *published, lone));
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
  done(Only(std::move(r)));
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

}  // namespace session

using namespace session;  // SqlSession's methods run the protocol pieces above

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

namespace {

// A statement sent as text outside a transaction block, run with its compared literals
// (and an UPDATE's SET values, and a single-row INSERT's values) as parameters
// (server/literal_parameters.h), so that it shares one parse with the same statement over
// other values: ANTLR would otherwise cost more than a point read or a single-row change.
// A SELECT also shares its plan; a write has its parameters typed as a prepared
// statement's would be and goes to the engine. Returns false, without calling `done`, when
// this does not apply, or when the parameterized text does not parse or bind, or a literal
// does not convert: the caller then runs the text as written, so that any such error is the
// one the statement as written gives. Errors while it runs (a cancel, a timeout, a division
// by zero) are its own. With `cached_only` it never parses, and runs only a shape parsed
// before, and only a SELECT whose cached plan reads one row by key (ReadPlan::key_lookup):
// cheap enough for the connection's I/O thread, as prepared key lookups are
// (sql_session_extended.cc).
bool RunParameterized(const std::shared_ptr<State>& st, const std::string& sql, bool cached_only,
                      std::function<void(std::vector<StatementResult>)>& done) {
  if (st->block != State::Block::kNone || st->skipping || st->copy_in) return false;
  std::optional<ParameterizedText> parameterized = ParameterizeLiterals(sql);
  if (!parameterized) return false;
  std::vector<ivm::Type> declared;
  for (const LiteralParameter& p : parameterized->parameters) declared.push_back(p.type);
  // The values of the parameters, typed `types`.
  auto with_values = [&](sql::ParsedStatement stmt, const std::vector<ivm::Type>& types) {
    for (size_t i = 0; i < types.size(); ++i) {
      stmt.parameter_values.push_back(ivm::ParseText(parameterized->parameters[i].text, types[i]));
    }
    return stmt;
  };
  std::optional<StatementResult> read;
  std::optional<sql::ParsedStatement> write;
  try {
    std::shared_ptr<const ParseCache::Statements> parsed =
        cached_only ? st->parses.Find(parameterized->text) : st->parses.Parse(parameterized->text);
    if (!parsed || parsed->size() != 1) return false;
    const sql::ParsedStatement& statement = (*parsed)[0];
    std::shared_ptr<const PublishedState> published = st->engine.Published();
    if (const auto* select = std::get_if<sql::SelectStmt>(&statement.statement)) {
      std::shared_ptr<const ReadPlan> plan =
          cached_only ? st->plans.Find(statement.text, published->catalog, declared)
                      : st->plans.Get(statement.text, *select, published->catalog, declared);
      if (!plan || (cached_only && !plan->key_lookup)) return false;
      if (plan->parameter_types.size() != declared.size()) return false;
      sql::ParsedStatement stmt = with_values(statement, plan->parameter_types);
      stmt.parameter_types = declared;
      st->cancel = false;
      const Streaming streaming{st, published};
      read = Read(*st, stmt, plan.get(), *published, &streaming);
    } else if (sql::IsDml(statement.statement)) {
      std::vector<ivm::Type> types =
          st->engine.write_plans()
              .Get(statement.text, statement.statement, published->catalog, declared)
              ->parameter_types;
      if (types.size() != declared.size()) return false;
      write = with_values(statement, types);
      write->parameter_types = std::move(types);
    } else {
      return false;
    }
  } catch (const std::exception&) {
    return false;
  }
  if (read) {
    done(Only(std::move(*read)));
  } else {
    auto statements = std::make_shared<ParseCache::Statements>();
    statements->push_back(std::move(*write));
    RunImplicitTransaction(st, std::move(statements), std::move(done));
  }
  return true;
}

}  // namespace

void SqlSession::SimpleQuery(std::string sql,
                             std::function<void(std::vector<StatementResult>)> done) {
  std::shared_ptr<State> st = state_;
  // A key lookup, or a write, of a shape parsed before runs from here, without the pool.
  if (RunParameterized(st, sql, /*cached_only=*/true, done)) return;
  boost::asio::post(st->pool, [st, sql = std::move(sql), done = std::move(done)]() mutable {
    if (RunParameterized(st, sql, /*cached_only=*/false, done)) return;
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
      OnPool(*st, [done, r = std::move(results.back())]() mutable { done(Only(std::move(r))); });
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
  session::RunExtended(state_, std::move(messages), std::move(done));
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
