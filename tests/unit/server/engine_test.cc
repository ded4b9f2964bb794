// The engine in-process: steps, views over views, restart, and the proof that a step's
// work follows the size of its change, not the size of the tables.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server/catalog_codec.h"
#include "server/dml_executor.h"
#include "server/engine.h"
#include "server/query_executor.h"
#include "server/read_executor.h"
#include "sql/binder.h"
#include "sql/parser.h"
#include "storage/database.h"
#include "storage/keys.h"
#include "storage/relation_store.h"
#include "tests/unit/temp_dir.h"

namespace {

using tributary_test::TempDir;

void Exec(server::Engine& engine, const std::string& sql) {
  server::TransactionResults results = engine.Execute(sql);
  INFO(sql);
  if (results.back().error) FAIL(results.back().error->message());
}

std::string ErrorOf(server::Engine& engine, const std::string& sql) {
  server::TransactionResults results = engine.Execute(sql);
  return results.back().error ? results.back().error->sqlstate() : "";
}

protocol::StatementResult Read(server::Engine& engine, const std::string& sql) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(sql);
  auto state = engine.Published();
  return server::ExecuteRead(parsed.at(0), *state->catalog, *state->snapshot);
}

// Rows of a query as "a|b" strings, in the query's order.
std::vector<std::string> Query(server::Engine& engine, const std::string& sql) {
  protocol::StatementResult result = Read(engine, sql);
  if (result.error) FAIL(result.error->message());
  std::vector<std::string> rows;
  for (const auto& cells : result.rows) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) line += "|";
      line += cells[i] ? *cells[i] : "NULL";
    }
    rows.push_back(line);
  }
  return rows;
}

// The maintained view revenue (LoadBase) equals its query computed from scratch.
void CheckRevenueIsFresh(server::Engine& engine) {
  CHECK(Query(engine, "SELECT * FROM revenue ORDER BY region") ==
        Query(engine,
              "SELECT c.region, count(*), sum(o.amount) FROM orders o JOIN customers c ON "
              "o.customer_id = c.id GROUP BY c.region ORDER BY c.region"));
}

void LoadBase(server::Engine& engine, int rows) {
  Exec(engine, "CREATE TABLE customers (id int PRIMARY KEY, region text)");
  Exec(engine, "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric(12,2))");
  Exec(engine,
       "CREATE MATERIALIZED VIEW revenue AS SELECT c.region, count(*) AS n, sum(o.amount) AS total "
       "FROM orders o JOIN customers c ON o.customer_id = c.id GROUP BY c.region");
  std::string customers = "INSERT INTO customers VALUES ";
  for (int i = 0; i < 100; ++i) {
    customers += (i ? ",(" : "(") + std::to_string(i) + ", 'r" + std::to_string(i % 10) + "')";
  }
  Exec(engine, customers);
  constexpr int kChunk = 2000;
  for (int start = 0; start < rows; start += kChunk) {
    std::string insert = "INSERT INTO orders VALUES ";
    for (int i = start; i < std::min(rows, start + kChunk); ++i) {
      insert +=
          (i > start ? ",(" : "(") + std::to_string(i) + "," + std::to_string(i % 100) + ",1.25)";
    }
    Exec(engine, insert);
  }
}

// t(id, g, v): 40,000 rows, three chunks of a one-shot query (16,384 rows each); u(g, w)
// a multiset whose first 1,000 rows are there twice.
void CreateChunkedTables(server::Engine& engine) {
  Exec(engine, "CREATE TABLE t (id int PRIMARY KEY, g int, v int)");
  Exec(engine, "INSERT INTO t SELECT i, i % 7, i FROM generate_series(1, 40000) i");
  Exec(engine, "CREATE TABLE u (g int, w int)");
  Exec(engine, "INSERT INTO u SELECT i % 7, i % 20000 FROM generate_series(1, 40000) i");
  Exec(engine, "INSERT INTO u SELECT i % 7, i % 20000 FROM generate_series(1, 1000) i");
}

// The SELECT `sql` bound against the engine's catalog.
sql::BoundQuery BindSelect(server::Engine& engine, const std::string& sql) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(sql);
  ivm::ParameterTyping typing({});
  return sql::Binder(*engine.Published()->catalog)
      .BindQuery(*std::get<sql::SelectStmt>(parsed.at(0).statement).query);
}

// Whether the SELECT `sql`, bound against the engine's catalog, is a key lookup.
bool IsKeyLookup(server::Engine& engine, const std::string& sql) {
  return server::IsKeyLookup(BindSelect(engine, sql), *engine.Published()->catalog);
}

}  // namespace

TEST_CASE("views over views follow inserts, updates and deletes") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  Exec(*engine, "CREATE TABLE t (id int PRIMARY KEY, g text, v int)");
  Exec(*engine,
       "CREATE MATERIALIZED VIEW by_g AS SELECT g, sum(v) AS s, min(v) AS lo FROM t GROUP BY g");
  Exec(*engine, "CREATE MATERIALIZED VIEW big AS SELECT g FROM by_g WHERE s > 10");
  Exec(*engine, "INSERT INTO t VALUES (1, 'a', 5), (2, 'a', 7), (3, 'b', 1)");
  CHECK(Query(*engine, "SELECT * FROM by_g ORDER BY g") ==
        std::vector<std::string>{"a|12|5", "b|1|1"});
  CHECK(Query(*engine, "SELECT * FROM big") == std::vector<std::string>{"a"});
  Exec(*engine, "UPDATE t SET g = 'b' WHERE id = 1");
  CHECK(Query(*engine, "SELECT * FROM by_g ORDER BY g") ==
        std::vector<std::string>{"a|7|7", "b|6|1"});
  CHECK(Query(*engine, "SELECT * FROM big").empty());
  Exec(*engine, "DELETE FROM t WHERE v = 1");
  CHECK(Query(*engine, "SELECT * FROM by_g ORDER BY g") ==
        std::vector<std::string>{"a|7|7", "b|5|5"});
  CHECK(ErrorOf(*engine, "DROP TABLE t") == "2BP01");
  Exec(*engine, "DROP TABLE t CASCADE");
  CHECK(Read(*engine, "SELECT * FROM big").error->sqlstate() == "42P01");
}

