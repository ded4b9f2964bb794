// Date/time functions: date_trunc, extract (numeric, PostgreSQL 15) and date_part (double
// precision) over date, timestamp, timestamptz and interval; and the volatile clock and
// random functions (now(), clock_timestamp(), random(), ...), marked non-deterministic.
#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "ivm/datetime.h"
#include "ivm/error.h"
#include "ivm/functions/datetime_fields.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kDate = TypeId::kDate;
constexpr TypeId kTs = TypeId::kTimestamp;
constexpr TypeId kTsTz = TypeId::kTimestampTz;
constexpr TypeId kInterval = TypeId::kInterval;

bool IsInfinite(const Value& v) {
  if (v.type() == kDate) {
    return v.int_value() == datetime::kDatePositiveInfinity ||
           v.int_value() == datetime::kDateNegativeInfinity;
  }
  return v.int_value() == datetime::kTimestampPositiveInfinity ||
         v.int_value() == datetime::kTimestampNegativeInfinity;
}

// extract/date_part of ±infinity: monotonic fields are ±infinity, the others NULL.
// Returns the sign (+1/-1) for an infinite result, 0 for NULL.
int InfiniteField(std::string_view unit_text, const Value& v) {
  DateUnit unit = ParseDateUnit(unit_text);
  if (unit == DateUnit::kUnknown) {
    throw Error(sqlstate::kInvalidParameterValue, "unit \"" + std::string(unit_text) +
                                                      "\" not recognized for type " +
                                                      Type::Of(v.type()).ToString());
  }
  bool monotonic = unit == DateUnit::kYear || unit == DateUnit::kDecade ||
                   unit == DateUnit::kCentury || unit == DateUnit::kMillennium ||
                   unit == DateUnit::kJulian || unit == DateUnit::kIsoYear ||
                   unit == DateUnit::kEpoch;
  if (!monotonic) return 0;
  return v.int_value() > 0 ? 1 : -1;
}

Decimal ExtractDecimal(const Value& unit, const Value& v) {
  const std::string& u = unit.string_value();
  switch (v.type()) {
    case kDate:
      return ExtractFromDate(u, static_cast<int32_t>(v.int_value()));
    case kInterval:
      return ExtractFromInterval(u, v.interval_value());
    default:
      return ExtractFromTimestamp(u, v.int_value(), v.type());
  }
}

Value Extract(Args a) {
  if (a[1].type() != kInterval && IsInfinite(a[1])) {
    if (InfiniteField(a[0].string_value(), a[1]) == 0) return Value::Null(TypeId::kNumeric);
    throw Error(sqlstate::kFeatureNotSupported,
                "numeric infinity is not supported yet (extract from an infinite value)");
  }
  return Value::Numeric(ExtractDecimal(a[0], a[1]));
}

Value DatePart(Args a) {
  if (a[1].type() != kInterval && IsInfinite(a[1])) {
    int sign = InfiniteField(a[0].string_value(), a[1]);
    if (sign == 0) return Value::Null(TypeId::kFloat64);
    return Value::Float64(sign * std::numeric_limits<double>::infinity());
  }
  return Value::Float64(ExtractDecimal(a[0], a[1]).ToDouble());
}

Value DateTrunc(Args a) {
  const Value& v = a[1];
  if (v.type() == kInterval)
    return Value::FromInterval(TruncInterval(a[0].string_value(), v.interval_value()));
  if (IsInfinite(v)) return v;
  return Value::Integer(v.type(), TruncTimestamp(a[0].string_value(), v.int_value(), v.type()));
}

int64_t NowMicros() {
  auto since_unix = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return since_unix - int64_t{10957} * datetime::kMicrosPerDay;
}

Value Now(Args) { return Value::TimestampTz(NowMicros()); }
Value LocalTimestamp(Args) { return Value::Timestamp(NowMicros()); }
Value CurrentDate(Args) {
  int64_t micros = NowMicros();
  int64_t days = micros / datetime::kMicrosPerDay - (micros % datetime::kMicrosPerDay < 0);
  return Value::Date(static_cast<int32_t>(days));
}

Value Random(Args) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return Value::Float64(std::uniform_real_distribution<double>(0.0, 1.0)(engine));
}

}  // namespace

void AddDatetimeFunctions(std::vector<ScalarFunction>* out) {
  auto add = [&](const char* name, std::vector<TypeId> params, TypeId result, ScalarBody body) {
    out->push_back({name, std::move(params), result, body});
  };
  add("date_trunc", {kText, kTs}, kTs, DateTrunc);
  add("date_trunc", {kText, kTsTz}, kTsTz, DateTrunc);
  add("date_trunc", {kText, kInterval}, kInterval, DateTrunc);
  for (TypeId t : {kDate, kTs, kTsTz, kInterval}) {
    add("extract", {kText, t}, TypeId::kNumeric, Extract);
    add("date_part", {kText, t}, TypeId::kFloat64, DatePart);
  }
}

void AddVolatileFunctions(std::vector<ScalarFunction>* out) {
  auto add = [&](const char* name, TypeId result, ScalarBody body) {
    out->push_back({name, {}, result, body, /*strict=*/true, /*deterministic=*/false});
  };
  for (const char* name : {"now", "current_timestamp", "transaction_timestamp",
                           "statement_timestamp", "clock_timestamp"}) {
    add(name, kTsTz, Now);
  }
  add("localtimestamp", kTs, LocalTimestamp);
  add("current_date", kDate, CurrentDate);
  add("random", TypeId::kFloat64, Random);
}

}  // namespace ivm
