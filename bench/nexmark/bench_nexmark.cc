// Nexmark q0–q8 on Tributary, fed the way users feed it: the generated events go as plain JSON
// messages to three Kafka topics (person, auction, bid) on an in-process mock cluster, and the
// engine consumes them into three Kafka-fed tables while maintaining one query's view.
//
// Per query: a fresh engine declares the three tables and the view in one transaction (so the
// view exists before the sources start), then consumes every event. The time is measured from
// the first applied message to the last one (offsets and rows committed with them), as in
// bench_kafka_ingest; CPU time is the whole process's (getrusage) over the same interval, so
// it includes the mock broker's and the consumers' threads. Then the view is checked: its row
// count against a direct computation over the events (bench/nexmark/expected.h), sums for q1
// and q2, and VERIFY MATERIALIZED VIEW (a recomputation from the tables).
//
// Usage: bench_nexmark [--events N] [--rate R] [--query ingest|qN|all] [--smoke]
//   --events  events to generate (default 1,000,000; --smoke: 10,000)
//   --rate    events per second of event time (default 10,000, Nexmark's firstEventRate;
//             --smoke: 500, so its 10,000 events span 20 s and several windows)
//   --query   one query, or all (default)
//   --smoke   a short run for CI: all queries over few events; fails only on wrong results
// Prints one JSON object per query ({"query":"q0",...}) and a table. Exit status 1 when a
// view is wrong or a run fails; a query the engine refuses is reported, not fatal.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "bench/engine_read.h"
#include "bench/kafka_producer.h"
#include "bench/nexmark/expected.h"
#include "bench/nexmark/generator.h"
#include "bench/nexmark/queries.h"
#include "bench/nexmark/thread_cpu.h"
#include "connectors/mock_cluster.h"
#include "server/engine.h"
#include "server/malloc_config.h"
#include "server/system_tables.h"
#include "storage/relation_store.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) { bench::Die("bench_nexmark", what); }

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Writes one topic, partitions round-robin, and counts what it wrote.
class TopicWriter {
 public:
  TopicWriter(const std::string& bootstrap, std::string topic, int partitions)
      : producer_(bootstrap), topic_(std::move(topic)), partitions_(partitions) {}

  void Write(const std::string& value) {
    producer_.Produce(topic_, static_cast<int32_t>(written_ % partitions_), value);
    ++written_;
    bytes_ += static_cast<int64_t>(value.size());
  }

  // Flushes, then checks the broker holds every message written.
  void FlushAndCheck() {
    producer_.Flush();
    int64_t held = 0;
    for (int p = 0; p < partitions_; ++p) held += producer_.HeldFromStart(topic_, p);
    if (held != written_) {
      Die(topic_ + ": wrote " + std::to_string(written_) + ", the broker holds " +
          std::to_string(held));
    }
  }

  int64_t written() const { return written_; }
  int64_t bytes() const { return bytes_; }

 private:
  bench::KafkaProducer producer_;
  std::string topic_;
  int partitions_;
  int64_t written_ = 0;
  int64_t bytes_ = 0;
};

// Enough partitions that each holds under ~2.5 MiB uncompressed (the mock keeps ~5 MiB).
int PartitionsFor(int64_t messages, int64_t average_bytes) {
  int64_t bytes = messages * average_bytes;
  return static_cast<int>(std::max<int64_t>(1, bytes / (2500 * 1024) + 1));
}

struct Sources {
  int64_t messages = 0;
  int64_t errors = 0;
  std::string last_error;
};

Sources ReadSources(server::Engine& engine) {
  auto published = engine.Published();
  Sources s;
  storage::RelationStore(server::kSourcesTableId, {0})
      .Scan(*published->snapshot, [&](const ivm::Row& row, int64_t) {
        server::SourceRow source = server::SourceRow::FromRow(row);
        s.messages += source.messages;
        s.errors += source.errors;
        if (source.last_error) s.last_error = *source.last_error;
        return true;
      });
  return s;
}

// Runs a read-only statement against the latest published step.
using bench::Read;

std::string Cell(server::Engine& engine, const std::string& sql) {
  protocol::StatementResult r = Read(engine, sql);
  if (r.error) Die(sql + ": " + r.error->message());
  if (r.rows.size() != 1 || r.rows[0].empty() || !r.rows[0][0]) Die(sql + ": no value");
  return *r.rows[0][0];
}

