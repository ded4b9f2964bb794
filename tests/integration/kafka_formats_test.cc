// Kafka-fed tables end to end: every CDC fixture in tests/fixtures/cdc/ through the
// dialects that fit it (RisingWave FORMAT ... ENCODE JSON with REAL weights, Flink
// 'format'='...-json' with DECIMAL(10,3) weights), checked against the final table states
// and SUM(weight) BY name stated in tests/fixtures/cdc/README.md; metadata columns; and a
// restart that resumes from the stored offsets. (Upsert, plain JSON, several partitions and
// topics: kafka_topics_test.cc.)
#include <algorithm>
#include <map>
#include <set>

#include "tests/integration/kafka_harness.h"

using namespace tributary_it;

namespace {

// ---- expectations from tests/fixtures/cdc/README.md -----------------------------------------

// Final `products` after the Debezium files (README table A), weights as the shortest
// float text PostgreSQL prints for REAL.
const Rows kDebeziumFinal = {
    {"101", "scooter", "Small 2-wheel scooter", "3.14"},
    {"102", "car battery", "12V car battery", "8.1"},
    {"103", "12-pack drill bits", "12-pack of drill bits with sizes ranging from #40 to #3", "0.8"},
    {"104", "hammer", "12oz carpenter's hammer", "0.75"},
    {"105", "hammer", "14oz carpenter's hammer", "0.875"},
    {"106", "hammer", "18oz carpenter hammer", "1"},
    {"107", "rocks", "box of assorted rocks", "5.1"},
    {"108", "jacket", "water resistent black wind breaker", "0.1"},
    {"109", "spare tire", "24 inch spare tire", "22.2"},
    {"110", "jacket", "new water resistent white wind breaker", "0.5"},
};
// SUM(weight) BY name after the Debezium files, ordered by name (byte-wise).
const Rows kDebeziumSums = {
    {"12-pack drill bits", "0.800"},
    {"car battery", "8.100"},
    {"hammer", "2.625"},
    {"jacket", "0.600"},
    {"rocks", "5.100"},
    {"scooter", "3.140"},
    {"spare tire", "22.200"},
};
// Final `products` after Canal and Maxwell (README C): 101 reweighed, 102 and 103 deleted.
const Rows kCanalFinal = {
    {"101", "scooter", "Small 2-wheel scooter", "5.17"},
    {"104", "hammer", "12oz carpenter's hammer", "0.75"},
    {"105", "hammer", "14oz carpenter's hammer", "0.875"},
    {"106", "hammer", "18oz carpenter hammer", "1"},
    {"107", "rocks", "box of assorted rocks", "5.1"},
    {"108", "jacket", "water resistent black wind breaker", "0.1"},
    {"109", "spare tire", "24 inch spare tire", "22.2"},
    {"110", "jacket", "new water resistent white wind breaker", "0.5"},
};
const Rows kCanalSums = {
    {"hammer", "2.625"},  {"jacket", "0.600"},      {"rocks", "5.100"},
    {"scooter", "5.170"}, {"spare tire", "22.200"},
};

// "3.14" -> "3.140", "1" -> "1.000": a weight as DECIMAL(10,3) prints it.
std::string Dec3(const std::string& shortest) {
  std::string s = shortest;
  auto dot = s.find('.');
  if (dot == std::string::npos) {
    s += ".";
    dot = s.size() - 1;
  }
  while (s.size() - dot - 1 < 3) s += "0";
  return s;
}

// `rows` with the weight (last column) as DECIMAL(10,3) text.
Rows WithDecimalWeights(Rows rows) {
  for (auto& r : rows) r.back() = Dec3(r.back());
  return rows;
}

// ---- the two dialects -------------------------------------------------------------------------

enum class Dialect { kRisingWave, kFlink };

const char* DialectName(Dialect d) { return d == Dialect::kRisingWave ? "RisingWave" : "Flink"; }

// CREATE TABLE `table` for the products fixtures. `format` is the CDC format's short name
// (debezium, canal, maxwell); `flink_extra` adds Flink options.
std::string ProductsDdl(Dialect dialect, const std::string& table, const std::string& format,
                        const std::string& topic, const std::string& bootstrap,
                        const std::string& flink_extra = "") {
  if (dialect == Dialect::kRisingWave) {
    std::string upper = format;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    return "CREATE TABLE " + table +
           " (id INT PRIMARY KEY, name VARCHAR, description VARCHAR, weight REAL) " +
           RisingWaveWith(topic, bootstrap) + " FORMAT " + upper + " ENCODE JSON";
  }
  return "CREATE TABLE " + table +
         " (id INT, name STRING, description STRING, weight DECIMAL(10,3), "
         "PRIMARY KEY (id) NOT ENFORCED) " +
         FlinkWith(topic, bootstrap, format + "-json", flink_extra);
}

// SUM(weight) BY name; REAL weights are summed as DECIMAL(10,3) so that the totals are
// exact whatever order the changes were folded in.
std::string SumsViewDdl(Dialect dialect, const std::string& view, const std::string& table) {
  const std::string weight = dialect == Dialect::kRisingWave ? "weight::numeric(10,3)" : "weight";
  return "CREATE MATERIALIZED VIEW " + view + " AS SELECT name, sum(" + weight +
         ") AS total FROM " + table + " GROUP BY name";
}

Rows ExpectedFinal(Dialect dialect, const Rows& rows) {
  return dialect == Dialect::kRisingWave ? rows : WithDecimalWeights(rows);
}

// One fixture file through both dialects at once: a topic per dialect, a table and a
// SUM(weight) view per dialect, all in one server.
struct FixtureRun {
  std::string fixture;
  std::string format;  // debezium, canal, maxwell
  Rows final_rows;     // REAL weights
  Rows sums;
  std::string flink_extra;  // extra Flink options
};

void RunFixtureThroughBothDialects(const FixtureRun& run) {
  const std::vector<std::string> messages = FixtureMessages(run.fixture);
  MockKafka kafka({{"t_rw", 1}, {"t_fl", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(ProductsDdl(Dialect::kRisingWave, "products_rw", run.format, "t_rw", kafka.bootstrap()));
  c.Exec(ProductsDdl(Dialect::kFlink, "products_fl", run.format, "t_fl", kafka.bootstrap(),
                     run.flink_extra));
  c.Exec(SumsViewDdl(Dialect::kRisingWave, "sums_rw", "products_rw"));
  c.Exec(SumsViewDdl(Dialect::kFlink, "sums_fl", "products_fl"));
  kafka.ProduceValues("t_rw", 0, messages);
  kafka.ProduceValues("t_fl", 0, messages);

  for (Dialect d : {Dialect::kRisingWave, Dialect::kFlink}) {
    const std::string suffix = d == Dialect::kRisingWave ? "_rw" : "_fl";
    INFO(DialectName(d) << " dialect, " << run.fixture);
    CHECK_ROWS(
        WaitForRows(c,
                    "select id, name, description, weight from products" + suffix + " order by id",
                    ExpectedFinal(d, run.final_rows)),
        ExpectedFinal(d, run.final_rows));
    CHECK_ROWS(c.Exec("select name, total from sums" + suffix + " order by name"), run.sums);
    CheckCleanSource(c, "products" + suffix, "t" + suffix, run.format + "-json",
                     static_cast<long>(messages.size()));
    CheckVerifyOk(c, "sums" + suffix);
  }
}

}  // namespace

TEST_CASE("kcat round trip: keyed, NULL and empty records reach the mock in order",
          "[kafka][harness]") {
  MockKafka kafka({{"rt", 2}});
  const std::string json = R"({"a":"x:y|z","b":[1,2],"c":"tab	and\nescape"})";
  kafka.Produce("rt", 1,
                {Value(json), Keyed(R"({"id":1})", "v1"), Tombstone(R"({"id":1})"), Value(""),
                 Keyed("k", ""), Value("last")});
  std::vector<std::string> values = kafka.ConsumeValues("rt", 1);
  // The NULL value and the two empty ones all print as empty lines.
  CHECK(values == std::vector<std::string>{json, "v1", "", "", "", "last"});
  CHECK(kafka.ConsumeValues("rt", 0).empty());
  CHECK(FixtureMessages("cdc/debezium-data-schema-exclude.txt").size() == 16);
  CHECK(FixtureMessages("cdc/canal-data.txt").size() == 11);
  CHECK(FixtureMessages("cdc/maxwell-data.txt").size() == 20);
  CHECK(ParseOffsets("0:5,1:7") == std::vector<std::pair<long, long>>{{0, 5}, {1, 7}});
  CHECK(ParseOffsets(R"({"0":"16","1":3})") == std::vector<std::pair<long, long>>{{0, 16}, {1, 3}});
}

TEST_CASE("debezium-data-schema-exclude.txt through both dialects", "[kafka][debezium]") {
  RunFixtureThroughBothDialects(
      {"cdc/debezium-data-schema-exclude.txt", "debezium", kDebeziumFinal, kDebeziumSums, ""});
}

TEST_CASE("debezium-data-schema-include.txt through both dialects", "[kafka][debezium]") {
  // RisingWave recognises the {"schema":...,"payload":...} envelope by itself; Flink is told.
  RunFixtureThroughBothDialects({"cdc/debezium-data-schema-include.txt", "debezium", kDebeziumFinal,
                                 kDebeziumSums, "'debezium-json.schema-include'='true'"});
}

TEST_CASE("debezium-postgres-data-schema-exclude.txt through both dialects", "[kafka][debezium]") {
  RunFixtureThroughBothDialects({"cdc/debezium-postgres-data-schema-exclude.txt", "debezium",
                                 kDebeziumFinal, kDebeziumSums, ""});
}

TEST_CASE("Flink metadata columns: topic, value.source.table, partition and offset",
          "[kafka][debezium][metadata]") {
  const std::vector<std::string> messages = FixtureMessages("cdc/debezium-data-schema-exclude.txt");
  MockKafka kafka({{"changelog_topic", 1}});
  kafka.ProduceValues("changelog_topic", 0, messages);
  TestServer server;
  Connection c(server);
  // As in Flink's KafkaChangelogTableITCase.testKafkaDebeziumChangelogSource.
  c.Exec(
      "CREATE TABLE products (origin_topic STRING METADATA FROM 'topic' VIRTUAL, "
      "origin_table STRING METADATA FROM 'value.source.table' VIRTUAL, "
      "id INT, name STRING, description STRING, weight DECIMAL(10,3), "
      "part INT METADATA FROM 'partition', off BIGINT METADATA FROM 'offset', "
      "PRIMARY KEY (id) NOT ENFORCED) " +
      FlinkWith("changelog_topic", kafka.bootstrap(), "debezium-json"));
  c.Exec(
      "CREATE MATERIALIZED VIEW sums AS SELECT origin_topic, origin_table, name, sum(weight) "
      "AS total FROM products GROUP BY origin_topic, origin_table, name");
  CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from products order by id",
                         WithDecimalWeights(kDebeziumFinal)),
             WithDecimalWeights(kDebeziumFinal));
  // Each row carries the offset of the message that last wrote it: 101..109 are the
  // snapshot (offsets 0..8), 106 and 107 were updated at 9 and 10, 110 at 13.
  const std::map<std::string, std::string> offset_of = {
      {"101", "0"}, {"102", "1"},  {"103", "2"}, {"104", "3"}, {"105", "4"},
      {"106", "9"}, {"107", "10"}, {"108", "7"}, {"109", "8"}, {"110", "13"}};
  Rows expected_meta;
  for (const auto& [id, off] : offset_of) {
    expected_meta.push_back({id, "changelog_topic", "products", "0", off});
  }
  CHECK_ROWS(c.Exec("select id, origin_topic, origin_table, part, off from products order by id"),
             expected_meta);
  Rows expected_sums;
  for (const auto& r : kDebeziumSums) {
    expected_sums.push_back({"changelog_topic", "products", r[0], r[1]});
  }
  CHECK_ROWS(c.Exec("select origin_topic, origin_table, name, total from sums order by name"),
             expected_sums);
  CheckCleanSource(c, "products", "changelog_topic", "debezium-json", 16);
  // The system relations live in pg_catalog and are also found qualified.
  CHECK(c.Scalar("select messages from pg_catalog.tributary_sources where name = 'products'") ==
        "16");
  CHECK(c.Scalar("select count(*) from pg_catalog.tributary_source_errors") == "0");
  CheckVerifyOk(c, "sums");
}

TEST_CASE(
    "debezium-postgres-data-replica-identity.txt: updates upsert by key, the keyless "
    "delete is an error",
    "[kafka][debezium]") {
  const std::vector<std::string> messages =
      FixtureMessages("cdc/debezium-postgres-data-replica-identity.txt");
  REQUIRE(messages.size() == 16);
  MockKafka kafka({{"t_rw", 1}, {"t_fl", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(ProductsDdl(Dialect::kRisingWave, "products_rw", "debezium", "t_rw", kafka.bootstrap()));
  c.Exec(ProductsDdl(Dialect::kFlink, "products_fl", "debezium", "t_fl", kafka.bootstrap()));
  c.Exec(SumsViewDdl(Dialect::kRisingWave, "sums_rw", "products_rw"));
  c.Exec(SumsViewDdl(Dialect::kFlink, "sums_fl", "products_fl"));
  kafka.ProduceValues("t_rw", 0, messages);
  kafka.ProduceValues("t_fl", 0, messages);

  // Updates without a before-image are upserts of `after` by key, so every update lands;
  // the final delete has neither before nor after, hence no key: 111 stays, as last updated.
  Rows final_rows = kDebeziumFinal;
  final_rows.push_back({"111", "scooter", "Big 2-wheel scooter ", "5.17"});
  Rows sums = kDebeziumSums;
  for (auto& r : sums) {
    if (r[0] == "scooter") r[1] = "8.310";  // 3.14 + 5.17
  }
  for (Dialect d : {Dialect::kRisingWave, Dialect::kFlink}) {
    const std::string suffix = d == Dialect::kRisingWave ? "_rw" : "_fl";
    const std::string name = "products" + suffix;
    INFO(DialectName(d) << " dialect");
    CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from " + name + " order by id",
                           ExpectedFinal(d, final_rows)),
               ExpectedFinal(d, final_rows));
    CHECK_ROWS(c.Exec("select name, total from sums" + suffix + " order by name"), sums);
    SourceStatus s = WaitForMessages(c, name, 16);
    INFO(s.Describe());
    CHECK(s.status == "running");  // on.error defaults to skip
    CHECK(s.offsets == "0:16");
    CHECK(s.errors == "1");
    CHECK(s.last_error != kNull);
    Rows errors = c.Exec(
        "select source, topic, partition, \"offset\", error, sqlstate, payload "
        "from tributary_source_errors where source = " +
        SqlQuote(name));
    INFO("tributary_source_errors:\n" << FormatRows(errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0][1] == "t" + suffix);
    CHECK(errors[0][2] == "0");
    CHECK(errors[0][3] == "15");
    std::string error_text = errors[0][4];
    std::transform(error_text.begin(), error_text.end(), error_text.begin(), ::toupper);
    CHECK(error_text.find("REPLICA IDENTITY") != std::string::npos);
    CHECK(errors[0][5].size() == 5);
    CHECK(messages[15].rfind(errors[0][6], 0) == 0);  // a prefix of the message
    CHECK(errors[0][6].size() == std::min<size_t>(256, messages[15].size()));
    CheckVerifyOk(c, "sums" + suffix);
  }
}

TEST_CASE("canal-data.txt through both dialects", "[kafka][canal]") {
  RunFixtureThroughBothDialects({"cdc/canal-data.txt", "canal", kCanalFinal, kCanalSums, ""});
}

TEST_CASE("variants/canal-data.7efdf0da.txt through both dialects", "[kafka][canal]") {
  RunFixtureThroughBothDialects(
      {"cdc/variants/canal-data.7efdf0da.txt", "canal", kCanalFinal, kCanalSums, ""});
}

TEST_CASE("maxwell-data.txt through both dialects", "[kafka][maxwell]") {
  RunFixtureThroughBothDialects({"cdc/maxwell-data.txt", "maxwell", kCanalFinal, kCanalSums, ""});
}

TEST_CASE("Canal: a null in the insert and in old means NULL, not unchanged", "[kafka][canal]") {
  // canal-data.txt (newer): the snapshot INSERT gives 106 description null; the UPDATE's
  // old is [{"description": null}] and its data sets "18oz carpenter hammer".
  const std::vector<std::string> messages = FixtureMessages("cdc/canal-data.txt");
  MockKafka kafka({{"canal", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(ProductsDdl(Dialect::kFlink, "products", "canal", "canal", kafka.bootstrap()));
  kafka.ProduceValues("canal", 0, {messages[0]});
  Rows snapshot = {
      {"101", "scooter", "Small 2-wheel scooter", "3.140"},
      {"102", "car battery", "12V car battery", "8.100"},
      {"103", "12-pack drill bits", "12-pack of drill bits with sizes ranging from #40 to #3",
       "0.800"},
      {"104", "hammer", "12oz carpenter's hammer", "0.750"},
      {"105", "hammer", "14oz carpenter's hammer", "0.875"},
      {"106", "hammer", kNull, "1.000"},
      {"107", "rocks", "box of assorted rocks", "5.300"},
      {"108", "jacket", "water resistent black wind breaker", "0.100"},
      {"109", "spare tire", "24 inch spare tire", "22.200"},
  };
  CHECK_ROWS(
      WaitForRows(c, "select id, name, description, weight from products order by id", snapshot),
      snapshot);
  kafka.ProduceValues("canal", 0, {messages[1]});
  CHECK_ROWS(WaitForRows(c, "select id, description from products where id = 106",
                         {{"106", "18oz carpenter hammer"}}),
             (Rows{{"106", "18oz carpenter hammer"}}));
  kafka.ProduceValues("canal", 0, std::vector<std::string>(messages.begin() + 2, messages.end()));
  CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from products order by id",
                         WithDecimalWeights(kCanalFinal)),
             WithDecimalWeights(kCanalFinal));
  // The DDL message (isDdl) is skipped, not an error.
  CheckCleanSource(c, "products", "canal", "canal-json", 11);
}

TEST_CASE("canal-data-filter-table.txt with regular-expression and exact-name filters",
          "[kafka][canal]") {
  // The file mixes mydb.product (the scenario), mydb.orders and mydb.project (ids "A101"
  // that no INT accepts): only product may reach the table, and the rest is no error.
  const std::vector<std::string> messages = FixtureMessages("cdc/canal-data-filter-table.txt");
  REQUIRE(messages.size() == 16);
  MockKafka kafka({{"mixed", 1}});
  kafka.ProduceValues("mixed", 0, messages);
  TestServer server;
  Connection c(server);
  c.Exec(
      "CREATE TABLE products_re (id INT, name STRING, description STRING, weight DECIMAL(10,3), "
      "origin_database STRING METADATA FROM 'value.database' VIRTUAL, "
      "origin_table STRING METADATA FROM 'value.table' VIRTUAL, "
      "PRIMARY KEY (id) NOT ENFORCED) " +
      FlinkWith("mixed", kafka.bootstrap(), "canal-json",
                "'canal-json.database.include'='^my.*', 'canal-json.table.include'='^prod.*'"));
  c.Exec(ProductsDdl(Dialect::kFlink, "products_exact", "canal", "mixed", kafka.bootstrap(),
                     "'canal-json.database.include'='mydb', 'canal-json.table.include'='product'"));
  c.Exec(SumsViewDdl(Dialect::kFlink, "sums_re", "products_re"));
  for (const std::string table : {"products_re", "products_exact"}) {
    INFO("table " << table);
    CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from " + table + " order by id",
                           WithDecimalWeights(kCanalFinal)),
               WithDecimalWeights(kCanalFinal));
    CheckCleanSource(c, table, "mixed", "canal-json", 16);
  }
  CHECK_ROWS(c.Exec("select name, total from sums_re order by name"), kCanalSums);
  CHECK_ROWS(c.Exec("select distinct origin_database, origin_table from products_re"),
             (Rows{{"mydb", "product"}}));
  CheckVerifyOk(c, "sums_re");
}

TEST_CASE("variants/canal-data-filter-table.adda5625.txt with exact-name filters",
          "[kafka][canal]") {
  const std::vector<std::string> messages =
      FixtureMessages("cdc/variants/canal-data-filter-table.adda5625.txt");
  REQUIRE(messages.size() == 14);
  MockKafka kafka({{"mixed", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(ProductsDdl(Dialect::kFlink, "products", "canal", "mixed", kafka.bootstrap(),
                     "'canal-json.database.include'='mydb', 'canal-json.table.include'='product'"));
  c.Exec(SumsViewDdl(Dialect::kFlink, "sums", "products"));
  kafka.ProduceValues("mixed", 0, messages);
  CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from products order by id",
                         WithDecimalWeights(kCanalFinal)),
             WithDecimalWeights(kCanalFinal));
  CHECK_ROWS(c.Exec("select name, total from sums order by name"), kCanalSums);
  CheckCleanSource(c, "products", "mixed", "canal-json", 14);
}

TEST_CASE("Maxwell metadata columns: value.database and value.table", "[kafka][maxwell]") {
  MockKafka kafka({{"maxwell", 1}});
  kafka.ProduceValues("maxwell", 0, FixtureMessages("cdc/maxwell-data.txt"));
  TestServer server;
  Connection c(server);
  c.Exec(
      "CREATE TABLE products (id INT, name STRING, description STRING, weight DECIMAL(10,3), "
      "db STRING METADATA FROM 'value.database' VIRTUAL, "
      "tbl STRING METADATA FROM 'value.table' VIRTUAL, PRIMARY KEY (id) NOT ENFORCED) " +
      FlinkWith("maxwell", kafka.bootstrap(), "maxwell-json"));
  CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from products order by id",
                         WithDecimalWeights(kCanalFinal)),
             WithDecimalWeights(kCanalFinal));
  CHECK_ROWS(c.Exec("select distinct db, tbl from products"), (Rows{{"test", "product"}}));
  CheckCleanSource(c, "products", "maxwell", "maxwell-json", 20);
}

