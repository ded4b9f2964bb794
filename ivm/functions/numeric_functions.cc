// Numeric functions: abs, round, trunc, floor, ceil/ceiling, mod, power/pow, sqrt, sign,
// with PostgreSQL's overloads per type and its errors (22003 overflow, 22012 division by
// zero, 2201F invalid power arguments). power of numeric needs an integer exponent.
#include <algorithm>
#include <cmath>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kI2 = TypeId::kInt16;
constexpr TypeId kI4 = TypeId::kInt32;
constexpr TypeId kI8 = TypeId::kInt64;
constexpr TypeId kF4 = TypeId::kFloat32;
constexpr TypeId kF8 = TypeId::kFloat64;
constexpr TypeId kNum = TypeId::kNumeric;
constexpr const char* kInvalidPowerArgument = "2201F";  // invalid_argument_for_power_function

Value CheckedFloat8(double r, bool inputs_finite) {
  if (std::isinf(r) && inputs_finite) {
    throw Error(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  }
  return Value::Float64(r);
}

template <TypeId kType>
Value AbsInt(Args a) {
  __int128 v = a[0].int_value();
  return Value::Integer(kType, CheckIntegerRange(v < 0 ? -v : v, kType));
}
Value AbsFloat4(Args a) {
  return Value::Float32(std::fabs(static_cast<float>(a[0].float_value())));
}
Value AbsFloat8(Args a) { return Value::Float64(std::fabs(a[0].float_value())); }
Value AbsNumeric(Args a) { return Value::Numeric(a[0].numeric_value().Abs()); }

// round(float8) is rint: half to even, as PostgreSQL does.
Value RoundFloat8(Args a) { return Value::Float64(std::rint(a[0].float_value())); }
Value RoundNumeric(Args a) { return Value::Numeric(a[0].numeric_value().Round(0)); }
Value RoundNumericScale(Args a) {
  return Value::Numeric(a[0].numeric_value().Round(static_cast<int>(a[1].int_value())));
}
Value TruncFloat8(Args a) { return Value::Float64(std::trunc(a[0].float_value())); }
Value TruncNumeric(Args a) { return Value::Numeric(a[0].numeric_value().Trunc(0)); }
Value TruncNumericScale(Args a) {
  return Value::Numeric(a[0].numeric_value().Trunc(static_cast<int>(a[1].int_value())));
}
Value FloorFloat8(Args a) { return Value::Float64(std::floor(a[0].float_value())); }
Value FloorNumeric(Args a) { return Value::Numeric(a[0].numeric_value().Floor()); }
Value CeilFloat8(Args a) { return Value::Float64(std::ceil(a[0].float_value())); }
Value CeilNumeric(Args a) { return Value::Numeric(a[0].numeric_value().Ceil()); }

template <TypeId kType>
Value ModInt(Args a) {
  int64_t b = a[1].int_value();
  if (b == 0) throw Error(sqlstate::kDivisionByZero, "division by zero");
  if (b == -1) return Value::Integer(kType, 0);  // avoids INT_MIN % -1 trapping
  return Value::Integer(kType, a[0].int_value() % b);
}
Value ModNumeric(Args a) { return Value::Numeric(a[0].numeric_value().Mod(a[1].numeric_value())); }

Value PowerFloat8(Args a) {
  double x = a[0].float_value(), y = a[1].float_value();
  if (x == 0 && y < 0) {
    throw Error(kInvalidPowerArgument, "zero raised to a negative power is undefined");
  }
  if (x < 0 && std::floor(y) != y && std::isfinite(y)) {
    throw Error(kInvalidPowerArgument,
                "a negative number raised to a non-integer power yields a complex result");
  }
  double r = std::pow(x, y);
  if (r == 0 && x != 0 && std::isfinite(x) && std::isfinite(y) && std::fabs(x) != 1) {
    throw Error(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
  }
  return CheckedFloat8(r, std::isfinite(x) && std::isfinite(y));
}

Value SqrtFloat8(Args a) {
  double x = a[0].float_value();
  if (x < 0) {
    throw Error(kInvalidPowerArgument, "cannot take square root of a negative number");
  }
  return Value::Float64(std::sqrt(x));
}

// 10^e as a 128-bit integer (e <= 38).
__int128 Pow10(int e) {
  __int128 p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

// a * 10^e, false on overflow.
bool TimesPow10(__int128 a, int e, __int128* out) {
  if (e > 38) return a == 0 ? (*out = 0, true) : false;
  return !__builtin_mul_overflow(a, Pow10(e), out);
}

// PostgreSQL's numeric sqrt: about 16 significant digits (rscale from the argument's
// weight in base-10000 digits, at least its own scale), rounded half up. The root is
// estimated in floating point and then corrected exactly: q is right when
// (2q-1)^2 <= 4 * x * 10^(2 rscale) < (2q+1)^2.
Value SqrtNumeric(Args a) {
  const Decimal& x = a[0].numeric_value();
  if (x.Sign() < 0) {
    throw Error(kInvalidPowerArgument, "cannot take square root of a negative number");
  }
  __int128 u = x.unscaled();
  int s = x.scale();
  int weight = 0;  // base-10000 weight of the leading digit, as PostgreSQL counts it
  if (u != 0) {
    int digits = 0;
    for (__int128 v = u; v != 0; v /= 10) ++digits;
    int e = digits - 1 - s;  // decimal exponent of the leading digit
    weight = e >= 0 ? e / 4 : -((-e + 3) / 4);
  }
  int sweight = (weight + 1) * 4 / 2 - 1;
  int rscale = std::min(std::max({16 - sweight, s, 0}), 1000);
  if (u == 0) return Value::Numeric(Decimal(0, rscale));
  // q ~ sqrt(u * 10^(2 rscale - s)).
  int k = 2 * rscale - s;
  long double estimate = std::sqrt(static_cast<long double>(u)) * std::pow(10.0L, k / 2.0L);
  __int128 q = static_cast<__int128>(std::llround(estimate));
  if (estimate > 9.0e18L) q = static_cast<__int128>(estimate + 0.5L);
  // 4 * u * 10^k compared with (2q ± 1)^2, both sides scaled to integers.
  auto compare = [&](__int128 odd) -> int {  // sign of odd^2 - 4 u 10^k
    __int128 square, lhs, rhs;
    if (__builtin_mul_overflow(odd, odd, &square)) return 2;
    if (k >= 0) {
      if (!TimesPow10(4 * u, k, &rhs)) return 2;
      lhs = square;
    } else {
      if (!TimesPow10(square, -k, &lhs)) return 2;
      rhs = 4 * u;
    }
    return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
  };
  for (int i = 0; i < 4; ++i) {
    int low = compare(2 * q - 1), high = compare(2 * q + 1);
    if (low == 2 || high == 2) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "sqrt(numeric) of a value this size is not supported", "",
                  "Cast the argument to double precision.");
    }
    if (low > 0) {
      --q;
    } else if (high <= 0) {
      ++q;
    } else {
      break;
    }
  }
  return Value::Numeric(Decimal(q, rscale));
}
// power(numeric, numeric) for integer exponents, as PostgreSQL 15 computes it: the exact
// power (by repeated squaring), at scale max(16, the arguments' scales). Fractional
// exponents are refused: they need exp/ln at PostgreSQL's precision.
Value PowerNumeric(Args a) {
  const Decimal& base = a[0].numeric_value();
  const Decimal& exponent = a[1].numeric_value();
  if (base.IsZero() && exponent.Sign() < 0) {
    throw Error(kInvalidPowerArgument, "zero raised to a negative power is undefined");
  }
  if (exponent.Compare(exponent.Trunc(0)) != 0) {
    throw Error(sqlstate::kFeatureNotSupported,
                "power(numeric, numeric) with a fractional exponent is not supported yet", "",
                "Cast the arguments to double precision.");
  }
  Decimal whole = exponent.Trunc(0);
  if (whole.Compare(Decimal::FromInt64(100000)) > 0 ||
      whole.Compare(Decimal::FromInt64(-100000)) < 0) {
    throw Error(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  }
  int64_t n = whole.ToInt64();
  uint64_t m = static_cast<uint64_t>(n < 0 ? -n : n);
  Decimal result = Decimal::FromInt64(1);
  Decimal square = base;
  while (m > 0) {
    if (m & 1) result = result * square;
    m >>= 1;
    if (m > 0) square = square * square;
  }
  if (n < 0) result = Decimal::FromInt64(1).Divide(result);
  int rscale = std::max({16, base.scale(), exponent.scale()});
  return Value::Numeric(result.Rescale(rscale));
}

Value SignFloat8(Args a) {
  double x = a[0].float_value();
  return Value::Float64(x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0));
}
Value SignNumeric(Args a) {
  return Value::Numeric(Decimal::FromInt64(a[0].numeric_value().Sign()));
}

}  // namespace

