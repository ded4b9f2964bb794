#include "ivm/functions/datetime_fields.h"

#include <cctype>

#include "ivm/datetime.h"
#include "ivm/error.h"

namespace ivm {
namespace {

using datetime::kMicrosPerDay;
using datetime::kMicrosPerSecond;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;

// A timestamp broken into civil fields; year is astronomical (0 is 1 BC).
struct Civil {
  int64_t days = 0;  // since 2000-01-01
  int year = 0;
  unsigned month = 1;
  unsigned day = 1;
  int64_t time = 0;  // microseconds into the day
};

Civil Split(int64_t timestamp) {
  Civil c;
  c.days = timestamp / kMicrosPerDay;
  c.time = timestamp % kMicrosPerDay;
  if (c.time < 0) {
    c.time += kMicrosPerDay;
    --c.days;
  }
  datetime::CivilFromDays(c.days, &c.year, &c.month, &c.day);
  return c;
}

int IsoDow(int64_t days) {
  int64_t r = (days + 5) % 7;
  return static_cast<int>(r < 0 ? r + 7 : r) + 1;  // 2000-01-01 was a Saturday
}

// ISO 8601 week-numbering year and week of a date.
void IsoWeek(int64_t days, int* iso_year, int* week) {
  int64_t thursday = days - (IsoDow(days) - 1) + 3;
  unsigned m, d;
  datetime::CivilFromDays(thursday, iso_year, &m, &d);
  *week = static_cast<int>((thursday - datetime::DaysFromCivil(*iso_year, 1, 1)) / 7 + 1);
}

std::string TypeName(TypeId type) { return Type::Of(type).ToString(); }

[[noreturn]] void NotRecognized(std::string_view unit, const std::string& type) {
  throw Error(sqlstate::kInvalidParameterValue,
              "unit \"" + std::string(unit) + "\" not recognized for type " + type);
}

[[noreturn]] void NotSupported(std::string_view unit, const std::string& type,
                               std::string detail = {}) {
  throw Error(sqlstate::kFeatureNotSupported,
              "unit \"" + std::string(unit) + "\" not supported for type " + type,
              std::move(detail));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Year-based fields shared by dates and timestamps (astronomical year in).
Decimal YearField(DateUnit unit, int year) {
  switch (unit) {
    case DateUnit::kYear:
      return Decimal::FromInt64(year > 0 ? year : year - 1);
    case DateUnit::kDecade:
      return Decimal::FromInt64(year >= 0 ? year / 10 : -((8 - (year - 1)) / 10));
    case DateUnit::kCentury:
      return Decimal::FromInt64(year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100));
    default:  // kMillennium
      return Decimal::FromInt64(year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000));
  }
}

// The fields a date has; returns false for the time-of-day units.
bool DateField(DateUnit unit, const Civil& c, Decimal* out) {
  int iso_year, week;
  switch (unit) {
    case DateUnit::kDay:
      *out = Decimal::FromInt64(c.day);
      return true;
    case DateUnit::kMonth:
      *out = Decimal::FromInt64(c.month);
      return true;
    case DateUnit::kQuarter:
      *out = Decimal::FromInt64((c.month - 1) / 3 + 1);
      return true;
    case DateUnit::kYear:
    case DateUnit::kDecade:
    case DateUnit::kCentury:
    case DateUnit::kMillennium:
      *out = YearField(unit, c.year);
      return true;
    case DateUnit::kWeek:
      IsoWeek(c.days, &iso_year, &week);
      *out = Decimal::FromInt64(week);
      return true;
    case DateUnit::kIsoYear:
      IsoWeek(c.days, &iso_year, &week);
      *out = Decimal::FromInt64(iso_year > 0 ? iso_year : iso_year - 1);
      return true;
    case DateUnit::kDow:
      *out = Decimal::FromInt64(IsoDow(c.days) % 7);
      return true;
    case DateUnit::kIsoDow:
      *out = Decimal::FromInt64(IsoDow(c.days));
      return true;
    case DateUnit::kDoy:
      *out = Decimal::FromInt64(c.days - datetime::DaysFromCivil(c.year, 1, 1) + 1);
      return true;
    default:
      return false;
  }
}

constexpr int64_t kUnixEpochDays = -10957;  // 1970-01-01 relative to 2000-01-01

}  // namespace

