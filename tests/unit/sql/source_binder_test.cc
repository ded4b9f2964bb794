// Kafka-fed table declarations in the three dialects users paste, bound into one SourceSpec.
#include <catch2/catch.hpp>

#include "ivm/error.h"
#include "sql/binder.h"
#include "sql/parser.h"

namespace {

sql::RelationInfo BindTable(const std::string& text, const sql::Catalog& catalog = {}) {
  auto parsed = sql::ParseScript(text);
  return sql::Binder(catalog).BindCreateTable(std::get<sql::CreateTableStmt>(parsed[0].statement));
}

std::string ErrorOf(const std::string& text) {
  try {
    BindTable(text);
  } catch (const ivm::Error& e) {
    return e.sqlstate();
  }
  return "";
}

}  // namespace

TEST_CASE("RisingWave style: WITH options and FORMAT ... ENCODE JSON") {
  sql::RelationInfo t = BindTable(
      "CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR, weight REAL) WITH ("
      "connector='kafka', topic='dbserver1.inventory.products', "
      "properties.bootstrap.server='127.0.0.1:9092', scan.startup.mode='earliest') "
      "FORMAT DEBEZIUM ENCODE JSON");
  CHECK(t.source.connector == "kafka");
  CHECK(t.source.topic == "dbserver1.inventory.products");
  CHECK(t.source.bootstrap_servers == "127.0.0.1:9092");
  CHECK(t.source.startup_mode == "earliest");
  CHECK(t.source.format == "debezium");
  CHECK(t.columns[2].type.id == ivm::TypeId::kFloat32);
}

TEST_CASE("Flink style: quoted options, Flink types, NOT ENFORCED, METADATA and WATERMARK") {
  sql::RelationInfo t = BindTable(
      "CREATE TABLE orders_src (order_id INT, order_revenue DOUBLE, order_region STRING, "
      "customer_id INT, ratio FLOAT, ts TIMESTAMP(3), "
      "origin_topic STRING METADATA FROM 'topic' VIRTUAL, "
      "origin_table STRING METADATA FROM 'value.source.table' VIRTUAL, "
      "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, "
      "PRIMARY KEY (order_id) NOT ENFORCED) WITH ('connector' = 'kafka', 'topic' = 'ods_order', "
      "'properties.bootstrap.servers' = '127.0.0.1:9092', 'properties.group.id' = 'g1', "
      "'scan.startup.mode' = 'group-offsets', 'format' = 'debezium-json', "
      "'debezium-json.schema-include' = 'true', 'json.ignore-parse-errors' = 'true', "
      "'properties.fetch.min.bytes' = '1')");
  CHECK(t.primary_key == std::vector<int>{0});
  CHECK(t.columns[1].type.id == ivm::TypeId::kFloat64);  // DOUBLE
  CHECK(t.columns[2].type.id == ivm::TypeId::kText);     // STRING
  CHECK(t.columns[4].type.id == ivm::TypeId::kFloat32);  // Flink FLOAT is 4 bytes
  CHECK(t.columns[5].type.id == ivm::TypeId::kTimestamp);
  CHECK(t.source.group_id == "g1");
  CHECK(t.source.startup_mode == "group-offsets");
  CHECK(t.source.schema_include);
  CHECK(t.source.ignore_parse_errors);
  CHECK(t.source.properties.at("fetch.min.bytes") == "1");
  REQUIRE(t.source.metadata.size() == 2);
  CHECK(t.source.metadata[0] == std::make_pair(6, std::string("topic")));
  CHECK(t.source.metadata[1] == std::make_pair(7, std::string("value.source.table")));
}

