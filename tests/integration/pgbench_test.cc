// pgbench (PostgreSQL 15's, from Debian) against the real binary with custom scripts: point
// lookups on a view in every query mode, and read-write transactions in -M prepared. A
// functional check that the protocol paths hold under a real benchmark client; the
// figures themselves come from bench/.
#include <fstream>
#include <iostream>
#include <regex>
#include <string>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

constexpr const char* kPgbench = "/usr/lib/postgresql/15/bin/pgbench";

std::string WriteScript(const std::string& dir, const std::string& name,
                        const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// "(row 1), (row 2), ..." for rows 1..n.
template <typename RowText>
std::string ValuesList(int n, RowText row) {
  std::string out;
  for (int i = 1; i <= n; ++i) out += (i > 1 ? ", (" : "(") + row(i) + ")";
  return out;
}

// Runs pgbench and requires a clean run with no failed transaction. Returns its TPS.
double RunPgbench(const TestServer& server, const std::string& mode, const std::string& script,
                  int transactions) {
  ProcessOutput out = RunProcess({kPgbench, "-n", "-h", "127.0.0.1", "-p",
                                  std::to_string(server.port()), "-U", "tributary", "-M", mode,
                                  "-f", script, "-c", "2", "-j", "2", "-t",
                                  std::to_string(transactions), "tributary"},
                                 std::chrono::seconds(120));
  INFO(out.output);
  REQUIRE(out.status.exited);
  REQUIRE(out.status.code == 0);
  CHECK(out.output.find("number of failed transactions: 0") != std::string::npos);
  std::smatch m;
  REQUIRE(std::regex_search(out.output, m, std::regex("tps = ([0-9.]+)")));
  std::cout << "pgbench -M " << mode << " " << script.substr(script.rfind('/') + 1) << ": "
            << m[1] << " TPS\n";
  return std::stod(m[1]);
}

}  // namespace

TEST_CASE("pgbench point lookups on a view in simple, extended and prepared modes",
          "[pgbench]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table accounts (aid int primary key, bid int, abalance int, filler text)");
  c.Exec("insert into accounts values " + ValuesList(1000, [](int i) {
           return std::to_string(i) + ", " + std::to_string(i % 10) + ", 0, 'x'";
         }));
  c.Exec(
      "create materialized view balances as select aid, abalance from accounts where bid >= 0");
  const std::string dir = MakeTempDir("tributary-pgbench-");
  const std::string lookup = WriteScript(
      dir, "lookup.sql", "\\set aid random(1, 1000)\nSELECT abalance FROM balances WHERE aid = :aid;\n");
  for (const char* mode : {"simple", "extended", "prepared"}) {
    CHECK(RunPgbench(server, mode, lookup, 300) > 0);
  }
}

TEST_CASE("pgbench read-write transactions in prepared mode keep every update",
          "[pgbench]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table accounts (aid int primary key, abalance int not null)");
  c.Exec("insert into accounts values " +
         ValuesList(100, [](int i) { return std::to_string(i) + ", 0"; }));
  c.Exec("create materialized view total as select sum(abalance) as s from accounts");
  const std::string dir = MakeTempDir("tributary-pgbench-");
  const std::string update = WriteScript(dir, "update.sql",
                                         "\\set aid random(1, 100)\n"
                                         "BEGIN;\n"
                                         "UPDATE accounts SET abalance = abalance + 1 WHERE aid = :aid;\n"
                                         "SELECT abalance FROM accounts WHERE aid = :aid;\n"
                                         "END;\n");
  constexpr int kTransactions = 200;  // per client; two clients
  RunPgbench(server, "prepared", update, kTransactions);
  // Blocks of the two clients touching the same row still commit: an UPDATE by key reports
  // "UPDATE 1" whenever it re-runs, and re-runs on the latest value, so no update is lost.
  CHECK(c.Scalar("select sum(abalance) from accounts") == std::to_string(2 * kTransactions));
  CHECK(c.Scalar("select s from total") == std::to_string(2 * kTransactions));
}
