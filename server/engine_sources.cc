// The engine's Kafka side: applying SourceBatches in a step (by key, with their offsets,
// errors and tributary_sources row in the same write), keeping one SourceRunner per source,
// and the DDL that declares and controls sources (CREATE ROUTINE LOAD, PAUSE / RESUME /
// STOP ROUTINE LOAD). See docs/kafka-ingestion.md.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "server/catalog_codec.h"
#include "server/engine.h"
#include "server/system_tables.h"
#include "sql/binder.h"
#include "storage/keys.h"
#include "storage/relation_store.h"

namespace server {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

namespace {

std::string EncodeU64(uint64_t v) {
  std::string s;
  ivm::PutBigEndian64(v, &s);
  return s;
}

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The stored tributary_sources row of `name`, if any.
std::optional<SourceRow> LoadSourceRow(storage::Reader& reader, const std::string& name) {
  std::optional<ivm::Row> row =
      storage::RelationStore(kSourcesTableId, {0}).Lookup(reader, {ivm::Value::Text(name)});
  if (!row) return std::nullopt;
  return SourceRow::FromRow(*row);
}

// The columns of a source's tributary_sources row that follow from its declaration.
void DescribeSource(const sql::RelationInfo& table, SourceRow* row) {
  row->name = SourceName(table);
  row->kind = table.source.is_routine_load() ? "routine load" : "table";
  row->table_name = table.name;
  row->topic = table.source.topic;
  row->format = SourceFormatName(table.source);
}

void StoreSourceRow(storage::StepBatch& batch, const SourceRow& row) {
  storage::RelationStore(kSourcesTableId, {0}).PutKeyed(batch, row.ToRow());
}

std::map<int32_t, int64_t> LoadOffsets(storage::Reader& reader, uint64_t table_id) {
  std::map<int32_t, int64_t> offsets;
  const std::string prefix = storage::SourceOffsetPrefix(table_id);
  reader.Scan(prefix, [&](std::string_view key, std::string_view value) {
    key.remove_prefix(prefix.size());
    offsets[static_cast<int32_t>(ivm::GetBigEndian32(key))] =
        static_cast<int64_t>(ivm::GetBigEndian64(value));
    return true;
  });
  return offsets;
}

}  // namespace

bool Engine::ApplySourceBatch(const SourceBatch& source, storage::StepBatch& batch,
                              ivm::StepStats* stats) {
  const sql::RelationInfo* table = catalog_->FindById(source.table_id);
  if (!table || table->source.empty() || SourceName(*table) != source.source) return false;
  SourceRow row = LoadSourceRow(batch, source.source).value_or(SourceRow{});
  std::vector<SourceErrorRecord> errors = source.errors;
  int64_t applied = 0;
  batch.SetSavePoint();
  try {
    DeltaMap deltas;
    ApplySourceChanges(*table, source.changes, 0, source.changes.size(), batch, &deltas);
    Propagate(*catalog_, batch, &deltas, stats);
    batch.PopSavePoint();
    applied = static_cast<int64_t>(source.changes.size());
  } catch (const std::exception&) {
    // Some message's rows break a view (a division by zero, a cast, ...; or, with anything
    // but an ivm::Error, a bug): apply the batch message by message and skip, as a source
    // error, each message that fails.
    batch.RollbackToSavePoint();
    for (const SourceMessageSpan& span : source.spans) {
      batch.SetSavePoint();
      try {
        DeltaMap deltas;
        ApplySourceChanges(*table, source.changes, span.first_change,
                           span.first_change + span.changes, batch, &deltas);
        Propagate(*catalog_, batch, &deltas, stats);
        batch.PopSavePoint();
        applied += static_cast<int64_t>(span.changes);
      } catch (const Error& e) {
        batch.RollbackToSavePoint();
        errors.push_back({span.partition, span.offset, e.sqlstate(), e.message(), ""});
      } catch (const std::exception& e) {
        batch.RollbackToSavePoint();
        spdlog::error("internal error applying a message of source {}: {}", source.source,
                      e.what());
        errors.push_back({span.partition, span.offset, ivm::sqlstate::kInternalError,
                          std::string("internal error: ") + e.what(), ""});
      }
    }
  }
  for (const auto& [partition, offset] : source.offsets) {
    batch.Put(storage::SourceOffsetKey(table->id, partition),
              EncodeU64(static_cast<uint64_t>(offset)));
    row.offsets[partition] = offset;
  }
  const int64_t now = NowUnixMs();
  storage::RelationStore error_store(kSourceErrorsTableId, {0, 1});
  for (const SourceErrorRecord& e : errors) {
    const int64_t seq = ++row.errors;
    error_store.PutKeyed(
        batch, SourceErrorRow(source.source, table->source.topic, e.partition, e.offset, e.sqlstate,
                              e.message, e.payload, seq, now));
    if (seq > kErrorsKept) {
      error_store.EraseKey(batch,
                           {ivm::Value::Text(source.source), ivm::Value::Int64(seq - kErrorsKept)});
    }
    row.last_error = e.message;
  }
  if (source.last_error) row.last_error = *source.last_error;
  DescribeSource(*table, &row);
  row.status = source.status;
  row.partitions = source.partitions;
  row.lag = source.lag;
  row.messages += source.messages;
  row.rows_applied += applied;
  row.updated_unix_ms = now;
  StoreSourceRow(batch, row);
  return true;
}

void Engine::ApplySourceChanges(const sql::RelationInfo& table,
                                const std::vector<connectors::RowChange>& changes, size_t begin,
                                size_t end, storage::StepBatch& batch, DeltaMap* deltas) {
  using Kind = connectors::RowChange::Kind;
  storage::RelationStore store(table.id, table.primary_key);
  ivm::ZSet& delta = (*deltas)[table.id];
  if (table.primary_key.empty()) {
    // A multiset: inserts add, deletes retract rows that are there (a delete of a row that
    // is not there changes nothing, rather than leaving a negative count).
    ivm::ZSet change;
    for (size_t i = begin; i < end; ++i) {
      const connectors::RowChange& c = changes[i];
      if (c.kind != Kind::kInsert && c.before) change.Add(*c.before, -1);
      if (c.kind != Kind::kDelete && c.after) change.Add(*c.after, 1);
    }
    change.Consolidate();
    ivm::ZSet bounded;
    for (ivm::ZSetEntry& e : change.mutable_entries()) {
      if (e.weight < 0) {
        std::optional<ivm::ZSetEntry> stored = store.LookupKey(batch, store.RowKey(e.row));
        e.weight = std::max(e.weight, stored ? -stored->weight : 0);
        if (e.weight == 0) continue;
      }
      bounded.Add(std::move(e.row), e.weight);
    }
    store.Apply(batch, bounded);
    delta.Append(std::move(bounded));
    return;
  }
  // A map from key to row: every change replaces the row stored for its key, so a partial
  // or stale before-image only has to carry the key. The batch's last change to each key
  // decides what the key holds afterwards; then the touched keys are read and written once
  // each, in key order (RocksDB inserts sorted keys into its memtable with little search).
  struct Touch {
    std::string key;
    const ivm::Row* row;  // what the key holds after this change; nullptr: nothing
  };
  std::vector<Touch> touches;
  touches.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    const connectors::RowChange& c = changes[i];
    if (c.kind == Kind::kDelete) {
      if (c.before) touches.push_back({store.RowKey(*c.before), nullptr});
      continue;
    }
    if (!c.after) continue;
    std::string key = store.RowKey(*c.after);
    if (c.before) {
      std::string before_key = store.RowKey(*c.before);
      if (before_key != key) touches.push_back({std::move(before_key), nullptr});  // key moved
    }
    touches.push_back({std::move(key), &*c.after});
  }
  // In key order, each key's changes in batch order; the last one of each key stays.
  std::stable_sort(touches.begin(), touches.end(),
                   [](const Touch& a, const Touch& b) { return a.key < b.key; });
  size_t kept = 0;
  for (size_t i = 0; i < touches.size(); ++i) {
    if (i + 1 < touches.size() && touches[i + 1].key == touches[i].key) continue;
    if (kept != i) touches[kept] = std::move(touches[i]);
    ++kept;
  }
  touches.resize(kept);
  std::vector<std::string_view> keys;
  keys.reserve(touches.size());
  for (const Touch& t : touches) keys.push_back(t.key);
  std::vector<std::optional<ivm::ZSetEntry>> stored_rows = store.LookupKeys(batch, keys);
  for (size_t i = 0; i < touches.size(); ++i) {
    const ivm::Row* row = touches[i].row;
    std::optional<ivm::ZSetEntry>& stored = stored_rows[i];
    if (!stored && !row) continue;
    // The old row and the new one in row order: with the key leading the columns, the
    // delta is then in row order as a whole, and consolidated as it stands.
    const int order = stored && row ? ivm::CompareRowsIdentity(stored->row, *row) : 0;
    if (stored && row && order == 0) continue;  // unchanged
    if (row) {
      store.PutKeyed(batch, touches[i].key, *row);
    } else {
      batch.Delete(touches[i].key);
    }
    if (order > 0) delta.Add(*row, 1);  // the new row sorts first
    if (stored) delta.Add(std::move(stored->row), -1);
    if (row && order <= 0) delta.Add(*row, 1);
  }
}

