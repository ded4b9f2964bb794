#include "ivm/float_format.h"

#include <strings.h>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

#include "ivm/error.h"

namespace ivm {
namespace {

// PostgreSQL (ryu's to_chars in src/common) prints fixed-point when the decimal exponent
// is in [-4, DBL_DIG) for float8 and [-4, FLT_DIG) for float4, like printf's %g.
constexpr int kFloat8FixedLimit = 15;
constexpr int kFloat4FixedLimit = 6;

// Lays out digits given in scientific form without sign ("1.2345e+17") as PostgreSQL does.
void AppendShortest(std::string_view scientific, int fixed_limit, std::string* out) {
  size_t e_pos = scientific.find('e');
  std::string_view mantissa = scientific.substr(0, e_pos);
  std::string_view exponent_text = scientific.substr(e_pos);  // "e+15", "e-05", "e+100"
  int exponent = 0;
  std::from_chars(exponent_text.data() + 2, exponent_text.data() + exponent_text.size(), exponent);
  if (exponent_text[1] == '-') exponent = -exponent;
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  if (exponent < -4 || exponent >= fixed_limit) {
    out->push_back(digits[0]);
    if (digits.size() > 1) {
      out->push_back('.');
      out->append(digits, 1);
    }
    out->append(exponent_text);  // to_chars already writes PostgreSQL's two-digit minimum
  } else if (exponent < 0) {
    out->append("0.");
    out->append(-exponent - 1, '0');
    out->append(digits);
  } else {
    size_t integer_digits = exponent + 1;
    if (digits.size() <= integer_digits) {
      out->append(digits);
      out->append(integer_digits - digits.size(), '0');
    } else {
      out->append(digits, 0, integer_digits);
      out->push_back('.');
      out->append(digits, integer_digits);
    }
  }
}

// Handles NaN, infinities and zeros; returns false for every other value.
template <typename Float>
bool AppendSpecial(Float v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
  } else if (std::isinf(v)) {
    out->append(v < 0 ? "-Infinity" : "Infinity");
  } else if (v == 0) {
    out->append(std::signbit(v) ? "-0" : "0");
  } else {
    return false;
  }
  return true;
}

// |v| = significand × 2^exponent, and whether the gap below |v| is half the gap above
// (|v| a power of two above the smallest normal).
struct BinaryValue {
  uint64_t significand;
  int exponent;
  bool narrow_lower_gap;
};

template <typename Float>
BinaryValue Decompose(Float v) {
  using Bits = std::conditional_t<sizeof(Float) == 8, uint64_t, uint32_t>;
  constexpr int kFractionBits = std::numeric_limits<Float>::digits - 1;
  constexpr int kBias = std::numeric_limits<Float>::max_exponent - 1;
  Bits bits = std::bit_cast<Bits>(v);
  uint64_t fraction = bits & ((Bits{1} << kFractionBits) - 1);
  int biased = static_cast<int>((bits >> kFractionBits) &
                                ((Bits{1} << (sizeof(Float) * 8 - 1 - kFractionBits)) - 1));
  if (biased == 0) return {fraction, 1 - kBias - kFractionBits, false};
  return {fraction | (uint64_t{1} << kFractionBits), biased - kBias - kFractionBits,
          fraction == 0 && biased > 1};
}

// Writes r = digits × 10^power10 (from scientific text such as "7.101e+16", no sign) as
// odd × 2^power2; returns false when r is not of that form with a small odd part.
bool OddTimesPowerOfTwo(std::string_view scientific, unsigned __int128* odd, int* power2) {
  size_t e_pos = scientific.find('e');
  uint64_t digits = 0;
  int count = 0;
  for (char c : scientific.substr(0, e_pos)) {
    if (c != '.') {
      digits = digits * 10 + (c - '0');
      ++count;
    }
  }
  int exponent10 = 0;
  std::from_chars(scientific.data() + e_pos + 2, scientific.data() + scientific.size(), exponent10);
  if (scientific[e_pos + 1] == '-') exponent10 = -exponent10;
  int k = exponent10 - (count - 1);
  if (digits == 0 || k > 27 || k < -27) return false;  // odd parts beyond 2^56 never match
  int twos = __builtin_ctzll(digits);
  unsigned __int128 odd_digits = digits >> twos;
  unsigned __int128 pow5 = 1;
  for (int i = 0; i < (k < 0 ? -k : k); ++i) pow5 *= 5;
  if (k < 0 && odd_digits % pow5 != 0) return false;
  *odd = k >= 0 ? odd_digits * pow5 : odd_digits / pow5;
  *power2 = twos + k;
  return true;
}

// True if the decimal lies exactly halfway between |v| and a neighbour. PostgreSQL's Ryu is
// built without STRICTLY_SHORTEST, so it never prints such a boundary value, while
// std::to_chars may (when the round-trip tie goes to |v|'s even significand).
bool IsMidpoint(std::string_view scientific, const BinaryValue& b) {
  unsigned __int128 odd;
  int power2;
  if (!OddTimesPowerOfTwo(scientific, &odd, &power2)) return false;
  unsigned __int128 m = b.significand;
  if (power2 == b.exponent - 1 && (odd == 2 * m + 1 || (!b.narrow_lower_gap && odd == 2 * m - 1))) {
    return true;
  }
  return b.narrow_lower_gap && power2 == b.exponent - 2 && odd == 4 * m - 1;
}

double ParseBack(const char* text, double) { return std::strtod(text, nullptr); }
float ParseBack(const char* text, float) { return std::strtof(text, nullptr); }

// The shortest correctly rounded decimal of |v| with more than min_digits digits that reads back
// as |v| and is not a boundary value: what PostgreSQL prints when to_chars hit a boundary.
template <typename Float>
std::string LongerDigits(Float magnitude, const BinaryValue& b, int min_digits) {
  char buf[64];
  for (int n = min_digits; n <= std::numeric_limits<Float>::max_digits10; ++n) {
    std::snprintf(buf, sizeof(buf), "%.*e", n - 1, static_cast<double>(magnitude));
    if (ParseBack(buf, Float{}) == magnitude && !IsMidpoint(buf, b)) break;
  }
  return buf;
}

template <typename Float>
void AppendFloat(Float v, int fixed_limit, std::string* out) {
  if (AppendSpecial(v, out)) return;
  if (std::signbit(v)) out->push_back('-');
  Float magnitude = std::fabs(v);
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), magnitude, std::chars_format::scientific);
  std::string_view shortest(buf, result.ptr - buf);
  BinaryValue b = Decompose(magnitude);
  if (!IsMidpoint(shortest, b)) {
    AppendShortest(shortest, fixed_limit, out);
    return;
  }
  int digits =
      static_cast<int>(shortest.find('e')) - (shortest.find('.') == std::string::npos ? 0 : 1);
  AppendShortest(LongerDigits(magnitude, b, digits + 1), fixed_limit, out);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

