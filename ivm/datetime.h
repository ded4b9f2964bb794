// PostgreSQL's date and timestamp (without time zone): int32 days and int64 microseconds since
// 2000-01-01 00:00:00, proleptic Gregorian, with ±infinity at the integer extremes. Text forms
// follow PostgreSQL 15 with DateStyle ISO; bad text throws 22007, out-of-range fields 22008.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace ivm::datetime {

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
inline constexpr int32_t kDateNegativeInfinity = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kDatePositiveInfinity = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kTimestampNegativeInfinity = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kTimestampPositiveInfinity = std::numeric_limits<int64_t>::max();
// Finite values lie in [kMinDate, kEndDate) and [kMinTimestamp, kEndTimestamp):
// 4714-11-24 BC up to 5874898-01-01 (dates) and 294277-01-01 (timestamps).
inline constexpr int32_t kMinDate = -2451545;
inline constexpr int32_t kEndDate = 2145031949;
inline constexpr int64_t kMinTimestamp = kMinDate * kMicrosPerDay;
inline constexpr int64_t kEndTimestamp = int64_t{106751983} * kMicrosPerDay;

// Days since 2000-01-01 of a proleptic Gregorian date. y is astronomical: 0 is 1 BC.
int64_t DaysFromCivil(int y, unsigned m, unsigned d);
// The inverse of DaysFromCivil.
void CivilFromDays(int64_t days, int* y, unsigned* m, unsigned* d);

// Accepts what ParseTimestamp accepts and drops the time of day ('2024-01-02 10:00').
int32_t ParseDate(std::string_view text);
// '2024-01-02', '0044-03-15 BC', 'infinity', '-infinity'.
std::string FormatDate(int32_t date);
void AppendDate(int32_t date, std::string* out);

// 'YYYY-MM-DD' (or '/', '.' separators, or YYYYMMDD), then optionally [ |T]HH:MM[:SS[.frac]]
// (fractional seconds rounded to microseconds), a time zone (Z, UTC, GMT, ±HH[:MM[:SS]],
// ±HHMM) which is ignored as PostgreSQL does for timestamp without time zone, and AD/BC.
// Also 'epoch', 'infinity', '-infinity'. 'now', 'today' and friends throw 0A000.
int64_t ParseTimestamp(std::string_view text);
// '2024-01-02 03:04:05', '2024-01-02 03:04:05.12' (trailing zeros trimmed), '... BC'.
std::string FormatTimestamp(int64_t timestamp);
void AppendTimestamp(int64_t timestamp, std::string* out);

// timestamp with time zone, with the session TimeZone fixed at UTC: input like
// ParseTimestamp but a written offset converts to UTC (no zone means UTC); output
// '2024-01-02 03:04:05+00'. Named zones other than UTC/GMT/Z are not accepted.
int64_t ParseTimestampTz(std::string_view text);
std::string FormatTimestampTz(int64_t timestamp);
void AppendTimestampTz(int64_t timestamp, std::string* out);

}  // namespace ivm::datetime
