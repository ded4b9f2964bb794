// UPDATE and DELETE sent as text differ from one another only in their literals; the
// session parses each shape once and passes the compared literals (and SET values) as
// parameters. They must do exactly what the statement as written does: the same rows, the
// same conversions of each literal to its column's type, the same errors, and views kept.
#include <string>
#include <vector>

#include "tests/integration/test_server.h"

using namespace tributary_it;

TEST_CASE("simple-protocol writes with literal values do what the text says", "[writes]") {
  TestServer server;
  Connection c(server);
  c.Exec(
      "create table items (id int primary key, name varchar(5), price numeric(8,2), "
      "active boolean, big bigint, at date)");
  c.Exec(
      "insert into items select i, 'n' || i, i * 1.5, i % 2 = 0, i * 1000000000::bigint, "
      "date '2024-01-01' + i from generate_series(1, 50) i");
  c.Exec(
      "create materialized view totals as select active, count(*) as n, sum(price) as "
      "total from items group by active");

  // The same shape again and again, with other values: each row gets its own.
  for (int i = 1; i <= 50; i += 3) {
    const std::string id = std::to_string(i);
    c.Exec("update items set price = " + std::to_string(i) + ".25 where id = " + id);
    CHECK(c.Tag() == "UPDATE 1");
    CHECK(c.Scalar("select price from items where id = " + id) == id + ".25");
  }
  // Each literal converts to its column's type as the literal would.
  c.Exec("update items set name = 'x''y', active = 'yes', at = '2025-02-03' where id = 2");
  CHECK(c.Scalar("select name || '|' || active || '|' || at from items where id = 2") ==
        "x'y|true|2025-02-03");
  c.Exec("update items set price = 7 where big = 3000000000");  // int4 into numeric; int8 key
  CHECK(c.Scalar("select price from items where id = 3") == "7.00");
  c.Exec("update items set price = price + 1 where price >= 49 and price < 50 and name <> 'n1'");
  CHECK(c.Tag() == "UPDATE 2");  // 33 (49.50) and 49 (49.25)
  c.Exec("delete from items where id = 50");
  CHECK(c.Tag() == "DELETE 1");
  c.Exec("delete from items where id = 50");
  CHECK(c.Tag() == "DELETE 0");
  c.Exec("delete from items where at < '2024-01-05'");
  CHECK(c.Tag() == "DELETE 2");  // ids 1 and 3 (2 moved to 2025)

  // Values that do not fit give the statement's own error, and change nothing.
  c.ExpectError("update items set name = 'toolong' where id = 5", "22001");
  c.ExpectError("update items set price = 'abc' where id = 5", "22P02");
  c.ExpectError("update items set price = 1 where id = 'x'", "22P02");
  c.ExpectError("update items set price = 1000000 where id = 5", "22003");
  c.ExpectError("update nowhere set a = 1 where id = 5", "42P01");
  CHECK(c.Scalar("select name || '|' || price from items where id = 5") == "n5|7.50");

  // The view followed every change.
  CHECK(c.Exec("select active, n, total from totals order by active") ==
        c.Exec("select active, count(*), sum(price) from items group by active order by active"));
}

TEST_CASE("a write's shape is bound again once DDL changes its table", "[writes]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key, a int)");
  c.Exec("insert into t values (1, 10), (2, 20)");
  c.Exec("update t set a = 11 where id = 1");
  CHECK(c.Scalar("select a from t where id = 1") == "11");
  // The same shape (update t set a = $1 where id = $2) over another table of that name:
  // other column positions and types, and a view to keep.
  c.Exec("drop table t");
  c.Exec("create table t (a text, b int, id int primary key)");
  c.Exec("insert into t values ('x', 0, 1), ('y', 0, 2)");
  c.Exec("create materialized view v as select a, count(*) as n from t group by a");
  c.Exec("update t set a = 12 where id = 2");
  CHECK(c.Tag() == "UPDATE 1");
  CHECK(c.Exec("select a, b, id from t order by id") == Rows{{"x", "0", "1"}, {"12", "0", "2"}});
  CHECK(c.Exec("select a, n from v order by a") == Rows{{"12", "1"}, {"x", "1"}});
  c.Exec("delete from t where id = 1");
  CHECK(c.Tag() == "DELETE 1");
  c.ExpectError("update t set a = 1 where id = 'z'", "22P02");
}

TEST_CASE("literal writes from many sessions at once all land, in each session's order",
          "[writes]") {
  TestServer server;
  {
    Connection c(server);
    c.Exec("create table counters (id int primary key, n int, last int)");
    c.Exec("insert into counters select i, 0, 0 from generate_series(0, 7) i");
    c.Exec("create materialized view total as select sum(n) as n from counters");
  }
  std::vector<int> failed(8, 0);
  CHECK(RunClients(server, 8, [&](int t, PGconn* conn) {
          // Every session writes its own row and one row it shares with another.
          for (int i = 1; i <= 100; ++i) {
            const std::string own = "update counters set n = n + 1, last = " + std::to_string(i) +
                                    " where id = " + std::to_string(t);
            const std::string shared =
                "update counters set n = n + 1 where id = " + std::to_string((t + 1) % 8);
            for (const std::string& sql : {own, shared}) {
              PGresult* r = PQexec(conn, sql.c_str());
              if (PQresultStatus(r) != PGRES_COMMAND_OK ||
                  std::string(PQcmdStatus(r)) != "UPDATE 1") {
                ++failed[t];
              }
              PQclear(r);
            }
          }
        }) == 0);
  for (int t = 0; t < 8; ++t) CHECK(failed[t] == 0);
  Connection c(server);
  CHECK(c.Scalar("select count(*) from counters where n = 200 and last = 100") == "8");
  CHECK(c.Scalar("select n from total") == "1600");
}