TEST_CASE("a failing statement in a step rolls back alone") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  Exec(*engine, "CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)");
  CHECK(ErrorOf(*engine, "INSERT INTO t VALUES (1, 1), (2, NULL)") == "23502");
  CHECK(Query(*engine, "SELECT count(*) FROM t") == std::vector<std::string>{"0"});
  Exec(*engine, "INSERT INTO t VALUES (1, 1)");
  CHECK(ErrorOf(*engine, "INSERT INTO t VALUES (2, 2), (1, 3)") == "23505");
  CHECK(Query(*engine, "SELECT * FROM t") == std::vector<std::string>{"1|1"});
  // Keys may move within one statement.
  Exec(*engine, "INSERT INTO t VALUES (2, 2)");
  Exec(*engine, "UPDATE t SET id = id + 1");
  CHECK(Query(*engine, "SELECT id FROM t ORDER BY id") == std::vector<std::string>{"2", "3"});
}

TEST_CASE("a transaction applies all of its statements or none") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  Exec(*engine,
       "CREATE TABLE t (id int PRIMARY KEY, v int); "
       "CREATE MATERIALIZED VIEW s AS SELECT sum(v) AS total, count(*) AS n FROM t; "
       "INSERT INTO t VALUES (1, 10)");
  CHECK(Query(*engine, "SELECT * FROM s") == std::vector<std::string>{"10|1"});

  // Reads inside a transaction see its writes, views included.
  server::TransactionResults results =
      engine->Execute("INSERT INTO t VALUES (2, 5); SELECT total FROM s");
  REQUIRE(results.size() == 2);
  REQUIRE(results[1].rows.size() == 1);
  CHECK(*results[1].rows[0][0] == "15");

  // An error rolls back the statements before it: rows, view state and catalog.
  results = engine->Execute(
      "INSERT INTO t VALUES (3, 1); CREATE TABLE u (a int); "
      "CREATE MATERIALIZED VIEW w AS SELECT count(*) FROM t; SELECT 1/0");
  REQUIRE(results.size() == 4);
  CHECK(results[3].error->sqlstate() == "22012");
  CHECK(Query(*engine, "SELECT * FROM s") == std::vector<std::string>{"15|2"});
  CHECK(Read(*engine, "SELECT * FROM u").error->sqlstate() == "42P01");
  CHECK(Read(*engine, "SELECT * FROM w").error->sqlstate() == "42P01");
  // The rolled-back view's circuit is gone: later changes do not reach it.
  Exec(*engine, "INSERT INTO t VALUES (4, 1)");
  CHECK(Query(*engine, "SELECT * FROM s") == std::vector<std::string>{"16|3"});

  // DDL and DML mixed: a view created mid-transaction sees earlier and later rows once.
  Exec(*engine,
       "INSERT INTO t VALUES (5, 100); CREATE MATERIALIZED VIEW big AS SELECT id FROM t WHERE v >= "
       "100; "
       "INSERT INTO t VALUES (6, 200)");
  CHECK(Query(*engine, "SELECT id FROM big ORDER BY id") == std::vector<std::string>{"5", "6"});
}

TEST_CASE("a bulk statement hands its change on every kRowsPerPropagation rows") {
  TempDir dir;
  auto db = storage::Database::Open(dir.path);
  auto batch = db->NewStepBatch();
  sql::RelationInfo table;
  table.id = 1000;
  table.name = "t";
  table.columns = {{"id", ivm::Type::Of(ivm::TypeId::kInt32)}};
  table.primary_key = {0};
  sql::Catalog catalog;
  catalog.Put(table);
  server::DeltaMap deltas;
  std::vector<size_t> slices;  // the pending rows at each hand-over
  server::DmlExecutor executor(catalog, *batch, &deltas, [&] {
    slices.push_back(deltas.at(table.id).size());
    deltas.clear();
  });
  const size_t k = server::DmlExecutor::kRowsPerPropagation;
  for (size_t i = 0; i < 2 * k + 5; ++i) {
    executor.InsertCopiedRow(table, {ivm::Value::Int32(static_cast<int32_t>(i))});
  }
  CHECK(slices == std::vector<size_t>{k, k});
  CHECK(deltas.at(table.id).size() == 5);  // the rest waits for the statement's end
}

