#include "server/engine.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <optional>
#include <set>
#include <utility>

#include "ivm/interrupt.h"
#include "ivm/row_codec.h"
#include "server/catalog_codec.h"
#include "server/copy/copy_apply.h"
#include "server/malloc_config.h"
#include "server/pg_catalog.h"
#include "server/privileges.h"
#include "server/query_executor.h"
#include "server/read_executor.h"
#include "server/role_commands.h"
#include "server/system_tables.h"
#include "sql/binder.h"
#include "sql/parser.h"
#include "sql/plan_walk.h"
#include "storage/keys.h"
#include "storage/operator_state.h"
#include "storage/relation_store.h"

namespace server {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

namespace {

// A step gathers at most this many pending write statements.
constexpr size_t kMaxStatementsPerStep = 256;
// ... and source batches holding at most about this many row changes (two runner batches:
// smaller steps keep the writer, the committer and the runners' decoding overlapped).
constexpr size_t kMaxSourceChangesPerStep = 16384;

// Once idle this long, the writer lets go of the memtables and table files its scans'
// iterator pins.
constexpr std::chrono::seconds kReleaseIteratorAfter{1};
// ... and once idle this long after any work, of the memory malloc keeps freed (after a
// bulk load, most of the process). Not sooner: the freed memory handed back is faulted in
// again as malloc reuses it, page by page, and after a load of 1M rows that made the next
// 2,000 single-row updates about 20% slower. (jemalloc's default decay is 10 s too.)
constexpr std::chrono::seconds kReleaseMemoryAfter{10};
// Reads run on the I/O threads and do not wake the writer, but a large one leaves what its
// result took freed (a SELECT of 1M rows: 240 MiB). The idle writer looks every
// kReleaseMemoryAfter, and hands memory back when this much more of it is resident and
// unused than the last release left.
constexpr uint64_t kReleaseReadGarbageAbove = 64 << 20;
// Once idle kReleaseIteratorAfter after some work, the writer has the memtable being filled
// written out if it holds this much: otherwise up to the 32 MiB write buffer stays in
// memory after a bulk load, until later writes fill it. The flush runs in the background,
// and the memory it frees is handed back with the rest kReleaseMemoryAfter later. A smaller
// memtable is left: writing it out would make a small table file for every pause in a
// trickle of writes.
constexpr uint64_t kFlushIdleMemtableAbove = 4 << 20;

// The most rows an INSERT ... VALUES may have to run in place (Engine::RunInPlace).
constexpr size_t kSmallInsertRows = 16;
// No transaction runs in place this soon after one arrived while another was queued or
// running: writes that overlap share the writer's steps, and their write-ahead log writes,
// instead of holding up each other's I/O threads. With 8 pgbench clients updating by key,
// running each in place whenever the writer was free cost 15% of the throughput.
constexpr std::chrono::milliseconds kOverlapRecently{2};

const std::string kStepKey = storage::MetaKey("step");
const std::string kNextIdKey = storage::MetaKey("next_id");

std::string EncodeU64(uint64_t v) {
  std::string s;
  ivm::PutBigEndian64(v, &s);
  return s;
}

bool IsDdl(const sql::Statement& s) {
  if (auto* control = std::get_if<sql::RoutineLoadControlStmt>(&s)) {
    return control->action != sql::RoutineLoadControlStmt::Action::kShow;
  }
  return std::holds_alternative<sql::CreateTableStmt>(s) ||
         std::holds_alternative<sql::CreateMaterializedViewStmt>(s) ||
         std::holds_alternative<sql::DropStmt>(s) ||
         std::holds_alternative<sql::CreateRoutineLoadStmt>(s) || IsRoleStatement(s);
}

std::shared_ptr<sql::AstQuery> ParseViewDefinition(const std::string& definition) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(definition);
  if (parsed.size() != 1 || !std::holds_alternative<sql::SelectStmt>(parsed[0].statement)) {
    throw Error(sqlstate::kInternalError, "stored view definition is not a query");
  }
  return std::get<sql::SelectStmt>(parsed[0].statement).query;
}

}  // namespace

sql::LoweredCircuit PlanView(const sql::AstQuery& query, const sql::Catalog& catalog,
                             sql::BoundQuery* bound) {
  sql::BoundQuery q = sql::Binder(catalog).BindViewQuery(query);
  sql::LoweredCircuit lowered = sql::LowerToCircuit(*q.plan);
  if (bound) *bound = std::move(q);
  return lowered;
}

Engine::Engine(std::unique_ptr<storage::Database> db, std::string superuser)
    : db_(std::move(db)), superuser_(std::move(superuser)) {}

