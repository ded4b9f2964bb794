// Kafka-fed tables beyond the CDC fixtures: upsert-kafka and FORMAT UPSERT (the Kafka key is
// the row key, a tombstone deletes), plain JSON in both dialects, a multi-partition topic
// with per-partition offsets, and two Kafka-fed tables on two topics joined in a view
// (SCENARIOS.md §2: revenue moves with the customer).
#include <algorithm>
#include <map>
#include <set>

#include "tests/integration/kafka_harness.h"

using namespace tributary_it;

TEST_CASE("upsert-kafka and FORMAT UPSERT: the Kafka key is the row key, a tombstone deletes",
          "[kafka][upsert]") {
  MockKafka kafka({{"items_fl", 1}, {"items_rw", 1}});
  const std::vector<KafkaRecord> records = {
      Keyed(R"({"id":1})", R"({"id":1,"name":"apple","price":1.50})"),
      Keyed(R"({"id":2})", R"({"id":2,"name":"banana","price":2.25})"),
      Keyed(R"({"id":3})", R"({"id":3,"name":"cherry","price":3})"),
      Keyed(R"({"id":1})", R"({"id":1,"name":"apple","price":1.75})"),  // replaces 1
      Tombstone(R"({"id":2})"),                                         // deletes 2
      Tombstone(R"({"id":99})"),  // deletes nothing: no error either
      Keyed(R"({"id":4})", R"({"price":4.00,"name":"date","id":4})"),
      Keyed(R"({"id":2})", R"({"id":2,"name":"blueberry","price":0.5})"),  // back again
  };
  // Flink's upsert-kafka always reads the topic from the start: produce before CREATE.
  kafka.Produce("items_fl", 0, records);
  kafka.Produce("items_rw", 0, records);
  TestServer server;
  Connection c(server);
  c.Exec(
      "CREATE TABLE items_fl (id INT, name STRING, price DECIMAL(10,2), "
      "PRIMARY KEY (id) NOT ENFORCED) WITH ('connector'='upsert-kafka', 'topic'='items_fl', "
      "'properties.bootstrap.servers'=" +
      SqlQuote(kafka.bootstrap()) + ", 'key.format'='json', 'value.format'='json')");
  c.Exec("CREATE TABLE items_rw (id INT PRIMARY KEY, name VARCHAR, price NUMERIC(10,2)) " +
         RisingWaveWith("items_rw", kafka.bootstrap()) + " FORMAT UPSERT ENCODE JSON");
  for (const std::string table : {"items_fl", "items_rw"}) {
    INFO("table " << table);
    c.Exec("CREATE MATERIALIZED VIEW " + table + "_total AS SELECT count(*) AS n, sum(price) AS " +
           "total FROM " + table);
    const Rows expected = {{"1", "apple", "1.75"},
                           {"2", "blueberry", "0.50"},
                           {"3", "cherry", "3.00"},
                           {"4", "date", "4.00"}};
    CHECK_ROWS(WaitForRows(c, "select id, name, price from " + table + " order by id", expected),
               expected);
    CHECK_ROWS(c.Exec("select n, total from " + table + "_total"), (Rows{{"4", "9.25"}}));
    SourceStatus s = WaitForMessages(c, table, 8);
    INFO(s.Describe());
    CHECK(s.format == "upsert-json");
    CHECK(s.offsets == "0:8");
    CHECK(s.errors == "0");
    CHECK(s.status == "running");
    CheckVerifyOk(c, table + "_total");
  }
  // Later records keep applying.
  kafka.Produce("items_rw", 0, {Tombstone(R"({"id":3})"), Tombstone(R"({"id":4})")});
  CHECK_ROWS(WaitForRows(c, "select n, total from items_rw_total", {{"2", "2.25"}}),
             (Rows{{"2", "2.25"}}));
}

