// Text input of intervals: PostgreSQL 15's DecodeInterval and ISO 8601 forms.
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
constexpr const char* kIntervalFieldOverflow = "22015";

// The interval being built, in wide fields so overflow can be detected at the end.
struct Accumulator {
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
};

[[noreturn]] void BadSyntax(std::string_view text) {
  throw Error(sqlstate::kInvalidDatetimeFormat,
              "invalid input syntax for type interval: \"" + std::string(text) + "\"");
}

// PostgreSQL's AdjustFractSeconds: whole seconds first, then the rounded microseconds.
void AddFractionSeconds(double fraction, int64_t seconds_per_unit, Accumulator* acc) {
  if (fraction == 0) return;
  double seconds = fraction * static_cast<double>(seconds_per_unit);
  int64_t whole = static_cast<int64_t>(seconds);
  acc->micros += whole * kMicrosPerSecond +
                 static_cast<int64_t>(std::rint((seconds - static_cast<double>(whole)) * 1e6));
}

// PostgreSQL's AdjustFractDays.
void AddFractionDays(double fraction, int days_per_unit, Accumulator* acc) {
  if (fraction == 0) return;
  double days = fraction * days_per_unit;
  int64_t whole = static_cast<int64_t>(days);
  acc->days += whole;
  AddFractionSeconds(days - static_cast<double>(whole), 86400, acc);
}

enum class Unit {
  kNone,
  kMillennium,
  kCentury,
  kDecade,
  kYear,
  kMonth,
  kWeek,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond
};

Unit UnitFromWord(std::string word) {
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Name {
    const char* name;
    Unit unit;
  };
  static constexpr Name kNames[] = {
      {"millennium", Unit::kMillennium},
      {"millennia", Unit::kMillennium},
      {"millenniums", Unit::kMillennium},
      {"mil", Unit::kMillennium},
      {"mils", Unit::kMillennium},
      {"century", Unit::kCentury},
      {"centuries", Unit::kCentury},
      {"c", Unit::kCentury},
      {"cent", Unit::kCentury},
      {"decade", Unit::kDecade},
      {"decades", Unit::kDecade},
      {"dec", Unit::kDecade},
      {"decs", Unit::kDecade},
      {"year", Unit::kYear},
      {"years", Unit::kYear},
      {"y", Unit::kYear},
      {"yr", Unit::kYear},
      {"yrs", Unit::kYear},
      {"month", Unit::kMonth},
      {"months", Unit::kMonth},
      {"mon", Unit::kMonth},
      {"mons", Unit::kMonth},
      {"week", Unit::kWeek},
      {"weeks", Unit::kWeek},
      {"w", Unit::kWeek},
      {"day", Unit::kDay},
      {"days", Unit::kDay},
      {"d", Unit::kDay},
      {"hour", Unit::kHour},
      {"hours", Unit::kHour},
      {"h", Unit::kHour},
      {"hr", Unit::kHour},
      {"hrs", Unit::kHour},
      {"minute", Unit::kMinute},
      {"minutes", Unit::kMinute},
      {"m", Unit::kMinute},
      {"min", Unit::kMinute},
      {"mins", Unit::kMinute},
      {"second", Unit::kSecond},
      {"seconds", Unit::kSecond},
      {"s", Unit::kSecond},
      {"sec", Unit::kSecond},
      {"secs", Unit::kSecond},
      {"millisecond", Unit::kMillisecond},
      {"milliseconds", Unit::kMillisecond},
      {"ms", Unit::kMillisecond},
      {"msec", Unit::kMillisecond},
      {"msecs", Unit::kMillisecond},
      {"microsecond", Unit::kMicrosecond},
      {"microseconds", Unit::kMicrosecond},
      {"us", Unit::kMicrosecond},
      {"usec", Unit::kMicrosecond},
      {"usecs", Unit::kMicrosecond},
  };
  for (const Name& n : kNames) {
    if (word == n.name) return n.unit;
  }
  return Unit::kNone;
}

