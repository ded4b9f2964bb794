// Kafka ingestion throughput, against its two ceilings, on one mock cluster:
//   consumer  — a plain librdkafka consumer (connectors::KafkaSource) reading the topic;
//   decoder   — the Debezium decoder alone over the same messages, on one core;
//   ingest    — the engine consuming the topic into a keyed table under each of five view
//               shapes (passthrough, filter + project, group-by count/sum, two-way join,
//               join + group-by) and with no view, from the first applied message to the
//               last one (offsets, rows and tributary_sources committed with them).
// Each ingest figure also comes per core: messages over the process CPU time (user +
// system, all threads) spent in the same window.
// Messages are Debezium JSON (schema-exclude) changes to orders(id pk, customer_id, region,
// amount numeric(12,2)): 80% inserts, 15% updates that move rows between regions, 5% deletes,
// each in its row's partition (id mod partitions). After each run the table must hold the
// rows the workload leaves (count and sum(amount)) and the view must pass VERIFY
// MATERIALIZED VIEW; otherwise the benchmark exits 1.
// Usage: bench_kafka_ingest [--bootstrap HOST:PORT] [--runs N] [--json]
//                           [MESSAGES] [PARTITIONS] [SHAPE]
//   (default 200000 8, all shapes; SHAPE 0..5 runs only that ingest shape). --bootstrap
//   produces into an existing cluster (`tributary mock-kafka --topic orders:PARTITIONS`),
//   so that other clients (kcat) can read the same topic afterwards; without it the
//   cluster is in process. --runs repeats each measurement and reports the median.
//   --json prints one JSON object per measurement instead of the table.
#include <librdkafka/rdkafka.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/engine_read.h"
#include "bench/kafka_producer.h"
#include "connectors/formats/format_decoder.h"
#include "connectors/kafka_source.h"
#include "connectors/mock_cluster.h"
#include "server/engine.h"
#include "server/malloc_config.h"
#include "server/system_tables.h"
#include "storage/relation_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// User + system CPU seconds of the whole process (every thread) so far.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench_kafka_ingest: %s\n", what.c_str());
  std::exit(1);
}

std::string Row(int id, int region, int cents) {
  char buf[160];
  std::snprintf(buf, sizeof(buf),
                "{\"id\":%d,\"customer_id\":%d,\"region\":\"region-%d\",\"amount\":\"%d.%02d\"}",
                id, id % 100, region, cents / 100, cents % 100);
  return buf;
}

// The workload's Debezium envelopes, deterministic, and what the table holds after them.
struct Workload {
  std::vector<std::string> values;
  std::vector<int> ids;    // per message: the row it changes
  int64_t live_rows = 0;   // rows left after the last message
  int64_t live_cents = 0;  // their sum(amount), in cents
};

Workload MakeWorkload(int messages) {
  Workload w;
  w.values.reserve(messages);
  w.ids.reserve(messages);
  std::vector<int> region;  // per id: its region, -1 once deleted
  uint64_t seed = 42;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(seed >> 33);
  };
  auto cents = [](int id) { return 1000 + id % 9000; };
  const std::string source =
      ",\"source\":{\"version\":\"1.9.7.Final\",\"connector\":\"mysql\",\"name\":\"bench\","
      "\"ts_ms\":1700000000000,\"db\":\"shop\",\"table\":\"orders\"},\"ts_ms\":1700000000000,"
      "\"transaction\":null}";
  for (int i = 0; i < messages; ++i) {
    int kind = next() % 100;
    if (region.size() < 100 || kind < 80) {
      int id = static_cast<int>(region.size());
      region.push_back(next() % 20);
      w.ids.push_back(id);
      w.values.push_back("{\"before\":null,\"after\":" + Row(id, region[id], cents(id)) +
                         ",\"op\":\"c\"" + source);
      continue;
    }
    int id = next() % static_cast<int>(region.size());
    while (region[id] < 0) id = (id + 1) % static_cast<int>(region.size());
    std::string before = Row(id, region[id], cents(id));
    w.ids.push_back(id);
    if (kind < 95) {
      region[id] = next() % 20;
      w.values.push_back("{\"before\":" + before + ",\"after\":" + Row(id, region[id], cents(id)) +
                         ",\"op\":\"u\"" + source);
    } else {
      region[id] = -1;
      w.values.push_back("{\"before\":" + before + ",\"after\":null,\"op\":\"d\"" + source);
    }
  }
  for (size_t id = 0; id < region.size(); ++id) {
    if (region[id] < 0) continue;
    ++w.live_rows;
    w.live_cents += cents(static_cast<int>(id));
  }
  return w;
}

