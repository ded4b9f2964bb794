// PostgreSQL's binary formats: every type survives encode -> decode, numeric's base-10000
// layout matches what PostgreSQL sends, and malformed bytes are 22P03.
#include <catch2/catch.hpp>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "server/pg_binary.h"

using ivm::Type;
using ivm::TypeId;
using ivm::Value;

namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

Value RoundTrip(const std::string& text, const Type& type) {
  const Value v = ivm::ParseText(text, type);
  return server::DecodeBinary(server::EncodeBinary(v), type);
}

}  // namespace

TEST_CASE("every type survives a binary round trip") {
  const std::pair<const char*, Type> cases[] = {
      {"true", Type::Of(TypeId::kBool)},
      {"-32768", Type::Of(TypeId::kInt16)},
      {"2147483647", Type::Of(TypeId::kInt32)},
      {"-9223372036854775808", Type::Of(TypeId::kInt64)},
      {"1.5", Type::Of(TypeId::kFloat32)},
      {"-0.1", Type::Of(TypeId::kFloat64)},
      {"1e300", Type::Of(TypeId::kFloat64)},
      {"0", Type::Numeric()},
      {"-0.00", Type::Numeric()},
      {"12345678901234567890.123456789", Type::Numeric()},
      {"0.000001", Type::Numeric()},
      {"10000", Type::Numeric()},
      {"99990000.0001", Type::Numeric()},
      {"héllo", Type::Of(TypeId::kText)},
      {"1999-12-31", Type::Of(TypeId::kDate)},
      {"0001-01-01", Type::Of(TypeId::kDate)},
      {"2024-02-29 23:59:59.999999", Type::Of(TypeId::kTimestamp)},
      {"1970-01-01 00:00:00+00", Type::Of(TypeId::kTimestampTz)},
      {"1 year 2 mons -3 days 04:05:06.5", Type::Of(TypeId::kInterval)},
      {"\\x00ff5c", Type::Of(TypeId::kBytea)},
      {"\\x", Type::Of(TypeId::kBytea)},
  };
  for (const auto& [text, type] : cases) {
    INFO(text);
    const Value expected = ivm::ParseText(text, type);
    const Value got = RoundTrip(text, type);
    CHECK(got.ToText() == expected.ToText());
  }
}

TEST_CASE("numeric's binary layout is PostgreSQL's") {
  const Type numeric = Type::Numeric();
  // 12345.678: digits 1 2345 6780, weight 1, dscale 3.
  CHECK(server::EncodeBinary(ivm::ParseText("12345.678", numeric)) ==
        Bytes({0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c}));
  // 0.0001: one digit 1 at weight -1, dscale 4.
  CHECK(server::EncodeBinary(ivm::ParseText("0.0001", numeric)) ==
        Bytes({0, 1, 0xff, 0xff, 0, 0, 0, 4, 0, 1}));
  // zero: no digits, dscale kept.
  CHECK(server::EncodeBinary(ivm::ParseText("0.00", numeric)) ==
        Bytes({0, 0, 0, 0, 0, 0, 0, 2}));
  // 1000000: digit 100 at weight 1 (trailing zero groups dropped).
  CHECK(server::EncodeBinary(ivm::ParseText("1000000", numeric)) ==
        Bytes({0, 1, 0, 1, 0, 0, 0, 0, 0, 100}));
  CHECK(server::DecodeBinary(Bytes({0, 1, 0, 1, 0, 0, 0, 0, 0, 100}), numeric).ToText() ==
        "1000000");
}

TEST_CASE("malformed binary values are 22P03") {
  auto code = [](const std::string& bytes, const Type& type) {
    try {
      server::DecodeBinary(bytes, type);
    } catch (const ivm::Error& e) {
      return e.sqlstate();
    }
    return std::string("no error");
  };
  CHECK(code(Bytes({1, 2, 3}), Type::Of(TypeId::kInt32)) == "22P03");
  CHECK(code(Bytes({0, 1}), Type::Numeric()) == "22P03");
  CHECK(code(Bytes({0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}), Type::Numeric()) == "22P03");  // 10000
  CHECK(code(Bytes({0, 0, 0, 0, 0xc0, 0, 0, 0}), Type::Numeric()) == "0A000");  // NaN
}

TEST_CASE("type OIDs map to our types and unknown ones are 0A000") {
  CHECK(server::TypeFromOid(23).id == TypeId::kInt32);
  CHECK(server::TypeFromOid(1043).id == TypeId::kVarchar);
  CHECK(server::TypeFromOid(1700).id == TypeId::kNumeric);
  CHECK(server::TypeFromOid(705).id == TypeId::kUnknown);
  CHECK(server::TypeFromOid(17).id == TypeId::kBytea);
  CHECK_THROWS_AS(server::TypeFromOid(114), ivm::Error);  // json
}