void Engine::SyncSources() {
  // Stop runners whose source went away, was paused or changed.
  for (auto it = runners_.begin(); it != runners_.end();) {
    const uint64_t id = it->first;
    const sql::RelationInfo* table = catalog_->FindById(id);
    ++it;
    if (!table || table->source.empty() || table->source.paused ||
        EncodeRelation(*table) != EncodeRelation(runners_[id]->table())) {
      StopRunner(id);
    }
  }
  std::shared_ptr<storage::Snapshot> snapshot;
  for (const sql::RelationInfo* table : catalog_->All()) {
    if (table->source.empty() || table->source.paused || runners_.count(table->id)) continue;
    if (!snapshot) snapshot = db_->NewSnapshot();
    try {
      auto runner = std::make_unique<SourceRunner>(
          *table, LoadOffsets(*snapshot, table->id), [this](SourceBatch b, SourceBatchDone done) {
            SubmitSourceBatch(std::move(b), std::move(done));
          });
      runner->Start();
      spdlog::info("source {} reads topic {} from {}", SourceName(*table), table->source.topic,
                   table->source.bootstrap_servers);
      runners_.emplace(table->id, std::move(runner));
    } catch (const Error& e) {
      spdlog::error("source {} cannot start: {}", SourceName(*table), e.message());
    }
  }
}