// 0.908 * cents as numeric text with three decimals.
std::string TimesPoint908(int64_t cents) {
  __int128 thousandths = static_cast<__int128>(cents) * 908;
  return std::to_string(static_cast<int64_t>(thousandths / 1000)) + "." +
         std::string(3 - std::to_string(static_cast<int64_t>(thousandths % 1000)).size(), '0') +
         std::to_string(static_cast<int64_t>(thousandths % 1000));
}

struct Outcome {
  std::string query;
  std::string error;   // the engine refused the view (SQLSTATE: message)
  std::string failed;  // a wrong result or a stalled run
  int64_t events = 0;
  int64_t rows = 0;
  double seconds = 0;
  double cpu_seconds = 0;      // the whole process
  nexmark::ThreadCpu threads;  // the same interval, by thread group

  double Rate() const { return seconds > 0 ? events / seconds : 0; }
  double PerCore() const { return cpu_seconds > 0 ? events / cpu_seconds : 0; }
  // Without the in-process broker's CPU: a real broker runs on another machine.
  double PerCoreWithoutBroker() const {
    auto broker = threads.find("mock broker");
    double cpu = cpu_seconds - (broker == threads.end() ? 0 : broker->second);
    return cpu > 0 ? events / cpu : 0;
  }
};

// The baseline: the three tables and no view.
const nexmark::Query kIngestOnly = {"ingest", "Tables only (no view)", "", ""};

std::string CountMismatch(server::Engine& engine, const std::string& relation, int64_t want,
                          int64_t* rows) {
  *rows = std::stoll(Cell(engine, "SELECT count(*) FROM " + relation));
  if (*rows == want) return "";
  return relation + " has " + std::to_string(*rows) + " rows, the events give " +
         std::to_string(want);
}

// Empty when `query`'s view (or, for the baseline, the tables) holds what the events give.
std::string CheckResults(server::Engine& engine, const nexmark::Query& query,
                         const nexmark::ExpectedResults& expected, int64_t* rows) {
  if (&query == &kIngestOnly) {
    std::string wrong = CountMismatch(engine, "person", expected.persons(), rows);
    if (wrong.empty()) wrong = CountMismatch(engine, "auction", expected.auctions(), rows);
    if (wrong.empty()) wrong = CountMismatch(engine, "bid", expected.bids(), rows);
    *rows = expected.persons() + expected.auctions() + expected.bids();
    return wrong;
  }
  std::string wrong = CountMismatch(engine, query.name, expected.RowCount(query.name), rows);
  if (!wrong.empty()) return wrong;
  if (*rows == 0) return "the view is empty";
  if (query.name == "q1" || query.name == "q2") {
    std::string sum = Cell(engine, "SELECT sum(price) FROM " + query.name);
    std::string want = query.name == "q1" ? TimesPoint908(expected.BidPriceSum())
                                          : std::to_string(expected.SelectedPriceSum());
    if (sum != want) return "sum(price) is " + sum + ", the events give " + want;
  }
  protocol::StatementResult verify = Read(engine, "VERIFY MATERIALIZED VIEW " + query.name);
  if (verify.error) return "VERIFY: " + verify.error->message();
  if (verify.rows.empty() || verify.rows[0][0].value_or("") != "OK") {
    return "VERIFY: " + verify.rows.at(0)[0].value_or("") + " " + verify.rows.at(0)[1].value_or("");
  }
  return "";
}

// Waits until the sources applied `events` messages; fills the timing of `out`.
void MeasureIngest(server::Engine& engine, int64_t events, Outcome* out) {
  std::optional<Clock::time_point> first;
  double first_cpu = 0;
  nexmark::ThreadCpu first_threads;
  Sources s;
  int64_t last_seen = -1;
  Clock::time_point last_progress = Clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    s = ReadSources(engine);
    if (s.messages > 0 && !first) {
      first = Clock::now();
      first_cpu = CpuSeconds();
      first_threads = nexmark::SnapshotThreadCpu();
    }
    if (s.messages >= events) break;
    if (s.messages != last_seen) {
      last_seen = s.messages;
      last_progress = Clock::now();
    } else if (Clock::now() - last_progress > std::chrono::seconds(60)) {
      out->failed = "stalled at " + std::to_string(s.messages) + " of " + std::to_string(events) +
                    " messages";
      break;
    }
  }
  if (!first) return;
  out->seconds = std::chrono::duration<double>(Clock::now() - *first).count();
  out->cpu_seconds = CpuSeconds() - first_cpu;
  out->threads = nexmark::Subtract(nexmark::SnapshotThreadCpu(), first_threads);
  if (out->failed.empty() && s.errors > 0) {
    out->failed = std::to_string(s.errors) + " messages skipped: " + s.last_error;
  }
}

