// The engine's side of Kafka ingestion, without Kafka: SourceBatches submitted directly are
// applied by key, their offsets, errors and tributary_sources row land in the same step, a
// batch whose rows break a view is applied message by message, and a batch for a table that
// is gone is refused. (The end-to-end path through librdkafka is in tests/integration.)
#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "server/engine.h"
#include "server/read_executor.h"
#include "sql/parser.h"
#include "tests/unit/temp_dir.h"

namespace {

using tributary_test::TempDir;

using connectors::RowChange;
using ivm::Value;

void Exec(server::Engine& engine, const std::string& sql) {
  server::TransactionResults results = engine.Execute(sql);
  INFO(sql);
  if (results.back().error) FAIL(results.back().error->message());
}

std::vector<std::string> Query(server::Engine& engine, const std::string& sql) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(sql);
  auto state = engine.Published();
  protocol::StatementResult result =
      server::ExecuteRead(parsed.at(0), *state->catalog, *state->snapshot);
  if (result.error) FAIL(result.error->message());
  std::vector<std::string> rows;
  for (const auto& cells : result.rows) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) line += (i ? "|" : "") + cells[i].value_or("NULL");
    rows.push_back(line);
  }
  return rows;
}

// A Kafka-fed table whose runner never starts (paused in the same transaction), so the test
// alone feeds it.
void CreateFedTable(server::Engine& engine, const std::string& name, const std::string& columns) {
  Exec(engine, "CREATE TABLE " + name + " (" + columns + ") WITH (connector='kafka', topic='t_" +
                   name +
                   "', properties.bootstrap.server='127.0.0.1:1') FORMAT DEBEZIUM ENCODE JSON; "
                   "PAUSE ROUTINE LOAD FOR " +
                   name);
}

ivm::Row R(int id, std::optional<int> v) {
  return {Value::Int32(id), v ? Value::Int32(*v) : Value::Null(ivm::TypeId::kInt32)};
}

RowChange Insert(ivm::Row after) { return {RowChange::Kind::kInsert, std::nullopt, after}; }
RowChange Update(std::optional<ivm::Row> before, ivm::Row after) {
  return {RowChange::Kind::kUpdate, std::move(before), std::move(after)};
}
RowChange Delete(ivm::Row before) { return {RowChange::Kind::kDelete, before, std::nullopt}; }

// One message per change, partition 0, offsets from `first_offset`.
server::SourceBatch Batch(server::Engine& engine, const std::string& table,
                          std::vector<RowChange> changes, int64_t first_offset) {
  server::SourceBatch batch;
  batch.table_id = engine.Published()->catalog->Find("", table)->id;
  batch.source = table;
  for (size_t i = 0; i < changes.size(); ++i) {
    batch.spans.push_back({0, first_offset + static_cast<int64_t>(i), i, 1});
  }
  batch.changes = std::move(changes);
  batch.messages = static_cast<int64_t>(batch.changes.size());
  batch.offsets[0] = first_offset + batch.messages;
  batch.partitions = 1;
  return batch;
}

// The offset of partition 0 that readers see stored now, or -1. (Not Query: it may run on
// the writer thread, where Catch2's assertions may not.)
int64_t StoredOffset(server::Engine& engine) {
  auto state = engine.Published();
  protocol::StatementResult result =
      server::ExecuteRead(sql::ParseScript("SELECT offsets FROM tributary_sources").at(0),
                          *state->catalog, *state->snapshot);
  if (result.error || result.rows.size() != 1 || !result.rows[0].at(0)) return -1;
  return std::stoll(result.rows[0][0]->substr(2));  // "0:N"
}

bool Apply(server::Engine& engine, server::SourceBatch batch) {
  std::promise<bool> done;
  const size_t changes = batch.changes.size();
  engine.SubmitSourceBatch(std::move(batch), [&](bool ok, server::SourceBatch spent) {
    CHECK(spent.changes.size() == changes);  // handed back whole, for its sender to free
    done.set_value(ok);
  });
  return done.get_future().get();
}

}  // namespace