TEST_CASE("a bulk statement reaches its views in slices, and stays atomic") {
  // More rows than DmlExecutor::kRowsPerPropagation, so the change goes through the views
  // in several slices within the one step.
  const int rows = 3 * static_cast<int>(server::DmlExecutor::kRowsPerPropagation) + 123;
  const std::string n = std::to_string(rows);
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  Exec(*engine,
       "CREATE TABLE dims (g int PRIMARY KEY, name text); "
       "INSERT INTO dims SELECT i, 'g' || i FROM generate_series(0, 9) i; "
       "CREATE TABLE t (id int PRIMARY KEY, g int, v int); "
       "CREATE MATERIALIZED VIEW by_name AS SELECT d.name, count(*) AS n, sum(t.v) AS total "
       "FROM t JOIN dims d ON t.g = d.g GROUP BY d.name; "
       "CREATE MATERIALIZED VIEW vs AS SELECT DISTINCT v FROM t; "
       "CREATE MATERIALIZED VIEW top AS SELECT max(n) AS most FROM by_name");
  auto check_views = [&] {
    for (const char* view : {"by_name", "vs", "top"}) {
      INFO(view);
      CHECK(Query(*engine, std::string("VERIFY MATERIALIZED VIEW ") + view).at(0).rfind("OK", 0) ==
            0);
    }
  };
  Exec(*engine, "INSERT INTO t SELECT i, i % 10, i % 1000 FROM generate_series(1, " + n + ") i");
  int64_t total = 0;
  for (int i = 1; i <= rows; ++i) total += i % 1000;
  CHECK(Query(*engine, "SELECT sum(n), sum(total) FROM by_name") ==
        std::vector<std::string>{n + "|" + std::to_string(total)});
  CHECK(Query(*engine, "SELECT count(*) FROM vs") == std::vector<std::string>{"1000"});
  check_views();

  // An UPDATE and a DELETE of every row go through in slices too.
  Exec(*engine, "UPDATE t SET g = (g + 1) % 10, v = v + 1");
  check_views();
  CHECK(Query(*engine, "SELECT count(*) FROM vs") == std::vector<std::string>{"1000"});

  // A bulk statement that fails after its first slices reached the views leaves nothing:
  // the duplicate key comes last.
  const std::string before = Query(*engine, "SELECT * FROM by_name ORDER BY name").at(0);
  CHECK(ErrorOf(*engine, "INSERT INTO t SELECT i, 0, 5000 FROM generate_series(" +
                             std::to_string(rows + 1) + ", " + std::to_string(2 * rows) +
                             ") i UNION ALL SELECT 1, 0, 0") == "23505");
  CHECK(Query(*engine, "SELECT * FROM by_name ORDER BY name").at(0) == before);
  CHECK(Query(*engine, "SELECT count(*) FROM vs WHERE v = 5000") == std::vector<std::string>{"0"});
  check_views();

  Exec(*engine, "DELETE FROM t WHERE id % 3 <> 0");
  check_views();
  Exec(*engine, "DELETE FROM t");
  CHECK(Query(*engine, "SELECT count(*) FROM by_name") == std::vector<std::string>{"0"});
  CHECK(Query(*engine, "SELECT * FROM top") == std::vector<std::string>{"NULL"});
  check_views();
}

TEST_CASE("views survive a restart without being recomputed") {
  TempDir dir;
  {
    auto engine = server::Engine::Open(dir.path);
    engine->Start();
    LoadBase(*engine, 1000);
    Exec(*engine, "UPDATE customers SET region = 'moved' WHERE id = 3");
  }
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  std::vector<std::string> before = Query(*engine, "SELECT * FROM revenue ORDER BY region");
  CHECK(before.front() == "moved|10|12.50");
  Exec(*engine, "UPDATE orders SET amount = amount + 1 WHERE id = 3");
  CHECK(Query(*engine, "SELECT total FROM revenue WHERE region = 'moved'") ==
        std::vector<std::string>{"13.50"});
  CheckRevenueIsFresh(*engine);
  // Relations created after the restart get ids of their own, though only the steps with
  // DDL stored the next id.
  Exec(*engine, "CREATE TABLE later (id int PRIMARY KEY, customer_id int)");
  Exec(*engine, "INSERT INTO later VALUES (1, 3)");
  Exec(*engine,
       "CREATE MATERIALIZED VIEW later_regions AS SELECT c.region FROM later l JOIN customers c "
       "ON l.customer_id = c.id");
  std::set<uint64_t> ids;
  for (const char* name : {"customers", "orders", "revenue", "later", "later_regions"}) {
    const sql::RelationInfo* rel = engine->Published()->catalog->Find("public", name);
    REQUIRE(rel);
    ids.insert(rel->id);
  }
  CHECK(ids.size() == 5);
  CHECK(Query(*engine, "SELECT * FROM later_regions") == std::vector<std::string>{"moved"});
}

TEST_CASE("a view stored by the whole row, as before catalog version 6, is still maintained") {
  TempDir dir;
  {
    auto engine = server::Engine::Open(dir.path);
    engine->Start();
    LoadBase(*engine, 1000);
  }
  {
    // Store revenue as an earlier version did: its rows keyed by the whole row.
    auto db = storage::Database::Open(dir.path);
    auto snapshot = db->NewSnapshot();
    std::optional<sql::RelationInfo> revenue;
    snapshot->Scan(storage::kCatalogPrefix, [&](std::string_view, std::string_view b) {
      sql::RelationInfo rel = server::DecodeRelation(b);
      if (rel.name == "revenue") revenue = rel;
      return true;
    });
    REQUIRE(revenue);
    REQUIRE(revenue->keyed_rows);
    storage::RelationStore keyed(revenue->id, revenue->StorageKey());
    ivm::ZSet rows = keyed.ReadAll(*snapshot);
    auto batch = db->NewStepBatch();
    keyed.Clear(*batch);
    storage::RelationStore(revenue->id, {}).Apply(*batch, rows);
    revenue->keyed_rows = false;
    batch->Put(storage::CatalogKey(revenue->id), server::EncodeRelation(*revenue));
    batch->Commit(true);
  }
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  REQUIRE(!engine->Published()->catalog->Find("", "revenue")->keyed_rows);
  Exec(*engine, "UPDATE orders SET amount = amount + 1 WHERE id < 500");
  Exec(*engine, "DELETE FROM orders WHERE id % 7 = 0");
  CheckRevenueIsFresh(*engine);
  CHECK(Query(*engine, "SELECT n FROM revenue WHERE region = 'r3'") ==
        Query(*engine,
              "SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.id "
              "WHERE c.region = 'r3'"));
}

TEST_CASE("a second engine cannot open the same data directory") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  try {
    server::Engine::Open(dir.path);
    FAIL("second open succeeded");
  } catch (const ivm::Error& e) {
    CHECK(std::string(e.message()).find("in use by another Tributary server") != std::string::npos);
  }
}