TEST_CASE("plain JSON: append-only events in both dialects", "[kafka][plain]") {
  MockKafka kafka({{"ev_rw", 1}, {"ev_fl", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE ev_rw (user_id INT, action VARCHAR, amount NUMERIC(10,2)) " +
         RisingWaveWith("ev_rw", kafka.bootstrap()) + " FORMAT PLAIN ENCODE JSON");
  c.Exec("CREATE TABLE ev_fl (user_id INT, action STRING, amount DECIMAL(10,2)) " +
         FlinkWith("ev_fl", kafka.bootstrap(), "json"));
  const std::vector<std::string> events = {
      R"({"user_id":1,"action":"buy","amount":10.50})",
      R"({"user_id":2,"action":"buy","amount":5})",
      R"({"user_id":1,"action":"refund","amount":2.25})",
      R"({"user_id":1,"action":"buy","amount":10.50})",  // the same event twice: two rows
      R"({"amount":1.25,"action":"buy","user_id":3,"extra":{"ignored":true}})",
  };
  kafka.ProduceValues("ev_rw", 0, events);
  kafka.ProduceValues("ev_fl", 0, events);
  for (const std::string table : {"ev_rw", "ev_fl"}) {
    INFO("table " << table);
    c.Exec("CREATE MATERIALIZED VIEW " + table + "_by_action AS SELECT action, count(*) AS n, " +
           "sum(amount) AS total FROM " + table + " GROUP BY action");
    const Rows expected = {{"1", "buy", "10.50"},
                           {"1", "buy", "10.50"},
                           {"1", "refund", "2.25"},
                           {"2", "buy", "5.00"},
                           {"3", "buy", "1.25"}};
    CHECK_ROWS(
        WaitForRows(c, "select user_id, action, amount from " + table + " order by user_id, action",
                    expected),
        expected);
    CHECK_ROWS(c.Exec("select action, n, total from " + table + "_by_action order by action"),
               (Rows{{"buy", "4", "27.25"}, {"refund", "1", "2.25"}}));
    CheckCleanSource(c, table, table, "json", 5);
  }
}

TEST_CASE("a 3-partition Debezium topic: per-partition offsets and the final state",
          "[kafka][partitions]") {
  constexpr int kPartitions = 3;
  MockKafka kafka({{"accounts", kPartitions}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR, balance NUMERIC(12,2)) " +
         RisingWaveWith("accounts", kafka.bootstrap()) + " FORMAT DEBEZIUM ENCODE JSON");
  c.Exec(
      "CREATE MATERIALIZED VIEW by_owner AS SELECT owner, count(*) AS n, sum(balance) AS total "
      "FROM accounts GROUP BY owner");

  // Every id lives in partition id % 3, so each id's changes stay in order.
  auto row = [](int id, int version) {
    return "{\"id\":" + std::to_string(id) + ",\"owner\":\"o" + std::to_string((id + version) % 5) +
           "\",\"balance\":" + std::to_string(id * 10 + version) + ".25}";
  };
  std::vector<std::vector<std::string>> by_partition(kPartitions);
  std::map<int, int> version;  // id -> version present
  for (int id = 1; id <= 300; ++id) {
    by_partition[id % kPartitions].push_back(DebeziumJson("c", "null", row(id, 0)));
    version[id] = 0;
  }
  for (int id = 5; id <= 300; id += 5) {
    by_partition[id % kPartitions].push_back(DebeziumJson("u", row(id, 0), row(id, 1)));
    version[id] = 1;
  }
  for (int id = 7; id <= 300; id += 7) {
    by_partition[id % kPartitions].push_back(DebeziumJson("d", row(id, version[id]), "null"));
    version.erase(id);
  }
  for (int p = 0; p < kPartitions; ++p) kafka.ProduceValues("accounts", p, by_partition[p]);

  Rows expected;
  std::map<std::string, std::pair<long, long>> groups;  // owner -> count, cents
  for (const auto& [id, v] : version) {
    const std::string owner = "o" + std::to_string((id + v) % 5);
    const long cents = (id * 10L + v) * 100 + 25;
    expected.push_back({std::to_string(id), owner, std::to_string(id * 10 + v) + ".25"});
    groups[owner].first += 1;
    groups[owner].second += cents;
  }
  Rows expected_groups;
  for (const auto& [owner, g] : groups) {
    char cents[8];
    std::snprintf(cents, sizeof cents, "%02ld", g.second % 100);
    expected_groups.push_back(
        {owner, std::to_string(g.first), std::to_string(g.second / 100) + "." + cents});
  }
  CHECK_ROWS(WaitForRows(c, "select id, owner, balance from accounts order by id", expected),
             expected);
  CHECK_ROWS(c.Exec("select owner, n, total from by_owner order by owner"), expected_groups);
  long total = 0;
  std::string offsets;
  for (int p = 0; p < kPartitions; ++p) {
    total += static_cast<long>(by_partition[p].size());
    offsets += (p ? "," : "") + std::to_string(p) + ":" + std::to_string(by_partition[p].size());
  }
  SourceStatus s = WaitForMessages(c, "accounts", total);
  INFO(s.Describe());
  CHECK(s.partitions == "3");
  CHECK(s.offsets == offsets);
  CHECK(s.messages == std::to_string(total));
  CHECK(s.errors == "0");
  CheckVerifyOk(c, "by_owner");
}

TEST_CASE("two Kafka-fed tables on two topics joined in a view: revenue moves with the customer",
          "[kafka][join]") {
  // SCENARIOS.md §2: append-only JSON orders, Debezium customers, country_sales.
  MockKafka kafka({{"orders", 2}, {"customers", 1}});
  TestServer server;
  Connection c(server);
  c.Exec("CREATE TABLE orders (order_id INT, total INT, customer_id INT) " +
         FlinkWith("orders", kafka.bootstrap(), "json"));
  c.Exec(
      "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR, country VARCHAR, "
      "postal_code VARCHAR) " +
      RisingWaveWith("customers", kafka.bootstrap()) + " FORMAT DEBEZIUM ENCODE JSON");
  c.Exec(
      "CREATE MATERIALIZED VIEW country_sales AS SELECT c.country, sum(o.total) AS revenue, "
      "count(*) AS orders FROM orders o JOIN customers c ON o.customer_id = c.id "
      "GROUP BY c.country");
  auto customer = [](int id, const std::string& country) {
    return "{\"id\":" + std::to_string(id) + ",\"name\":\"c" + std::to_string(id) +
           "\",\"country\":\"" + country + "\",\"postal_code\":\"" + std::to_string(10000 + id) +
           "\"}";
  };
  const std::map<int, std::string> countries = {{1, "France"}, {2, "France"}, {3, "Japan"},
                                                {4, "Japan"},  {5, "Brazil"}, {6, "Brazil"},
                                                {7, "Germany"}};
  std::vector<std::string> customer_events;
  for (const auto& [id, country] : countries) {
    customer_events.push_back(DebeziumJson("c", "null", customer(id, country)));
  }
  kafka.ProduceValues("customers", 0, customer_events);
  // Orders 1..40 for customers 1..7 (order i belongs to customer i % 7 + 1), total = i.
  std::map<std::string, std::pair<long, long>> sales;  // country -> revenue, orders
  std::vector<std::string> orders_p0, orders_p1;
  for (int i = 1; i <= 40; ++i) {
    const int customer_id = i % 7 + 1;
    (i % 2 ? orders_p1 : orders_p0)
        .push_back("{\"order_id\":" + std::to_string(i) + ",\"total\":" + std::to_string(i) +
                   ",\"customer_id\":" + std::to_string(customer_id) + "}");
    sales[countries.at(customer_id)].first += i;
    sales[countries.at(customer_id)].second += 1;
  }
  kafka.ProduceValues("orders", 0, orders_p0);
  kafka.ProduceValues("orders", 1, orders_p1);
  auto expected_sales = [&] {
    Rows rows;
    for (const auto& [country, s] : sales) {
      rows.push_back({country, std::to_string(s.first), std::to_string(s.second)});
    }
    return rows;
  };
  const std::string query = "select country, revenue, orders from country_sales order by country";
  CHECK_ROWS(WaitForRows(c, query, expected_sales()), expected_sales());

  // Customer 7, the only one in Germany, moves to China: all of 7's revenue moves and
  // Germany disappears.
  kafka.ProduceValues("customers", 0,
                      {DebeziumJson("u", customer(7, "Germany"), customer(7, "China"))});
  sales["China"] = sales["Germany"];
  sales.erase("Germany");
  CHECK_ROWS(WaitForRows(c, query, expected_sales()), expected_sales());
  // A new order for 7 lands in China.
  kafka.ProduceValues("orders", 0, {R"({"order_id":41,"total":100,"customer_id":7})"});
  sales["China"].first += 100;
  sales["China"].second += 1;
  CHECK_ROWS(WaitForRows(c, query, expected_sales()), expected_sales());
  SourceStatus orders = WaitForMessages(c, "orders", 41);
  INFO(orders.Describe());
  CHECK(orders.partitions == "2");
  CHECK(orders.offsets == "0:21,1:20");
  SourceStatus customers = WaitForMessages(c, "customers", 8);
  INFO(customers.Describe());
  CHECK(customers.offsets == "0:8");
  CheckVerifyOk(c, "country_sales");
}
