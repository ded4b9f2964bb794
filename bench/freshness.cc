// Freshness over the wire: the time from producing a Debezium message to Kafka until a
// SELECT over libpq sees its effect, at fixed offered loads.
//
// For each rate R it creates events_R (id pk, part, seq, payload), fed by topic fresh_R,
// and the view fresh_R = SELECT part, max(seq) FROM events_R GROUP BY part. A producer
// thread sends R messages per second for the given duration, round-robin over the
// partitions, each carrying its partition's next sequence number, and notes when it
// handed each one to librdkafka. The main thread polls the view over libpq: a message of
// partition p is seen once max(seq) of p reaches its sequence number (a partition is
// applied in offset order), and its latency is the end of that SELECT minus its send time.
// Messages the view has not shown within 10 s after the last send count as lost.
// The poller pauses --poll-interval-us (500) between SELECTs, which bounds how late it can
// notice a change. Back to back, the SELECTs and their answers took a whole core of this
// 2-core machine, and the producer, the mock broker and the consumer, starved of the
// other, delivered messages up to seconds late at 10,000 msg/s.
//
// Usage: bench_freshness --port PORT --bootstrap HOST:PORT [--host H] [--rates 1000,10000]
//                        [--seconds S] [--partitions P] [--poll-interval-us U] [--json]
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/kafka_producer.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench_freshness: %s\n", what.c_str());
  std::exit(1);
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string bootstrap;
  std::vector<int> rates = {1000, 10000, 100000};
  double seconds = 5;
  int partitions = 4;
  int poll_interval_us = 500;
  bool json = false;
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--json") {
      o.json = true;
    } else if (arg == "--host" && has_value) {
      o.host = argv[++i];
    } else if (arg == "--port" && has_value) {
      o.port = std::atoi(argv[++i]);
    } else if (arg == "--bootstrap" && has_value) {
      o.bootstrap = argv[++i];
    } else if (arg == "--seconds" && has_value) {
      o.seconds = std::atof(argv[++i]);
    } else if (arg == "--partitions" && has_value) {
      o.partitions = std::atoi(argv[++i]);
    } else if (arg == "--poll-interval-us" && has_value) {
      o.poll_interval_us = std::atoi(argv[++i]);
    } else if (arg == "--rates" && has_value) {
      o.rates.clear();
      std::stringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');)
        o.rates.push_back(std::atoi(item.c_str()));
    } else {
      Die("bad argument " + arg + " (see the usage at the top of bench/freshness.cc)");
    }
  }
  if (o.port <= 0 || o.bootstrap.empty() || o.seconds <= 0 || o.partitions <= 0 ||
      o.poll_interval_us < 0) {
    Die("--port and --bootstrap are required; --seconds and --partitions must be positive, "
        "--poll-interval-us not negative");
  }
  for (int r : o.rates) {
    if (r <= 0) Die("rates must be positive");
  }
  return o;
}

// A libpq connection that dies on any error: the benchmark has nothing to recover.
class Pg {
 public:
  explicit Pg(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) Die(std::string("connect: ") + PQerrorMessage(conn_));
  }
  ~Pg() { PQfinish(conn_); }
  Pg(const Pg&) = delete;
  Pg& operator=(const Pg&) = delete;

  // Runs `sql`; returns its rows as text (NULL as empty).
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      std::string error = PQresultErrorMessage(res);
      PQclear(res);
      Die(sql.substr(0, 80) + ": " + error);
    }
    std::vector<std::vector<std::string>> rows(PQntuples(res));
    for (size_t r = 0; r < rows.size(); ++r) {
      for (int c = 0; c < PQnfields(res); ++c) rows[r].emplace_back(PQgetvalue(res, r, c));
    }
    PQclear(res);
    return rows;
  }

 private:
  PGconn* conn_;
};

