// Errors carry PostgreSQL's SQLSTATE codes, come from real statements, and leave the
// session usable (Connection::ExpectError checks "select 1" after each one). Several
// statements in one query string answer one result each.
#include <memory>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

void Run(Connection& c, const std::string& sql, const std::string& tag) {
  c.Exec(sql);
  INFO("statement: " << sql);
  CHECK(c.Tag() == tag);
}

}  // namespace

TEST_CASE("each error answers its SQLSTATE and the session keeps working", "[errors]") {
  TestServer server;
  Connection c(server);
  Run(c,
      "create table t (id int primary key, name text not null, small smallint, "
      "amount numeric(5,2))",
      "CREATE TABLE");
  Run(c, "create table t2 (id int primary key, x int)", "CREATE TABLE");
  Run(c, "insert into t values (1, 'one', 1, 1.00)", "INSERT 0 1");

  // 42601 syntax_error
  c.ExpectError("selec 1", "42601");
  c.ExpectError("select from where", "42601");
  c.ExpectError("create table broken (", "42601");
  c.ExpectError("insert into t values (1, 'x'", "42601");

  // 22021 character_not_in_repertoire: a query that is not UTF-8 (it once ended the
  // server: ANTLR's decoder threw std::range_error).
  c.ExpectError("select 'caf\xe9'", "22021");
  c.ExpectError("insert into t values (9, '\xff\xfe', 1, 1.00)", "22021");
  c.ExpectError("update t set name = '\xff\xfe' where id = 1", "22021");

  // 54001 statement_too_complex: a chain of 10,000 additions once overflowed the binder's
  // stack and ended the server; 2,000 nested parentheses would hold ANTLR for seconds.
  {
    std::string sum = "select 1";
    for (int i = 0; i < 10000; ++i) sum += "+1";
    c.ExpectError(sum, "54001");
    c.ExpectError("select " + std::string(2000, '(') + "1" + std::string(2000, ')'), "54001");
    std::string ok = "select 1";
    for (int i = 0; i < 500; ++i) ok += "+1";
    CHECK(c.Scalar(ok) == "501");
  }

  // 42P01 undefined_table
  c.ExpectError("select * from no_such_table", "42P01");
  c.ExpectError("insert into no_such_table values (1)", "42P01");
  c.ExpectError("update no_such_table set x = 1", "42P01");
  c.ExpectError("delete from no_such_table", "42P01");
  c.ExpectError("drop table no_such_table", "42P01");
  c.ExpectError("create materialized view v_bad as select x from no_such_table", "42P01");
  Run(c, "drop table if exists no_such_table", "DROP TABLE");

  // 42703 undefined_column
  c.ExpectError("select no_such_column from t", "42703");
  c.ExpectError("select id from t where no_such_column = 1", "42703");
  c.ExpectError("insert into t (id, no_such_column) values (2, 2)", "42703");
  c.ExpectError("update t set no_such_column = 1", "42703");
  c.ExpectError("create materialized view v_bad as select no_such_column from t", "42703");

  // 42P07 duplicate_table
  c.ExpectError("create table t (x int)", "42P07");
  Run(c, "create materialized view v_names as select id, name from t", "SELECT 1");
  c.ExpectError("create materialized view v_names as select id from t", "42P07");
  c.ExpectError("create table v_names (x int)", "42P07");

  // 23505 unique_violation, and a failed statement changes nothing.
  c.ExpectError("insert into t values (1, 'again', 1, 1.00)", "23505");
  c.ExpectError("insert into t values (2, 'two', 2, 2.00), (2, 'deux', 2, 2.00)", "23505");
  CHECK(c.Scalar("select count(*) from t where id = 2") == "0");
  Run(c, "insert into t values (2, 'two', 2, 2.00)", "INSERT 0 1");
  c.ExpectError("update t set id = 1 where id = 2", "23505");
  CHECK(c.Exec("select id, name from t order by id") == Rows{{"1", "one"}, {"2", "two"}});

  // 23502 not_null_violation (NOT NULL, and the primary key's implied NOT NULL)
  c.ExpectError("insert into t (id) values (3)", "23502");
  c.ExpectError("insert into t values (3, NULL, 3, 3.00)", "23502");
  c.ExpectError("insert into t values (NULL, 'null id', 3, 3.00)", "23502");
  c.ExpectError("update t set name = NULL where id = 1", "23502");
  CHECK(c.Scalar("select count(*) from t") == "2");

  // 22012 division_by_zero
  c.ExpectError("select 1/0", "22012");
  c.ExpectError("select 1 % 0", "22012");
  c.ExpectError("select 1.5 / 0", "22012");
  c.ExpectError("select id / (small - 1) from t", "22012");

  // 22003 numeric_value_out_of_range
  c.ExpectError("select 2147483647 + 1", "22003");
  c.ExpectError("select 9223372036854775807 + 1", "22003");
  c.ExpectError("insert into t values (5, 'five', 40000, 1.00)", "22003");  // smallint
  c.ExpectError("insert into t values (6, 'six', 6, 12345.67)", "22003");   // numeric(5,2)
  c.ExpectError("update t set small = small * 100000 where id = 1", "22003");
  CHECK(c.Exec("select id, small, amount from t order by id") ==
        Rows{{"1", "1", "1.00"}, {"2", "2", "2.00"}});

  // 0A000 feature_not_supported, naming what: a correlated scalar subquery in a view.
  const std::string msg = c.ExpectError(
      "create materialized view v_corr as select id, (select max(small) from t t2 "
      "where t2.id < t.id) from t",
      "0A000");
  INFO("0A000 message: " << msg);
  CHECK(msg.find("correlated scalar subqueries") != std::string::npos);

  // The session is fine after all that.
  CHECK(c.Exec("select id, name from v_names order by id") == Rows{{"1", "one"}, {"2", "two"}});
}

