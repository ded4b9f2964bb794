// Maxwell JSON against the Flink fixture (tests/fixtures/cdc/README.md, table C, section E).
#include <catch2/catch.hpp>

#include "connectors/formats/format_decoder.h"
#include "format_test_util.h"
#include "ivm/error.h"

namespace connectors::testing {
namespace {

TEST_CASE("maxwell: maxwell-data.txt gives the 26-row changelog and the final state",
          "[formats][maxwell]") {
  TargetSchema target = Products();
  std::vector<std::string> lines = ReadLines("maxwell-data.txt");
  CHECK(lines.size() == 20);
  std::vector<RowChange> changes = DecodeAll(*Decoder(Format::kMaxwellJson, target), lines);
  CHECK(Changelog(changes) == TableC(/*null_106=*/false));
  CheckTypes(changes, target);
  KeyedTable table(target);
  table.ApplyAll(changes);
  CHECK(table.Rows() == FinalStateC());
}

TEST_CASE("maxwell: metadata and transaction markers", "[formats][maxwell]") {
  std::vector<MessageMetadata> meta;
  DecodeAll(*Decoder(Format::kMaxwellJson, Products()), ReadLines("maxwell-data.txt"), &meta);
  REQUIRE(meta.size() == 20);
  CHECK(meta[0].op == "insert");
  CHECK(meta[0].database == "test");
  CHECK(meta[0].table == "product");
  CHECK(meta[0].primary_keys == std::vector<std::string>{"id"});
  CHECK(meta[0].ingestion_ts_ms == 1596684883000);
  CHECK(meta[0].xid == 7125);
  CHECK(meta[0].xoffset == 0);
  CHECK_FALSE(meta[0].commit);
  CHECK(meta[8].xid == 7125);
  CHECK_FALSE(meta[8].xoffset.has_value());
  CHECK(meta[8].commit);
  // Transaction 7291 holds the two updates, 7322 the two deletes.
  CHECK(meta[16].xid == 7291);
  CHECK(meta[17].xid == 7291);
  CHECK(meta[17].commit);
  CHECK(meta[18].xid == 7322);
  CHECK(meta[19].op == "delete");
}

TEST_CASE("maxwell: filters, skipped types and tombstones", "[formats][maxwell]") {
  FormatOptions options;
  options.database_include = "test";
  options.table_include = "other";
  auto filtered = Decoder(Format::kMaxwellJson, Products(), options);
  std::vector<RowChange> out;
  for (const std::string& line : ReadLines("maxwell-data.txt")) {
    filtered->Decode({}, line, &out, nullptr);
  }
  CHECK(out.empty());
  auto decoder = Decoder(Format::kMaxwellJson, Products());
  for (const char* value :
       {"", "null",
        R"({"database":"test","table":"product","type":"bootstrap-start","ts":1,"data":{}})",
        R"({"type":"table-create","database":"test","table":"t","def":{}})"}) {
    decoder->Decode({}, value, &out, nullptr);
  }
  CHECK(out.empty());
}

TEST_CASE("maxwell: bad messages", "[formats][maxwell]") {
  struct Case {
    const char* value;
    const char* sqlstate;
    const char* message;
  };
  const Case cases[] = {
      {R"({"type":"insert","data":{"id":1})", "22P02", "malformed JSON"},
      {R"({"type":"insert"})", "22023", "no \"data\" object"},
      {R"({"type":"upsert","data":{"id":1}})", "22023",
       "unknown Maxwell \"type\" value \"upsert\""},
      {R"({"data":{"id":1}})", "22023", "no \"type\" field"},
      {R"({"type":"insert","data":[{"id":1}]})", "22023", "\"data\" must be a JSON object"},
      {R"({"type":"insert","data":{"id":"one"}})", "22P02", "column \"id\""},
      {R"({"type":"delete","data":{"name":"x"}})", "22023", "key column \"id\""},
  };
  auto decoder = Decoder(Format::kMaxwellJson, Products());
  for (const Case& c : cases) {
    INFO(c.value);
    std::vector<RowChange> out;
    ivm::Error e = ErrorOf([&] { decoder->Decode({}, c.value, &out, nullptr); });
    CHECK(e.sqlstate() == c.sqlstate);
    CHECK_THAT(e.message(), Catch::Contains(c.message));
    CHECK(out.empty());
  }
}

}  // namespace
}  // namespace connectors::testing
