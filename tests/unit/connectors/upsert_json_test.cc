// Upsert JSON (Flink's upsert-kafka, key.format json) with hand-written messages.
#include <catch2/catch.hpp>

#include "connectors/formats/format_decoder.h"
#include "format_test_util.h"
#include "ivm/error.h"

namespace connectors::testing {
namespace {

TEST_CASE("upsert: a value replaces the row of its key, a null value deletes it",
          "[formats][upsert]") {
  TargetSchema target = Products();
  auto decoder = Decoder(Format::kUpsertJson, target);
  std::vector<RowChange> out;
  std::vector<MessageMetadata> meta;
  decoder->Decode(R"({"id":101})",
                  R"({"id":101,"name":"scooter","description":"small","weight":3.14})", &out,
                  &meta);
  decoder->Decode(R"({"id":101})", R"({"id":101,"name":"scooter","weight":5.17})", &out, &meta);
  decoder->Decode(R"({"id":102})", R"({"name":"battery","weight":8.1})", &out,
                  &meta);                                     // key only in the key
  decoder->Decode("103", R"({"name":"bits"})", &out, &meta);  // bare scalar key
  decoder->Decode(R"({"id":102})", "", &out, &meta);
  decoder->Decode(R"({"id":103})", "null", &out, &meta);
  CHECK(Changelog(out) == std::vector<std::string>{
                              "+U 101|scooter|small|3.14",
                              "+U 101|scooter|NULL|5.17",
                              "+U 102|battery|NULL|8.1",
                              "+U 103|bits|NULL|NULL",
                              "-D 102|NULL|NULL|NULL",
                              "-D 103|NULL|NULL|NULL",
                          });
  for (int i = 0; i < 4; ++i) CHECK_FALSE(out[i].before.has_value());
  REQUIRE(meta.size() == 6);
  CHECK(meta[0].op == "upsert");
  CHECK(meta[4].op == "delete");
  KeyedTable table(target);
  table.ApplyAll(out);
  CHECK(table.Rows() == std::vector<std::string>{"101|scooter|NULL|5.17"});
}

TEST_CASE("upsert: the Kafka key wins over key columns in the value", "[formats][upsert]") {
  std::vector<RowChange> out;
  Decoder(Format::kUpsertJson, Products())
      ->Decode(R"({"id":7})", R"({"id":8,"name":"x"})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+U 7|x|NULL|NULL"});
  out.clear();
  // Without a key, the value's key columns identify the row.
  Decoder(Format::kUpsertJson, Products())->Decode({}, R"({"id":8,"name":"x"})", &out, nullptr);
  CHECK(Changelog(out) == std::vector<std::string>{"+U 8|x|NULL|NULL"});
}

TEST_CASE("upsert: bad messages", "[formats][upsert]") {
  struct Case {
    const char* key;
    const char* value;
    const char* sqlstate;
    const char* message;
  };
  const Case cases[] = {
      {"", "", "22023", "null value (a delete) has no Kafka key"},
      {R"({"name":"a"})", "", "22023", "key column \"id\" is missing or null in the Kafka key"},
      {R"([101])", R"({"name":"a"})", "22023", "must be a JSON object, not an array"},
      {R"({"id":"x"})", R"({"name":"a"})", "22P02", "column \"id\""},
      {R"({"id":1)", R"({"name":"a"})", "22P02", "malformed JSON"},
      {R"({"id":1})", R"({"name":"a")", "22P02", "malformed JSON"},
      {R"({"id":1})", R"([1])", "22023", "an upsert-json value must be a JSON object"},
      {"", R"({"name":"a"})", "22023", "key column \"id\""},
  };
  auto decoder = Decoder(Format::kUpsertJson, Products());
  for (const Case& c : cases) {
    INFO(c.key << " / " << c.value);
    std::vector<RowChange> out;
    ivm::Error e = ErrorOf([&] { decoder->Decode(c.key, c.value, &out, nullptr); });
    CHECK(e.sqlstate() == c.sqlstate);
    CHECK_THAT(e.message(), Catch::Contains(c.message));
    CHECK(out.empty());
  }
}

TEST_CASE("upsert: a table without a primary key is refused", "[formats][upsert]") {
  ivm::Error e = ErrorOf(
      [&] { Decoder(Format::kUpsertJson, Products(ivm::Type::Of(ivm::TypeId::kFloat32), false)); });
  CHECK(e.sqlstate() == "42P16");
  CHECK_THAT(e.hint(), Catch::Contains("PRIMARY KEY"));
}

}  // namespace
}  // namespace connectors::testing