void Produce(const std::string& bootstrap, const std::string& topic, int partitions,
             const Workload& workload) {
  bench::KafkaProducer producer(bootstrap);
  // A row keeps its partition (by id), as Debezium's keys keep it, so that its changes
  // are applied in order.
  for (size_t i = 0; i < workload.values.size(); ++i) {
    producer.Produce(topic, workload.ids[i] % partitions, workload.values[i]);
  }
  producer.Flush();
  // Dies, rather than wait forever for them, if the mock cluster dropped old messages.
  for (int p = 0; p < partitions; ++p) producer.HeldFromStart(topic, p);
}

// Reads the whole topic with a plain consumer; returns messages per second.
double ConsumerRate(const std::string& bootstrap, const std::string& topic, size_t want) {
  connectors::KafkaSourceConfig config;
  config.bootstrap_servers = bootstrap;
  config.topic = topic;
  connectors::KafkaSource source(config);
  source.Start({});
  std::vector<connectors::KafkaMessage> got;
  size_t total = 0;
  Clock::time_point first{};
  while (total < want) {
    got.clear();
    total += source.Poll(&got, 8192, 100);
    if (total > 0 && first == Clock::time_point{}) first = Clock::now();
  }
  return static_cast<double>(want) / Seconds(first);
}

double DecoderRate(const std::vector<std::string>& values) {
  connectors::TargetSchema target;
  target.names = {"id", "customer_id", "region", "amount"};
  target.types = {ivm::Type::Of(ivm::TypeId::kInt32), ivm::Type::Of(ivm::TypeId::kInt32),
                  ivm::Type::Of(ivm::TypeId::kText), ivm::Type::Numeric(12, 2)};
  target.key = {0};
  connectors::FormatOptions options;
  options.format = connectors::Format::kDebeziumJson;
  auto decoder = connectors::MakeDecoder(options, target);
  std::vector<connectors::RowChange> changes;
  auto start = Clock::now();
  for (const std::string& v : values) {
    changes.clear();
    decoder->Decode({}, v, &changes, nullptr);
  }
  return static_cast<double>(values.size()) / Seconds(start);
}

void Exec(server::Engine& engine, const std::string& sql) {
  server::TransactionResults results = engine.Execute(sql);
  if (results.back().error) Die(sql.substr(0, 60) + ": " + results.back().error->message());
}

int64_t MessagesApplied(server::Engine& engine) {
  auto published = engine.Published();
  int64_t messages = 0;
  storage::RelationStore(server::kSourcesTableId, {0})
      .Scan(*published->snapshot, [&](const ivm::Row& row, int64_t) {
        messages += server::SourceRow::FromRow(row).messages;
        return true;
      });
  return messages;
}

struct IngestResult {
  double rate = 0;          // messages per second of wall time
  double cpu_seconds = 0;   // process CPU time over the same window
};

struct Shape {
  const char* id;         // JSON name
  const char* name;       // table label
  const char* view_name;  // empty: no view
  std::string view;
};

const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = {
      {"table_only", "ingest: table only", "", ""},
      {"passthrough", "ingest: + passthrough view", "orders_copy",
       "CREATE MATERIALIZED VIEW orders_copy AS SELECT * FROM orders"},
      {"filter_project", "ingest: + filter + project", "big_orders",
       "CREATE MATERIALIZED VIEW big_orders AS SELECT id, region, amount FROM orders WHERE "
       "amount >= 50"},
      {"group_by", "ingest: + group-by count/sum", "by_region",
       "CREATE MATERIALIZED VIEW by_region AS SELECT region, count(*) AS n, sum(amount) AS total "
       "FROM orders GROUP BY region"},
      {"join", "ingest: + two-way join", "order_segments",
       "CREATE MATERIALIZED VIEW order_segments AS SELECT o.id, o.amount, c.segment FROM orders o "
       "JOIN customers c ON o.customer_id = c.id"},
      {"join_group_by", "ingest: + join + group-by", "by_segment",
       "CREATE MATERIALIZED VIEW by_segment AS SELECT c.segment, count(*) AS n, sum(o.amount) AS "
       "total FROM orders o JOIN customers c ON o.customer_id = c.id GROUP BY c.segment"},
  };
  return shapes;
}