std::unique_ptr<Engine> Engine::Open(const std::string& data_dir, const std::string& superuser) {
  std::unique_ptr<Engine> engine(new Engine(storage::Database::Open(data_dir), superuser));
  engine->Load();
  return engine;
}

Engine::~Engine() {
  Stop();
  // Readers hold snapshots through PublishedState; the last reference must be gone
  // before the database closes.
  published_.reset();
}

void Engine::Load() {
  std::shared_ptr<storage::Snapshot> snapshot = db_->NewSnapshot();
  std::string value;
  if (snapshot->Get(kStepKey, &value)) step_ = ivm::GetBigEndian64(value);
  if (snapshot->Get(kNextIdKey, &value)) next_id_written_ = next_id_ = ivm::GetBigEndian64(value);
  auto catalog = std::make_shared<sql::Catalog>();
  AddSystemTables(catalog.get());
  AddCatalogRelations(catalog.get());
  snapshot->Scan(storage::kCatalogPrefix, [&](std::string_view, std::string_view blob) {
    catalog->Put(DecodeRelation(blob));
    return true;
  });
  snapshot->Scan(RolePrefix(), [&](std::string_view, std::string_view blob) {
    catalog->PutRole(DecodeRole(blob));
    return true;
  });
  EnsureBootstrapRole(superuser_, catalog.get());
  catalog_ = catalog;
  snapshot.reset();

  // Re-attach each view's circuit to its stored state. A plan that changed (a new version
  // of Tributary plans the view differently) cannot use the old state: rebuild it.
  for (const sql::RelationInfo* rel : catalog->All()) {
    if (!rel->is_materialized_view()) continue;  // tables (system ones too), views
    MaintainedView view{PlanView(*ParseViewDefinition(rel->definition), *catalog)};
    uint64_t fingerprint = view.lowered.circuit->Fingerprint();
    if (fingerprint != rel->plan_fingerprint) {
      spdlog::warn("view {} was planned differently by an earlier version; rebuilding its state",
                   rel->name);
      auto batch = db_->NewStepBatch();
      batch->DeletePrefix(storage::ViewStatePrefix(rel->id));
      storage::RelationStore(rel->id, rel->StorageKey()).Clear(*batch);
      Backfill(*rel, view, *catalog, *batch);
      sql::RelationInfo updated = *rel;
      updated.plan_fingerprint = fingerprint;
      batch->Put(storage::CatalogKey(rel->id), EncodeRelation(updated));
      catalog->Put(updated);
      Commit(*batch, true);
    }
    views_.emplace(rel->id, std::move(view));
  }
  spdlog::debug("loaded {} relations at step {}", catalog->All().size(), step_);
  Publish();
}

void Engine::Start() {
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "writer");  // for top -H, perf and gdb
    WriterLoop();
  });
}

void Engine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

std::shared_ptr<const PublishedState> Engine::Published() const {
  std::lock_guard<std::mutex> lock(mu_);
  return published_;
}

ivm::StepStats Engine::LastStepStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_stats_;
}

bool Engine::IsWrite(const sql::Statement& s) { return IsDdl(s) || sql::IsDml(s); }

void Engine::SubmitSourceBatch(SourceBatch batch, SourceBatchDone done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      source_queue_.push_back({std::move(batch), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(false, std::move(batch));
}

void Engine::SubmitCopy(std::shared_ptr<CopyBatch> copy,
                        std::function<void(TransactionResults)> done) {
  Transaction txn;
  txn.copy = std::move(copy);
  txn.done = std::move(done);
  Queue(std::move(txn));
}

void Engine::Submit(std::vector<sql::ParsedStatement> statements,
                    std::function<void(TransactionResults)> done, SubmitOptions options) {
  Transaction txn;
  txn.statements = std::move(statements);
  txn.done = std::move(done);
  txn.options = std::move(options);
  for (const sql::ParsedStatement& s : txn.statements)
    txn.has_ddl = txn.has_ddl || IsDdl(s.statement);
  Queue(std::move(txn));
}

void Engine::Queue(Transaction txn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (transactions_ > 0) last_overlap_ = std::chrono::steady_clock::now();
    ++transactions_;
  }
  if (RunInPlace(txn)) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(txn));
      cv_.notify_one();
      return;
    }
  }
  Answer(txn, {ErrorResult(Error(sqlstate::kAdminShutdown,
                                 "terminating connection due to administrator command"))});
}

void Engine::Answer(Transaction& txn, TransactionResults results) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --transactions_;
  }
  txn.done(std::move(results));
}

