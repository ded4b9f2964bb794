#include "tests/oracle/cdc_feed.h"

#include <librdkafka/rdkafka.h>

#include <stdexcept>

#include "connectors/mock_cluster.h"

namespace tributary_oracle {
namespace {

constexpr int kPartitions = 2;

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A PostgreSQL text value as Debezium writes it without a schema: integers and floats as
// JSON numbers, booleans as true/false, numerics as strings (decimal.handling.mode=string),
// dates, timestamps and text as strings.
std::string JsonValue(const Column& c, const tributary_test::Cell& cell) {
  if (!cell) return "null";
  const std::string& v = *cell;
  switch (c.kind) {
    case ColKind::kInt:
    case ColKind::kBigint:
      return v;
    case ColKind::kDouble:
      return v == "NaN" || v == "Infinity" || v == "-Infinity" ? JsonString(v) : v;
    case ColKind::kBool:
      return v == "t" ? "true" : "false";
    default:
      return JsonString(v);
  }
}

std::string RowJson(const Table& t, const tributary_test::Row& row) {
  std::string out = "{";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    out += (i ? "," : "") + JsonString(t.columns[i].name) + ":" + JsonValue(t.columns[i], row[i]);
  }
  return out + "}";
}

std::string Envelope(const Table& t, const char* op, const tributary_test::Row* before,
                     const tributary_test::Row* after) {
  return std::string("{\"before\":") + (before ? RowJson(t, *before) : "null") +
         ",\"after\":" + (after ? RowJson(t, *after) : "null") +
         ",\"source\":{\"connector\":\"postgresql\",\"db\":\"oracle\",\"schema\":\"public\","
         "\"table\":" +
         JsonString(t.name) + "},\"op\":\"" + op + "\",\"ts_ms\":0}";
}

}  // namespace

CdcFeed::CdcFeed() : cluster_(std::make_unique<connectors::MockCluster>(1)) {
  for (const Table& t : Tables()) {
    if (t.keyed) cluster_->CreateTopic(t.name, kPartitions);
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", cluster_->bootstrap_servers().c_str(), error,
                    sizeof(error));
  rd_kafka_conf_set(conf, "linger.ms", "1", error, sizeof(error));
  rd_kafka_conf_set(conf, "log_level", "2", error, sizeof(error));
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (!producer_) throw std::runtime_error(std::string("kafka producer: ") + error);
}

CdcFeed::~CdcFeed() {
  if (producer_) rd_kafka_destroy(producer_);
}

std::string CdcFeed::CreateSql(const Table& t) const {
  return t.CreateSql() + " WITH (connector='kafka', topic='" + t.name +
         "', properties.bootstrap.server='" + cluster_->bootstrap_servers() +
         "', scan.startup.mode='earliest') FORMAT DEBEZIUM ENCODE JSON";
}

long CdcFeed::produced(const std::string& table) const {
  auto it = produced_.find(table);
  return it == produced_.end() ? 0 : it->second;
}

int CdcFeed::Produce(const Table& t, const tributary_test::Rows& before,
                     const tributary_test::Rows& after) {
  std::map<std::string, const tributary_test::Row*> old_rows, new_rows;
  for (const auto& row : before) old_rows[*row[0]] = &row;
  for (const auto& row : after) new_rows[*row[0]] = &row;
  const bool initial = before.empty();
  int count = 0;
  auto send = [&](const std::string& id, const std::string& value) {
    const int32_t partition = static_cast<int32_t>(std::stol(id) % kPartitions);
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(t.name.c_str()),
        RD_KAFKA_V_PARTITION(partition < 0 ? -partition : partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(id.data(), id.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_END);
    if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
    ++count;
  };
  for (const auto& [id, row] : old_rows) {
    if (!new_rows.count(id)) send(id, Envelope(t, "d", row, nullptr));
  }
  for (const auto& [id, row] : new_rows) {
    auto old = old_rows.find(id);
    if (old == old_rows.end()) {
      send(id, Envelope(t, initial ? "r" : "c", nullptr, row));
    } else if (*old->second != *row) {
      send(id, Envelope(t, "u", old->second, row));
    }
  }
  if (rd_kafka_flush(producer_, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("kafka flush timed out");
  }
  produced_[t.name] += count;
  return count;
}

}  // namespace tributary_oracle
