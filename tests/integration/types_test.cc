// Column types: RowDescription carries PostgreSQL's type OIDs and column names, and
// values print in PostgreSQL's text format.
#include "tests/integration/test_server.h"

using namespace tributary_it;

TEST_CASE("every column type round-trips with PostgreSQL's OID and text form", "[types]") {
  TestServer server;
  Connection c(server);
  c.Exec(
      "create table all_types (i int, ii integer, b bigint, s smallint, n numeric(10,2), "
      "d decimal, r real, dp double precision, t text, vc varchar(10), bo boolean, dt date, "
      "ts timestamp)");
  CHECK(c.Tag() == "CREATE TABLE");
  c.Exec(
      "insert into all_types values (1, -2, 9007199254740993, 7, 3.1, 1.23456789012345678, "
      "1.5, 0.1, 'hello', 'world', true, '2024-02-29', '2024-02-29 13:45:01'), "
      "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
  CHECK(c.Tag() == "INSERT 0 2");

  Rows rows = c.Exec("select * from all_types order by i");
  CHECK(c.Tag() == "SELECT 2");
  CHECK(c.Last().columns == std::vector<std::string>{"i", "ii", "b", "s", "n", "d", "r", "dp", "t",
                                                     "vc", "bo", "dt", "ts"});
  // int4 int4 int8 int2 numeric numeric float4 float8 text varchar bool date timestamp
  CHECK(c.Last().types ==
        std::vector<Oid>{23, 23, 20, 21, 1700, 1700, 700, 701, 25, 1043, 16, 1082, 1114});
  CHECK_ROWS(rows, (Rows{{"1", "-2", "9007199254740993", "7", "3.10", "1.23456789012345678", "1.5",
                          "0.1", "hello", "world", "t", "2024-02-29", "2024-02-29 13:45:01"},
                         {kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull,
                          kNull, kNull, kNull}}));

  Rows f = c.Exec("select bo, not bo from all_types where bo");
  CHECK(f == Rows{{"t", "f"}});
}

TEST_CASE("expressions and aggregates have PostgreSQL's result types, names and text", "[types]") {
  TestServer server;
  Connection c(server);

  c.Exec("select 1");
  CHECK(c.Last().columns == std::vector<std::string>{"?column?"});
  CHECK(c.Last().types == std::vector<Oid>{23});
  CHECK(c.Tag() == "SELECT 1");

  CHECK(c.Exec("select 1 + 2 as a, 7 / 2 as b, -7 / 2 as c, 7 % 3 as d, 'a' || 'b' as e, "
               "2 * 3.5 as f, 1 < 2 as g, 7.0 / 2 as h") ==
        Rows{{"3", "3", "-3", "1", "ab", "7.0", "t", "3.5000000000000000"}});
  CHECK(c.Last().types == std::vector<Oid>{23, 23, 23, 23, 25, 1700, 16, 1700});

  c.Exec("create table g (k text, x int, y bigint, z double precision, w numeric(8,3))");
  c.Exec(
      "insert into g values ('a', 1, 10, 0.5, 1.5), ('a', 2, 20, 0.25, 2.25), "
      "('b', 5, 50, 1, NULL), ('b', NULL, NULL, NULL, NULL)");
  Rows agg = c.Exec(
      "select k, count(*), count(x), sum(x), sum(y), sum(z), sum(w), avg(x), avg(w), min(x), "
      "max(w) from g group by k order by k");
  CHECK(c.Last().columns == std::vector<std::string>{"k", "count", "count", "sum", "sum", "sum",
                                                     "sum", "avg", "avg", "min", "max"});
  // count → int8, sum(int) → int8, sum(bigint) → numeric, sum(float8) → float8,
  // sum(numeric) → numeric, avg(int) → numeric, avg(numeric) → numeric, min(int) → int4.
  CHECK(c.Last().types == std::vector<Oid>{25, 20, 20, 20, 1700, 701, 1700, 1700, 1700, 23, 1700});
  CHECK_ROWS(
      agg, (Rows{{"a", "2", "2", "3", "30", "0.75", "3.750", "1.5000000000000000",
                  "1.8750000000000000", "1", "2.250"},
                 {"b", "2", "1", "5", "50", "1", kNull, "5.0000000000000000", kNull, "5", kNull}}));

  // Aggregates over no rows: count is 0, the others NULL.
  CHECK(c.Exec("select count(*), count(x), sum(x), avg(x), min(x), max(x) from g where k = 'zz'") ==
        Rows{{"0", "0", kNull, kNull, kNull, kNull}});

  // ORDER BY … DESC and LIMIT.
  CHECK(c.Exec("select x from g where x is not null order by x desc limit 2") ==
        Rows{{"5"}, {"2"}});
  CHECK(c.Tag() == "SELECT 2");
}

TEST_CASE("edge values print as PostgreSQL prints them", "[types]") {
  TestServer server;
  Connection c(server);
  c.Exec(
      "create table e (id int primary key, s varchar(5), t text, d double precision, "
      "n numeric(6,2), ts timestamp, b boolean)");
  c.Exec("insert into e (id) values (1)");  // the other columns are NULL
  CHECK(c.Tag() == "INSERT 0 1");
  c.Exec(
      "insert into e values (2, 'abc', 'it''s', 1e20, -0.5, '2024-02-29 13:45:01.5', false), "
      "(3, 'x', '', 123456789.125, 0, '1999-12-31 23:59:59', true)");
  CHECK_ROWS(c.Exec("select id, s, t, d, n, ts, b from e order by id"),
             (Rows{{"1", kNull, kNull, kNull, kNull, kNull, kNull},
                   {"2", "abc", "it's", "1e+20", "-0.50", "2024-02-29 13:45:01.5", "f"},
                   {"3", "x", "", "123456789.125", "0.00", "1999-12-31 23:59:59", "t"}}));
  // varchar(n) refuses a longer string (string_data_right_truncation).
  c.ExpectError("insert into e values (4, 'toolong', 'x', 1, 1, '2024-01-01', true)", "22001");
  CHECK(c.Scalar("select count(*) from e") == "3");
}