TEST_CASE("Flink upsert-kafka and Canal filters") {
  sql::RelationInfo u = BindTable(
      "CREATE TABLE c (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
      "'connector'='upsert-kafka', 'topic'='c', 'properties.bootstrap.servers'='b:1', "
      "'key.format'='json', 'value.format'='json')");
  CHECK(u.source.format == "upsert");
  sql::RelationInfo canal = BindTable(
      "CREATE TABLE p (id INT, name STRING) WITH ('connector'='kafka', 'topic'='p', "
      "'properties.bootstrap.servers'='b:1', 'format'='canal-json', "
      "'canal-json.database.include'='^my.*', 'canal-json.table.include'='^prod.*')");
  CHECK(canal.source.format == "canal");
  CHECK(canal.source.database_include == "^my.*");
  CHECK(canal.source.table_include == "^prod.*");
}

TEST_CASE("StarRocks routine load, as written in SCENARIOS.md") {
  sql::Catalog catalog;
  sql::RelationInfo orders = BindTable(
      "CREATE TABLE orders (order_id int primary key, order_revenue double precision, "
      "order_region varchar(40), customer_id int)");
  orders.id = 1;
  catalog.Put(orders);
  auto parsed = sql::ParseScript(R"(CREATE ROUTINE LOAD shop.load_orders ON orders
COLUMNS (order_id, order_revenue, order_region, customer_id)
PROPERTIES ("format" = "json",
            "jsonpaths" = "[\"$.order_id\",\"$.order_revenue\",\"$.order_region\",\"$.customer_id\"]")
FROM KAFKA ("kafka_broker_list" = "127.0.0.1:9092", "kafka_topic" = "ods_order",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING"))");
  sql::RelationInfo t = sql::Binder(catalog).BindRoutineLoad(
      std::get<sql::CreateRoutineLoadStmt>(parsed[0].statement));
  CHECK(t.source.job == "load_orders");
  CHECK(t.source.topic == "ods_order");
  CHECK(t.source.bootstrap_servers == "127.0.0.1:9092");
  CHECK(t.source.startup_mode == "earliest");
  CHECK(t.source.format == "plain");
  CHECK(t.source.jsonpaths == std::vector<std::string>{"$.order_id", "$.order_revenue",
                                                       "$.order_region", "$.customer_id"});
  CHECK(t.source.load_columns == std::vector<int>{0, 1, 2, 3});
  auto show = sql::ParseScript("SHOW ROUTINE LOAD; PAUSE ROUTINE LOAD FOR shop.load_orders");
  CHECK(std::get<sql::RoutineLoadControlStmt>(show[1].statement).action ==
        sql::RoutineLoadControlStmt::Action::kPause);
}

TEST_CASE("bad source declarations say what is wrong") {
  const std::string cols = "CREATE TABLE t (id INT, v TEXT) ";
  CHECK(
      ErrorOf(
          cols +
          "WITH (connector='kafka', properties.bootstrap.server='b:1') FORMAT PLAIN ENCODE JSON") ==
      "22023");  // no topic
  CHECK(ErrorOf(cols + "WITH (connector='kafka', topic='t', properties.bootstrap.server='b:1')") ==
        "22023");  // no format
  CHECK(ErrorOf(cols + "WITH (connector='kafka', topic='t', properties.bootstrap.server='b:1', "
                       "colour='blue') FORMAT PLAIN ENCODE JSON") == "22023");  // unknown option
  CHECK(ErrorOf(cols + "WITH (connector='kafka', topic='t', properties.bootstrap.server='b:1') "
                       "FORMAT DEBEZIUM ENCODE AVRO") == "0A000");
  CHECK(ErrorOf(cols + "WITH (connector='pulsar', topic='t', properties.bootstrap.server='b:1') "
                       "FORMAT PLAIN ENCODE JSON") == "0A000");
  CHECK(ErrorOf(cols + "WITH (connector='kafka', topic='t', properties.bootstrap.server='b:1') "
                       "FORMAT UPSERT ENCODE JSON") == "42P16");  // upsert needs a key
  CHECK(ErrorOf("CREATE TABLE t (id INT, x TEXT METADATA FROM 'colour') WITH ('connector'='kafka', "
                "'topic'='t', 'properties.bootstrap.servers'='b:1', 'format'='json')") == "22023");
  CHECK(ErrorOf("CREATE TABLE t (id INT, x TEXT METADATA)") == "42P16");  // no connector
}
