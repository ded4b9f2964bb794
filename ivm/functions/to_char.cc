// to_char(timestamp|timestamptz, text) for PostgreSQL's common template patterns: YYYY YYY
// YY Y MM DD DDD D ID IW WW Q J HH HH12 HH24 MI SS SSSS MS US, Month/MONTH/month,
// Mon/MON/mon, Day/DAY/day, Dy/DY/dy, AM/PM/am/pm/A.M./P.M., BC/AD, TZ, OF, the FM prefix,
// "quoted text" and backslash escapes. Other characters are copied.
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

#include "ivm/datetime.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

struct Fields {
  int64_t days = 0;
  int year = 0;  // astronomical
  unsigned month = 1, day = 1;
  int64_t time = 0;
  int dow = 0;  // 0 = Sunday
  bool tz = false;
};

Fields Split(int64_t ts, bool tz) {
  Fields f;
  f.tz = tz;
  f.days = ts / datetime::kMicrosPerDay;
  f.time = ts % datetime::kMicrosPerDay;
  if (f.time < 0) {
    f.time += datetime::kMicrosPerDay;
    --f.days;
  }
  datetime::CivilFromDays(f.days, &f.year, &f.month, &f.day);
  int64_t r = (f.days + 6) % 7;  // 2000-01-01 was a Saturday (6)
  f.dow = static_cast<int>(r < 0 ? r + 7 : r);
  return f;
}

std::string Number(int64_t v, int width, bool fill_mode) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", fill_mode ? 1 : width, static_cast<long long>(v));
  return buf;
}

// Name in the pattern's case: "Month" capitalized, "MONTH" upper, "month" lower; padded to
// nine characters unless FM.
std::string Name(std::string name, const std::string& pattern, bool pad, bool fill_mode) {
  bool upper = pattern.size() > 1 && std::isupper(static_cast<unsigned char>(pattern[1]));
  bool lower = std::islower(static_cast<unsigned char>(pattern[0]));
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (upper) name[i] = static_cast<char>(std::toupper(c));
    if (lower) name[i] = static_cast<char>(std::tolower(c));
  }
  if (pad && !fill_mode && name.size() < 9) name.resize(9, ' ');
  return name;
}

int IsoDow(const Fields& f) { return f.dow == 0 ? 7 : f.dow; }

void IsoWeek(const Fields& f, int* iso_year, int* week) {
  int64_t thursday = f.days - (IsoDow(f) - 1) + 3;
  unsigned m, d;
  datetime::CivilFromDays(thursday, iso_year, &m, &d);
  *week = static_cast<int>((thursday - datetime::DaysFromCivil(*iso_year, 1, 1)) / 7 + 1);
}

