// Lookups by key, which the server runs on the connection's I/O thread once their plan is
// cached (prepared, or simple queries that differ only in their compared literals): they
// must answer exactly as the general path does, see every committed write, notice DDL,
// and give the error of the query as written. Several sessions at once exercise the
// several I/O threads.
#include <string>
#include <vector>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

void CreateAccounts(Connection& c, int rows) {
  c.Exec("create table accounts (aid int primary key, bid int, abalance int, filler text)");
  c.Exec("insert into accounts select i, i % 10, i % 1000, 'x' from generate_series(0, " +
         std::to_string(rows - 1) + ") i");
  c.Exec("create materialized view balances as select aid, abalance from accounts where bid >= 0");
}

}  // namespace

TEST_CASE("simple-protocol key lookups answer as the query as written does", "[lookups]") {
  TestServer server;
  Connection c(server);
  CreateAccounts(c, 200);
  // The first run of each text parses and plans on the pool; the later ones, with other
  // literals, reuse the cached plan.
  for (int i = 0; i < 200; i += 7) {
    const std::string aid = std::to_string(i);
    CHECK(c.Scalar("select abalance from balances where aid = " + aid) == std::to_string(i % 1000));
    CHECK(c.Scalar("select filler from accounts where aid = " + aid) == "x");
  }
  CHECK(c.Exec("select abalance from balances where aid = 5000").empty());
  CHECK(c.Exec("select abalance from balances where aid = null").empty());
  // Further conditions and expressions over the row found.
  CHECK(c.Exec("select abalance from balances where aid = 3 and abalance > 100").empty());
  CHECK(c.Scalar("select abalance * 2 + 1 from balances where aid = 4 and abalance < 100") == "9");

  // Writes are seen at once, in the table and through the view.
  c.Exec("update accounts set abalance = 777 where aid = 7");
  CHECK(c.Scalar("select abalance from balances where aid = 7") == "777");
  c.Exec("delete from accounts where aid = 8");
  CHECK(c.Exec("select abalance from balances where aid = 8").empty());

  // A literal that does not convert gives the error of the query as written.
  c.ExpectError("select abalance from balances where aid = 'abc'", "22P02");
  CHECK(c.Exec("select abalance from balances where aid = 99999999999").empty());  // int8

  // DDL: the cached plan no longer holds once the view is replaced.
  c.Exec("drop materialized view balances");
  c.ExpectError("select abalance from balances where aid = 7", "42P01");
  c.Exec("create materialized view balances as select aid, abalance + 1 as abalance from accounts");
  CHECK(c.Scalar("select abalance from balances where aid = 7") == "778");

  // Inside a transaction block reads see the block's own snapshot and writes.
  c.Exec("begin");
  c.Exec("update accounts set abalance = 1 where aid = 7");
  CHECK(c.Scalar("select abalance from balances where aid = 7") == "2");
  c.Exec("rollback");
  CHECK(c.Scalar("select abalance from balances where aid = 7") == "778");
}

TEST_CASE("key lookups from many sessions at once see consistent rows", "[lookups]") {
  TestServer server;
  {
    Connection c(server);
    CreateAccounts(c, 1000);
  }
  std::vector<int> wrong(8, 0), done(8, 0);
  CHECK(RunClients(server, 8, [&](int t, PGconn* conn) {
          PGresult* prep =
              PQprepare(conn, "one", "select abalance from balances where aid = $1", 0, nullptr);
          if (PQresultStatus(prep) != PGRES_COMMAND_OK) ++wrong[t];
          PQclear(prep);
          for (int i = 0; i < 300; ++i) {
            const int aid = (i * 37 + t * 101) % 1000;
            const std::string id = std::to_string(aid);
            PGresult* r;
            if (i % 2) {
              const char* values[1] = {id.c_str()};
              r = PQexecPrepared(conn, "one", 1, values, nullptr, nullptr, 0);
            } else {
              r = PQexec(conn, ("select abalance from balances where aid = " + id).c_str());
            }
            const bool right = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                               std::string(PQgetvalue(r, 0, 0)) == std::to_string(aid % 1000);
            PQclear(r);
            if (!right) ++wrong[t];
            ++done[t];
          }
        }) == 0);
  for (int t = 0; t < 8; ++t) {
    CHECK(wrong[t] == 0);
    CHECK(done[t] == 300);
  }
}

TEST_CASE("simple-protocol single-row inserts answer as the statement as written does",
          "[lookups]") {
  // A single-row INSERT ... VALUES shares one parse per shape, its values taken out as
  // parameters typed by their columns; it must store what the text says, and give the
  // text's own errors.
  TestServer server;
  Connection c(server);
  c.Exec(
      "create table items (id int primary key, name varchar(5) not null, price numeric(6,2), "
      "added date, qty bigint)");
  c.Exec(
      "create materialized view by_name as select name, count(*) as n, sum(price) as total "
      "from items group by name");
  for (const char* sync : {"on", "off"}) {
    c.Exec(std::string("set synchronous_commit = ") + sync);
    const int base = std::string(sync) == "on" ? 0 : 1000;
    for (int i = 0; i < 50; ++i) {
      const std::string id = std::to_string(base + i);
      c.Exec("insert into items values (" + id + ", 'n" + std::to_string(i % 3) + "', " +
             std::to_string(i) + ".125, '2024-01-" + std::to_string(10 + i % 20) + "', " +
             std::to_string(3000000000LL + i) + ")");
      CHECK(c.Tag() == "INSERT 0 1");
    }
    c.Exec("insert into items (id, name) values (" + std::to_string(base + 99) + ", 'it''s')");
  }
  // Numeric values rounded to the column's scale, strings typed by their column.
  CHECK(c.Scalar("select price from items where id = 1001") == "1.13");
  CHECK(c.Scalar("select added from items where id = 1001") == "2024-01-11");
  CHECK(c.Scalar("select qty from items where id = 1049") == "3000000049");
  CHECK(c.Scalar("select name from items where id = 99") == "it's");
  CHECK(c.Scalar("select count(*) from items") == "102");
  CHECK(c.Exec("select name, n, total from by_name order by name") ==
        c.Exec("select name, count(*), sum(price) from items group by name order by name"));
  // The errors of the text as written.
  c.ExpectError("insert into items values (1, 'n0', 1, '2024-01-01', 1)", "23505");
  c.ExpectError("insert into items values (5000, 'toolong', 1, '2024-01-01', 1)", "22001");
  c.ExpectError("insert into items (id, price) values (5001, 1)", "23502");
  c.ExpectError("insert into items values ('4x', 'a', 1, '2024-01-01', 1)", "22P02");
  c.ExpectError("insert into items values (3000000000, 'a', 1, '2024-01-01', 1)", "22003");
  c.ExpectError("insert into items values (5002, 'a', 12345.5, '2024-01-01', 1)", "22003");
  c.ExpectError("insert into items values (5003, 'a', 1, 'someday', 1)", "22007");
  c.Exec("insert into items values (5004, 'a', 1)");  // fewer values than columns: fine
  CHECK(c.Scalar("select count(*) from items") == "103");
}
