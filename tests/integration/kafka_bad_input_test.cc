// Bad input never stops the server: malformed JSON, wrong shapes, wrong types, missing
// keys and oversized messages are skipped, each recorded in tributary_source_errors, and
// the good messages around them are applied. With 'on.error'='stop' the source pauses at
// the bad message until RESUME skips it. A broker that goes away leaves the source
// retrying while queries keep being served. Kafka-fed tables refuse DML (42809).
#include <algorithm>
#include <thread>

#include "tests/integration/kafka_harness.h"

using namespace tributary_it;

namespace {

struct Message {
  std::string what;  // for failure reports
  KafkaRecord record;
  bool bad = false;           // must be recorded as an error
  std::string sqlstate = "";  // the SQLSTATE the contract fixes, if any
};

std::string Product(int id, const std::string& name, const std::string& weight) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + name + "\",\"weight\":" + weight + "}";
}
std::string Insert(const std::string& after) { return DebeziumJson("c", "null", after); }

// Produces `messages` in order to partition 0 of `topic`.
void ProduceInOrder(MockKafka& kafka, const std::string& topic,
                    const std::vector<Message>& messages) {
  std::vector<KafkaRecord> records;
  for (const Message& m : messages) records.push_back(m.record);
  kafka.Produce(topic, 0, records);
}

// Checks tributary_source_errors against the bad messages of `messages` (partition 0,
// offsets = positions) and the source's counters.
void CheckErrorsRecorded(Connection& c, const std::string& source, const std::string& topic,
                         const std::vector<Message>& messages) {
  std::vector<size_t> bad;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].bad) bad.push_back(i);
  }
  SourceStatus s = WaitForMessages(c, source, static_cast<long>(messages.size()));
  INFO(s.Describe());
  CHECK(s.status == "running");
  CHECK(s.offsets == "0:" + std::to_string(messages.size()));
  CHECK(s.errors == std::to_string(bad.size()));
  CHECK(s.last_error != kNull);

  Rows errors = c.Exec(
      "select topic, partition, \"offset\", sqlstate, error, payload, seq "
      "from tributary_source_errors where source = " +
      SqlQuote(source) + " order by \"offset\"");
  std::string listing;
  for (const auto& e : errors) {
    listing += "  offset " + e[2] + ": " + e[3] + " " + e[4] + "\n";
  }
  INFO("tributary_source_errors for " << source << ":\n" << listing);
  REQUIRE(errors.size() == bad.size());
  long last_seq = -1;
  for (size_t k = 0; k < bad.size(); ++k) {
    const Message& m = messages[bad[k]];
    const auto& e = errors[k];
    const std::string& value = m.record.value ? *m.record.value : std::string();
    INFO("bad message " << bad[k] << " (" << m.what << ")");
    CHECK(e[0] == topic);
    CHECK(e[1] == "0");
    CHECK(e[2] == std::to_string(bad[k]));
    CHECK(e[3].size() == 5);
    if (!m.sqlstate.empty()) CHECK(e[3] == m.sqlstate);
    CHECK_FALSE(e[4].empty());
    CHECK(e[5].size() <= 256);
    const bool ascii = std::all_of(value.begin(), value.end(),
                                   [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    if (ascii) {
      CHECK(e[5] == value.substr(0, std::min<size_t>(256, value.size())));
    }
    const long seq = std::stol(e[6]);
    CHECK(seq > last_seq);
    last_seq = seq;
  }
}

}  // namespace