// Adds `whole` + `fraction` units (both carrying the number's sign), as DecodeInterval does.
void AddQuantity(int64_t whole, double fraction, Unit unit, Accumulator* acc) {
  switch (unit) {
    case Unit::kMillennium:
      acc->months += whole * 12000 + static_cast<int64_t>(std::rint(fraction * 12000));
      break;
    case Unit::kCentury:
      acc->months += whole * 1200 + static_cast<int64_t>(std::rint(fraction * 1200));
      break;
    case Unit::kDecade:
      acc->months += whole * 120 + static_cast<int64_t>(std::rint(fraction * 120));
      break;
    case Unit::kYear:
      acc->months += whole * 12 + static_cast<int64_t>(std::rint(fraction * 12));
      break;
    case Unit::kMonth:
      acc->months += whole;
      AddFractionDays(fraction, 30, acc);
      break;
    case Unit::kWeek:
      acc->days += whole * 7;
      AddFractionDays(fraction, 7, acc);
      break;
    case Unit::kDay:
      acc->days += whole;
      AddFractionSeconds(fraction, 86400, acc);
      break;
    case Unit::kHour:
      acc->micros += whole * kMicrosPerHour;
      AddFractionSeconds(fraction, 3600, acc);
      break;
    case Unit::kMinute:
      acc->micros += whole * kMicrosPerMinute;
      AddFractionSeconds(fraction, 60, acc);
      break;
    case Unit::kSecond:
      acc->micros += whole * kMicrosPerSecond + static_cast<int64_t>(std::rint(fraction * 1e6));
      break;
    case Unit::kMillisecond:
      acc->micros +=
          static_cast<int64_t>(std::rint((static_cast<double>(whole) + fraction) * 1000));
      break;
    case Unit::kMicrosecond:
      acc->micros += static_cast<int64_t>(std::rint(static_cast<double>(whole) + fraction));
      break;
    case Unit::kNone:
      break;
  }
}

// A signed decimal number: whole part and signed fraction. Returns false on bad syntax.
bool ParseNumber(std::string_view s, int64_t* whole, double* fraction) {
  bool negative = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  size_t digits_start = i;
  __int128 w = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    w = w * 10 + (s[i++] - '0');
    if (w > std::numeric_limits<int64_t>::max() / 10) return false;
  }
  bool any = i > digits_start;
  double f = 0;
  if (i < s.size() && s[i] == '.') {
    std::string frac = "0" + std::string(s.substr(i));
    size_t frac_start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    any |= i > frac_start;
    f = std::strtod(frac.c_str(), nullptr);
  }
  if (!any || i != s.size()) return false;
  *whole = static_cast<int64_t>(negative ? -w : w);
  *fraction = negative ? -f : f;
  return true;
}

// [+-]hh:mm[:ss[.frac]]
bool ParseTimeToken(std::string_view s, Accumulator* acc) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string_view parts[3];
  int n = 0;
  while (n < 3) {
    size_t colon = s.find(':');
    parts[n++] = s.substr(0, colon);
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
    if (n == 3) return false;  // a fourth field
  }
  if (n < 2) return false;
  int64_t hm[2] = {0, 0};
  for (int p = 0; p < 2; ++p) {
    if (parts[p].empty() || parts[p].size() > 9) return false;
    for (char c : parts[p]) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      hm[p] = hm[p] * 10 + (c - '0');
    }
  }
  if (hm[1] > 59) return false;
  int64_t micros = hm[0] * kMicrosPerHour + hm[1] * kMicrosPerMinute;
  if (n == 3) {
    int64_t whole;
    double fraction;
    if (parts[2].empty() || !std::isdigit(static_cast<unsigned char>(parts[2][0])) ||
        !ParseNumber(parts[2], &whole, &fraction) || whole > 59) {
      return false;
    }
    micros += whole * kMicrosPerSecond + static_cast<int64_t>(std::rint(fraction * 1e6));
  }
  acc->micros += negative ? -micros : micros;
  return true;
}

// ISO 8601 "format with designators": P1Y2M3W4DT5H6M7.5S.
bool ParseIso8601(std::string_view s, Accumulator* acc) {
  s.remove_prefix(1);  // 'P'
  bool in_time = false;
  if (s.empty()) return false;
  while (!s.empty()) {
    if (s[0] == 'T') {
      if (in_time) return false;
      in_time = true;
      s.remove_prefix(1);
      continue;
    }
    size_t end = 0;
    while (end < s.size() && (std::isdigit(static_cast<unsigned char>(s[end])) || s[end] == '.' ||
                              s[end] == '-' || s[end] == '+')) {
      ++end;
    }
    if (end == 0 || end == s.size()) return false;
    int64_t whole;
    double fraction;
    if (!ParseNumber(s.substr(0, end), &whole, &fraction)) return false;
    char designator = s[end];
    Unit unit = Unit::kNone;
    if (!in_time) {
      unit = designator == 'Y'   ? Unit::kYear
             : designator == 'M' ? Unit::kMonth
             : designator == 'W' ? Unit::kWeek
             : designator == 'D' ? Unit::kDay
                                 : Unit::kNone;
    } else {
      unit = designator == 'H'   ? Unit::kHour
             : designator == 'M' ? Unit::kMinute
             : designator == 'S' ? Unit::kSecond
                                 : Unit::kNone;
    }
    if (unit == Unit::kNone) return false;
    AddQuantity(whole, fraction, unit, acc);
    s.remove_prefix(end + 1);
  }
  return true;
}

