#include "connectors/mock_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "ivm/error.h"

namespace connectors {

MockCluster::MockCluster(int brokers) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  rd_kafka_conf_set(conf, "client.id", "tributary-mock", error, sizeof(error));
  rd_kafka_conf_set(conf, "log_level", "4", error, sizeof(error));
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (handle_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw ivm::Error(ivm::sqlstate::kInternalError,
                     std::string("cannot create the mock Kafka cluster's handle: ") + error);
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
  if (cluster_ == nullptr) {
    rd_kafka_destroy(handle_);
    throw ivm::Error(ivm::sqlstate::kInternalError, "cannot create the mock Kafka cluster");
  }
}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

std::string MockCluster::bootstrap_servers() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

void MockCluster::CreateTopic(const std::string& topic, int partitions) {
  rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, /*replication_factor=*/1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ivm::Error(ivm::sqlstate::kInternalError,
                     "cannot create mock topic '" + topic + "': " + rd_kafka_err2str(err));
  }
}

void MockCluster::SetBrokerUp(int32_t broker_id, bool up) {
  rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(cluster_, broker_id)
                               : rd_kafka_mock_broker_set_down(cluster_, broker_id);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ivm::Error(
        ivm::sqlstate::kInternalError,
        "cannot change mock broker " + std::to_string(broker_id) + ": " + rd_kafka_err2str(err));
  }
}

void MockCluster::SetTopicError(const std::string& topic, int error_code) {
  rd_kafka_mock_topic_set_error(cluster_, topic.c_str(),
                                static_cast<rd_kafka_resp_err_t>(error_code));
}

namespace {

constexpr const char* kUsage =
    "usage: tributary mock-kafka [--brokers N] [--topic NAME:PARTITIONS]...\n"
    "Starts librdkafka's in-process mock Kafka cluster, prints\n"
    "bootstrap.servers=HOST:PORT as the first line and runs until SIGTERM or SIGINT.\n";

bool ParsePositive(const std::string& text, int* out) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1 || value > 100000) return false;
  *out = static_cast<int>(value);
  return true;
}

}  // namespace

int RunMockKafkaCommand(int argc, char** argv) {
  int brokers = 1;
  std::vector<std::pair<std::string, int>> topics;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg != "--brokers" && arg != "--topic") {
      std::fprintf(stderr, "mock-kafka: unknown argument '%s'\n%s", argv[i], kUsage);
      return 2;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mock-kafka: %s needs a value\n%s", arg.c_str(), kUsage);
        return 2;
      }
      value = argv[++i];
    }
    if (arg == "--brokers") {
      if (!ParsePositive(value, &brokers)) {
        std::fprintf(stderr, "mock-kafka: bad --brokers '%s'\n", value.c_str());
        return 2;
      }
    } else {
      size_t colon = value.rfind(':');
      int partitions = 0;
      if (colon == std::string::npos || colon == 0 ||
          !ParsePositive(value.substr(colon + 1), &partitions)) {
        std::fprintf(stderr, "mock-kafka: bad --topic '%s' (want NAME:PARTITIONS)\n",
                     value.c_str());
        return 2;
      }
      topics.emplace_back(value.substr(0, colon), partitions);
    }
  }

  // Block the signals before librdkafka starts its threads so that they inherit the mask
  // and only sigwait() below receives them.
  sigset_t signals, old_mask;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, &old_mask);
  int rc = 0;
  try {
    MockCluster cluster(brokers);
    for (const auto& [name, partitions] : topics) cluster.CreateTopic(name, partitions);
    std::printf("bootstrap.servers=%s\n", cluster.bootstrap_servers().c_str());
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
  } catch (const ivm::Error& e) {
    std::fprintf(stderr, "mock-kafka: %s\n", e.what());
    rc = 1;
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return rc;
}

}  // namespace connectors
