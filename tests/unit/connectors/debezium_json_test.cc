// Debezium JSON against the Flink fixtures (tests/fixtures/cdc/README.md, tables A and B,
// section E) and hand-written messages for logical types and bad input.
#include <catch2/catch.hpp>

#include "connectors/formats/format_decoder.h"
#include "format_test_util.h"
#include "ivm/error.h"

namespace connectors::testing {
namespace {

using ivm::Type;
using ivm::TypeId;

std::unique_ptr<FormatDecoder> Debezium(const TargetSchema& target, bool schema_include = false) {
  FormatOptions options;
  options.schema_include = schema_include;
  return Decoder(Format::kDebeziumJson, target, options);
}

TEST_CASE("debezium: every table A file gives the 20-row changelog and the final state",
          "[formats][debezium]") {
  struct File {
    const char* name;
    bool schema_include;
  };
  for (File file : {File{"debezium-data-schema-exclude.txt", false},
                    File{"debezium-data-schema-include.txt", true},
                    File{"debezium-postgres-data-schema-exclude.txt", false}}) {
    INFO(file.name);
    TargetSchema target = Products();
    auto decoder = Debezium(target, file.schema_include);
    std::vector<std::string> lines = ReadLines(file.name);
    CHECK(lines.size() == 16);
    std::vector<RowChange> changes = DecodeAll(*decoder, lines);
    CHECK(Changelog(changes) == TableA());
    CheckTypes(changes, target);
    KeyedTable table(target);
    table.ApplyAll(changes);
    CHECK(table.Rows() == FinalStateA());
  }
}

TEST_CASE("debezium: the schema-include file also decodes without the option (shape detected)",
          "[formats][debezium]") {
  auto decoder = Debezium(Products(), false);
  CHECK(Changelog(DecodeAll(*decoder, ReadLines("debezium-data-schema-include.txt"))) == TableA());
}

TEST_CASE("debezium: SUM(weight) by name as DECIMAL(10,3)", "[formats][debezium]") {
  const std::map<std::string, std::string> expected = {
      {"scooter", "3.140"},    {"car battery", "8.100"}, {"12-pack drill bits", "0.800"},
      {"hammer", "2.625"},     {"rocks", "5.100"},       {"jacket", "0.600"},
      {"spare tire", "22.200"}};
  for (const char* file : {"debezium-data-schema-exclude.txt", "debezium-data-schema-include.txt",
                           "debezium-postgres-data-schema-exclude.txt"}) {
    INFO(file);
    TargetSchema target = Products(Type::Numeric(10, 3));
    auto decoder = Debezium(target, std::string(file).find("include") != std::string::npos);
    KeyedTable table(target);
    table.ApplyAll(DecodeAll(*decoder, ReadLines(file)));
    CHECK(SumWeightByName(table) == expected);
  }
}

TEST_CASE("debezium: widened MySQL floats read as REAL and as DECIMAL(10,3)",
          "[formats][debezium]") {
  const std::string message =
      R"({"before":null,"after":{"id":1,"name":"a","description":null,"weight":3.140000104904175},"op":"c"})";
  std::vector<RowChange> out;
  Debezium(Products())->Decode({}, message, &out, nullptr);
  REQUIRE(out.size() == 1);
  CHECK(out[0].after->at(3) == ivm::Value::Float32(3.14f));
  out.clear();
  Debezium(Products(Type::Numeric(10, 3)))->Decode({}, message, &out, nullptr);
  CHECK(out[0].after->at(3).ToText() == "3.140");
  out.clear();
  Debezium(Products(Type::Of(TypeId::kFloat64)))->Decode({}, message, &out, nullptr);
  CHECK(out[0].after->at(3).float_value() == 3.140000104904175);
}

// Table B. Flink fails at message 10. We decode updates without a before-image as upserts
// by key (keyed table) and fail only at message 16, the delete that carries no row at all.
TEST_CASE("debezium: postgres without REPLICA IDENTITY FULL, keyed table", "[formats][debezium]") {
  TargetSchema target = Products();
  auto decoder = Debezium(target);
  std::vector<std::string> lines = ReadLines("debezium-postgres-data-replica-identity.txt");
  REQUIRE(lines.size() == 16);
  std::vector<RowChange> out;
  for (size_t i = 0; i + 1 < lines.size(); ++i) decoder->Decode({}, lines[i], &out, nullptr);
  const std::vector<std::string> table_a = TableA();
  std::vector<std::string> expected(table_a.begin(), table_a.begin() + 9);
  for (const char* r :
       {"+U 106|hammer|18oz carpenter hammer|1", "+U 107|rocks|box of assorted rocks|5.1",
        "+I 110|jacket|water resistent white wind breaker|0.2",
        "+I 111|scooter|Big 2-wheel scooter |5.18",
        "+U 110|jacket|new water resistent white wind breaker|0.5",
        "+U 111|scooter|Big 2-wheel scooter |5.17"}) {
    expected.push_back(r);
  }
  CHECK(Changelog(out) == expected);
  for (size_t i = 9; i < out.size(); ++i) {
    if (out[i].kind == RowChange::Kind::kUpdate) CHECK_FALSE(out[i].before.has_value());
  }

  const size_t before_size = out.size();
  ivm::Error e = ErrorOf([&] { decoder->Decode({}, lines[15], &out, nullptr); });
  CHECK(e.sqlstate() == "22023");
  CHECK_THAT(e.message(), Catch::Contains("\"before\" field of a Debezium DELETE message is null"));
  CHECK_THAT(e.hint(), Catch::Contains("REPLICA IDENTITY FULL"));
  CHECK(out.size() == before_size);

  // The table keeps 111: its delete could not be applied.
  KeyedTable table(target);
  table.ApplyAll(out);
  std::vector<std::string> state = FinalStateA();
  state.push_back("111|scooter|Big 2-wheel scooter |5.17");
  CHECK(table.Rows() == state);
}

TEST_CASE("debezium: postgres without REPLICA IDENTITY FULL, keyless table fails like Flink",
          "[formats][debezium]") {
  auto decoder = Debezium(Products(Type::Of(TypeId::kFloat32), /*keyed=*/false));
  std::vector<std::string> lines = ReadLines("debezium-postgres-data-replica-identity.txt");
  std::vector<RowChange> out;
  for (size_t i = 0; i < 9; ++i) decoder->Decode({}, lines[i], &out, nullptr);
  CHECK(out.size() == 9);
  ivm::Error e = ErrorOf([&] { decoder->Decode({}, lines[9], &out, nullptr); });
  CHECK_THAT(e.message(), Catch::Contains("\"before\" field of a Debezium UPDATE message is null"));
  CHECK_THAT(e.hint(), Catch::Contains("REPLICA IDENTITY FULL"));
}

TEST_CASE("debezium: a delete whose before-image has only the key is a delete by key",
          "[formats][debezium]") {
  std::vector<RowChange> out;
  Debezium(Products())
      ->Decode(
          {},
          R"({"before":{"id":7,"name":null,"description":null,"weight":null},"after":null,"op":"d"})",
          &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"-D 7|NULL|NULL|NULL"});
  ivm::Error e = ErrorOf([&] {
    Debezium(Products())
        ->Decode({}, R"({"before":{"name":"x"},"after":null,"op":"d"})", &out, nullptr);
  });
  CHECK_THAT(e.message(), Catch::Contains("key column \"id\""));
  CHECK_THAT(e.hint(), Catch::Contains("REPLICA IDENTITY FULL"));
}

TEST_CASE("debezium: first-message metadata (section E)", "[formats][debezium]") {
  {
    std::vector<RowChange> out;
    std::vector<MessageMetadata> meta;
    Debezium(Products())->Decode({}, ReadLines("debezium-data-schema-exclude.txt")[0], &out, &meta);
    REQUIRE(meta.size() == 1);
    CHECK(meta[0].op == "c");
    CHECK(meta[0].ingestion_ts_ms == 1589355606100);
    CHECK(meta[0].event_ts_ms == 0);
    CHECK(meta[0].database == "inventory");
    CHECK_FALSE(meta[0].schema.has_value());
    CHECK(meta[0].table == "products");
    CHECK(meta[0].source_properties.size() == 14);
    CHECK_FALSE(meta[0].schema_json.has_value());
  }
  {
    std::vector<RowChange> out;
    std::vector<MessageMetadata> meta;
    Debezium(Products(), true)
        ->Decode({}, ReadLines("debezium-data-schema-include.txt")[0], &out, &meta);
    REQUIRE(meta.size() == 1);
    CHECK(meta[0].ingestion_ts_ms == 1589355606100);
    CHECK(meta[0].event_ts_ms == 0);
    CHECK(meta[0].database == "inventory");
    CHECK_FALSE(meta[0].schema.has_value());
    CHECK(meta[0].table == "products");
    CHECK(meta[0].source_properties.size() == 14);
    REQUIRE(meta[0].schema_json.has_value());
    CHECK_THAT(
        *meta[0].schema_json,
        Catch::StartsWith(
            R"({"type":"struct","fields":[{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},)"));
  }
  {
    std::vector<RowChange> out;
    std::vector<MessageMetadata> meta;
    Debezium(Products())
        ->Decode({}, ReadLines("debezium-postgres-data-schema-exclude.txt")[0], &out, &meta);
    REQUIRE(meta.size() == 1);
    CHECK(meta[0].op == "r");
    CHECK(meta[0].ingestion_ts_ms == 1596001099434);
    CHECK(meta[0].event_ts_ms == 1596001099434);
    CHECK(meta[0].database == "postgres");
    CHECK(meta[0].schema == "inventory");
    CHECK(meta[0].table == "products");
    CHECK(meta[0].source_properties.size() == 11);
  }
}

TEST_CASE("debezium: metadata entries parallel the changes", "[formats][debezium]") {
  std::vector<RowChange> out;
  std::vector<MessageMetadata> meta;
  DecodeAll(*Debezium(Products()), ReadLines("debezium-data-schema-exclude.txt"), &meta);
  CHECK(meta.size() == 16);
  CHECK(meta.back().op == "d");
}

TEST_CASE("debezium: tombstones yield nothing", "[formats][debezium]") {
  auto decoder = Debezium(Products(), true);
  std::vector<RowChange> out;
  std::vector<MessageMetadata> meta;
  for (const char* value : {"", "null", "  \n", R"({"schema":null,"payload":null})"}) {
    decoder->Decode("{\"id\":1}", value, &out, &meta);
  }
  CHECK(out.empty());
  CHECK(meta.empty());
}

TEST_CASE("debezium: bad messages raise ivm::Error and leave the output alone",
          "[formats][debezium]") {
  struct Case {
    const char* value;
    const char* sqlstate;
    const char* message;
  };
  const Case cases[] = {
      {R"({"op":"c","after":{"id":1})", "22P02", "malformed JSON"},
      {R"({"op":"c" "after":{"id":1}})", "22P02", "malformed JSON"},
      {R"({"op":"c","after":{"id":1}} trailing)", "22P02", "malformed JSON"},
      {R"({"op":"c","after":{"id":1}}{"op":"c"})", "22P02", "content after the end"},
      {R"([1,2])", "22023", "must be a JSON object, not an array"},
      {R"("c")", "22023", "must be a JSON object, not a string"},
      {R"(42)", "22023", "must be a JSON object, not a number"},
      {R"({"after":{"id":1}})", "22023", "no \"op\" field"},
      {R"({"schema":{"type":"struct"},"payload":{"after":{"id":1}}})", "22023",
       "\"payload\" has no \"op\""},
      {R"({"payload":[1]})", "22023", "\"payload\" must be a JSON object, not an array"},
      {R"({"op":"x","after":{"id":1}})", "22023", "unknown Debezium \"op\" value \"x\""},
      {R"({"op":5,"after":{"id":1}})", "22023", "\"op\" must be a string"},
      {R"({"op":"t"})", "0A000", "truncate"},
      {R"({"op":"c","after":null})", "22023", "\"after\" field of a Debezium insert"},
      {R"({"op":"u","before":null,"after":null})", "22023", "\"after\" field of a Debezium UPDATE"},
      {R"({"op":"c","after":[1]})", "22023",
       "\"after\" must be a JSON object or null, not an array"},
      {R"({"op":"c","after":{"name":"x"}})", "22023", "key column \"id\" is missing or null"},
      {R"({"op":"c","after":{"id":null}})", "22023", "key column \"id\""},
      {R"({"op":"c","after":{"id":"abc"}})", "22P02",
       "column \"id\": invalid input syntax for type integer: \"abc\""},
      {R"({"op":"c","after":{"id":1.5}})", "22P02", "column \"id\": invalid input syntax"},
      {R"({"op":"c","after":{"id":true}})", "22P02", "cannot convert JSON boolean to integer"},
      {R"({"op":"c","after":{"id":{"a":1}}})", "22P02", "cannot convert JSON object to integer"},
      {R"({"op":"c","after":{"id":99999999999}})", "22003", "out of range for type integer"},
      {R"({"op":"c","after":{"id":123456789012345678901234567890}})", "22003", "integer"},
      {R"({"op":"c","after":{"id":1,"weight":1e999}})", "22003", "column \"weight\""},
      {R"({"op":"c","after":{"id":1,"weight":"heavy"}})", "22P02",
       "column \"weight\": invalid input syntax for type real"},
      {R"({"op":"c","after":{"id":1,"name":"\x"}})", "22P02", "malformed JSON"},
  };
  auto decoder = Debezium(Products());
  for (const Case& c : cases) {
    INFO(c.value);
    std::vector<RowChange> out(1);
    std::vector<MessageMetadata> meta(1);
    ivm::Error e = ErrorOf([&] { decoder->Decode({}, c.value, &out, &meta); });
    CHECK(e.sqlstate() == c.sqlstate);
    CHECK_THAT(e.message(), Catch::Contains(c.message));
    CHECK(out.size() == 1);
    CHECK(meta.size() == 1);
  }
  // The decoder is still usable after errors.
  std::vector<RowChange> out;
  decoder->Decode({}, R"({"op":"c","after":{"id":1}})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+I 1|NULL|NULL|NULL"});
}