TEST_CASE("a keyed Kafka-fed table is a map: every change replaces the row of its key") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateFedTable(*engine, "t", "id int PRIMARY KEY, v int");
  Exec(*engine, "CREATE MATERIALIZED VIEW s AS SELECT count(*) AS n, sum(v) AS total FROM t");

  REQUIRE(Apply(*engine,
                Batch(*engine, "t", {Insert(R(1, 10)), Insert(R(2, 20)), Insert(R(3, 30))}, 0)));
  CHECK(Query(*engine, "SELECT * FROM t ORDER BY id") ==
        std::vector<std::string>{"1|10", "2|20", "3|30"});

  // A before-image with only the key (stale or partial) still replaces the stored row; an
  // insert of a key that exists replaces it too; a key change moves the row; several changes
  // to one key in one batch leave the last.
  REQUIRE(Apply(*engine, Batch(*engine, "t",
                               {Update(R(1, std::nullopt), R(1, 11)), Insert(R(2, 21)),
                                Update(R(3, 30), R(4, 40)), Update(std::nullopt, R(5, 50)),
                                Update(std::nullopt, R(5, 51)), Delete(R(2, std::nullopt))},
                               3)));
  CHECK(Query(*engine, "SELECT * FROM t ORDER BY id") ==
        std::vector<std::string>{"1|11", "4|40", "5|51"});
  CHECK(Query(*engine, "SELECT * FROM s") == std::vector<std::string>{"3|102"});
  CHECK(Query(*engine, "VERIFY MATERIALIZED VIEW s").at(0).rfind("OK", 0) == 0);
  // A delete of a key that is not there changes nothing.
  REQUIRE(Apply(*engine, Batch(*engine, "t", {Delete(R(9, std::nullopt))}, 9)));
  CHECK(Query(*engine, "SELECT * FROM s") == std::vector<std::string>{"3|102"});

  CHECK(Query(*engine,
              "SELECT name, kind, status, offsets, messages, rows_applied, errors FROM "
              "tributary_sources") == std::vector<std::string>{"t|table|running|0:10|10|10|0"});

  // The offsets and counters are stored with the rows: a restart finds them.
  engine->Stop();
  engine.reset();
  engine = server::Engine::Open(dir.path);
  engine->Start();
  CHECK(Query(*engine, "SELECT offsets, messages FROM tributary_sources") ==
        std::vector<std::string>{"0:10|10"});
  CHECK(Query(*engine, "SELECT * FROM s") == std::vector<std::string>{"3|102"});
}

TEST_CASE("a keyless Kafka-fed table never holds a row a negative number of times") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateFedTable(*engine, "m", "id int, v int");
  REQUIRE(
      Apply(*engine, Batch(*engine, "m", {Insert(R(1, 1)), Insert(R(1, 1)), Insert(R(2, 2))}, 0)));
  REQUIRE(Apply(*engine, Batch(*engine, "m",
                               {Delete(R(1, 1)), Delete(R(3, 3)), Update(R(2, 2), R(2, 3)),
                                Update(R(7, 7), R(8, 8))},
                               3)));
  CHECK(Query(*engine, "SELECT * FROM m ORDER BY id, v") ==
        std::vector<std::string>{"1|1", "2|3", "8|8"});
}

TEST_CASE("rows that break a view are skipped message by message as source errors") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateFedTable(*engine, "t", "id int PRIMARY KEY, v int");
  Exec(*engine, "CREATE MATERIALIZED VIEW q AS SELECT id, 100 / v AS r FROM t");
  REQUIRE(Apply(*engine,
                Batch(*engine, "t", {Insert(R(1, 10)), Insert(R(2, 0)), Insert(R(3, 50))}, 0)));
  CHECK(Query(*engine, "SELECT * FROM q ORDER BY id") == std::vector<std::string>{"1|10", "3|2"});
  CHECK(Query(*engine, "SELECT * FROM t ORDER BY id") == std::vector<std::string>{"1|10", "3|50"});
  CHECK(Query(*engine,
              "SELECT source, seq, partition, \"offset\", sqlstate FROM tributary_source_errors") ==
        std::vector<std::string>{"t|1|0|1|22012"});
  CHECK(
      Query(*engine, "SELECT messages, rows_applied, errors, last_error FROM tributary_sources") ==
      std::vector<std::string>{"3|2|1|division by zero"});
  // Dropping the table takes its source row and its error rows with it.
  Exec(*engine, "DROP TABLE t CASCADE");
  CHECK(Query(*engine, "SELECT count(*) FROM tributary_source_errors") ==
        std::vector<std::string>{"0"});
  CHECK(Query(*engine, "SELECT count(*) FROM tributary_sources") == std::vector<std::string>{"0"});
}

