// Engine: the single writer. It gathers pending transactions and Kafka source batches into a
// step (a source batch is applied by key, with its offsets, errors and tributary_sources row,
// in the same atomic write), runs each transaction
// against the step's state under a save point (pushing its deltas through every view's
// circuit in dependency order, so a failing transaction rolls back rows, operator state
// and catalog changes alike), commits the step in one atomic RocksDB write, then
// publishes it (snapshot + catalog) to readers. A step of source batches alone is written
// on the committer's thread while the writer computes the next step over it; it is
// published (and its batches acknowledged) once written, before the next one commits.
// A small transaction may run as a step on its session's thread instead, when the writer
// is idle (RunInPlace); steps never overlap.
// Thread-safe: Submit() and Published() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "ivm/error.h"
#include "ivm/operators/operator.h"
#include "protocol/backend.h"
#include "server/copy/copy_batch.h"
#include "server/dml_executor.h"
#include "server/plan_cache.h"
#include "server/source_batch.h"
#include "server/source_runner.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "sql/lower_to_circuit.h"
#include "storage/database.h"
#include "storage/step_committer.h"

namespace server {

// What readers see: every table and view at one committed step.
struct PublishedState {
  uint64_t step = 0;
  std::shared_ptr<storage::Snapshot> snapshot;
  std::shared_ptr<const sql::Catalog> catalog;
};

// The results of a transaction's statements, in order. When a statement fails, its error
// is the last result and nothing of the transaction was applied.
using TransactionResults = std::vector<protocol::StatementResult>;

// How Engine::Submit runs a transaction.
struct SubmitOptions {
  // Run, then roll back: the results say what the statements would do now (an open
  // BEGIN block's statements, before COMMIT).
  bool dry_run = false;
  // When set, statement i must end with command tag expected_tags[i] (what a dry run
  // reported to the client); otherwise the transaction fails with 40001, unapplied.
  std::vector<std::string> expected_tags;
  // The session's role, whose privileges every statement is checked against
  // (server/privileges.h). Empty: the engine itself, unchecked.
  std::string role;
  // synchronous_commit: when false, the transaction is acknowledged once its step is in the
  // write-ahead log, before that is synced to disk, as PostgreSQL's synchronous_commit = off:
  // a crash of the server loses nothing, one of the machine may lose the last such writes.
  bool sync = true;
};

class Engine {
 public:
  // Opens the data directory, loads the catalog and re-attaches every view's circuit to
  // its stored state. Throws ivm::Error when the directory is locked or unreadable.
  // `superuser` is the bootstrap role, created (as LOGIN SUPERUSER) when missing.
  static std::unique_ptr<Engine> Open(const std::string& data_dir,
                                      const std::string& superuser = "tributary");
  ~Engine();

  void Start();  // starts the writer thread
  void Stop();   // finishes queued work, then stops the writer

  std::shared_ptr<const PublishedState> Published() const;

  // Whether `statement` must run on the writer (DDL and DML).
  static bool IsWrite(const sql::Statement& statement);
  // The plans of INSERT, UPDATE and DELETE statements with parameters (thread-safe).
  WritePlanCache& write_plans() { return write_plans_; }
  // Queues a transaction: statements applied atomically, in order, reads among them seeing
  // the transaction's own writes. `done` runs once the transaction's step is durable and
  // published, or with the error that rolled it back: on the writer thread, or on the
  // calling thread before Submit returns when the transaction ran in place (RunInPlace).
  void Submit(std::vector<sql::ParsedStatement> statements,
              std::function<void(TransactionResults)> done, SubmitOptions options = {});
  // Queues a COPY FROM's rows as one transaction of their own; `done` as for Submit, with
  // one result ("COPY n" or the error that rolled the whole COPY back).
  void SubmitCopy(std::shared_ptr<CopyBatch> copy, std::function<void(TransactionResults)> done);
  // Queues a batch from a Kafka source. `done(true, batch)` runs on the writer thread once
  // the batch's step is committed (durable without fsync: Kafka still holds the messages and
  // the stored offsets say where to resume); `done(false, batch)` when it was not applied
  // (its table was dropped or changed, or the engine is stopping), possibly on the calling
  // thread.
  void SubmitSourceBatch(SourceBatch batch, SourceBatchDone done);
  // Parses `sql`, runs it as one transaction and waits: for tests and tools.
  TransactionResults Execute(const std::string& sql);

