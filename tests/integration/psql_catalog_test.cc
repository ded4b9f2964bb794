// The real psql (15) runs its meta-commands against Tributary: each sends psql's own
// catalog queries (pg_class, pg_namespace, pg_attribute, pg_index, pg_get_indexdef, regex
// operators, OPERATOR(pg_catalog.~), COLLATE, ...), which must all answer without error and
// list the objects with their columns.
#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/test_server.h"

namespace tributary_it {
namespace {

// Runs psql with `args` (-c commands) against `server`; requires a clean exit and no
// ERROR in the output. Returns stdout+stderr.
std::string Psql(const TestServer& server, const std::vector<std::string>& commands) {
  std::vector<std::string> argv = {"/usr/lib/postgresql/15/bin/psql", "-X", "-v", "ON_ERROR_STOP=1", "-P", "pager=off",
                                   server.ConnInfo()};
  for (const std::string& c : commands) {
    argv.push_back("-c");
    argv.push_back(c);
  }
  ProcessOutput out = RunProcess(argv, std::chrono::seconds(30));
  INFO(out.output);
  REQUIRE(out.status.exited);
  REQUIRE(out.status.code == 0);
  REQUIRE(out.output.find("ERROR") == std::string::npos);
  return out.output;
}

bool Has(const std::string& output, const std::string& text) {
  return output.find(text) != std::string::npos;
}

void CreateObjects(const TestServer& server) {
  Connection c(server);
  c.Exec(
      "CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(12,2));"
      "CREATE TABLE events (ts timestamp, payload varchar(40));"
      "CREATE MATERIALIZED VIEW order_totals AS "
      "SELECT customer, sum(amount) AS total FROM orders GROUP BY customer;");
}

TEST_CASE("psql meta-commands l, dn, dt, dv and dm list databases, schemas and relations") {
  TestServer server;
  CreateObjects(server);

  std::string l = Psql(server, {"\\l"});
  CHECK(Has(l, "tributary"));
  CHECK(Has(l, "UTF8"));

  std::string dn = Psql(server, {"\\dn"});
  CHECK(Has(dn, "public"));

  std::string dt = Psql(server, {"\\dt"});
  INFO(dt);
  CHECK(Has(dt, "orders"));
  CHECK(Has(dt, "events"));
  CHECK(Has(dt, "table"));
  CHECK(!Has(dt, "order_totals"));

  std::string dm = Psql(server, {"\\dm"});
  INFO(dm);
  CHECK(Has(dm, "order_totals"));
  CHECK(Has(dm, "materialized view"));

  std::string dv = Psql(server, {"\\dv"});
  CHECK(Has(dv, "Did not find any relations"));

  // A CREATE is visible at once: the catalog is the live one, not a copy.
  Connection c(server);
  c.Exec("CREATE TABLE late (k bigint PRIMARY KEY)");
  CHECK(Has(Psql(server, {"\\dt"}), "late"));
}

// psql's \d and \d+ send correlated scalar subqueries, ARRAY(subquery) over unnest, and
// size functions: the describe commands show columns, keys, definitions and sizes.
TEST_CASE("psql meta-commands d and d+ describe tables, views and indexes") {
  TestServer server;
  CreateObjects(server);
  Connection c(server);
  c.Exec("INSERT INTO orders VALUES (1, 'ada', 10.50), (2, 'bob', 3)");

  std::string d = Psql(server, {"\\d orders"});
  INFO(d);
  CHECK(Has(d, "Table \"public.orders\""));
  CHECK(Has(d, " customer | text          |           | not null |"));
  CHECK(Has(d, " amount   | numeric(12,2) |"));
  CHECK(Has(d, "\"orders_pkey\" PRIMARY KEY, btree (id)"));

  std::string plus = Psql(server, {"\\d+ orders"});
  INFO(plus);
  CHECK(Has(plus, "Storage"));
  CHECK(Has(plus, "Access method: heap"));

  std::string view = Psql(server, {"\\d+ order_totals"});
  INFO(view);
  CHECK(Has(view, "Materialized view \"public.order_totals\""));
  CHECK(Has(view, "View definition:"));
  CHECK(Has(view, "sum(amount)"));

  std::string index = Psql(server, {"\\d orders_pkey"});
  INFO(index);
  CHECK(Has(index, "primary key, btree, for table \"public.orders\""));

  // \d+ lists every relation with its size, from the storage engine's estimates.
  std::string all = Psql(server, {"\\d+"});
  INFO(all);
  CHECK(Has(all, "order_totals"));
  CHECK(Has(all, "events"));
  CHECK(Has(all, "permanent"));
  CHECK(c.Scalar("SELECT pg_total_relation_size('orders') >= pg_relation_size('orders')") == "t");
}

TEST_CASE("psql meta-command df lists functions and x switches to expanded output") {
  TestServer server;
  std::string df = Psql(server, {"\\df lower"});
  INFO(df);
  CHECK(Has(df, "lower"));
  CHECK(Has(df, "pg_catalog"));

  std::string x = Psql(server, {"\\x on", "SELECT 1 AS a, 'two' AS b"});
  INFO(x);
  CHECK(Has(x, "-[ RECORD 1 ]"));
  CHECK(Has(x, "b | two"));
}

TEST_CASE("catalog functions and information_schema answer from the live catalog") {
  TestServer server;
  CreateObjects(server);
  Connection c(server);
  CHECK(c.Exec("SELECT column_name, data_type, is_nullable, ordinal_position "
               "FROM information_schema.columns WHERE table_name = 'orders' "
               "ORDER BY ordinal_position") ==
        Rows{{"id", "integer", "NO", "1"},
             {"customer", "text", "NO", "2"},
             {"amount", "numeric", "YES", "3"}});
  CHECK(c.Exec("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
               "FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'public.orders'::regclass "
               "AND a.attnum > 0 ORDER BY a.attnum") ==
        Rows{{"id", "integer"}, {"customer", "text"}, {"amount", "numeric(12,2)"}});
  CHECK(c.Exec("SELECT relkind FROM pg_class WHERE relname IN ('orders', 'order_totals', "
               "'orders_pkey') ORDER BY relname") == Rows{{"m"}, {"r"}, {"i"}});
  CHECK(c.Exec("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
               "WHERE conrelid = 'orders'::regclass") == Rows{{"PRIMARY KEY (id)"}});
  CHECK(c.Scalar("SELECT (pg_catalog.current_schemas(true))[1]") == "pg_catalog");
  CHECK(c.Scalar("SELECT current_user || '@' || current_database()") == "tributary@tributary");
  CHECK(c.Scalar("SELECT 'Orders' ~* E'^ord\\\\w+$'") == "t");
  CHECK(c.Scalar("SELECT setting FROM pg_settings WHERE name = 'application_name'").empty());
  c.Exec("SET application_name = 'bi'");
  CHECK(c.Scalar("SELECT setting FROM pg_settings WHERE name = 'application_name'") == "bi");
  // Roles and privileges come from the catalog's roles (CREATE ROLE, GRANT).
  c.Exec("CREATE ROLE analyst LOGIN");
  CHECK(c.Exec("SELECT rolname, rolsuper, rolcanlogin FROM pg_roles ORDER BY rolname") ==
        Rows{{"analyst", "f", "t"}, {"tributary", "t", "t"}});
  CHECK(c.Scalar("SELECT has_table_privilege('analyst', 'orders', 'SELECT')") == "f");
  c.Exec("GRANT SELECT ON orders TO analyst");
  CHECK(c.Scalar("SELECT has_table_privilege('analyst', 'orders', 'SELECT')") == "t");
  CHECK(c.Scalar("SELECT has_table_privilege('orders', 'SELECT')") == "t");
  c.ExpectError("SELECT 'nope'::regclass", "42P01");
  c.ExpectError("CREATE MATERIALIZED VIEW v AS SELECT relname FROM pg_class", "0A000");
  c.ExpectError("DELETE FROM pg_class", "42501");
}

TEST_CASE("tributary_memory shows where the server's memory goes") {
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  c.Exec("INSERT INTO t SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i");
  CHECK(c.Exec("SELECT component FROM tributary_memory ORDER BY component") ==
        Rows{{"block cache"},
             {"block cache capacity"},
             {"heap free"},
             {"heap in use"},
             {"memtables"},
             {"released when idle"},
             {"resident"},
             {"resident peak"},
             {"table readers"}});
  auto bytes = [&](const std::string& component) {
    return std::stoll(
        c.Scalar("SELECT bytes FROM tributary_memory WHERE component = '" + component + "'"));
  };
  // 20,000 rows of over 100 bytes are in the memtable, not yet in a table file.
  CHECK(bytes("memtables") > 2'000'000);
  CHECK(bytes("block cache capacity") == 256 << 20);
  CHECK(bytes("resident") > bytes("memtables"));
  CHECK(bytes("resident peak") >= bytes("resident"));
  CHECK(bytes("heap in use") > bytes("memtables"));
  CHECK(c.Scalar("SELECT count(*) FROM tributary_memory WHERE description IS NULL") == "0");
  c.ExpectError("DELETE FROM tributary_memory", "42501");
}

TEST_CASE("an idle server hands back the memory a bulk load or a large SELECT left freed") {
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE customers (id int PRIMARY KEY, region text)");
  c.Exec("CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric(12,2))");
  c.Exec("INSERT INTO customers SELECT i, 'r' || (i % 10) FROM generate_series(0, 99) i");
  c.Exec(
      "CREATE MATERIALIZED VIEW revenue AS SELECT c.region, count(*) AS n, sum(o.amount) AS "
      "total FROM orders o JOIN customers c ON o.customer_id = c.id GROUP BY c.region");
  c.Exec("INSERT INTO orders SELECT i, i % 100, i % 1000 + 0.25 FROM generate_series(0, 149999) i");
  c.Exec("INSERT INTO orders SELECT id + 150000, customer_id, amount FROM orders");
  auto bytes = [&](const std::string& component) {
    return std::stoll(
        c.Scalar("SELECT bytes FROM tributary_memory WHERE component = '" + component + "'"));
  };
  // Reads do not keep the writer busy, which hands the memory back after ten seconds idle (166
  // -> 91 MiB resident after a load of 1M rows; some MiB here, more or less with the load
  // on the machine).
  // The memtable the load filled (over 4 MiB) is written out then too, and its memory freed.
  const int64_t loaded = bytes("memtables");
  CHECK(loaded >= 4 << 20);
  for (int i = 0; i < 150 && bytes("released when idle") < 1 << 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(bytes("released when idle") >= 1 << 20);
  for (int i = 0; i < 50 && bytes("memtables") >= 1 << 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(bytes("memtables") < 1 << 20);

  // A large SELECT runs on an I/O thread, not the writer, and leaves what its result took
  // freed (here over 100 MiB; ORDER BY makes the whole result before the first row is
  // sent): the idle writer hands that back too, within another ten seconds or so.
  const int64_t released = bytes("released when idle");
  CHECK(c.Exec("SELECT o.*, repeat('y', 200) FROM orders o ORDER BY o.id").size() == 300000);
  for (int i = 0; i < 250 && bytes("released when idle") < released + (32 << 20); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(bytes("released when idle") >= released + (32 << 20));
  CHECK(c.Scalar("SELECT n FROM revenue WHERE region = 'r0'") == "30000");
  c.Exec("UPDATE orders SET amount = amount + 1 WHERE id = 7");
  CHECK(c.Scalar("SELECT total FROM revenue WHERE region = 'r7'") ==
        c.Scalar("SELECT sum(o.amount) FROM orders o JOIN customers c ON o.customer_id = c.id "
                 "WHERE c.region = 'r7'"));
}

}  // namespace
}  // namespace tributary_it
