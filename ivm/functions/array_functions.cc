// Array functions (array_to_string, array_length, cardinality, array_cat, string_to_array)
// and the set-returning functions, whose bodies return their rows as an array:
// generate_series, unnest, information_schema._pg_expandarray and pg_get_keywords.
#include <array>
#include <string>

#include "ivm/datetime.h"
#include "ivm/error.h"
#include "ivm/functions/function_sets.h"
#include "ivm/interval.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kArray = TypeId::kArray;
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kInt = TypeId::kInt32;

// A set-returning function may not build more rows than this in one call.
constexpr size_t kMaxSetRows = 100'000'000;

void CheckSetSize(size_t rows) {
  if (rows > kMaxSetRows) {
    throw Error(sqlstate::kProgramLimitExceeded,
                "a set-returning function may produce at most " + std::to_string(kMaxSetRows) +
                    " rows");
  }
}

// The bounds of dimension `dim` (only 1 exists), or false when there is none.
bool Bounds(Args a, int64_t* lower, int64_t* upper) {
  const std::vector<Value>& items = a[0].items();
  if (a[1].int_value() != 1 || items.empty()) return false;
  *lower = a[0].composite().vector ? 0 : 1;
  *upper = *lower + static_cast<int64_t>(items.size()) - 1;
  return true;
}

Value ArrayLength(Args a) {
  int64_t lower, upper;
  if (!Bounds(a, &lower, &upper)) return Value::Null(kInt);
  return Value::Int32(static_cast<int32_t>(upper - lower + 1));
}
Value ArrayLower(Args a) {
  int64_t lower, upper;
  if (!Bounds(a, &lower, &upper)) return Value::Null(kInt);
  return Value::Int32(static_cast<int32_t>(lower));
}
Value ArrayUpper(Args a) {
  int64_t lower, upper;
  if (!Bounds(a, &lower, &upper)) return Value::Null(kInt);
  return Value::Int32(static_cast<int32_t>(upper));
}
Value Cardinality(Args a) { return Value::Int32(static_cast<int32_t>(a[0].items().size())); }

// array_to_string(array, separator [, null_string]): NULL elements are skipped unless a
// null string is given.
Value ArrayToString(Args a) {
  if (a[0].is_null() || a[1].is_null()) return Value::Null(kText);
  const bool replace_nulls = a.size() > 2 && !a[2].is_null();
  std::string out;
  bool any = false;
  for (const Value& item : a[0].items()) {
    if (item.is_null() && !replace_nulls) continue;
    if (any) out += a[1].string_value();
    out += item.is_null() ? a[2].string_value() : item.ToText();
    any = true;
  }
  return Value::Text(std::move(out));
}

// array_cat(a, b), also a || b: NULL arrays count as empty.
Value ArrayCat(Args a) {
  if (a[0].is_null() && a[1].is_null()) return Value::Null(kArray);
  std::vector<Value> items;
  for (const Value& array : a) {
    if (!array.is_null()) items.insert(items.end(), array.items().begin(), array.items().end());
  }
  return Value::Array(std::move(items));
}

// string_to_array(text, delimiter [, null_string]): a NULL delimiter splits into
// characters, an empty one gives the whole string.
Value StringToArray(Args a) {
  if (a[0].is_null()) return Value::Null(kArray);
  const std::string& text = a[0].string_value();
  std::vector<Value> items;
  auto add = [&](std::string piece) {
    if (a.size() > 2 && !a[2].is_null() && piece == a[2].string_value()) {
      items.push_back(Value::Null(kText));
    } else {
      items.push_back(Value::Text(std::move(piece)));
    }
  };
  if (text.empty()) return Value::Array({});
  if (a[1].is_null()) {
    for (char c : text) add(std::string(1, c));
  } else if (a[1].string_value().empty()) {
    add(text);
  } else {
    const std::string& delimiter = a[1].string_value();
    size_t start = 0;
    while (true) {
      size_t at = text.find(delimiter, start);
      if (at == std::string::npos) {
        add(text.substr(start));
        break;
      }
      add(text.substr(start, at - start));
      start = at + delimiter.size();
    }
  }
  return Value::Array(std::move(items));
}

// ---- Set-returning functions ----------------------------------------------------------

Value Unnest(Args a) { return Value::Array(a[0].items()); }

