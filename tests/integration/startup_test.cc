// The server process: command line, startup time, the listening log line, session
// parameters, clean shutdown on signals, the data-dir lock, authentication of roles and
// databases, and psql as a client.
#include <algorithm>
#include <cctype>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("tributary --help exits 0 and documents --listen and --data-dir", "[startup]") {
  ProcessOutput help = RunProcess({BinaryPath(), "--help"});
  INFO("tributary --help " << help.status.Describe() << ", output:\n" << help.output);
  CHECK(help.status.exited);
  CHECK(help.status.code == 0);
  CHECK(Contains(help.output, "--listen"));
  CHECK(Contains(help.output, "--data-dir"));
  CHECK(Contains(help.output, "--log-level"));
}

TEST_CASE("the server starts in under a second on an empty data dir and logs where it listens",
          "[startup]") {
  TestServer server;
  WARN("tributary accepted its first connection " << server.startup_seconds() * 1000.0
                                                  << " ms after exec");
  CHECK(server.startup_seconds() < 1.0);
  const std::string log = server.Log();
  INFO("server log:\n" << log);
  CHECK(Contains(log, "listening on 127.0.0.1:" + std::to_string(server.port())));
}

TEST_CASE("the session reports PostgreSQL 15 parameters and a Tributary server_version",
          "[startup]") {
  TestServer server;
  Connection conn(server);
  const std::string version = conn.ParameterStatus("server_version");
  INFO("server_version = \"" << version << "\"");
  CHECK(version.rfind("15", 0) == 0);
  CHECK(Contains(version, "Tributary"));
  CHECK(PQserverVersion(conn.raw()) >= 150000);
  CHECK(PQserverVersion(conn.raw()) < 160000);
  CHECK(conn.ParameterStatus("server_encoding") == "UTF8");
  CHECK(conn.ParameterStatus("client_encoding") == "UTF8");
  CHECK(conn.ParameterStatus("DateStyle").rfind("ISO", 0) == 0);
  CHECK(conn.ParameterStatus("integer_datetimes") == "on");
  CHECK(conn.ParameterStatus("standard_conforming_strings") == "on");
  CHECK(conn.ParameterStatus("TimeZone") == "UTC");
  CHECK(PQbackendPID(conn.raw()) != 0);  // BackendKeyData was sent
  CHECK(conn.Scalar("select 1") == "1");
}

TEST_CASE("an empty query string answers EmptyQueryResponse", "[startup]") {
  TestServer server;
  Connection conn(server);
  std::vector<Result> results = conn.ExecAll("");
  REQUIRE(results.size() == 1);
  CHECK(results[0].status == PGRES_EMPTY_QUERY);
  CHECK(conn.Scalar("select 2") == "2");
}

TEST_CASE("SIGTERM stops the server with exit code 0, also with a session open", "[startup]") {
  TestServer server;
  {
    Connection conn(server);
    CHECK(conn.Scalar("select 1") == "1");
  }
  server.Stop();  // requires exit code 0

  server.Start();
  Connection idle(server);  // stays open across the shutdown
  CHECK(idle.Scalar("select 1") == "1");
  ExitStatus status = server.Signal(SIGTERM);
  INFO("after SIGTERM with an open session the server " << status.Describe() << "; log:\n"
                                                        << server.Log());
  CHECK_FALSE(status.timed_out);
  CHECK(status.exited);
  CHECK(status.code == 0);
}

TEST_CASE("SIGTERM right after writes are answered exits cleanly", "[startup]") {
  // The writer answers a transaction by posting to the session's I/O thread; it used to
  // finish that after the client had its reply, and crash if the signal had meanwhile
  // torn the I/O threads down. Rare per shutdown, so many shutdowns.
  TestServer server;
  {
    Connection conn(server);
    conn.Exec("CREATE TABLE t (id int PRIMARY KEY)");
  }
  for (int round = 0; round < 30; ++round) {
    if (round > 0) server.Start();
    {
      Connection conn(server);
      const std::string role = "r" + std::to_string(round);
      conn.Exec("INSERT INTO t VALUES (" + std::to_string(round) + ")");
      conn.Exec("CREATE ROLE " + role + " LOGIN");  // DDL: the writer does more after it
      conn.Exec("ALTER ROLE " + role + " PASSWORD 'secret'");
    }
    ExitStatus status = server.Signal(SIGTERM);
    INFO("round " << round << ": after SIGTERM the server " << status.Describe() << "; log:\n"
                  << server.Log());
    REQUIRE(status.exited);
    REQUIRE(status.code == 0);
  }
}

