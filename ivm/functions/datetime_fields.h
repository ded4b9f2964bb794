// The fields of dates, timestamps and intervals as PostgreSQL 15's extract() and
// date_trunc() see them: unit names, exact field values (extract returns numeric) and
// truncation. The session TimeZone is UTC, so timestamptz behaves like timestamp.
#pragma once

#include <string>
#include <string_view>

#include "ivm/decimal.h"
#include "ivm/interval.h"
#include "ivm/types.h"

namespace ivm {

enum class DateUnit {
  kUnknown,
  kMicrosecond,
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kEpoch,
  kDow,
  kIsoDow,
  kDoy,
  kIsoYear,
  kJulian,
  kTimezone,
  kTimezoneHour,
  kTimezoneMinute,
};

// Case-insensitive, with PostgreSQL's abbreviations and plurals ("mons", "hrs", "msec").
DateUnit ParseDateUnit(std::string_view text);

// extract(unit FROM value) for a finite date, timestamp/timestamptz or interval. Throws
// 22023 for an unknown unit and 0A000 for a unit the type does not have, in PostgreSQL's
// words (`unit_text` is what the user wrote).
Decimal ExtractFromDate(std::string_view unit_text, int32_t date);
Decimal ExtractFromTimestamp(std::string_view unit_text, int64_t timestamp, TypeId type);
Decimal ExtractFromInterval(std::string_view unit_text, const Interval& interval);

// date_trunc(unit, value) for a finite timestamp (either kind) or an interval.
int64_t TruncTimestamp(std::string_view unit_text, int64_t timestamp, TypeId type);
Interval TruncInterval(std::string_view unit_text, const Interval& interval);

}  // namespace ivm
