// bytea values: PostgreSQL's input and output forms, encode/decode encodings, ordering,
// key encoding and serialization. Expected texts come from PostgreSQL 15 (bytea_output hex).
#include <catch2/catch.hpp>

#include "ivm/bytea.h"
#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/row_codec.h"

namespace {

using ivm::Type;
using ivm::TypeId;
using ivm::Value;

Value B(std::string_view text) { return ivm::ParseText(text, Type::Of(TypeId::kBytea)); }

std::string SqlstateOf(std::string_view text) {
  try {
    B(text);
  } catch (const ivm::Error& e) {
    return e.sqlstate();
  }
  return "";
}

std::string Key(const Value& v) {
  std::string out;
  ivm::EncodeKeyValue(v, &out);
  return out;
}

}  // namespace

TEST_CASE("bytea hex input and output") {
  CHECK(B("\\x").string_value().empty());
  CHECK(B("\\xDEADbeef").string_value() == std::string("\xde\xad\xbe\xef"));
  CHECK(B("\\xde ad\nbe\tef").ToText() == "\\xdeadbeef");  // whitespace between pairs
  CHECK(B("\\x00ff").string_value() == std::string("\x00\xff", 2));
  CHECK(SqlstateOf("\\xabc") == "22023");  // odd number of digits
  CHECK(SqlstateOf("\\xzz") == "22023");
}

TEST_CASE("bytea escape input") {
  CHECK(B("abc").ToText() == "\\x616263");
  CHECK(B("a\\\\b").string_value() == "a\\b");
  CHECK(B("\\000\\377").string_value() == std::string("\x00\xff", 2));
  CHECK(SqlstateOf("a\\b") == "22P02");
  CHECK(SqlstateOf("\\400") == "22P02");
  CHECK(SqlstateOf("\\") == "22P02");
}

TEST_CASE("bytea encodings") {
  CHECK(ivm::FormatByteaEscape(std::string("a\\\x01\xff", 4)) == "a\\\\\\001\\377");
  CHECK(ivm::EncodeBase64("") == "");
  CHECK(ivm::EncodeBase64("M") == "TQ==");
  CHECK(ivm::EncodeBase64("Ma") == "TWE=");
  CHECK(ivm::EncodeBase64("Man") == "TWFu");
  for (std::string s : {"", "a", "ab", "abc", "abcd"}) {
    CHECK(ivm::DecodeBase64(ivm::EncodeBase64(s)) == s);
  }
  const std::string binary("\x00\xff\x10", 3);
  CHECK(ivm::DecodeBase64(ivm::EncodeBase64(binary)) == binary);
  CHECK(ivm::DecodeBase64("TW\nFu") == "Man");
  CHECK(ivm::DecodeHex("4d616E") == "Man");
  CHECK_THROWS_AS(ivm::DecodeBase64("T*=="), ivm::Error);
  CHECK_THROWS_AS(ivm::DecodeHex("4d6"), ivm::Error);
}

TEST_CASE("bytea order, keys and serialization") {
  // Byte-wise order, as PostgreSQL's byteacmp: shorter prefix first, then unsigned bytes.
  CHECK(B("\\x01") < B("\\x0100"));
  CHECK(B("\\x7f") < B("\\x80"));
  CHECK(B("\\x00") < B("\\x01"));
  CHECK(B("\\xabcd").Hash() == B("\\xABCD").Hash());
  CHECK(Key(B("\\x7f")) < Key(B("\\x80")));
  CHECK(Key(B("\\x00")) < Key(B("\\x0000")));
  CHECK(Key(B("\\x0000")) < Key(B("\\x01")));
  ivm::Row row{B("\\x00ff10"), Value::Null(TypeId::kBytea)};
  std::string bytes;
  ivm::SerializeRow(row, &bytes);
  ivm::Row back = ivm::DeserializeRow(bytes);
  REQUIRE(back.size() == 2);
  CHECK(back[0].type() == TypeId::kBytea);
  CHECK(back[0].string_value() == row[0].string_value());
  CHECK(back[1].is_null());
  CHECK(back[1].type() == TypeId::kBytea);
}

TEST_CASE("bytea casts") {
  Value b = B("\\x6869");
  CHECK(ivm::CastValue(b, Type::Of(TypeId::kText), ivm::CastKind::kExplicit).string_value() ==
        "\\x6869");
  CHECK(ivm::CastValue(Value::Text("hi"), Type::Of(TypeId::kBytea), ivm::CastKind::kExplicit)
            .string_value() == "hi");
  CHECK_FALSE(ivm::CastExists(TypeId::kBytea, TypeId::kInt32));
}
