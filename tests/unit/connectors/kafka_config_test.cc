// KafkaSourceConfig helpers: startup-mode spellings of the three DDL dialects and the
// librdkafka configuration a source builds.
#include <librdkafka/rdkafka.h>
#include <catch2/catch.hpp>

#include <string>

#include "connectors/kafka_config.h"
#include "ivm/error.h"

using connectors::StartupMode;

namespace {

std::string Get(rd_kafka_conf_t* conf, const char* name) {
  char value[512];
  size_t size = sizeof(value);
  if (rd_kafka_conf_get(conf, name, value, &size) != RD_KAFKA_CONF_OK) return "<unknown>";
  return value;
}

}  // namespace

TEST_CASE("ParseStartupMode accepts every dialect's spelling") {
  CHECK(connectors::ParseStartupMode("earliest") == StartupMode::kEarliest);
  CHECK(connectors::ParseStartupMode("earliest-offset") == StartupMode::kEarliest);
  CHECK(connectors::ParseStartupMode("OFFSET_BEGINNING") == StartupMode::kEarliest);
  CHECK(connectors::ParseStartupMode("latest-offset") == StartupMode::kLatest);
  CHECK(connectors::ParseStartupMode("OFFSET_END") == StartupMode::kLatest);
  CHECK(connectors::ParseStartupMode("group-offsets") == StartupMode::kGroupOffsets);
  CHECK(connectors::ParseStartupMode("specific-offsets") == StartupMode::kExplicitOffsets);
  CHECK_THROWS_AS(connectors::ParseStartupMode("timestamp"), ivm::Error);
  CHECK(std::string(connectors::StartupModeName(StartupMode::kGroupOffsets)) == "group-offsets");
}

TEST_CASE("MakeConsumerConf passes properties through and keeps the source's own settings") {
  connectors::KafkaSourceConfig config;
  config.bootstrap_servers = "127.0.0.1:9092";
  config.topic = "t";
  config.group_id = "g";
  config.properties = {{"properties.fetch.wait.max.ms", "7"},
                       {"property.client.id", "mine"},
                       {"enable.auto.commit", "true"}};
  rd_kafka_conf_t* conf = connectors::MakeConsumerConf(config);
  CHECK(Get(conf, "fetch.wait.max.ms") == "7");
  CHECK(Get(conf, "client.id") == "mine");
  CHECK(Get(conf, "enable.auto.commit") == "false");
  CHECK(Get(conf, "enable.partition.eof") == "false");
  CHECK(Get(conf, "group.id") == "g");
  CHECK(Get(conf, "bootstrap.servers") == "127.0.0.1:9092");
  rd_kafka_conf_destroy(conf);

  config.properties = {{"properties.no.such.property", "1"}};
  try {
    connectors::MakeConsumerConf(config);
    FAIL("no error");
  } catch (const ivm::Error& e) {
    CHECK(e.sqlstate() == "22023");
    CHECK(e.message().find("no.such.property") != std::string::npos);
  }
  CHECK(connectors::LibrdkafkaPropertyName("properties.group.id") == "group.id");
  CHECK(connectors::LibrdkafkaPropertyName("security.protocol") == "security.protocol");
}