  // The work counters of the last committed step.
  ivm::StepStats LastStepStats() const;

 private:
  struct Transaction {
    std::vector<sql::ParsedStatement> statements;
    std::function<void(TransactionResults)> done;
    bool has_ddl = false;
    SubmitOptions options;
    std::shared_ptr<CopyBatch> copy;  // a COPY FROM: these rows instead of statements
  };
  struct MaintainedView {
    sql::LoweredCircuit lowered;
  };
  struct PendingSourceBatch {
    SourceBatch batch;
    SourceBatchDone done;
  };
  // A step of source batches being written by committer_, not yet published.
  struct InFlightStep {
    std::unique_ptr<storage::StepBatch> batch;
    std::shared_future<void> written;
    std::vector<PendingSourceBatch> sources;
    std::vector<bool> applied;
    ivm::StepStats stats;
  };

  Engine(std::unique_ptr<storage::Database> db, std::string superuser);
  void Load();
  void Queue(Transaction txn);  // or fails it at once when stopping
  void Answer(Transaction& txn, TransactionResults results);  // calls its `done`
  // A transaction of a session with synchronous_commit off that changes a few rows it names
  // (SmallTransaction) runs on the calling thread, as a step of its own, when the writer
  // has nothing to do: handing it to the writer and the answer back cost two thread
  // wake-ups, more than the step itself. Returns false, leaving `txn`, otherwise.
  bool RunInPlace(Transaction& txn);
  // An INSERT of a few VALUES rows, or an UPDATE or DELETE whose WHERE pins the primary key.
  bool SmallTransaction(const Transaction& txn);
  bool HasWork() const;  // REQUIRES: mu_ held
  // Waits, without step_mu_, until HasWork(); lets go of the scan iterator, and of freed
  // memory, once idle long enough.
  void WaitForWork();
  void WriterLoop();
  // Runs source batches and transactions in one step, each under a save point, then one
  // commit (synced when there are transactions).
  void RunStep(std::vector<Transaction>& transactions, std::vector<PendingSourceBatch>& sources);
  // Applies one source batch to the step; false when its source no longer exists as sent.
  bool ApplySourceBatch(const SourceBatch& source, storage::StepBatch& batch,
                        ivm::StepStats* stats);
  // Applies changes [begin, end) to `table` by key (keyed tables are maps: each change
  // replaces the row stored for its key) and records the table's delta.
  void ApplySourceChanges(const sql::RelationInfo& table,
                          const std::vector<connectors::RowChange>& changes, size_t begin,
                          size_t end, storage::StepBatch& batch, DeltaMap* deltas);
  // Keeps one running SourceRunner per Kafka-fed table or routine load that is not paused.
  // REQUIRES: the writer thread, after a publish.
  void SyncSources();
  void StopRunner(uint64_t table_id);
  // Fails (done(false)) every queued batch of the source feeding `table_id`.
  void DropQueuedBatches(uint64_t table_id);
  TransactionResults RunTransaction(Transaction& txn, storage::StepBatch& batch,
                                    ivm::StepStats* stats);
  // Pushes base-table `deltas` through every view of `catalog` (in id order, which is
  // dependency order), applies the views' changes, and empties `deltas`.
  void Propagate(const sql::Catalog& catalog, storage::StepBatch& batch, DeltaMap* deltas,
                 ivm::StepStats* stats);
  // Keeps exactly the circuits of the views in catalog_.
  void SyncViews();
  // Feeds a view the whole of its inputs as one delta (its first step) and stores the
  // result. Returns the number of rows in the view.
  int64_t Backfill(const sql::RelationInfo& rel, MaintainedView& view, const sql::Catalog& catalog,
                   storage::StepBatch& batch);
  void Commit(storage::StepBatch& batch, bool sync);
  // Numbers the step: its step number and next id go into `batch`.
  void StampStep(storage::StepBatch& batch);
  // Waits for the step in flight, if any, then publishes it and acknowledges its source
  // batches. Returns false when its write failed: nothing of it is stored, its batches are
  // refused (their runners rewind to what is committed), and a step computed over it must
  // be dropped too.
  bool FinishInFlight();
  bool InFlightWritten() const;  // whether the step in flight is written (or failed)
  // Tells each of `sources`, once its step is published, whether it was applied (one that
  // was not is refused, with the batches queued behind it).
  void AcknowledgeSources(std::vector<PendingSourceBatch>& sources,
                          const std::vector<bool>& applied);
  // Refuses `sources` after a failed commit, and the batches queued behind them.
  void FailSources(std::vector<PendingSourceBatch>& sources);
  void Publish();

