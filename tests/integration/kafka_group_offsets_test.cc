// Consumer groups: a source with 'properties.group.id' commits the offsets it stored to the
// group (so Kafka's tools see its progress), and a new source declared with
// 'scan.startup.mode'='group-offsets' starts where the group left off. Stored offsets stay
// the truth for an existing source: a restart never reads the group back.
#include <thread>

#include "tests/integration/kafka_harness.h"

using namespace tributary_it;

namespace {

std::vector<std::string> Events(int first, int count) {
  std::vector<std::string> out;
  for (int i = first; i < first + count; ++i) out.push_back("{\"id\":" + std::to_string(i) + "}");
  return out;
}

std::string GroupTable(const std::string& name, const std::string& bootstrap,
                       const std::string& mode) {
  return "CREATE TABLE " + name + " (id INT) WITH ('connector'='kafka', 'topic'='events', " +
         "'properties.bootstrap.servers'='" + bootstrap +
         "', 'properties.group.id'='reporting', 'scan.startup.mode'='" + mode +
         "', 'format'='json')";
}

}  // namespace

TEST_CASE("group offsets: a new source starts where the group's last source stopped",
          "[kafka][group]") {
  MockKafka kafka({{"events", 2}});
  kafka.ProduceValues("events", 0, Events(0, 5));
  kafka.ProduceValues("events", 1, Events(5, 5));
  TestServer server;
  Connection c(server);
  c.Exec(GroupTable("first", kafka.bootstrap(), "earliest-offset"));
  CHECK_ROWS(WaitForRows(c, "SELECT count(*) FROM first", {{"10"}}), (Rows{{"10"}}));
  // The group commit is informational and periodic (about once a second).
  std::this_thread::sleep_for(2500ms);
  c.Exec("DROP TABLE first");

  kafka.ProduceValues("events", 0, Events(10, 3));
  kafka.ProduceValues("events", 1, Events(13, 2));
  c.Exec(GroupTable("second", kafka.bootstrap(), "group-offsets"));
  // Only what the first source had not consumed.
  CHECK_ROWS(WaitForRows(c, "SELECT min(id), max(id), count(*) FROM second", {{"10", "14", "5"}}),
             (Rows{{"10", "14", "5"}}));
  SourceStatus status = WaitForMessages(c, "second", 5);
  CHECK(status.offsets == "0:8,1:7");
}

TEST_CASE("group-offsets without a group id is refused at CREATE", "[kafka][group]") {
  TestServer server;
  Connection c(server);
  c.ExpectError(
      "CREATE TABLE t (id INT) WITH ('connector'='kafka', 'topic'='events', "
      "'properties.bootstrap.servers'='127.0.0.1:1', 'scan.startup.mode'='group-offsets', "
      "'format'='json')",
      "22023");
}
