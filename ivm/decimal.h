// Decimal is PostgreSQL's NUMERIC as a 128-bit fixed-point value: unscaled × 10^-scale with at
// most 38 digits in |unscaled|, and scale = PostgreSQL's display scale (1.50 keeps scale 2).
// Every operation follows PostgreSQL's result-scale rules; exceeding 38 digits throws 22003.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace ivm {

// Decimal is a trivially copyable value type. Invariants: |unscaled()| < 10^38 and
// 0 <= scale_ <= kMaxScale. NaN and ±Infinity (PostgreSQL 14+) are not supported.
class Decimal {
 public:
  static constexpr int kMaxDigits = 38;
  // PostgreSQL's NUMERIC_DSCALE_MAX: the largest display scale a value may carry.
  static constexpr int kMaxScale = 16383;

  Decimal() = default;
  // Throws 22003 if |unscaled| >= 10^38 or scale is outside [0, kMaxScale].
  Decimal(__int128 unscaled, int scale);

  static Decimal FromInt64(int64_t v) { return Decimal(v, 0); }
  // PostgreSQL numeric input: [spaces][sign]digits[.digits][e[sign]digits][spaces].
  // Bad syntax throws 22P02; 'NaN' and 'Infinity' throw 0A000 (not supported yet).
  static Decimal Parse(std::string_view text);
  // Like PostgreSQL's float8 -> numeric cast (%.15g, then Parse). NaN/Infinity throw 0A000.
  static Decimal FromDouble(double v);
  // sum / count with Divide's scale rule (avg(int) and avg(numeric) in PostgreSQL).
  static Decimal Average(const Decimal& sum, int64_t count);

  std::string ToString() const;
  // Correctly rounded, as PostgreSQL's numeric -> float8 cast.
  double ToDouble() const;
  // Rounds half away from zero; throws 22003 "bigint out of range".
  int64_t ToInt64() const;

  // Rounds half away from zero to new_scale (>= 0), or pads with zeros.
  Decimal Rescale(int new_scale) const;
  // numeric(precision, scale) typmod enforcement (PostgreSQL's apply_typmod). A negative
  // precision means unconstrained. Throws 22003 "numeric field overflow".
  Decimal CoerceTo(int precision, int scale) const;

  Decimal Add(const Decimal& other) const;       // scale max(s1, s2)
  Decimal Subtract(const Decimal& other) const;  // scale max(s1, s2)
  // Scale s1 + s2; if the exact product needs more than 38 digits, the scale is reduced
  // (rounding) as far as needed; throws 22003 if even scale 0 overflows.
  Decimal Multiply(const Decimal& other) const;
  // PostgreSQL's select_div_scale, rounded half away from zero. Throws 22012.
  Decimal Divide(const Decimal& other) const;
  // PostgreSQL's %: sign of the dividend, scale max(s1, s2). Throws 22012.
  Decimal Mod(const Decimal& other) const;
  Decimal Negate() const { return FromParts(-unscaled(), scale_); }
  Decimal Abs() const { return unscaled() < 0 ? Negate() : *this; }

  // PostgreSQL round(x, s) and trunc(x, s); s may be negative (result scale max(s, 0)).
  Decimal Round(int s) const;
  Decimal Trunc(int s) const;
  Decimal Floor() const;  // scale 0
  Decimal Ceil() const;   // scale 0

  // By value: 1.5 and 1.50 compare equal. Returns -1, 0 or 1.
  int Compare(const Decimal& other) const;
  bool IsZero() const { return unscaled() == 0; }
  int Sign() const { return unscaled() < 0 ? -1 : (unscaled() > 0 ? 1 : 0); }
  // Equal values (by Compare) hash equally, whatever their scales.
  uint64_t Hash() const;

  int scale() const { return scale_; }
  __int128 unscaled() const {
    return static_cast<__int128>((static_cast<unsigned __int128>(high_) << 64) | low_);
  }

  friend Decimal operator+(const Decimal& a, const Decimal& b) { return a.Add(b); }
  friend Decimal operator-(const Decimal& a, const Decimal& b) { return a.Subtract(b); }
  friend Decimal operator*(const Decimal& a, const Decimal& b) { return a.Multiply(b); }
  friend Decimal operator/(const Decimal& a, const Decimal& b) { return a.Divide(b); }
  friend Decimal operator%(const Decimal& a, const Decimal& b) { return a.Mod(b); }
  friend Decimal operator-(const Decimal& a) { return a.Negate(); }
  friend bool operator==(const Decimal& a, const Decimal& b) { return a.Compare(b) == 0; }
  friend std::weak_ordering operator<=>(const Decimal& a, const Decimal& b) {
    return a.Compare(b) <=> 0;
  }

 private:
  // Skips validation: callers guarantee the invariants.
  static Decimal FromParts(__int128 unscaled, int scale) {
    Decimal d;
    d.set_unscaled(unscaled);
    d.scale_ = static_cast<int16_t>(scale);
    return d;
  }
  void set_unscaled(__int128 unscaled) {
    low_ = static_cast<uint64_t>(unscaled);
    high_ = static_cast<uint64_t>(static_cast<unsigned __int128>(unscaled) >> 64);
  }

  // The unscaled value in two halves rather than one __int128: 8-byte alignment makes a
  // Decimal 24 bytes, not 32, and every ivm::Value 48 bytes, not 64.
  uint64_t low_ = 0;
  uint64_t high_ = 0;
  int16_t scale_ = 0;
};

static_assert(std::is_trivially_copyable_v<Decimal>);

}  // namespace ivm
