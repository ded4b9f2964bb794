// Operators on dates, timestamps and intervals, registered under their symbols so the
// binder resolves them like PostgreSQL's pg_operator: date ± integer, date - date,
// date/timestamp/timestamptz ± interval, timestamp - timestamp, interval arithmetic.
#include "ivm/datetime.h"
#include "ivm/error.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kI4 = TypeId::kInt32;
constexpr TypeId kF8 = TypeId::kFloat64;
constexpr TypeId kDate = TypeId::kDate;
constexpr TypeId kTs = TypeId::kTimestamp;
constexpr TypeId kTsTz = TypeId::kTimestampTz;
constexpr TypeId kInterval = TypeId::kInterval;

bool IsInfiniteDate(int64_t d) {
  return d == datetime::kDatePositiveInfinity || d == datetime::kDateNegativeInfinity;
}

Value DatePlusDays(int64_t date, int64_t days) {
  if (IsInfiniteDate(date)) return Value::Date(static_cast<int32_t>(date));
  int64_t r = date + days;
  if (r < datetime::kMinDate || r >= datetime::kEndDate) {
    throw Error(sqlstate::kDatetimeFieldOverflow, "date out of range");
  }
  return Value::Date(static_cast<int32_t>(r));
}

Value DatePlusInt(Args a) { return DatePlusDays(a[0].int_value(), a[1].int_value()); }
Value IntPlusDate(Args a) { return DatePlusDays(a[1].int_value(), a[0].int_value()); }
Value DateMinusInt(Args a) { return DatePlusDays(a[0].int_value(), -a[1].int_value()); }

Value DateMinusDate(Args a) {
  if (IsInfiniteDate(a[0].int_value()) || IsInfiniteDate(a[1].int_value())) {
    throw Error(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite dates");
  }
  return Value::Int32(static_cast<int32_t>(a[0].int_value() - a[1].int_value()));
}

int64_t DateToTimestamp(int64_t date) {
  if (date == datetime::kDatePositiveInfinity) return datetime::kTimestampPositiveInfinity;
  if (date == datetime::kDateNegativeInfinity) return datetime::kTimestampNegativeInfinity;
  return date * datetime::kMicrosPerDay;
}

Value DatePlusInterval(Args a) {
  return Value::Timestamp(
      AddIntervalToTimestamp(DateToTimestamp(a[0].int_value()), a[1].interval_value()));
}
Value IntervalPlusDate(Args a) {
  return Value::Timestamp(
      AddIntervalToTimestamp(DateToTimestamp(a[1].int_value()), a[0].interval_value()));
}
Value DateMinusInterval(Args a) {
  return Value::Timestamp(AddIntervalToTimestamp(DateToTimestamp(a[0].int_value()),
                                                 NegateInterval(a[1].interval_value())));
}

Value TsPlusInterval(Args a) {
  return Value::Integer(a[0].type(),
                        AddIntervalToTimestamp(a[0].int_value(), a[1].interval_value()));
}
Value IntervalPlusTs(Args a) {
  return Value::Integer(a[1].type(),
                        AddIntervalToTimestamp(a[1].int_value(), a[0].interval_value()));
}
Value TsMinusInterval(Args a) {
  return Value::Integer(
      a[0].type(), AddIntervalToTimestamp(a[0].int_value(), NegateInterval(a[1].interval_value())));
}
Value TsMinusTs(Args a) {
  return Value::FromInterval(SubtractTimestamps(a[0].int_value(), a[1].int_value()));
}

Value IntervalPlus(Args a) {
  return Value::FromInterval(AddIntervals(a[0].interval_value(), a[1].interval_value()));
}
Value IntervalMinus(Args a) {
  return Value::FromInterval(SubtractIntervals(a[0].interval_value(), a[1].interval_value()));
}
Value IntervalTimesFloat(Args a) {
  return Value::FromInterval(MultiplyInterval(a[0].interval_value(), a[1].float_value()));
}
Value FloatTimesInterval(Args a) {
  return Value::FromInterval(MultiplyInterval(a[1].interval_value(), a[0].float_value()));
}
Value IntervalDivFloat(Args a) {
  return Value::FromInterval(DivideInterval(a[0].interval_value(), a[1].float_value()));
}
Value IntervalNegate(Args a) { return Value::FromInterval(NegateInterval(a[0].interval_value())); }

}  // namespace

void AddDatetimeOperators(std::vector<ScalarFunction>* out) {
  auto add = [&](const char* name, std::vector<TypeId> params, TypeId result, ScalarBody body) {
    out->push_back({name, std::move(params), result, body});
  };
  add("+", {kDate, kI4}, kDate, DatePlusInt);
  add("+", {kI4, kDate}, kDate, IntPlusDate);
  add("-", {kDate, kI4}, kDate, DateMinusInt);
  add("-", {kDate, kDate}, kI4, DateMinusDate);
  add("+", {kDate, kInterval}, kTs, DatePlusInterval);
  add("+", {kInterval, kDate}, kTs, IntervalPlusDate);
  add("-", {kDate, kInterval}, kTs, DateMinusInterval);
  for (TypeId ts : {kTs, kTsTz}) {
    add("+", {ts, kInterval}, ts, TsPlusInterval);
    add("+", {kInterval, ts}, ts, IntervalPlusTs);
    add("-", {ts, kInterval}, ts, TsMinusInterval);
    add("-", {ts, ts}, kInterval, TsMinusTs);
  }
  add("+", {kInterval, kInterval}, kInterval, IntervalPlus);
  add("-", {kInterval, kInterval}, kInterval, IntervalMinus);
  add("*", {kInterval, kF8}, kInterval, IntervalTimesFloat);
  add("*", {kF8, kInterval}, kInterval, FloatTimesInterval);
  add("/", {kInterval, kF8}, kInterval, IntervalDivFloat);
  add("-", {kInterval}, kInterval, IntervalNegate);
}

}  // namespace ivm
