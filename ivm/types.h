// SQL types: a type id plus its modifiers (numeric precision/scale, varchar length).
// Type names and OIDs follow PostgreSQL so clients see familiar types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ivm {

enum class TypeId : uint8_t {
  kUnknown,  // the type of a bare NULL literal before coercion
  kBool,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kNumeric,
  kText,
  kVarchar,
  kDate,
  kTimestamp,
  kTimestampTz,  // microseconds since 2000-01-01 00:00:00 UTC
  kInterval,     // months, days, microseconds (ivm/interval.h)
  kChar,         // character(n): blank-padded; trailing spaces do not count in comparisons
  kBytea,        // binary string: raw bytes, shown as \x followed by hex digits
  kArray,        // one-dimensional array of `element` values, subscripts from 1 ("{1,2}")
  kRecord,       // a row value with named fields (`fields`), as a set-returning function's
};

// A field of a record type (a set-returning function's row, such as _pg_expandarray's).
struct RecordField {
  const char* name;
  TypeId type;
};

struct Type {
  TypeId id = TypeId::kUnknown;
  // numeric(precision, scale); -1 means unconstrained ("numeric").
  int16_t precision = -1;
  int16_t scale = -1;
  // varchar(length); -1 means unbounded.
  int32_t length = -1;
  // kArray: the element type; `vector` for PostgreSQL's int2vector and oidvector, whose
  // text form separates elements by spaces and whose subscripts start at 0.
  TypeId element = TypeId::kUnknown;
  bool vector = false;
  // kRecord: the fields' names and types (static storage, compared by address).
  const std::vector<RecordField>* fields = nullptr;

  static Type Of(TypeId id) { return Type{id}; }
  static Type Numeric(int precision = -1, int scale = -1) {
    return Type{TypeId::kNumeric, static_cast<int16_t>(precision), static_cast<int16_t>(scale)};
  }
  static Type Varchar(int length = -1) { return Type{TypeId::kVarchar, -1, -1, length}; }
  // character(n); -1 is bpchar without a length (no padding).
  static Type Char(int length = -1) { return Type{TypeId::kChar, -1, -1, length}; }
  static Type Array(TypeId element, bool vector = false) {
    return Type{TypeId::kArray, -1, -1, -1, element, vector};
  }
  static Type Record(const std::vector<RecordField>* fields) {
    return Type{TypeId::kRecord, -1, -1, -1, TypeId::kUnknown, false, fields};
  }
  // The type of one element of an array type.
  Type ElementType() const { return Type::Of(element); }

  bool IsInteger() const {
    return id == TypeId::kInt16 || id == TypeId::kInt32 || id == TypeId::kInt64;
  }
  bool IsFloat() const { return id == TypeId::kFloat32 || id == TypeId::kFloat64; }
  bool IsNumeric() const { return IsInteger() || IsFloat() || id == TypeId::kNumeric; }
  bool IsString() const {
    return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kChar;
  }
  bool IsDateTime() const {
    return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
  }

  // PostgreSQL's name as format_type() prints it: "integer", "numeric(12,2)",
  // "character varying(40)", "timestamp without time zone".
  std::string ToString() const;

  bool operator==(const Type&) const = default;
};

// The PostgreSQL type OID and typlen of a type, for RowDescription and pg_type.
uint32_t TypeOid(TypeId id);
// Also arrays: the element type's array type (int4[] is 1007, int2vector 22).
uint32_t TypeOid(const Type& type);
// The array type's OID of an element type, 0 when PostgreSQL has none.
uint32_t ArrayTypeOid(TypeId element);
int16_t TypeLength(TypeId id);
// The typmod clients see: numeric ((p << 16) | s) + 4, varchar n + 4, else -1.
int32_t TypeModifier(const Type& type);

}  // namespace ivm