Value GenerateSeriesIntegers(Args a, TypeId type) {
  const int64_t start = a[0].int_value(), stop = a[1].int_value();
  const int64_t step = a.size() > 2 ? a[2].int_value() : 1;
  if (step == 0) throw Error(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
  std::vector<Value> rows;
  for (__int128 v = start; step > 0 ? v <= stop : v >= stop; v += step) {
    CheckSetSize(rows.size() + 1);
    rows.push_back(Value::Integer(type, static_cast<int64_t>(v)));
  }
  return Value::Array(std::move(rows));
}
Value GenerateSeries4(Args a) { return GenerateSeriesIntegers(a, TypeId::kInt32); }
Value GenerateSeries8(Args a) { return GenerateSeriesIntegers(a, TypeId::kInt64); }

Value GenerateSeriesNumeric(Args a) {
  const Decimal start = a[0].numeric_value(), stop = a[1].numeric_value();
  const Decimal step = a.size() > 2 ? a[2].numeric_value() : Decimal::FromInt64(1);
  const int sign = step.Compare(Decimal::FromInt64(0));
  if (sign == 0) throw Error(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
  std::vector<Value> rows;
  for (Decimal v = start; sign > 0 ? v.Compare(stop) <= 0 : v.Compare(stop) >= 0;
       v = v.Add(step)) {
    CheckSetSize(rows.size() + 1);
    rows.push_back(Value::Numeric(v));
  }
  return Value::Array(std::move(rows));
}

Value GenerateSeriesTimestamps(Args a) {
  const TypeId type = a[0].type();
  const int64_t start = a[0].int_value(), stop = a[1].int_value();
  const Interval& step = a[2].interval_value();
  const __int128 span = step.Span();
  if (span == 0) throw Error(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
  std::vector<Value> rows;
  // Each row is the previous one plus the step, as in PostgreSQL: from January 31st by a
  // month, February 29th is followed by March 29th.
  for (int64_t v = start; span > 0 ? v <= stop : v >= stop;
       v = AddIntervalToTimestamp(v, step)) {
    CheckSetSize(rows.size() + 1);
    rows.push_back(Value::Integer(type, v));
  }
  return Value::Array(std::move(rows));
}

// information_schema._pg_expandarray(array): a row (x, n) per element, x the element and n
// its position from 1. pgjdbc's getPrimaryKeys expands pg_index.indkey with it.
const std::vector<RecordField>* ExpandArrayFields(TypeId element) {
  static const auto kFields = [] {
    std::array<std::vector<RecordField>, 256> all;
    for (size_t i = 0; i < all.size(); ++i) {
      all[i] = {{"x", static_cast<TypeId>(i)}, {"n", kInt}};
    }
    return all;
  }();
  return &kFields[static_cast<size_t>(element)];
}
Value ExpandArray(Args a) {
  std::vector<Value> rows;
  const std::vector<Value>& items = a[0].items();
  for (size_t i = 0; i < items.size(); ++i) {
    rows.push_back(Value::Record({items[i], Value::Int32(static_cast<int32_t>(i + 1))}));
  }
  return Value::Array(std::move(rows));
}

// pg_get_keywords(): SQL key words, as (word, catcode, catdesc). The words are
// PostgreSQL's reserved ones, which clients use to decide what to quote.
const std::vector<RecordField>* KeywordFields(TypeId) {
  static const std::vector<RecordField> kFields = {
      {"word", kText}, {"catcode", kText}, {"catdesc", kText}};
  return &kFields;
}
Value Keywords(Args) {

  std::vector<Value> rows;
  for (const char* word : ReservedKeywords()) {
    rows.push_back(
        Value::Record({Value::Text(word), Value::Text("R"), Value::Text("reserved")}));
  }
  return Value::Array(std::move(rows));
}

}  // namespace

void AddArrayFunctions(std::vector<ScalarFunction>* out) {
  out->push_back({"array_length", {kArray, kInt}, kInt, ArrayLength});
  out->push_back({"array_lower", {kArray, kInt}, kInt, ArrayLower});
  out->push_back({"array_upper", {kArray, kInt}, kInt, ArrayUpper});
  out->push_back({"cardinality", {kArray}, kInt, Cardinality});
  out->push_back({"array_to_string", {kArray, kText}, kText, ArrayToString, false});
  out->push_back({"array_to_string", {kArray, kText, kText}, kText, ArrayToString, false});
  out->push_back({"array_cat", {kArray, kArray}, kArray, ArrayCat, false});
  out->push_back({"string_to_array", {kText, kText}, kArray, StringToArray, false});
  out->push_back({"string_to_array", {kText, kText, kText}, kArray, StringToArray, false});

  auto set_returning = [&](const char* name, std::vector<TypeId> params, ScalarBody body,
                           const std::vector<RecordField>* (*fields)(TypeId) = nullptr) {
    ScalarFunction f{name, std::move(params), kArray, body};
    f.set_returning = true;
    f.record_fields = fields;
    out->push_back(std::move(f));
  };
  set_returning("unnest", {kArray}, Unnest);
  set_returning("generate_series", {kInt, kInt}, GenerateSeries4);
  set_returning("generate_series", {kInt, kInt, kInt}, GenerateSeries4);
  set_returning("generate_series", {TypeId::kInt64, TypeId::kInt64}, GenerateSeries8);
  set_returning("generate_series", {TypeId::kInt64, TypeId::kInt64, TypeId::kInt64},
                GenerateSeries8);
  set_returning("generate_series", {TypeId::kNumeric, TypeId::kNumeric}, GenerateSeriesNumeric);
  set_returning("generate_series", {TypeId::kNumeric, TypeId::kNumeric, TypeId::kNumeric},
                GenerateSeriesNumeric);
  set_returning("generate_series", {TypeId::kTimestamp, TypeId::kTimestamp, TypeId::kInterval},
                GenerateSeriesTimestamps);
  set_returning("generate_series",
                {TypeId::kTimestampTz, TypeId::kTimestampTz, TypeId::kInterval},
                GenerateSeriesTimestamps);
  set_returning("_pg_expandarray", {kArray}, ExpandArray, ExpandArrayFields);
  set_returning("pg_get_keywords", {}, Keywords, KeywordFields);
}

}  // namespace ivm