Unit UnitOf(IntervalUnit unit) {
  switch (unit) {
    case IntervalUnit::kYear:
      return Unit::kYear;
    case IntervalUnit::kMonth:
      return Unit::kMonth;
    case IntervalUnit::kDay:
      return Unit::kDay;
    case IntervalUnit::kHour:
      return Unit::kHour;
    case IntervalUnit::kMinute:
      return Unit::kMinute;
    case IntervalUnit::kSecond:
    case IntervalUnit::kNone:
      break;
  }
  return Unit::kSecond;
}

// Drops the fields below `unit`, as PostgreSQL's AdjustIntervalForTypmod.
void TruncateToUnit(IntervalUnit unit, Accumulator* acc) {
  switch (unit) {
    case IntervalUnit::kYear:
      acc->months = acc->months / 12 * 12;
      acc->days = 0;
      acc->micros = 0;
      break;
    case IntervalUnit::kMonth:
      acc->days = 0;
      acc->micros = 0;
      break;
    case IntervalUnit::kDay:
      acc->micros = 0;
      break;
    case IntervalUnit::kHour:
      acc->micros = acc->micros / kMicrosPerHour * kMicrosPerHour;
      break;
    case IntervalUnit::kMinute:
      acc->micros = acc->micros / kMicrosPerMinute * kMicrosPerMinute;
      break;
    case IntervalUnit::kSecond:
    case IntervalUnit::kNone:
      break;
  }
}

}  // namespace

IntervalUnit IntervalUnitFromName(std::string_view name) {
  if (name == "year") return IntervalUnit::kYear;
  if (name == "month") return IntervalUnit::kMonth;
  if (name == "day") return IntervalUnit::kDay;
  if (name == "hour") return IntervalUnit::kHour;
  if (name == "minute") return IntervalUnit::kMinute;
  if (name == "second") return IntervalUnit::kSecond;
  return IntervalUnit::kNone;
}

Interval ParseInterval(std::string_view text, IntervalUnit unit) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (!s.empty() && s.front() == '@') s.remove_prefix(1);
  Accumulator acc;
  if (!s.empty() && s.front() == 'P') {
    if (!ParseIso8601(s, &acc)) BadSyntax(text);
  } else {
    // Tokens: numbers, time fields (with ':'), unit words, "ago".
    std::vector<std::string_view> tokens;
    size_t i = 0;
    while (i < s.size()) {
      if (std::isspace(static_cast<unsigned char>(s[i]))) {
        ++i;
        continue;
      }
      size_t start = i;
      if (std::isalpha(static_cast<unsigned char>(s[i]))) {
        while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
      } else {
        ++i;
        while (i < s.size() &&
               (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == ':')) {
          ++i;
        }
      }
      tokens.push_back(s.substr(start, i - start));
    }
    if (tokens.empty()) BadSyntax(text);
    bool ago = false;
    for (size_t t = 0; t < tokens.size(); ++t) {
      std::string_view token = tokens[t];
      if (std::isalpha(static_cast<unsigned char>(token[0]))) {
        std::string lower(token);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "ago" && t + 1 == tokens.size() && t > 0) {
          ago = true;
          continue;
        }
        BadSyntax(text);
      }
      if (token.find(':') != std::string_view::npos) {
        if (!ParseTimeToken(token, &acc)) BadSyntax(text);
        continue;
      }
      int64_t whole;
      double fraction;
      if (!ParseNumber(token, &whole, &fraction)) BadSyntax(text);
      Unit u = Unit::kNone;
      if (t + 1 < tokens.size() && std::isalpha(static_cast<unsigned char>(tokens[t + 1][0]))) {
        u = UnitFromWord(std::string(tokens[t + 1]));
        if (u != Unit::kNone) ++t;
      }
      if (u == Unit::kNone) {
        if (t + 1 < tokens.size() && std::isalpha(static_cast<unsigned char>(tokens[t + 1][0])) &&
            !(t + 2 == tokens.size() && tokens[t + 1] == "ago")) {
          BadSyntax(text);
        }
        u = UnitOf(unit);  // a bare number counts in the declared unit, else seconds
      }
      AddQuantity(whole, fraction, u, &acc);
    }
    if (ago) acc = Accumulator{-acc.months, -acc.days, -acc.micros};
  }
  TruncateToUnit(unit, &acc);
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (acc.months < kMin || acc.months > kMax || acc.days < kMin || acc.days > kMax) {
    throw Error(kIntervalFieldOverflow,
                "interval field value out of range: \"" + std::string(text) + "\"");
  }
  return Interval{static_cast<int32_t>(acc.months), static_cast<int32_t>(acc.days), acc.micros};
}

}  // namespace ivm