void Engine::StopRunner(uint64_t table_id) {
  auto it = runners_.find(table_id);
  if (it == runners_.end()) return;
  it->second->Stop();
  // Its batches still queued belong to a source that is gone or restarting: drop them (the
  // new runner starts from the stored offsets).
  DropQueuedBatches(table_id);
  runners_.erase(it);
}

void Engine::DropQueuedBatches(uint64_t table_id) {
  std::vector<PendingSourceBatch> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto q = source_queue_.begin(); q != source_queue_.end();) {
      if (q->batch.table_id == table_id) {
        dropped.push_back(std::move(*q));
        q = source_queue_.erase(q);
      } else {
        ++q;
      }
    }
  }
  for (PendingSourceBatch& d : dropped) d.done(false, std::move(d.batch));
}

void Engine::RegisterSource(const sql::RelationInfo& table, storage::StepBatch& batch) {
  // Fail now, not when the runner starts, for options librdkafka or the decoder reject.
  connectors::KafkaSourceConfig config = KafkaConfigFor(table);
  if (config.startup_mode == connectors::StartupMode::kGroupOffsets && config.group_id.empty()) {
    throw Error(sqlstate::kInvalidParameterValue, "startup mode group-offsets needs a group id", "",
                "Set 'properties.group.id' (StarRocks: \"property.group.id\").");
  }
  connectors::CheckConsumerConf(config);
  DecoderFor(table);
  SourceRow row;
  DescribeSource(table, &row);
  row.status = table.source.paused ? "paused" : "running";
  row.updated_unix_ms = NowUnixMs();
  StoreSourceRow(batch, row);
}

