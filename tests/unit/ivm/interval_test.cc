// Interval and timestamptz values: text forms, ordering, hashing, key encoding and
// serialization. Expected texts come from PostgreSQL 15 (IntervalStyle postgres, UTC).
#include <catch2/catch.hpp>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/interval.h"
#include "ivm/row_codec.h"

namespace {

using ivm::Type;
using ivm::TypeId;
using ivm::Value;

Value Iv(const char* text) { return ivm::ParseText(text, Type::Of(TypeId::kInterval)); }
Value Tz(const char* text) { return ivm::ParseText(text, Type::Of(TypeId::kTimestampTz)); }

std::string Key(const Value& v) {
  std::string out;
  ivm::EncodeKeyValue(v, &out);
  return out;
}

}  // namespace

TEST_CASE("interval text round trip") {
  CHECK(Iv("1 year 2 mons 3 days 04:05:06.789").ToText() == "1 year 2 mons 3 days 04:05:06.789");
  CHECK(Iv("-1 year -2 mons +3 days -04:05:06").ToText() == "-1 years -2 mons +3 days -04:05:06");
  CHECK(Iv("0").ToText() == "00:00:00");
  CHECK(Iv("1 day -1 hour").ToText() == "1 day -01:00:00");
  CHECK(ivm::ParseInterval("10", ivm::IntervalUnit::kMinute).micros == 600000000);
  CHECK(ivm::FormatInterval(ivm::ParseInterval("1 day 02:03:04", ivm::IntervalUnit::kHour)) ==
        "1 day 02:00:00");
  CHECK_THROWS_AS(Iv("1 fortnight"), ivm::Error);
}

TEST_CASE("intervals compare by span with 30-day months") {
  CHECK(Iv("1 mon") == Iv("30 days"));
  CHECK(Iv("1 mon").Hash() == Iv("30 days").Hash());
  CHECK(Key(Iv("1 mon")) == Key(Iv("30 days")));
  CHECK(Iv("1 day") < Iv("25 hours"));
  const char* ordered[] = {"-1 year",  "-1 day", "-00:00:01",   "0",      "00:00:00.000001",
                           "23:59:59", "1 day",  "1 mon 1 day", "1 year", "1000 years"};
  for (size_t i = 0; i + 1 < std::size(ordered); ++i) {
    INFO(ordered[i]);
    CHECK(Iv(ordered[i]) < Iv(ordered[i + 1]));
    CHECK(Key(Iv(ordered[i])) < Key(Iv(ordered[i + 1])));
  }
  CHECK(Key(Iv("1 year")) < Key(Value::Null(TypeId::kInterval)));
}

TEST_CASE("timestamptz converts offsets to UTC and prints +00") {
  CHECK(Tz("2024-01-02 03:04:05+02").ToText() == "2024-01-02 01:04:05+00");
  CHECK(Tz("2024-01-02 03:04:05.5-03:30").ToText() == "2024-01-02 06:34:05.5+00");
  CHECK(Tz("2024-01-02 03:04:05").ToText() == "2024-01-02 03:04:05+00");
  CHECK(Tz("0044-03-15 10:00:00 BC").ToText() == "0044-03-15 10:00:00+00 BC");
  CHECK(Tz("2024-01-02 01:00+01") < Tz("2024-01-02 00:30+00"));
  CHECK(Key(Tz("2024-01-02 01:00+01")) < Key(Tz("2024-01-02 00:30+00")));
  Value ts = ivm::CastValue(Tz("2024-01-02 03:04:05+02"), Type::Of(TypeId::kTimestamp));
  CHECK(ts.ToText() == "2024-01-02 01:04:05");
  CHECK(ivm::CastValue(Tz("2024-01-02 23:04:05-02"), Type::Of(TypeId::kDate)).ToText() ==
        "2024-01-03");
}

TEST_CASE("interval and timestamptz serialize exactly") {
  ivm::Row row = {Iv("-1 years -2 mons +3 days -04:05:06.000007"), Tz("2024-01-02 03:04:05+02"),
                  Value::Null(TypeId::kInterval), Value::Null(TypeId::kTimestampTz)};
  std::string bytes;
  ivm::SerializeRow(row, &bytes);
  ivm::Row back = ivm::DeserializeRow(bytes);
  REQUIRE(back.size() == row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    CHECK(back[i].type() == row[i].type());
    CHECK(back[i].is_null() == row[i].is_null());
    if (!row[i].is_null()) CHECK(back[i].ToText() == row[i].ToText());
  }
}

TEST_CASE("interval arithmetic follows PostgreSQL") {
  CHECK(ivm::FormatInterval(ivm::MultiplyInterval(Iv("1 day").interval_value(), 1.5)) ==
        "1 day 12:00:00");
  CHECK(ivm::FormatInterval(ivm::DivideInterval(Iv("1 year").interval_value(), 7)) ==
        "1 mon 21 days 10:17:08.5344");
  CHECK(ivm::FormatInterval(ivm::SubtractTimestamps(0, 86400000000LL * 60 + 43200000000LL)) ==
        "-60 days -12:00:00");
  CHECK_THROWS_AS(ivm::DivideInterval(Iv("1 day").interval_value(), 0), ivm::Error);
}
