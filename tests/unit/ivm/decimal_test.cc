// Expected strings come from PostgreSQL 15 (psql, default settings).
#include "ivm/decimal.h"

#include <catch2/catch.hpp>

#include "ivm/error.h"

namespace ivm {
namespace {

Decimal D(const char* text) { return Decimal::Parse(text); }

std::string Str(const Decimal& d) { return d.ToString(); }

// Runs fn, expecting an ivm::Error; returns it for inspection.
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

TEST_CASE("Decimal parses PostgreSQL numeric input", "[decimal]") {
  CHECK(Str(D("  -1.5e3 ")) == "-1500");
  CHECK(Str(D("1e-3")) == "0.001");
  CHECK(Str(D("-0.50")) == "-0.50");
  CHECK(Str(D("0.000")) == "0.000");
  CHECK(Str(D("-0.000")) == "0.000");
  CHECK(Str(D("+.5")) == "0.5");
  CHECK(Str(D("5.")) == "5");
  CHECK(Str(D("1E+2")) == "100");
  CHECK(Str(D("100.50")) == "100.50");
  CHECK(Str(D("000123.4500")) == "123.4500");
  CHECK(Str(D("1.2345e-2")) == "0.012345");
  CHECK(Str(D("123.456e1")) == "1234.56");
  CHECK(D("1.50").scale() == 2);
  CHECK(D("1.50").unscaled() == 150);
  CHECK(Str(D("99999999999999999999999999999999999999")) ==
        "99999999999999999999999999999999999999");
  CHECK(Str(D("-0.00000000000000000000000000000000000001")) ==
        "-0.00000000000000000000000000000000000001");
}

TEST_CASE("Decimal rejects bad numeric input with 22P02", "[decimal]") {
  for (const char* bad : {"abc", "1e", ".", "", "1 2", "-", "1.2.3", "1e5x", "  "}) {
    Error e = CaptureError([&] { D(bad); });
    CHECK(e.sqlstate() == "22P02");
    CHECK(e.message() == std::string("invalid input syntax for type numeric: \"") + bad + "\"");
  }
  CHECK(CaptureError([] { D("NaN"); }).sqlstate() == "0A000");
  CHECK(CaptureError([] { D(" -Infinity "); }).sqlstate() == "0A000");
}

TEST_CASE("Decimal refuses more than 38 digits with 22003", "[decimal]") {
  Error e = CaptureError([] { D("123456789012345678901234567890123456789"); });
  CHECK(e.sqlstate() == "22003");
  CHECK(e.message() == "value overflows numeric format");
  CHECK(CaptureError([] { D("1e38"); }).sqlstate() == "22003");
  CHECK(CaptureError([] { Decimal(Decimal::Parse("1e37").unscaled() * 10, 0); }).sqlstate() ==
        "22003");
  CHECK(Str(D("1e37")) == "10000000000000000000000000000000000000");
}

TEST_CASE("Decimal prints PostgreSQL's text form", "[decimal]") {
  CHECK(Str(Decimal()) == "0");
  CHECK(Str(Decimal(0, 3)) == "0.000");
  CHECK(Str(Decimal(-50, 2)) == "-0.50");
  CHECK(Str(Decimal(10050, 2)) == "100.50");
  CHECK(Str(Decimal::FromInt64(-42)) == "-42");
  CHECK(Str(Decimal::FromInt64(INT64_MIN)) == "-9223372036854775808");
}

TEST_CASE("Decimal add, subtract and multiply keep PostgreSQL's scales", "[decimal]") {
  CHECK(Str(D("1.5") - D("1.5")) == "0.0");
  CHECK(Str(D("1.25") + D("2")) == "3.25");
  CHECK(Str(D("0.1") + D("-0.35")) == "-0.25");
  CHECK(Str(D("2.0") * D("3.00")) == "6.000");
  CHECK(Str(D("0.1") * D("0.1")) == "0.01");
  CHECK(Str(D("-0.0") * D("5")) == "0.0");
  CHECK(Str(D("-1.5") * D("2")) == "-3.0");
  // 1 - 0.99…9 (38 nines) needs 39 digits at the common scale before subtracting.
  CHECK(Str(D("1") - D("0.99999999999999999999999999999999999999")) ==
        "0.00000000000000000000000000000000000001");
  CHECK(CaptureError([] { D("99999999999999999999999999999999999999") + D("1"); }).sqlstate() ==
        "22003");
  CHECK(CaptureError([] { D("1e37") + D("0.1"); }).sqlstate() == "22003");
}

TEST_CASE("Decimal multiply rounds the scale down rather than overflow", "[decimal]") {
  // PostgreSQL keeps the exact 73-digit product
  // 1.481481481481481481481481481481481480962962962962962962962962962962962963;
  // Decimal keeps the most fractional digits that fit, i.e. round(product, 37).
  Decimal p =
      D("1.111111111111111111111111111111111111") * D("1.333333333333333333333333333333333333");
  CHECK(Str(p) == "1.4814814814814814814814814814814814810");
  CHECK(p.scale() == 37);
  // PostgreSQL: 0.9999999999999999999999999999999999999800000000000000000000000000000000000001
  CHECK(Str(D("0.99999999999999999999999999999999999999") *
            D("0.99999999999999999999999999999999999999")) ==
        "0.99999999999999999999999999999999999998");
  CHECK(CaptureError([] { D("1e20") * D("1e20"); }).sqlstate() == "22003");
}

TEST_CASE("Decimal divides with PostgreSQL's select_div_scale", "[decimal]") {
  CHECK(Str(D("1") / D("3")) == "0.33333333333333333333");
  CHECK(Str(D("10") / D("4")) == "2.5000000000000000");
  CHECK(Str(D("3") / D("2")) == "1.5000000000000000");
  CHECK(Str(D("100.50") / D("3")) == "33.5000000000000000");
  CHECK(Str(D("2") / D("3")) == "0.66666666666666666667");
  CHECK(Str(D("-2") / D("3")) == "-0.66666666666666666667");
  CHECK(Str(D("0") / D("3")) == "0.00000000000000000000");
  CHECK(Str(D("1e-20") / D("1e15")) == "0.0000000000000000000000000000000000100000000000000000");
  CHECK(Str(D("12345678901234567890") / D("3")) == "4115226300411522630");
  CHECK(Str(D("1") / D("7.000")) == "0.14285714285714285714");
  CHECK(Str(D("123456.789") / D("0.001")) == "123456789.00000000");
  Error e = CaptureError([] { D("1.0") / D("0"); });
  CHECK(e.sqlstate() == "22012");
  CHECK(e.message() == "division by zero");
}

TEST_CASE("Decimal average matches avg(int) and avg(numeric)", "[decimal]") {
  CHECK(Str(Decimal::Average(D("3"), 2)) == "1.5000000000000000");
  CHECK(Str(Decimal::Average(D("300.75"), 2)) == "150.3750000000000000");
  CHECK(Str(Decimal::Average(D("10"), 3)) == "3.3333333333333333");
}

TEST_CASE("Decimal modulo follows PostgreSQL's %", "[decimal]") {
  CHECK(Str(D("5.5") % D("2")) == "1.5");
  CHECK(Str(D("-5.5") % D("2")) == "-1.5");
  CHECK(Str(D("7") % D("-3")) == "1");
  CHECK(Str(D("1.25") % D("0.1")) == "0.05");
  CHECK(CaptureError([] { D("5.5") % D("0"); }).sqlstate() == "22012");
}

TEST_CASE("Decimal round, trunc, floor and ceil", "[decimal]") {
  CHECK(Str(D("1.50").Ceil()) == "2");
  CHECK(Str(D("-1.50").Floor()) == "-2");
  CHECK(Str(D("-0.5").Ceil()) == "0");
  CHECK(Str(D("2.000").Floor()) == "2");
  CHECK(Str(D("1.5").Round(3)) == "1.500");
  CHECK(Str(D("1234.5").Round(-2)) == "1200");
  CHECK(Str(D("1234.5").Trunc(-2)) == "1200");
  CHECK(Str(D("-2.5").Round(0)) == "-3");
  CHECK(Str(D("-2.7").Trunc(0)) == "-2");
  CHECK(Str(D("99.5").Round(-2)) == "100");
  CHECK(Str(D("0.05").Round(1)) == "0.1");
  CHECK(Str(D("0.04").Round(1)) == "0.0");
  CHECK(Str(D("123.456").Rescale(2)) == "123.46");
  CHECK(Str(D("123.456").Rescale(5)) == "123.45600");
}

TEST_CASE("Decimal enforces numeric(p,s) like apply_typmod", "[decimal]") {
  CHECK(Str(D("123.456").CoerceTo(5, 2)) == "123.46");
  CHECK(Str(D("0.001").CoerceTo(2, 2)) == "0.00");
  CHECK(Str(D("0.005").CoerceTo(2, 2)) == "0.01");
  CHECK(Str(D("1.5").CoerceTo(-1, 0)) == "1.5");
  CHECK(Str(D("12.5").CoerceTo(10, 0)) == "13");
  CHECK(Str(D("124").CoerceTo(3, -1)) == "120");
  Error e = CaptureError([] { D("999.995").CoerceTo(5, 2); });
  CHECK(e.sqlstate() == "22003");
  CHECK(e.message() == "numeric field overflow");
  CHECK(e.detail() ==
        "A field with precision 5, scale 2 must round to an absolute value less than 10^3.");
  CHECK(CaptureError([] { D("1").CoerceTo(2, 2); }).detail() ==
        "A field with precision 2, scale 2 must round to an absolute value less than 1.");
  CHECK(CaptureError([] { D("12345").CoerceTo(3, -1); }).detail() ==
        "A field with precision 3, scale -1 must round to an absolute value less than 10^4.");
}

TEST_CASE("Decimal compares and hashes by value", "[decimal]") {
  CHECK(D("1.5") == D("1.50"));
  CHECK(D("1.5").Hash() == D("1.50").Hash());
  CHECK(D("0").Hash() == D("0.000").Hash());
  CHECK(D("100").Hash() == D("100.00").Hash());
  CHECK(D("1.5").Hash() != D("15").Hash());
  CHECK(D("-1.5") < D("1.4"));
  CHECK(D("-1.5") < D("-1.4"));
  CHECK(D("0.001") < D("0.01"));
  CHECK(D("99") < D("100.0"));
  CHECK(D("1e-40") > D("0"));
  CHECK(D("1e-40") < D("1e-39"));
  CHECK(D("2").Compare(D("1.999")) == 1);
  CHECK(D("0.000").Compare(D("0")) == 0);
  CHECK(D("-3").Sign() == -1);
  CHECK(D("0.00").IsZero());
  CHECK(Str(D("-3.5").Abs()) == "3.5");
  CHECK(Str(-D("3.5")) == "-3.5");
}

TEST_CASE("Decimal converts to and from double and bigint", "[decimal]") {
  CHECK(Str(Decimal::FromDouble(1.5)) == "1.5");
  CHECK(Str(Decimal::FromDouble(0.1)) == "0.1");
  CHECK(Str(Decimal::FromDouble(1e20)) == "100000000000000000000");
  CHECK(Str(Decimal::FromDouble(123456789.123456789)) == "123456789.123457");
  CHECK(Str(Decimal::FromDouble(1e-20)) == "0.00000000000000000001");
  CHECK(Str(Decimal::FromDouble(-2.5)) == "-2.5");
  CHECK(CaptureError([] { Decimal::FromDouble(1.0 / 0.0); }).sqlstate() == "0A000");
  CHECK(D("0.1").ToDouble() == 0.1);
  CHECK(D("-123456789012345678901234567.5").ToDouble() == -123456789012345678901234567.5);
  CHECK(D("2.5").ToInt64() == 3);
  CHECK(D("-2.5").ToInt64() == -3);
  CHECK(D("9223372036854775807.4").ToInt64() == INT64_MAX);
  Error e = CaptureError([] { D("9223372036854775807.5").ToInt64(); });
  CHECK(e.sqlstate() == "22003");
  CHECK(e.message() == "bigint out of range");
}

}  // namespace
}  // namespace ivm