namespace {

// Set while the calling thread runs a step (the writer, or a session in RunInPlace): a
// completion that submits again from inside one must queue, not take step_mu_ twice.
thread_local bool running_step = false;

class RunningStep {
 public:
  RunningStep() { running_step = true; }
  ~RunningStep() { running_step = false; }
};

}  // namespace

bool Engine::SmallTransaction(const Transaction& txn) {
  if (txn.has_ddl || txn.copy || txn.statements.size() != 1) return false;
  const sql::ParsedStatement& statement = txn.statements[0];
  const sql::Statement& s = statement.statement;
  if (const auto* insert = std::get_if<sql::InsertStmt>(&s)) {
    return !insert->query && insert->rows.size() <= kSmallInsertRows;
  }
  if (!std::holds_alternative<sql::UpdateStmt>(s) && !std::holds_alternative<sql::DeleteStmt>(s))
    return false;
  // An UPDATE or DELETE whose WHERE pins the primary key, bound through the cache the
  // writer uses (a statement with parameters: a prepared one, or a simple one whose
  // literals were taken out). Anything else may scan the table.
  if (statement.parameter_types.empty()) return false;
  std::shared_ptr<const PublishedState> published = Published();
  try {
    std::shared_ptr<const WritePlan> plan =
        write_plans_.Get(statement.text, s, published->catalog, statement.parameter_types);
    const auto* modify = std::get_if<sql::BoundModify>(&plan->bound);
    const sql::RelationInfo* table =
        modify ? published->catalog->FindById(modify->table_id) : nullptr;
    if (!table) return false;
    ivm::ParameterValues values(&statement.parameter_values);
    return sql::KeyLookup(*table, modify->where).has_value();
  } catch (const std::exception&) {
    return false;  // the writer reports it
  }
}

bool Engine::RunInPlace(Transaction& txn) {
  if (txn.options.sync || running_step || !SmallTransaction(txn)) return false;
  std::unique_lock<std::mutex> step(step_mu_, std::try_to_lock);
  if (!step.owns_lock()) return false;  // the writer is busy: queue behind it
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || !queue_.empty() || !source_queue_.empty() || in_flight_ ||
        std::chrono::steady_clock::now() - last_overlap_ < kOverlapRecently) {
      return false;
    }
    ++steps_in_place_;
    worked_since_idle_ = true;
  }
  RunningStep running;
  // Writes are not cancelled: shadow whatever interrupt scope the calling thread has.
  ivm::InterruptScope uninterrupted(nullptr, ivm::InterruptScope::Clock::time_point::max());
  std::vector<Transaction> txns;
  txns.push_back(std::move(txn));
  std::vector<PendingSourceBatch> no_sources;
  RunStep(txns, no_sources);
  return true;
}