TEST_CASE("DROP of a relation that a view depends on is refused with 2BP01 unless CASCADE",
          "[errors]") {
  TestServer server;
  auto conn = std::make_unique<Connection>(server);
  Connection& c = *conn;
  Run(c, "create table base (id int primary key, grp int, v bigint)", "CREATE TABLE");
  Run(c, "insert into base values (1, 1, 10), (2, 1, 20), (3, 2, 30)", "INSERT 0 3");
  Run(c, "create materialized view v1 as select id, grp, v from base where v > 10", "SELECT 2");
  Run(c,
      "create materialized view v2 as select grp, count(*) as n, sum(v) as total from v1 "
      "group by grp",
      "SELECT 2");
  Run(c, "create materialized view v3 as select grp, total from v2", "SELECT 2");

  c.ExpectError("drop table base", "2BP01");
  c.ExpectError("drop materialized view v1", "2BP01");
  c.ExpectError("drop materialized view v2", "2BP01");
  c.ExpectError("drop table base restrict", "2BP01");
  // Nothing was dropped, and the views still follow their inputs.
  Run(c, "insert into base values (4, 2, 40)", "INSERT 0 1");
  CHECK(c.Exec("select grp, total from v3 order by grp") == Rows{{"1", "20"}, {"2", "70"}});

  // A view nothing depends on drops; its input then has one dependent fewer.
  Run(c, "drop materialized view v3", "DROP MATERIALIZED VIEW");
  c.ExpectError("select * from v3", "42P01");
  c.ExpectError("drop materialized view v1", "2BP01");

  // CASCADE drops the table and every view above it, transitively.
  Run(c, "drop table base cascade", "DROP TABLE");
  c.ExpectError("select * from base", "42P01");
  c.ExpectError("select * from v1", "42P01");
  c.ExpectError("select * from v2", "42P01");

  // The names are free again.
  Run(c, "create table base (id int primary key)", "CREATE TABLE");
  Run(c, "create materialized view v1 as select id from base", "SELECT 0");
  Run(c, "drop materialized view v1", "DROP MATERIALIZED VIEW");
  Run(c, "drop table base", "DROP TABLE");

  // The catalog change survives a restart.
  conn.reset();
  server.Restart();
  Connection after(server);
  after.ExpectError("select * from base", "42P01");
  after.ExpectError("select * from v2", "42P01");
}

TEST_CASE("a query string with several statements answers each of them", "[errors]") {
  TestServer server;
  Connection c(server);
  Run(c, "create table m (x int)", "CREATE TABLE");

  std::vector<Result> results = c.ExecAll(
      "insert into m values (1), (2); select x from m order by x; "
      "update m set x = x + 10 where x = 2; select x from m order by x");
  REQUIRE(results.size() == 4);
  CHECK(results[0].status == PGRES_COMMAND_OK);
  CHECK(results[0].tag == "INSERT 0 2");
  CHECK(results[1].status == PGRES_TUPLES_OK);
  CHECK(results[1].tag == "SELECT 2");
  CHECK(results[1].rows == Rows{{"1"}, {"2"}});
  CHECK(results[2].tag == "UPDATE 1");
  CHECK(results[3].rows == Rows{{"1"}, {"12"}});
}

TEST_CASE("a query string may create a table and use it in the next statement", "[errors]") {
  TestServer server;
  Connection c(server);
  std::vector<Result> results =
      c.ExecAll("create table s (x int); insert into s values (7); select x from s");
  REQUIRE(results.size() == 3);
  CHECK(results[0].tag == "CREATE TABLE");
  CHECK(results[1].tag == "INSERT 0 1");
  CHECK(results[2].rows == Rows{{"7"}});
}

TEST_CASE("an error in a query string skips the statements after it", "[errors]") {
  TestServer server;
  Connection c(server);
  Run(c, "create table m (x int)", "CREATE TABLE");
  std::vector<Result> results =
      c.ExecAll("insert into m values (100); select 1/0; insert into m values (200)");
  REQUIRE(results.size() == 2);
  CHECK(results[0].tag == "INSERT 0 1");
  CHECK(results[1].status == PGRES_FATAL_ERROR);
  CHECK(results[1].sqlstate == "22012");
  CHECK(c.Scalar("select count(*) from m where x = 200") == "0");
  CHECK(c.Scalar("select 1") == "1");
}

TEST_CASE(
    "an error in a query string rolls back the statements before it, as PostgreSQL's "
    "implicit transaction does",
    "[errors][pg-compat]") {
  TestServer server;
  Connection c(server);
  Run(c, "create table m (x int)", "CREATE TABLE");
  c.ExecAll("insert into m values (100); select 1/0");
  CHECK(c.Scalar("select count(*) from m") == "0");
}
