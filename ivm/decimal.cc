#include "ivm/decimal.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ivm/ascii.h"
#include "ivm/error.h"

namespace ivm {
namespace {

using u128 = unsigned __int128;
using i128 = __int128;

constexpr int kMaxDisplayScale = 1000;  // PostgreSQL's NUMERIC_MAX_DISPLAY_SCALE
constexpr int kMaxResultScale = 2000;   // PostgreSQL's NUMERIC_MAX_RESULT_SCALE
constexpr int kMinSigDigits = 16;       // PostgreSQL's NUMERIC_MIN_SIG_DIGITS
constexpr int kDecDigits = 4;           // PostgreSQL stores base-10000 digit groups

constexpr std::array<u128, 39> MakePow10() {
  std::array<u128, 39> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<u128, 39> kPow10 = MakePow10();
constexpr u128 kLimit = kPow10[38];  // every |unscaled| is below this

[[noreturn]] void ThrowOverflow() {
  throw Error(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
}

[[noreturn]] void ThrowDivisionByZero() {
  throw Error(sqlstate::kDivisionByZero, "division by zero");
}

u128 Magnitude(i128 v) { return v < 0 ? -static_cast<u128>(v) : static_cast<u128>(v); }

// Number of decimal digits of v; 0 has none.
int DigitCount(u128 v) {
  int n = 0;
  while (n < 39 && v >= kPow10[n]) ++n;
  return n;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// An unsigned 256-bit integer, just enough for exact products and wide quotients.
// Little-endian 64-bit limbs. Values stay below 2^255 in every use here.
struct U256 {
  std::array<uint64_t, 4> w{};
};

U256 FromU128(u128 v) {
  U256 r;
  r.w[0] = static_cast<uint64_t>(v);
  r.w[1] = static_cast<uint64_t>(v >> 64);
  return r;
}

bool FitsU128(const U256& v) { return v.w[2] == 0 && v.w[3] == 0; }
u128 LowU128(const U256& v) { return (static_cast<u128>(v.w[1]) << 64) | v.w[0]; }

int CompareU256(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
  }
  return 0;
}

U256 Add(const U256& a, const U256& b) {
  U256 r;
  u128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 s = static_cast<u128>(a.w[i]) + b.w[i] + carry;
    r.w[i] = static_cast<uint64_t>(s);
    carry = s >> 64;
  }
  return r;
}

// REQUIRES: a >= b.
U256 Sub(const U256& a, const U256& b) {
  U256 r;
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = static_cast<u128>(a.w[i]) - b.w[i] - borrow;
    r.w[i] = static_cast<uint64_t>(d);
    borrow = (d >> 64) != 0 ? 1 : 0;
  }
  return r;
}

// Returns false if the product does not fit in 256 bits.
bool MulSmall(const U256& a, uint64_t m, U256* out) {
  u128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 p = static_cast<u128>(a.w[i]) * m + carry;
    out->w[i] = static_cast<uint64_t>(p);
    carry = p >> 64;
  }
  return carry == 0;
}

U256 Mul(u128 a, u128 b) {
  const uint64_t x[2] = {static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64)};
  const uint64_t y[2] = {static_cast<uint64_t>(b), static_cast<uint64_t>(b >> 64)};
  U256 r;
  for (int i = 0; i < 2; ++i) {
    u128 carry = 0;
    for (int j = 0; j < 2; ++j) {
      u128 p = static_cast<u128>(x[i]) * y[j] + r.w[i + j] + carry;
      r.w[i + j] = static_cast<uint64_t>(p);
      carry = p >> 64;
    }
    r.w[i + 2] = static_cast<uint64_t>(carry);
  }
  return r;
}

// v * 10^k; returns false if that needs more than 256 bits.
bool ScaleUp(const U256& v, int k, U256* out) {
  *out = v;
  for (; k > 0; k -= 19) {
    if (!MulSmall(*out, static_cast<uint64_t>(kPow10[k < 19 ? k : 19]), out)) return false;
  }
  return true;
}

U256 Pow10(int k) {
  U256 r;
  ScaleUp(FromU128(1), k, &r);  // k <= 77 in every use
  return r;
}

bool Bit(const U256& v, int i) { return (v.w[i / 64] >> (i % 64)) & 1; }

U256 ShiftLeft1(const U256& v) {
  U256 r;
  for (int i = 3; i >= 0; --i) r.w[i] = (v.w[i] << 1) | (i > 0 ? v.w[i - 1] >> 63 : 0);
  return r;
}

