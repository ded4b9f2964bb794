// KafkaProducer: the producer the benchmarks load topics with (lz4, large batches), writing
// each message to the partition it is given. Dies with a message on any Kafka error: a
// benchmark has no way to go on without its input.
#pragma once

#include <cstdint>
#include <string>

struct rd_kafka_s;

namespace bench {

class KafkaProducer {
 public:
  // linger_ms: how long a message may wait for a batch to fill (bulk loads batch for
  // throughput; a freshness measurement keeps it short).
  explicit KafkaProducer(const std::string& bootstrap_servers, int linger_ms = 20);
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Queues `value` for `topic`/`partition`, waiting while the local queue is full.
  void Produce(const std::string& topic, int32_t partition, const std::string& value);
  // Waits until every queued message is acknowledged.
  void Flush();
  // Messages in topic/partition that the broker still holds, from its low and high
  // watermarks; dies when the low watermark is not 0 (the broker dropped messages: the mock
  // keeps only about 5 MiB per partition).
  int64_t HeldFromStart(const std::string& topic, int32_t partition);

 private:
  rd_kafka_s* rk_ = nullptr;
};

[[noreturn]] void Die(const std::string& program, const std::string& what);

}  // namespace bench