using bench::Read;

// Exits unless the table holds what the workload leaves and the shape's view agrees with
// its recomputation from the table (VERIFY MATERIALIZED VIEW).
void CheckResult(server::Engine& engine, const Workload& workload, const Shape& shape) {
  protocol::StatementResult table = Read(engine, "SELECT count(*), sum(amount) FROM orders");
  if (table.error) Die("reading orders: " + table.error->message());
  char want[64];
  std::snprintf(want, sizeof(want), "%lld %lld.%02lld", static_cast<long long>(workload.live_rows),
                static_cast<long long>(workload.live_cents / 100),
                static_cast<long long>(workload.live_cents % 100));
  const std::string got =
      table.rows.at(0).at(0).value_or("NULL") + " " + table.rows.at(0).at(1).value_or("NULL");
  if (got != want) Die("orders holds count, sum " + got + "; the workload gives " + want);
  if (*shape.view_name == '\0') return;
  protocol::StatementResult verify =
      Read(engine, std::string("VERIFY MATERIALIZED VIEW ") + shape.view_name);
  if (verify.error) Die("VERIFY: " + verify.error->message());
  if (verify.rows.empty() || verify.rows[0].at(0).value_or("") != "OK") {
    Die(std::string("VERIFY MATERIALIZED VIEW ") + shape.view_name + " does not hold");
  }
}

// Ingests the topic into a fresh engine with the shape's view, then checks the result.
IngestResult Ingest(const std::string& bootstrap, const std::string& topic,
                    const Workload& workload, const Shape& shape) {
  const auto want = static_cast<int64_t>(workload.values.size());
  const std::string& view = shape.view;
  char tmpl[] = "/tmp/tributary-bench-kafka.XXXXXX";
  std::string dir = mkdtemp(tmpl);
  IngestResult result;
  {
    auto engine = server::Engine::Open(dir);
    engine->Start();
    Exec(*engine, "CREATE TABLE customers (id int PRIMARY KEY, segment text)");
    std::string customers = "INSERT INTO customers VALUES ";
    for (int i = 0; i < 100; ++i) {
      customers += (i ? ",(" : "(") + std::to_string(i) + ", 's" + std::to_string(i % 7) + "')";
    }
    Exec(*engine, customers);
    // One transaction: the view exists before the source starts, so ingestion maintains it.
    Exec(*engine,
         "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, region text, amount "
         "numeric(12,2)) WITH (connector='kafka', topic='" +
             topic + "', properties.bootstrap.server='" + bootstrap +
             "', scan.startup.mode='earliest') FORMAT DEBEZIUM ENCODE JSON;" + view);
    Clock::time_point first{};
    double first_cpu = 0;
    int64_t applied = 0;
    while (applied < want) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      applied = MessagesApplied(*engine);
      if (applied > 0 && first == Clock::time_point{}) {
        first = Clock::now();
        first_cpu = ProcessCpuSeconds();
      }
    }
    result.rate = static_cast<double>(want) / Seconds(first);
    result.cpu_seconds = ProcessCpuSeconds() - first_cpu;
    CheckResult(*engine, workload, shape);
    engine->Stop();
  }
  std::filesystem::remove_all(dir);
  return result;
}

