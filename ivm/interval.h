// PostgreSQL's interval: months, days and microseconds kept apart (a month is not a fixed
// number of days). Text input and output follow PostgreSQL 15 (IntervalStyle postgres);
// comparison uses PostgreSQL's interval_cmp span (30-day months, 24-hour days).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ivm {

struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;

  // months * 30 days + days, in microseconds, plus micros: what interval_cmp compares.
  __int128 Span() const;
  int Compare(const Interval& other) const;
  bool operator==(const Interval& other) const { return Compare(other) == 0; }
};

// Leading-field restriction of INTERVAL '...' <unit>: a bare number counts in `unit`, and
// fields below `unit` are dropped. kNone means no unit was written.
enum class IntervalUnit { kNone, kYear, kMonth, kDay, kHour, kMinute, kSecond };

// Parses "5 minutes", "1 day 02:00:00", "1 year 2 mons", "-01:30", "2 weeks ago", "@ 1 hour",
// "P1Y2M3DT4H5M6S". Bad text throws 22007; values out of range throw 22015.
Interval ParseInterval(std::string_view text, IntervalUnit unit = IntervalUnit::kNone);
// IntervalUnit from "year", "month", "day", "hour", "minute", "second" (else kNone).
IntervalUnit IntervalUnitFromName(std::string_view name);

// "1 year 2 mons 3 days 04:05:06.789", "-1 years -2 mons +3 days -04:05:06", "00:00:00".
std::string FormatInterval(const Interval& interval);

// Arithmetic with PostgreSQL's rules; overflow throws 22008 "interval out of range".
Interval AddIntervals(const Interval& a, const Interval& b);
Interval SubtractIntervals(const Interval& a, const Interval& b);
Interval NegateInterval(const Interval& a);
Interval MultiplyInterval(const Interval& a, double factor);
// Throws 22012 when divisor is zero.
Interval DivideInterval(const Interval& a, double divisor);

// timestamp + interval (months first, clamping the day of month, then days, then time);
// infinite timestamps stay infinite. Throws 22008 "timestamp out of range".
int64_t AddIntervalToTimestamp(int64_t timestamp, const Interval& interval);
// timestamp - timestamp, as PostgreSQL's timestamp_mi (whole days split out of the time).
Interval SubtractTimestamps(int64_t a, int64_t b);

}  // namespace ivm
