// Real client drivers from Debian packages against the real binary: psycopg 3
// (python3-psycopg) and pgjdbc (libpostgresql-jdbc-java, compiled and run with the JDK).
// Each client program (tests/integration/clients/) checks its own results and exits 0.
#include <iostream>
#include <string>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

const std::string kClients = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/integration/clients";

void RequirePassed(const ProcessOutput& out, const std::string& banner) {
  INFO(out.output);
  REQUIRE(out.status.exited);
  CHECK(out.status.code == 0);
  CHECK(out.output.find(banner) != std::string::npos);
}

}  // namespace

TEST_CASE("psycopg 3: binding, binary cursors, transactions, pipeline, errors", "[drivers]") {
  TestServer server;
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server.port()) +
                               " user=tributary dbname=tributary";
  // Debian's interpreter, which has python3-psycopg (not whatever python3 is first on PATH).
  ProcessOutput out = RunProcess({"/usr/bin/python3", kClients + "/psycopg_client.py", conninfo},
                                 std::chrono::seconds(60));
  RequirePassed(out, "psycopg: all checks passed");
}

TEST_CASE("pgjdbc: typed PreparedStatements, executeBatch, transactions, errors, metadata",
          "[drivers]") {
  TestServer server;
  const std::string classes = MakeTempDir("tributary-jdbc-");
  const std::string jar = "/usr/share/java/postgresql.jar";
  ProcessOutput compiled = RunProcess(
      {"/usr/bin/javac", "-cp", jar, "-d", classes, kClients + "/JdbcClient.java"},
      std::chrono::seconds(120));
  INFO(compiled.output);
  REQUIRE(compiled.status.exited);
  REQUIRE(compiled.status.code == 0);
  const std::string url = "jdbc:postgresql://127.0.0.1:" + std::to_string(server.port()) +
                          "/tributary?user=tributary";
  ProcessOutput out =
      RunProcess({"/usr/bin/java", "-cp", classes + ":" + jar, "JdbcClient", url, "metadata"},
                 std::chrono::seconds(120));
  RequirePassed(out, "jdbc: all checks passed");
}
