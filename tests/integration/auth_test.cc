// Authentication (trust, password, md5, scram-sha-256 with and without channel binding),
// TLS, roles and GRANT/REVOKE SELECT, through real clients: libpq, psql, psycopg, pgjdbc.
#include <libpq-fe.h>

#include <fstream>
#include <string>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

std::string Conn(const TestServer& server, const std::string& user, const std::string& extra) {
  return server.ConnInfo(user) + " " + extra;
}

// Runs psql -c `sql` as `user` with PGPASSWORD=`password`; returns its output and status.
ProcessOutput Psql(const TestServer& server, const std::string& user, const std::string& password,
                   const std::string& sql, const std::string& extra = "sslmode=disable") {
  return RunProcess({"/usr/bin/env", "PGPASSWORD=" + password, "PGCONNECT_TIMEOUT=10", "psql", "-X",
                     "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", Conn(server, user, extra), "-c",
                     sql});
}

// psql must succeed and print `expected`.
void CheckPsqlPrints(const TestServer& server, const std::string& user, const std::string& password,
                     const std::string& sql, const std::string& expected,
                     const std::string& extra = "sslmode=disable") {
  ProcessOutput out = Psql(server, user, password, sql, extra);
  INFO(out.output);
  CHECK(out.status.code == 0);
  CHECK(out.output.find(expected) != std::string::npos);
}

void RestartWith(TestServer& server, std::vector<std::string> args) {
  server.Stop();
  server.set_extra_args(std::move(args));
  server.Start();
}

// A throwaway self-signed certificate for CN=localhost in `dir`.
void MakeCertificate(const std::string& dir) {
  ProcessOutput out =
      RunProcess({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                  dir + "/server.key", "-out", dir + "/server.crt", "-days", "2", "-subj",
                  "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"},
                 std::chrono::seconds(30));
  INFO(out.output);
  REQUIRE(out.status.exited);
  REQUIRE(out.status.code == 0);
}

}  // namespace

TEST_CASE("roles: CREATE, ALTER and DROP ROLE with PostgreSQL's errors, durable", "[auth]") {
  TestServer server;
  {
    Connection admin(server);
    admin.Exec("CREATE ROLE alice WITH LOGIN PASSWORD 'wonderland'");
    CHECK(admin.Tag() == "CREATE ROLE");
    admin.ExpectError("CREATE ROLE alice", "42710");
    admin.ExpectError("CREATE USER public", "42939");
    admin.ExpectError("DROP ROLE nobody", "42704");
    admin.Exec("DROP ROLE IF EXISTS nobody");
    CHECK(admin.Tag() == "DROP ROLE");
    admin.ExpectError("ALTER ROLE nobody LOGIN", "42704");
    admin.Exec("CREATE ROLE bob");                 // NOLOGIN by default
    admin.Exec("CREATE USER carol PASSWORD 'x'");  // LOGIN by default
    admin.Exec("ALTER ROLE carol RENAME TO dave");
    admin.ExpectError("DROP ROLE tributary", "2BP01");
    admin.ExpectError("ALTER ROLE tributary NOSUPERUSER", "0A000");
  }
  ConnectOutcome unknown = TryConnect(server.ConnInfo("mallory") + " sslmode=disable");
  CHECK_FALSE(unknown.connected);
  CHECK(unknown.sqlstate == "28000");
  ConnectOutcome nologin = TryConnect(server.ConnInfo("bob") + " sslmode=disable");
  CHECK_FALSE(nologin.connected);
  CHECK(nologin.sqlstate == "28000");
  CHECK(nologin.message.find("is not permitted to log in") != std::string::npos);
  CHECK_FALSE(TryConnect(server.ConnInfo("carol") + " sslmode=disable").connected);
  {
    Connection alice(server.ConnInfo("alice"));
    CHECK(alice.Scalar("SELECT 1") == "1");
    CHECK(alice.ParameterStatus("session_authorization") == "alice");
    CHECK(alice.ParameterStatus("is_superuser") == "off");
    CHECK(alice.ExpectError("CREATE ROLE eve", "42501") == "permission denied to create role");
    alice.ExpectError("DROP ROLE bob", "42501");
    alice.ExpectError("ALTER ROLE alice SUPERUSER", "42501");
    alice.Exec("ALTER ROLE alice PASSWORD 'looking-glass'");  // one's own password: allowed
  }
  // Roles are durable: they survive kill -9 and a restart.
  server.Kill9();
  server.Start();
  CHECK(TryConnect(server.ConnInfo("alice") + " sslmode=disable").connected);
  CHECK(TryConnect(server.ConnInfo("dave") + " sslmode=disable").connected);
  CHECK(TryConnect(server.ConnInfo("bob") + " sslmode=disable").sqlstate == "28000");
  {
    Connection admin(server);
    admin.Exec("ALTER ROLE bob LOGIN");
    admin.Exec("DROP ROLE dave");
  }
  server.Restart();
  CHECK(TryConnect(server.ConnInfo("bob") + " sslmode=disable").connected);
  CHECK(TryConnect(server.ConnInfo("dave") + " sslmode=disable").sqlstate == "28000");
}