std::string Event(int64_t id, int part, int64_t seq) {
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "{\"before\":null,\"after\":{\"id\":%lld,\"part\":%d,\"seq\":%lld,\"payload\":"
                "\"event-%lld\"},\"op\":\"c\",\"source\":{\"connector\":\"mysql\",\"db\":\"b\","
                "\"table\":\"events\"},\"ts_ms\":1700000000000}",
                static_cast<long long>(id), part, static_cast<long long>(seq),
                static_cast<long long>(id));
  return buf;
}

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(q * (sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// Polls the view, pausing `pause_us` between SELECTs, until every partition's max(seq)
// reaches `want` or the deadline passes; calls on_seen(part, first_new_seq, last_seq,
// seen_at_ns) for each advance.
template <typename OnSeen>
void Observe(Pg& pg, const std::string& view, const std::vector<int64_t>& want, int64_t deadline_ns,
             int pause_us, OnSeen on_seen) {
  std::vector<int64_t> seen(want.size(), 0);
  const std::string sql = "SELECT part, seq FROM " + view;
  for (;;) {
    auto rows = pg.Query(sql);
    const int64_t at = NowNs();
    bool done = true;
    for (const auto& row : rows) {
      const size_t part = std::strtoul(row[0].c_str(), nullptr, 10);
      const int64_t seq = std::strtoll(row[1].c_str(), nullptr, 10);
      if (part < seen.size() && seq > seen[part]) {
        on_seen(part, seen[part] + 1, seq, at);
        seen[part] = seq;
      }
    }
    for (size_t p = 0; p < want.size(); ++p) done = done && seen[p] >= want[p];
    if (done || at > deadline_ns) return;
    if (pause_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
  }
}

void Measure(const Options& o, Pg& pg, int rate) {
  const std::string r = std::to_string(rate);
  const std::string table = "events_" + r, view = "fresh_" + r, topic = "fresh_" + r;
  pg.Query("CREATE TABLE " + table +
           " (id bigint PRIMARY KEY, part int, seq bigint, payload text) WITH "
           "(connector='kafka', topic='" +
           topic + "', properties.bootstrap.server='" + o.bootstrap +
           "', scan.startup.mode='earliest') FORMAT DEBEZIUM ENCODE JSON");
  pg.Query("CREATE MATERIALIZED VIEW " + view + " AS SELECT part, max(seq) AS seq FROM " + table +
           " GROUP BY part");
  // A 1 ms linger keeps batching at 100k/s without holding a message long at 1k/s.
  bench::KafkaProducer producer(o.bootstrap, 1);
  const int parts = o.partitions;
  // Warm-up: sequence 1 of every partition, outside the measurement, so that the source
  // has found its partitions and the first fetches are behind us.
  int64_t next_id = 0;
  for (int p = 0; p < parts; ++p) producer.Produce(topic, p, Event(next_id++, p, 1));
  Observe(pg, view, std::vector<int64_t>(parts, 1), NowNs() + 30'000'000'000LL, o.poll_interval_us,
          [](size_t, int64_t, int64_t, int64_t) {});

  const int64_t total = static_cast<int64_t>(rate * o.seconds);
  const int64_t per_part = (total + parts - 1) / parts;
  // sent_ns[p][s]: when sequence s of partition p was handed to librdkafka (s >= 2).
  std::vector<std::unique_ptr<std::atomic<int64_t>[]>> sent_ns;
  for (int p = 0; p < parts; ++p) sent_ns.emplace_back(new std::atomic<int64_t>[per_part + 2]);
  std::vector<int64_t> last_seq(parts, 1);
  for (int64_t i = 0; i < total; ++i) ++last_seq[i % parts];

  const int64_t start_ns = NowNs();
  std::atomic<int64_t> end_ns{0};
  std::thread sender([&] {
    int64_t sent = 0;
    while (sent < total) {
      const int64_t due =
          std::min<int64_t>(total, static_cast<int64_t>((NowNs() - start_ns) * 1e-9 * rate) + 1);
      for (; sent < due; ++sent) {
        const int p = static_cast<int>(sent % parts);
        const int64_t seq = sent / parts + 2;
        sent_ns[p][seq].store(NowNs(), std::memory_order_release);
        producer.Produce(topic, p, Event(next_id + sent, p, seq));
      }
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    end_ns = NowNs();
  });

  std::vector<double> latency_ms;
  latency_ms.reserve(total);
  const int64_t deadline = start_ns + static_cast<int64_t>(o.seconds * 1e9) + 10'000'000'000LL;
  Observe(pg, view, last_seq, deadline, o.poll_interval_us,
          [&](size_t p, int64_t from, int64_t to, int64_t at) {
            for (int64_t s = std::max<int64_t>(from, 2); s <= to; ++s) {
              latency_ms.push_back((at - sent_ns[p][s].load(std::memory_order_acquire)) / 1e6);
            }
          });
  sender.join();
  std::sort(latency_ms.begin(), latency_ms.end());
  const double offered = total / ((end_ns - start_ns) / 1e9);
  const double p50 = Percentile(latency_ms, 0.50), p99 = Percentile(latency_ms, 0.99);
  const double max = latency_ms.empty() ? 0 : latency_ms.back();
  const long long lost = total - static_cast<long long>(latency_ms.size());
  if (o.json) {
    std::printf(
        "{\"bench\":\"freshness\",\"rate\":%d,\"offered_msg_per_s\":%.0f,\"messages\":%lld,"
        "\"lost\":%lld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
        rate, offered, static_cast<long long>(total), lost, p50, p99, max);
  } else {
    std::printf(
        "offered %7d msg/s (achieved %7.0f): %lld messages, p50 %.2f ms, p99 %.2f ms, "
        "max %.2f ms, not seen %lld\n",
        rate, offered, static_cast<long long>(total), p50, p99, max, lost);
  }
  std::fflush(stdout);
  pg.Query("DROP MATERIALIZED VIEW " + view);
  pg.Query("DROP TABLE " + table);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  Pg pg("host=" + o.host + " port=" + std::to_string(o.port) +
        " user=tributary dbname=tributary sslmode=disable connect_timeout=10");
  for (int rate : o.rates) Measure(o, pg, rate);
  return 0;
}
