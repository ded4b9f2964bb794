// JSON value conversion rules shared by the formats (connectors/formats/json_values.h).
#include <catch2/catch.hpp>

#include <simdjson.h>

#include "connectors/formats/json_values.h"
#include "connectors/formats/row_converter.h"
#include "format_test_util.h"
#include "ivm/error.h"

namespace connectors::testing {
namespace {

using ivm::Type;
using ivm::TypeId;

// Converts one JSON value (text) to `type`, returning its text form or "NULL".
std::string Convert(const std::string& json, const Type& type, FieldEncoding encoding = {}) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded("[" + json + "]");
  simdjson::ondemand::document doc = parser.iterate(padded);
  for (simdjson::ondemand::value v : doc.get_array()) {
    ivm::Value value = JsonToValue(v, type, encoding);
    CHECK((value.type() == type.id));
    return value.is_null() ? "NULL" : value.ToText();
  }
  return "";
}

TEST_CASE("json values: numbers by column type", "[formats][json_values]") {
  CHECK(Convert("42", Type::Of(TypeId::kInt16)) == "42");
  CHECK(Convert("-9223372036854775808", Type::Of(TypeId::kInt64)) == "-9223372036854775808");
  CHECK(Convert("1.0", Type::Of(TypeId::kInt32)) == "1");
  CHECK(Convert("1e2", Type::Of(TypeId::kInt32)) == "100");
  CHECK(Convert("0.10000000149011612", Type::Of(TypeId::kFloat32)) == "0.1");
  CHECK(Convert("5.099999904632568", Type::Of(TypeId::kFloat32)) == "5.1");
  CHECK(Convert("0.1", Type::Of(TypeId::kFloat64)) == "0.1");
  CHECK(Convert("3.140000104904175", Type::Numeric(10, 3)) == "3.140");
  CHECK(Convert("1", Type::Numeric(10, 3)) == "1.000");
  CHECK(Convert("12345678901234567890.5", Type::Numeric()) == "12345678901234567890.5");
  CHECK(Convert("1.50", Type::Of(TypeId::kText)) == "1.50");  // as written
  CHECK(Convert("1", Type::Of(TypeId::kBool)) == "t");
  CHECK(Convert("0", Type::Of(TypeId::kDate)) == "1970-01-01");
  CHECK(Convert("-1", Type::Of(TypeId::kDate)) == "1969-12-31");
  CHECK(Convert("null", Type::Of(TypeId::kInt32)) == "NULL");
}

TEST_CASE("json values: timestamps without a schema guess the unit from the magnitude",
          "[formats][json_values]") {
  const Type ts = Type::Of(TypeId::kTimestamp);
  CHECK(Convert("1589355606100", ts) == "2020-05-13 07:40:06.1");           // ms
  CHECK(Convert("1589355606100200", ts) == "2020-05-13 07:40:06.1002");     // µs
  CHECK(Convert("1589355606100200300", ts) == "2020-05-13 07:40:06.1002");  // ns
  CHECK(Convert("-1000", ts) == "1969-12-31 23:59:59");
  CHECK(Convert("\"2020-05-13T07:40:06.1Z\"", ts) == "2020-05-13 07:40:06.1");
}

TEST_CASE("json values: logical encodings", "[formats][json_values]") {
  const FieldEncoding nanos{JsonEncoding::kTimestampNanos, 0};
  CHECK(Convert("-1", Type::Of(TypeId::kTimestamp), nanos) == "1969-12-31 23:59:59.999999");
  CHECK(Convert("\"AA==\"", Type::Numeric(), {JsonEncoding::kDecimalBytes, 0}) == "0");
  CHECK(Convert("\"/w==\"", Type::Numeric(), {JsonEncoding::kDecimalBytes, 1}) == "-0.1");
  CHECK(Convert("\"MDk=\"", Type::Of(TypeId::kFloat64), {JsonEncoding::kDecimalBytes, 2}) ==
        "123.45");
  CHECK(Convert("\"MDk=\"", Type::Of(TypeId::kText), {JsonEncoding::kDecimalBytes, 2}) == "123.45");
  // 10^37 needs 16 bytes; 17 bytes can never fit numeric's 38 digits.
  CHECK(Convert("\"B4XuENXaRtkA9DagAAAAAA==\"", Type::Numeric(),
                {JsonEncoding::kDecimalBytes, 37}) == "1.0000000000000000000000000000000000000");
  ivm::Error e = ErrorOf([&] {
    Convert("\"AAAAAAAAAAAAAAAAAAAAAAA=\"", Type::Numeric(), {JsonEncoding::kDecimalBytes, 0});
  });
  CHECK(e.sqlstate() == "22003");
  CHECK(Convert("86399999", Type::Of(TypeId::kText), {JsonEncoding::kTimeMillis, 0}) ==
        "23:59:59.999");
  CHECK(Convert("19000", Type::Of(TypeId::kTimestamp), {JsonEncoding::kDate, 0}) ==
        "2022-01-08 00:00:00");
  CHECK(EncodingFromSchemaName("io.debezium.time.MicroTimestamp", 0).encoding ==
        JsonEncoding::kTimestampMicros);
  CHECK(EncodingFromSchemaName("io.debezium.data.Json", 0).encoding == JsonEncoding::kPlain);
}

TEST_CASE("json values: strings, booleans and nested JSON", "[formats][json_values]") {
  CHECK(Convert("\"a\\\"b\\u00e9\"", Type::Of(TypeId::kText)) == "a\"bé");
  CHECK(Convert("\"ab\"", Type::Char(4)) == "ab  ");
  CHECK(Convert("\"yes\"", Type::Of(TypeId::kBool)) == "t");
  CHECK(Convert("true", Type::Of(TypeId::kText)) == "true");
  CHECK(Convert("{\"a\": [1, 2]}", Type::Of(TypeId::kText)) == "{\"a\": [1, 2]}");
  CHECK(Convert("[1,2]", Type::Varchar()) == "[1,2]");
  CHECK(Convert("\"1 day\"", Type::Of(TypeId::kInterval)) == "1 day");
  ivm::Error e = ErrorOf([&] { Convert("\"abc\"", Type::Varchar(2)); });
  CHECK(e.sqlstate() == "22001");
  e = ErrorOf([&] { Convert("[1]", Type::Of(TypeId::kInt32)); });
  CHECK(e.message() == "cannot convert JSON array to integer");
}

TEST_CASE("json values: base64", "[formats][json_values]") {
  CHECK(DecodeBase64("") == "");
  CHECK(DecodeBase64("TWFu") == "Man");
  CHECK(DecodeBase64("TWE=") == "Ma");
  CHECK(DecodeBase64("TWE") == "Ma");
  CHECK(DecodeBase64("TQ==") == "M");
  for (const char* bad : {"T", "TW=E", "T*==", "TWFuT"}) {
    INFO(bad);
    CHECK(ErrorOf([&] { DecodeBase64(bad); }).sqlstate() == "22P02");
  }
}

TEST_CASE("json values: column lookup is exact first, then case-insensitive",
          "[formats][json_values]") {
  ColumnLookup lookup({"id", "Name", "name_x"});
  CHECK(lookup.Find("id") == 0);
  CHECK(lookup.Find("Name") == 1);
  CHECK(lookup.Find("NAME") == 1);
  CHECK(lookup.Find("name_x", 2) == 2);
  CHECK(lookup.Find("missing") == -1);
  CHECK(lookup.Find(std::string(300, 'x')) == -1);
}

}  // namespace
}  // namespace connectors::testing