TEST_CASE("auth: scram-sha-256 with psql, libpq and psycopg, and a wrong password is 28P01", "[auth]") {
  TestServer server;
  {
    Connection admin(server);
    admin.Exec("ALTER ROLE tributary PASSWORD 'rootpw'");
    admin.Exec("CREATE ROLE alice LOGIN PASSWORD 'wonderland'");
    admin.Exec("CREATE ROLE nopass LOGIN");
  }
  RestartWith(server, {"--auth", "scram-sha-256"});

  CheckPsqlPrints(server, "alice", "wonderland", "SELECT 40 + 2", "42");

  ProcessOutput wrong = Psql(server, "alice", "wonderlend", "SELECT 1");
  CHECK(wrong.status.code != 0);
  CHECK(wrong.output.find("password authentication failed for user \"alice\"") !=
        std::string::npos);

  ConnectOutcome bad = TryConnect(Conn(server, "alice", "password=nope sslmode=disable"));
  CHECK_FALSE(bad.connected);
  CHECK(bad.sqlstate == "28P01");
  ConnectOutcome no_password = TryConnect(Conn(server, "nopass", "password=x sslmode=disable"));
  CHECK(no_password.sqlstate == "28P01");
  ConnectOutcome unknown = TryConnect(Conn(server, "mallory", "password=x sslmode=disable"));
  CHECK(unknown.sqlstate == "28000");
  Connection libpq(Conn(server, "tributary", "password=rootpw sslmode=disable"));
  CHECK(libpq.Scalar("SELECT 7") == "7");

  const std::string script =
      "import sys, psycopg\n"
      "with psycopg.connect(sys.argv[1], password='wonderland') as c:\n"
      "    print('psycopg', c.execute('select 6 * 7').fetchone()[0])\n"
      "try:\n"
      "    psycopg.connect(sys.argv[1], password='wrong')\n"
      "except psycopg.OperationalError as e:\n"
      "    print('refused', 'password authentication failed' in str(e))\n";
  ProcessOutput py =
      RunProcess({"/usr/bin/python3", "-c", script, Conn(server, "alice", "sslmode=disable")},
                 std::chrono::seconds(30));
  INFO(py.output);
  CHECK(py.status.code == 0);
  CHECK(py.output.find("psycopg 42") != std::string::npos);
  CHECK(py.output.find("refused True") != std::string::npos);
}

TEST_CASE("auth: md5 (falling back to SCRAM) and cleartext password methods", "[auth]") {
  TestServer server;
  {
    Connection admin(server);
    admin.Exec("CREATE ROLE olduser LOGIN");
    admin.Exec("CREATE ROLE alice LOGIN PASSWORD 'wonderland'");
  }
  // A pre-hashed md5 secret, as PostgreSQL accepts it: 'md5' || md5(password || user),
  // computed by libpq.
  char* md5 = PQencryptPassword("secret", "olduser");
  REQUIRE(md5 != nullptr);
  {
    Connection admin(server);
    admin.Exec(std::string("ALTER ROLE olduser PASSWORD '") + md5 + "'");
  }
  PQfreemem(md5);
  RestartWith(server, {"--auth", "md5"});
  CHECK(TryConnect(Conn(server, "olduser", "password=secret sslmode=disable")).connected);
  CHECK(TryConnect(Conn(server, "olduser", "password=Secret sslmode=disable")).sqlstate == "28P01");
  // A SCRAM secret cannot answer md5: the server runs SCRAM instead, as PostgreSQL does.
  CHECK(TryConnect(Conn(server, "alice", "password=wonderland sslmode=disable")).connected);
  CHECK(TryConnect(Conn(server, "alice", "password=wonder sslmode=disable")).sqlstate == "28P01");

  RestartWith(server, {"--auth", "password"});
  CheckPsqlPrints(server, "olduser", "secret", "SELECT 'clear' || 'text'", "cleartext");
  CHECK(TryConnect(Conn(server, "alice", "password=wonderland sslmode=disable")).connected);
  CHECK(TryConnect(Conn(server, "alice", "password=wonder sslmode=disable")).sqlstate == "28P01");
}

