// Expected strings come from PostgreSQL 15 (extra_float_digits = 1, the default).
#include "ivm/float_format.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "ivm/error.h"

namespace ivm {
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

TEST_CASE("FormatFloat8 prints like PostgreSQL", "[float_format]") {
  CHECK(FormatFloat8(1e15) == "1e+15");
  CHECK(FormatFloat8(1e14) == "100000000000000");
  CHECK(FormatFloat8(0.0001) == "0.0001");
  CHECK(FormatFloat8(0.00001) == "1e-05");
  CHECK(FormatFloat8(0.1 + 0.2) == "0.30000000000000004");
  CHECK(FormatFloat8(1e100) == "1e+100");
  CHECK(FormatFloat8(1.5e-300) == "1.5e-300");
  CHECK(FormatFloat8(1e-310) == "1e-310");
  CHECK(FormatFloat8(123456789012345678.0) == "1.2345678901234568e+17");
  CHECK(FormatFloat8(1e16) == "1e+16");
  CHECK(FormatFloat8(123456789012345.0) == "123456789012345");
  CHECK(FormatFloat8(1e-5 * 3) == "3.0000000000000004e-05");
  CHECK(FormatFloat8(-1e-10) == "-1e-10");
  CHECK(FormatFloat8(-2.5) == "-2.5");
  CHECK(FormatFloat8(0.0) == "0");
  CHECK(FormatFloat8(-0.0) == "-0");
  CHECK(FormatFloat8(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(FormatFloat8(-std::numeric_limits<double>::infinity()) == "-Infinity");
  CHECK(FormatFloat8(std::nan("")) == "NaN");
  // Ties at a rounding boundary: PostgreSQL's Ryu excludes both bounds.
  CHECK(FormatFloat8(71010079742584176.0) == "7.1010079742584176e+16");
  CHECK(FormatFloat8(-51010527762506144.0) == "-5.1010527762506144e+16");
}

TEST_CASE("FormatFloat4 prints like PostgreSQL", "[float_format]") {
  CHECK(FormatFloat4(1234567.0f) == "1.234567e+06");
  CHECK(FormatFloat4(1e6f) == "1e+06");
  CHECK(FormatFloat4(3.14f) == "3.14");
  CHECK(FormatFloat4(0.1f + 0.2f) == "0.3");
  CHECK(FormatFloat4(5.17f) == "5.17");
  CHECK(FormatFloat4(1e-5f) == "1e-05");
  CHECK(FormatFloat4(123456.0f) == "123456");
  CHECK(FormatFloat4(12345678.0f) == "1.2345678e+07");
  CHECK(FormatFloat4(999999.0f) == "999999");
  CHECK(FormatFloat4(123456.7f) == "123456.7");
  CHECK(FormatFloat4(0.0001f) == "0.0001");
  CHECK(FormatFloat4(1e38f) == "1e+38");
  CHECK(FormatFloat4(3.4e38f) == "3.4e+38");
  CHECK(FormatFloat4(1.17549435e-38f) == "1.1754944e-38");
  CHECK(FormatFloat4(1e-45f) == "1e-45");
  CHECK(FormatFloat4(-696428032.0f) == "-6.9642803e+08");
  CHECK(FormatFloat4(123911104.0f) == "1.23911104e+08");
  CHECK(FormatFloat4(-std::numeric_limits<float>::infinity()) == "-Infinity");
  CHECK(FormatFloat4(-0.0f) == "-0");
}

TEST_CASE("ParseFloat8 follows float8in", "[float_format]") {
  CHECK(ParseFloat8("  1.5  ") == 1.5);
  CHECK(ParseFloat8(" -INF") == -std::numeric_limits<double>::infinity());
  CHECK(ParseFloat8("+infinity") == std::numeric_limits<double>::infinity());
  CHECK(ParseFloat8("-Infinity") == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(ParseFloat8("NaN ")));
  CHECK(std::isnan(ParseFloat8("  -nan")));
  CHECK(ParseFloat8("1e-310") == 1e-310);
  CHECK(ParseFloat8("1.") == 1.0);
  CHECK(ParseFloat8(".5") == 0.5);
  CHECK(ParseFloat8("0x10") == 16.0);
  for (const char* bad : {"x", " x ", "", "5e", "1.5 2", "--1"}) {
    Error e = CaptureError([&] { ParseFloat8(bad); });
    CHECK(e.sqlstate() == "22P02");
    CHECK(e.message() ==
          std::string("invalid input syntax for type double precision: \"") + bad + "\"");
  }
  Error e = CaptureError([] { ParseFloat8(" 1e400 "); });
  CHECK(e.sqlstate() == "22003");
  CHECK(e.message() == "\"1e400\" is out of range for type double precision");
  CHECK(CaptureError([] { ParseFloat8("1e-400"); }).message() ==
        "\"1e-400\" is out of range for type double precision");
}

TEST_CASE("ParseFloat4 follows float4in", "[float_format]") {
  CHECK(ParseFloat4("3.14") == 3.14f);
  CHECK(ParseFloat4("infinity") == std::numeric_limits<float>::infinity());
  CHECK(ParseFloat4("1e-45") > 0);
  CHECK(CaptureError([] { ParseFloat4("x"); }).message() ==
        "invalid input syntax for type real: \"x\"");
  Error e = CaptureError([] { ParseFloat4("1e40"); });
  CHECK(e.sqlstate() == "22003");
  CHECK(e.message() == "\"1e40\" is out of range for type real");
  CHECK(CaptureError([] { ParseFloat4("1e-50"); }).message() ==
        "\"1e-50\" is out of range for type real");
}

TEST_CASE("Float text round-trips", "[float_format]") {
  for (double v : {0.1, 1.0 / 3, 2.5e-308, 1.7976931348623157e308, 4.9e-324, 123456.789}) {
    CHECK(ParseFloat8(FormatFloat8(v)) == v);
    CHECK(ParseFloat8(FormatFloat8(-v)) == -v);
  }
  for (float v : {0.1f, 1.0f / 3, 3.4028235e38f, 1.4e-45f}) {
    CHECK(ParseFloat4(FormatFloat4(v)) == v);
  }
}

}  // namespace
}  // namespace ivm