TEST_CASE("a corpus of bad Debezium messages is skipped and recorded, good ones applied",
          "[kafka][bad-input]") {
  const std::string big_name(600 * 1024, 'b');        // under the 1 MiB limit
  const std::string oversized(2 * 1024 * 1024, 'x');  // over it
  const std::string trunc = R"({"before":null,"after":{"id":2,"name":"trunc")";
  std::vector<Message> corpus = {
      {"good 1", Value(Insert(Product(1, "one", "1.5")))},
      {"truncated JSON", Value(trunc), true},
      {"good 3", Value(Insert(Product(3, "three", "3")))},
      {"not JSON at all", Value("not json at all"), true},
      {"an array instead of an object", Value(R"([{"op":"c","after":{"id":4}}])"), true},
      {"a bare number", Value("42"), true},
      {"a bare string", Value(R"("c")"), true},
      {"good 5", Value(Insert(Product(5, "five", "5")))},
      {"no op", Value(R"({"before":null,"after":{"id":6,"name":"noop","weight":1}})"), true},
      {"unknown op", Value(DebeziumJson("x", "null", Product(7, "badop", "1"))), true},
      {"a string into INT", Value(Insert(R"({"id":"abc","name":"badtype","weight":1})")), true},
      {"a word into REAL", Value(Insert(R"({"id":8,"name":"badweight","weight":"heavy"})")), true},
      {"missing key", Value(Insert(R"({"name":"nokey","weight":1})")), true},
      {"NULL key", Value(Insert(R"({"id":null,"name":"nullkey","weight":1})")), true},
      {"delete without any row", Value(DebeziumJson("d", "null", "null")), true},
      {"INT overflow", Value(Insert(R"({"id":99999999999,"name":"big","weight":1})")), true},
      {"after is an array", Value(DebeziumJson("c", "null", "[1,2]")), true},
      {"invalid UTF-8", Value(Insert(Product(9, "\xff\xfe", "1"))), true},
      {"trailing garbage", Value(Insert(Product(10, "ten", "1")) + " trailing"), true},
      {"2 MiB message", Value(Insert(Product(11, oversized, "1"))), true, "54000"},
      {"600 KiB message (good)", Value(Insert(Product(12, big_name, "12")))},
      {"tombstone (no error)", Tombstone("k")},
      {"empty message (no error)", Value("")},
      {"good 13", Value(Insert(Product(13, "thirteen", "13")))},
      {"update 1", Value(DebeziumJson("u", Product(1, "one", "1.5"), Product(1, "uno", "1.25")))},
      {"delete 3", Value(DebeziumJson("d", Product(3, "three", "3"), "null"))},
  };
  int kinds = 0;
  for (const Message& m : corpus) kinds += m.bad;
  REQUIRE(kinds >= 10);

  MockKafka kafka({{"products", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR, weight REAL) " +
         RisingWaveWith("products", kafka.bootstrap()) + " FORMAT DEBEZIUM ENCODE JSON");
  c.Exec(
      "CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n, sum(weight::numeric(10,2)) AS w "
      "FROM products");
  ProduceInOrder(kafka, "products", corpus);

  const Rows expected = {{"1", "uno", "3", "1.25"},
                         {"5", "five", "4", "5"},
                         {"12", std::string(20, 'b'), std::to_string(big_name.size()), "12"},
                         {"13", "thirteen", "8", "13"}};
  const std::string query =
      "select id, substr(name, 1, 20), length(name), weight from products order by id";
  CHECK_ROWS(WaitForRows(c, query, expected), expected);
  CHECK_ROWS(c.Exec("select n, w from totals"), (Rows{{"4", "31.25"}}));
  CheckErrorsRecorded(c, "products", "products", corpus);

  // The source keeps going after all that.
  kafka.ProduceValues("products", 0, {Insert(Product(14, "fourteen", "14"))});
  CHECK_ROWS(WaitForRows(c, "select n, w from totals", {{"5", "45.25"}}), (Rows{{"5", "45.25"}}));
  CHECK(server.running());
}

TEST_CASE("every format skips its own malformed shapes and keeps going", "[kafka][bad-input]") {
  MockKafka kafka({{"canal", 1}, {"maxwell", 1}, {"upsert", 1}, {"plain", 1}});
  TestServer server;
  Connection c(server);
  const std::string cols = "(id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) ";
  c.Exec("CREATE TABLE canal_t " + cols + FlinkWith("canal", kafka.bootstrap(), "canal-json"));
  c.Exec("CREATE TABLE maxwell_t " + cols +
         FlinkWith("maxwell", kafka.bootstrap(), "maxwell-json"));
  c.Exec("CREATE TABLE upsert_t " + cols +
         "WITH ('connector'='upsert-kafka', 'topic'='upsert', 'properties.bootstrap.servers'=" +
         SqlQuote(kafka.bootstrap()) + ", 'key.format'='json', 'value.format'='json')");
  c.Exec("CREATE TABLE plain_t (id INT, name STRING) " +
         FlinkWith("plain", kafka.bootstrap(), "json"));

  auto canal = [](const std::string& type, const std::string& data) {
    return R"({"data":)" + data + R"(,"database":"d","table":"t","isDdl":false,"type":")" + type +
           R"(","old":null,"pkNames":["id"],"es":1,"ts":1})";
  };
  const std::vector<Message> canal_msgs = {
      {"good", Value(canal("INSERT", R"([{"id":"1","name":"a"}])"))},
      {"data is an object", Value(canal("INSERT", R"({"id":"2","name":"b"})")), true},
      {"no type",
       Value(R"({"data":[{"id":"3","name":"c"}],"database":"d","table":"t",)"
             R"("isDdl":false})"),
       true},
      {"unknown type", Value(canal("MERGE", R"([{"id":"4","name":"d"}])")), true},
      {"id not an INT", Value(canal("INSERT", R"([{"id":"A5","name":"e"}])")), true},
      {"malformed", Value(R"({"data":[{"id":"6")"), true},
      {"good", Value(canal("INSERT", R"([{"id":"7","name":"g"}])"))},
  };
  auto maxwell = [](const std::string& type, const std::string& data) {
    return R"({"database":"d","table":"t","type":")" + type + R"(","ts":1,"data":)" + data + "}";
  };
  const std::vector<Message> maxwell_msgs = {
      {"good", Value(maxwell("insert", R"({"id":1,"name":"a"})"))},
      {"unknown type", Value(maxwell("frobnicate", R"({"id":2,"name":"b"})")), true},
      {"data is an array", Value(maxwell("insert", "[1,2]")), true},
      {"no data", Value(R"({"database":"d","table":"t","type":"insert","ts":1})"), true},
      {"id not an INT", Value(maxwell("insert", R"({"id":"x","name":"e"})")), true},
      {"good", Value(maxwell("insert", R"({"id":7,"name":"g"})"))},
  };
  const std::vector<Message> upsert_msgs = {
      {"good", Keyed(R"({"id":1})", R"({"id":1,"name":"a"})")},
      {"key is not JSON", Keyed("one", R"({"id":2,"name":"b"})"), true},
      {"value is an array", Keyed(R"({"id":3})", "[1,2]"), true},
      {"key without the key column", Keyed(R"({"other":4})", R"({"id":4,"name":"d"})"), true},
      {"value is not JSON", Keyed(R"({"id":5})", "{nope"), true},
      {"good", Keyed(R"({"id":7})", R"({"id":7,"name":"g"})")},
  };
  const std::vector<Message> plain_msgs = {
      {"good", Value(R"({"id":1,"name":"a"})")},
      {"an array", Value(R"([{"id":2,"name":"b"}])"), true},
      {"id not an INT", Value(R"({"id":"three","name":"c"})"), true},
      {"truncated", Value(R"({"id":5,"name":)"), true},
      {"good", Value(R"({"id":7,"name":"g"})")},
  };
  ProduceInOrder(kafka, "canal", canal_msgs);
  ProduceInOrder(kafka, "maxwell", maxwell_msgs);
  ProduceInOrder(kafka, "upsert", upsert_msgs);
  ProduceInOrder(kafka, "plain", plain_msgs);
  const Rows expected = {{"1", "a"}, {"7", "g"}};
  for (const auto& [table, topic, msgs] : {std::tuple{"canal_t", "canal", &canal_msgs},
                                           std::tuple{"maxwell_t", "maxwell", &maxwell_msgs},
                                           std::tuple{"upsert_t", "upsert", &upsert_msgs},
                                           std::tuple{"plain_t", "plain", &plain_msgs}}) {
    INFO("table " << table);
    CHECK_ROWS(
        WaitForRows(c, std::string("select id, name from ") + table + " order by id", expected),
        expected);
    CheckErrorsRecorded(c, table, topic, *msgs);
  }
}