TEST_CASE("tls: sslmode require and verify-ca, SCRAM-SHA-256-PLUS channel binding", "[auth]") {
  // Without a certificate the server answers SSLRequest with 'N'.
  {
    TestServer plain;
    CHECK_FALSE(TryConnect(plain.ConnInfo() + " sslmode=require").connected);
    Connection prefer(plain.ConnInfo() + " sslmode=prefer");
    CHECK(PQsslInUse(prefer.raw()) == 0);
  }
  const std::string dir = MakeTempDir("tributary-tls-");
  MakeCertificate(dir);
  TestServer server;
  {
    Connection admin(server);
    admin.Exec("CREATE ROLE alice LOGIN PASSWORD 'wonderland'");
  }
  RestartWith(server, {"--auth", "scram-sha-256", "--tls-cert", dir + "/server.crt", "--tls-key",
                       dir + "/server.key"});

  Connection required(Conn(server, "alice", "password=wonderland sslmode=require"));
  CHECK(PQsslInUse(required.raw()) == 1);
  CHECK(required.Scalar("SELECT 'over tls'") == "over tls");
  Connection verified(Conn(
      server, "alice",
      "password=wonderland sslmode=verify-full host=localhost sslrootcert=" + dir + "/server.crt"));
  CHECK(PQsslInUse(verified.raw()) == 1);
  // channel_binding=require makes libpq use SCRAM-SHA-256-PLUS with tls-server-end-point.
  Connection bound(Conn(server, "alice",
                        "password=wonderland sslmode=verify-ca channel_binding=require "
                        "sslrootcert=" +
                            dir + "/server.crt"));
  CHECK(bound.Scalar("SELECT 1") == "1");
  CHECK(TryConnect(Conn(server, "alice", "password=wrong sslmode=require channel_binding=require"))
            .sqlstate == "28P01");
  // Without TLS there is nothing to bind to: libpq refuses.
  CHECK_FALSE(TryConnect(Conn(server, "alice",
                              "password=wonderland sslmode=disable channel_binding=require"))
                  .connected);
  CheckPsqlPrints(server, "alice", "wonderland", "SELECT 'psql ' || 'tls'", "psql tls",
                  "sslmode=verify-ca sslrootcert=" + dir + "/server.crt");
}

