// Replays the catalog and sync queries Metabase, Grafana and DBeaver send (transcribed from
// their public sources into tests/fixtures/bi_replay/, see its README) against a schema like
// the one they were checked on with PostgreSQL 15. Every entry must be answered without an
// error: simple entries over the simple query protocol; entries with `-- params:` over the
// extended protocol, both unnamed (PQexecParams) and as a named prepared statement executed
// twice (as pgjdbc does once a statement is reused).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/test_server.h"

namespace tributary_it {
namespace {

struct ReplayEntry {
  std::string name;
  std::string sql;
  bool extended = false;
  std::vector<std::string> params;
};

// The strings of a JSON array of strings: ["a", "b\"c"].
std::vector<std::string> ParseStringArray(const std::string& json) {
  std::vector<std::string> out;
  size_t i = json.find('[');
  REQUIRE(i != std::string::npos);
  for (++i; i < json.size(); ++i) {
    if (json[i] != '"') continue;
    std::string value;
    for (++i; i < json.size() && json[i] != '"'; ++i) {
      if (json[i] == '\\' && i + 1 < json.size()) ++i;
      value += json[i];
    }
    out.push_back(value);
  }
  return out;
}

std::vector<ReplayEntry> LoadCorpus(const std::string& file) {
  std::ifstream in(std::string(TRIBUTARY_FIXTURES_DIR) + "/bi_replay/" + file);
  REQUIRE(in.good());
  std::vector<ReplayEntry> entries;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("-- name: ", 0) == 0) {
      entries.push_back({line.substr(9), "", false, {}});
    } else if (line.rfind("-- params: ", 0) == 0) {
      REQUIRE(!entries.empty());
      entries.back().extended = true;
      entries.back().params = ParseStringArray(line.substr(11));
    } else if (line.rfind("--", 0) == 0) {
      continue;
    } else if (!entries.empty()) {
      entries.back().sql += line + "\n";
    }
  }
  for (ReplayEntry& e : entries) {
    while (!e.sql.empty() && (e.sql.back() == '\n' || e.sql.back() == ' ')) e.sql.pop_back();
  }
  return entries;
}

// Empty when `result` succeeded; otherwise "SQLSTATE: message".
std::string Failure(PGresult* result) {
  ExecStatusType status = PQresultStatus(result);
  std::string failure;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    failure = std::string(state ? state : "?????") + ": " + PQresultErrorMessage(result);
  }
  PQclear(result);
  return failure;
}

// Runs every entry of `file` on one connection, as the tool would; returns the failures.
std::vector<std::string> Replay(const TestServer& server, const std::string& file) {
  std::vector<ReplayEntry> entries = LoadCorpus(file);
  REQUIRE(entries.size() >= 20);
  Connection c(server);
  std::vector<std::string> failures;
  int statement = 0;
  for (const ReplayEntry& e : entries) {
    std::vector<const char*> values;
    for (const std::string& p : e.params) values.push_back(p.c_str());
    const int n = static_cast<int>(values.size());
    std::vector<std::string> outcomes;
    if (!e.extended) {
      outcomes.push_back(Failure(PQexec(c.raw(), e.sql.c_str())));
    } else {
      outcomes.push_back(Failure(PQexecParams(c.raw(), e.sql.c_str(), n, nullptr, values.data(),
                                              nullptr, nullptr, 0)));
      std::string name = "replay_" + std::to_string(++statement);
      outcomes.push_back(Failure(PQprepare(c.raw(), name.c_str(), e.sql.c_str(), n, nullptr)));
      for (int run = 0; run < 2 && outcomes.back().empty(); ++run) {
        outcomes.push_back(Failure(
            PQexecPrepared(c.raw(), name.c_str(), n, values.data(), nullptr, nullptr, 0)));
      }
    }
    for (const std::string& outcome : outcomes) {
      if (!outcome.empty()) {
        std::string sql = e.sql;
        for (char& ch : sql) ch = ch == '\n' ? ' ' : ch;
        std::string message = outcome;
        while (!message.empty() && message.back() == '\n') message.pop_back();
        failures.push_back(e.name + " (" + (e.extended ? "extended" : "simple") + "): " +
                           message + "\n      " + sql.substr(0, 600));
        break;
      }
    }
  }
  return failures;
}

void CreateSchema(const TestServer& server) {
  Connection c(server);
  c.Exec(
      "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text, "
      "email varchar(100));"
      "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, "
      "amount numeric(12,2), status text, created_at timestamptz);"
      "INSERT INTO customers VALUES (1, 'Ada', 'emea', 'ada@example.com'), "
      "(2, 'Grace', 'amer', NULL);"
      "INSERT INTO orders VALUES (1, 1, 120.50, 'paid', '2024-01-01 10:00:00+00'), "
      "(2, 1, 30.00, 'open', '2024-01-01 11:30:00+00'), "
      "(3, 2, 250.00, 'paid', '2024-01-01 12:45:00+00');"
      "CREATE MATERIALIZED VIEW customer_totals AS SELECT c.id AS customer_id, c.name, "
      "count(*) AS order_count, sum(o.amount) AS total FROM customers c "
      "JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name;"
      "CREATE VIEW big_orders AS SELECT id, customer_id, amount FROM orders WHERE amount > 100;");
}

void RequireNoFailures(const std::vector<std::string>& failures) {
  std::string all;
  for (const std::string& f : failures) all += f + "\n";
  // Unwrapped, one line per entry (Catch folds INFO text).
  if (!failures.empty()) std::cerr << failures.size() << " entries failed:\n" << all;
  INFO(failures.size() << " entries failed:\n" << all);
  CHECK(failures.empty());
}

TEST_CASE("Metabase's connect and sync queries are answered without error", "[bi_replay]") {
  TestServer server;
  CreateSchema(server);
  RequireNoFailures(Replay(server, "metabase.sql"));
}

TEST_CASE("Grafana's data source and query builder queries are answered without error",
          "[bi_replay]") {
  TestServer server;
  CreateSchema(server);
  RequireNoFailures(Replay(server, "grafana.sql"));
}

TEST_CASE("DBeaver's connect, navigator and table-open queries are answered without error",
          "[bi_replay]") {
  TestServer server;
  CreateSchema(server);
  RequireNoFailures(Replay(server, "dbeaver.sql"));
}

}  // namespace
}  // namespace tributary_it
