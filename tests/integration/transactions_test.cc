// BEGIN / COMMIT / ROLLBACK against the real binary: ReadyForQuery's status, reads that see
// the block's own writes and nobody else's, one atomic step at COMMIT (views included),
// 25P02 after an error, and 40001 when a concurrent commit changed what a write did.
#include <string>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

PGTransactionStatusType Status(Connection& c) { return PQtransactionStatus(c.raw()); }

// Runs `sql` inside a block and requires it to fail with `sqlstate`.
void ExpectErrorInBlock(Connection& c, const std::string& sql, const std::string& sqlstate) {
  std::vector<Result> r = c.ExecAll(sql);
  REQUIRE(!r.empty());
  CHECK(r.back().sqlstate == sqlstate);
}

}  // namespace

TEST_CASE("a transaction block applies its writes together at COMMIT", "[transactions]") {
  TestServer server;
  Connection a(server), b(server);
  a.Exec("create table accounts (id int primary key, balance int not null)");
  a.Exec("create materialized view total as select sum(balance) as s, count(*) as n from accounts");
  a.Exec("insert into accounts values (1, 100), (2, 100)");

  CHECK(Status(a) == PQTRANS_IDLE);
  a.Exec("begin");
  CHECK(Status(a) == PQTRANS_INTRANS);
  a.Exec("update accounts set balance = balance - 30 where id = 1");
  CHECK(a.Tag() == "UPDATE 1");
  a.Exec("update accounts set balance = balance + 30 where id = 2");
  a.Exec("insert into accounts values (3, 5)");
  CHECK(a.Tag() == "INSERT 0 1");
  // The block sees its own writes, views included; others see none of them yet.
  CHECK(a.Exec("select id, balance from accounts order by id") ==
        Rows{{"1", "70"}, {"2", "130"}, {"3", "5"}});
  CHECK(a.Exec("select s, n from total") == Rows{{"205", "3"}});
  CHECK(b.Exec("select s, n from total") == Rows{{"200", "2"}});
  CHECK(b.Scalar("select balance from accounts where id = 1") == "100");
  a.Exec("commit");
  CHECK(a.Tag() == "COMMIT");
  CHECK(Status(a) == PQTRANS_IDLE);
  CHECK(b.Exec("select s, n from total") == Rows{{"205", "3"}});
  CHECK(b.Exec("verify materialized view total") == Rows{{"OK", "1 rows match"}});
}

TEST_CASE("ROLLBACK discards the block, and reads in a block see one snapshot", "[transactions]") {
  TestServer server;
  Connection a(server), b(server);
  a.Exec("create table t (id int primary key)");
  a.Exec("insert into t values (1)");

  a.Exec("start transaction");
  a.Exec("insert into t values (2)");
  a.Exec("rollback");
  CHECK(a.Tag() == "ROLLBACK");
  CHECK(a.Scalar("select count(*) from t") == "1");

  // A read-only block keeps the snapshot of its first read.
  a.Exec("begin");
  CHECK(a.Scalar("select count(*) from t") == "1");
  b.Exec("insert into t values (3)");
  CHECK(a.Scalar("select count(*) from t") == "1");
  a.Exec("commit");
  CHECK(a.Scalar("select count(*) from t") == "2");

  // The whole block in one query string.
  a.Exec("begin; insert into t values (4); insert into t values (5); commit");
  CHECK(a.Scalar("select count(*) from t") == "4");
  CHECK(Status(a) == PQTRANS_IDLE);
}

TEST_CASE("an error fails the block: 25P02 until it ends, and nothing is applied",
          "[transactions]") {
  TestServer server;
  Connection a(server);
  a.Exec("create table t (id int primary key)");
  a.Exec("begin");
  a.Exec("insert into t values (1)");
  ExpectErrorInBlock(a, "insert into t values (1)", "23505");
  CHECK(Status(a) == PQTRANS_INERROR);
  std::vector<Result> r = a.ExecAll("select 1");
  REQUIRE(r.size() == 1);
  CHECK(r[0].sqlstate == "25P02");
  a.Exec("commit");
  CHECK(a.Tag() == "ROLLBACK");  // PostgreSQL's answer to COMMIT in a failed block
  CHECK(Status(a) == PQTRANS_IDLE);
  CHECK(a.Scalar("select count(*) from t") == "0");

  // A read-only block refuses writes.
  a.Exec("begin read only");
  ExpectErrorInBlock(a, "insert into t values (9)", "25006");
  a.Exec("rollback");
}

TEST_CASE("a write whose outcome a concurrent commit changed fails COMMIT with 40001",
          "[transactions]") {
  TestServer server;
  Connection a(server), b(server);
  a.Exec("create table t (id int primary key, v int)");
  a.Exec("insert into t values (1, 0)");
  a.Exec("begin");
  a.Exec("insert into t values (2, 1)");
  b.Exec("insert into t values (2, 2)");  // commits first
  std::vector<Result> r = a.ExecAll("commit");
  REQUIRE(r.size() == 1);
  CHECK(r[0].sqlstate == "40001");
  CHECK(Status(a) == PQTRANS_IDLE);
  CHECK(a.Exec("select id, v from t order by id") == Rows{{"1", "0"}, {"2", "2"}});

  // An UPDATE that would now touch a different number of rows fails the same way.
  a.Exec("begin");
  a.Exec("update t set v = v + 10 where v < 5");
  CHECK(a.Tag() == "UPDATE 2");
  b.Exec("update t set v = 100 where id = 1");
  r = a.ExecAll("commit");
  CHECK(r[0].sqlstate == "40001");
  CHECK(a.Exec("select id, v from t order by id") == Rows{{"1", "100"}, {"2", "2"}});
}