TEST_CASE("grants: SELECT checked on every read path, GRANT/REVOKE durable", "[auth]") {
  TestServer server;
  Connection admin(server);
  admin.Exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  admin.Exec("CREATE TABLE u (id int PRIMARY KEY, w text)");
  admin.Exec("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  admin.Exec("INSERT INTO u VALUES (1, 'x')");
  admin.Exec("CREATE MATERIALIZED VIEW tv AS SELECT count(*) AS n FROM t");
  admin.Exec("CREATE ROLE reader LOGIN");

  Connection reader(server.ConnInfo("reader"));
  CHECK(reader.ExpectError("SELECT * FROM t", "42501") == "permission denied for table t");
  CHECK(reader.ExpectError("SELECT n FROM tv", "42501") ==
        "permission denied for materialized view tv");
  admin.Exec("GRANT SELECT ON TABLE t TO reader");
  CHECK(admin.Tag() == "GRANT");
  CHECK(reader.Scalar("SELECT count(*) FROM t") == "2");
  // Every relation a query reads needs the privilege: joins and subqueries too.
  CHECK(reader.ExpectError("SELECT * FROM t JOIN u ON t.id = u.id", "42501") ==
        "permission denied for table u");
  reader.ExpectError("SELECT * FROM t WHERE id IN (SELECT id FROM u)", "42501");
  reader.ExpectError("SELECT (SELECT max(w) FROM u) FROM t", "42501");
  // Subqueries run per row read their relations too.
  reader.ExpectError("SELECT id, (SELECT max(w) FROM u WHERE u.id = t.id) FROM t", "42501");
  reader.ExpectError("SELECT ARRAY(SELECT w FROM u)", "42501");
  // Transaction blocks: reads at the pinned snapshot.
  reader.Exec("BEGIN");
  CHECK(reader.Scalar("SELECT count(*) FROM t") == "2");
  CHECK(reader.ExecAll("SELECT * FROM u").back().sqlstate == "42501");
  CHECK(reader.ExecAll("SELECT 1").back().sqlstate == "25P02");
  reader.Exec("ROLLBACK");
  // Writes need ownership.
  CHECK(reader.ExpectError("INSERT INTO t VALUES (3, 'c')", "42501") ==
        "permission denied for table t");
  reader.ExpectError("UPDATE t SET v = 'z'", "42501");
  reader.ExpectError("DELETE FROM t", "42501");
  reader.ExpectError("DROP TABLE t", "42501");
  reader.ExpectError("GRANT SELECT ON u TO reader", "42501");
  // COPY reads and writes like SELECT and INSERT.
  CHECK(reader.ExpectError("COPY u TO STDOUT", "42501") == "permission denied for table u");
  reader.ExpectError("COPY (SELECT * FROM t JOIN u USING (id)) TO STDOUT", "42501");
  CHECK(reader.ExpectError("COPY t FROM STDIN", "42501") == "permission denied for table t");
  // A role's own table is its to read and write.
  reader.Exec("CREATE TABLE mine (k int)");
  reader.Exec("INSERT INTO mine VALUES (1)");
  CHECK(reader.Scalar("SELECT count(*) FROM mine") == "1");
  reader.ExpectError("CREATE MATERIALIZED VIEW peek AS SELECT * FROM u", "42501");
  // A block that wrote reads on the writer (dry runs, then COMMIT): checked there too.
  reader.Exec("BEGIN");
  reader.Exec("INSERT INTO mine VALUES (2)");
  CHECK(reader.Scalar("SELECT count(*) FROM mine JOIN t ON t.id = mine.k") == "2");
  CHECK(reader.ExecAll("SELECT * FROM mine, u").back().sqlstate == "42501");
  reader.Exec("ROLLBACK");
  reader.Exec("BEGIN");
  reader.Exec("INSERT INTO mine VALUES (2)");
  reader.Exec("SELECT count(*) FROM t");
  admin.Exec("REVOKE SELECT ON t FROM reader");
  // COMMIT re-runs the block's writes only; its reads were checked when they ran.
  reader.Exec("COMMIT");
  CHECK(reader.Scalar("SELECT count(*) FROM mine") == "2");
  admin.Exec("GRANT SELECT ON t TO reader");

  // A prepared statement's plan is cached; the privilege is checked at every Execute.
  PGresult* prepared = PQprepare(reader.raw(), "q", "SELECT v FROM t WHERE id = $1", 1, nullptr);
  REQUIRE(PQresultStatus(prepared) == PGRES_COMMAND_OK);
  PQclear(prepared);
  const char* one = "1";
  PGresult* first = PQexecPrepared(reader.raw(), "q", 1, &one, nullptr, nullptr, 0);
  CHECK(PQresultStatus(first) == PGRES_TUPLES_OK);
  PQclear(first);
  admin.Exec("REVOKE SELECT ON t FROM reader");
  CHECK(admin.Tag() == "REVOKE");
  PGresult* second = PQexecPrepared(reader.raw(), "q", 1, &one, nullptr, nullptr, 0);
  CHECK(PQresultStatus(second) == PGRES_FATAL_ERROR);
  CHECK(std::string(PQresultErrorField(second, PG_DIAG_SQLSTATE)) == "42501");
  PQclear(second);
  reader.ExpectError("SELECT count(*) FROM t", "42501");  // the simple protocol's cached plan

  // PUBLIC and ALL TABLES IN SCHEMA; grants survive a restart.
  admin.Exec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC");
  CHECK(reader.Scalar("SELECT n FROM tv") == "2");
  admin.Exec("REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM PUBLIC");
  admin.Exec("GRANT SELECT ON t, tv TO reader");
  reader.ExpectError("SELECT * FROM u", "42501");
  admin.ExpectError("DROP ROLE reader", "2BP01");  // it owns "mine" and holds privileges
  admin.ExpectError("GRANT SELECT ON t TO nobody", "42704");
  admin.ExpectError("GRANT SELECT ON nothing TO reader", "42P01");
  server.Kill9();
  server.Start();
  Connection again(server.ConnInfo("reader"));
  CHECK(again.Scalar("SELECT n FROM tv") == "2");
  CHECK(again.Scalar("SELECT count(*) FROM t") == "2");
  again.ExpectError("SELECT * FROM u", "42501");
  // System catalogs stay readable by everyone.
  CHECK(again.Scalar("SELECT count(*) >= 0 FROM tributary_sources") == "t");
}

// As in PostgreSQL, a view (CREATE VIEW) reads its relations with its owner's privileges:
// SELECT on the view shares what it shows, nothing more.
TEST_CASE("views: SELECT on a view is enough, and its owner's privileges apply beneath",
          "[auth]") {
  TestServer server;
  Connection admin(server);
  admin.Exec("CREATE TABLE salaries (name text PRIMARY KEY, pay int)");
  admin.Exec("INSERT INTO salaries VALUES ('ada', 10), ('bob', 20)");
  admin.Exec("CREATE VIEW payroll AS SELECT count(*) AS people, sum(pay) AS total FROM salaries");
  admin.Exec("CREATE ROLE clerk LOGIN");
  admin.Exec("CREATE ROLE author LOGIN");
  Connection clerk(server.ConnInfo("clerk"));
  CHECK(clerk.ExpectError("SELECT * FROM payroll", "42501") == "permission denied for view payroll");
  admin.Exec("GRANT SELECT ON payroll TO clerk");
  CHECK(clerk.Exec("SELECT people, total FROM payroll") == Rows{{"2", "30"}});
  clerk.ExpectError("SELECT * FROM salaries", "42501");
  clerk.ExpectError("SELECT (SELECT total FROM payroll), (SELECT max(pay) FROM salaries)",
                    "42501");
  // A view made by a role that cannot read the table gives nobody its rows.
  admin.Exec("GRANT SELECT ON payroll TO author");
  Connection author(server.ConnInfo("author"));
  author.ExpectError("CREATE VIEW peek AS SELECT * FROM salaries", "42501");
  admin.Exec("GRANT SELECT ON salaries TO author");
  author.Exec("CREATE VIEW peek AS SELECT name FROM salaries");
  admin.Exec("REVOKE SELECT ON salaries FROM author");
  author.ExpectError("SELECT * FROM peek", "42501");
  admin.Exec("GRANT SELECT ON peek TO clerk");
  CHECK(clerk.ExpectError("SELECT * FROM peek", "42501") == "permission denied for table salaries");
}

TEST_CASE("pgjdbc: SCRAM-SHA-256 login runs the JDBC client's checks", "[auth]") {
  TestServer server;
  {
    Connection admin(server);
    admin.Exec("ALTER ROLE tributary PASSWORD 'jdbc-secret'");
  }
  RestartWith(server, {"--auth", "scram-sha-256"});
  const std::string clients = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/integration/clients";
  const std::string classes = MakeTempDir("tributary-jdbc-auth-");
  const std::string jar = "/usr/share/java/postgresql.jar";
  ProcessOutput compiled =
      RunProcess({"/usr/bin/javac", "-cp", jar, "-d", classes, clients + "/JdbcClient.java"},
                 std::chrono::seconds(120));
  INFO(compiled.output);
  REQUIRE(compiled.status.code == 0);
  const std::string base = "jdbc:postgresql://127.0.0.1:" + std::to_string(server.port()) +
                           "/tributary?user=tributary&sslmode=disable&password=";
  ProcessOutput out =
      RunProcess({"/usr/bin/java", "-cp", classes + ":" + jar, "JdbcClient", base + "jdbc-secret"},
                 std::chrono::seconds(120));
  INFO(out.output);
  CHECK(out.status.code == 0);
  CHECK(out.output.find("jdbc: all checks passed") != std::string::npos);
  ProcessOutput refused =
      RunProcess({"/usr/bin/java", "-cp", classes + ":" + jar, "JdbcClient", base + "wrong"},
                 std::chrono::seconds(120));
  INFO(refused.output);
  CHECK(refused.status.code != 0);
  CHECK(refused.output.find("password authentication failed") != std::string::npos);
}
