// Value: one SQL datum (or NULL) of a given type. Row: a tuple of values.
// Values compare with a total order (NULLs last, as PostgreSQL sorts ascending) so rows
// can be consolidated, grouped and sorted deterministically.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ivm/decimal.h"
#include "ivm/interval.h"
#include "ivm/types.h"

namespace ivm {

class Value;

// The elements of an array value or the fields of a record value. NULL elements are NULL
// values. `vector`: an int2vector/oidvector (text form "1 2", subscripts from 0).
struct Composite {
  std::vector<Value> items;
  bool vector = false;
};

class Value {
 public:
  Value() = default;  // NULL of unknown type

  static Value Null(TypeId type) { return Value(type); }
  static Value Bool(bool v) { return Value(TypeId::kBool, Payload(v)); }
  static Value Int16(int16_t v) { return Value(TypeId::kInt16, Payload(int64_t{v})); }
  static Value Int32(int32_t v) { return Value(TypeId::kInt32, Payload(int64_t{v})); }
  static Value Int64(int64_t v) { return Value(TypeId::kInt64, Payload(v)); }
  static Value Float32(float v) { return Value(TypeId::kFloat32, Payload(double{v})); }
  static Value Float64(double v) { return Value(TypeId::kFloat64, Payload(v)); }
  static Value Numeric(Decimal v) { return Value(TypeId::kNumeric, Payload(v)); }
  static Value Text(std::string v) { return Value(TypeId::kText, Payload(std::move(v))); }
  static Value Varchar(std::string v) { return Value(TypeId::kVarchar, Payload(std::move(v))); }
  // character(n): the text as stored, blank-padded.
  static Value Char(std::string v) { return Value(TypeId::kChar, Payload(std::move(v))); }
  // Raw bytes (bytea).
  static Value Bytea(std::string v) { return Value(TypeId::kBytea, Payload(std::move(v))); }
  // Days since 2000-01-01.
  static Value Date(int32_t days) { return Value(TypeId::kDate, Payload(int64_t{days})); }
  // Microseconds since 2000-01-01 00:00:00.
  static Value Timestamp(int64_t micros) { return Value(TypeId::kTimestamp, Payload(micros)); }
  // Microseconds since 2000-01-01 00:00:00 UTC.
  static Value TimestampTz(int64_t micros) { return Value(TypeId::kTimestampTz, Payload(micros)); }
  static Value FromInterval(Interval v) { return Value(TypeId::kInterval, Payload(v)); }
  // A one-dimensional array (kArray) and a record (kRecord).
  static Value Array(std::vector<Value> items, bool vector = false) {
    return Value(TypeId::kArray, Payload(std::make_shared<const Composite>(
                                     Composite{std::move(items), vector})));
  }
  static Value Record(std::vector<Value> fields) {
    return Value(TypeId::kRecord,
                 Payload(std::make_shared<const Composite>(Composite{std::move(fields), false})));
  }
  // An integer value of the given integer type (no range check).
  static Value Integer(TypeId type, int64_t v) { return Value(type, Payload(v)); }

  TypeId type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(payload_); }

  bool bool_value() const { return std::get<bool>(payload_); }
  // Integers, dates, timestamps and timestamptz.
  int64_t int_value() const { return std::get<int64_t>(payload_); }
  double float_value() const { return std::get<double>(payload_); }
  const Decimal& numeric_value() const { return std::get<Decimal>(payload_); }
  // Strings and bytea.
  const std::string& string_value() const { return std::get<std::string>(payload_); }
  const Interval& interval_value() const { return std::get<Interval>(payload_); }
  // Arrays' elements and records' fields.
  const Composite& composite() const {
    return *std::get<std::shared_ptr<const Composite>>(payload_);
  }
  const std::vector<Value>& items() const { return composite().items; }

  // PostgreSQL's text output form (what psql shows). REQUIRES: !is_null().
  std::string ToText() const;

  // Total order used for grouping, consolidation and ORDER BY: NULL sorts after every
  // value; values of different numeric types compare by value.
  int Compare(const Value& other) const;
  bool operator==(const Value& other) const { return Compare(other) == 0; }
  bool operator<(const Value& other) const { return Compare(other) < 0; }

  // Hash consistent with Compare()==0 for values of the same type family.
  uint64_t Hash() const;

 private:
  using Payload =
      std::variant<std::monostate, bool, int64_t, double, Decimal, std::string, Interval,
                   std::shared_ptr<const Composite>>;
  explicit Value(TypeId type) : type_(type) {}
  Value(TypeId type, Payload payload) : type_(type), payload_(std::move(payload)) {}

  TypeId type_ = TypeId::kUnknown;
  Payload payload_;
};

using Row = std::vector<Value>;

int CompareRows(const Row& a, const Row& b);
// CompareRows, then numeric display scales: the order in which Z-sets consolidate rows,
// so 0 and 0.00 stay distinct rows.
int CompareRowsIdentity(const Row& a, const Row& b);
uint64_t HashRow(const Row& row);

struct RowHash {
  size_t operator()(const Row& r) const { return HashRow(r); }
};
struct RowEq {
  bool operator()(const Row& a, const Row& b) const { return CompareRows(a, b) == 0; }
};
struct RowLess {
  bool operator()(const Row& a, const Row& b) const { return CompareRows(a, b) < 0; }
};

}  // namespace ivm
