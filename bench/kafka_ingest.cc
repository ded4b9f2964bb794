// Kafka ingestion throughput, against its two ceilings, on one in-process mock cluster:
//   consumer  — a plain librdkafka consumer (connectors::KafkaSource) reading the topic;
//   decoder   — the Debezium decoder alone over the same messages, on one core;
//   ingest    — the engine consuming the topic into a keyed table, with no view, with a
//               group-by view (count, sum of numeric) and with a join + group-by view,
//               from the first applied message to the last one (offsets, rows and
//               tributary_sources committed with them).
// Messages are Debezium JSON (schema-exclude) changes to orders(id pk, customer_id, region,
// amount numeric(12,2)): 80% inserts, 15% updates that move rows between regions, 5% deletes.
// Usage: bench_kafka_ingest [MESSAGES] [PARTITIONS] [SHAPE]   (default 200000 8, all shapes;
// SHAPE 0, 1 or 2 runs only that ingest shape)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/kafka_producer.h"
#include "connectors/formats/format_decoder.h"
#include "connectors/kafka_source.h"
#include "connectors/mock_cluster.h"
#include "server/engine.h"
#include "server/system_tables.h"
#include "storage/relation_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
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

// Debezium envelopes for the workload, deterministic.
std::vector<std::string> Workload(int messages) {
  std::vector<std::string> out;
  out.reserve(messages);
  std::vector<int> region;  // per id: its region, -1 once deleted
  uint64_t seed = 42;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(seed >> 33);
  };
  const std::string source =
      ",\"source\":{\"version\":\"1.9.7.Final\",\"connector\":\"mysql\",\"name\":\"bench\","
      "\"ts_ms\":1700000000000,\"db\":\"shop\",\"table\":\"orders\"},\"ts_ms\":1700000000000,"
      "\"transaction\":null}";
  for (int i = 0; i < messages; ++i) {
    int kind = next() % 100;
    if (region.size() < 100 || kind < 80) {
      int id = static_cast<int>(region.size());
      region.push_back(next() % 20);
      out.push_back("{\"before\":null,\"after\":" + Row(id, region[id], 1000 + id % 9000) +
                    ",\"op\":\"c\"" + source);
      continue;
    }
    int id = next() % static_cast<int>(region.size());
    while (region[id] < 0) id = (id + 1) % static_cast<int>(region.size());
    std::string before = Row(id, region[id], 1000 + id % 9000);
    if (kind < 95) {
      region[id] = next() % 20;
      out.push_back("{\"before\":" + before + ",\"after\":" +
                    Row(id, region[id], 1000 + id % 9000) + ",\"op\":\"u\"" + source);
    } else {
      region[id] = -1;
      out.push_back("{\"before\":" + before + ",\"after\":null,\"op\":\"d\"" + source);
    }
  }
  return out;
}

void Produce(const std::string& bootstrap, const std::string& topic, int partitions,
             const std::vector<std::string>& values) {
  bench::KafkaProducer producer(bootstrap);
  // Rows keep their partition (by id), so per-key order holds as with Debezium's keys.
  for (size_t i = 0; i < values.size(); ++i) {
    producer.Produce(topic, static_cast<int32_t>(i % partitions), values[i]);
  }
  producer.Flush();
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

// Ingests the topic into a fresh engine with `view` (may be empty); returns messages/s.
double IngestRate(const std::string& bootstrap, const std::string& topic, int64_t want,
                  const std::string& view) {
  char tmpl[] = "/tmp/tributary-bench-kafka.XXXXXX";
  std::string dir = mkdtemp(tmpl);
  double rate = 0;
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
    int64_t applied = 0;
    while (applied < want) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      applied = MessagesApplied(*engine);
      if (applied > 0 && first == Clock::time_point{}) first = Clock::now();
    }
    rate = static_cast<double>(want) / Seconds(first);
    engine->Stop();
  }
  std::filesystem::remove_all(dir);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int partitions = argc > 2 ? std::atoi(argv[2]) : 8;
  const int only_shape = argc > 3 ? std::atoi(argv[3]) : -1;
  connectors::MockCluster cluster(1);
  const std::string topic = "orders";
  cluster.CreateTopic(topic, partitions);
  std::vector<std::string> values = Workload(messages);
  size_t bytes = 0;
  for (const std::string& v : values) bytes += v.size();
  Produce(cluster.bootstrap_servers(), topic, partitions, values);
  std::printf("%d Debezium messages (%.0f bytes each on average) in %d partitions\n", messages,
              static_cast<double>(bytes) / messages, partitions);

  const double consumer = ConsumerRate(cluster.bootstrap_servers(), topic, values.size());
  const double decoder = DecoderRate(values);
  std::printf("%-34s %12.0f msg/s\n", "plain consumer (KafkaSource)", consumer);
  std::printf("%-34s %12.0f msg/s\n", "decoder alone (one core)", decoder);
  struct Shape {
    const char* name;
    std::string view;
  };
  const Shape shapes[] = {
      {"ingest: table only", ""},
      {"ingest: + group-by count/sum",
       "CREATE MATERIALIZED VIEW by_region AS SELECT region, count(*) AS n, sum(amount) AS total "
       "FROM orders GROUP BY region"},
      {"ingest: + join + group-by",
       "CREATE MATERIALIZED VIEW by_segment AS SELECT c.segment, count(*) AS n, sum(o.amount) AS "
       "total FROM orders o JOIN customers c ON o.customer_id = c.id GROUP BY c.segment"},
  };
  for (int i = 0; i < 3; ++i) {
    if (only_shape >= 0 && i != only_shape) continue;
    const Shape& shape = shapes[i];
    const double rate = IngestRate(cluster.bootstrap_servers(), topic, messages, shape.view);
    std::printf("%-34s %12.0f msg/s  (%.0f%% of the consumer, %.0f%% of the decoder)\n", shape.name,
                rate, 100 * rate / consumer, 100 * rate / decoder);
  }
  return 0;
}