Outcome RunQuery(const nexmark::Query& query, const std::string& bootstrap,
                 const nexmark::ExpectedResults& expected, int64_t events) {
  Outcome out;
  out.query = query.name;
  out.events = events;
  char tmpl[] = "/tmp/tributary-bench-nexmark.XXXXXX";
  const char* made = mkdtemp(tmpl);
  if (!made) Die("mkdtemp failed");
  std::string dir = made;
  {
    auto engine = server::Engine::Open(dir);
    engine->Start();
    server::TransactionResults created = engine->Execute(nexmark::TablesDdl(bootstrap) + query.sql);
    if (created.back().error) {
      out.error = created.back().error->sqlstate() + ": " + created.back().error->message();
    } else {
      MeasureIngest(*engine, events, &out);
      if (out.failed.empty()) out.failed = CheckResults(*engine, query, expected, &out.rows);
    }
    engine->Stop();
  }
  std::filesystem::remove_all(dir);
  return out;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c == '\n' ? ' ' : c);
  }
  return out;
}

void PrintJson(const Outcome& o, const nexmark::Query& q) {
  std::string line = "{\"query\":\"" + o.query + "\",\"title\":\"" + q.title +
                     "\",\"events\":" + std::to_string(o.events);
  char buf[512];
  if (!o.error.empty()) {
    line += ",\"status\":\"refused\",\"error\":\"" + JsonEscape(o.error) + "\"";
  } else {
    std::snprintf(buf, sizeof(buf),
                  ",\"status\":\"%s\",\"rows\":%lld,\"seconds\":%.3f,\"cpu_seconds\":%.3f,"
                  "\"events_per_second\":%.0f,\"events_per_second_per_core\":%.0f,"
                  "\"events_per_second_per_core_without_broker\":%.0f",
                  o.failed.empty() ? "ok" : "wrong", static_cast<long long>(o.rows), o.seconds,
                  o.cpu_seconds, o.Rate(), o.PerCore(), o.PerCoreWithoutBroker());
    line += buf;
    line += ",\"cpu_seconds_by_thread\":{";
    bool comma = false;
    for (const auto& [group, seconds] : o.threads) {
      std::snprintf(buf, sizeof(buf), "%s\"%s\":%.2f", comma ? "," : "", group.c_str(), seconds);
      line += buf;
      comma = true;
    }
    line += "}";
    if (!o.failed.empty()) line += ",\"failure\":\"" + JsonEscape(o.failed) + "\"";
  }
  std::printf("%s}\n", line.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  server::ConfigureMalloc();  // as the server does
  int64_t events = -1;
  int64_t rate = -1;
  std::string only = "all";
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--events" && i + 1 < argc) {
      events = std::atoll(argv[++i]);
    } else if (arg == "--rate" && i + 1 < argc) {
      rate = std::atoll(argv[++i]);
    } else if (arg == "--query" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--smoke") {
      smoke = true;
    } else {
      std::fprintf(
          stderr,
          "usage: bench_nexmark [--events N] [--rate R] [--query ingest|qN|all] [--smoke]\n");
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::warn);  // keep stdout to the results
  if (events < 0) events = smoke ? 10000 : 1000000;
  if (rate < 0) rate = smoke ? 500 : 10000;
  if (events < 50) Die("--events must be at least 50 (one block of events)");
  if (rate < 1) Die("--rate must be at least 1");
  std::vector<const nexmark::Query*> selected;
  if (only == "all" || only == kIngestOnly.name) selected.push_back(&kIngestOnly);
  for (const nexmark::Query& q : nexmark::Queries()) {
    if (only == "all" || only == q.name) selected.push_back(&q);
  }
  if (selected.empty()) Die("no query " + only + " (ingest, q0 … q8 or all)");

  // Generate and produce, computing the expected results on the way.
  nexmark::GeneratorConfig generator_config;
  generator_config.events_per_second = rate;
  nexmark::NexmarkGenerator generator(generator_config);
  const nexmark::GeneratorConfig& config = generator.config();
  const int64_t blocks = events / config.total_proportion() + 1;
  connectors::MockCluster cluster(1);
  const std::string bootstrap = cluster.bootstrap_servers();
  const int person_partitions = PartitionsFor(blocks * config.person_proportion, 300);
  const int auction_partitions = PartitionsFor(blocks * config.auction_proportion, 650);
  const int bid_partitions = PartitionsFor(blocks * config.bid_proportion, 300);
  cluster.CreateTopic("person", person_partitions);
  cluster.CreateTopic("auction", auction_partitions);
  cluster.CreateTopic("bid", bid_partitions);
  nexmark::ExpectedResults expected;
  auto produce_start = Clock::now();
  {
    TopicWriter person(bootstrap, "person", person_partitions);
    TopicWriter auction(bootstrap, "auction", auction_partitions);
    TopicWriter bid(bootstrap, "bid", bid_partitions);
    for (int64_t n = 0; n < events; ++n) {
      nexmark::Event e = generator.Generate(n);
      expected.Add(e);
      switch (e.kind) {
        case nexmark::Event::Kind::kPerson:
          person.Write(nexmark::ToJson(e.person));
          break;
        case nexmark::Event::Kind::kAuction:
          auction.Write(nexmark::ToJson(e.auction));
          break;
        case nexmark::Event::Kind::kBid:
          bid.Write(nexmark::ToJson(e.bid));
          break;
      }
    }
    std::string off_spec = expected.CheckStream(config, events);
    if (!off_spec.empty()) Die("the generated stream is off the specification: " + off_spec);
    person.FlushAndCheck();
    auction.FlushAndCheck();
    bid.FlushAndCheck();
    const int64_t bytes = person.bytes() + auction.bytes() + bid.bytes();
    std::printf(
        "%lld events (%lld persons, %lld auctions, %lld bids; %.0f bytes of JSON each on "
        "average; event time %s to %s) produced in %.1f s to topics person/auction/bid "
        "(%d/%d/%d partitions)\n",
        static_cast<long long>(events), static_cast<long long>(person.written()),
        static_cast<long long>(auction.written()), static_cast<long long>(bid.written()),
        static_cast<double>(bytes) / events,
        nexmark::FormatTimestampMs(config.TimestampMs(0)).c_str(),
        nexmark::FormatTimestampMs(config.TimestampMs(events - 1)).c_str(),
        std::chrono::duration<double>(Clock::now() - produce_start).count(), person_partitions,
        auction_partitions, bid_partitions);
  }
  std::fflush(stdout);

  std::vector<std::pair<Outcome, const nexmark::Query*>> outcomes;
  bool wrong = false;
  for (const nexmark::Query* q : selected) {
    Outcome o = RunQuery(*q, bootstrap, expected, events);
    PrintJson(o, *q);
    std::fflush(stdout);
    wrong = wrong || !o.failed.empty();
    outcomes.emplace_back(std::move(o), q);
  }

  std::printf("\n%-6s %-32s %9s %7s %7s %10s %10s %12s  %s\n", "", "", "rows", "wall s", "cpu s",
              "events/s", "per core", "w/o broker", "check");
  for (const auto& [o, q] : outcomes) {
    if (!o.error.empty()) {
      std::printf("%-6s %-32s refused: %s\n", o.query.c_str(), q->title.c_str(), o.error.c_str());
      continue;
    }
    std::string check = o.failed.empty()
                            ? (q == &kIngestOnly ? "ok (row counts)" : "ok (count, VERIFY)")
                            : "WRONG: " + o.failed;
    std::printf("%-6s %-32s %9lld %7.2f %7.2f %10.0f %10.0f %12.0f  %s\n", o.query.c_str(),
                q->title.c_str(), static_cast<long long>(o.rows), o.seconds, o.cpu_seconds,
                o.Rate(), o.PerCore(), o.PerCoreWithoutBroker(), check.c_str());
  }
  return wrong ? 1 : 0;
}
