#include "ivm/datetime.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ivm/ascii.h"
#include "ivm/error.h"

namespace ivm::datetime {
namespace {

// PostgreSQL's invalid_time_zone_displacement_value; not in ivm/error.h's common list.
constexpr const char* kInvalidTimeZoneDisplacement = "22009";
constexpr int kMaxTimeZoneHours = 15;  // PostgreSQL's MAX_TZDISP_HOUR
constexpr int64_t kEndTimestampDays = kEndTimestamp / kMicrosPerDay;

// The fields of a date/time text, before validation.
struct Fields {
  enum class Special { kNone, kEpoch, kInfinity, kNegativeInfinity };
  Special special = Special::kNone;
  int year = 0;
  int month = 0;
  int day = 0;
  bool bc = false;
  bool has_time = false;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t micros = 0;    // fraction of the second, rounded; may be 1000000
  int zone_seconds = 0;  // east of UTC; 0 for Z, UTC, GMT or no zone
};

// Reports errors about one input text in PostgreSQL's words.
class ErrorReporter {
 public:
  ErrorReporter(std::string_view text, const char* type_name)
      : text_(text), type_name_(type_name) {}

  [[noreturn]] void BadSyntax() const {
    throw Error(sqlstate::kInvalidDatetimeFormat,
                std::string("invalid input syntax for type ") + type_name_ + ": " + Quoted());
  }
  [[noreturn]] void FieldOutOfRange(bool datestyle_hint = false) const {
    throw Error(sqlstate::kDatetimeFieldOverflow, "date/time field value out of range: " + Quoted(),
                {}, datestyle_hint ? "Perhaps you need a different \"datestyle\" setting." : "");
  }
  [[noreturn]] void ValueOutOfRange() const {
    throw Error(sqlstate::kDatetimeFieldOverflow,
                std::string(type_name_) + " out of range: " + Quoted());
  }
  [[noreturn]] void TimeZoneOutOfRange() const {
    throw Error(kInvalidTimeZoneDisplacement, "time zone displacement out of range: " + Quoted());
  }
  [[noreturn]] void NotSupported(std::string_view word) const {
    throw Error(sqlstate::kFeatureNotSupported,
                "date/time value \"" + std::string(word) + "\" is not supported");
  }

 private:
  std::string Quoted() const { return "\"" + std::string(text_) + "\""; }