TEST_CASE("a single-row change costs the same at 2,000 and 200,000 rows") {
  auto work_at = [](int rows) {
    TempDir dir;
    auto engine = server::Engine::Open(dir.path);
    engine->Start();
    LoadBase(*engine, rows);
    Exec(*engine, "UPDATE orders SET amount = 9.99 WHERE id = 17");
    ivm::StepStats update = engine->LastStepStats();
    Exec(*engine, "INSERT INTO orders VALUES (" + std::to_string(rows + 1) + ", 5, 1.00)");
    ivm::StepStats insert = engine->LastStepStats();
    return std::make_pair(update, insert);
  };
  auto [small_update, small_insert] = work_at(2000);
  auto [large_update, large_insert] = work_at(200000);
  INFO("update: " << small_update.state_reads << " reads vs " << large_update.state_reads);
  CHECK(small_update.rows_in == large_update.rows_in);
  CHECK(small_update.rows_out == large_update.rows_out);
  CHECK(small_update.state_reads == large_update.state_reads);
  CHECK(small_update.state_writes == large_update.state_writes);
  CHECK(small_insert.state_reads == large_insert.state_reads);
  CHECK(small_insert.state_writes == large_insert.state_writes);
  CHECK(large_update.state_reads < 20);
}

namespace {

// A Reader that counts what a query reads from the snapshot under it.
class CountingReader final : public storage::Reader {
 public:
  explicit CountingReader(storage::Reader& base) : base_(base) {}
  bool Get(std::string_view key, std::string* value) override {
    ++gets;
    return base_.Get(key, value);
  }
  void Scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& visit) override {
    base_.Scan(prefix, [&](std::string_view key, std::string_view value) {
      ++scanned;
      return visit(key, value);
    });
  }
  bool Last(std::string_view prefix, std::string* key, std::string* value) override {
    return base_.Last(prefix, key, value);
  }
  void ScanRange(std::string_view start, std::string_view end,
                 const std::function<bool(std::string_view, std::string_view)>& visit) override {
    ++ranges;
    base_.ScanRange(start, end, [&](std::string_view key, std::string_view value) {
      ++scanned;
      return visit(key, value);
    });
  }
  int gets = 0;
  int scanned = 0;
  int ranges = 0;  // ScanRange calls

 private:
  storage::Reader& base_;
};

// A read of `sql` over the engine's latest step, through a CountingReader.
struct CountedRead {
  std::vector<std::vector<std::optional<std::string>>> rows;
  int gets = 0, scanned = 0, ranges = 0;
};
CountedRead ReadCounting(server::Engine& engine, const std::string& sql) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(sql);
  auto state = engine.Published();
  CountingReader reader(*state->snapshot);
  protocol::StatementResult result = server::ExecuteRead(parsed.at(0), *state->catalog, reader);
  if (result.error) FAIL(result.error->message());
  return {result.rows, reader.gets, reader.scanned, reader.ranges};
}

}  // namespace

TEST_CASE("a read that pins key columns reads only the rows with those keys") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  LoadBase(*engine, 20000);
  auto read = [&](const std::string& sql) {
    CountedRead r = ReadCounting(*engine, sql);
    return std::make_tuple(r.rows.size(), r.gets, r.scanned);
  };
  // The whole primary key: one point lookup.
  CHECK(read("SELECT amount FROM orders WHERE id = 12345") == std::make_tuple(1, 1, 0));
  CHECK(read("SELECT amount FROM orders WHERE id = 12345 AND amount > 100") ==
        std::make_tuple(0, 1, 0));
  // A view's rows are keyed by its unique leading columns (here the GROUP BY key): one
  // point lookup too.
  CHECK(read("SELECT n FROM revenue WHERE region = 'r3'") == std::make_tuple(1, 1, 0));
  // No pinned key column: the relation is read whole.
  CHECK(std::get<2>(read("SELECT count(*) FROM orders WHERE customer_id = 3")) == 20000);
}