DateUnit ParseDateUnit(std::string_view text) {
  std::string s = Lower(text);
  struct Name {
    const char* name;
    DateUnit unit;
  };
  static constexpr Name kNames[] = {
      {"microsecond", DateUnit::kMicrosecond},
      {"microseconds", DateUnit::kMicrosecond},
      {"us", DateUnit::kMicrosecond},
      {"usec", DateUnit::kMicrosecond},
      {"usecs", DateUnit::kMicrosecond},
      {"millisecond", DateUnit::kMillisecond},
      {"milliseconds", DateUnit::kMillisecond},
      {"ms", DateUnit::kMillisecond},
      {"msec", DateUnit::kMillisecond},
      {"msecs", DateUnit::kMillisecond},
      {"second", DateUnit::kSecond},
      {"seconds", DateUnit::kSecond},
      {"s", DateUnit::kSecond},
      {"sec", DateUnit::kSecond},
      {"secs", DateUnit::kSecond},
      {"minute", DateUnit::kMinute},
      {"minutes", DateUnit::kMinute},
      {"m", DateUnit::kMinute},
      {"min", DateUnit::kMinute},
      {"mins", DateUnit::kMinute},
      {"hour", DateUnit::kHour},
      {"hours", DateUnit::kHour},
      {"h", DateUnit::kHour},
      {"hr", DateUnit::kHour},
      {"hrs", DateUnit::kHour},
      {"day", DateUnit::kDay},
      {"days", DateUnit::kDay},
      {"d", DateUnit::kDay},
      {"week", DateUnit::kWeek},
      {"weeks", DateUnit::kWeek},
      {"w", DateUnit::kWeek},
      {"month", DateUnit::kMonth},
      {"months", DateUnit::kMonth},
      {"mon", DateUnit::kMonth},
      {"mons", DateUnit::kMonth},
      {"quarter", DateUnit::kQuarter},
      {"qtr", DateUnit::kQuarter},
      {"year", DateUnit::kYear},
      {"years", DateUnit::kYear},
      {"y", DateUnit::kYear},
      {"yr", DateUnit::kYear},
      {"yrs", DateUnit::kYear},
      {"decade", DateUnit::kDecade},
      {"decades", DateUnit::kDecade},
      {"dec", DateUnit::kDecade},
      {"decs", DateUnit::kDecade},
      {"century", DateUnit::kCentury},
      {"centuries", DateUnit::kCentury},
      {"c", DateUnit::kCentury},
      {"cent", DateUnit::kCentury},
      {"millennium", DateUnit::kMillennium},
      {"millennia", DateUnit::kMillennium},
      {"mil", DateUnit::kMillennium},
      {"mils", DateUnit::kMillennium},
      {"millenniums", DateUnit::kMillennium},
      {"epoch", DateUnit::kEpoch},
      {"dow", DateUnit::kDow},
      {"isodow", DateUnit::kIsoDow},
      {"doy", DateUnit::kDoy},
      {"isoyear", DateUnit::kIsoYear},
      {"julian", DateUnit::kJulian},
      {"j", DateUnit::kJulian},
      {"timezone", DateUnit::kTimezone},
      {"timezone_h", DateUnit::kTimezoneHour},
      {"timezone_hour", DateUnit::kTimezoneHour},
      {"timezone_m", DateUnit::kTimezoneMinute},
      {"timezone_minute", DateUnit::kTimezoneMinute},
  };
  for (const Name& n : kNames) {
    if (s == n.name) return n.unit;
  }
  return DateUnit::kUnknown;
}

