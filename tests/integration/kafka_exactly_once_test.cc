// Exactly once: a source's offsets commit in the same atomic write as the rows they
// produced, so a server killed with -9 in the middle of ingesting resumes from them, and a
// cleanly stopped one too. Tens of thousands of Debezium changes (inserts, updates moving
// rows between groups, deletes, re-inserts) on a 4-partition topic, plus an append-only
// JSON topic whose table would show any message applied twice as a duplicate row (read
// a second time by a routine load job); the expected tables and group-by views are
// computed here, independently of the server.
#include <libpq-fe.h>
#include <signal.h>

#include <atomic>
#include <cinttypes>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "tests/integration/kafka_harness.h"

using namespace tributary_it;

namespace {

using Clock = std::chrono::steady_clock;

std::string Cents(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%" PRId64 ".%02" PRId64, cents < 0 ? "-" : "",
                std::abs(cents) / 100, std::abs(cents) % 100);
  return buf;
}

struct Account {
  int grp = 0;
  int64_t cents = 0;
};

std::string AccountJson(int id, const Account& a) {
  char grp[8];
  std::snprintf(grp, sizeof grp, "g%02d", a.grp);
  return "{\"id\":" + std::to_string(id) + ",\"grp\":\"" + grp + "\",\"amount\":" + Cents(a.cents) +
         "}";
}

// A deterministic Debezium change stream over `ids` keys; key k always goes to partition
// k % partitions, so each key's changes stay in order. Keeps the resulting table.
class AccountStream {
 public:
  AccountStream(int ids, int partitions, uint32_t seed)
      : ids_(ids), partitions_(partitions), rng_(seed), by_partition_(partitions) {}

  // Appends `n` more changes (the first ones are mostly inserts, later ones mix).
  void Generate(int n) {
    for (int i = 0; i < n; ++i) {
      const int id = static_cast<int>(rng_() % static_cast<uint32_t>(ids_)) + 1;
      const int p = id % partitions_;
      auto it = table_.find(id);
      if (it == table_.end()) {
        Account a{static_cast<int>(rng_() % 20), static_cast<int64_t>(rng_() % 1000000)};
        by_partition_[p].push_back(DebeziumJson("c", "null", AccountJson(id, a)));
        table_[id] = a;
      } else if (rng_() % 4 == 0) {
        by_partition_[p].push_back(DebeziumJson("d", AccountJson(id, it->second), "null"));
        table_.erase(it);
      } else {
        Account after = it->second;
        if (rng_() % 2) after.grp = static_cast<int>(rng_() % 20);  // moves between groups
        after.cents = static_cast<int64_t>(rng_() % 1000000);
        by_partition_[p].push_back(
            DebeziumJson("u", AccountJson(id, it->second), AccountJson(id, after)));
        it->second = after;
      }
      ++total_;
    }
  }
  // Messages generated since the last call, per partition.
  std::vector<std::vector<std::string>> TakeNew() {
    std::vector<std::vector<std::string>> out(partitions_);
    out.swap(by_partition_);
    by_partition_.resize(partitions_);
    for (int p = 0; p < partitions_; ++p) produced_[p] += static_cast<long>(out[p].size());
    return out;
  }
  long total() const { return total_; }
  std::string Offsets() const {
    std::string s;
    for (int p = 0; p < partitions_; ++p) {
      s += (p ? "," : "") + std::to_string(p) + ":" +
           std::to_string(produced_.count(p) ? produced_.at(p) : 0);
    }
    return s;
  }
  Rows TableRows() const {
    Rows rows;
    for (const auto& [id, a] : table_) {
      char grp[8];
      std::snprintf(grp, sizeof grp, "g%02d", a.grp);
      rows.push_back({std::to_string(id), grp, Cents(a.cents)});
    }
    return rows;
  }
  Rows GroupRows() const {
    std::map<int, std::pair<long, int64_t>> groups;
    for (const auto& [id, a] : table_) {
      groups[a.grp].first += 1;
      groups[a.grp].second += a.cents;
    }
    Rows rows;
    for (const auto& [g, v] : groups) {
      char grp[8];
      std::snprintf(grp, sizeof grp, "g%02d", g);
      rows.push_back({grp, std::to_string(v.first), Cents(v.second)});
    }
    return rows;
  }