TEST_CASE("a query stream makes a simple SELECT's rows a chunk at a time, RunQuery's rows") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateChunkedTables(*engine);
  Exec(*engine, "CREATE MATERIALIZED VIEW big_v AS SELECT id, v FROM t WHERE v > 100");
  auto state = engine->Published();
  const sql::Catalog& catalog = *state->catalog;
  struct Case {
    const char* sql;
    size_t rows;
    int batches;  // chunks that hold a row
  };
  for (const Case& c :
       {Case{"SELECT * FROM t", 40000, 3}, Case{"SELECT v, g FROM t WHERE g = 3", 5714, 3},
        Case{"SELECT id FROM t WHERE id >= 100 AND id < 20000", 19900, 2},
        Case{"SELECT w, w * 2 FROM u", 41000, 3}, Case{"SELECT id FROM big_v WHERE v < 200", 99, 1},
        Case{"SELECT id + 1 FROM t WHERE v > (SELECT avg(v) FROM t)", 20000, 2},
        Case{"SELECT id FROM t WHERE v < 0", 0, 0}}) {
    INFO(c.sql);
    sql::BoundQuery bound = BindSelect(*engine, c.sql);
    std::unique_ptr<server::QueryStream> stream =
        server::QueryStream::Open(bound, catalog, *state->snapshot, {});
    REQUIRE(stream);
    std::multiset<ivm::Row> streamed;
    int batches = 0;
    while (!stream->finished()) {
      std::vector<ivm::Row> rows = stream->Next();
      CHECK(rows.size() <= 2 * 16384);  // a chunk's rows, twice at most for u
      batches += !rows.empty();
      streamed.insert(rows.begin(), rows.end());
    }
    CHECK(batches == c.batches);
    std::vector<ivm::Row> whole = server::RunQuery(bound, catalog, *state->snapshot);
    CHECK(whole.size() == c.rows);
    CHECK(streamed == std::multiset<ivm::Row>(whole.begin(), whole.end()));
  }
  // What must be made whole first, or is one lookup, is not streamed.
  for (const char* sql :
       {"SELECT * FROM t ORDER BY v", "SELECT * FROM t LIMIT 5", "SELECT * FROM t OFFSET 5",
        "SELECT g, count(*) FROM t GROUP BY g", "SELECT DISTINCT g FROM t",
        "SELECT * FROM t JOIN u ON t.id = u.w", "SELECT * FROM t WHERE id = 7", "SELECT 1"}) {
    INFO(sql);
    CHECK_FALSE(server::QueryStream::Open(BindSelect(*engine, sql), catalog, *state->snapshot, {}));
  }
  // Parameters narrow what is read as constants do: id = $1 is a lookup, a range of ids
  // one chunk.
  sql::BoundQuery lookup = BindSelect(*engine, "SELECT * FROM t WHERE id = $1");
  CHECK(server::QueryStream::Open(lookup, catalog, *state->snapshot,
                                  {}));  // unknown $1: every row is read
  CHECK_FALSE(server::QueryStream::Open(lookup, catalog, *state->snapshot, {ivm::Value::Int32(7)}));
  sql::BoundQuery range = BindSelect(*engine, "SELECT v FROM t WHERE id >= $1 AND id < $2");
  const std::vector<ivm::Value> bounds{ivm::Value::Int32(30000), ivm::Value::Int32(30100)};
  std::unique_ptr<server::QueryStream> stream =
      server::QueryStream::Open(range, catalog, *state->snapshot, bounds);
  REQUIRE(stream);
  CHECK(stream->Next().size() == 100);
  CHECK(stream->finished());  // one scan of the range, not three chunks of the table
}

TEST_CASE("an INSERT ... SELECT of its own table inserts a chunk at a time and sees none of it") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateChunkedTables(*engine);
  using Rows = std::vector<std::string>;
  Exec(*engine,
       "CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(v) AS s FROM t "
       "GROUP BY g");
  // The first write of its step: it reads the table as the step found it, three chunks of
  // 16,384 rows, while it inserts. Had it read its own rows, those up to 80,000 would have
  // passed the filter too and been copied again.
  server::TransactionResults results =
      engine->Execute("INSERT INTO t SELECT id + 40000, g, v FROM t WHERE id <= 80000");
  REQUIRE_FALSE(results.back().error);
  CHECK(results.back().command_tag == "INSERT 0 40000");
  CHECK(Query(*engine, "SELECT count(*), max(id), sum(v) FROM t") ==
        Rows{"80000|80000|1600040000"});
  CHECK(Query(*engine, "VERIFY MATERIALIZED VIEW by_g").at(0).rfind("OK", 0) == 0);

  // After another write of the same transaction, it reads through the step's batch, and
  // sees that write.
  results = engine->Execute(
      "INSERT INTO t VALUES (0, 0, 0); INSERT INTO t SELECT id + 100000, g, v FROM t WHERE id < 2");
  REQUIRE_FALSE(results.back().error);
  CHECK(Query(*engine, "SELECT id FROM t WHERE id >= 100000 ORDER BY id") ==
        Rows{"100000", "100001"});

  // A failure after the first chunks leaves nothing: id 40,001 comes back as a duplicate of
  // the row the query reads last.
  CHECK(ErrorOf(*engine,
                "INSERT INTO t SELECT CASE WHEN id = 80000 THEN 40001 ELSE id + 200000 "
                "END, g, v FROM t WHERE id >= 1 AND id <= 80000") == "23505");
  CHECK(Query(*engine, "SELECT count(*) FROM t") == Rows{"80003"});
  CHECK(Query(*engine, "VERIFY MATERIALIZED VIEW by_g").at(0).rfind("OK", 0) == 0);
}