Decimal ExtractFromDate(std::string_view unit_text, int32_t date) {
  DateUnit unit = ParseDateUnit(unit_text);
  if (unit == DateUnit::kUnknown) NotRecognized(unit_text, "date");
  Civil c = Split(int64_t{date} * kMicrosPerDay);
  Decimal out;
  if (DateField(unit, c, &out)) return out;
  if (unit == DateUnit::kEpoch) return Decimal::FromInt64((date - kUnixEpochDays) * 86400);
  if (unit == DateUnit::kJulian) return Decimal::FromInt64(int64_t{date} + 2451545);
  NotSupported(unit_text, "date");
}

Decimal ExtractFromTimestamp(std::string_view unit_text, int64_t timestamp, TypeId type) {
  DateUnit unit = ParseDateUnit(unit_text);
  if (unit == DateUnit::kUnknown) NotRecognized(unit_text, TypeName(type));
  Civil c = Split(timestamp);
  Decimal out;
  if (DateField(unit, c, &out)) return out;
  int64_t second_micros = c.time % kMicrosPerMinute;
  switch (unit) {
    case DateUnit::kMicrosecond:
      return Decimal::FromInt64(second_micros);
    case DateUnit::kMillisecond:
      return Decimal(second_micros, 3);
    case DateUnit::kSecond:
      return Decimal(second_micros, 6);
    case DateUnit::kMinute:
      return Decimal::FromInt64(c.time / kMicrosPerMinute % 60);
    case DateUnit::kHour:
      return Decimal::FromInt64(c.time / kMicrosPerHour);
    case DateUnit::kEpoch:
      return Decimal(static_cast<__int128>(timestamp) - kUnixEpochDays * kMicrosPerDay, 6);
    case DateUnit::kJulian:
      return Decimal::FromInt64(c.days + 2451545) +
             Decimal::FromInt64(c.time).Divide(Decimal::FromInt64(kMicrosPerDay));
    case DateUnit::kTimezone:
    case DateUnit::kTimezoneHour:
    case DateUnit::kTimezoneMinute:
      if (type == TypeId::kTimestampTz) return Decimal::FromInt64(0);  // TimeZone is UTC
      break;
    default:
      break;
  }
  NotSupported(unit_text, TypeName(type));
}

Decimal ExtractFromInterval(std::string_view unit_text, const Interval& interval) {
  DateUnit unit = ParseDateUnit(unit_text);
  if (unit == DateUnit::kUnknown) NotRecognized(unit_text, "interval");
  int64_t years = interval.months / 12, months = interval.months % 12;
  int64_t second_micros = interval.micros % kMicrosPerMinute;
  switch (unit) {
    case DateUnit::kMicrosecond:
      return Decimal::FromInt64(second_micros);
    case DateUnit::kMillisecond:
      return Decimal(second_micros, 3);
    case DateUnit::kSecond:
      return Decimal(second_micros, 6);
    case DateUnit::kMinute:
      return Decimal::FromInt64(interval.micros / kMicrosPerMinute % 60);
    case DateUnit::kHour:
      return Decimal::FromInt64(interval.micros / kMicrosPerHour);
    case DateUnit::kDay:
      return Decimal::FromInt64(interval.days);
    case DateUnit::kMonth:
      return Decimal::FromInt64(months);
    case DateUnit::kQuarter:
      return Decimal::FromInt64(months / 3 + 1);
    case DateUnit::kYear:
      return Decimal::FromInt64(years);
    case DateUnit::kDecade:
      return Decimal::FromInt64(years / 10);
    case DateUnit::kCentury:
      return Decimal::FromInt64(years / 100);
    case DateUnit::kMillennium:
      return Decimal::FromInt64(years / 1000);
    case DateUnit::kEpoch: {
      // 365.25-day years, 30-day months, as PostgreSQL's interval_part.
      __int128 micros = static_cast<__int128>(years) * 36525 * kMicrosPerDay / 100 +
                        (static_cast<__int128>(months) * 30 + interval.days) * kMicrosPerDay +
                        interval.micros;
      return Decimal(micros, 6);
    }
    default:
      NotSupported(unit_text, "interval");
  }
}

