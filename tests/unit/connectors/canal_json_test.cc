// Canal JSON against the Flink fixtures (tests/fixtures/cdc/README.md, tables C and D,
// section E), including the older versions in variants/.
#include <catch2/catch.hpp>

#include "connectors/formats/format_decoder.h"
#include "format_test_util.h"
#include "ivm/error.h"

namespace connectors::testing {
namespace {

std::unique_ptr<FormatDecoder> Canal(const TargetSchema& target, std::string database = {},
                                     std::string table = {}) {
  FormatOptions options;
  options.database_include = std::move(database);
  options.table_include = std::move(table);
  return Decoder(Format::kCanalJson, target, options);
}

TEST_CASE("canal: canal-data.txt gives the 26-row changelog with a NULL 106 description",
          "[formats][canal]") {
  TargetSchema target = Products();
  std::vector<std::string> lines = ReadLines("canal-data.txt");
  CHECK(lines.size() == 11);
  std::vector<RowChange> changes = DecodeAll(*Canal(target), lines);
  CHECK(Changelog(changes) == TableC(/*null_106=*/true));
  CheckTypes(changes, target);
  KeyedTable table(target);
  table.ApplyAll(changes);
  CHECK(table.Rows() == FinalStateC());
}

TEST_CASE("canal: the older canal-data.txt keeps 106's first description", "[formats][canal]") {
  TargetSchema target = Products();
  std::vector<RowChange> changes =
      DecodeAll(*Canal(target), ReadLines("variants/canal-data.7efdf0da.txt"));
  CHECK(Changelog(changes) == TableC(/*null_106=*/false));
  KeyedTable table(target);
  table.ApplyAll(changes);
  CHECK(table.Rows() == FinalStateC());
}

TEST_CASE("canal: one message with several rows and several old entries", "[formats][canal]") {
  std::vector<std::string> lines = ReadLines("canal-data.txt");
  std::vector<RowChange> out;
  Canal(Products())->Decode({}, lines[8], &out, nullptr);  // UPDATE of 101 and 102
  CHECK(Changelog(out) == std::vector<std::string>{
                              "-U 101|scooter|Small 2-wheel scooter|3.14",
                              "+U 101|scooter|Small 2-wheel scooter|5.17",
                              "-U 102|car battery|12V car battery|8.1",
                              "+U 102|car battery|12V car battery|5.17",
                          });
}

TEST_CASE("canal: filter-table files with regex and with exact names", "[formats][canal]") {
  struct Case {
    const char* file;
    const char* database;
    const char* table;
    bool null_106;
  };
  for (Case c :
       {Case{"canal-data-filter-table.txt", "^my.*", "^prod.*", true},
        Case{"canal-data-filter-table.txt", "mydb", "product", true},
        Case{"variants/canal-data-filter-table.adda5625.txt", "mydb", "product", false},
        Case{"variants/canal-data-filter-table.adda5625.txt", "^my.*", "^prod.*", false}}) {
    INFO(c.file << " database " << c.database << " table " << c.table);
    TargetSchema target = Products();
    std::vector<RowChange> changes =
        DecodeAll(*Canal(target, c.database, c.table), ReadLines(c.file));
    CHECK(Changelog(changes) == TableC(c.null_106));
    KeyedTable table(target);
    table.ApplyAll(changes);
    CHECK(table.Rows() == FinalStateC());
  }
}

TEST_CASE("canal: the project rows (ids A101...) are filtered before conversion",
          "[formats][canal]") {
  std::vector<std::string> lines = ReadLines("canal-data-filter-table.txt");
  REQUIRE(lines.size() == 16);
  const std::string& project = lines[15];
  REQUIRE(project.find("\"A101\"") != std::string::npos);
  std::vector<RowChange> out;
  Canal(Products(), "^my.*", "^prod.*")->Decode({}, project, &out, nullptr);
  CHECK(out.empty());
  // Without the filter the same message is an error: "A101" is no integer.
  ivm::Error e = ErrorOf([&] { Canal(Products())->Decode({}, project, &out, nullptr); });
  CHECK(e.sqlstate() == "22P02");
  CHECK_THAT(e.message(),
             Catch::Contains("column \"id\": invalid input syntax for type integer: \"A101\""));
  // And the orders rows have no id.
  e = ErrorOf([&] { Canal(Products())->Decode({}, lines[3], &out, nullptr); });
  CHECK_THAT(e.message(), Catch::Contains("key column \"id\""));
  CHECK(out.empty());
}

TEST_CASE("canal: first-message metadata (section E and D)", "[formats][canal]") {
  {
    std::vector<RowChange> out;
    std::vector<MessageMetadata> meta;
    Canal(Products())->Decode({}, ReadLines("canal-data.txt")[0], &out, &meta);
    REQUIRE(meta.size() == 9);  // one per row of the message
    for (const MessageMetadata& m : meta) {
      CHECK(m.op == "INSERT");
      CHECK(m.database == "inventory");
      CHECK(m.table == "products2");
      CHECK(m.sql_types.size() == 4);
      CHECK(m.primary_keys == std::vector<std::string>{"id"});
      CHECK(m.ingestion_ts_ms == 1589373515477);
      CHECK(m.event_ts_ms == 1589373515000);
    }
    CHECK(meta[0].sql_types[0] == std::pair<std::string, int>{"id", 4});
    CHECK(meta[0].sql_types[3] == std::pair<std::string, int>{"weight", 7});
  }
  {
    std::vector<RowChange> out;
    std::vector<MessageMetadata> meta;
    Canal(Products(), "^my.*", "^prod.*")
        ->Decode({}, ReadLines("canal-data-filter-table.txt")[0], &out, &meta);
    REQUIRE_FALSE(meta.empty());
    CHECK(meta[0].database == "mydb");
    CHECK(meta[0].table == "product");
    CHECK(meta[0].ingestion_ts_ms == 1598944146308);
    CHECK(meta[0].event_ts_ms == 1598944132000);
  }
}

TEST_CASE("canal: DDL messages and tombstones yield nothing", "[formats][canal]") {
  auto decoder = Canal(Products());
  std::vector<RowChange> out;
  std::vector<MessageMetadata> meta;
  decoder->Decode({}, ReadLines("canal-data.txt")[9], &out, &meta);  // isDdl CREATE
  for (const char* value : {"", "null", " "}) decoder->Decode({}, value, &out, &meta);
  decoder->Decode({}, R"({"data":null,"database":"d","isDdl":false,"table":"t","type":"ALTER"})",
                  &out, &meta);
  CHECK(out.empty());
  CHECK(meta.empty());
}

TEST_CASE("canal: old entries with null mean the old value was NULL", "[formats][canal]") {
  std::vector<RowChange> out;
  Canal(Products())
      ->Decode(
          {},
          R"({"data":[{"id":"1","name":"a","description":"now","weight":"1"}],"old":[{"description":null,"weight":"2"}],"type":"UPDATE","isDdl":false})",
          &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"-U 1|a|NULL|2", "+U 1|a|now|1"});
}

TEST_CASE("canal: bad messages", "[formats][canal]") {
  struct Case {
    const char* value;
    const char* sqlstate;
    const char* message;
  };
  const Case cases[] = {
      {R"({"data":[{"id":"1"}],"type":"INSERT")", "22P02", "malformed JSON"},
      {R"([{"data":[]}])", "22023", "must be a JSON object, not an array"},
      {R"({"data":[{"id":"1"}]})", "22023", "no \"type\" field"},
      {R"({"data":[{"id":"1"}],"type":"MERGE"})", "22023",
       "unknown Canal \"type\" value \"MERGE\""},
      {R"({"data":null,"type":"INSERT"})", "22023", "\"data\" field of a Canal INSERT"},
      {R"({"data":{"id":"1"},"type":"INSERT"})", "22023", "must be an array of rows"},
      {R"({"data":["1"],"type":"INSERT"})", "22023", "a Canal \"data\" row must be a JSON object"},
      {R"({"data":[{"id":"1"},{"id":"x"}],"type":"INSERT"})", "22P02", "column \"id\""},
      {R"({"data":[{"id":"1"},{"name":"x"}],"type":"DELETE"})", "22023", "key column \"id\""},
      {R"({"data":[{"id":"1","weight":"1e99"}],"type":"INSERT"})", "22003", "column \"weight\""},
      {R"({"data":[{"id":"1"},{"id":"2"}],"old":[{"name":"a"}],"type":"UPDATE"})", "22023",
       "1 \"old\" entries for 2 \"data\" rows"},
      {R"({"data":[{"id":"1"}],"old":{"name":"a"},"type":"UPDATE"})", "22023",
       "\"old\" field of a Canal UPDATE must be an array"},
      {R"({"data":[{"id":"1"}],"type":"INSERT","database":5})", "22023", "must be a string"},
  };
  for (const Case& c : cases) {
    INFO(c.value);
    auto decoder = Canal(Products(), c.value == cases[12].value ? "x" : "");
    std::vector<RowChange> out(1);
    ivm::Error e = ErrorOf([&] { decoder->Decode({}, c.value, &out, nullptr); });
    CHECK(e.sqlstate() == c.sqlstate);
    CHECK_THAT(e.message(), Catch::Contains(c.message));
    CHECK(out.size() == 1);  // a failing multi-row message adds nothing
  }
}

TEST_CASE("canal: a bad filter pattern is reported at construction", "[formats][canal]") {
  ivm::Error e = ErrorOf([&] { Canal(Products(), "([", ""); });
  CHECK(e.sqlstate() == "22023");
  CHECK_THAT(e.message(), Catch::Contains("invalid regular expression"));
}

}  // namespace
}  // namespace connectors::testing