struct Options {
  int messages = 200000;
  int partitions = 8;
  int only_shape = -1;
  int runs = 1;
  bool json = false;
  std::string bootstrap;  // empty: an in-process cluster
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      options.json = true;
    } else if (arg == "--bootstrap" && i + 1 < argc) {
      options.bootstrap = argv[++i];
    } else if (arg == "--runs" && i + 1 < argc) {
      options.runs = std::atoi(argv[++i]);
    } else if (arg.rfind("--", 0) == 0) {
      Die("unknown option " + arg + " (see the usage at the top of bench/kafka_ingest.cc)");
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() > 0) options.messages = std::atoi(positional[0].c_str());
  if (positional.size() > 1) options.partitions = std::atoi(positional[1].c_str());
  if (positional.size() > 2) options.only_shape = std::atoi(positional[2].c_str());
  if (options.messages <= 0 || options.partitions <= 0 || options.runs <= 0) Die("bad arguments");
  if (options.only_shape >= static_cast<int>(Shapes().size())) Die("no such shape");
  return options;
}

// One measurement: a JSON line, or a row of the table.
void Report(const Options& options, const std::string& id, const std::string& label,
            double rate, double per_core, const std::string& extra) {
  if (options.json) {
    std::printf("{\"bench\":\"kafka_ingest\",\"case\":\"%s\",\"messages\":%d,"
                "\"partitions\":%d,\"runs\":%d,\"msg_per_s\":%.0f",
                id.c_str(), options.messages, options.partitions, options.runs, rate);
    if (per_core > 0) std::printf(",\"msg_per_core_s\":%.0f", per_core);
    std::printf("}\n");
  } else {
    std::printf("%-34s %12.0f msg/s", label.c_str(), rate);
    if (per_core > 0) std::printf("  %10.0f msg/s per core", per_core);
    std::printf("%s\n", extra.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  server::ConfigureMalloc();  // as the server does
  const Options options = ParseOptions(argc, argv);
  std::unique_ptr<connectors::MockCluster> cluster;
  std::string bootstrap = options.bootstrap;
  const std::string topic = "orders";
  if (bootstrap.empty()) {
    cluster = std::make_unique<connectors::MockCluster>(1);
    cluster->CreateTopic(topic, options.partitions);
    bootstrap = cluster->bootstrap_servers();
  }
  const Workload workload = MakeWorkload(options.messages);
  const std::vector<std::string>& values = workload.values;
  size_t bytes = 0;
  for (const std::string& v : values) bytes += v.size();
  Produce(bootstrap, topic, options.partitions, workload);
  if (options.json) {
    std::printf("{\"bench\":\"kafka_ingest\",\"case\":\"workload\",\"messages\":%d,"
                "\"partitions\":%d,\"bytes\":%zu}\n",
                options.messages, options.partitions, bytes);
  } else {
    std::printf("%d Debezium messages (%.0f bytes each on average) in %d partitions, %d run(s)\n",
                options.messages, static_cast<double>(bytes) / options.messages,
                options.partitions, options.runs);
  }

  std::vector<double> consumer_runs, decoder_runs;
  for (int run = 0; run < options.runs; ++run) {
    consumer_runs.push_back(ConsumerRate(bootstrap, topic, values.size()));
    decoder_runs.push_back(DecoderRate(values));
  }
  const double consumer = Median(consumer_runs);
  const double decoder = Median(decoder_runs);
  Report(options, "consumer", "plain consumer (KafkaSource)", consumer, 0, "");
  Report(options, "decoder", "decoder alone (one core)", decoder, decoder, "");
  for (size_t i = 0; i < Shapes().size(); ++i) {
    if (options.only_shape >= 0 && static_cast<int>(i) != options.only_shape) continue;
    const Shape& shape = Shapes()[i];
    std::vector<double> rates, per_core;
    for (int run = 0; run < options.runs; ++run) {
      IngestResult r = Ingest(bootstrap, topic, workload, shape);
      rates.push_back(r.rate);
      per_core.push_back(options.messages / std::max(r.cpu_seconds, 1e-9));
    }
    const double rate = Median(rates);
    char extra[96];
    std::snprintf(extra, sizeof(extra), "  (%.0f%% of the consumer, %.0f%% of the decoder)",
                  100 * rate / consumer, 100 * rate / decoder);
    Report(options, shape.id, shape.name, rate, Median(per_core), extra);
  }
  return 0;
}