int64_t TruncTimestamp(std::string_view unit_text, int64_t timestamp, TypeId type) {
  DateUnit unit = ParseDateUnit(unit_text);
  if (unit == DateUnit::kUnknown) NotRecognized(unit_text, TypeName(type));
  Civil c = Split(timestamp);
  int year = c.year;
  unsigned month = c.month, day = c.day;
  int64_t time = c.time;
  switch (unit) {
    case DateUnit::kWeek: {
      int64_t monday = c.days - (IsoDow(c.days) - 1);
      return monday * kMicrosPerDay;
    }
    case DateUnit::kMillennium:
      year = year > 0 ? (year + 999) / 1000 * 1000 - 999 : -((999 - (year - 1)) / 1000) * 1000 + 1;
      month = day = 1;
      time = 0;
      break;
    case DateUnit::kCentury:
      year = year > 0 ? (year + 99) / 100 * 100 - 99 : -((99 - (year - 1)) / 100) * 100 + 1;
      month = day = 1;
      time = 0;
      break;
    case DateUnit::kDecade:
      year = year > 0 ? year / 10 * 10 : -((8 - (year - 1)) / 10) * 10;
      month = day = 1;
      time = 0;
      break;
    case DateUnit::kYear:
      month = day = 1;
      time = 0;
      break;
    case DateUnit::kQuarter:
      month = 3 * ((month - 1) / 3) + 1;
      day = 1;
      time = 0;
      break;
    case DateUnit::kMonth:
      day = 1;
      time = 0;
      break;
    case DateUnit::kDay:
      time = 0;
      break;
    case DateUnit::kHour:
      time -= time % kMicrosPerHour;
      break;
    case DateUnit::kMinute:
      time -= time % kMicrosPerMinute;
      break;
    case DateUnit::kSecond:
      time -= time % kMicrosPerSecond;
      break;
    case DateUnit::kMillisecond:
      time -= time % 1000;
      break;
    case DateUnit::kMicrosecond:
      break;
    default:
      NotSupported(unit_text, TypeName(type));
  }
  return datetime::DaysFromCivil(year, month, day) * kMicrosPerDay + time;
}

Interval TruncInterval(std::string_view unit_text, const Interval& interval) {
  DateUnit unit = ParseDateUnit(unit_text);
  if (unit == DateUnit::kUnknown) NotRecognized(unit_text, "interval");
  Interval r = interval;
  int32_t years = r.months / 12;
  switch (unit) {
    case DateUnit::kMillennium:
      return Interval{years / 1000 * 1000 * 12, 0, 0};
    case DateUnit::kCentury:
      return Interval{years / 100 * 100 * 12, 0, 0};
    case DateUnit::kDecade:
      return Interval{years / 10 * 10 * 12, 0, 0};
    case DateUnit::kYear:
      return Interval{years * 12, 0, 0};
    case DateUnit::kQuarter:
      return Interval{years * 12 + r.months % 12 / 3 * 3, 0, 0};
    case DateUnit::kMonth:
      return Interval{r.months, 0, 0};
    case DateUnit::kDay:
      return Interval{r.months, r.days, 0};
    case DateUnit::kHour:
      return Interval{r.months, r.days, r.micros - r.micros % kMicrosPerHour};
    case DateUnit::kMinute:
      return Interval{r.months, r.days, r.micros - r.micros % kMicrosPerMinute};
    case DateUnit::kSecond:
      return Interval{r.months, r.days, r.micros - r.micros % kMicrosPerSecond};
    case DateUnit::kMillisecond:
      return Interval{r.months, r.days, r.micros - r.micros % 1000};
    case DateUnit::kMicrosecond:
      return r;
    case DateUnit::kWeek:
      NotSupported(unit_text, "interval", "Months usually have fractional weeks.");
    default:
      NotSupported(unit_text, "interval");
  }
}

}  // namespace ivm