// Appends the field for `key`; returns false when `key` is not a pattern.
bool AppendField(const std::string& key, const Fields& f, bool fm, std::string* out) {
  int display_year = f.year > 0 ? f.year : 1 - f.year;
  int hour = static_cast<int>(f.time / 3600000000);
  int64_t seconds = f.time / 1000000;
  int doy = static_cast<int>(f.days - datetime::DaysFromCivil(f.year, 1, 1) + 1);
  std::string k = key;
  for (char& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (key == "Month" || key == "MONTH" || key == "month") {
    *out += Name(kMonths[f.month - 1], key, true, fm);
  } else if (key == "Mon" || key == "MON" || key == "mon") {
    *out += Name(std::string(kMonths[f.month - 1]).substr(0, 3), key, false, fm);
  } else if (key == "Day" || key == "DAY" || key == "day") {
    *out += Name(kDays[f.dow], key, true, fm);
  } else if (key == "Dy" || key == "DY" || key == "dy") {
    *out += Name(std::string(kDays[f.dow]).substr(0, 3), key, false, fm);
  } else if (k == "AM" || k == "PM" || k == "A.M." || k == "P.M.") {
    bool dots = k.size() == 4, lower = std::islower(static_cast<unsigned char>(key[0]));
    std::string m = hour >= 12 ? (dots ? "P.M." : "PM") : (dots ? "A.M." : "AM");
    if (lower) {
      for (char& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    *out += m;
  } else if (k == "BC" || k == "AD" || k == "B.C." || k == "A.D.") {
    bool dots = k.size() == 4, lower = std::islower(static_cast<unsigned char>(key[0]));
    std::string e = f.year > 0 ? (dots ? "A.D." : "AD") : (dots ? "B.C." : "BC");
    if (lower) {
      for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    *out += e;
  } else if (k == "YYYY") {
    *out += Number(display_year, 4, fm);
  } else if (k == "YYY") {
    *out += Number(display_year % 1000, 3, fm);
  } else if (k == "YY") {
    *out += Number(display_year % 100, 2, fm);
  } else if (k == "Y") {
    *out += Number(display_year % 10, 1, fm);
  } else if (k == "IYYY") {
    int iso_year, week;
    IsoWeek(f, &iso_year, &week);
    *out += Number(iso_year > 0 ? iso_year : 1 - iso_year, 4, fm);
  } else if (k == "CC") {
    *out += Number(f.year > 0 ? (f.year + 99) / 100 : -((99 - (f.year - 1)) / 100), 2, fm);
  } else if (k == "MM") {
    *out += Number(f.month, 2, fm);
  } else if (k == "DDD") {
    *out += Number(doy, 3, fm);
  } else if (k == "DD") {
    *out += Number(f.day, 2, fm);
  } else if (k == "D") {
    *out += Number(f.dow + 1, 1, fm);
  } else if (k == "ID") {
    *out += Number(IsoDow(f), 1, fm);
  } else if (k == "IW") {
    int iso_year, week;
    IsoWeek(f, &iso_year, &week);
    *out += Number(week, 2, fm);
  } else if (k == "WW") {
    *out += Number((doy - 1) / 7 + 1, 2, fm);
  } else if (k == "W") {
    *out += Number((f.day - 1) / 7 + 1, 1, fm);
  } else if (k == "Q") {
    *out += Number((f.month - 1) / 3 + 1, 1, fm);
  } else if (k == "J") {
    *out += Number(f.days + 2451545, 1, fm);
  } else if (k == "HH24") {
    *out += Number(hour, 2, fm);
  } else if (k == "HH12" || k == "HH") {
    *out += Number(hour % 12 == 0 ? 12 : hour % 12, 2, fm);
  } else if (k == "MI") {
    *out += Number(seconds / 60 % 60, 2, fm);
  } else if (k == "SSSS" || k == "SSSSS") {
    *out += Number(seconds, 1, fm);
  } else if (k == "SS") {
    *out += Number(seconds % 60, 2, fm);
  } else if (k == "MS") {
    *out += Number(f.time / 1000 % 1000, 3, fm);
  } else if (k == "US") {
    *out += Number(f.time % 1000000, 6, fm);
  } else if (k == "TZ") {
    if (f.tz) *out += std::islower(static_cast<unsigned char>(key[0])) ? "utc" : "UTC";
  } else if (k == "OF") {
    *out += "+00";
  } else {
    return false;
  }
  return true;
}

// Patterns longest first so "HH24" wins over "HH" and "DDD" over "DD".
constexpr const char* kPatterns[] = {
    "SSSSS", "Month", "MONTH", "month", "A.M.", "a.m.", "P.M.", "p.m.", "B.C.", "b.c.", "A.D.",
    "a.d.",  "HH24",  "hh24",  "HH12",  "hh12", "YYYY", "yyyy", "IYYY", "iyyy", "SSSS", "ssss",
    "YYY",   "yyy",   "DDD",   "ddd",   "Mon",  "MON",  "mon",  "Day",  "DAY",  "day",  "YY",
    "yy",    "MM",    "mm",    "DD",    "dd",   "Dy",   "DY",   "dy",   "HH",   "hh",   "MI",
    "mi",    "SS",    "ss",    "MS",    "ms",   "US",   "us",   "AM",   "am",   "PM",   "pm",
    "BC",    "bc",    "AD",    "ad",    "ID",   "id",   "IW",   "iw",   "WW",   "ww",   "CC",
    "cc",    "TZ",    "tz",    "OF",    "of",   "Y",    "y",    "D",    "d",    "Q",    "q",
    "J",     "j",     "W",     "w",
};

std::string Format(int64_t ts, std::string_view pattern, bool tz) {
  Fields f = Split(ts, tz);
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    bool fm = false;
    if (pattern.substr(i, 2) == "FM" || pattern.substr(i, 2) == "fm") {
      fm = true;
      i += 2;
    }
    bool matched = false;
    for (const char* p : kPatterns) {
      size_t n = std::strlen(p);
      if (pattern.substr(i, n) == p && AppendField(p, f, fm, &out)) {
        i += n;
        matched = true;
        break;
      }
    }
    if (matched || i >= pattern.size()) continue;
    char c = pattern[i];
    if (c == '"') {
      ++i;
      while (i < pattern.size() && pattern[i] != '"') {
        if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
        out += pattern[i++];
      }
      ++i;
    } else if (c == '\\' && i + 1 < pattern.size()) {
      out += pattern[i + 1];
      i += 2;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

bool IsInfinite(int64_t ts) {
  return ts == datetime::kTimestampPositiveInfinity || ts == datetime::kTimestampNegativeInfinity;
}

Value ToCharTimestamp(Args a) {
  if (IsInfinite(a[0].int_value())) return Value::Null(TypeId::kText);
  return Value::Text(Format(a[0].int_value(), a[1].string_value(), false));
}

Value ToCharTimestampTz(Args a) {
  if (IsInfinite(a[0].int_value())) return Value::Null(TypeId::kText);
  return Value::Text(Format(a[0].int_value(), a[1].string_value(), true));
}

}  // namespace

void AddToCharFunctions(std::vector<ScalarFunction>* out) {
  out->push_back({"to_char", {TypeId::kTimestamp, TypeId::kText}, TypeId::kText, ToCharTimestamp});
  out->push_back(
      {"to_char", {TypeId::kTimestampTz, TypeId::kText}, TypeId::kText, ToCharTimestampTz});
}

}  // namespace ivm