TEST_CASE("SIGINT stops the server with exit code 0", "[startup]") {
  TestServer server;
  ExitStatus status = server.Signal(SIGINT);
  INFO("after SIGINT the server " << status.Describe() << "; log:\n" << server.Log());
  CHECK(status.exited);
  CHECK(status.code == 0);
}

TEST_CASE("a second server on the same data dir refuses to start", "[startup]") {
  TestServer server;
  ProcessOutput second = RunProcess(server.Argv(FreePort()), std::chrono::seconds(10));
  INFO("second server " << second.status.Describe() << ", output:\n" << second.output);
  CHECK_FALSE(second.status.timed_out);
  CHECK(second.status.exited);
  CHECK(second.status.code != 0);
  const std::string out = Lower(second.output);
  CHECK((Contains(out, "lock") || Contains(out, Lower(server.data_dir())) ||
         Contains(out, "data dir")));
  // The first one is unharmed.
  Connection conn(server);
  CHECK(conn.Scalar("select 1") == "1");
}

TEST_CASE("an unknown role is refused with 28000", "[startup]") {
  TestServer server;
  ConnectOutcome outcome = TryConnect(server.ConnInfo("nobody", "tributary"));
  INFO("libpq: " << outcome.message);
  CHECK_FALSE(outcome.connected);
  CHECK(outcome.sqlstate == "28000");
  CHECK(Contains(outcome.message, "nobody"));
}

TEST_CASE("an unknown database is refused with 3D000", "[startup]") {
  TestServer server;
  ConnectOutcome outcome = TryConnect(server.ConnInfo("tributary", "nope"));
  INFO("libpq: " << outcome.message);
  CHECK_FALSE(outcome.connected);
  CHECK(outcome.sqlstate == "3D000");
  CHECK(Contains(outcome.message, "nope"));
  // The right names still work.
  CHECK(TryConnect(server.ConnInfo()).connected);
}

TEST_CASE("psql -c works against the server", "[startup]") {
  TestServer server;
  const std::string conninfo =
      "host=127.0.0.1 port=" + std::to_string(server.port()) + " user=tributary dbname=tributary";

  // Unaligned, tuples only: just the value. (Default sslmode=prefer: SSLRequest answered N.)
  ProcessOutput bare = RunProcess({"/usr/bin/psql", conninfo, "-X", "-A", "-t", "-c", "select 1"});
  INFO("psql -At -c 'select 1' " << bare.status.Describe() << ", output:\n" << bare.output);
  CHECK(bare.status.exited);
  CHECK(bare.status.code == 0);
  CHECK(bare.output == "1\n");

  // The default aligned format, with the header and the row count footer.
  ProcessOutput table =
      RunProcess({"/usr/bin/psql", conninfo, "-X", "-c", "select 1 as one, 'two' as two"});
  INFO("psql -c " << table.status.Describe() << ", output:\n" << table.output);
  CHECK(table.status.code == 0);
  CHECK(Contains(table.output, " one | two "));
  CHECK(Contains(table.output, "   1 | two"));
  CHECK(Contains(table.output, "(1 row)"));

  // Errors reach psql with their SQLSTATE (VERBOSITY verbose prints it) and exit code 1.
  ProcessOutput error =
      RunProcess({"/usr/bin/psql", conninfo, "-X", "-v", "VERBOSITY=verbose", "-c", "select 1/0"});
  INFO("psql -c 'select 1/0' " << error.status.Describe() << ", output:\n" << error.output);
  CHECK(error.status.code == 1);
  CHECK(Contains(error.output, "22012"));
}
