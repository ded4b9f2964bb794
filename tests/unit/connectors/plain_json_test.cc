// Plain JSON (Flink's json format, StarRocks routine load with jsonpaths and __op) with
// hand-written messages.
#include <catch2/catch.hpp>

#include "connectors/formats/format_decoder.h"
#include "connectors/formats/plain_json.h"
#include "format_test_util.h"
#include "ivm/error.h"

namespace connectors::testing {
namespace {

using ivm::Type;
using ivm::TypeId;

// orders(order_id BIGINT, order_revenue NUMERIC(12,2), dt DATE, region VARCHAR(8)), key order_id.
TargetSchema Orders(bool keyed = true) {
  TargetSchema t;
  t.names = {"order_id", "order_revenue", "dt", "region"};
  t.types = {Type::Of(TypeId::kInt64), Type::Numeric(12, 2), Type::Of(TypeId::kDate),
             Type::Varchar(8)};
  if (keyed) t.key = {0};
  return t;
}

std::unique_ptr<FormatDecoder> Plain(const TargetSchema& target, FormatOptions options = {}) {
  return Decoder(Format::kPlainJson, target, std::move(options));
}

TEST_CASE("plain: objects are inserts by field name", "[formats][plain]") {
  std::vector<RowChange> out;
  auto decoder = Plain(Orders(false));
  decoder->Decode({}, R"({"order_id":1,"order_revenue":12.345,"dt":"2024-01-02","extra":[1,2]})",
                  &out, nullptr);
  decoder->Decode({}, R"({"ORDER_ID":"2","Region":"eu"})", &out, nullptr);  // case folded
  decoder->Decode({}, "", &out, nullptr);
  decoder->Decode({}, "null", &out, nullptr);
  CHECK(Changelog(out) ==
        std::vector<std::string>{"+I 1|12.35|2024-01-02|NULL", "+I 2|NULL|NULL|eu"});
  CheckTypes(out, Orders(false));
}

TEST_CASE("plain: __op marks upserts and deletes", "[formats][plain]") {
  std::vector<RowChange> out;
  auto decoder = Plain(Orders());
  decoder->Decode({}, R"({"order_id":1,"order_revenue":"10","__op":0})", &out, nullptr);
  decoder->Decode({}, R"({"order_id":1,"__op":"1"})", &out, nullptr);
  decoder->Decode({}, R"({"order_id":2,"order_revenue":"5.5"})", &out, nullptr);
  REQUIRE(out.size() == 3);
  CHECK(out[0].kind == RowChange::Kind::kUpdate);
  CHECK_FALSE(out[0].before.has_value());
  CHECK(out[1].kind == RowChange::Kind::kDelete);
  CHECK(out[2].kind == RowChange::Kind::kInsert);
  CHECK(Changelog(out) == std::vector<std::string>{"+U 1|10.00|NULL|NULL", "-D 1|NULL|NULL|NULL",
                                                   "+I 2|5.50|NULL|NULL"});
  ivm::Error e = ErrorOf([&] { decoder->Decode({}, R"({"order_id":1,"__op":2})", &out, nullptr); });
  CHECK_THAT(e.message(), Catch::Contains("__op must be 0 (upsert) or 1 (delete), not \"2\""));
}

TEST_CASE("plain: arrays need strip_outer_array", "[formats][plain]") {
  std::vector<RowChange> out;
  ivm::Error e =
      ErrorOf([&] { Plain(Orders())->Decode({}, R"([{"order_id":1}])", &out, nullptr); });
  CHECK(e.sqlstate() == "22023");
  CHECK_THAT(e.hint(), Catch::Contains("strip_outer_array"));
  FormatOptions options;
  options.strip_outer_array = true;
  Plain(Orders(), options)->Decode({}, R"([{"order_id":1},{"order_id":2}])", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+I 1|NULL|NULL|NULL", "+I 2|NULL|NULL|NULL"});
}

TEST_CASE("plain: jsonpaths map positionally to the listed columns", "[formats][plain]") {
  FormatOptions options;
  options.jsonpaths = {"$.order_id", "$.revenue.amount", "$['date']", "$.tags[1]"};
  options.jsonpath_columns = {"order_id", "order_revenue", "dt", "region"};
  auto decoder = Plain(Orders(), options);
  std::vector<RowChange> out;
  decoder->Decode(
      {},
      R"({"date":"2024-01-02","order_id":7,"revenue":{"amount":"12.345","cur":"EUR"},"tags":["a","eu"]})",
      &out, nullptr);
  decoder->Decode({}, R"({"order_id":8})", &out, nullptr);  // missing paths are NULL
  CHECK(Changelog(out) ==
        std::vector<std::string>{"+I 7|12.35|2024-01-02|eu", "+I 8|NULL|NULL|NULL"});
}

TEST_CASE("plain: jsonpaths default to the table's columns and may carry __op",
          "[formats][plain]") {
  FormatOptions options;
  options.jsonpaths = {"$.id", "$.rev", "$.day", "$.r"};
  std::vector<RowChange> out;
  Plain(Orders(), options)
      ->Decode({}, R"({"id":1,"rev":2,"day":"2024-03-04","r":"us"})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+I 1|2.00|2024-03-04|us"});

  options.jsonpaths = {"$.id", "$.op"};
  options.jsonpath_columns = {"order_id", "__op"};
  out.clear();
  auto decoder = Plain(Orders(), options);
  decoder->Decode({}, R"({"id":1,"op":1})", &out, nullptr);
  decoder->Decode({}, R"({"id":2,"op":0})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"-D 1|NULL|NULL|NULL", "+U 2|NULL|NULL|NULL"});
}

TEST_CASE("plain: json_root with strip_outer_array", "[formats][plain]") {
  FormatOptions options;
  options.json_root = "$.data";
  options.strip_outer_array = true;
  options.jsonpaths = {"$.id", "$.rev"};
  options.jsonpath_columns = {"order_id", "order_revenue"};
  std::vector<RowChange> out;
  auto decoder = Plain(Orders(), options);
  decoder->Decode({}, R"({"meta":{},"data":[{"id":1,"rev":1.5},{"id":2}]})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+I 1|1.50|NULL|NULL", "+I 2|NULL|NULL|NULL"});
  ivm::Error e = ErrorOf([&] { decoder->Decode({}, R"({"rows":[]})", &out, nullptr); });
  CHECK_THAT(e.message(), Catch::Contains("json_root \"$.data\" is not in the message"));

  FormatOptions root_only;
  root_only.json_root = "$.row";
  out.clear();
  Plain(Orders(), root_only)->Decode({}, R"({"row":{"order_id":5}})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+I 5|NULL|NULL|NULL"});
}

TEST_CASE("plain: jsonpath syntax", "[formats][plain]") {
  CHECK(JsonPathToPointer("$") == "");
  CHECK(JsonPathToPointer("$.a.b") == "/a/b");
  CHECK(JsonPathToPointer("$.a[0].b") == "/a/0/b");
  CHECK(JsonPathToPointer("$['x.y']") == "/x.y");
  CHECK(JsonPathToPointer("$[\"a/b~c\"]") == "/a~1b~0c");
  for (const char* bad : {"a.b", "$.", "$.a[", "$.a[x]", "$['a'", "$a"}) {
    INFO(bad);
    ivm::Error e = ErrorOf([&] { JsonPathToPointer(bad); });
    CHECK(e.sqlstate() == "22023");
  }
}

TEST_CASE("plain: configuration errors", "[formats][plain]") {
  FormatOptions options;
  options.jsonpaths = {"$.a"};
  ivm::Error e = ErrorOf([&] { Plain(Orders(), options); });
  CHECK_THAT(e.message(), Catch::Contains("jsonpaths has 1 paths for 4 columns"));
  options.jsonpath_columns = {"nope"};
  e = ErrorOf([&] { Plain(Orders(), options); });
  CHECK(e.sqlstate() == "42703");
  FormatOptions canal;
  canal.jsonpaths = {"$.a"};
  e = ErrorOf([&] { Decoder(Format::kCanalJson, Orders(), canal); });
  CHECK(e.sqlstate() == "22023");
}

TEST_CASE("plain: bad messages", "[formats][plain]") {
  struct Case {
    const char* value;
    const char* sqlstate;
    const char* message;
  };
  const Case cases[] = {
      {R"({"order_id":1,)", "22P02", "malformed JSON"},
      {R"(17)", "22023", "must be a JSON object, not a number"},
      {R"({"order_id":"1x"})", "22P02",
       "column \"order_id\": invalid input syntax for type bigint"},
      {R"({"order_id":92233720368547758070})", "22003", "column \"order_id\""},
      {R"({"order_id":1,"order_revenue":1e20})", "22003", "column \"order_revenue\""},
      {R"({"order_id":1,"dt":"2024-13-45"})", "22008", "column \"dt\""},
      {R"({"order_id":1,"region":"far too long"})", "22001", "column \"region\""},
      {R"({"order_id":1,"dt":true})", "22P02", "cannot convert JSON boolean to date"},
      {R"({"region":"eu"})", "22023", "key column \"order_id\""},
  };
  auto decoder = Plain(Orders());
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
