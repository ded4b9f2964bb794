#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "ivm/row_codec.h"

using ivm::Value;

namespace {

std::string Key(const Value& v) {
  std::string s;
  ivm::EncodeKeyValue(v, &s);
  return s;
}

}  // namespace

TEST_CASE("key encoding orders like Value::Compare") {
  std::vector<Value> values = {
      Value::Int64(-5),
      Value::Int64(0),
      Value::Int64(7),
      Value::Numeric(ivm::Decimal::Parse("-100.5")),
      Value::Numeric(ivm::Decimal::Parse("-0.001")),
      Value::Numeric(ivm::Decimal::Parse("0.5")),
      Value::Numeric(ivm::Decimal::Parse("6.99")),
      Value::Numeric(ivm::Decimal::Parse("1234567.125")),
      Value::Null(ivm::TypeId::kInt64),
  };
  for (const Value& a : values) {
    for (const Value& b : values) {
      int c = a.Compare(b);
      int k = Key(a).compare(Key(b));
      INFO(a.is_null() << " " << b.is_null());
      CHECK((c < 0) == (k < 0));
      CHECK((c == 0) == (k == 0));
    }
  }
}

TEST_CASE("key encoding of numerics ignores display scale, so equal values meet") {
  CHECK(Key(Value::Numeric(ivm::Decimal::Parse("1.50"))) ==
        Key(Value::Numeric(ivm::Decimal::Parse("1.5"))));
  CHECK(Key(Value::Int32(3)) == Key(Value::Numeric(ivm::Decimal::Parse("3.000"))));
}

TEST_CASE("key encoding of numerics keeps its byte format") {
  // Keys are stored: these bytes must not change from one version to the next.
  using Bytes = std::vector<uint8_t>;
  auto bytes = [](const Value& v) {
    std::string k = Key(v);
    return Bytes(k.begin(), k.end());
  };
  CHECK(bytes(Value::Int64(0)) == Bytes{0x02});
  CHECK(bytes(Value::Int64(1000)) == Bytes{0x03, 128 + 4, '1', 0x00});
  CHECK(bytes(Value::Numeric(ivm::Decimal::Parse("123.45"))) ==
        Bytes{0x03, 128 + 3, '1', '2', '3', '4', '5', 0x00});
  CHECK(bytes(Value::Numeric(ivm::Decimal::Parse("-0.0045"))) ==
        Bytes{0x01, (128 - 2) ^ 0xFF, '4' ^ 0xFF, '5' ^ 0xFF, 0xFF});
  Bytes largest{0x03, 128 + 38};  // 38 nines, the most digits a numeric has
  largest.insert(largest.end(), 38, '9');
  largest.push_back(0x00);
  CHECK(bytes(Value::Numeric(ivm::Decimal::Parse(std::string(38, '9')))) == largest);
  // Around 2^63 and 2^64, where the digits are worked out in 64 bits or in 128.
  auto digits = [](uint8_t sign, int exponent, const std::string& d, uint8_t flip) {
    Bytes b{sign, static_cast<uint8_t>((128 + exponent) ^ flip)};
    for (char c : d) b.push_back(static_cast<uint8_t>(c ^ flip));
    b.push_back(flip);
    return b;
  };
  CHECK(bytes(Value::Int64(INT64_MIN)) == digits(0x01, 19, "9223372036854775808", 0xFF));
  CHECK(bytes(Value::Int64(INT64_MAX)) == digits(0x03, 19, "9223372036854775807", 0x00));
  CHECK(bytes(Value::Numeric(ivm::Decimal::Parse("18446744073709551615"))) ==
        digits(0x03, 20, "18446744073709551615", 0x00));
  CHECK(bytes(Value::Numeric(ivm::Decimal::Parse("-184467440737095516.17"))) ==
        digits(0x01, 18, "18446744073709551617", 0xFF));
}

TEST_CASE("key encoding of text keeps its byte format") {
  using Bytes = std::vector<uint8_t>;
  std::string k = Key(Value::Text(std::string("a\0b\0", 4)));
  // A marker, each zero byte followed by 0xFF, then the terminator 0x00 0x01.
  CHECK(Bytes(k.begin(), k.end()) == Bytes{0x10, 'a', 0x00, 0xFF, 'b', 0x00, 0xFF, 0x00, 0x01});
  k = Key(Value::Text(""));
  CHECK(Bytes(k.begin(), k.end()) == Bytes{0x10, 0x00, 0x01});
}

TEST_CASE("key encoding orders random numerics of any scale like Value::Compare") {
  std::mt19937_64 rng(7);
  std::vector<Value> values;
  for (int i = 0; i < 3000; ++i) {
    int digits = static_cast<int>(rng() % 19);
    int64_t limit = 1;
    for (int d = 0; d < digits; ++d) limit *= 10;
    auto unscaled =
        static_cast<int64_t>(rng() % static_cast<uint64_t>(limit)) * (rng() % 2 ? 1 : -1);
    int scale = static_cast<int>(rng() % 8);
    values.push_back(i % 5 == 0 ? Value::Int64(unscaled)
                                : Value::Numeric(ivm::Decimal(unscaled, scale)));
  }
  std::sort(values.begin(), values.end(),
            [](const Value& a, const Value& b) { return a.Compare(b) < 0; });
  for (size_t i = 1; i < values.size(); ++i) {
    const int c = values[i - 1].Compare(values[i]);
    const int k = Key(values[i - 1]).compare(Key(values[i]));
    CHECK((c == 0) == (k == 0));
    CHECK(k <= 0);
  }
}

TEST_CASE("key encoding orders strings byte-wise and is prefix-free") {
  std::vector<std::string> words = {"", "a", "ab", "abc", "b", std::string("a\0b", 3), "\xff"};
  std::vector<std::string> keys;
  for (const std::string& w : words) keys.push_back(Key(Value::Text(w)));
  for (size_t i = 0; i < words.size(); ++i) {
    for (size_t j = 0; j < words.size(); ++j) {
      CHECK((words[i] < words[j]) == (keys[i] < keys[j]));
      if (i != j) CHECK(keys[j].compare(0, keys[i].size(), keys[i]) != 0);
    }
  }
}

TEST_CASE("key encoding orders doubles, dates and timestamps") {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> dist(-1e9, 1e9);
  for (int i = 0; i < 1000; ++i) {
    double a = dist(rng), b = dist(rng);
    CHECK((a < b) == (Key(Value::Float64(a)) < Key(Value::Float64(b))));
  }
  CHECK(Key(Value::Date(-3)) < Key(Value::Date(4)));
  CHECK(Key(Value::Timestamp(-1)) < Key(Value::Timestamp(0)));
}

TEST_CASE("row serialization round-trips every type exactly") {
  ivm::Row row = {Value::Bool(true),
                  Value::Int16(-7),
                  Value::Int32(123456),
                  Value::Int64(-9000000000LL),
                  Value::Float32(3.25f),
                  Value::Float64(-0.1),
                  Value::Numeric(ivm::Decimal::Parse("-123.4500")),
                  Value::Text(std::string("a\0b", 3)),
                  Value::Varchar("xyz"),
                  Value::Date(8000),
                  Value::Timestamp(1234567890123LL),
                  Value::Null(ivm::TypeId::kText)};
  std::string bytes;
  ivm::SerializeRow(row, &bytes);
  ivm::Row back = ivm::DeserializeRow(bytes);
  REQUIRE(back.size() == row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    CHECK(back[i].type() == row[i].type());
    CHECK(back[i].Compare(row[i]) == 0);
    if (!row[i].is_null()) CHECK(back[i].ToText() == row[i].ToText());
  }
}
