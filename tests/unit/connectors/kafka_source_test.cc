// KafkaSource against librdkafka's in-process mock cluster: reading every partition from
// earliest, resuming from stored offsets with no loss and no duplicates, latest and group
// offsets, lag, and a broker that is missing or goes away.
#include <arpa/inet.h>
#include <librdkafka/rdkafka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "connectors/kafka_source.h"
#include "connectors/mock_cluster.h"

namespace {

using connectors::KafkaMessage;
using connectors::KafkaSource;
using connectors::KafkaSourceConfig;
using connectors::KafkaSourceState;
using connectors::MockCluster;
using connectors::StartupMode;
using Clock = std::chrono::steady_clock;

// A synchronous librdkafka producer for test data.
class Producer {
 public:
  explicit Producer(const std::string& bootstrap) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error, sizeof(error));
    rd_kafka_conf_set(conf, "linger.ms", "1", error, sizeof(error));
    rd_kafka_conf_set_opaque(conf, &failures_);
    rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
      if (m->err) ++*static_cast<int*>(opaque);
    });
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    REQUIRE(rk_ != nullptr);
  }
  ~Producer() { rd_kafka_destroy(rk_); }

  // A null key or value when the pointer is null.
  void Send(const std::string& topic, int32_t partition, const std::string* key,
            const std::string* value) {
    rd_kafka_resp_err_t err =
        rd_kafka_producev(rk_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                          RD_KAFKA_V_KEY(key ? key->data() : nullptr, key ? key->size() : 0),
                          RD_KAFKA_V_VALUE(value ? const_cast<char*>(value->data()) : nullptr,
                                           value ? value->size() : 0),
                          RD_KAFKA_V_END);
    REQUIRE(err == RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  void Flush() {
    REQUIRE(rd_kafka_flush(rk_, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
    REQUIRE(failures_ == 0);
  }

 private:
  int failures_ = 0;
  rd_kafka_t* rk_ = nullptr;
};

// Message i of a test topic: partition i % partitions, key "k<i>" (null for every 7th),
// value "v<i>" (null for every 10th).
struct Expected {
  int32_t partition;
  std::string key;
  bool null_key;
  std::string value;
  bool null_value;
  bool operator==(const Expected& o) const = default;
  bool operator<(const Expected& o) const {
    return std::tie(partition, key, null_key, value, null_value) <
           std::tie(o.partition, o.key, o.null_key, o.value, o.null_value);
  }
};

Expected MessageNumber(int i, int partitions) {
  Expected e;
  e.partition = i % partitions;
  e.null_key = i % 7 == 0;
  e.key = e.null_key ? "" : "k" + std::to_string(i);
  e.null_value = i % 10 == 0;
  e.value = e.null_value ? "" : "v" + std::to_string(i);
  return e;
}

void ProduceRange(Producer& producer, const std::string& topic, int from, int to, int partitions) {
  for (int i = from; i < to; ++i) {
    Expected e = MessageNumber(i, partitions);
    producer.Send(topic, e.partition, e.null_key ? nullptr : &e.key,
                  e.null_value ? nullptr : &e.value);
  }
  producer.Flush();
}

std::multiset<Expected> ExpectedRange(int from, int to, int partitions) {
  std::multiset<Expected> out;
  for (int i = from; i < to; ++i) out.insert(MessageNumber(i, partitions));
  return out;
}

std::multiset<Expected> AsExpected(const std::vector<KafkaMessage>& messages) {
  std::multiset<Expected> out;
  for (const KafkaMessage& m : messages) {
    out.insert({m.partition, m.key, m.null_key, m.value, m.null_value});
  }
  return out;
}

KafkaSourceConfig Config(const MockCluster& cluster, const std::string& topic,
                         StartupMode mode = StartupMode::kEarliest) {
  KafkaSourceConfig config;
  config.bootstrap_servers = cluster.bootstrap_servers();
  config.topic = topic;
  config.startup_mode = mode;
  config.statistics_interval_ms = 100;
  return config;
}

// Polls until `want` messages arrived (or `until` holds) or 10 s passed.
std::vector<KafkaMessage> PollFor(KafkaSource& source, size_t want, size_t batch = 1000,
                                  const std::function<bool()>& until = nullptr) {
  std::vector<KafkaMessage> out;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (until ? until() : out.size() >= want) break;
    source.Poll(&out, batch, 20);
  }
  return out;
}

void CheckOrderedPerPartition(const std::vector<KafkaMessage>& messages) {
  std::map<int32_t, int64_t> last;
  for (const KafkaMessage& m : messages) {
    auto it = last.find(m.partition);
    if (it != last.end()) REQUIRE(m.offset == it->second + 1);
    last[m.partition] = m.offset;
    CHECK(m.timestamp_ms > 0);
  }
}

}  // namespace

TEST_CASE("KafkaSource reads every partition from earliest, keys and null values intact") {
  MockCluster cluster;
  cluster.CreateTopic("orders", 3);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "orders", 0, 300, 3);

  KafkaSource source(Config(cluster, "orders"));
  source.Start({});
  CHECK(source.Status().state == KafkaSourceState::kRunning);
  CHECK(source.Partitions() == std::vector<int32_t>{0, 1, 2});
  // Concrete start positions before the first message.
  CHECK(source.NextOffsets() == std::map<int32_t, int64_t>{{0, 0}, {1, 0}, {2, 0}});

  std::vector<KafkaMessage> got = PollFor(source, 300, 64);
  REQUIRE(got.size() == 300);
  CHECK(AsExpected(got) == ExpectedRange(0, 300, 3));
  CheckOrderedPerPartition(got);
  CHECK(source.NextOffsets() == std::map<int32_t, int64_t>{{0, 100}, {1, 100}, {2, 100}});

  // Nothing more, and the poll returns within its timeout.
  auto t0 = Clock::now();
  CHECK(source.Poll(&got, 100, 50) == 0);
  CHECK(Clock::now() - t0 < std::chrono::milliseconds(500));
  CHECK(source.Status().state == KafkaSourceState::kRunning);
  CHECK(source.Status().errors == 0);
}