[[noreturn]] void ThrowBadSyntax(const char* type_name, std::string_view text) {
  throw Error(sqlstate::kInvalidTextRepresentation, std::string("invalid input syntax for type ") +
                                                        type_name + ": \"" + std::string(text) +
                                                        "\"");
}

// PostgreSQL's spellings of the special values, tried when strtod fails.
bool MatchSpecial(const char* num, double* value, const char** end) {
  static constexpr struct {
    const char* word;
    double value;
  } kWords[] = {{"NaN", std::numeric_limits<double>::quiet_NaN()},
                {"Infinity", HUGE_VAL},
                {"+Infinity", HUGE_VAL},
                {"-Infinity", -HUGE_VAL},
                {"inf", HUGE_VAL},
                {"+inf", HUGE_VAL},
                {"-inf", -HUGE_VAL}};
  for (const auto& w : kWords) {
    size_t n = std::strlen(w.word);
    if (strncasecmp(num, w.word, n) == 0) {
      *value = w.value;
      *end = num + n;
      return true;
    }
  }
  return false;
}

// PostgreSQL's float8in_internal / float4in, with strtod or strtof as `convert`.
// Uses the C library, hence the "C" locale's decimal point (the server never calls setlocale).
template <typename Float, typename Convert>
Float ParseFloat(std::string_view text, const char* type_name, Convert convert, Float huge) {
  std::string copy(text);  // strtod needs a terminating NUL
  const char* num = copy.c_str();
  while (IsSpace(*num)) ++num;
  if (*num == '\0') ThrowBadSyntax(type_name, text);
  char* end_mut = nullptr;
  errno = 0;
  Float value = convert(num, &end_mut);
  const char* end = end_mut;
  if (end == num || errno != 0) {
    int saved_errno = errno;
    double special;
    if (MatchSpecial(num, &special, &end)) {
      value = static_cast<Float>(special);
    } else if (saved_errno == ERANGE && (value == 0 || value >= huge || value <= -huge)) {
      throw Error(sqlstate::kNumericValueOutOfRange,
                  "\"" + std::string(num, end) + "\" is out of range for type " + type_name);
    } else if (saved_errno != ERANGE) {
      ThrowBadSyntax(type_name, text);
    }
  }
  while (IsSpace(*end)) ++end;
  if (end != copy.c_str() + copy.size()) ThrowBadSyntax(type_name, text);
  return value;
}

}  // namespace

void AppendFloat8(double v, std::string* out) { AppendFloat(v, kFloat8FixedLimit, out); }

void AppendFloat4(float v, std::string* out) { AppendFloat(v, kFloat4FixedLimit, out); }

std::string FormatFloat8(double v) {
  std::string out;
  AppendFloat8(v, &out);
  return out;
}

std::string FormatFloat4(float v) {
  std::string out;
  AppendFloat4(v, &out);
  return out;
}

double ParseFloat8(std::string_view text) {
  return ParseFloat<double>(text, "double precision", std::strtod, HUGE_VAL);
}

float ParseFloat4(std::string_view text) {
  return ParseFloat<float>(text, "real", std::strtof, HUGE_VALF);
}

}  // namespace ivm
