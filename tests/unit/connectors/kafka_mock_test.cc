// The mock Kafka cluster and `tributary mock-kafka`: kcat produces into it, KafkaSource
// reads it back, and the command prints its address first and exits 0 on SIGTERM.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "connectors/kafka_source.h"
#include "connectors/mock_cluster.h"

namespace {

using connectors::KafkaMessage;
using connectors::KafkaSource;
using connectors::KafkaSourceConfig;
using Clock = std::chrono::steady_clock;

constexpr const char* kKcat = "/usr/bin/kcat";

// Produces "key:value" lines with kcat (-Z: an empty value is a NULL value); returns
// kcat's exit status.
int KcatProduce(const std::string& bootstrap, const std::string& topic,
                const std::vector<std::string>& lines) {
  std::string command =
      std::string(kKcat) + " -b " + bootstrap + " -P -t " + topic + " -K: -Z -X log_level=3";
  FILE* kcat = popen(command.c_str(), "w");
  REQUIRE(kcat != nullptr);
  for (const std::string& line : lines) std::fprintf(kcat, "%s\n", line.c_str());
  int status = pclose(kcat);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<KafkaMessage> ReadAll(const std::string& bootstrap, const std::string& topic,
                                  size_t want, size_t* partitions = nullptr) {
  KafkaSourceConfig config;
  config.bootstrap_servers = bootstrap;
  config.topic = topic;
  KafkaSource source(config);
  source.Start({});
  std::vector<KafkaMessage> got;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (got.size() < want && Clock::now() < deadline) source.Poll(&got, 1000, 20);
  source.Poll(&got, 1000, 50);
  if (partitions) *partitions = source.Partitions().size();
  return got;
}

// Reads one line from `fd`, waiting at most `timeout_ms` in total.
std::string ReadLine(int fd, int timeout_ms) {
  std::string line;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (poll(&p, 1, left > 0 ? left : 0) <= 0) break;
    char c;
    if (read(fd, &c, 1) != 1) break;
    if (c == '\n') return line;
    line.push_back(c);
  }
  return line;
}

}  // namespace

TEST_CASE("kcat produces into an in-process MockCluster") {
  if (access(kKcat, X_OK) != 0) FAIL("kcat is not installed at " << kKcat);
  connectors::MockCluster cluster(2);
  cluster.CreateTopic("kc", 3);
  std::vector<std::string> lines;
  for (int i = 0; i < 30; ++i) lines.push_back("k" + std::to_string(i) + ":v" + std::to_string(i));
  lines.push_back("gone:");  // a tombstone
  REQUIRE(KcatProduce(cluster.bootstrap_servers(), "kc", lines) == 0);

  size_t partitions = 0;
  std::vector<KafkaMessage> got = ReadAll(cluster.bootstrap_servers(), "kc", 31, &partitions);
  CHECK(partitions == 3);
  REQUIRE(got.size() == 31);
  int tombstones = 0;
  for (const KafkaMessage& m : got) {
    if (m.key == "gone") {
      ++tombstones;
      CHECK(m.null_value);
    } else {
      CHECK(m.value == "v" + m.key.substr(1));
    }
  }
  CHECK(tombstones == 1);
}

TEST_CASE("mock-kafka prints its address first, serves kcat and exits 0 on SIGTERM") {
  if (access(kKcat, X_OK) != 0) FAIL("kcat is not installed at " << kKcat);
  int out[2];
  REQUIRE(pipe(out) == 0);
  std::cout.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    char arg0[] = "mock-kafka", arg1[] = "--brokers", arg2[] = "2", arg3[] = "--topic",
         arg4[] = "orders:3", arg5[] = "--topic=audit:1";
    char* argv[] = {arg0, arg1, arg2, arg3, arg4, arg5, nullptr};
    _exit(connectors::RunMockKafkaCommand(6, argv));
  }
  close(out[1]);
  std::string first = ReadLine(out[0], 5000);
  const std::string prefix = "bootstrap.servers=";
  INFO("first line: " << first);
  bool ok = first.rfind(prefix, 0) == 0 && first.size() > prefix.size();
  if (ok) {
    std::string bootstrap = first.substr(prefix.size());
    std::vector<std::string> lines;
    for (int i = 0; i < 50; ++i) lines.push_back("o" + std::to_string(i) + ":" + std::to_string(i));
    CHECK(KcatProduce(bootstrap, "orders", lines) == 0);
    size_t partitions = 0;
    std::vector<KafkaMessage> got = ReadAll(bootstrap, "orders", 50, &partitions);
    CHECK(partitions == 3);
    CHECK(got.size() == 50);
    ReadAll(bootstrap, "audit", 0, &partitions);
    CHECK(partitions == 1);
  }
  kill(child, SIGTERM);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  close(out[0]);
  REQUIRE(ok);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("mock-kafka rejects bad arguments with exit code 2") {
  char arg0[] = "mock-kafka", bad[] = "--bogus", topic[] = "--topic", no_count[] = "orders",
       brokers[] = "--brokers", zero[] = "0";
  char* unknown[] = {arg0, bad, nullptr};
  CHECK(connectors::RunMockKafkaCommand(2, unknown) == 2);
  char* bad_topic[] = {arg0, topic, no_count, nullptr};
  CHECK(connectors::RunMockKafkaCommand(3, bad_topic) == 2);
  char* bad_brokers[] = {arg0, brokers, zero, nullptr};
  CHECK(connectors::RunMockKafkaCommand(3, bad_brokers) == 2);
  char* missing[] = {arg0, brokers, nullptr};
  CHECK(connectors::RunMockKafkaCommand(2, missing) == 2);
}