void Engine::UnregisterSource(const sql::RelationInfo& table, storage::StepBatch& batch,
                              const char* final_status) {
  const std::string name = SourceName(table);
  batch.DeletePrefix(storage::SourceOffsetPrefix(table.id));
  storage::RelationStore errors(kSourceErrorsTableId, {0, 1});
  std::vector<ivm::Row> doomed;
  errors.Scan(batch, [&](const ivm::Row& row, int64_t) {
    if (row[0].string_value() == name) doomed.push_back(row);
    return true;
  });
  for (const ivm::Row& row : doomed) errors.EraseKey(batch, {row[0], row[1]});
  std::optional<SourceRow> row = LoadSourceRow(batch, name);
  if (!row) return;
  if (final_status) {
    row->status = final_status;
    row->lag = 0;
    row->updated_unix_ms = NowUnixMs();
    StoreSourceRow(batch, *row);
  } else {
    storage::RelationStore(kSourcesTableId, {0}).EraseKey(batch, {ivm::Value::Text(name)});
  }
}

std::string Engine::CreateRoutineLoad(const sql::CreateRoutineLoadStmt& stmt, sql::Catalog* catalog,
                                      storage::StepBatch& batch) {
  sql::RelationInfo table = sql::Binder(*catalog).BindRoutineLoad(stmt);
  for (const sql::RelationInfo* other : catalog->All()) {
    if (!other->source.empty() && SourceName(*other) == table.source.job) {
      throw Error(sqlstate::kDuplicateObject,
                  "routine load job \"" + table.source.job + "\" already exists");
    }
  }
  RegisterSource(table, batch);
  batch.Put(storage::CatalogKey(table.id), EncodeRelation(table));
  catalog->Put(std::move(table));
  return "CREATE ROUTINE LOAD";
}

std::string Engine::ControlRoutineLoad(const sql::RoutineLoadControlStmt& stmt,
                                       sql::Catalog* catalog, storage::StepBatch& batch) {
  using Action = sql::RoutineLoadControlStmt::Action;
  const std::string& name = stmt.job->name;
  const sql::RelationInfo* found = nullptr;
  for (const sql::RelationInfo* rel : catalog->All()) {
    if (!rel->source.empty() && SourceName(*rel) == name) found = rel;
  }
  if (!found) {
    throw Error(sqlstate::kUndefinedObject, "routine load job \"" + name + "\" does not exist", "",
                "A routine load job, or a Kafka-fed table, of that name must exist.");
  }
  sql::RelationInfo table = *found;
  std::optional<SourceRow> row = LoadSourceRow(batch, name);
  const char* tag = "";
  switch (stmt.action) {
    case Action::kPause:
      tag = "PAUSE ROUTINE LOAD";
      if (table.source.paused) return tag;
      table.source.paused = true;
      if (row) row->status = "paused";
      break;
    case Action::kResume:
      tag = "RESUME ROUTINE LOAD";
      if (!table.source.paused) {
        // Stopped at a bad message (on.error = 'stop'): skip it and go on.
        auto it = runners_.find(table.id);
        if (it != runners_.end()) it->second->ResumeSkippingError();
        return tag;
      }
      table.source.paused = false;
      if (row) row->status = "running";
      break;
    case Action::kStop:
      tag = "STOP ROUTINE LOAD";
      if (!table.source.is_routine_load()) {
        throw Error(sqlstate::kWrongObjectType,
                    "\"" + name + "\" is a Kafka-fed table, not a routine load job", "",
                    "Use PAUSE ROUTINE LOAD FOR " + name + ", or DROP TABLE.");
      }
      UnregisterSource(table, batch, "stopped");
      table.source = {};  // the table stays, with its rows, and is an ordinary table again
      row.reset();
      break;
    case Action::kShow:
      throw Error(sqlstate::kInternalError, "SHOW ROUTINE LOAD is a read");
  }
  if (row) {
    row->updated_unix_ms = NowUnixMs();
    StoreSourceRow(batch, *row);
  }
  batch.Put(storage::CatalogKey(table.id), EncodeRelation(table));
  catalog->Put(std::move(table));
  return tag;
}

}  // namespace server