 private:
  int ids_;
  int partitions_;
  std::mt19937 rng_;
  std::vector<std::vector<std::string>> by_partition_;
  std::map<int, long> produced_;
  std::map<int, Account> table_;
  long total_ = 0;
};

// Append-only JSON entries: entry i goes to partition i % partitions.
struct LedgerStream {
  explicit LedgerStream(int partition_count) : partitions(partition_count) {}
  int partitions;
  int next = 1;
  std::map<int, std::pair<long, int64_t>> groups;  // grp -> count, cents
  std::map<int, long> produced;

  std::vector<std::vector<std::string>> Generate(int n) {
    std::vector<std::vector<std::string>> out(partitions);
    for (int i = 0; i < n; ++i, ++next) {
      const int grp = next % 7;
      const int64_t cents = (next * 37) % 10000;
      out[next % partitions].push_back("{\"entry\":" + std::to_string(next) + ",\"grp\":\"l" +
                                       std::to_string(grp) + "\",\"amount\":" + Cents(cents) + "}");
      groups[grp].first += 1;
      groups[grp].second += cents;
      produced[next % partitions] += 1;
    }
    return out;
  }
  Rows GroupRows() const {
    Rows rows;
    for (const auto& [g, v] : groups) {
      rows.push_back({"l" + std::to_string(g), std::to_string(v.first), Cents(v.second)});
    }
    return rows;
  }
};

void ProduceAll(MockKafka& kafka, const std::string& topic,
                const std::vector<std::vector<std::string>>& by_partition) {
  for (size_t p = 0; p < by_partition.size(); ++p) {
    if (!by_partition[p].empty()) {
      kafka.ProduceValues(topic, static_cast<int>(p), by_partition[p], "lz4");
    }
  }
}

// Sum of `messages` over every source, or -1 while the server does not answer.
long MessagesConsumed(Connection& conn) {
  return std::stol(conn.Scalar("select coalesce(sum(messages), 0) from tributary_sources"));
}

// Compares large row sets and reports only counts and the first differences.
void CheckSameRowsBrief(const Rows& actual, const Rows& expected, const std::string& what) {
  if (SameRows(actual, expected)) {
    SUCCEED(what << ": " << expected.size() << " rows as expected");
    return;
  }
  std::map<std::string, int> diff;  // row text -> actual count - expected count
  auto key = [](const std::vector<std::string>& r) {
    std::string k;
    for (const auto& cell : r) k += cell + " | ";
    return k;
  };
  for (const auto& r : actual) diff[key(r)] += 1;
  for (const auto& r : expected) diff[key(r)] -= 1;
  std::string report;
  int shown = 0;
  for (const auto& [row, d] : diff) {
    if (d == 0) continue;
    if (++shown > 20) break;
    report += (d > 0 ? "  unexpected x" + std::to_string(d) : "  missing x" + std::to_string(-d)) +
              ": " + row + "\n";
  }
  FAIL_CHECK(what << ": " << actual.size() << " rows, expected " << expected.size()
                  << "; first differences:\n"
                  << report);
}

