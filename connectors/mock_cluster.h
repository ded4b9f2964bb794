// MockCluster: librdkafka's in-process mock Kafka cluster (rdkafka_mock.h), for tests and
// `tributary mock-kafka`. It speaks the Kafka protocol on loopback TCP, so any client
// (librdkafka, kcat, confluent-kafka) can reach it at bootstrap_servers() while this
// object lives; it keeps only about 5 MiB per partition.
//
// Contract:
// - The constructor throws ivm::Error (XX000) when librdkafka cannot create the cluster.
// - Broker ids are 1..brokers. SetBrokerUp(id, false) drops the broker's connections and
//   refuses new ones until SetBrokerUp(id, true) (leadership does not move).
// - CreateTopic() throws ivm::Error when the topic cannot be created. Topics not created
//   are auto-created with 4 partitions by the first metadata request naming them, even a
//   consumer's (the mock ignores AllowAutoTopicCreation=false).
// - SetTopicError(topic, code) makes metadata requests for the topic fail with the
//   librdkafka error code (e.g. RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) until it is set
//   back to 0: the way to simulate a missing topic.
// - RunMockKafkaCommand() is the body of `tributary mock-kafka [--brokers N]
//   [--topic NAME:PARTITIONS]...` (argv[0] is the command name and ignored): prints
//   "bootstrap.servers=HOST:PORT" as the first line of stdout, flushed, then blocks until
//   SIGTERM or SIGINT and returns 0 (2 on bad arguments, 1 on failure). It blocks both
//   signals in the calling thread while it runs (so librdkafka's threads inherit the mask)
//   and restores the mask before returning.
#pragma once

#include <cstdint>
#include <string>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace connectors {

class MockCluster {
 public:
  explicit MockCluster(int brokers = 1);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:PORT[,127.0.0.1:PORT...]".
  std::string bootstrap_servers() const;
  void CreateTopic(const std::string& topic, int partitions);
  void SetBrokerUp(int32_t broker_id, bool up);
  void SetTopicError(const std::string& topic, int error_code);

 private:
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
};

int RunMockKafkaCommand(int argc, char** argv);

}  // namespace connectors