// Quotient and remainder; binary long division unless both fit in 128 bits.
// REQUIRES: d != 0, n < 2^255.
void DivMod(const U256& n, const U256& d, U256* q, U256* r) {
  if (FitsU128(n) && FitsU128(d)) {
    *q = FromU128(LowU128(n) / LowU128(d));
    *r = FromU128(LowU128(n) % LowU128(d));
    return;
  }
  *q = U256{};
  *r = U256{};
  for (int i = 255; i >= 0; --i) {
    *r = ShiftLeft1(*r);
    r->w[0] |= Bit(n, i) ? 1 : 0;
    if (CompareU256(*r, d) >= 0) {
      *r = Sub(*r, d);
      q->w[i / 64] |= uint64_t{1} << (i % 64);
    }
  }
}

// n / d rounded half away from zero (n, d are magnitudes).
U256 RoundedDiv(const U256& n, const U256& d) {
  U256 q, r;
  DivMod(n, d, &q, &r);
  if (CompareU256(ShiftLeft1(r), d) >= 0) q = Add(q, FromU128(1));
  return q;
}

bool BelowLimit(const U256& v) { return FitsU128(v) && LowU128(v) < kLimit; }

// Smallest k >= 0 with v < 10^(38 + k).
int ExcessDigits(const U256& v) {
  int k = 0;
  while (CompareU256(v, Pow10(38 + k)) >= 0) ++k;
  return k;
}

// Multiplies unscaled by 10^k; returns false if the result has more than 38 digits.
bool Align(i128 unscaled, int k, i128* out) {
  if (unscaled == 0 || k == 0) {
    *out = unscaled;
    return true;
  }
  if (k > 38 || __builtin_mul_overflow(unscaled, static_cast<i128>(kPow10[k]), out)) return false;
  return Magnitude(*out) < kLimit;
}

// PostgreSQL's base-10000 weight and leading digit group of m × 10^-scale (m != 0).
void BaseWeight(u128 m, int scale, int* weight, int* first_group) {
  if (m == 0) {
    *weight = 0;
    *first_group = 0;
    return;
  }
  int exponent = DigitCount(m) - 1 - scale;
  *weight = exponent >= 0 ? exponent / kDecDigits : -((-exponent + kDecDigits - 1) / kDecDigits);
  int shift = scale + kDecDigits * *weight;  // in [ndigits - 4, ndigits - 1]
  *first_group = static_cast<int>(shift >= 0 ? m / kPow10[shift] : m * kPow10[-shift]);
}

// PostgreSQL's select_div_scale.
int SelectDivScale(const Decimal& a, const Decimal& b) {
  int weight1, first1, weight2, first2;
  BaseWeight(Magnitude(a.unscaled()), a.scale(), &weight1, &first1);
  BaseWeight(Magnitude(b.unscaled()), b.scale(), &weight2, &first2);
  int qweight = weight1 - weight2;
  if (first1 <= first2) --qweight;
  int rscale = kMinSigDigits - qweight * kDecDigits;
  rscale = std::max({rscale, static_cast<int>(a.scale()), static_cast<int>(b.scale()), 0});
  return std::min(rscale, kMaxDisplayScale);
}

std::string QuotedInput(std::string_view text) { return "\"" + std::string(text) + "\""; }

[[noreturn]] void ThrowBadSyntax(std::string_view text) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type numeric: " + QuotedInput(text));
}

// Refuses PostgreSQL's special values, which Decimal cannot hold (yet).
void RejectSpecialValue(std::string_view word, std::string_view text) {
  while (!word.empty() && IsSpace(word.back())) word.remove_suffix(1);
  if (EqualsIgnoreCase(word, "nan") || EqualsIgnoreCase(word, "infinity") ||
      EqualsIgnoreCase(word, "inf")) {
    throw Error(sqlstate::kFeatureNotSupported,
                "numeric NaN and Infinity are not supported: " + QuotedInput(text));
  }
}

// Parses [e[sign]digits] at text[*pos]; returns the exponent, clamped to stay far from overflow.
int64_t ParseExponent(std::string_view text, size_t* pos) {
  size_t i = *pos + 1;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  size_t start = i;
  int64_t exponent = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    exponent = std::min<int64_t>(exponent * 10 + (text[i] - '0'), int64_t{1} << 40);
  }
  if (i == start) ThrowBadSyntax(text);
  // PostgreSQL refuses exponents beyond INT_MAX / 2 with this same error.
  if (exponent >= (int64_t{1} << 30)) ThrowOverflow();
  *pos = i;
  return negative ? -exponent : exponent;
}

}  // namespace