void CreateSchema(Connection& c, const std::string& bootstrap) {
  c.Exec("CREATE TABLE accounts (id INT PRIMARY KEY, grp VARCHAR, amount NUMERIC(18,2)) " +
         RisingWaveWith("accounts", bootstrap) + " FORMAT DEBEZIUM ENCODE JSON");
  c.Exec(
      "CREATE MATERIALIZED VIEW accounts_by_grp AS SELECT grp, count(*) AS n, sum(amount) AS "
      "total FROM accounts GROUP BY grp");
  c.Exec("CREATE TABLE ledger (entry INT, grp VARCHAR, amount NUMERIC(18,2)) " +
         FlinkWith("ledger", bootstrap, "json"));
  c.Exec(
      "CREATE MATERIALIZED VIEW ledger_by_grp AS SELECT grp, count(*) AS n, sum(amount) AS "
      "total FROM ledger GROUP BY grp");
  // The same topic once more, through a StarRocks routine load into an ordinary table.
  c.Exec("CREATE TABLE ledger_copy (entry INT PRIMARY KEY, grp VARCHAR, amount NUMERIC(18,2))");
  c.Exec(R"(CREATE ROUTINE LOAD shop.load_ledger ON ledger_copy PROPERTIES ("format" = "json") )"
         R"(FROM KAFKA ("kafka_broker_list" = ")" +
         bootstrap +
         R"(", "kafka_topic" = "ledger", "property.kafka_default_offsets" = "OFFSET_BEGINNING"))");
}

// Waits until both sources consumed everything produced, then checks tables, views,
// offsets and VERIFY.
void CheckEverythingOnce(Connection& c, const AccountStream& accounts, const LedgerStream& ledger,
                         long ledger_total, std::chrono::milliseconds timeout) {
  SourceStatus a = WaitForMessages(c, "accounts", accounts.total(), timeout);
  SourceStatus l = WaitForMessages(c, "ledger", ledger_total, timeout);
  SourceStatus r = WaitForMessages(c, "load_ledger", ledger_total, timeout);
  INFO(a.Describe());
  INFO(l.Describe());
  INFO(r.Describe());
  CHECK(r.messages == std::to_string(ledger_total));
  CHECK(r.lag == "0");
  CHECK(r.errors == "0");
  CHECK(a.messages == std::to_string(accounts.total()));
  CHECK(a.lag == "0");
  CHECK(a.offsets == accounts.Offsets());
  CHECK(a.errors == "0");
  CHECK(a.status == "running");
  CHECK(l.messages == std::to_string(ledger_total));
  CHECK(l.lag == "0");
  CHECK(l.errors == "0");
  std::string ledger_offsets;
  for (int p = 0; p < ledger.partitions; ++p) {
    ledger_offsets += (p ? "," : "") + std::to_string(p) + ":" +
                      std::to_string(ledger.produced.count(p) ? ledger.produced.at(p) : 0);
  }
  CHECK(l.offsets == ledger_offsets);
  CHECK(r.offsets == ledger_offsets);
  CheckSameRowsBrief(c.Exec("select id, grp, amount from accounts order by id"),
                     accounts.TableRows(), "accounts");
  CHECK_ROWS(c.Exec("select grp, n, total from accounts_by_grp order by grp"),
             accounts.GroupRows());
  CHECK(c.Scalar("select count(*) from ledger") == std::to_string(ledger_total));
  CHECK(c.Scalar("select count(distinct entry) from ledger") == std::to_string(ledger_total));
  CHECK_ROWS(c.Exec("select grp, n, total from ledger_by_grp order by grp"), ledger.GroupRows());
  CHECK_ROWS(c.Exec("select grp, count(*), sum(amount) from ledger_copy group by grp order by grp"),
             ledger.GroupRows());
  CheckVerifyOk(c, "accounts_by_grp");
  CheckVerifyOk(c, "ledger_by_grp");
}

}  // namespace