TEST_CASE("a restarted server resumes each Kafka-fed table from its stored offsets",
          "[kafka][restart]") {
  const std::vector<std::string> messages = FixtureMessages("cdc/debezium-data-schema-exclude.txt");
  MockKafka kafka({{"products", 1}, {"events", 1}});
  TestServer server;
  {
    Connection c(server);
    c.Exec(
        ProductsDdl(Dialect::kRisingWave, "products", "debezium", "products", kafka.bootstrap()));
    c.Exec(SumsViewDdl(Dialect::kRisingWave, "sums", "products"));
    // A keyless append-only table shows any message read twice as a duplicate row.
    c.Exec("CREATE TABLE events (n INT) " + RisingWaveWith("events", kafka.bootstrap()) +
           " FORMAT PLAIN ENCODE JSON");
    kafka.ProduceValues("products", 0, messages);
    kafka.ProduceValues("events", 0, {R"({"n":1})", R"({"n":2})", R"({"n":3})"});
    CHECK_ROWS(WaitForRows(c, "select id, name, description, weight from products order by id",
                           kDebeziumFinal),
               kDebeziumFinal);
    CHECK_ROWS(WaitForRows(c, "select n from events order by n", {{"1"}, {"2"}, {"3"}}),
               (Rows{{"1"}, {"2"}, {"3"}}));
    CheckCleanSource(c, "products", "products", "debezium-json", 16);
    CheckCleanSource(c, "events", "events", "json", 3);
  }
  server.Restart();
  Connection c(server);
  // Everything ingested before the restart is there at once, and nothing is read again.
  CHECK_ROWS(c.Exec("select id, name, description, weight from products order by id"),
             kDebeziumFinal);
  kafka.ProduceValues(
      "products", 0,
      {DebeziumJson("c", "null",
                    R"({"id":112,"name":"kite","description":"red kite","weight":0.25})"),
       DebeziumJson("d",
                    R"({"id":101,"name":"scooter","description":"Small 2-wheel scooter",)"
                    R"("weight":3.14})",
                    "null")});
  kafka.ProduceValues("events", 0, {R"({"n":4})"});
  Rows final_rows(kDebeziumFinal.begin() + 1, kDebeziumFinal.end());
  final_rows.push_back({"112", "kite", "red kite", "0.25"});
  CHECK_ROWS(
      WaitForRows(c, "select id, name, description, weight from products order by id", final_rows),
      final_rows);
  CHECK_ROWS(WaitForRows(c, "select n from events order by n", {{"1"}, {"2"}, {"3"}, {"4"}}),
             (Rows{{"1"}, {"2"}, {"3"}, {"4"}}));
  Rows sums = kDebeziumSums;
  sums.erase(
      std::remove_if(sums.begin(), sums.end(), [](const auto& r) { return r[0] == "scooter"; }),
      sums.end());
  sums.insert(sums.begin() + 4, {"kite", "0.250"});
  CHECK_ROWS(c.Exec("select name, total from sums order by name"), sums);
  CheckCleanSource(c, "products", "products", "debezium-json", 18);
  CheckCleanSource(c, "events", "events", "json", 4);
  CheckVerifyOk(c, "sums");
}