  std::string CreateTable(const sql::CreateTableStmt& stmt, sql::Catalog* catalog,
                          storage::StepBatch& batch);
  std::string CreateView(const sql::CreateMaterializedViewStmt& stmt, sql::Catalog* catalog,
                         storage::StepBatch& batch);
  // CREATE VIEW: the query is bound to check it and to learn its columns, then stored.
  std::string CreatePlainView(const sql::CreateMaterializedViewStmt& stmt, sql::Catalog* catalog,
                              storage::StepBatch& batch);
  std::string Drop(const sql::DropStmt& stmt, sql::Catalog* catalog, storage::StepBatch& batch);
  void DropRelation(uint64_t id, sql::Catalog* catalog, storage::StepBatch& batch);
  std::string CreateRoutineLoad(const sql::CreateRoutineLoadStmt& stmt, sql::Catalog* catalog,
                                storage::StepBatch& batch);
  std::string ControlRoutineLoad(const sql::RoutineLoadControlStmt& stmt, sql::Catalog* catalog,
                                 storage::StepBatch& batch);
  // Checks a new source's options (throws ivm::Error) and writes its first
  // tributary_sources row.
  void RegisterSource(const sql::RelationInfo& table, storage::StepBatch& batch);
  // Removes a source's offsets and error rows; its tributary_sources row goes too unless
  // `final_status` is given (a stopped routine load stays visible).
  void UnregisterSource(const sql::RelationInfo& table, storage::StepBatch& batch,
                        const char* final_status = nullptr);

  std::unique_ptr<storage::Database> db_;
  const std::string superuser_;  // the bootstrap role

  // Held while a step runs: by the writer thread, or by a session's thread running a
  // transaction in place (RunInPlace). Lock order: step_mu_, then mu_.
  std::mutex step_mu_;
  // Writer state. REQUIRES: step_mu_ held (or Open, before the writer starts).
  std::shared_ptr<const sql::Catalog> catalog_;
  WritePlanCache write_plans_;  // the writer's, and the sessions' to infer parameter types
  std::shared_ptr<const sql::Catalog> published_catalog_;
  std::map<uint64_t, MaintainedView> views_;
  uint64_t step_ = 0;
  uint64_t next_id_ = 1;
  uint64_t next_id_written_ = 0;  // next_id_ as the last step written put it (0: not known)
  std::string statement_role_;  // the role running the current statement: owner of what it creates
  std::map<uint64_t, std::unique_ptr<SourceRunner>> runners_;  // by table id
  std::optional<InFlightStep> in_flight_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Transaction> queue_;                    // GUARDED_BY(mu_)
  std::deque<PendingSourceBatch> source_queue_;      // GUARDED_BY(mu_)
  bool stopping_ = false;                            // GUARDED_BY(mu_)
  std::shared_ptr<const PublishedState> published_;  // GUARDED_BY(mu_)
  ivm::StepStats last_stats_;                        // GUARDED_BY(mu_)
  uint64_t steps_in_place_ = 0;                      // GUARDED_BY(mu_)
  // Transactions submitted and not answered yet, and when one last arrived while another
  // was: RunInPlace leaves overlapping writes to the writer.
  size_t transactions_ = 0;                             // GUARDED_BY(mu_)
  std::chrono::steady_clock::time_point last_overlap_;  // GUARDED_BY(mu_)
  bool worked_since_idle_ = false;                      // GUARDED_BY(mu_)
  uint64_t unused_after_release_ = 0;  // ResidentNotInUse() after the last release; writer only
  // Declared after db_, so destroyed before it: the last write finishes first.
  storage::StepCommitter committer_;
  std::thread writer_;
};

// Binds and lowers a view's query (used at CREATE, at restart and by EXPLAIN).
sql::LoweredCircuit PlanView(const sql::AstQuery& query, const sql::Catalog& catalog,
                             sql::BoundQuery* bound = nullptr);

}  // namespace server