TEST_CASE(
    "kill -9 three times while ingesting 64,000 messages: nothing lost, nothing applied twice",
    "[kafka][exactly-once][recovery]") {
  constexpr int kPartitions = 4;
  MockKafka kafka({{"accounts", kPartitions}, {"ledger", kPartitions}});
  AccountStream accounts(6000, kPartitions, 20261121);
  accounts.Generate(40000);
  LedgerStream ledger(kPartitions);
  const auto accounts_messages = accounts.TakeNew();
  const auto ledger_messages = ledger.Generate(8000);
  ProduceAll(kafka, "accounts", accounts_messages);
  ProduceAll(kafka, "ledger", ledger_messages);
  const long total = accounts.total() + 2 * 8000;  // the ledger topic is read twice
  REQUIRE(total == 56000);

  TestServer server;
  {
    Connection c(server);
    CreateSchema(c, kafka.bootstrap());
  }
  // Kill mid-way twice: once past 25% of the messages, once past 65%.
  int kills = 0;
  for (double fraction : {0.25, 0.65}) {
    INFO("kill at " << fraction);
    long seen = 0;
    {
      Connection c(server);
      const auto deadline = Clock::now() + std::chrono::seconds(60);
      while (Clock::now() < deadline) {
        seen = MessagesConsumed(c);
        if (seen >= static_cast<long>(fraction * total)) break;
        std::this_thread::sleep_for(2ms);
      }
    }
    server.Kill9();
    if (seen >= total) {
      WARN("ingestion had finished (" << seen << " messages) before the kill at " << fraction);
    } else {
      ++kills;
      std::cout << "kill -9 after " << seen << " of " << total << " messages\n";
      CHECK(seen >= static_cast<long>(fraction * total));
    }
    server.Start();
    Connection c(server);
    // What was committed before the crash is still counted, and no more than was produced.
    const long after = MessagesConsumed(c);
    CHECK(after <= total);
  }
  CHECK(kills >= 1);

  // A third crash while more changes are still being produced: a thread kills the server
  // (without reaping it) once it has consumed 2,000 of them, while this one produces.
  accounts.Generate(8000);
  const auto more = accounts.TakeNew();
  std::atomic<long> killed_at{-1};
  std::thread killer([&] {
    PGconn* conn = PQconnectdb(server.ConnInfo().c_str());
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    long seen = 0;
    while (PQstatus(conn) == CONNECTION_OK && Clock::now() < deadline) {
      PGresult* res = PQexec(conn, "select coalesce(sum(messages), 0) from tributary_sources");
      if (PQresultStatus(res) == PGRES_TUPLES_OK) seen = std::stol(PQgetvalue(res, 0, 0));
      PQclear(res);
      if (seen >= total + 2000) break;
      std::this_thread::sleep_for(1ms);
    }
    PQfinish(conn);
    ::kill(server.pid(), SIGKILL);
    killed_at = seen;
  });
  ProduceAll(kafka, "accounts", more);
  killer.join();
  std::cout << "kill -9 after " << killed_at << " of " << total + 8000
            << " messages, while producing\n";
  server.Kill9();  // reaps it
  server.Start();
  Connection c(server);
  CheckEverythingOnce(c, accounts, ledger, 8000, std::chrono::seconds(90));
  INFO("mock-kafka output:\n" << kafka.Log());
  CHECK(kafka.alive());
}

TEST_CASE("a clean stop in the middle of ingesting, then more messages: resumed, none re-read",
          "[kafka][exactly-once][restart]") {
  constexpr int kPartitions = 2;
  MockKafka kafka({{"accounts", kPartitions}, {"ledger", kPartitions}});
  AccountStream accounts(1000, kPartitions, 7);
  LedgerStream ledger(kPartitions);
  accounts.Generate(8000);
  ProduceAll(kafka, "accounts", accounts.TakeNew());
  ProduceAll(kafka, "ledger", ledger.Generate(2000));

  TestServer server;
  {
    Connection c(server);
    CreateSchema(c, kafka.bootstrap());
    WaitUntil([&] { return MessagesConsumed(c) >= 3000; }, 30s, 2ms);
  }
  server.Restart();  // SIGTERM mid-ingestion: a clean exit, then resume
  {
    Connection c(server);
    CheckEverythingOnce(c, accounts, ledger, 2000, 60s);
  }
  server.Restart();  // and once more when idle
  accounts.Generate(2000);
  ProduceAll(kafka, "accounts", accounts.TakeNew());
  ProduceAll(kafka, "ledger", ledger.Generate(500));
  Connection c(server);
  CheckEverythingOnce(c, accounts, ledger, 2500, 60s);
}
