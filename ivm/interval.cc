#include "ivm/interval.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "ivm/datetime.h"
#include "ivm/error.h"

namespace ivm {
namespace {
using datetime::kMicrosPerDay;
using datetime::kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;

[[noreturn]] void IntervalOutOfRange() {
  throw Error(sqlstate::kDatetimeFieldOverflow, "interval out of range");
}

Interval Checked(int64_t months, int64_t days, int64_t micros) {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (months < kMin || months > kMax || days < kMin || days > kMax) IntervalOutOfRange();
  return Interval{static_cast<int32_t>(months), static_cast<int32_t>(days), micros};
}

double TsRound(double v) { return std::rint(v * 1e6) / 1e6; }

}  // namespace

__int128 Interval::Span() const {
  return (static_cast<__int128>(months) * 30 + days) * kMicrosPerDay + micros;
}

int Interval::Compare(const Interval& other) const {
  __int128 a = Span(), b = other.Span();
  return a < b ? -1 : (a > b ? 1 : 0);
}

namespace {

// PostgreSQL's AddPostgresIntPart.
void AppendPart(int64_t value, const char* unit, bool* is_zero, bool* is_before, std::string* out) {
  if (value == 0) return;
  if (!*is_zero) out->push_back(' ');
  if (*is_before && value > 0) out->push_back('+');
  out->append(std::to_string(value)).append(" ").append(unit);
  if (value != 1) out->push_back('s');
  *is_before = value < 0;
  *is_zero = false;
}

}  // namespace

std::string FormatInterval(const Interval& interval) {
  std::string out;
  bool is_zero = true, is_before = false;
  AppendPart(interval.months / 12, "year", &is_zero, &is_before, &out);
  AppendPart(interval.months % 12, "mon", &is_zero, &is_before, &out);
  AppendPart(interval.days, "day", &is_zero, &is_before, &out);
  int64_t time = interval.micros;
  if (is_zero || time != 0) {
    bool minus = time < 0;
    uint64_t t = minus ? -static_cast<uint64_t>(time) : static_cast<uint64_t>(time);
    uint64_t hours = t / kMicrosPerHour;
    uint64_t minutes = t / kMicrosPerMinute % 60;
    uint64_t seconds = t / kMicrosPerSecond % 60;
    uint64_t fraction = t % kMicrosPerSecond;
    char buf[64];
    int n = std::snprintf(
        buf, sizeof buf, "%s%s%02llu:%02llu:%02llu", is_zero ? "" : " ",
        minus ? "-" : (is_before ? "+" : ""), static_cast<unsigned long long>(hours),
        static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(seconds));
    out.append(buf, n);
    if (fraction != 0) {
      n = std::snprintf(buf, sizeof buf, ".%06llu", static_cast<unsigned long long>(fraction));
      while (buf[n - 1] == '0') --n;
      out.append(buf, n);
    }
  }
  return out;
}

Interval AddIntervals(const Interval& a, const Interval& b) {
  int64_t micros;
  if (__builtin_add_overflow(a.micros, b.micros, &micros)) IntervalOutOfRange();
  return Checked(int64_t{a.months} + b.months, int64_t{a.days} + b.days, micros);
}

Interval SubtractIntervals(const Interval& a, const Interval& b) {
  int64_t micros;
  if (__builtin_sub_overflow(a.micros, b.micros, &micros)) IntervalOutOfRange();
  return Checked(int64_t{a.months} - b.months, int64_t{a.days} - b.days, micros);
}

Interval NegateInterval(const Interval& a) {
  if (a.micros == std::numeric_limits<int64_t>::min()) IntervalOutOfRange();
  return Checked(-int64_t{a.months}, -int64_t{a.days}, -a.micros);
}

namespace {

// PostgreSQL 15's interval_mul/interval_div: whole months and days scale; their fractions
// cascade down (30-day months, 86400-second days), never up.
Interval ScaleInterval(const Interval& a, double months_scaled, double days_scaled,
                       double micros_scaled) {
  if (std::isnan(months_scaled) || months_scaled > std::numeric_limits<int32_t>::max() ||
      months_scaled < std::numeric_limits<int32_t>::min() || std::isnan(days_scaled) ||
      days_scaled > std::numeric_limits<int32_t>::max() ||
      days_scaled < std::numeric_limits<int32_t>::min()) {
    IntervalOutOfRange();
  }
  (void)a;
  Interval r;
  r.months = static_cast<int32_t>(months_scaled);
  r.days = static_cast<int32_t>(days_scaled);
  double month_remainder_days = TsRound((months_scaled - r.months) * 30);
  double sec_remainder = TsRound(
      (days_scaled - r.days + month_remainder_days - static_cast<int>(month_remainder_days)) *
      86400);
  if (std::fabs(sec_remainder) >= 86400) {
    r.days += static_cast<int>(sec_remainder / 86400);
    sec_remainder -= static_cast<int>(sec_remainder / 86400) * 86400.0;
  }
  r.days += static_cast<int32_t>(month_remainder_days);
  double micros = std::rint(micros_scaled + sec_remainder * 1e6);
  if (std::isnan(micros) || micros < -9.223372036854775e18 || micros >= 9.223372036854775e18) {
    IntervalOutOfRange();
  }
  r.micros = static_cast<int64_t>(micros);
  return r;
}

}  // namespace

Interval MultiplyInterval(const Interval& a, double factor) {
  return ScaleInterval(a, a.months * factor, a.days * factor,
                       static_cast<double>(a.micros) * factor);
}

Interval DivideInterval(const Interval& a, double divisor) {
  if (divisor == 0) throw Error(sqlstate::kDivisionByZero, "division by zero");
  return ScaleInterval(a, a.months / divisor, a.days / divisor,
                       static_cast<double>(a.micros) / divisor);
}

int64_t AddIntervalToTimestamp(int64_t timestamp, const Interval& interval) {
  if (timestamp == datetime::kTimestampNegativeInfinity ||
      timestamp == datetime::kTimestampPositiveInfinity) {
    return timestamp;
  }
  auto out_of_range = [] {
    throw Error(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  };
  int64_t days = timestamp / kMicrosPerDay, time = timestamp % kMicrosPerDay;
  if (time < 0) {
    time += kMicrosPerDay;
    --days;
  }
  if (interval.months != 0) {
    int y;
    unsigned m, d;
    datetime::CivilFromDays(days, &y, &m, &d);
    int64_t month_index = static_cast<int64_t>(y) * 12 + (m - 1) + interval.months;
    int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
    unsigned month = static_cast<unsigned>(month_index - year * 12) + 1;
    if (year < -4713 || year > 294276) out_of_range();
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    unsigned last = month == 2 && leap ? 29 : kDays[month - 1];
    days = datetime::DaysFromCivil(static_cast<int>(year), month, d > last ? last : d);
  }
  days += interval.days;
  __int128 result = static_cast<__int128>(days) * kMicrosPerDay + time + interval.micros;
  if (result < datetime::kMinTimestamp || result >= datetime::kEndTimestamp) out_of_range();
  return static_cast<int64_t>(result);
}

Interval SubtractTimestamps(int64_t a, int64_t b) {
  bool infinite =
      a == datetime::kTimestampNegativeInfinity || a == datetime::kTimestampPositiveInfinity ||
      b == datetime::kTimestampNegativeInfinity || b == datetime::kTimestampPositiveInfinity;
  if (infinite) {
    throw Error(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  int64_t time;
  if (__builtin_sub_overflow(a, b, &time)) IntervalOutOfRange();
  int64_t days = time / kMicrosPerDay;
  time -= days * kMicrosPerDay;
  if (days > 0 && time < 0) {
    time += kMicrosPerDay;
    --days;
  } else if (days < 0 && time > 0) {
    time -= kMicrosPerDay;
    ++days;
  }
  return Interval{0, static_cast<int32_t>(days), time};
}

}  // namespace ivm