TransactionResults Engine::Execute(const std::string& sql) {
  std::promise<TransactionResults> promise;
  Submit(sql::ParseScript(sql), [&](TransactionResults r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

void Engine::WriterLoop() {
  RunningStep running;
  std::unique_lock<std::mutex> step(step_mu_);
  SyncSources();
  for (;;) {
    std::vector<Transaction> txns;
    std::vector<PendingSourceBatch> sources;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!HasWork()) {
        // Sessions may run steps in place meanwhile (RunInPlace).
        lock.unlock();
        step.unlock();
        WaitForWork();
        step.lock();
        lock.lock();
      }
      if (queue_.empty() && source_queue_.empty()) {
        if (!in_flight_) break;  // stopping, everything queued done
        // Nothing to compute meanwhile: publish the step as soon as it is written.
        lock.unlock();
        FinishInFlight();
        continue;
      }
      // A transaction with DDL runs alone in its step; others share a step up to the bound,
      // together with the source batches waiting.
      size_t statements = 0;
      while (!queue_.empty() && statements < kMaxStatementsPerStep &&
             (txns.empty() || (!txns[0].has_ddl && !queue_.front().has_ddl))) {
        statements += queue_.front().statements.size();
        txns.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      size_t changes = 0;
      while (!source_queue_.empty() && changes < kMaxSourceChangesPerStep &&
             (txns.empty() || !txns[0].has_ddl)) {
        changes += source_queue_.front().batch.changes.size() + 1;
        sources.push_back(std::move(source_queue_.front()));
        source_queue_.pop_front();
      }
    }
    RunStep(txns, sources);
    if (!txns.empty() && txns[0].has_ddl) SyncSources();
  }
  // Runners submit nothing once stopping_ is set; stop their threads.
  while (!runners_.empty()) StopRunner(runners_.begin()->first);
}

bool Engine::HasWork() const {
  // in_flight_ changes only on the writer thread: a step run in place starts only when
  // there is none, and leaves none.
  return stopping_ || !queue_.empty() || !source_queue_.empty() || InFlightWritten();
}

void Engine::WaitForWork() {
  std::unique_lock<std::mutex> lock(mu_);
  auto has_work = [this] { return HasWork(); };
  // Whether nothing was queued, and no step run in place, for `period`.
  auto idle_for = [&](std::chrono::steady_clock::duration period) {
    for (;;) {
      const uint64_t seen = steps_in_place_;
      if (cv_.wait_for(lock, period, has_work)) return false;
      if (steps_in_place_ == seen) return true;
    }
  };
  if (idle_for(kReleaseIteratorAfter)) {
    const bool worked = worked_since_idle_;
    lock.unlock();
    {
      std::lock_guard<std::mutex> step(step_mu_);
      db_->ReleaseScanIterator();
    }
    if (worked) {
      try {
        db_->FlushMemtableAbove(kFlushIdleMemtableAbove);
      } catch (const Error& e) {
        spdlog::warn("{}", e.message());  // the write-ahead log still has every write
      }
    }
    lock.lock();
    std::chrono::steady_clock::duration period = kReleaseMemoryAfter - kReleaseIteratorAfter;
    while (idle_for(period)) {
      period = kReleaseMemoryAfter;
      const bool worked = worked_since_idle_;
      worked_since_idle_ = false;
      lock.unlock();
      if (worked || ResidentNotInUse() >= unused_after_release_ + kReleaseReadGarbageAbove) {
        ReleaseFreeMemory();
        unused_after_release_ = ResidentNotInUse();
      }
      lock.lock();
    }
  }
  worked_since_idle_ = true;
}

void Engine::RunStep(std::vector<Transaction>& txns, std::vector<PendingSourceBatch>& sources) {
  // Transactions run over every earlier step written and published: they may change the
  // catalog, and their sessions wait for the fsync anyway. A step already written is
  // published now rather than after this one is computed.
  if (!txns.empty() || InFlightWritten()) FinishInFlight();
  auto batch = db_->NewStepBatch();
  if (in_flight_) batch->ReadThrough(in_flight_->batch.get(), in_flight_->written);
  ivm::StepStats stats;
  std::vector<bool> applied;
  for (PendingSourceBatch& s : sources) {
    applied.push_back(ApplySourceBatch(s.batch, *batch, &stats));
  }
  std::vector<TransactionResults> results;
  for (Transaction& txn : txns) results.push_back(RunTransaction(txn, *batch, &stats));
  if (in_flight_ && !FinishInFlight()) {
    // This step was computed over the one that failed: it is void too.
    FailSources(sources);
    return;
  }
  batch->ReadThrough(nullptr, {});
  if (!batch->empty() && txns.empty()) {
    // Steps fed only by Kafka need no fsync: Kafka keeps what a crash would lose, and the
    // offsets stored with the rows say where to resume. The committer writes this one
    // while the next is computed; FinishInFlight publishes it.
    StampStep(*batch);
    const storage::StepBatch* written = batch.get();
    auto wake_writer = [this] {
      { std::lock_guard<std::mutex> lock(mu_); }  // not between its wait's check and sleep
      cv_.notify_all();
    };
    in_flight_ = InFlightStep{std::move(batch), committer_.Commit(written, false, wake_writer),
                              std::move(sources), std::move(applied), stats};
    return;
  }
  if (!batch->empty()) {
    try {
      // Nor do steps whose transactions all come from sessions with synchronous_commit off.
      bool sync = false;
      for (const Transaction& txn : txns) sync = sync || txn.options.sync;
      Commit(*batch, sync);
    } catch (const Error& e) {
      // Nothing of this step is durable: report it to every transaction and source in it.
      spdlog::error("could not commit step: {}", e.message());
      next_id_written_ = 0;
      catalog_ = published_catalog_;
      SyncViews();
      FailSources(sources);
      for (Transaction& txn : txns) Answer(txn, {ErrorResult(e)});
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_stats_ = stats;
    }
    Publish();
  }
  AcknowledgeSources(sources, applied);
  for (size_t i = 0; i < txns.size(); ++i) Answer(txns[i], std::move(results[i]));
}

void Engine::AcknowledgeSources(std::vector<PendingSourceBatch>& sources,
                                const std::vector<bool>& applied) {
  for (size_t i = 0; i < sources.size(); ++i) {
    const uint64_t table_id = sources[i].batch.table_id;
    sources[i].done(applied[i], std::move(sources[i].batch));
    if (!applied[i]) DropQueuedBatches(table_id);
  }
}

bool Engine::InFlightWritten() const {
  return in_flight_ &&
         in_flight_->written.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

bool Engine::FinishInFlight() {
  if (!in_flight_) return true;
  InFlightStep step = std::move(*in_flight_);
  in_flight_.reset();
  try {
    step.written.get();
  } catch (const Error& e) {
    // Operator state lives in the batches, so nothing in memory holds this step.
    spdlog::error("could not commit step: {}", e.message());
    next_id_written_ = 0;
    FailSources(step.sources);
    return false;
  }
  step.batch.reset();  // its arena, on the thread that filled it
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_stats_ = step.stats;
  }
  Publish();
  AcknowledgeSources(step.sources, step.applied);
  return true;
}

void Engine::FailSources(std::vector<PendingSourceBatch>& sources) {
  // A later batch of the same source starts where this one ended: applying it would skip
  // this one's messages. Drop them too; the runners rewind to what is committed.
  for (PendingSourceBatch& s : sources) {
    const uint64_t table_id = s.batch.table_id;
    s.done(false, std::move(s.batch));
    DropQueuedBatches(table_id);
  }
}

TransactionResults Engine::RunTransaction(Transaction& txn, storage::StepBatch& batch,
                                          ivm::StepStats* stats) {
  TransactionResults results;
  DeltaMap pending;
  // DDL works on a copy of the catalog, which becomes the catalog when the transaction
  // succeeds. Circuits of views it creates join views_ at once (later statements of the
  // transaction must maintain them) and leave it if it fails.
  std::shared_ptr<sql::Catalog> working;
  const sql::Catalog* catalog = catalog_.get();
  batch.SetSavePoint();
  try {
    // Bulk statements carry their change through the views in slices (DmlExecutor).
    auto propagate = [&] { Propagate(*catalog, batch, &pending, stats); };
    if (txn.copy) {
      results.push_back(CommandResult(ApplyCopy(*txn.copy, *catalog, batch, &pending, propagate)));
    }
    for (sql::ParsedStatement& statement : txn.statements) {
      const sql::Statement& s = statement.statement;
      // A prepared statement's parameters: typed while it binds, valued while it runs.
      std::optional<ivm::ParameterTyping> typing;
      if (!statement.parameter_types.empty()) typing.emplace(statement.parameter_types);
      ivm::ParameterValues values(&statement.parameter_values);
      CheckStatement(*catalog, txn.options.role, s);
      statement_role_ = txn.options.role;
      if (IsDdl(s)) {
        propagate();
        if (!working) working = std::make_shared<sql::Catalog>(*catalog_);
        catalog = working.get();
        std::string tag;
        if (auto* create = std::get_if<sql::CreateTableStmt>(&s)) {
          tag = CreateTable(*create, working.get(), batch);
        } else if (auto* view = std::get_if<sql::CreateMaterializedViewStmt>(&s)) {
          tag = CreateView(*view, working.get(), batch);
        } else if (auto* load = std::get_if<sql::CreateRoutineLoadStmt>(&s)) {
          tag = CreateRoutineLoad(*load, working.get(), batch);
        } else if (auto* control = std::get_if<sql::RoutineLoadControlStmt>(&s)) {
          tag = ControlRoutineLoad(*control, working.get(), batch);
        } else if (IsRoleStatement(s)) {
          tag = ExecuteRoleStatement(s, superuser_, working.get(), batch);
        } else {
          tag = Drop(std::get<sql::DropStmt>(s), working.get(), batch);
        }
        results.push_back(CommandResult(std::move(tag)));
      } else if (IsWrite(s)) {
        // Statements with parameters (prepared, or simple ones whose literals were taken
        // out) are bound once per catalog version. A catalog this transaction's DDL is
        // changing is bound against afresh each time.
        std::shared_ptr<const WritePlan> plan =
            !working && !statement.parameter_types.empty()
                ? write_plans_.Get(statement.text, s, catalog_, statement.parameter_types)
                : BindWritePlan(s, working ? working : catalog_, statement.parameter_types);
        DmlExecutor executor(*catalog, batch, &pending, propagate);
        std::string tag;
        if (auto* insert = std::get_if<sql::BoundInsert>(&plan->bound)) {
          tag = "INSERT 0 " + std::to_string(executor.Insert(*insert));
        } else {
          sql::BoundModify modify = std::get<sql::BoundModify>(plan->bound);
          modify.key_lookup = sql::KeyLookup(*catalog->FindById(modify.table_id), modify.where);
          tag = std::holds_alternative<sql::UpdateStmt>(s)
                    ? "UPDATE " + std::to_string(executor.Update(modify))
                    : "DELETE " + std::to_string(executor.Delete(modify));
        }
        results.push_back(CommandResult(std::move(tag)));
      } else {
        // A read inside the transaction sees its writes, views included.
        propagate();
        results.push_back(ExecuteRead(statement, *catalog, batch));
        if (results.back().error) throw *results.back().error;
      }
      const std::vector<std::string>& expected = txn.options.expected_tags;
      const size_t i = results.size() - 1;
      if (i < expected.size() && results.back().command_tag != expected[i]) {
        throw Error(sqlstate::kSerializationFailure,
                    "could not serialize access due to concurrent update",
                    "At COMMIT, statement " + std::to_string(i + 1) + " of the transaction did " +
                        results.back().command_tag + " where it had reported " + expected[i] +
                        ".",
                    "Nothing of the transaction was applied; retry it.");
      }
    }
    propagate();
    if (txn.options.dry_run) {
      batch.RollbackToSavePoint();
      SyncViews();  // drops circuits of views the transaction created
      return results;
    }
    batch.PopSavePoint();
    if (working) {
      catalog_ = working;
      SyncViews();
    }
  } catch (const Error& e) {
    batch.RollbackToSavePoint();
    if (results.empty() || !results.back().error) results.push_back(ErrorResult(e));
    SyncViews();  // drops circuits of views the transaction created
  } catch (const std::exception& e) {
    // A bug must fail its transaction alone, not stop the writer: roll it back like an error.
    spdlog::error("internal error in a transaction: {}", e.what());
    batch.RollbackToSavePoint();
    results.push_back(ErrorResult(Error(sqlstate::kInternalError,
                                        std::string("internal error: ") + e.what())));
    SyncViews();
  }
  return results;
}

void Engine::SyncViews() {
  for (auto it = views_.begin(); it != views_.end();) {
    it = catalog_->FindById(it->first) ? std::next(it) : views_.erase(it);
  }
}

void Engine::Propagate(const sql::Catalog& catalog, storage::StepBatch& batch, DeltaMap* deltas,
                       ivm::StepStats* stats) {
  if (deltas->empty()) return;
  for (auto& [id, delta] : *deltas) delta.Consolidate();
  for (auto& [view_id, view] : views_) {
    const sql::RelationInfo* rel = catalog.FindById(view_id);
    if (!rel) continue;  // dropped earlier in this transaction
    std::vector<const ivm::ZSet*> sources;
    static const ivm::ZSet kEmpty;
    bool any = false;
    for (uint64_t input : view.lowered.inputs) {
      auto it = deltas->find(input);
      if (it != deltas->end() && !it->second.empty()) {
        sources.push_back(&it->second);
        any = true;
      } else {
        sources.push_back(&kEmpty);
      }
    }
    if (!any) continue;
    std::map<int, std::unique_ptr<storage::OperatorState>> states;
    auto state_for = [&, id = view_id](int node) -> ivm::StateStore* {
      auto& slot = states[node];
      if (!slot) {
        slot = std::make_unique<storage::OperatorState>(
            &batch, storage::OperatorStatePrefix(id, static_cast<uint32_t>(node)));
      }
      return slot.get();
    };
    ivm::ZSet out = view.lowered.circuit->Step(sources, state_for, false, stats);
    if (out.empty()) continue;
    storage::RelationStore(view_id, rel->StorageKey()).Apply(batch, out);
    (*deltas)[view_id] = std::move(out);
  }
  deltas->clear();
}

int64_t Engine::Backfill(const sql::RelationInfo& rel, MaintainedView& view,
                         const sql::Catalog& catalog, storage::StepBatch& batch) {
  std::map<uint64_t, ivm::ZSet> inputs;
  std::vector<const ivm::ZSet*> sources;
  for (uint64_t id : view.lowered.inputs) {
    auto it = inputs.find(id);
    if (it == inputs.end()) it = inputs.emplace(id, ReadRelation(id, catalog, batch)).first;
    sources.push_back(&it->second);
  }
  std::map<int, std::unique_ptr<storage::OperatorState>> states;
  auto state_for = [&](int node) -> ivm::StateStore* {
    auto& slot = states[node];
    if (!slot) {
      slot = std::make_unique<storage::OperatorState>(
          &batch, storage::OperatorStatePrefix(rel.id, static_cast<uint32_t>(node)));
    }
    return slot.get();
  };
  ivm::StepStats stats;
  ivm::ZSet out = view.lowered.circuit->Step(sources, state_for, true, &stats);
  storage::RelationStore(rel.id, rel.StorageKey()).Apply(batch, out);
  int64_t rows = 0;
  for (const ivm::ZSetEntry& e : out.entries()) rows += e.weight;
  return rows;
}

void Engine::Commit(storage::StepBatch& batch, bool sync) {
  StampStep(batch);
  batch.Commit(sync);
}

void Engine::StampStep(storage::StepBatch& batch) {
  ++step_;
  batch.Put(kStepKey, EncodeU64(step_));
  // Only DDL hands out ids: most steps need not write it (each write is a memtable insert).
  if (next_id_ != next_id_written_) {
    batch.Put(kNextIdKey, EncodeU64(next_id_));
    next_id_written_ = next_id_;
  }
}

void Engine::Publish() {
  auto state = std::make_shared<PublishedState>();
  state->step = step_;
  state->snapshot = db_->NewSnapshot();
  state->catalog = catalog_;
  published_catalog_ = catalog_;
  std::lock_guard<std::mutex> lock(mu_);
  published_ = std::move(state);
}

std::string Engine::CreateTable(const sql::CreateTableStmt& stmt, sql::Catalog* catalog,
                                storage::StepBatch& batch) {
  if (catalog->Find(stmt.name.schema, stmt.name.name)) {
    if (stmt.if_not_exists) return "CREATE TABLE";
    throw Error(sqlstate::kDuplicateTable, "relation \"" + stmt.name.name + "\" already exists");
  }
  sql::RelationInfo table = sql::Binder(*catalog).BindCreateTable(stmt);
  table.id = next_id_++;
  table.owner = statement_role_;
  if (!table.source.empty()) RegisterSource(table, batch);
  batch.Put(storage::CatalogKey(table.id), EncodeRelation(table));
  catalog->Put(std::move(table));
  return "CREATE TABLE";
}

namespace {

// The name, columns and definition of a new view or materialized view; throws 42P07 when
// the name is taken (unless IF NOT EXISTS: then nullopt), 3F000 for another schema, 42701
// for a repeated column name.
std::optional<sql::RelationInfo> NewViewRelation(const sql::CreateMaterializedViewStmt& stmt,
                                                 const sql::Catalog& catalog,
                                                 const sql::BoundQuery& bound) {
  if (catalog.Find(stmt.name.schema, stmt.name.name)) {
    if (stmt.if_not_exists) return std::nullopt;
    throw Error(sqlstate::kDuplicateTable, "relation \"" + stmt.name.name + "\" already exists");
  }
  if (!stmt.name.schema.empty() && stmt.name.schema != sql::kDefaultSchema) {
    throw Error("3F000", "schema \"" + stmt.name.schema + "\" does not exist");
  }
  sql::RelationInfo rel;
  rel.kind = stmt.materialized ? sql::RelationKind::kMaterializedView : sql::RelationKind::kView;
  rel.name = stmt.name.name;
  if (stmt.column_names.size() > bound.column_names.size()) {
    throw Error(sqlstate::kSyntaxError, "too many column names were specified");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < bound.column_names.size(); ++i) {
    std::string name = i < stmt.column_names.size() ? stmt.column_names[i] : bound.column_names[i];
    if (!names.insert(name).second) {
      throw Error(sqlstate::kDuplicateColumn, "column \"" + name + "\" specified more than once");
    }
    rel.columns.push_back({name, bound.column_types[i], false});
  }
  rel.definition = stmt.query->text;
  if (stmt.materialized) {
    rel.unique_prefix = sql::UniqueLeadingColumns(*bound.plan, catalog);
    rel.keyed_rows = rel.unique_prefix > 0;
  }
  // The views the query expands itself (not those inside them): dropping one needs CASCADE.
  for (const sql::RelationRead& read : sql::ReadRelations(*bound.plan)) {
    const sql::RelationInfo* in = catalog.FindById(read.relation_id);
    if (read.through_view == 0 && in && in->is_view()) rel.view_references.push_back(in->id);
  }
  return rel;
}

}  // namespace

std::string Engine::CreatePlainView(const sql::CreateMaterializedViewStmt& stmt,
                                    sql::Catalog* catalog, storage::StepBatch& batch) {
  sql::BoundQuery bound = sql::Binder(*catalog).BindQuery(*stmt.query);
  std::optional<sql::RelationInfo> rel = NewViewRelation(stmt, *catalog, bound);
  if (!rel) return "CREATE VIEW";
  for (const sql::RelationRead& read : sql::ReadRelations(*bound.plan)) {
    const sql::RelationInfo* in = catalog->FindById(read.relation_id);
    if (read.through_view == 0 && in && !in->is_view()) rel->inputs.push_back(in->id);
  }
  rel->id = next_id_++;
  rel->owner = statement_role_;
  batch.Put(storage::CatalogKey(rel->id), EncodeRelation(*rel));
  catalog->Put(std::move(*rel));
  return "CREATE VIEW";
}

std::string Engine::CreateView(const sql::CreateMaterializedViewStmt& stmt, sql::Catalog* catalog,
                               storage::StepBatch& batch) {
  if (!stmt.materialized) return CreatePlainView(stmt, catalog, batch);
  if (catalog->Find(stmt.name.schema, stmt.name.name) && stmt.if_not_exists) {
    return "CREATE MATERIALIZED VIEW";
  }
  sql::BoundQuery bound;
  MaintainedView view{PlanView(*stmt.query, *catalog, &bound)};
  std::optional<sql::RelationInfo> made = NewViewRelation(stmt, *catalog, bound);
  if (!made) return "CREATE MATERIALIZED VIEW";
  sql::RelationInfo rel = std::move(*made);
  rel.inputs = view.lowered.inputs;
  rel.inputs.erase(std::remove(rel.inputs.begin(), rel.inputs.end(), 0), rel.inputs.end());
  for (uint64_t input : rel.inputs) {
    const sql::RelationInfo* in = catalog->FindById(input);
    if (in && in->system) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "materialized views over system table \"" + in->name + "\" are not supported", "",
                  "Query it directly; it is always current.");
    }
  }
  rel.plan_fingerprint = view.lowered.circuit->Fingerprint();
  rel.id = next_id_++;
  rel.owner = statement_role_;
  int64_t rows = Backfill(rel, view, *catalog, batch);
  batch.Put(storage::CatalogKey(rel.id), EncodeRelation(rel));
  views_.emplace(rel.id, std::move(view));
  catalog->Put(std::move(rel));
  return "SELECT " + std::to_string(rows);
}

