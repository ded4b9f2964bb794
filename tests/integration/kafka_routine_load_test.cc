// StarRocks routine load (SCENARIOS.md §4) end to end: CREATE ROUTINE LOAD feeds ordinary
// tables from JSON topics (upsert by primary key, __op = 1 deletes by key), the DWD and DWS
// views follow, and SHOW / PAUSE / RESUME / STOP ROUTINE LOAD behave as documented: a pause
// holds messages back until RESUME and survives a restart, a stop is for good.
#include <map>
#include <thread>

#include "tests/integration/kafka_harness.h"

using namespace tributary_it;

namespace {

constexpr const char* kOrdersDdl =
    "CREATE TABLE orders (order_id int PRIMARY KEY, order_revenue double precision, "
    "order_region varchar(40), customer_id int)";
constexpr const char* kCustomersDdl =
    "CREATE TABLE customers (customer_id int PRIMARY KEY, customer_age int, "
    "customer_name varchar(40))";
constexpr const char* kDwdDdl =
    "CREATE MATERIALIZED VIEW dwd_order_customer_valid AS "
    "SELECT o.order_id, o.order_revenue, o.order_region, c.customer_id, c.customer_age, "
    "c.customer_name FROM customers c JOIN orders o ON c.customer_id = o.customer_id "
    "WHERE c.customer_id <> -1";
constexpr const char* kDwsDdl =
    "CREATE MATERIALIZED VIEW dws_agg_by_region AS SELECT order_region, count(*) AS order_cnt, "
    "sum(order_revenue) AS order_total_revenue FROM dwd_order_customer_valid "
    "GROUP BY order_region";
constexpr const char* kDwsQuery =
    "select order_region, order_cnt, order_total_revenue from dws_agg_by_region "
    "order by order_region";
constexpr const char* kOrdersQuery =
    "select order_id, order_revenue, order_region, customer_id from orders order by order_id";

// SCENARIOS.md §4's job, as written there, with only the broker address changed.
std::string LoadOrdersDdl(const std::string& bootstrap, const std::string& topic = "ods_order") {
  return R"(CREATE ROUTINE LOAD shop.load_orders ON orders
COLUMNS (order_id, order_revenue, order_region, customer_id)
PROPERTIES ("format" = "json",
            "jsonpaths" = "[\"$.order_id\",\"$.order_revenue\",\"$.order_region\",\"$.customer_id\"]")
FROM KAFKA ("kafka_broker_list" = ")" +
         bootstrap + R"(", "kafka_topic" = ")" + topic +
         R"(",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING"))";
}

std::string Order(int id, int revenue, const std::string& region, int customer) {
  return "{\"order_id\":" + std::to_string(id) + ",\"order_revenue\":" + std::to_string(revenue) +
         ",\"order_region\":\"" + region + "\",\"customer_id\":" + std::to_string(customer) + "}";
}

// SHOW ROUTINE LOAD's row for `job`, by column name (empty when the job is not listed).
std::map<std::string, std::string> ShowRoutineLoad(Connection& conn, const std::string& job,
                                                   bool use_for = false) {
  Rows rows = conn.Exec(use_for ? "SHOW ROUTINE LOAD FOR " + job : "SHOW ROUTINE LOAD");
  const std::vector<std::string>& columns = conn.Last().columns;
  for (const char* want :
       {"Name", "TableName", "State", "DataSourceType", "Progress", "ReasonOfStateChanged"}) {
    INFO("SHOW ROUTINE LOAD columns must include " << want);
    CHECK(std::find(columns.begin(), columns.end(), want) != columns.end());
  }
  auto name_at = std::find(columns.begin(), columns.end(), "Name");
  if (name_at == columns.end()) return {};
  const size_t name_col = static_cast<size_t>(name_at - columns.begin());
  for (const auto& row : rows) {
    if (row[name_col] != job) continue;
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < columns.size(); ++i) out[columns[i]] = row[i];
    return out;
  }
  return {};
}

// Polls SHOW ROUTINE LOAD until `job` is in `state`; returns its last row.
std::map<std::string, std::string> WaitForState(Connection& conn, const std::string& job,
                                                const std::string& state) {
  std::map<std::string, std::string> row;
  WaitUntil([&] {
    row = ShowRoutineLoad(conn, job);
    return row.count("State") && row["State"] == state;
  });
  return row;
}

std::string DescribeRow(const std::map<std::string, std::string>& row) {
  std::string out;
  for (const auto& [k, v] : row) out += k + "=" + v + " ";
  return out.empty() ? "(no row)" : out;
}

}  // namespace