Decimal::Decimal(__int128 unscaled, int scale) {
  if (Magnitude(unscaled) >= kLimit || scale < 0 || scale > kMaxScale) ThrowOverflow();
  set_unscaled(unscaled);
  scale_ = static_cast<int16_t>(scale);
}

Decimal Decimal::Parse(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  RejectSpecialValue(text.substr(i), text);
  u128 digits = 0;
  int64_t frac_digits = 0;
  bool seen_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (digits >= kPow10[37]) ThrowOverflow();  // a 39th significant digit
      digits = digits * 10 + (c - '0');
      if (seen_point) ++frac_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) ThrowBadSyntax(text);
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) exponent = ParseExponent(text, &i);
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i != text.size()) ThrowBadSyntax(text);

  i128 unscaled = negative ? -static_cast<i128>(digits) : static_cast<i128>(digits);
  int64_t scale = frac_digits - exponent;
  if (scale >= 0) {
    if (scale > kMaxScale) ThrowOverflow();
    return FromParts(unscaled, static_cast<int>(scale));
  }
  i128 aligned;
  if (!Align(unscaled, static_cast<int>(-scale), &aligned)) ThrowOverflow();
  return FromParts(aligned, 0);
}

Decimal Decimal::FromDouble(double v) {
  if (std::isnan(v)) throw Error(sqlstate::kFeatureNotSupported, "cannot convert NaN to numeric");
  if (std::isinf(v)) {
    throw Error(sqlstate::kFeatureNotSupported, "cannot convert infinity to numeric");
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.15g", v);  // DBL_DIG significant digits, like PostgreSQL
  return Parse(buf);
}

Decimal Decimal::Average(const Decimal& sum, int64_t count) { return sum.Divide(FromInt64(count)); }

std::string Decimal::ToString() const {
  char buf[48];
  char* end = buf + sizeof(buf);
  char* p = end;
  u128 m = Magnitude(unscaled());
  do {
    *--p = static_cast<char>('0' + static_cast<int>(m % 10));
    m /= 10;
  } while (m != 0);
  std::string digits(p, end);
  if (scale_ > 0 && static_cast<int>(digits.size()) <= scale_) {
    digits.insert(0, scale_ + 1 - digits.size(), '0');
  }
  if (scale_ > 0) digits.insert(digits.size() - scale_, 1, '.');
  if (unscaled() < 0) digits.insert(0, 1, '-');
  return digits;
}

double Decimal::ToDouble() const {
  static constexpr double kExactPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                           1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                           1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  u128 m = Magnitude(unscaled());
  if (m < (u128{1} << 53) && scale_ <= 22) {
    // Both operands are exact doubles, so IEEE division rounds correctly.
    double d = static_cast<double>(m) / kExactPow10[scale_];
    return unscaled() < 0 ? -d : d;
  }
  return std::strtod(ToString().c_str(), nullptr);
}

int64_t Decimal::ToInt64() const {
  i128 v = Round(0).unscaled();
  if (v < INT64_MIN || v > INT64_MAX) {
    throw Error(sqlstate::kNumericValueOutOfRange, "bigint out of range");
  }
  return static_cast<int64_t>(v);
}

Decimal Decimal::Rescale(int new_scale) const { return Round(new_scale); }

Decimal Decimal::CoerceTo(int precision, int scale) const {
  if (precision < 0) return *this;
  Decimal r = Round(scale);
  int max_digits = precision - scale;
  int integer_digits = DigitCount(Magnitude(r.unscaled())) - r.scale_;
  if (r.unscaled() != 0 && integer_digits > max_digits) {
    std::string bound = max_digits != 0 ? "10^" + std::to_string(max_digits) : "1";
    throw Error(sqlstate::kNumericValueOutOfRange, "numeric field overflow",
                "A field with precision " + std::to_string(precision) + ", scale " +
                    std::to_string(scale) + " must round to an absolute value less than " + bound +
                    ".");
  }
  return r;
}

namespace {

// Signed sum of two magnitudes at the same scale, through 256 bits.
Decimal SignedSum(bool neg1, const U256& m1, bool neg2, const U256& m2, int scale) {
  U256 mag;
  bool negative;
  if (neg1 == neg2) {
    mag = Add(m1, m2);
    negative = neg1;
  } else if (CompareU256(m1, m2) >= 0) {
    mag = Sub(m1, m2);
    negative = neg1;
  } else {
    mag = Sub(m2, m1);
    negative = neg2;
  }
  if (!BelowLimit(mag)) ThrowOverflow();
  i128 v = static_cast<i128>(LowU128(mag));
  return Decimal(negative ? -v : v, scale);
}

Decimal AddScaled(i128 u1, int s1, i128 u2, int s2) {
  int scale = std::max(s1, s2);
  i128 a, b;
  if (Align(u1, scale - s1, &a) && Align(u2, scale - s2, &b)) {
    i128 sum = a + b;  // both below 10^38: cannot overflow 127 bits
    if (Magnitude(sum) >= kLimit) ThrowOverflow();
    return Decimal(sum, scale);
  }
  // One operand needs more than 38 digits at the common scale; the sum may still fit.
  U256 m1, m2;
  if (!ScaleUp(FromU128(Magnitude(u1)), scale - s1, &m1) ||
      !ScaleUp(FromU128(Magnitude(u2)), scale - s2, &m2)) {
    ThrowOverflow();
  }
  return SignedSum(u1 < 0, m1, u2 < 0, m2, scale);
}

}  // namespace

Decimal Decimal::Add(const Decimal& other) const {
  return AddScaled(unscaled(), scale_, other.unscaled(), other.scale_);
}

Decimal Decimal::Subtract(const Decimal& other) const {
  return AddScaled(unscaled(), scale_, -other.unscaled(), other.scale_);
}

Decimal Decimal::Multiply(const Decimal& other) const {
  bool negative = (unscaled() < 0) != (other.unscaled() < 0);
  U256 product = Mul(Magnitude(unscaled()), Magnitude(other.unscaled()));
  int scale = scale_ + other.scale_;
  // Drop as few fractional digits as needed to fit 38 digits (and the scale limit).
  int drop = std::max(ExcessDigits(product), scale - kMaxScale);
  for (;; ++drop) {
    if (drop > scale) ThrowOverflow();
    // Beyond 77 dropped digits every 256-bit product rounds to zero.
    U256 rounded = drop == 0 ? product : drop > 77 ? U256{} : RoundedDiv(product, Pow10(drop));
    if (BelowLimit(rounded)) {
      i128 v = static_cast<i128>(LowU128(rounded));
      return FromParts(negative ? -v : v, scale - drop);
    }
  }
}

Decimal Decimal::Divide(const Decimal& other) const {
  if (other.IsZero()) ThrowDivisionByZero();
  int rscale = SelectDivScale(*this, other);
  if (IsZero()) return FromParts(0, rscale);
  bool negative = (unscaled() < 0) != (other.unscaled() < 0);
  u128 m1 = Magnitude(unscaled()), m2 = Magnitude(other.unscaled());
  int shift = rscale - scale_ + other.scale_;  // >= 0 since rscale >= scale_
  int digits1 = DigitCount(m1), digits2 = DigitCount(m2);
  // The quotient is at least 10^(digits1 - 1 + shift - digits2).
  if (digits1 - 1 + shift - digits2 >= 38) ThrowOverflow();
  U256 q;
  if (digits1 + shift <= 38) {
    u128 n = m1 * kPow10[shift];
    u128 quotient = n / m2, remainder = n % m2;
    if (remainder >= m2 - remainder) ++quotient;
    q = FromU128(quotient);
  } else {
    U256 n;
    ScaleUp(FromU128(m1), shift, &n);  // digits1 + shift <= 76: fits
    q = RoundedDiv(n, FromU128(m2));
  }
  if (!BelowLimit(q)) ThrowOverflow();
  i128 v = static_cast<i128>(LowU128(q));
  return FromParts(negative ? -v : v, rscale);
}

Decimal Decimal::Mod(const Decimal& other) const {
  if (other.IsZero()) ThrowDivisionByZero();
  int scale = std::max(scale_, other.scale_);
  i128 a, b;
  if (Align(unscaled(), scale - scale_, &a) && Align(other.unscaled(), scale - other.scale_, &b)) {
    return FromParts(a % b, scale);  // C++ % takes the dividend's sign, like PostgreSQL
  }
  U256 m1, m2, q, r;
  if (!ScaleUp(FromU128(Magnitude(unscaled())), scale - scale_, &m1) ||
      !ScaleUp(FromU128(Magnitude(other.unscaled())), scale - other.scale_, &m2) ||
      CompareU256(m1, Pow10(76)) >= 0 || CompareU256(m2, Pow10(76)) >= 0) {
    ThrowOverflow();
  }
  DivMod(m1, m2, &q, &r);
  if (!BelowLimit(r)) ThrowOverflow();
  i128 v = static_cast<i128>(LowU128(r));
  return FromParts(unscaled() < 0 ? -v : v, scale);
}

namespace {

// Truncates m × 10^-scale to `target` fractional digits (target < scale); *dropped_nonzero and
// *round_up describe the dropped digits (round_up: the first dropped digit is >= 5).
u128 DropDigits(u128 m, int scale, int target, bool* dropped_nonzero, bool* round_up) {
  int k = scale - target;
  if (k > 38) {
    *dropped_nonzero = m != 0;
    *round_up = false;  // m < 10^38 <= 10^k / 10
    return 0;
  }
  u128 remainder = m % kPow10[k];
  *dropped_nonzero = remainder != 0;
  *round_up = remainder >= kPow10[k] - remainder;
  return m / kPow10[k];
}

enum class RoundMode { kHalfAwayFromZero, kTowardZero, kFloor, kCeil };

Decimal RoundTo(i128 unscaled, int scale, int target, RoundMode mode) {
  target = std::clamp(target, -kMaxResultScale, kMaxResultScale);
  if (target >= scale) {
    i128 padded;
    if (!Align(unscaled, target - scale, &padded)) ThrowOverflow();
    return Decimal(padded, target);
  }
  bool nonzero, round_up;
  u128 m = DropDigits(Magnitude(unscaled), scale, target, &nonzero, &round_up);
  bool negative = unscaled < 0;
  bool away = (mode == RoundMode::kHalfAwayFromZero && round_up) ||
              (mode == RoundMode::kFloor && negative && nonzero) ||
              (mode == RoundMode::kCeil && !negative && nonzero);
  if (away) ++m;
  i128 v = negative ? -static_cast<i128>(m) : static_cast<i128>(m);
  if (target >= 0) return Decimal(v, target);
  i128 widened;  // a negative target keeps its zeros in the integer part, at scale 0
  if (!Align(v, -target, &widened)) ThrowOverflow();
  return Decimal(widened, 0);
}

}  // namespace

Decimal Decimal::Round(int s) const {
  return RoundTo(unscaled(), scale_, s, RoundMode::kHalfAwayFromZero);
}

Decimal Decimal::Trunc(int s) const {
  return RoundTo(unscaled(), scale_, s, RoundMode::kTowardZero);
}

Decimal Decimal::Floor() const { return RoundTo(unscaled(), scale_, 0, RoundMode::kFloor); }

Decimal Decimal::Ceil() const { return RoundTo(unscaled(), scale_, 0, RoundMode::kCeil); }

int Decimal::Compare(const Decimal& other) const {
  int s1 = Sign(), s2 = other.Sign();
  if (s1 != s2) return s1 < s2 ? -1 : 1;
  if (s1 == 0) return 0;
  u128 m1 = Magnitude(unscaled()), m2 = Magnitude(other.unscaled());
  // Position of the leading digit first: then aligning cannot exceed 38 digits.
  int e1 = DigitCount(m1) - scale_, e2 = DigitCount(m2) - other.scale_;
  int magnitude_order;
  if (e1 != e2) {
    magnitude_order = e1 < e2 ? -1 : 1;
  } else {
    int scale = std::max(scale_, other.scale_);
    m1 *= kPow10[scale - scale_];
    m2 *= kPow10[scale - other.scale_];
    magnitude_order = m1 < m2 ? -1 : (m1 > m2 ? 1 : 0);
  }
  return s1 > 0 ? magnitude_order : -magnitude_order;
}

uint64_t Decimal::Hash() const {
  i128 v = unscaled();
  int scale = scale_;
  while (scale > 0 && v % 10 == 0) {
    v /= 10;
    --scale;
  }
  if (v == 0) scale = 0;
  auto mix = [](uint64_t x) {  // splitmix64's finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  u128 bits = static_cast<u128>(v);
  uint64_t h = mix(static_cast<uint64_t>(bits));
  h = mix(h ^ static_cast<uint64_t>(bits >> 64) ^ 0x9e3779b97f4a7c15ULL);
  return mix(h + static_cast<uint64_t>(scale));
}

}  // namespace ivm
