// Binding of Kafka-fed table declarations in the three dialects users paste:
//   RisingWave: CREATE TABLE t (...) WITH (connector='kafka', topic='...',
//               properties.bootstrap.server='...') FORMAT DEBEZIUM ENCODE JSON
//   Flink:      CREATE TABLE t (..., PRIMARY KEY (id) NOT ENFORCED) WITH ('connector'='kafka',
//               'topic'='...', 'properties.bootstrap.servers'='...', 'format'='debezium-json')
//   StarRocks:  CREATE ROUTINE LOAD db.job ON t COLUMNS (...) PROPERTIES (...) FROM KAFKA (...)
// into one SourceSpec, with every option checked (22023 for a bad or unknown one, 0A000 for
// what is recognised but not supported).
#include <map>
#include <set>

#include "ivm/error.h"
#include "sql/binder.h"

namespace sql {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

namespace {

constexpr const char* kInvalidOption = "22023";  // invalid_parameter_value

// Options by key; each taken at most once, the rest reported as unknown.
class Options {
 public:
  explicit Options(const std::vector<AstOption>& options) {
    for (const AstOption& o : options) {
      if (!values_.emplace(o.key, o.value).second) {
        throw Error(kInvalidOption, "option '" + o.key + "' is given more than once");
      }
    }
  }
  std::optional<std::string> Take(std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
      auto it = values_.find(key);
      if (it == values_.end()) continue;
      std::string value = it->second;
      values_.erase(it);
      return value;
    }
    return std::nullopt;
  }
  std::string Require(std::initializer_list<const char*> keys, const char* what) {
    std::optional<std::string> v = Take(keys);
    if (!v || v->empty()) {
      throw Error(kInvalidOption, std::string("a Kafka table needs option '") + *keys.begin() + "'",
                  "", std::string("Give ") + what + ".");
    }
    return *v;
  }
  bool TakeBool(std::initializer_list<const char*> keys) {
    std::optional<std::string> v = Take(keys);
    if (!v) return false;
    if (*v == "true") return true;
    if (*v == "false") return false;
    throw Error(kInvalidOption,
                "option '" + std::string(*keys.begin()) + "' must be true or false");
  }
  // Keys starting with `prefix`, removed and returned without it.
  std::map<std::string, std::string> TakePrefix(const std::string& prefix) {
    std::map<std::string, std::string> out;
    for (auto it = values_.begin(); it != values_.end();) {
      if (it->first.rfind(prefix, 0) == 0) {
        out[it->first.substr(prefix.size())] = it->second;
        it = values_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }
  void RejectRest(const char* what) const {
    if (values_.empty()) return;
    throw Error(kInvalidOption, "unrecognized option '" + values_.begin()->first + "' for " + what);
  }

 private:
  std::map<std::string, std::string> values_;
};

std::string StartupMode(const std::string& mode) {
  if (mode == "earliest" || mode == "earliest-offset" || mode == "offset_beginning")
    return "earliest";
  if (mode == "latest" || mode == "latest-offset" || mode == "offset_end") return "latest";
  if (mode == "group-offsets") return "group-offsets";
  if (mode == "timestamp" || mode == "specific-offsets") {
    throw Error(sqlstate::kFeatureNotSupported,
                "scan.startup.mode '" + mode + "' is not supported yet");
  }
  throw Error(kInvalidOption, "unknown startup mode '" + mode + "'", "",
              "Use earliest, latest or group-offsets (Flink: earliest-offset, latest-offset).");
}

// Flink's 'format'/'value.format' names, or RisingWave's FORMAT ... ENCODE ... .
std::string FormatName(const std::string& name, bool upsert_connector) {
  if (name == "debezium-json" || name == "debezium") return "debezium";
  if (name == "canal-json" || name == "canal") return "canal";
  if (name == "maxwell-json" || name == "maxwell") return "maxwell";
  if (name == "upsert") return "upsert";
  if (name == "json" || name == "plain") return upsert_connector ? "upsert" : "plain";
  if (name.find("avro") != std::string::npos || name.find("protobuf") != std::string::npos) {
    throw Error(sqlstate::kFeatureNotSupported, "format '" + name + "' is not supported yet", "",
                "JSON formats are: debezium, canal, maxwell, upsert and plain.");
  }
  throw Error(kInvalidOption, "unknown format '" + name + "'");
}

// Flink METADATA keys (and RisingWave-style names) for Kafka and the JSON formats.
void CheckMetadataKey(const std::string& key) {
  static const std::set<std::string> kKeys = {"topic",
                                              "partition",
                                              "offset",
                                              "timestamp",
                                              "timestamp-type",
                                              "key",
                                              "value.source.database",
                                              "value.source.schema",
                                              "value.source.table",
                                              "value.source.timestamp",
                                              "value.ingestion-timestamp",
                                              "value.database",
                                              "value.table",
                                              "value.event-timestamp",
                                              "value.primary-key-columns",
                                              "value.schema"};
  if (!kKeys.count(key)) {
    throw Error(kInvalidOption, "unknown metadata key '" + key + "'", "",
                "Use topic, partition, offset, timestamp, or the format's value.* keys.");
  }
}

}  // namespace

// Flink's type names where they differ from PostgreSQL's (FLOAT is 4 bytes in Flink, 8 in
// PostgreSQL and RisingWave).
AstType FlinkType(AstType type, bool flink) {
  const std::string& n = type.name;
  if (n == "string") return {"text", {}};
  if (n == "double") return {"double precision", {}};
  if (n == "float" && flink) return {"real", {}};
  if (n == "tinyint") return {"smallint", {}};
  if (n == "timestamp_ltz") return {"timestamptz", {}};
  if (n == "timestamp") return {"timestamp", {}};  // TIMESTAMP(3): precision not kept
  if (n == "bytes" || n == "varbinary" || n == "binary" || n == "array" || n == "map" ||
      n == "row" || n == "multiset") {
    throw Error(sqlstate::kFeatureNotSupported, "type " + n + " is not supported yet");
  }
  return type;
}

SourceSpec BindSource(const CreateTableStmt& stmt, const RelationInfo& table) {
  Options options(stmt.options);
  SourceSpec spec;
  spec.connector = options.Require({"connector"}, "connector='kafka'");
  if (spec.connector != "kafka" && spec.connector != "upsert-kafka") {
    throw Error(sqlstate::kFeatureNotSupported,
                "connector '" + spec.connector + "' is not supported", "",
                "Tributary reads Kafka: connector 'kafka' or 'upsert-kafka'.");
  }
  bool upsert = spec.connector == "upsert-kafka";
  spec.topic = options.Require({"topic"}, "the topic to read, topic='...'");
  spec.bootstrap_servers = options.Require(
      {"properties.bootstrap.servers", "properties.bootstrap.server"}, "the brokers");
  if (auto group = options.Take({"properties.group.id"})) spec.group_id = *group;
  if (auto mode = options.Take({"scan.startup.mode"})) spec.startup_mode = StartupMode(*mode);

  std::optional<std::string> flink_format = options.Take({"format", "value.format"});
  if (!stmt.format.empty()) {
    if (flink_format)
      throw Error(kInvalidOption, "give the format either in FORMAT ... or as 'format', not both");
    if (stmt.encode != "json") {
      throw Error(sqlstate::kFeatureNotSupported, "ENCODE " + stmt.encode + " is not supported yet",
                  "", "Use ENCODE JSON.");
    }
    spec.format = FormatName(stmt.format, upsert);
  } else if (flink_format) {
    spec.format = FormatName(*flink_format, upsert);
  } else {
    throw Error(kInvalidOption, "a Kafka table needs a format", "",
                "Add FORMAT DEBEZIUM ENCODE JSON, or 'format'='debezium-json'.");
  }
  if (auto key_format = options.Take({"key.format"})) {
    if (*key_format != "json") {
      throw Error(sqlstate::kFeatureNotSupported,
                  "key.format '" + *key_format + "' is not supported yet");
    }
  }
  spec.schema_include = options.TakeBool({"debezium-json.schema-include"});
  if (auto db = options.Take({"canal-json.database.include"})) spec.database_include = *db;
  if (auto t = options.Take({"canal-json.table.include"})) spec.table_include = *t;
  for (const char* key : {"json.ignore-parse-errors", "debezium-json.ignore-parse-errors",
                          "canal-json.ignore-parse-errors", "maxwell-json.ignore-parse-errors"}) {
    spec.ignore_parse_errors = options.TakeBool({key}) || spec.ignore_parse_errors;
  }
  if (auto on_error = options.Take({"on.error"})) {
    if (*on_error != "stop" && *on_error != "skip") {
      throw Error(kInvalidOption, "option 'on.error' must be 'skip' or 'stop'");
    }
    spec.stop_on_error = *on_error == "stop";
  }
  options.Take({"value.fields-include", "key.fields", "properties.auto.offset.reset"});
  spec.properties = options.TakePrefix("properties.");
  options.RejectRest("a Kafka table");

  if (spec.format == "upsert" && table.primary_key.empty()) {
    throw Error(sqlstate::kInvalidTableDefinition, "an upsert source needs a PRIMARY KEY", "",
                "Declare the key the messages are keyed by, e.g. PRIMARY KEY (id) NOT ENFORCED.");
  }
  for (size_t i = 0; i < stmt.columns.size(); ++i) {
    const AstColumnDef& c = stmt.columns[i];
    if (!c.metadata) continue;
    std::string key = c.metadata_key.empty() ? c.name : c.metadata_key;
    CheckMetadataKey(key);
    spec.metadata.emplace_back(static_cast<int>(i), key);
  }
  for (const std::string& w : stmt.watermark_columns) {
    if (table.FindColumn(w) < 0) {
      throw Error(sqlstate::kUndefinedColumn,
                  "column \"" + w + "\" named in WATERMARK does not exist");
    }
  }
  return spec;
}

RelationInfo Binder::BindRoutineLoad(const CreateRoutineLoadStmt& stmt) {
  RelationInfo table = LookupRelation(stmt.table);
  if (!table.is_table()) {
    throw Error(sqlstate::kWrongObjectType, "\"" + table.name + "\" is not a table");
  }
  if (!table.source.empty()) {
    throw Error("42710", "table \"" + table.name + "\" is already fed by a source");
  }
  SourceSpec& spec = table.source;
  spec.connector = "kafka";
  spec.job = stmt.job.name;
  spec.format = "plain";
  for (const std::string& name : stmt.columns) {
    if (name == "__op") {  // StarRocks' upsert/delete flag, not a column of the table
      spec.load_columns.push_back(-1);
      continue;
    }
    int index = table.FindColumn(name);
    if (index < 0) {
      throw Error(sqlstate::kUndefinedColumn,
                  "column \"" + name + "\" of relation \"" + table.name + "\" does not exist");
    }
    spec.load_columns.push_back(index);
  }
  Options properties(stmt.properties);
  std::string format = properties.Take({"format"}).value_or("json");
  if (format != "json") {
    throw Error(sqlstate::kFeatureNotSupported,
                "routine load format '" + format + "' is not supported yet");
  }
  if (auto paths = properties.Take({"jsonpaths"})) {
    // A JSON array of strings: ["$.a", "$.b"].
    std::string path;
    bool in_string = false;
    for (char c : *paths) {
      if (c == '"') {
        if (in_string) spec.jsonpaths.push_back(path);
        path.clear();
        in_string = !in_string;
      } else if (in_string) {
        path.push_back(c);
      }
    }
    if (spec.jsonpaths.size() != spec.load_columns.size()) {
      throw Error(kInvalidOption, "jsonpaths has " + std::to_string(spec.jsonpaths.size()) +
                                      " paths for " + std::to_string(spec.load_columns.size()) +
                                      " COLUMNS");
    }
  }
  // A message holding a JSON array of rows, and rows below a path inside the message.
  spec.strip_outer_array = properties.TakeBool({"strip_outer_array"});
  if (auto root = properties.Take({"json_root"})) spec.json_root = *root;
  // Tuning knobs of StarRocks' own scheduler: accepted, Tributary batches by itself.
  properties.Take({"desired_concurrent_number"});
  properties.Take({"max_batch_interval"});
  properties.Take({"max_batch_rows"});
  properties.Take({"max_error_number"});
  properties.Take({"timezone"});
  properties.RejectRest("a routine load");

  Options kafka(stmt.kafka);
  spec.bootstrap_servers = kafka.Require({"kafka_broker_list"}, "\"kafka_broker_list\"");
  spec.topic = kafka.Require({"kafka_topic"}, "\"kafka_topic\"");
  if (auto offsets = kafka.Take({"property.kafka_default_offsets"})) {
    std::string lower;
    for (char c : *offsets)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    spec.startup_mode = StartupMode(lower);
  }
  if (auto group = kafka.Take({"property.group.id"})) spec.group_id = *group;
  if (kafka.Take({"kafka_partitions"}) || kafka.Take({"kafka_offsets"})) {
    throw Error(sqlstate::kFeatureNotSupported,
                "kafka_partitions and kafka_offsets are not supported yet");
  }
  spec.properties = kafka.TakePrefix("property.");
  kafka.RejectRest("FROM KAFKA");
  return table;
}

}  // namespace sql
