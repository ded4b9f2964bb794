// SourceRunner against librdkafka's in-process mock cluster, with a test's submit function
// in place of the engine: back-pressure by the bytes of the batches it has not acknowledged.
// (The engine's side is in source_apply_test.cc; the whole path in tests/integration.)
#include <librdkafka/rdkafka.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/mock_cluster.h"
#include "server/source_runner.h"
#include "sql/binder.h"
#include "sql/parser.h"

namespace {

using Clock = std::chrono::steady_clock;

// Produces `count` messages of `bytes` bytes each to partition 0 of `topic`, and waits.
void Produce(const std::string& bootstrap, const std::string& topic, int count, size_t bytes) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error, sizeof(error));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  REQUIRE(rk != nullptr);
  const std::string value(bytes, 'x');
  for (int i = 0; i < count; ++i) {
    REQUIRE(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  REQUIRE(rd_kafka_flush(rk, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(rk);
}

// What the runner handed over: batches with messages are held until Release().
class HeldBatches {
 public:
  server::SourceRunner::SubmitFn Submit() {
    return [this](server::SourceBatch batch, server::SourceBatchDone done) {
      std::unique_lock<std::mutex> lock(mu_);
      if (batch.messages == 0) {  // a status report: acknowledged at once
        lock.unlock();
        done(true, std::move(batch));
        return;
      }
      messages_ += batch.messages;
      held_.push_back({std::move(batch), std::move(done)});
    };
  }
  int64_t messages() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }
  // Waits up to `timeout` for `want` messages; returns how many came.
  int64_t WaitFor(int64_t want, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (messages() < want && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return messages();
  }
  void Release() {
    std::vector<std::pair<server::SourceBatch, server::SourceBatchDone>> held;
    {
      std::lock_guard<std::mutex> lock(mu_);
      held.swap(held_);
    }
    for (auto& [batch, done] : held) done(true, std::move(batch));
  }

 private:
  std::mutex mu_;
  int64_t messages_ = 0;
  std::vector<std::pair<server::SourceBatch, server::SourceBatchDone>> held_;
};

}  // namespace

TEST_CASE("a source runner stops handing over batches once their bytes reach the bound") {
  connectors::MockCluster cluster;
  cluster.CreateTopic("big", 1);
  sql::Catalog catalog;
  auto parsed = sql::ParseScript(
      "CREATE TABLE big (v text) WITH (connector='kafka', topic='big', "
      "properties.bootstrap.server='" +
      cluster.bootstrap_servers() + "', scan.startup.mode='earliest') FORMAT PLAIN ENCODE JSON");
  sql::RelationInfo table =
      sql::Binder(catalog).BindCreateTable(std::get<sql::CreateTableStmt>(parsed.at(0).statement));
  table.id = 1;

  // 300 KiB messages (not JSON: each is a decoding error, carried in its batch all the
  // same) against a bound of 1 MiB: four of them reach it, in one batch or several.
  constexpr size_t kBytes = 300 << 10;
  HeldBatches engine;
  server::SourceRunner runner(table, {}, engine.Submit(), 1 << 20);
  runner.Start();
  Produce(cluster.bootstrap_servers(), "big", 4, kBytes);
  REQUIRE(engine.WaitFor(4, std::chrono::seconds(10)) == 4);
  // More arrive, but nothing is handed over while the four are held.
  Produce(cluster.bootstrap_servers(), "big", 4, kBytes);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(engine.messages() == 4);
  // Once they are acknowledged, the rest follow.
  engine.Release();
  CHECK(engine.WaitFor(8, std::chrono::seconds(10)) == 8);
  engine.Release();
  runner.Stop();
}