TEST_CASE("a query reads a large relation a chunk at a time, with the whole one's result") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  CreateChunkedTables(*engine);
  using Rows = std::vector<std::string>;
  CHECK(Query(*engine, "SELECT count(*), sum(v), min(v), max(v) FROM t") ==
        Rows{"40000|800020000|1|40000"});
  // 40,000 = 7 * 5,714 + 2: residues 1 and 2 once more.
  CHECK(Query(*engine, "SELECT g, count(*) FROM t GROUP BY g ORDER BY g") ==
        Rows{"0|5714", "1|5715", "2|5715", "3|5714", "4|5714", "5|5714", "6|5714"});
  CHECK(Query(*engine, "SELECT count(*), count(DISTINCT g) FROM u") == Rows{"41000|7"});
  // A global aggregate over no rows still has its row.
  CHECK(Query(*engine, "SELECT count(*), sum(v) FROM t WHERE v < 0") == Rows{"0|NULL"});
  CHECK(Query(*engine, "SELECT id FROM t ORDER BY v DESC LIMIT 2") == Rows{"40000", "39999"});
  // Joins: each w in 1..19,999 is in u twice (i and i + 20,000), 1..1,000 once more.
  CHECK(Query(*engine, "SELECT count(*) FROM t JOIN u ON t.id = u.w") == Rows{"40998"});
  CHECK(Query(*engine, "SELECT count(*) FROM t a JOIN t b ON a.id = b.id + 1") == Rows{"39999"});
  // An outer join's null-extended rows, added while t's chunks come in, are taken back by
  // the matches that come later.
  CHECK(Query(*engine,
              "SELECT count(*), count(d.w) FROM t LEFT JOIN "
              "(SELECT DISTINCT w FROM u WHERE w <= 100) d ON t.id = d.w") == Rows{"40000|100"});
  // Subqueries read their relations whole, once, while the outer query's chunks go by.
  CHECK(Query(*engine, "SELECT count(*) FROM t WHERE v > (SELECT avg(v) FROM t)") == Rows{"20000"});
  CHECK(Query(*engine, "SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.w = t.id)") ==
        Rows{"19999"});
  CHECK(Query(*engine, "SELECT count(*) FROM t WHERE id NOT IN (SELECT w FROM u)") ==
        Rows{"20001"});
  // After the first chunk, count(*) - 16384 is 0: a failure of that step is not the
  // query's, which is then run over the whole table. Its own failure still comes out.
  CHECK(Query(*engine, "SELECT 1000000 / (count(*) - 16384) FROM t") == Rows{"42"});
  CHECK(ErrorOf(*engine, "SELECT 1 / (count(*) - 40000) FROM t") == "22012");
  // INSERT ... SELECT reads through its step's batch the same way.
  Exec(*engine, "CREATE TABLE t2 (id int PRIMARY KEY, g int, v int)");
  Exec(*engine, "INSERT INTO t2 SELECT * FROM t");
  CHECK(Query(*engine, "SELECT count(*), sum(v) FROM t2") == Rows{"40000|800020000"});

  // A key range a WHERE leaves is read in chunks too.
  CHECK(Query(*engine, "SELECT count(*), sum(v) FROM t WHERE id >= 100 AND id < 35100") ==
        Rows{"35000|615982500"});
  CHECK(Query(*engine,
              "SELECT count(*) FROM t JOIN u ON t.id = u.w WHERE t.id BETWEEN 501 AND 20500") ==
        Rows{"39498"});

  // Scans of a chunk each, every row once.
  auto scans = [&](const std::string& sql) {
    CountedRead r = ReadCounting(*engine, sql);
    return std::make_pair(r.ranges, r.scanned);
  };
  CHECK(scans("SELECT count(*) FROM t") == std::make_pair(3, 40000));
  // The range takes in its bound, 5000, which the filter then drops.
  CHECK(scans("SELECT count(*) FROM t WHERE id > 5000") == std::make_pair(3, 35001));
}

TEST_CASE("a read that bounds the leading key column reads only that key range") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  LoadBase(*engine, 20000);
  Exec(*engine, "CREATE TABLE pairs (a int, b text, v int, PRIMARY KEY (a, b))");
  Exec(*engine,
       "INSERT INTO pairs SELECT i % 10, 'k' || (i / 10), i FROM generate_series(0, 999) i");
  auto read = [&](const std::string& sql) {
    CountedRead r = ReadCounting(*engine, sql);
    return std::make_pair(r.rows, r.scanned);
  };
  // Each query against the same one whose conditions sit on an expression, read whole.
  auto check = [&](const std::string& where, const std::string& whole, size_t rows,
                   int scanned) {
    INFO(where);
    auto [narrow, narrow_scanned] = read("SELECT * FROM orders WHERE " + where + " ORDER BY id");
    auto [all, all_scanned] = read("SELECT * FROM orders WHERE " + whole + " ORDER BY id");
    CHECK(narrow == all);
    CHECK(narrow.size() == rows);
    CHECK(narrow_scanned == scanned);  // bounds are inclusive: the predicate drops the edges
    CHECK(all_scanned == 20000);
  };
  check("id >= 100 AND id < 200", "id + 0 >= 100 AND id + 0 < 200", 100, 101);
  check("id BETWEEN 5 AND 9", "id + 0 BETWEEN 5 AND 9", 5, 5);
  check("id > 19990", "id + 0 > 19990", 9, 10);
  check("150 > id AND id > 140.5", "150 > id + 0 AND id + 0 > 140.5", 9, 10);
  check("id <= 3 AND id >= -2 AND id < 100", "id + 0 <= 3 AND id + 0 >= -2", 4, 4);
  check("id < 10 AND id > 20", "id + 0 < 10 AND id + 0 > 20", 0, 0);
  check("id < NULL", "id + 0 < NULL", 0, 0);
  // A view keyed by its rows, bounded on its first column (text).
  auto [regions, regions_scanned] =
      read("SELECT region FROM revenue WHERE region >= 'r3' AND region < 'r5' ORDER BY 1");
  CHECK(regions == std::vector<std::vector<std::optional<std::string>>>{{"r3"}, {"r4"}});
  CHECK(regions_scanned == 3);  // r5 is read, and dropped by the predicate
  // The first key column pinned, the second bounded.
  auto [pairs, pairs_scanned] =
      read("SELECT v FROM pairs WHERE a = 3 AND b >= 'k10' AND b <= 'k12' ORDER BY v");
  CHECK(pairs == std::vector<std::vector<std::optional<std::string>>>{{"103"}, {"113"}, {"123"}});
  CHECK(pairs_scanned == 3);
  // Not the leading key column: read whole.
  CHECK(read("SELECT v FROM pairs WHERE b >= 'k10' AND b <= 'k12'").second == 1000);

  // Inside a write the range is read through the step's batch, its own writes included.
  Exec(*engine, "CREATE TABLE picked (id int PRIMARY KEY, customer_id int, amount numeric(12,2))");
  Exec(*engine,
       "INSERT INTO picked SELECT * FROM orders WHERE id >= 100 AND id < 110; "
       "INSERT INTO picked SELECT id + 100000, customer_id, amount FROM picked WHERE id > 104; "
       "INSERT INTO picked SELECT * FROM orders WHERE id > 20 AND id < 10");
  CHECK(read("SELECT count(*) FROM picked").first ==
        std::vector<std::vector<std::optional<std::string>>>{{"15"}});
}