TEST_CASE("'json.ignore-parse-errors' skips malformed messages and keeps going",
          "[kafka][bad-input]") {
  MockKafka kafka({{"products", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE products (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) " +
         FlinkWith("products", kafka.bootstrap(), "debezium-json",
                   "'json.ignore-parse-errors'='true'"));
  kafka.ProduceValues(
      "products", 0,
      {Insert(R"({"id":1,"name":"a"})"), "{broken", Insert(R"({"id":2,"name":"b"})")});
  CHECK_ROWS(WaitForRows(c, "select id, name from products order by id", {{"1", "a"}, {"2", "b"}}),
             (Rows{{"1", "a"}, {"2", "b"}}));
  SourceStatus s = WaitForMessages(c, "products", 3);
  INFO(s.Describe());
  CHECK(s.status == "running");
  CHECK(s.offsets == "0:3");
}

TEST_CASE("'on.error'='stop' pauses at the bad message, RESUME skips it", "[kafka][bad-input]") {
  MockKafka kafka({{"products", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE products (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) " +
         FlinkWith("products", kafka.bootstrap(), "debezium-json", "'on.error'='stop'"));
  const std::string bad = R"({"before":null,"after":{"id":3,)";
  kafka.ProduceValues("products", 0,
                      {Insert(R"({"id":1,"name":"a"})"), Insert(R"({"id":2,"name":"b"})"), bad,
                       Insert(R"({"id":4,"name":"d"})"), Insert(R"({"id":5,"name":"e"})")});
  SourceStatus s =
      WaitForSource(c, "products", [](const SourceStatus& st) { return st.status == "paused"; });
  INFO(s.Describe());
  REQUIRE(s.status == "paused");
  CHECK(s.last_error != kNull);
  CHECK(s.offsets == "0:2");  // stopped at the bad message, which is not consumed
  // Offsets 2, 3 and 4 are waiting in the partition.
  s = WaitForSource(
      c, "products", [](const SourceStatus& st) { return st.lag == "3"; }, 5s);
  CHECK(s.lag == "3");
  std::this_thread::sleep_for(500ms);
  CHECK_ROWS(c.Exec("select id, name from products order by id"), (Rows{{"1", "a"}, {"2", "b"}}));
  CHECK(FindSource(c, "products")->status == "paused");

  c.Exec("RESUME ROUTINE LOAD FOR products");
  CHECK(c.Tag() == "RESUME ROUTINE LOAD");
  const Rows resumed = {{"1", "a"}, {"2", "b"}, {"4", "d"}, {"5", "e"}};
  CHECK_ROWS(WaitForRows(c, "select id, name from products order by id", resumed), resumed);
  s = WaitForSource(c, "products", [](const SourceStatus& st) {
    return st.status == "running" && st.offsets == "0:5";
  });
  INFO(s.Describe());
  CHECK(s.status == "running");
  CHECK(s.offsets == "0:5");
  CHECK(s.messages == "5");  // the skipped message counts as consumed, as with on.error=skip
  CHECK(s.errors == "1");
  Rows errors = c.Exec(
      "select \"offset\", payload from tributary_source_errors where source = 'products' "
      "order by seq");
  CHECK_ROWS(errors, (Rows{{"2", bad}}));  // recorded once

  // The next bad message pauses it again, at its own offset.
  kafka.ProduceValues("products", 0, {"[]", Insert(R"({"id":6,"name":"f"})")});
  s = WaitForSource(c, "products", [](const SourceStatus& st) { return st.status == "paused"; });
  INFO(s.Describe());
  CHECK(s.status == "paused");
  CHECK(s.offsets == "0:5");
  c.Exec("RESUME ROUTINE LOAD FOR products");
  CHECK_ROWS(WaitForRows(c, "select count(*) from products", {{"5"}}), (Rows{{"5"}}));
  s = WaitForSource(c, "products", [](const SourceStatus& st) {
    return st.status == "running" && st.offsets == "0:7";
  });
  INFO(s.Describe());
  CHECK(s.offsets == "0:7");
  CHECK(s.messages == "7");
  CHECK(s.errors == "2");
}

TEST_CASE("a broker that goes away: the source retries, queries are still served",
          "[kafka][bad-input][broker]") {
  MockKafka kafka({{"products", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(
      "CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR, description VARCHAR, "
      "weight REAL) " +
      RisingWaveWith("products", kafka.bootstrap()) + " FORMAT DEBEZIUM ENCODE JSON");
  c.Exec(
      "CREATE MATERIALIZED VIEW n_by_name AS SELECT name, count(*) AS n FROM products "
      "GROUP BY name");
  kafka.ProduceValues("products", 0, FixtureMessages("cdc/debezium-data-schema-exclude.txt"));
  CHECK_ROWS(WaitForRows(c, "select count(*) from products", {{"10"}}), (Rows{{"10"}}));
  WaitForMessages(c, "products", 16);

  kafka.Kill(SIGKILL);
  SourceStatus s = WaitForSource(
      c, "products", [](const SourceStatus& st) { return st.status == "retrying"; }, 30s);
  INFO(s.Describe());
  CHECK(s.status == "retrying");
  CHECK(s.last_error != kNull);  // says why it retries
  // Reads and writes elsewhere carry on while it retries.
  CHECK(c.Scalar("select count(*) from products") == "10");
  CHECK_ROWS(c.Exec("select name, n from n_by_name where name = 'hammer'"),
             (Rows{{"hammer", "3"}}));
  c.Exec("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)");
  c.Exec("INSERT INTO notes VALUES (1, 'still here')");
  CHECK(c.Scalar("select body from notes") == "still here");
  Connection other(server);
  CHECK(other.Scalar("select count(*) from n_by_name") == "7");
  std::this_thread::sleep_for(1000ms);
  CHECK(FindSource(c, "products")->status == "retrying");
  CHECK(c.Scalar("select count(*) from products") == "10");
  // And the server still shuts down cleanly (exit code 0) while retrying.
  server.Stop();
}

TEST_CASE("Kafka-fed tables refuse INSERT, UPDATE and DELETE with 42809", "[kafka][bad-input]") {
  MockKafka kafka({{"products", 1}, {"items", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR) " +
         RisingWaveWith("products", kafka.bootstrap()) + " FORMAT DEBEZIUM ENCODE JSON");
  c.Exec(
      "CREATE TABLE items (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) "
      "WITH ('connector'='upsert-kafka', 'topic'='items', 'properties.bootstrap.servers'=" +
      SqlQuote(kafka.bootstrap()) + ", 'key.format'='json', 'value.format'='json')");
  c.Exec(
      "CREATE MATERIALIZED VIEW names AS SELECT p.id, p.name, i.name AS item FROM products p "
      "LEFT JOIN items i ON i.id = p.id");
  kafka.ProduceValues("products", 0, {Insert(R"({"id":1,"name":"a"})")});
  CHECK_ROWS(WaitForRows(c, "select id, name, item from names", {{"1", "a", kNull}}),
             (Rows{{"1", "a", kNull}}));
  for (const std::string table : {"products", "items"}) {
    INFO("table " << table);
    c.ExpectError("INSERT INTO " + table + " VALUES (2, 'b')", "42809");
    c.ExpectError("UPDATE " + table + " SET name = 'z' WHERE id = 1", "42809");
    c.ExpectError("DELETE FROM " + table + " WHERE id = 1", "42809");
    c.ExpectError("DELETE FROM " + table, "42809");
  }
  // The system relations are read-only too.
  c.ExpectError("DELETE FROM tributary_source_errors", "42501");
  c.ExpectError("UPDATE tributary_sources SET status = 'stopped'", "42501");
  // Nothing changed, and ingestion goes on.
  kafka.Produce("items", 0, {Keyed(R"({"id":1})", R"({"id":1,"name":"thing"})")});
  CHECK_ROWS(WaitForRows(c, "select id, name, item from names", {{"1", "a", "thing"}}),
             (Rows{{"1", "a", "thing"}}));
}