TEST_CASE("SCENARIOS 4 through routine load: the DWD and DWS views follow the topics",
          "[kafka][routine-load]") {
  MockKafka kafka({{"ods_order", 1}, {"ods_customer", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(kOrdersDdl);
  c.Exec(kCustomersDdl);
  c.Exec(kDwdDdl);
  c.Exec(kDwsDdl);
  c.Exec(LoadOrdersDdl(kafka.bootstrap()));
  // Without COLUMNS and jsonpaths the JSON fields are matched to the columns by name.
  c.Exec(
      R"(CREATE ROUTINE LOAD shop.load_customers ON customers PROPERTIES ("format" = "json") )"
      R"(FROM KAFKA ("kafka_broker_list" = ")" +
      kafka.bootstrap() +
      R"(", "kafka_topic" = "ods_customer", "property.kafka_default_offsets" = "OFFSET_BEGINNING"))");

  kafka.ProduceValues("ods_order", 0, {Order(1, 10, "beijing", 1), Order(2, 10, "beijing", 1)});
  kafka.ProduceValues("ods_customer", 0,
                      {R"({"customer_id":1,"customer_age":22,"customer_name":"emr_test"})"});
  CHECK_ROWS(WaitForRows(c, kDwsQuery, {{"beijing", "2", "20"}}), (Rows{{"beijing", "2", "20"}}));
  CHECK_ROWS(c.Exec("select order_id, order_revenue, order_region, customer_id, customer_age, "
                    "customer_name from dwd_order_customer_valid order by order_id"),
             (Rows{{"1", "10", "beijing", "1", "22", "emr_test"},
                   {"2", "10", "beijing", "1", "22", "emr_test"}}));

  // The same key again is an upsert: order 2 moves to shanghai.
  kafka.ProduceValues("ods_order", 0, {Order(2, 10, "shanghai", 1)});
  CHECK_ROWS(WaitForRows(c, kDwsQuery, {{"beijing", "1", "10"}, {"shanghai", "1", "10"}}),
             (Rows{{"beijing", "1", "10"}, {"shanghai", "1", "10"}}));
  CHECK_ROWS(c.Exec(kOrdersQuery),
             (Rows{{"1", "10", "beijing", "1"}, {"2", "10", "shanghai", "1"}}));

  // __op = 1 deletes by key: customer 1 goes, and with it every DWD row; __op = 0 upserts.
  kafka.ProduceValues("ods_customer", 0, {R"({"customer_id":1,"__op":1})"});
  CHECK_ROWS(WaitForRows(c, "select count(*) from customers", {{"0"}}), (Rows{{"0"}}));
  CHECK_ROWS(c.Exec(kDwsQuery), Rows{});
  kafka.ProduceValues("ods_customer", 0,
                      {R"({"customer_id":1,"customer_age":23,"customer_name":"emr_test","__op":0})",
                       R"({"customer_id":-1,"customer_age":0,"customer_name":"invalid"})"});
  kafka.ProduceValues("ods_order", 0, {Order(3, 5, "beijing", -1)});  // excluded by the DWD
  CHECK_ROWS(WaitForRows(c, kDwsQuery, {{"beijing", "1", "10"}, {"shanghai", "1", "10"}}),
             (Rows{{"beijing", "1", "10"}, {"shanghai", "1", "10"}}));
  CHECK_ROWS(WaitForRows(c, "select customer_id, customer_age from customers order by 1",
                         {{"-1", "0"}, {"1", "23"}}),
             (Rows{{"-1", "0"}, {"1", "23"}}));
  CHECK_ROWS(WaitForRows(c, "select count(*) from orders", {{"3"}}), (Rows{{"3"}}));

  SourceStatus orders = WaitForMessages(c, "load_orders", 4);
  INFO(orders.Describe());
  CHECK(orders.kind == "routine load");
  CHECK(orders.table_name == "orders");
  CHECK(orders.topic == "ods_order");
  CHECK(orders.format == "json");
  CHECK(orders.status == "running");
  CHECK(orders.offsets == "0:4");
  CHECK(orders.errors == "0");
  SourceStatus customers = WaitForMessages(c, "load_customers", 4);
  INFO(customers.Describe());
  CHECK(customers.kind == "routine load");
  CHECK(customers.table_name == "customers");
  CHECK(customers.offsets == "0:4");
  CHECK(customers.errors == "0");
  Rows verify = c.Exec("VERIFY MATERIALIZED VIEW dws_agg_by_region");
  REQUIRE(verify.size() == 1);
  CHECK(verify[0][0] == "OK");
}

TEST_CASE("__op as a COLUMNS entry with a jsonpath: 0 upserts, 1 deletes by key",
          "[kafka][routine-load]") {
  MockKafka kafka({{"ods_order", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(kOrdersDdl);
  c.Exec(
      R"(CREATE ROUTINE LOAD shop.load_orders ON orders
COLUMNS (order_id, order_revenue, order_region, customer_id, __op)
PROPERTIES ("format" = "json",
  "jsonpaths" = "[\"$.id\",\"$.rev\",\"$.region\",\"$.cust\",\"$.op_type\"]")
FROM KAFKA ("kafka_broker_list" = ")" +
      kafka.bootstrap() +
      R"(", "kafka_topic" = "ods_order", "property.kafka_default_offsets" = "OFFSET_BEGINNING"))");
  kafka.ProduceValues("ods_order", 0,
                      {R"({"id":1,"rev":10.5,"region":"beijing","cust":1,"op_type":0})",
                       R"({"id":2,"rev":20,"region":"beijing","cust":2,"op_type":0})",
                       R"({"id":3,"rev":30,"region":"shanghai","cust":3})",  // no __op: upsert
                       R"({"id":2,"op_type":1})",                            // delete 2
                       R"({"id":1,"rev":11,"region":"wuhan","cust":1,"op_type":0})"});
  const Rows expected = {{"1", "11", "wuhan", "1"}, {"3", "30", "shanghai", "3"}};
  CHECK_ROWS(WaitForRows(c, kOrdersQuery, expected), expected);
  SourceStatus s = WaitForMessages(c, "load_orders", 5);
  INFO(s.Describe());
  CHECK(s.errors == "0");
}

TEST_CASE("strip_outer_array and json_root: several rows per message, below a path",
          "[kafka][routine-load]") {
  MockKafka kafka({{"ods_order", 1}});
  TestServer server;
  Connection c(server);
  c.Exec(kOrdersDdl);
  c.Exec(
      R"(CREATE ROUTINE LOAD shop.load_orders ON orders
COLUMNS (order_id, order_revenue, order_region, customer_id)
PROPERTIES ("format" = "json", "strip_outer_array" = "true", "json_root" = "$.data",
  "jsonpaths" = "[\"$.id\",\"$.rev\",\"$.region\",\"$.cust\"]")
FROM KAFKA ("kafka_broker_list" = ")" +
      kafka.bootstrap() +
      R"(", "kafka_topic" = "ods_order", "property.kafka_default_offsets" = "OFFSET_BEGINNING"))");
  kafka.ProduceValues("ods_order", 0,
                      {R"({"batch":1,"data":[{"id":1,"rev":10,"region":"beijing","cust":1},)"
                       R"({"id":2,"rev":20,"region":"beijing","cust":2}]})",
                       R"({"batch":2,"data":[{"id":2,"rev":25,"region":"wuhan","cust":2}]})",
                       R"({"batch":3,"data":{"id":9}})"});  // not an array: skipped as an error
  const Rows expected = {{"1", "10", "beijing", "1"}, {"2", "25", "wuhan", "2"}};
  CHECK_ROWS(WaitForRows(c, kOrdersQuery, expected), expected);
  SourceStatus s = WaitForMessages(c, "load_orders", 3);
  INFO(s.Describe());
  CHECK(s.rows_applied == "3");
  CHECK(s.errors == "1");
}

TEST_CASE("SHOW ROUTINE LOAD, PAUSE, RESUME and STOP ROUTINE LOAD", "[kafka][routine-load]") {
  MockKafka kafka({{"ods_order", 2}});
  TestServer server;
  Connection c(server);
  c.Exec(kOrdersDdl);
  c.Exec(LoadOrdersDdl(kafka.bootstrap()));
  kafka.ProduceValues("ods_order", 0, {Order(1, 10, "beijing", 1), Order(2, 20, "beijing", 1)});
  kafka.ProduceValues("ods_order", 1, {Order(3, 30, "shanghai", 2)});
  CHECK_ROWS(WaitForRows(c, "select count(*) from orders", {{"3"}}), (Rows{{"3"}}));
  WaitForMessages(c, "load_orders", 3);

  auto row = ShowRoutineLoad(c, "load_orders");
  INFO("SHOW ROUTINE LOAD: " << DescribeRow(row));
  CHECK(row["Name"] == "load_orders");
  CHECK(row["TableName"] == "orders");
  CHECK(row["State"] == "RUNNING");
  CHECK(row["DataSourceType"] == "KAFKA");
  CHECK(ParseOffsets(row["Progress"]) == std::vector<std::pair<long, long>>{{0, 2}, {1, 1}});
  auto only = ShowRoutineLoad(c, "load_orders", /*use_for=*/true);
  CHECK(only["Name"] == "load_orders");
  CHECK(c.Exec("SHOW ROUTINE LOAD FOR load_orders").size() == 1);

  // PAUSE: nothing produced meanwhile is applied.
  c.Exec("PAUSE ROUTINE LOAD FOR load_orders");
  CHECK(c.Tag() == "PAUSE ROUTINE LOAD");
  row = WaitForState(c, "load_orders", "PAUSED");
  INFO("after PAUSE: " << DescribeRow(row));
  CHECK(row["State"] == "PAUSED");
  SourceStatus s =
      WaitForSource(c, "load_orders", [](const SourceStatus& st) { return st.status == "paused"; });
  INFO(s.Describe());
  CHECK(s.status == "paused");
  kafka.ProduceValues("ods_order", 0, {Order(4, 40, "wuhan", 3)});
  kafka.ProduceValues("ods_order", 1, {Order(1, 99, "beijing", 1)});
  std::this_thread::sleep_for(1500ms);
  CHECK_ROWS(c.Exec(kOrdersQuery), (Rows{{"1", "10", "beijing", "1"},
                                         {"2", "20", "beijing", "1"},
                                         {"3", "30", "shanghai", "2"}}));
  CHECK(FindSource(c, "load_orders")->messages == "3");

  // RESUME: the held-back messages arrive.
  c.Exec("RESUME ROUTINE LOAD FOR load_orders");
  CHECK(c.Tag() == "RESUME ROUTINE LOAD");
  const Rows resumed = {{"1", "99", "beijing", "1"},
                        {"2", "20", "beijing", "1"},
                        {"3", "30", "shanghai", "2"},
                        {"4", "40", "wuhan", "3"}};
  CHECK_ROWS(WaitForRows(c, kOrdersQuery, resumed), resumed);
  row = WaitForState(c, "load_orders", "RUNNING");
  CHECK(row["State"] == "RUNNING");
  s = WaitForMessages(c, "load_orders", 5);
  INFO(s.Describe());
  CHECK(s.status == "running");
  CHECK(s.offsets == "0:3,1:2");
  CHECK(ParseOffsets(ShowRoutineLoad(c, "load_orders")["Progress"]) ==
        std::vector<std::pair<long, long>>{{0, 3}, {1, 2}});

  // STOP: for good. The table keeps its rows and takes DML like any table.
  c.Exec("STOP ROUTINE LOAD FOR load_orders");
  CHECK(c.Tag() == "STOP ROUTINE LOAD");
  row = WaitForState(c, "load_orders", "STOPPED");
  INFO("after STOP: " << DescribeRow(row));
  CHECK(row["State"] == "STOPPED");
  s = WaitForSource(c, "load_orders",
                    [](const SourceStatus& st) { return st.status == "stopped"; });
  CHECK(s.status == "stopped");
  kafka.ProduceValues("ods_order", 0, {Order(5, 50, "wuhan", 3)});
  std::this_thread::sleep_for(1000ms);
  CHECK_ROWS(c.Exec(kOrdersQuery), resumed);
  c.Exec("INSERT INTO orders VALUES (6, 60, 'xian', 4)");
  c.Exec("UPDATE orders SET order_revenue = 41 WHERE order_id = 4");
  c.Exec("DELETE FROM orders WHERE order_id = 1");
  CHECK_ROWS(c.Exec(kOrdersQuery), (Rows{{"2", "20", "beijing", "1"},
                                         {"3", "30", "shanghai", "2"},
                                         {"4", "41", "wuhan", "3"},
                                         {"6", "60", "xian", "4"}}));
}

TEST_CASE("a paused routine load stays paused across a restart, a stopped one stays stopped",
          "[kafka][routine-load][restart]") {
  MockKafka kafka({{"ods_order", 1}, {"ods_customer", 1}});
  TestServer server;
  {
    Connection c(server);
    c.Exec(kOrdersDdl);
    c.Exec(kCustomersDdl);
    c.Exec(LoadOrdersDdl(kafka.bootstrap()));
    c.Exec(R"(CREATE ROUTINE LOAD shop.load_customers ON customers )"
           R"(PROPERTIES ("format" = "json") FROM KAFKA ("kafka_broker_list" = ")" +
           kafka.bootstrap() +
           R"(", "kafka_topic" = "ods_customer", )"
           R"("property.kafka_default_offsets" = "OFFSET_BEGINNING"))");
    kafka.ProduceValues("ods_order", 0, {Order(1, 10, "beijing", 1)});
    kafka.ProduceValues("ods_customer", 0,
                        {R"({"customer_id":1,"customer_age":22,"customer_name":"a"})"});
    CHECK_ROWS(WaitForRows(c, "select count(*) from orders", {{"1"}}), (Rows{{"1"}}));
    CHECK_ROWS(WaitForRows(c, "select count(*) from customers", {{"1"}}), (Rows{{"1"}}));
    c.Exec("PAUSE ROUTINE LOAD FOR load_orders");
    c.Exec("STOP ROUTINE LOAD FOR load_customers");
    WaitForState(c, "load_orders", "PAUSED");
    WaitForState(c, "load_customers", "STOPPED");
  }
  kafka.ProduceValues("ods_order", 0, {Order(2, 20, "beijing", 1)});
  kafka.ProduceValues("ods_customer", 0,
                      {R"({"customer_id":2,"customer_age":33,"customer_name":"b"})"});
  server.Restart();
  Connection c(server);
  std::this_thread::sleep_for(1500ms);
  CHECK(ShowRoutineLoad(c, "load_orders")["State"] == "PAUSED");
  CHECK(ShowRoutineLoad(c, "load_customers")["State"] == "STOPPED");
  CHECK(FindSource(c, "load_orders")->status == "paused");
  CHECK(FindSource(c, "load_customers")->status == "stopped");
  CHECK_ROWS(c.Exec("select order_id from orders"), (Rows{{"1"}}));
  CHECK_ROWS(c.Exec("select customer_id from customers"), (Rows{{"1"}}));

  c.Exec("RESUME ROUTINE LOAD FOR load_orders");
  CHECK_ROWS(WaitForRows(c, "select order_id from orders order by 1", {{"1"}, {"2"}}),
             (Rows{{"1"}, {"2"}}));
  SourceStatus s = WaitForMessages(c, "load_orders", 2);
  INFO(s.Describe());
  CHECK(s.status == "running");
  CHECK(s.offsets == "0:2");
  std::this_thread::sleep_for(500ms);
  CHECK_ROWS(c.Exec("select customer_id from customers"), (Rows{{"1"}}));
}

TEST_CASE("PAUSE and RESUME ROUTINE LOAD accept the name of a Kafka-fed table",
          "[kafka][routine-load]") {
  MockKafka kafka({{"events", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE events (n INT) " + RisingWaveWith("events", kafka.bootstrap()) +
         " FORMAT PLAIN ENCODE JSON");
  kafka.ProduceValues("events", 0, {R"({"n":1})"});
  CHECK_ROWS(WaitForRows(c, "select n from events", {{"1"}}), (Rows{{"1"}}));
  c.Exec("PAUSE ROUTINE LOAD FOR events");
  CHECK(c.Tag() == "PAUSE ROUTINE LOAD");
  SourceStatus s =
      WaitForSource(c, "events", [](const SourceStatus& st) { return st.status == "paused"; });
  INFO(s.Describe());
  CHECK(s.status == "paused");
  kafka.ProduceValues("events", 0, {R"({"n":2})"});
  std::this_thread::sleep_for(1000ms);
  CHECK_ROWS(c.Exec("select n from events"), (Rows{{"1"}}));
  c.Exec("RESUME ROUTINE LOAD FOR events");
  CHECK(c.Tag() == "RESUME ROUTINE LOAD");
  CHECK_ROWS(WaitForRows(c, "select n from events order by n", {{"1"}, {"2"}}),
             (Rows{{"1"}, {"2"}}));
  s = WaitForMessages(c, "events", 2);
  INFO(s.Describe());
  CHECK(s.status == "running");
}