  std::string_view text_;
  const char* type_name_;
};

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A cursor over the trimmed text.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  void Skip(size_t n = 1) { pos_ += n; }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  std::string_view TakeWhile(bool (*pred)(char)) {
    size_t start = pos_;
    while (!AtEnd() && pred(Peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Digits as a number; a run too long to be a field counts as out of range.
int FieldValue(std::string_view digits, const ErrorReporter& err) {
  if (digits.size() > 9) err.FieldOutOfRange();
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

void ParseDatePart(Scanner* in, Fields* f, const ErrorReporter& err) {
  std::string_view year = in->TakeWhile(IsDigit);
  char sep = in->Peek();
  if (year.size() == 8 && (sep == '\0' || !(sep == '-' || sep == '/' || sep == '.'))) {
    f->year = FieldValue(year.substr(0, 4), err);  // YYYYMMDD
    f->month = FieldValue(year.substr(4, 2), err);
    f->day = FieldValue(year.substr(6, 2), err);
    return;
  }
  // Only year-first dates: PostgreSQL's MDY/DMY guesses for short first fields are not done.
  if (year.size() < 3 || !(sep == '-' || sep == '/' || sep == '.')) err.BadSyntax();
  in->Skip();
  std::string_view month = in->TakeWhile(IsDigit);
  if (month.empty() || month.size() > 2 || in->Peek() != sep) err.BadSyntax();
  in->Skip();
  std::string_view day = in->TakeWhile(IsDigit);
  if (day.empty() || day.size() > 2) err.BadSyntax();
  f->year = FieldValue(year, err);
  f->month = FieldValue(month, err);
  f->day = FieldValue(day, err);
}

// Rounds a fraction of a second (".ddd") to microseconds as PostgreSQL does: rint(frac * 1e6).
int64_t FractionMicros(std::string_view digits) {
  std::string text = "0." + std::string(digits);
  return static_cast<int64_t>(std::rint(std::strtod(text.c_str(), nullptr) * kMicrosPerSecond));
}

void ParseTimePart(Scanner* in, Fields* f, const ErrorReporter& err) {
  std::string_view hour = in->TakeWhile(IsDigit);
  if (hour.empty() || hour.size() > 2 || in->Peek() != ':') err.BadSyntax();
  in->Skip();
  std::string_view minute = in->TakeWhile(IsDigit);
  if (minute.empty() || minute.size() > 2) err.BadSyntax();
  f->has_time = true;
  f->hour = FieldValue(hour, err);
  f->minute = FieldValue(minute, err);
  if (in->Peek() != ':') return;
  in->Skip();
  std::string_view second = in->TakeWhile(IsDigit);
  if (second.empty() || second.size() > 2) err.BadSyntax();
  f->second = FieldValue(second, err);
  if (in->Peek() != '.') return;
  in->Skip();
  f->micros = FractionMicros(in->TakeWhile(IsDigit));
}

// ±HH, ±HH:MM, ±HH:MM:SS, ±HHMM, ±HHMMSS: validated; returns seconds east of UTC.
int ParseTimeZoneOffset(Scanner* in, const ErrorReporter& err) {
  bool negative = in->Peek() == '-';
  in->Skip();  // the sign
  std::string_view first = in->TakeWhile(IsDigit);
  int hours, minutes = 0, seconds = 0;
  if (first.empty() || first.size() > 6 || (first.size() % 2 == 1 && first.size() > 1)) {
    err.BadSyntax();
  }
  if (first.size() <= 2) {
    hours = FieldValue(first, err);
    for (int* field : {&minutes, &seconds}) {
      if (in->Peek() != ':') break;
      in->Skip();
      std::string_view digits = in->TakeWhile(IsDigit);
      if (digits.empty() || digits.size() > 2) err.BadSyntax();
      *field = FieldValue(digits, err);
    }
  } else {
    hours = FieldValue(first.substr(0, 2), err);
    minutes = FieldValue(first.substr(2, 2), err);
    if (first.size() == 6) seconds = FieldValue(first.substr(4, 2), err);
  }
  if (hours > kMaxTimeZoneHours || minutes >= 60 || seconds >= 60) err.TimeZoneOutOfRange();
  int offset = (hours * 60 + minutes) * 60 + seconds;
  return negative ? -offset : offset;
}

bool MatchSpecial(std::string_view text, Fields* f, const ErrorReporter& err) {
  if (EqualsIgnoreCase(text, "epoch")) {
    f->special = Fields::Special::kEpoch;
  } else if (EqualsIgnoreCase(text, "infinity")) {
    f->special = Fields::Special::kInfinity;
  } else if (EqualsIgnoreCase(text, "-infinity")) {
    f->special = Fields::Special::kNegativeInfinity;
  } else if (EqualsIgnoreCase(text, "now") || EqualsIgnoreCase(text, "today") ||
             EqualsIgnoreCase(text, "tomorrow") || EqualsIgnoreCase(text, "yesterday") ||
             EqualsIgnoreCase(text, "allballs")) {
    err.NotSupported(text);  // they depend on the clock; not a pure text conversion
  } else {
    return false;
  }
  return true;
}

// Whatever follows the date: a time, a time zone, AD/BC, in PostgreSQL's loose order.
void ParseTrailingFields(Scanner* in, Fields* f, const ErrorReporter& err) {
  bool seen_zone = false, seen_era = false;
  while (true) {
    in->SkipSpaces();
    if (in->AtEnd()) return;
    char c = in->Peek();
    if (IsDigit(c) && !f->has_time) {
      ParseTimePart(in, f, err);
    } else if ((c == 'T' || c == 't') && IsDigit(in->Peek(1)) && !f->has_time) {
      in->Skip();
      ParseTimePart(in, f, err);
    } else if ((c == '+' || c == '-') && !seen_zone) {
      f->zone_seconds = ParseTimeZoneOffset(in, err);
      seen_zone = true;
    } else if (IsAlpha(c)) {
      std::string_view word = in->TakeWhile(IsAlpha);
      bool zone = EqualsIgnoreCase(word, "z") || EqualsIgnoreCase(word, "utc") ||
                  EqualsIgnoreCase(word, "gmt");
      bool era = EqualsIgnoreCase(word, "ad") || EqualsIgnoreCase(word, "bc");
      if ((zone && seen_zone) || (era && seen_era) || (!zone && !era)) err.BadSyntax();
      seen_zone |= zone;
      seen_era |= era;
      if (era) f->bc = EqualsIgnoreCase(word, "bc");
    } else {
      err.BadSyntax();
    }
  }
}

Fields ParseFields(std::string_view text, const ErrorReporter& err) {
  Fields f;
  std::string_view trimmed = Trim(text);
  if (MatchSpecial(trimmed, &f, err)) return f;
  Scanner in(trimmed);
  if (!IsDigit(in.Peek())) err.BadSyntax();
  ParseDatePart(&in, &f, err);
  ParseTrailingFields(&in, &f, err);
  return f;
}

bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Checks the fields (PostgreSQL's ValidateDate and time checks); returns days since 2000-01-01.
int64_t ValidatedDays(const Fields& f, const ErrorReporter& err) {
  if (f.year == 0) err.FieldOutOfRange();
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31) err.FieldOutOfRange(true);
  int astronomical_year = f.bc ? 1 - f.year : f.year;
  if (static_cast<unsigned>(f.day) > DaysInMonth(astronomical_year, f.month)) {
    err.FieldOutOfRange();
  }
  bool bad_time = f.hour > 24 || f.minute > 59 || f.second > 60 || f.micros > kMicrosPerSecond ||
                  (f.hour == 24 && (f.minute > 0 || f.second > 0 || f.micros > 0));
  if (bad_time) err.FieldOutOfRange();
  return DaysFromCivil(astronomical_year, f.month, f.day);
}

int64_t TimeOfDayMicros(const Fields& f) {
  return ((f.hour * int64_t{60} + f.minute) * 60 + f.second) * kMicrosPerSecond + f.micros;
}

// Floor division and its non-negative remainder.
void SplitFloor(int64_t value, int64_t unit, int64_t* quotient, int64_t* remainder) {
  *quotient = value / unit;
  *remainder = value % unit;
  if (*remainder < 0) {
    --*quotient;
    *remainder += unit;
  }
}

// 'YYYY-MM-DD', years below 1 as 'YYYY-MM-DD' plus a BC suffix the caller appends.
bool AppendCivilDate(int64_t days, std::string* out) {
  int y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  bool bc = y <= 0;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", bc ? 1 - y : y, m, d);
  out->append(buf);
  return bc;
}

}  // namespace

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  int64_t year = static_cast<int64_t>(y) - (m <= 2 ? 1 : 0);
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  unsigned day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468 - 10957;
}

void CivilFromDays(int64_t days, int* y, unsigned* m, unsigned* d) {
  int64_t z = days + 719468 + 10957;  // days since 0000-03-01
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned day_of_era = static_cast<unsigned>(z - era * 146097);
  unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  unsigned mp = (5 * day_of_year + 2) / 153;
  *d = day_of_year - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(static_cast<int64_t>(year_of_era) + era * 400 + (*m <= 2 ? 1 : 0));
}

int32_t ParseDate(std::string_view text) {
  ErrorReporter err(text, "date");
  Fields f = ParseFields(text, err);
  switch (f.special) {
    case Fields::Special::kEpoch:
      return static_cast<int32_t>(DaysFromCivil(1970, 1, 1));
    case Fields::Special::kInfinity:
      return kDatePositiveInfinity;
    case Fields::Special::kNegativeInfinity:
      return kDateNegativeInfinity;
    case Fields::Special::kNone:
      break;
  }
  int64_t days = ValidatedDays(f, err);
  if (days < kMinDate || days >= kEndDate) err.ValueOutOfRange();
  return static_cast<int32_t>(days);
}

namespace {

// Timestamp text to microseconds; with `apply_zone`, the written offset is subtracted (UTC).
int64_t ParseTimestampWithZone(std::string_view text, const char* type_name, bool apply_zone) {
  ErrorReporter err(text, type_name);
  Fields f = ParseFields(text, err);
  switch (f.special) {
    case Fields::Special::kEpoch:
      return DaysFromCivil(1970, 1, 1) * kMicrosPerDay;
    case Fields::Special::kInfinity:
      return kTimestampPositiveInfinity;
    case Fields::Special::kNegativeInfinity:
      return kTimestampNegativeInfinity;
    case Fields::Special::kNone:
      break;
  }
  int64_t days = ValidatedDays(f, err);
  if (days < kMinDate || days > kEndTimestampDays) err.ValueOutOfRange();
  int64_t timestamp = days * kMicrosPerDay + TimeOfDayMicros(f);
  if (apply_zone) timestamp -= f.zone_seconds * kMicrosPerSecond;
  if (timestamp < kMinTimestamp || timestamp >= kEndTimestamp) err.ValueOutOfRange();
  return timestamp;
}

}  // namespace

int64_t ParseTimestamp(std::string_view text) {
  return ParseTimestampWithZone(text, "timestamp", false);
}

int64_t ParseTimestampTz(std::string_view text) {
  return ParseTimestampWithZone(text, "timestamp with time zone", true);
}

void AppendDate(int32_t date, std::string* out) {
  if (date == kDatePositiveInfinity || date == kDateNegativeInfinity) {
    out->append(date > 0 ? "infinity" : "-infinity");
    return;
  }
  if (AppendCivilDate(date, out)) out->append(" BC");
}

std::string FormatDate(int32_t date) {
  std::string out;
  AppendDate(date, &out);
  return out;
}

void AppendTimestamp(int64_t timestamp, std::string* out) {
  if (timestamp == kTimestampPositiveInfinity || timestamp == kTimestampNegativeInfinity) {
    out->append(timestamp > 0 ? "infinity" : "-infinity");
    return;
  }
  int64_t days, micros;
  SplitFloor(timestamp, kMicrosPerDay, &days, &micros);
  bool bc = AppendCivilDate(days, out);
  int64_t seconds = micros / kMicrosPerSecond;
  int fraction = static_cast<int>(micros % kMicrosPerSecond);
  char buf[32];
  int n = std::snprintf(buf, sizeof(buf), " %02d:%02d:%02d", static_cast<int>(seconds / 3600),
                        static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  out->append(buf, n);
  if (fraction != 0) {
    n = std::snprintf(buf, sizeof(buf), ".%06d", fraction);
    while (buf[n - 1] == '0') --n;  // PostgreSQL trims trailing zeros
    out->append(buf, n);
  }
  if (bc) out->append(" BC");
}

std::string FormatTimestamp(int64_t timestamp) {
  std::string out;
  AppendTimestamp(timestamp, &out);
  return out;
}

void AppendTimestampTz(int64_t timestamp, std::string* out) {
  if (timestamp == kTimestampPositiveInfinity || timestamp == kTimestampNegativeInfinity) {
    AppendTimestamp(timestamp, out);
    return;
  }
  std::string text = FormatTimestamp(timestamp);
  bool bc = text.size() > 3 && text.compare(text.size() - 3, 3, " BC") == 0;
  if (bc) text.resize(text.size() - 3);
  out->append(text).append("+00");
  if (bc) out->append(" BC");
}

std::string FormatTimestampTz(int64_t timestamp) {
  std::string out;
  AppendTimestampTz(timestamp, &out);
  return out;
}

}  // namespace ivm::datetime
