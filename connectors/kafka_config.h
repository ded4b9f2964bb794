// KafkaSourceConfig: what a Kafka source needs to know, independent of the DDL dialect it
// was declared in (sql::SourceSpec is mapped onto it by server/), plus the librdkafka
// configuration it turns into.
//
// Contract:
// - `properties` are librdkafka properties passed through unchanged; a key written with the
//   DDL's "properties." or "property." prefix has the prefix stripped. They override the
//   source's own defaults (fetch.wait.max.ms=2, log_level=2, enable.auto.commit=false,
//   enable.partition.eof=false, auto.offset.reset=earliest, reconnect.backoff.max.ms=2000),
//   except enable.auto.commit and enable.partition.eof, which the source needs as they are.
// - MakeConsumerConf() throws ivm::Error (22023) naming the property librdkafka rejected.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

struct rd_kafka_conf_s;

namespace connectors {

// Where a partition without a stored offset starts. Stored offsets always win.
enum class StartupMode {
  kEarliest,         // the oldest message Kafka still has
  kLatest,           // only messages produced after the source starts
  kGroupOffsets,     // the group's committed offset (needs group_id); earliest without one
  kExplicitOffsets,  // KafkaSourceConfig::explicit_offsets; earliest for partitions not listed
};

// Accepts the spellings of all three dialects: earliest | earliest-offset | offset_beginning,
// latest | latest-offset | offset_end, group-offsets | group_offsets,
// specific-offsets | explicit-offsets. Case-insensitive. Throws ivm::Error (22023) otherwise.
StartupMode ParseStartupMode(std::string_view text);
const char* StartupModeName(StartupMode mode);

struct KafkaSourceConfig {
  std::string bootstrap_servers;
  std::string topic;
  std::string group_id;  // optional: needed for kGroupOffsets and CommitToGroup()
  StartupMode startup_mode = StartupMode::kEarliest;
  std::map<int32_t, int64_t> explicit_offsets;    // kExplicitOffsets: partition -> offset
  std::map<std::string, std::string> properties;  // librdkafka pass-through
  // How long Start() may block discovering partitions before it leaves the source in
  // kRetrying and lets Poll() retry.
  int start_timeout_ms = 2000;
  // Bounds of the source's retry backoff while the broker or topic is unavailable
  // (doubling from min to max).
  int retry_backoff_min_ms = 100;
  int retry_backoff_max_ms = 2000;
  // How often librdkafka reports statistics, used to notice that a broker is back while
  // the topic is idle. 0 disables (recovery is then noticed by the next message).
  int statistics_interval_ms = 500;
};

// A consumer configuration for `config` (caller owns the result; rd_kafka_new() takes it).
rd_kafka_conf_s* MakeConsumerConf(const KafkaSourceConfig& config);
// Throws as MakeConsumerConf() does when librdkafka rejects a property; builds nothing.
void CheckConsumerConf(const KafkaSourceConfig& config);

// Strips a leading "properties." or "property." from a DDL property key.
std::string LibrdkafkaPropertyName(std::string_view key);

}  // namespace connectors