TEST_CASE("KafkaSource resumes from stored offsets: no loss, no duplicates") {
  MockCluster cluster;
  cluster.CreateTopic("events", 4);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "events", 0, 400, 4);

  std::vector<KafkaMessage> first;
  std::map<int32_t, int64_t> stored;
  {
    KafkaSource source(Config(cluster, "events"));
    source.Start({});
    // Stop part-way through: small batches, about half of the topic.
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (first.size() < 170 && Clock::now() < deadline) source.Poll(&first, 7, 20);
    stored = source.NextOffsets();
  }
  REQUIRE(first.size() >= 170);
  REQUIRE(first.size() < 400);
  int64_t stored_total = 0;
  for (const auto& [partition, offset] : stored) stored_total += offset;
  CHECK(stored_total == static_cast<int64_t>(first.size()));

  // More messages arrive while "the server is down".
  ProduceRange(producer, "events", 400, 480, 4);

  // Stored offsets win over the startup mode, even latest.
  KafkaSource resumed(Config(cluster, "events", StartupMode::kLatest));
  resumed.Start(stored);
  CHECK(resumed.NextOffsets() == stored);
  std::vector<KafkaMessage> rest = PollFor(resumed, 480 - first.size());
  // A short extra poll: nothing beyond.
  resumed.Poll(&rest, 1000, 100);

  std::vector<KafkaMessage> all = first;
  all.insert(all.end(), rest.begin(), rest.end());
  CHECK(all.size() == 480);
  CHECK(AsExpected(all) == ExpectedRange(0, 480, 4));
  std::set<std::pair<int32_t, int64_t>> positions;
  for (const KafkaMessage& m : all) positions.insert({m.partition, m.offset});
  CHECK(positions.size() == 480);
  CheckOrderedPerPartition(rest);
  CHECK(resumed.NextOffsets() ==
        std::map<int32_t, int64_t>{{0, 120}, {1, 120}, {2, 120}, {3, 120}});
}