TEST_CASE("debezium: ignore_parse_errors skips bad messages and counts them",
          "[formats][debezium]") {
  FormatOptions options;
  options.ignore_parse_errors = true;
  auto decoder = Decoder(Format::kDebeziumJson, Products(), options);
  std::vector<RowChange> out;
  decoder->Decode({}, "{oops", &out, nullptr);
  decoder->Decode({}, R"({"op":"c","after":{"id":"abc"}})", &out, nullptr);
  decoder->Decode({}, R"({"op":"c","after":{"id":2}})", &out, nullptr);
  CHECK(out.size() == 1);
  CHECK(decoder->ignored_messages() == 2);
}

// Logical types with a schema block. Expected values, worked out by hand:
// - Decimal bytes "MDk=" = 0x30 0x39 = 12345, scale 2 -> 123.45; "z8c=" = 0xCFC7 = -12345.
// - Date 19000 days after 1970-01-01 = 2022-01-08.
// - Time 3723004 ms = 01:02:03.004; MicroTime 3723004005 us = 01:02:03.004005; NanoTime
//   3723004005006 ns = 01:02:03.004005 (nanoseconds truncated).
// - Timestamp 1589355606100 ms = 2020-05-13 07:40:06.1 UTC; MicroTimestamp 1589355606100200
//   = ...06.1002; NanoTimestamp 1589355606100200300 = ...06.1002.
// - ZonedTimestamp 2020-05-13T12:38:35.477+02:00 = 2020-05-13 10:38:35.477+00.
// - VariableScaleDecimal {"scale":3,"value":"MDk="} = 12.345.
TEST_CASE("debezium: decimals as bytes and io.debezium.time types via the schema block",
          "[formats][debezium]") {
  TargetSchema target;
  target.names = {"id",     "amount", "neg",   "d",     "t_ms", "t_us", "t_ns",
                  "t_text", "ts_ms",  "ts_us", "ts_ns", "zts",  "vsd",  "d_text"};
  target.types = {Type::Of(TypeId::kInt32),
                  Type::Numeric(10, 2),
                  Type::Numeric(),
                  Type::Of(TypeId::kDate),
                  Type::Of(TypeId::kInterval),
                  Type::Of(TypeId::kInterval),
                  Type::Of(TypeId::kInterval),
                  Type::Of(TypeId::kText),
                  Type::Of(TypeId::kTimestamp),
                  Type::Of(TypeId::kTimestamp),
                  Type::Of(TypeId::kTimestamp),
                  Type::Of(TypeId::kTimestampTz),
                  Type::Numeric(),
                  Type::Of(TypeId::kText)};
  target.key = {0};
  auto field = [](const char* type, const char* name, const char* field_name,
                  const char* params = nullptr) {
    std::string f = std::string(R"({"type":")") + type + R"(","optional":true)";
    if (name) f += std::string(R"(,"name":")") + name + "\"";
    if (params) f += std::string(R"(,"parameters":)") + params;
    return f + R"(,"field":")" + field_name + "\"}";
  };
  std::string row_schema =
      R"({"type":"struct","fields":[)" + field("int32", nullptr, "id") + "," +
      field("bytes", "org.apache.kafka.connect.data.Decimal", "amount",
            R"({"scale":"2","connect.decimal.precision":"10"})") +
      "," + field("bytes", "org.apache.kafka.connect.data.Decimal", "neg", R"({"scale":"2"})") +
      "," + field("int32", "io.debezium.time.Date", "d") + "," +
      field("int32", "io.debezium.time.Time", "t_ms") + "," +
      field("int64", "io.debezium.time.MicroTime", "t_us") + "," +
      field("int64", "io.debezium.time.NanoTime", "t_ns") + "," +
      field("int64", "io.debezium.time.MicroTime", "t_text") + "," +
      field("int64", "io.debezium.time.Timestamp", "ts_ms") + "," +
      field("int64", "io.debezium.time.MicroTimestamp", "ts_us") + "," +
      field("int64", "io.debezium.time.NanoTimestamp", "ts_ns") + "," +
      field("string", "io.debezium.time.ZonedTimestamp", "zts") + "," +
      field("struct", "io.debezium.data.VariableScaleDecimal", "vsd") + "," +
      field("int32", "io.debezium.time.Date", "d_text") + R"(],"optional":true,"field":"after"})";
  std::string message =
      R"({"schema":{"type":"struct","fields":[)" + row_schema +
      R"(],"optional":false,"name":"x.Envelope"},"payload":{"before":null,"after":{"id":1,)"
      R"("amount":"MDk=","neg":"z8c=","d":19000,"t_ms":3723004,"t_us":3723004005,)"
      R"("t_ns":3723004005006,"t_text":3723004005,"ts_ms":1589355606100,)"
      R"("ts_us":1589355606100200,"ts_ns":1589355606100200300,)"
      R"("zts":"2020-05-13T12:38:35.477+02:00","vsd":{"scale":3,"value":"MDk="},"d_text":19000},)"
      R"("op":"c","ts_ms":1})"
      "}";
  FormatOptions options;
  options.schema_include = true;
  auto decoder = Decoder(Format::kDebeziumJson, target, options);
  for (int pass = 0; pass < 2; ++pass) {  // the second pass uses the cached schema
    std::vector<RowChange> out;
    decoder->Decode({}, message, &out, nullptr);
    REQUIRE(out.size() == 1);
    CHECK(RowText(*out[0].after) ==
          "1|123.45|-123.45|2022-01-08|01:02:03.004|01:02:03.004005|01:02:03.004005|"
          "01:02:03.004005|2020-05-13 07:40:06.1|2020-05-13 07:40:06.1002|"
          "2020-05-13 07:40:06.1002|2020-05-13 10:38:35.477+00|12.345|2022-01-08");
  }
}

