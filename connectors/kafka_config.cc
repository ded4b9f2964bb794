#include "connectors/kafka_config.h"

#include <librdkafka/rdkafka.h>

#include <cctype>
#include <string>

#include "ivm/error.h"

namespace connectors {
namespace {

void Set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                     "invalid Kafka property '" + name + "': " + error);
  }
}

}  // namespace

StartupMode ParseStartupMode(std::string_view text) {
  std::string lower;
  for (char c : text) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower.push_back(l == '_' ? '-' : l);
  }
  if (lower == "earliest" || lower == "earliest-offset" || lower == "offset-beginning") {
    return StartupMode::kEarliest;
  }
  if (lower == "latest" || lower == "latest-offset" || lower == "offset-end") {
    return StartupMode::kLatest;
  }
  if (lower == "group-offsets") return StartupMode::kGroupOffsets;
  if (lower == "specific-offsets" || lower == "explicit-offsets") {
    return StartupMode::kExplicitOffsets;
  }
  throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                   "unknown Kafka startup mode '" + std::string(text) + "'", "",
                   "Use earliest, latest or group-offsets.");
}

const char* StartupModeName(StartupMode mode) {
  switch (mode) {
    case StartupMode::kEarliest:
      return "earliest";
    case StartupMode::kLatest:
      return "latest";
    case StartupMode::kGroupOffsets:
      return "group-offsets";
    case StartupMode::kExplicitOffsets:
      return "explicit-offsets";
  }
  return "?";
}

std::string LibrdkafkaPropertyName(std::string_view key) {
  for (std::string_view prefix : {"properties.", "property."}) {
    if (key.substr(0, prefix.size()) == prefix) return std::string(key.substr(prefix.size()));
  }
  return std::string(key);
}

rd_kafka_conf_s* MakeConsumerConf(const KafkaSourceConfig& config) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // A broker answers a fetch as soon as it has data, but librdkafka's mock cluster holds an
  // empty one for the whole wait, so the wait is added to the latency of whatever arrives
  // during it: 2 ms keeps freshness near a millisecond for about 1% of a core per idle
  // source (properties.fetch.wait.max.ms overrides it).
  Set(conf, "fetch.wait.max.ms", "2");
  // Once its prefetch queue (one for all partitions of a source) reaches either limit,
  // librdkafka 2.0 stops fetching for a whole second; with the defaults (100,000 messages,
  // 64 MiB) a source reading a backlog emptied the queue in well under that and then sat
  // idle for half of every second. The queue now holds about a second of ingestion.
  Set(conf, "queued.min.messages", "1000000");
  Set(conf, "queued.max.messages.kbytes", "131072");
  Set(conf, "auto.offset.reset", "earliest");
  Set(conf, "reconnect.backoff.max.ms", std::to_string(config.retry_backoff_max_ms));
  Set(conf, "client.id", "tributary");
  // Broker trouble reaches the source's status (and the server log) through the error
  // callback; librdkafka's own stderr lines, one per reconnect attempt, stay off unless the
  // user asks for them with properties.log_level.
  Set(conf, "log_level", "2");
  for (const auto& [key, value] : config.properties) Set(conf, LibrdkafkaPropertyName(key), value);
  // After the user's properties: the source depends on these.
  if (!config.bootstrap_servers.empty()) Set(conf, "bootstrap.servers", config.bootstrap_servers);
  if (!config.group_id.empty()) Set(conf, "group.id", config.group_id);
  Set(conf, "enable.auto.commit", "false");
  Set(conf, "enable.auto.offset.store", "false");
  Set(conf, "enable.partition.eof", "false");
  if (config.statistics_interval_ms > 0) {
    Set(conf, "statistics.interval.ms", std::to_string(config.statistics_interval_ms));
  }
  return conf;
}

void CheckConsumerConf(const KafkaSourceConfig& config) {
  rd_kafka_conf_destroy(MakeConsumerConf(config));
}

}  // namespace connectors
