// Expected strings come from PostgreSQL 15 (DateStyle ISO, MDY).
#include "ivm/datetime.h"

#include <catch2/catch.hpp>

#include "ivm/error.h"

namespace ivm::datetime {
namespace {

template <typename Fn>
Error CaptureError(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an ivm::Error");
  return Error("", "");
}

std::string Date(std::string_view text) { return FormatDate(ParseDate(text)); }
std::string Timestamp(std::string_view text) { return FormatTimestamp(ParseTimestamp(text)); }

TEST_CASE("Civil dates convert to PostgreSQL day numbers", "[datetime]") {
  CHECK(DaysFromCivil(2000, 1, 1) == 0);
  CHECK(DaysFromCivil(1970, 1, 1) == -10957);
  CHECK(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 28) == 2);
  CHECK(DaysFromCivil(-4713, 11, 24) == kMinDate);
  CHECK(DaysFromCivil(5874898, 1, 1) == kEndDate);
  for (int64_t days : {int64_t{-2451545}, int64_t{-1}, int64_t{0}, int64_t{59}, int64_t{8766},
                       int64_t{2145031948}}) {
    int y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    CHECK(DaysFromCivil(y, m, d) == days);
  }
  int y;
  unsigned m, d;
  CivilFromDays(-1, &y, &m, &d);
  CHECK((y == 1999 && m == 12 && d == 31));
}

TEST_CASE("ParseDate accepts PostgreSQL's ISO forms", "[datetime]") {
  CHECK(ParseDate("2000-01-01") == 0);
  CHECK(Date("2024-01-02") == "2024-01-02");
  CHECK(Date(" 2024-01-02 ") == "2024-01-02");
  CHECK(Date("2024-01-02 10:00") == "2024-01-02");
  CHECK(Date("2024-01-02T10:00:00") == "2024-01-02");
  CHECK(Date("20240102") == "2024-01-02");
  CHECK(Date("2024-1-2") == "2024-01-02");
  CHECK(Date("2024/01/02") == "2024-01-02");
  CHECK(Date("2024.01.02") == "2024-01-02");
  CHECK(Date("2024-02-29") == "2024-02-29");
  CHECK(Date("2024-01-02 BC") == "2024-01-02 BC");
  CHECK(Date("0001-01-01 BC") == "0001-01-01 BC");
  CHECK(Date("4714-11-24 BC") == "4714-11-24 BC");
  CHECK(Date("10000-01-01") == "10000-01-01");
  CHECK(Date("5874897-12-31") == "5874897-12-31");
  CHECK(Date("epoch") == "1970-01-01");
  CHECK(Date("Infinity") == "infinity");
  CHECK(Date("-infinity") == "-infinity");
}

TEST_CASE("ParseDate reports PostgreSQL's errors", "[datetime]") {
  Error e = CaptureError([] { ParseDate("2024-02-30"); });
  CHECK(e.sqlstate() == "22008");
  CHECK(e.message() == "date/time field value out of range: \"2024-02-30\"");
  CHECK(e.hint().empty());
  e = CaptureError([] { ParseDate("2024-13-01"); });
  CHECK(e.message() == "date/time field value out of range: \"2024-13-01\"");
  CHECK(e.hint() == "Perhaps you need a different \"datestyle\" setting.");
  CHECK(CaptureError([] { ParseDate("2024-01-32"); }).hint() != "");
  CHECK(CaptureError([] { ParseDate("2023-02-29"); }).sqlstate() == "22008");
  CHECK(CaptureError([] { ParseDate("0000-01-01"); }).sqlstate() == "22008");
  CHECK(CaptureError([] { ParseDate("2024-01-02 25:00"); }).message() ==
        "date/time field value out of range: \"2024-01-02 25:00\"");
  e = CaptureError([] { ParseDate("abc"); });
  CHECK(e.sqlstate() == "22007");
  CHECK(e.message() == "invalid input syntax for type date: \"abc\"");
  CHECK(CaptureError([] { ParseDate("2024-01-02x"); }).message() ==
        "invalid input syntax for type date: \"2024-01-02x\"");
  CHECK(CaptureError([] { ParseDate(" "); }).sqlstate() == "22007");
  e = CaptureError([] { ParseDate("4714-11-23 BC"); });
  CHECK(e.sqlstate() == "22008");
  CHECK(e.message() == "date out of range: \"4714-11-23 BC\"");
  CHECK(CaptureError([] { ParseDate("5874898-01-01"); }).message() ==
        "date out of range: \"5874898-01-01\"");
  CHECK(CaptureError([] { ParseDate("today"); }).sqlstate() == "0A000");
}

TEST_CASE("ParseTimestamp accepts PostgreSQL's ISO forms", "[datetime]") {
  CHECK(ParseTimestamp("2000-01-01 00:00:01") == kMicrosPerSecond);
  CHECK(Timestamp("2024-01-02") == "2024-01-02 00:00:00");
  CHECK(Timestamp("2024-01-02 03:04") == "2024-01-02 03:04:00");
  CHECK(Timestamp("2024-01-02 03:04:05") == "2024-01-02 03:04:05");
  CHECK(Timestamp("2024-01-02T03:04:05.1234565") == "2024-01-02 03:04:05.123456");
  CHECK(Timestamp("2024-01-02 03:04:05.120") == "2024-01-02 03:04:05.12");
  CHECK(Timestamp("2024-01-02 10:00:00.1234567890123") == "2024-01-02 10:00:00.123457");
  CHECK(Timestamp("2024-01-02 00:00:00.0000005") == "2024-01-02 00:00:00");
  CHECK(Timestamp("2024-01-02 00:00:00.0000015") == "2024-01-02 00:00:00.000002");
  CHECK(Timestamp("2024-01-02 23:59:59.9999999") == "2024-01-03 00:00:00");
  CHECK(Timestamp("2024-01-02 24:00:00") == "2024-01-03 00:00:00");
  CHECK(Timestamp("2024-01-02 10:00:60") == "2024-01-02 10:01:00");
  CHECK(Timestamp("2024-01-02 1:2:3") == "2024-01-02 01:02:03");
  CHECK(Timestamp("2024-01-02 10:00:00.") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02    10:00") == "2024-01-02 10:00:00");
  CHECK(Timestamp("  2024-01-02T10:00:00Z  ") == "2024-01-02 10:00:00");
  // timestamp without time zone ignores a zone.
  CHECK(Timestamp("2024-01-02 10:00:00+05") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00 +05:30") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00-0800") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00.5 +05") == "2024-01-02 10:00:00.5");
  CHECK(Timestamp("2024-01-02 10:00+15:59") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00+05:30:15") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00 UTC") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00 z") == "2024-01-02 10:00:00");
  CHECK(Timestamp("2024-01-02 -05") == "2024-01-02 00:00:00");
  CHECK(Timestamp("2024-01-02 10:00:00 BC") == "2024-01-02 10:00:00 BC");
  CHECK(Timestamp("294276-12-31 23:59:59.999999") == "294276-12-31 23:59:59.999999");
  CHECK(Timestamp("epoch") == "1970-01-01 00:00:00");
  CHECK(Timestamp(" infinity ") == "infinity");
  CHECK(Timestamp("-infinity") == "-infinity");
}

TEST_CASE("ParseTimestamp reports PostgreSQL's errors", "[datetime]") {
  Error e = CaptureError([] { ParseTimestamp("abc"); });
  CHECK(e.sqlstate() == "22007");
  CHECK(e.message() == "invalid input syntax for type timestamp: \"abc\"");
  for (const char* bad : {"2024-01-02 10", "2024-01-02T", "2024-01-02 10:00:00 foo",
                          "2024-01-02 10:00:00.5.5", "+infinity"}) {
    e = CaptureError([&] { ParseTimestamp(bad); });
    CHECK(e.sqlstate() == "22007");
    CHECK(e.message() == std::string("invalid input syntax for type timestamp: \"") + bad + "\"");
  }
  for (const char* bad : {"2024-01-02 25:00:00", "2024-01-02 10:61", "2024-01-02 10:60",
                          "2024-02-30 10:00", "2024-01-02 24:00:01", "2024-01-02 10:00:61"}) {
    e = CaptureError([&] { ParseTimestamp(bad); });
    CHECK(e.sqlstate() == "22008");
    CHECK(e.message() == std::string("date/time field value out of range: \"") + bad + "\"");
  }
  e = CaptureError([] { ParseTimestamp("2024-01-02 10:00+16"); });
  CHECK(e.sqlstate() == "22009");
  CHECK(e.message() == "time zone displacement out of range: \"2024-01-02 10:00+16\"");
  CHECK(CaptureError([] { ParseTimestamp("2024-01-02 10:00+05:60"); }).sqlstate() == "22009");
  e = CaptureError([] { ParseTimestamp("294277-01-01"); });
  CHECK(e.sqlstate() == "22008");
  CHECK(e.message() == "timestamp out of range: \"294277-01-01\"");
  CHECK(CaptureError([] { ParseTimestamp("4714-11-23 BC"); }).message() ==
        "timestamp out of range: \"4714-11-23 BC\"");
}

TEST_CASE("FormatTimestamp handles fractions, negatives and BC", "[datetime]") {
  CHECK(FormatTimestamp(0) == "2000-01-01 00:00:00");
  CHECK(FormatTimestamp(-1) == "1999-12-31 23:59:59.999999");
  CHECK(FormatTimestamp(123000) == "2000-01-01 00:00:00.123");
  CHECK(FormatTimestamp(kMinTimestamp) == "4714-11-24 00:00:00 BC");
  CHECK(FormatTimestamp(kEndTimestamp - 1) == "294276-12-31 23:59:59.999999");
  CHECK(FormatTimestamp(kTimestampPositiveInfinity) == "infinity");
  CHECK(FormatDate(kMinDate) == "4714-11-24 BC");
}

}  // namespace
}  // namespace ivm::datetime