TEST_CASE("key lookups, which may run on the I/O thread, are recognised at plan time") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  LoadBase(*engine, 10);
  Exec(*engine, "CREATE TABLE pairs (a int, b int, v text, PRIMARY KEY (a, b))");
  auto is_key_lookup = [&](const std::string& sql) { return IsKeyLookup(*engine, sql); };
  CHECK(is_key_lookup("SELECT amount FROM orders WHERE id = $1"));
  CHECK(is_key_lookup("SELECT amount * 2, customer_id FROM orders WHERE id = 7 AND amount > 1"));
  CHECK(is_key_lookup("SELECT v FROM pairs WHERE b = $2 AND a = $1"));
  CHECK_FALSE(is_key_lookup("SELECT v FROM pairs WHERE a = $1"));  // part of the key
  CHECK_FALSE(is_key_lookup("SELECT amount FROM orders WHERE customer_id = $1"));
  CHECK_FALSE(is_key_lookup("SELECT count(*) FROM orders WHERE id = $1"));
  CHECK_FALSE(is_key_lookup("SELECT (SELECT count(*) FROM orders) FROM orders WHERE id = 1"));
  CHECK_FALSE(is_key_lookup("SELECT relname FROM pg_class WHERE oid = 1"));
}

TEST_CASE("a materialized view's unique leading columns come from its plan") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  LoadBase(*engine, 10);
  Exec(*engine, "CREATE TABLE pairs (a int, b int, v text, PRIMARY KEY (a, b))");
  auto unique_prefix = [&](const std::string& name, const std::string& query) {
    Exec(*engine, "CREATE MATERIALIZED VIEW " + name + " AS " + query);
    return engine->Published()->catalog->Find("", name)->unique_prefix;
  };
  CHECK(unique_prefix("m1", "SELECT id, amount FROM orders WHERE amount > 0") == 1);
  CHECK(unique_prefix("m2", "SELECT amount, id FROM orders") == 2);
  CHECK(unique_prefix("m3", "SELECT b, a, v FROM pairs") == 2);
  CHECK(unique_prefix("m4", "SELECT a, v FROM pairs") == 0);  // b is gone
  CHECK(unique_prefix("m5", "SELECT customer_id, count(*) FROM orders GROUP BY customer_id") == 1);
  CHECK(unique_prefix("m6", "SELECT DISTINCT customer_id, id FROM orders") == 2);
  // DISTINCT keeps 1.5 and 1.50 apart; SQL equality (and so a key) does not.
  CHECK(unique_prefix("m6n", "SELECT DISTINCT customer_id, amount FROM orders") == 0);
  // A join on the other side's whole key keeps this side's key.
  CHECK(unique_prefix("m7", "SELECT o.id, c.region FROM orders o JOIN customers c "
                            "ON o.customer_id = c.id") == 1);
  CHECK(unique_prefix("m9", "SELECT c.region, o.id FROM customers c JOIN orders o "
                            "ON o.customer_id = c.id") == 2);
  CHECK(unique_prefix("m10", "SELECT o.id FROM orders o JOIN customers c "
                             "ON o.customer_id < c.id") == 0);  // not an equality on a key
  CHECK(unique_prefix("m8", "SELECT id, amount FROM m1") == 1);  // views over views
  // Views with a unique prefix store their rows under it; the others by the whole row.
  auto catalog = engine->Published()->catalog;
  CHECK(catalog->Find("", "m5")->StorageKey() == std::vector<int>{0});
  CHECK(catalog->Find("", "m3")->StorageKey() == std::vector<int>{0, 1});
  CHECK(catalog->Find("", "m4")->StorageKey().empty());
  // A key lookup on a view with a known unique prefix is bounded: it may run inline.
  CHECK(IsKeyLookup(*engine, "SELECT amount FROM m1 WHERE id = $1"));
}

namespace {

// Submits `sql` (one statement, $n parameters of `types` with `values`) and waits. Returns
// the result and whether `done` ran on the calling thread: the transaction ran in place.
std::pair<protocol::StatementResult, bool> SubmitAndWait(server::Engine& engine,
                                                         const std::string& sql,
                                                         std::vector<ivm::Type> types,
                                                         std::vector<ivm::Value> values,
                                                         bool sync) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(sql);
  parsed.at(0).parameter_types = std::move(types);
  parsed.at(0).parameter_values = std::move(values);
  std::promise<std::pair<protocol::StatementResult, bool>> answer;
  const std::thread::id caller = std::this_thread::get_id();
  engine.Submit(
      std::move(parsed),
      [&](server::TransactionResults results) {
        answer.set_value({results.back(), std::this_thread::get_id() == caller});
      },
      server::SubmitOptions{.dry_run = false, .expected_tags = {}, .role = {}, .sync = sync});
  return answer.get_future().get();
}

const ivm::Type kInt = ivm::Type::Of(ivm::TypeId::kInt32);
const ivm::Type kNumeric = ivm::Type::Numeric(12, 2);

// Returns once the writer has let go of its last step, so that, with nothing else
// submitting, the next small write runs in place: a write that changes nothing is tried
// until it does.
void WaitForIdleWriter(server::Engine& engine) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    if (SubmitAndWait(engine, "DELETE FROM orders WHERE id = $1", {kInt}, {ivm::Value::Int32(-1)},
                      false)
            .second) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  FAIL("the writer never became idle");
}

}  // namespace