TEST_CASE("a batch for a table that was dropped is refused and changes nothing") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateFedTable(*engine, "t", "id int PRIMARY KEY, v int");
  server::SourceBatch batch = Batch(*engine, "t", {Insert(R(1, 1))}, 0);
  Exec(*engine, "DROP TABLE t");
  CHECK_FALSE(Apply(*engine, std::move(batch)));
  CHECK(Query(*engine, "SELECT count(*) FROM tributary_sources") == std::vector<std::string>{"0"});
}

TEST_CASE("system tables are read-only and cannot feed views") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CHECK(engine->Execute("DELETE FROM tributary_sources").back().error->sqlstate() == "42501");
  CHECK(engine->Execute("DROP TABLE tributary_source_errors").back().error->sqlstate() == "42501");
  CHECK(engine->Execute("CREATE MATERIALIZED VIEW v AS SELECT * FROM tributary_sources")
            .back()
            .error->sqlstate() == "0A000");
  CHECK(Query(*engine, "SELECT count(*) FROM pg_catalog.tributary_source_errors") ==
        std::vector<std::string>{"0"});
  CreateFedTable(*engine, "t", "id int PRIMARY KEY, v int");
  CHECK(engine->Execute("INSERT INTO t VALUES (1, 1)").back().error->sqlstate() == "42809");
}

TEST_CASE("source batches applied back to back see each other, with transactions between") {
  // Each step of source batches is written while the next is computed over it: every
  // change below reads the row stored by the one before (a keyed table is a map), a join
  // view probes by scanning, and transactions in between finish the step in flight first.
  // A batch is acknowledged only once a published step holds it.
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateFedTable(*engine, "t", "id int PRIMARY KEY, v int");
  Exec(*engine, "CREATE TABLE d (id int PRIMARY KEY, name text)");
  Exec(*engine,
       "CREATE MATERIALIZED VIEW g AS SELECT v % 5 AS k, count(*) AS n, sum(v) AS total "
       "FROM t GROUP BY v % 5");
  Exec(*engine, "CREATE MATERIALIZED VIEW j AS SELECT t.id, d.name FROM t JOIN d ON t.v = d.id");

  // Large enough that a step's write takes a while (the writer takes batches of up to
  // about 16,384 changes a step), so the next step is computed while it is written.
  constexpr int kBatches = 40, kChanges = 3000;
  std::map<int, int> model;
  std::mt19937 random(11);
  std::vector<std::future<std::pair<bool, int64_t>>> acks;
  std::vector<int64_t> ends;
  int64_t offset = 0;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<RowChange> changes;
    for (int c = 0; c < kChanges; ++c) {
      const int id = static_cast<int>(random() % 20000);
      if (random() % 4 == 0) {
        changes.push_back(Delete(R(id, std::nullopt)));
        model.erase(id);
      } else {
        const int v = static_cast<int>(random() % 40);
        changes.push_back(Update(std::nullopt, R(id, v)));
        model[id] = v;
      }
    }
    auto ack = std::make_shared<std::promise<std::pair<bool, int64_t>>>();
    acks.push_back(ack->get_future());
    ends.push_back(offset + kChanges);
    server::Engine* e = engine.get();
    engine->SubmitSourceBatch(Batch(*engine, "t", std::move(changes), offset),
                              [ack, e](bool ok, server::SourceBatch) {
                                ack->set_value({ok, StoredOffset(*e)});
                              });
    offset += kChanges;
    if (b % 15 == 7) Exec(*engine, "INSERT INTO d VALUES (" + std::to_string(b % 40) + ", 'x')");
  }
  for (int b = 0; b < kBatches; ++b) {
    auto [ok, stored] = acks[b].get();
    INFO("batch " << b);
    CHECK(ok);
    CHECK(stored >= ends[b]);
  }
  std::vector<std::string> want;
  for (const auto& [id, v] : model) want.push_back(std::to_string(id) + "|" + std::to_string(v));
  CHECK(Query(*engine, "SELECT * FROM t ORDER BY id") == want);
  CHECK(Query(*engine, "VERIFY MATERIALIZED VIEW g").at(0).rfind("OK", 0) == 0);
  CHECK(Query(*engine, "VERIFY MATERIALIZED VIEW j").at(0).rfind("OK", 0) == 0);
  CHECK(Query(*engine, "SELECT count(*) FROM j") != std::vector<std::string>{"0"});
}
