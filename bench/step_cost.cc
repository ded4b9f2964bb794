// Single-row change cost against table size: loads N orders joined to 100 customers under
// a join + group-by view, then times single-row UPDATEs (each its own durable step) and
// reports the median latency and the operator state reads/writes per step.
// Usage: bench_step_cost [N ...]   (default: 10000 100000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "server/engine.h"
#include "server/malloc_config.h"

namespace {

void Exec(server::Engine& engine, const std::string& sql) {
  server::TransactionResults results = engine.Execute(sql);
  if (results.back().error) {
    std::fprintf(stderr, "%s: %s\n", sql.substr(0, 80).c_str(), results.back().error->message().c_str());
    std::exit(1);
  }
}

void Measure(int rows) {
  char tmpl[] = "/tmp/tributary-bench.XXXXXX";
  std::string dir = mkdtemp(tmpl);
  {
    auto engine = server::Engine::Open(dir);
    engine->Start();
    Exec(*engine, "CREATE TABLE customers (id int PRIMARY KEY, region text)");
    Exec(*engine, "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric(12,2))");
    Exec(*engine,
         "CREATE MATERIALIZED VIEW revenue AS SELECT c.region, count(*) AS n, sum(o.amount) AS "
         "total FROM orders o JOIN customers c ON o.customer_id = c.id GROUP BY c.region");
    std::string customers = "INSERT INTO customers VALUES ";
    for (int i = 0; i < 100; ++i) {
      customers += (i ? ",(" : "(") + std::to_string(i) + ", 'r" + std::to_string(i % 10) + "')";
    }
    Exec(*engine, customers);
    auto load_start = std::chrono::steady_clock::now();
    constexpr int kChunk = 5000;
    for (int start = 0; start < rows; start += kChunk) {
      std::string insert = "INSERT INTO orders VALUES ";
      for (int i = start; i < std::min(rows, start + kChunk); ++i) {
        insert += (i > start ? ",(" : "(") + std::to_string(i) + "," + std::to_string(i % 100) + ",1.25)";
      }
      Exec(*engine, insert);
    }
    double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();

    constexpr int kUpdates = 200;
    std::vector<double> micros;
    ivm::StepStats stats;
    for (int i = 0; i < kUpdates; ++i) {
      std::string sql = "UPDATE orders SET amount = amount + 1 WHERE id = " + std::to_string((i * 7919) % rows);
      auto t0 = std::chrono::steady_clock::now();
      Exec(*engine, sql);
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      stats = engine->LastStepStats();
    }
    std::sort(micros.begin(), micros.end());
    std::printf(
        "rows=%-8d load=%.2fs (%.0f rows/s)  single-row UPDATE: p50=%.0fus p99=%.0fus  "
        "state reads=%llu writes=%llu per step\n",
        rows, load_s, rows / load_s, micros[kUpdates / 2], micros[kUpdates * 99 / 100],
        static_cast<unsigned long long>(stats.state_reads),
        static_cast<unsigned long long>(stats.state_writes));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  server::ConfigureMalloc();  // as the server does
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {10000, 100000};
  for (int rows : sizes) Measure(rows);
  return 0;
}