void AddNumericFunctions(std::vector<ScalarFunction>* out) {
  auto add = [&](const char* name, std::vector<TypeId> params, TypeId result, ScalarBody body) {
    out->push_back({name, std::move(params), result, body});
  };
  add("abs", {kI2}, kI2, AbsInt<kI2>);
  add("abs", {kI4}, kI4, AbsInt<kI4>);
  add("abs", {kI8}, kI8, AbsInt<kI8>);
  add("abs", {kF4}, kF4, AbsFloat4);
  add("abs", {kF8}, kF8, AbsFloat8);
  add("abs", {kNum}, kNum, AbsNumeric);
  add("round", {kF8}, kF8, RoundFloat8);
  add("round", {kNum}, kNum, RoundNumeric);
  add("round", {kNum, kI4}, kNum, RoundNumericScale);
  add("trunc", {kF8}, kF8, TruncFloat8);
  add("trunc", {kNum}, kNum, TruncNumeric);
  add("trunc", {kNum, kI4}, kNum, TruncNumericScale);
  for (const char* name : {"floor"}) {
    add(name, {kF8}, kF8, FloorFloat8);
    add(name, {kNum}, kNum, FloorNumeric);
  }
  for (const char* name : {"ceil", "ceiling"}) {
    add(name, {kF8}, kF8, CeilFloat8);
    add(name, {kNum}, kNum, CeilNumeric);
  }
  add("mod", {kI2, kI2}, kI2, ModInt<kI2>);
  add("mod", {kI4, kI4}, kI4, ModInt<kI4>);
  add("mod", {kI8, kI8}, kI8, ModInt<kI8>);
  add("mod", {kNum, kNum}, kNum, ModNumeric);
  for (const char* name : {"power", "pow"}) {
    add(name, {kF8, kF8}, kF8, PowerFloat8);
    add(name, {kNum, kNum}, kNum, PowerNumeric);
  }
  add("sqrt", {kF8}, kF8, SqrtFloat8);
  add("sqrt", {kNum}, kNum, SqrtNumeric);
  add("sign", {kF8}, kF8, SignFloat8);
  add("sign", {kNum}, kNum, SignNumeric);
}

}  // namespace ivm
