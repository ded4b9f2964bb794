// Kafka helpers for the integration tests: a `tributary mock-kafka` process per test
// (MockKafka), producing with kcat, the CDC fixture files, and polling until asynchronous
// ingestion has reached an expected state.
//
// Ingestion is asynchronous, so tests never read a Kafka-fed table right after producing:
// they poll with WaitForRows / WaitUntil / WaitForSource, which return (or report) the
// last state seen when the deadline passes, so a failure shows what was there.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/test_server.h"

namespace tributary_it {

using namespace std::chrono_literals;

// How long ingestion may take before a test gives up.
inline constexpr std::chrono::milliseconds kIngestTimeout = 20s;

// One Kafka record. A std::nullopt key is a NULL key; a std::nullopt value is a NULL value
// (a tombstone). Neither may contain the bytes 0x1e or 0x1f (the kcat delimiters). An
// unkeyed empty value is sent with an empty (not NULL) key: kcat cannot send it otherwise.
struct KafkaRecord {
  std::optional<std::string> key;
  std::optional<std::string> value;
};
inline KafkaRecord Value(std::string value) { return {std::nullopt, std::move(value)}; }
inline KafkaRecord Keyed(std::string key, std::string value) {
  return {std::move(key), std::move(value)};
}
inline KafkaRecord Tombstone(std::string key) { return {std::move(key), std::nullopt}; }

// A `tributary mock-kafka` child process: librdkafka's mock cluster on loopback. The
// constructor starts it and waits (10 s at most) for its "bootstrap.servers=..." line; the
// destructor ends it (SIGTERM, then SIGKILL). It dies with the test process.
class MockKafka {
 public:
  struct Topic {
    std::string name;
    int partitions = 1;
  };
  explicit MockKafka(std::vector<Topic> topics, int brokers = 1);
  ~MockKafka();
  MockKafka(const MockKafka&) = delete;
  MockKafka& operator=(const MockKafka&) = delete;

  // "127.0.0.1:PORT" as printed by the mock.
  const std::string& bootstrap() const { return bootstrap_; }
  bool running() const { return pid_ > 0; }
  // Whether the mock process is still alive (it was not killed and did not die).
  bool alive();
  // The mock's output so far (its log, for failure reports).
  std::string Log() const;

  // Produces `records` to one partition of `topic`, in order, with kcat; returns when
  // every record is acknowledged (fails the test otherwise). `compression` is passed to
  // kcat -z when not empty ("lz4", "zstd", ...).
  void Produce(const std::string& topic, int partition, const std::vector<KafkaRecord>& records,
               const std::string& compression = "");
  // Produces unkeyed values to one partition.
  void ProduceValues(const std::string& topic, int partition,
                     const std::vector<std::string>& values, const std::string& compression = "");
  // Reads back every value of one partition (for checking the harness itself).
  std::vector<std::string> ConsumeValues(const std::string& topic, int partition);

  // Ends the mock now with `sig` (SIGTERM or SIGKILL): "the broker goes away".
  void Kill(int sig);

 private:
  void RunKcat(const std::vector<std::string>& args, const std::string& input);

  std::string work_dir_;  // mkdtemp: holds the mock's output and kcat input files
  std::string bootstrap_;
  pid_t pid_ = -1;
  int files_ = 0;
};

// ---- CDC fixtures (tests/fixtures/cdc) ----------------------------------------------------

// Absolute path of tests/fixtures/<relative>.
std::string FixturePath(const std::string& relative);
// The messages of a fixture file: one per non-empty line (the last line needs no '\n').
std::vector<std::string> FixtureMessages(const std::string& relative);

// A minimal Debezium change event without schema (schema-exclude): `op` is "c", "r", "u"
// or "d"; `before` and `after` are JSON objects or "null".
std::string DebeziumJson(const std::string& op, const std::string& before,
                         const std::string& after);

// ---- polling ------------------------------------------------------------------------------

// Calls `done` every `poll` until it returns true or `timeout` passes; returns its last
// answer.
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = kIngestTimeout,
               std::chrono::milliseconds poll = 50ms);

// Runs `sql` every 50 ms until its rows equal `expected` (SameRows) or `timeout` passes;
// returns the last rows, for CHECK_ROWS(WaitForRows(...), expected).
Rows WaitForRows(Connection& conn, const std::string& sql, const Rows& expected,
                 std::chrono::milliseconds timeout = kIngestTimeout);

// One row of tributary_sources, every column as text (NULL as kNull).
struct SourceStatus {
  std::string name, kind, table_name, topic, format, status, partitions, offsets, lag, messages,
      rows_applied, errors, last_error;
  std::string Describe() const;
};
// The tributary_sources row named `name`, if there is one.
std::optional<SourceStatus> FindSource(Connection& conn, const std::string& name);
// Polls until the source `name` exists and `done(status)` holds; returns the last status
// seen (an empty SourceStatus when the source never appeared). CHECK its fields after.
SourceStatus WaitForSource(Connection& conn, const std::string& name,
                           const std::function<bool(const SourceStatus&)>& done,
                           std::chrono::milliseconds timeout = kIngestTimeout);
// WaitForSource until `messages` messages were consumed and lag is 0.
SourceStatus WaitForMessages(Connection& conn, const std::string& name, long messages,
                             std::chrono::milliseconds timeout = kIngestTimeout);

// After `messages` messages on a 1-partition topic: the source's row in tributary_sources
// (a Kafka-fed table named `name`) says it read them all without an error, and there is no
// error record.
void CheckCleanSource(Connection& conn, const std::string& name, const std::string& topic,
                      const std::string& format, long messages);
// VERIFY MATERIALIZED VIEW `view` must answer OK (the view equals its query recomputed).
void CheckVerifyOk(Connection& conn, const std::string& view);

// ---- SQL text -------------------------------------------------------------------------------

// 'text' as a SQL string literal (quotes doubled).
std::string SqlQuote(const std::string& text);
// RisingWave-style WITH clause: WITH (connector='kafka', topic=..., bootstrap, earliest).
std::string RisingWaveWith(const std::string& topic, const std::string& bootstrap);
// Flink-style WITH clause for connector 'kafka' reading from the earliest offset, plus
// `extra` options already written as "'key'='value', ..." (may be empty).
std::string FlinkWith(const std::string& topic, const std::string& bootstrap,
                      const std::string& format, const std::string& extra = "");

// Partition -> offset pairs from text such as "0:16,1:3" (tributary_sources.offsets) or
// {"0":"16","1":3} (SHOW ROUTINE LOAD's Progress): every pair of numbers in order.
std::vector<std::pair<long, long>> ParseOffsets(const std::string& text);

}  // namespace tributary_it
