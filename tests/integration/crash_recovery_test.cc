// kill -9 in the middle of a stream of writes: after the restart every acknowledged
// statement is there (the one in flight may or may not be), and the views equal their
// queries. Four crashes in a row on the same data dir, the last with the writer's
// synchronous_commit off: a crash of the server (not of the machine) loses nothing
// acknowledged either way, since the write-ahead log is written before the reply.
#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <thread>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

struct WriterState {
  std::atomic<int> acked_inserts{0};  // orders 1..acked_inserts were acknowledged
  std::atomic<int> acked_updates{0};  // increments of counters.n that were acknowledged
  std::string problem;                // an unexpected error before the connection broke
};

// Inserts orders first_id, first_id+1, … and bumps a counter after each, until the
// connection breaks (the server was killed) or `limit` orders were written.
void Writer(const std::string& conninfo, int first_id, int limit, bool synchronous,
            WriterState* state) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    state->problem = std::string("connect: ") + PQerrorMessage(conn);
    PQfinish(conn);
    return;
  }
  if (!synchronous) {
    PGresult* res = PQexec(conn, "set synchronous_commit = off");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) state->problem = "set synchronous_commit";
    PQclear(res);
  }
  for (int id = first_id; id < first_id + limit; ++id) {
    const std::string insert = "insert into orders values (" + std::to_string(id) + ", " +
                               std::to_string(id % 9) + ".5, 'region " + std::to_string(id % 5) +
                               "', " + std::to_string(id % 7) + ")";
    PGresult* res = PQexec(conn, insert.c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    const std::string state_code =
        PQresultErrorField(res, PG_DIAG_SQLSTATE) ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : "";
    PQclear(res);
    if (!ok) {
      // A killed server shows as a broken connection (no SQLSTATE from the server).
      if (PQstatus(conn) == CONNECTION_OK && !state_code.empty()) {
        state->problem = insert + " failed with " + state_code;
      }
      break;
    }
    state->acked_inserts = id;
    res = PQexec(conn, "update counters set n = n + 1 where id = 1");
    const bool updated = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!updated) break;
    state->acked_updates += 1;
  }
  PQfinish(conn);
}

}  // namespace

TEST_CASE("kill -9 during a stream of writes loses no acknowledged statement", "[recovery]") {
  TestServer server;
  {
    Connection c(server);
    c.Exec(
        "create table orders(order_id int primary key, order_revenue double precision, "
        "order_region varchar(40), customer_id int)");
    c.Exec(
        "create table customers(customer_id int primary key, customer_age int, "
        "customer_name varchar(40))");
    c.Exec(
        "insert into customers values (-1, 0, 'invalid'), (1, 21, 'c1'), (2, 22, 'c2'), "
        "(3, 23, 'c3'), (4, 24, 'c4'), (5, 25, 'c5')");
    c.Exec("create table counters (id int primary key, n bigint)");
    c.Exec("insert into counters values (1, 0)");
    c.Exec(
        "create materialized view dwd_order_customer_valid as "
        "select o.order_id, o.order_revenue, o.order_region, c.customer_id, c.customer_age, "
        "c.customer_name from customers c join orders o on c.customer_id = o.customer_id "
        "where c.customer_id <> -1");
    c.Exec(
        "create materialized view dws_agg_by_region as select order_region, count(*) as "
        "order_cnt, sum(order_revenue) as order_total_revenue from dwd_order_customer_valid "
        "group by order_region");
  }

  int next_id = 1;
  long total_updates = 0;
  for (int round = 0; round < 4; ++round) {
    INFO("crash round " << round);
    WriterState state;
    state.acked_inserts = next_id - 1;
    const bool synchronous = round < 3;
    std::thread writer(Writer, server.ConnInfo(), next_id, 100000, synchronous, &state);
    // Let some writes through, then crash the server under the writer's feet.
    const auto t0 = std::chrono::steady_clock::now();
    while (state.acked_inserts < next_id + 20 &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + 17 * round));
    server.Kill9();
    writer.join();
    CHECK(state.problem.empty());
    if (!state.problem.empty()) WARN(state.problem);
    const int acked = state.acked_inserts;
    REQUIRE(acked >= next_id + 20);  // the writer made progress before the crash
    total_updates += state.acked_updates;

    server.Start();
    Connection c(server);
    // Every acknowledged order is there; at most the one in flight beyond it.
    const int present = std::stoi(c.Scalar("select count(*) from orders"));
    const int max_id = std::stoi(c.Scalar("select max(order_id) from orders"));
    INFO("acknowledged orders 1.." << acked << ", found " << present << " (max id " << max_id
                                   << ")");
    CHECK(present == max_id);  // no gaps
    CHECK(present >= acked);
    CHECK(present <= acked + 1);
    const long n = std::stol(c.Scalar("select n from counters where id = 1"));
    INFO("acknowledged counter increments: " << total_updates << ", counter: " << n);
    CHECK(n >= total_updates);
    CHECK(n <= total_updates + 1);
    total_updates = n;  // an increment in flight that committed counts from now on

    CHECK_ROWS(c.Exec("select order_id, order_revenue, order_region, customer_id, customer_age, "
                      "customer_name from dwd_order_customer_valid order by order_id"),
               c.Exec("select o.order_id, o.order_revenue, o.order_region, c.customer_id, "
                      "c.customer_age, c.customer_name from customers c join orders o "
                      "on c.customer_id = o.customer_id where c.customer_id <> -1 "
                      "order by o.order_id"));
    CHECK_ROWS(c.Exec("select order_region, order_cnt, order_total_revenue from "
                      "dws_agg_by_region order by order_region"),
               c.Exec("select o.order_region, count(*) as order_cnt, sum(o.order_revenue) as "
                      "order_total_revenue from customers c join orders o "
                      "on c.customer_id = o.customer_id where c.customer_id <> -1 "
                      "group by o.order_region order by order_region"));
    next_id = max_id + 1;
  }
  server.Stop();
}