TEST_CASE("KafkaSource stops a poll at its byte bound and hands out the rest next") {
  MockCluster cluster;
  cluster.CreateTopic("bytes", 2);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "bytes", 0, 300, 2);

  KafkaSource source(Config(cluster, "bytes"));
  source.Start({});
  // About 8 bytes of key and value a message, against a bound of 50: each poll stops
  // after the message that reaches it, and what was fetched beyond waits for the next.
  constexpr size_t kBound = 50;
  auto bytes_of = [](const KafkaMessage& m) { return m.key.size() + m.value.size(); };
  std::vector<KafkaMessage> got;
  auto poll = [&] {
    std::vector<KafkaMessage> one;
    source.Poll(&one, 1000, 20, kBound);
    size_t bytes = 0;
    for (const KafkaMessage& m : one) bytes += bytes_of(m);
    if (!one.empty()) CHECK(bytes - bytes_of(one.back()) < kBound);
    got.insert(got.end(), one.begin(), one.end());
    return one.size();
  };
  auto deadline = Clock::now() + std::chrono::seconds(10);
  size_t polls = 0;
  while (got.size() < 120 && Clock::now() < deadline) polls += poll() > 0;
  CHECK(polls >= 10);  // not one or two polls of everything fetched

  // Starting again (as a runner rewinding does) drops what was held: nothing is lost or
  // handed out twice from the offsets given.
  source.Start(source.NextOffsets());
  deadline = Clock::now() + std::chrono::seconds(10);
  while (got.size() < 300 && Clock::now() < deadline) poll();
  source.Poll(&got, 1000, 100);
  CHECK(got.size() == 300);
  CHECK(AsExpected(got) == ExpectedRange(0, 300, 2));
  CheckOrderedPerPartition(got);
  CHECK(source.NextOffsets() == std::map<int32_t, int64_t>{{0, 150}, {1, 150}});
}

TEST_CASE("KafkaSource in latest mode reads only messages produced after it started") {
  MockCluster cluster;
  cluster.CreateTopic("clicks", 2);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "clicks", 0, 50, 2);

  KafkaSource source(Config(cluster, "clicks", StartupMode::kLatest));
  source.Start({});
  // Latest resolved to concrete offsets: safe to store before any message.
  CHECK(source.NextOffsets() == std::map<int32_t, int64_t>{{0, 25}, {1, 25}});
  std::vector<KafkaMessage> got;
  source.Poll(&got, 100, 100);
  CHECK(got.empty());

  ProduceRange(producer, "clicks", 50, 70, 2);
  got = PollFor(source, 20);
  source.Poll(&got, 100, 50);
  CHECK(AsExpected(got) == ExpectedRange(50, 70, 2));
}

TEST_CASE("KafkaSource reports high watermarks and lag") {
  MockCluster cluster;
  cluster.CreateTopic("lagging", 2);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "lagging", 0, 100, 2);

  KafkaSource source(Config(cluster, "lagging"));
  source.Start({});
  CHECK(source.QueryHighWatermarks(2000) == std::map<int32_t, int64_t>{{0, 50}, {1, 50}});

  std::vector<KafkaMessage> got;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (got.size() < 30 && Clock::now() < deadline) source.Poll(&got, 30 - got.size(), 20);
  REQUIRE(got.size() == 30);
  // The cached watermarks come from fetch responses: each partition's has arrived once the
  // background fetcher has reached it (the 30 messages may all come from one partition).
  const std::map<int32_t, int64_t> high{{0, 50}, {1, 50}};
  deadline = Clock::now() + std::chrono::seconds(10);
  while (source.HighWatermarks() != high && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(source.HighWatermarks() == high);
  int64_t lag = 0;
  for (const auto& [partition, value] : source.Lag()) lag += value;
  CHECK(lag == 70);

  got = PollFor(source, 70);
  CHECK(got.size() == 70);
  CHECK(source.Lag() == std::map<int32_t, int64_t>{{0, 0}, {1, 0}});
}

