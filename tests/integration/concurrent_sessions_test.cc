// Several sessions writing at once: the single writer evaluates each DML statement at its
// step, so `x = x + 1` from concurrent sessions never loses an update, and the views end
// up equal to their queries. Readers keep getting answers while writers write.
#include <libpq-fe.h>

#include <atomic>
#include <thread>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

// Runs each (statement, expected tag) on one connection. Catch2's assertions are not
// thread-safe: worker threads use bare libpq and report their first problem as a string.
std::string RunStatements(const std::string& conninfo,
                          const std::vector<std::pair<std::string, std::string>>& statements) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return "connect: " + msg;
  }
  std::string problem;
  for (const auto& [sql, expected_tag] : statements) {
    PGresult* res = PQexec(conn, sql.c_str());
    const std::string tag = PQcmdStatus(res);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
      problem = sql + " -> " + PQresultErrorMessage(res);
    } else if (tag != expected_tag) {
      problem = sql + " -> tag \"" + tag + "\", expected \"" + expected_tag + "\"";
    }
    PQclear(res);
    if (!problem.empty()) break;
  }
  PQfinish(conn);
  return problem;
}

}  // namespace

TEST_CASE("concurrent sessions lose no update and views end equal to their queries",
          "[concurrency]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table counters (id int primary key, n bigint not null)");
  c.Exec("insert into counters values (1, 0), (2, 0)");
  c.Exec("create table events (id int primary key, session int, amount numeric(10,2))");
  c.Exec(
      "create materialized view per_session as select session, count(*) as events, "
      "sum(amount) as total from events group by session");
  c.Exec("create materialized view counter_view as select id, n from counters where n >= 0");

  constexpr int kSessions = 4;
  constexpr int kPerSession = 50;
  std::vector<std::string> problems(kSessions);
  std::atomic<bool> writers_done{false};
  std::vector<std::thread> threads;
  for (int s = 0; s < kSessions; ++s) {
    threads.emplace_back([&, s] {
      std::vector<std::pair<std::string, std::string>> statements;
      for (int i = 0; i < kPerSession; ++i) {
        statements.emplace_back(
            "update counters set n = n + 1 where id = " + std::to_string(1 + (i % 2)), "UPDATE 1");
        statements.emplace_back("insert into events values (" + std::to_string(s * 1000 + i) +
                                    ", " + std::to_string(s) + ", 0.01)",
                                "INSERT 0 1");
      }
      const std::string problem = RunStatements(server.ConnInfo(), statements);
      problems[s] = problem;
    });
  }
  // A reader keeps querying while the writers write.
  std::string reader_problem;
  int reads = 0;
  std::thread reader([&] {
    PGconn* conn = PQconnectdb(server.ConnInfo().c_str());
    while (!writers_done.load() && reader_problem.empty()) {
      PGresult* res =
          PQexec(conn, "select session, events, total from per_session order by session");
      if (PQresultStatus(res) != PGRES_TUPLES_OK) reader_problem = PQresultErrorMessage(res);
      PQclear(res);
      ++reads;
    }
    PQfinish(conn);
  });
  for (auto& t : threads) t.join();
  writers_done = true;
  reader.join();

  for (int s = 0; s < kSessions; ++s) {
    INFO("session " << s);
    CHECK(problems[s].empty());
    if (!problems[s].empty()) WARN(problems[s]);
  }
  INFO("reader: " << reader_problem);
  CHECK(reader_problem.empty());
  CHECK(reads > 0);

  const std::string half = std::to_string(kSessions * kPerSession / 2);
  CHECK(c.Exec("select id, n from counters order by id") == Rows{{"1", half}, {"2", half}});
  CHECK(c.Exec("select id, n from counter_view order by id") == Rows{{"1", half}, {"2", half}});
  Rows expected_sessions;
  for (int s = 0; s < kSessions; ++s) {
    expected_sessions.push_back({std::to_string(s), std::to_string(kPerSession), "0.50"});
  }
  CHECK(c.Exec("select session, events, total from per_session order by session") ==
        expected_sessions);
  CHECK(c.Exec("select session, count(*) as events, sum(amount) as total from events "
               "group by session order by session") == expected_sessions);
}