TEST_CASE("a small write with synchronous_commit off runs on its caller's thread") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  LoadBase(*engine, 1000);
  const std::string update = "UPDATE orders SET amount = $1 WHERE id = $2";
  auto run = [&](const std::string& sql, std::vector<ivm::Type> types,
                 std::vector<ivm::Value> values, bool sync) {
    auto [result, in_place] =
        SubmitAndWait(*engine, sql, std::move(types), std::move(values), sync);
    INFO(sql);
    if (result.error) FAIL(result.error->message());
    return std::make_pair(result.command_tag, in_place);
  };
  // A key write, acknowledged before the fsync: in place.
  WaitForIdleWriter(*engine);
  CHECK(run(update, {kNumeric, kInt},
            {ivm::Value::Numeric(ivm::Decimal::Parse("7.50")), ivm::Value::Int32(3)},
            false) == std::make_pair(std::string("UPDATE 1"), true));
  CHECK(run("DELETE FROM orders WHERE id = $1", {kInt}, {ivm::Value::Int32(4)}, false) ==
        std::make_pair(std::string("DELETE 1"), true));
  CHECK(run("INSERT INTO orders VALUES (5000, 7, 1.00)", {}, {}, false) ==
        std::make_pair(std::string("INSERT 0 1"), true));
  // A key that matches nothing is a key write too.
  CHECK(run(update, {kNumeric, kInt},
            {ivm::Value::Numeric(ivm::Decimal::Parse("1")), ivm::Value::Int32(-1)},
            false) == std::make_pair(std::string("UPDATE 0"), true));
  // Durable writes go to the writer, which shares one fsync among the steps waiting.
  WaitForIdleWriter(*engine);
  CHECK(run(update, {kNumeric, kInt},
            {ivm::Value::Numeric(ivm::Decimal::Parse("8.50")), ivm::Value::Int32(5)},
            true) == std::make_pair(std::string("UPDATE 1"), false));
  // So do writes that may touch many rows.
  WaitForIdleWriter(*engine);
  CHECK(run("UPDATE orders SET amount = amount + $1 WHERE customer_id = $2", {kNumeric, kInt},
            {ivm::Value::Numeric(ivm::Decimal::Parse("1")), ivm::Value::Int32(6)},
            false) == std::make_pair(std::string("UPDATE 10"), false));
  WaitForIdleWriter(*engine);
  CHECK(run("UPDATE orders SET amount = 2 WHERE id = 6", {}, {}, false) ==
        std::make_pair(std::string("UPDATE 1"), false));  // not bound through the cache
  WaitForIdleWriter(*engine);
  CHECK(run("INSERT INTO orders SELECT id + 10000, customer_id, amount FROM orders WHERE id < 5",
            {}, {}, false) == std::make_pair(std::string("INSERT 0 4"), false));
  CheckRevenueIsFresh(*engine);
  CHECK(Query(*engine, "SELECT amount FROM orders WHERE id = 3") ==
        std::vector<std::string>{"7.50"});
  CHECK(Query(*engine, "SELECT count(*) FROM orders WHERE id = 4") ==
        std::vector<std::string>{"0"});
  // A failing one rolls back alone, in place or not.
  WaitForIdleWriter(*engine);
  auto [failed, in_place] =
      SubmitAndWait(*engine, "INSERT INTO orders VALUES (3, 1, 1.00)", {}, {}, false);
  REQUIRE(failed.error);
  CHECK(failed.error->sqlstate() == "23505");
  CHECK(in_place);
  CheckRevenueIsFresh(*engine);
}

TEST_CASE("steps run in place and steps on the writer never overlap") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  constexpr int kRows = 2000;
  LoadBase(*engine, kRows);
  // One thread adds 1 to an order's amount, again and again, with synchronous_commit off:
  // in place whenever no other write overlaps. Two others keep the writer busy every few
  // milliseconds: durable updates over ranges, and inserts and deletes of batches.
  std::atomic<bool> others_done{false};
  std::atomic<int> failures{0};
  int updates = 0, in_place = 0;
  std::thread updater([&] {
    while ((!others_done || in_place < 50) && updates < 50000) {
      auto [result, here] = SubmitAndWait(
          *engine, "UPDATE orders SET amount = amount + $1 WHERE id = $2", {kNumeric, kInt},
          {ivm::Value::Numeric(ivm::Decimal::Parse("1")), ivm::Value::Int32(updates % kRows)},
          false);
      if (result.error || result.command_tag != "UPDATE 1") ++failures;
      ++updates;
      if (here) ++in_place;
    }
  });
  std::thread ranges([&] {
    for (int i = 0; i < 30; ++i) {
      auto [result, here] =
          SubmitAndWait(*engine, "UPDATE orders SET amount = amount + 0.01 WHERE customer_id = $1",
                        {kInt}, {ivm::Value::Int32(i % 100)}, true);
      if (result.error || here) ++failures;
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  });
  std::thread batches([&] {
    for (int i = 0; i < 30; ++i) {
      const int base = 100000 + i * 10;
      auto [inserted, here] =
          SubmitAndWait(*engine,
                        "INSERT INTO orders SELECT id + " + std::to_string(base) +
                            ", customer_id, amount FROM orders WHERE id < 10",
                        {}, {}, false);
      if (inserted.error || here) ++failures;
      auto [deleted, there] = SubmitAndWait(
          *engine, "DELETE FROM orders WHERE id >= " + std::to_string(base), {}, {}, false);
      if (deleted.error || there) ++failures;
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  });
  ranges.join();
  batches.join();
  others_done = true;
  updater.join();
  CHECK(failures == 0);
  INFO(in_place << " of " << updates << " updates ran in place");
  CHECK(in_place >= 50);
  CHECK(in_place < updates);  // some overlapped the others' writes
  CheckRevenueIsFresh(*engine);
  // 2,000 orders of 1.25, plus 1 for each update, plus 0.01 for each of the 20 orders of
  // customers 0..29.
  CHECK(Query(*engine, "SELECT count(*) FROM orders WHERE id >= 100000") ==
        std::vector<std::string>{"0"});
  CHECK(Query(*engine, "SELECT sum(amount) FROM orders") ==
        std::vector<std::string>{std::to_string(2500 + 6 + updates) + ".00"});
}