TEST_CASE("debezium: without a schema, numbers are read by the column type",
          "[formats][debezium]") {
  TargetSchema target;
  target.names = {"id", "d", "ts_ms", "ts_us", "ts_ns", "tstz", "amount", "epoch"};
  target.types = {Type::Of(TypeId::kInt32),     Type::Of(TypeId::kDate),
                  Type::Of(TypeId::kTimestamp), Type::Of(TypeId::kTimestamp),
                  Type::Of(TypeId::kTimestamp), Type::Of(TypeId::kTimestampTz),
                  Type::Numeric(10, 2),         Type::Of(TypeId::kTimestamp)};
  target.key = {0};
  auto decoder = Decoder(Format::kDebeziumJson, target);
  std::vector<RowChange> out;
  decoder->Decode(
      {},
      R"({"op":"c","after":{"id":1,"d":19000,"ts_ms":1589355606100,"ts_us":1589355606100200,)"
      R"("ts_ns":1589355606100200300,"tstz":"2020-05-13T12:38:35.477Z","amount":"123.45","epoch":0}})",
      &out, nullptr);
  REQUIRE(out.size() == 1);
  CHECK(RowText(*out[0].after) ==
        "1|2022-01-08|2020-05-13 07:40:06.1|2020-05-13 07:40:06.1002|2020-05-13 07:40:06.1002|"
        "2020-05-13 12:38:35.477+00|123.45|1970-01-01 00:00:00");

  // Base64 decimal bytes without the schema cannot be read: say how to fix it.
  ivm::Error e = ErrorOf([&] {
    decoder->Decode({}, R"({"op":"c","after":{"id":1,"amount":"MDk="}})", &out, nullptr);
  });
  CHECK(e.sqlstate() == "22P02");
  CHECK_THAT(e.message(), Catch::Contains("column \"amount\""));
  CHECK_THAT(e.hint(), Catch::Contains("decimal.handling.mode"));
}

TEST_CASE("debezium: filters and jsonpaths are rejected for this format", "[formats][debezium]") {
  FormatOptions options;
  options.table_include = "products";
  ivm::Error e = ErrorOf([&] { Decoder(Format::kDebeziumJson, Products(), options); });
  CHECK(e.sqlstate() == "22023");
}

}  // namespace
}  // namespace connectors::testing