TEST_CASE("KafkaSource starts from the group's committed offsets") {
  MockCluster cluster;
  cluster.CreateTopic("grouped", 2);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "grouped", 0, 100, 2);

  KafkaSourceConfig config = Config(cluster, "grouped", StartupMode::kGroupOffsets);
  config.group_id = "tributary-test";
  std::map<int32_t, int64_t> committed;
  {
    // Nothing committed yet: earliest.
    KafkaSource source(config);
    source.Start({});
    CHECK(source.NextOffsets() == std::map<int32_t, int64_t>{{0, 0}, {1, 0}});
    std::vector<KafkaMessage> got;
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (got.size() < 40 && Clock::now() < deadline) source.Poll(&got, 40 - got.size(), 20);
    REQUIRE(got.size() == 40);
    committed = source.NextOffsets();
    source.CommitToGroup();
  }  // the destructor waits for the asynchronous commit in flight
  KafkaSource source(config);
  source.Start({});
  CHECK(source.NextOffsets() == committed);
  std::vector<KafkaMessage> got = PollFor(source, 60);
  CHECK(got.size() == 60);
}

TEST_CASE("KafkaSource against a closed port retries without throwing or blocking") {
  // A port nobody listens on: bind an ephemeral one, then close it.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);

  KafkaSourceConfig config;
  config.bootstrap_servers = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  config.topic = "nowhere";
  config.start_timeout_ms = 300;
  auto t0 = Clock::now();
  KafkaSource source(config);
  REQUIRE_NOTHROW(source.Start({}));
  CHECK(Clock::now() - t0 < std::chrono::milliseconds(1000));
  connectors::KafkaSourceStatus status = source.Status();
  CHECK(status.state == KafkaSourceState::kRetrying);
  CHECK(status.retry_backoff_ms > 0);
  CHECK(!status.last_error.empty());
  INFO(status.last_error);

  std::vector<KafkaMessage> got;
  for (int i = 0; i < 10; ++i) {
    auto p0 = Clock::now();
    REQUIRE_NOTHROW(source.Poll(&got, 100, 50));
    // The timeout plus the minimum discovery budget, plus scheduling slack.
    CHECK(Clock::now() - p0 < std::chrono::milliseconds(150));
  }
  CHECK(got.empty());
  status = source.Status();
  CHECK(status.state == KafkaSourceState::kRetrying);
  CHECK(status.errors >= 1);
  INFO(status.last_error);
  CHECK(source.Partitions().empty());
}

TEST_CASE("KafkaSource waits for a missing topic and reads it once it exists") {
  // The mock auto-creates any topic a metadata request names, so "missing" is simulated
  // with a metadata error.
  MockCluster cluster;
  cluster.CreateTopic("later", 2);
  cluster.SetTopicError("later", RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  KafkaSource source(Config(cluster, "later"));
  source.Start({});
  CHECK(source.Status().state == KafkaSourceState::kRetrying);
  CHECK(source.Status().last_error.find("later") != std::string::npos);
  std::vector<KafkaMessage> none;
  source.Poll(&none, 10, 50);
  CHECK(source.Partitions().empty());
  CHECK(source.Status().state == KafkaSourceState::kRetrying);

  cluster.SetTopicError("later", RD_KAFKA_RESP_ERR_NO_ERROR);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "later", 0, 10, 2);
  std::vector<KafkaMessage> got = PollFor(source, 10);
  CHECK(AsExpected(got) == ExpectedRange(0, 10, 2));
  CHECK(source.Status().state == KafkaSourceState::kRunning);
}