std::string Engine::Drop(const sql::DropStmt& stmt, sql::Catalog* catalog,
                         storage::StepBatch& batch) {
  using Kind = sql::DropStmt::Kind;
  const char* what = stmt.kind == Kind::kTable  ? "table"
                     : stmt.kind == Kind::kView ? "view"
                                                : "materialized view";
  std::string tag = std::string("DROP ") + (stmt.kind == Kind::kTable  ? "TABLE"
                                            : stmt.kind == Kind::kView ? "VIEW"
                                                                       : "MATERIALIZED VIEW");
  for (const sql::QualifiedName& name : stmt.names) {
    const sql::RelationInfo* rel = catalog->Find(name.schema, name.name);
    if (!rel) {
      if (stmt.if_exists) continue;
      throw Error(sqlstate::kUndefinedTable,
                  std::string(what) + " \"" + name.name + "\" does not exist");
    }
    if (rel->system) {
      throw Error(sqlstate::kInsufficientPrivilege,
                  "permission denied: \"" + rel->name + "\" is a system catalog");
    }
    bool kind_ok = stmt.kind == Kind::kTable  ? rel->is_table()
                   : stmt.kind == Kind::kView ? rel->is_view()
                                              : rel->is_materialized_view();
    if (!kind_ok) {
      throw Error(sqlstate::kWrongObjectType, "\"" + rel->name + "\" is not a " + what, "",
                  rel->is_table()  ? "Use DROP TABLE to remove a table."
                  : rel->is_view() ? "Use DROP VIEW to remove a view."
                                   : "Use DROP MATERIALIZED VIEW to remove a materialized view.");
    }
    std::vector<const sql::RelationInfo*> dependents = catalog->Dependents(rel->id);
    if (!dependents.empty() && !stmt.cascade) {
      std::string detail;
      for (const sql::RelationInfo* d : dependents) {
        if (!detail.empty()) detail += "\n";
        detail += std::string(d->KindName()) + " " + d->name + " depends on " + rel->KindName() +
                  " " + rel->name;
      }
      throw Error(sqlstate::kDependentObjectsStillExist,
                  "cannot drop " + std::string(rel->KindName()) + " " + rel->name +
                      " because other objects depend on it",
                  detail, "Use DROP ... CASCADE to drop the dependent objects too.");
    }
    DropRelation(rel->id, catalog, batch);
  }
  return tag;
}

void Engine::DropRelation(uint64_t id, sql::Catalog* catalog, storage::StepBatch& batch) {
  for (const sql::RelationInfo* d : catalog->Dependents(id)) DropRelation(d->id, catalog, batch);
  const sql::RelationInfo* rel = catalog->FindById(id);
  if (!rel) return;  // already dropped through another path
  storage::RelationStore(id, rel->StorageKey()).Clear(batch);
  batch.DeletePrefix(storage::ViewStatePrefix(id));
  if (!rel->source.empty()) UnregisterSource(*rel, batch);
  batch.Delete(storage::CatalogKey(id));
  catalog->Remove(id);  // its circuit goes when the transaction succeeds (SyncViews)
}

}  // namespace server