TEST_CASE("KafkaSource survives a broker going away and coming back") {
  MockCluster cluster;
  cluster.CreateTopic("flaky", 2);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "flaky", 0, 20, 2);

  KafkaSource source(Config(cluster, "flaky"));
  source.Start({});
  std::vector<KafkaMessage> got = PollFor(source, 20);
  REQUIRE(got.size() == 20);

  cluster.SetBrokerUp(1, false);
  auto t0 = Clock::now();
  PollFor(source, 0, 100, [&] { return source.Status().state == KafkaSourceState::kRetrying; });
  auto down_seen = Clock::now() - t0;
  INFO("noticed the broker down after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(down_seen).count() << " ms");
  CHECK(source.Status().state == KafkaSourceState::kRetrying);
  CHECK(source.Status().retry_backoff_ms > 0);

  // Back up, with the topic idle: librdkafka's statistics show the broker UP again.
  cluster.SetBrokerUp(1, true);
  t0 = Clock::now();
  PollFor(source, 0, 100, [&] { return source.Status().state == KafkaSourceState::kRunning; });
  INFO("noticed the broker back after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count()
       << " ms");
  CHECK(source.Status().state == KafkaSourceState::kRunning);
  CHECK(source.Status().retry_backoff_ms == 0);
  CHECK(!source.Status().last_error.empty());

  ProduceRange(producer, "flaky", 20, 40, 2);
  std::vector<KafkaMessage> more = PollFor(source, 20);
  got.insert(got.end(), more.begin(), more.end());
  source.Poll(&got, 100, 50);
  CHECK(AsExpected(got) == ExpectedRange(0, 40, 2));
  CheckOrderedPerPartition(got);
  CHECK(source.Status().state == KafkaSourceState::kRunning);
}

TEST_CASE("KafkaSource started while the broker is down starts reading once it is back") {
  MockCluster cluster;
  cluster.CreateTopic("late", 2);
  Producer producer(cluster.bootstrap_servers());
  ProduceRange(producer, "late", 0, 30, 2);

  cluster.SetBrokerUp(1, false);
  KafkaSourceConfig config = Config(cluster, "late");
  config.start_timeout_ms = 200;
  KafkaSource source(config);
  source.Start({{0, 5}});  // a stored offset for partition 0 only
  CHECK(source.Status().state == KafkaSourceState::kRetrying);
  std::vector<KafkaMessage> got;
  for (int i = 0; i < 3; ++i) {
    auto p0 = Clock::now();
    source.Poll(&got, 100, 30);
    CHECK(Clock::now() - p0 < std::chrono::milliseconds(200));
  }
  CHECK(got.empty());

  cluster.SetBrokerUp(1, true);
  got = PollFor(source, 25);
  source.Poll(&got, 100, 50);
  std::multiset<Expected> want = ExpectedRange(0, 30, 2);
  for (int i = 0; i < 10; i += 2) want.erase(want.find(MessageNumber(i, 2)));  // p0 offsets 0..4
  CHECK(AsExpected(got) == want);
  CHECK(source.Status().state == KafkaSourceState::kRunning);
  CHECK(source.NextOffsets() == std::map<int32_t, int64_t>{{0, 15}, {1, 15}});
}

TEST_CASE("KafkaSource with a group is destroyed promptly while the broker is down") {
  MockCluster cluster;
  cluster.CreateTopic("gone", 1);
  KafkaSourceConfig config = Config(cluster, "gone");
  config.group_id = "tributary-test";
  auto source = std::make_unique<KafkaSource>(config);
  source->Start({});
  std::vector<KafkaMessage> got;
  source->Poll(&got, 10, 20);
  source->CommitToGroup();
  cluster.SetBrokerUp(1, false);
  PollFor(*source, 0, 10, [&] { return source->Status().state == KafkaSourceState::kRetrying; });
  REQUIRE(source->Status().state == KafkaSourceState::kRetrying);
  source->CommitToGroup();  // skipped while retrying
  auto t0 = Clock::now();
  source.reset();
  CHECK(Clock::now() - t0 < std::chrono::seconds(2));
  cluster.SetBrokerUp(1, true);
}
