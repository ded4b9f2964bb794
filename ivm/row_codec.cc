#include "ivm/row_codec.h"

#include <cmath>
#include <cstring>

#include "ivm/error.h"

namespace ivm {
namespace {

constexpr uint8_t kKeyNull = 0xF0;      // NULL sorts after every value
constexpr uint8_t kKeyValue = 0x10;     // generic non-null marker
constexpr uint8_t kKeyNegative = 0x01;  // numeric sign classes
constexpr uint8_t kKeyZero = 0x02;
constexpr uint8_t kKeyPositive = 0x03;

[[noreturn]] void Corrupt() {
  throw Error(sqlstate::kInternalError, "corrupt row encoding in storage");
}

void EncodeKeyInt(int64_t v, std::string* out) {
  PutBigEndian64(static_cast<uint64_t>(v) ^ (1ULL << 63), out);
}

void EncodeKeyDouble(double d, std::string* out) {
  if (d == 0) d = 0;  // -0 == 0
  uint64_t bits;
  if (std::isnan(d)) {
    bits = ~0ULL;  // NaN sorts above every number, as in PostgreSQL
  } else {
    std::memcpy(&bits, &d, sizeof bits);
    bits = (bits & (1ULL << 63)) ? ~bits : bits | (1ULL << 63);
  }
  PutBigEndian64(bits, out);
}

// Numerics by value: sign class, then (for non-zero) the decimal exponent and the
// significant digits, both inverted for negatives so bytes sort like values. A value is
// 0.<digits> * 10^exponent with no leading or trailing zero digit, so scale does not show.
void EncodeKeyNumeric(const Decimal& d, std::string* out) {
  if (d.IsZero()) {
    out->push_back(static_cast<char>(kKeyZero));
    return;
  }
  const bool negative = d.Sign() < 0;
  // At most 38 digits, so |unscaled| < 10^38 < 2^127 and negating cannot overflow.
  auto magnitude = static_cast<unsigned __int128>(negative ? -d.unscaled() : d.unscaled());
  char digits[40];
  char* begin = digits + sizeof digits;
  // Digits by 64-bit division once the value fits (every integer column): a 128-bit one
  // is a library call, several times slower.
  for (; magnitude > UINT64_MAX; magnitude /= 10) *--begin = static_cast<char>(magnitude % 10);
  for (auto m = static_cast<uint64_t>(magnitude); m != 0; m /= 10) {
    *--begin = static_cast<char>(m % 10);
  }
  const int exponent = static_cast<int>(digits + sizeof digits - begin) - d.scale();
  const char* end = digits + sizeof digits;
  while (end[-1] == 0) --end;  // the first digit is not 0, so this stops
  // Sign class, exponent, the digits as '0'-'9', a terminator that sorts before any digit.
  const uint8_t flip = negative ? 0xFF : 0x00;
  char bytes[sizeof digits + 3];
  size_t n = 0;
  bytes[n++] = static_cast<char>(negative ? kKeyNegative : kKeyPositive);
  bytes[n++] = static_cast<char>(static_cast<uint8_t>(exponent + 128) ^ flip);
  for (const char* c = begin; c != end; ++c) {
    bytes[n++] = static_cast<char>(static_cast<uint8_t>('0' + *c) ^ flip);
  }
  bytes[n++] = static_cast<char>(flip);
  out->append(bytes, n);
}

}  // namespace

void PutVarint64(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint64(std::string_view* in) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (in->empty()) Corrupt();
    uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return result;
  }
  Corrupt();
}

void PutSignedVarint64(int64_t v, std::string* out) {
  PutVarint64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63), out);
}

int64_t GetSignedVarint64(std::string_view* in) {
  uint64_t u = GetVarint64(in);
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

void PutBigEndian64(uint64_t v, std::string* out) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(v >> (56 - 8 * i));
  out->append(bytes, sizeof bytes);
}

uint64_t GetBigEndian64(std::string_view in) {
  if (in.size() < 8) Corrupt();
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

void PutBigEndian32(uint32_t v, std::string* out) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(v >> (24 - 8 * i));
  out->append(bytes, sizeof bytes);
}

uint32_t GetBigEndian32(std::string_view in) {
  if (in.size() < 4) Corrupt();
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

void EncodeKeyValue(const Value& value, std::string* out) {
  if (value.is_null()) {
    out->push_back(static_cast<char>(kKeyNull));
    return;
  }
  switch (value.type()) {
    case TypeId::kBool:
      out->push_back(static_cast<char>(kKeyValue));
      out->push_back(value.bool_value() ? 1 : 0);
      return;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      // Integers share the numeric encoding so 1 (int) and 1.0 (numeric) meet as keys.
      EncodeKeyNumeric(Decimal::FromInt64(value.int_value()), out);
      return;
    case TypeId::kNumeric:
      EncodeKeyNumeric(value.numeric_value(), out);
      return;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      out->push_back(static_cast<char>(kKeyValue));
      EncodeKeyDouble(value.float_value(), out);
      return;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kBytea: {
      out->push_back(static_cast<char>(kKeyValue));
      std::string_view text = value.string_value();
      if (value.type() == TypeId::kChar) {  // trailing blanks of character(n) do not count
        size_t end = text.find_last_not_of(' ');
        text = end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
      }
      // A zero byte is followed by 0xFF, so that the terminator 0x00 0x01 sorts first.
      for (size_t zero; (zero = text.find('\0')) != std::string_view::npos;) {
        out->append(text.data(), zero + 1);
        out->push_back(static_cast<char>(0xFF));
        text.remove_prefix(zero + 1);
      }
      out->append(text);
      out->append("\0\1", 2);
      return;
    }
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      out->push_back(static_cast<char>(kKeyValue));
      EncodeKeyInt(value.int_value(), out);
      return;
    case TypeId::kInterval: {
      // By span, as interval_cmp orders: '1 mon' and '30 days' are the same key.
      out->push_back(static_cast<char>(kKeyValue));
      unsigned __int128 span = static_cast<unsigned __int128>(value.interval_value().Span());
      span ^= static_cast<unsigned __int128>(1) << 127;
      PutBigEndian64(static_cast<uint64_t>(span >> 64), out);
      PutBigEndian64(static_cast<uint64_t>(span), out);
      return;
    }
    case TypeId::kArray:
    case TypeId::kRecord:
      // Element by element, each after a 1 byte; a 0 ends it, so a prefix sorts first.
      out->push_back(static_cast<char>(kKeyValue));
      for (const Value& item : value.items()) {
        out->push_back(1);
        EncodeKeyValue(item, out);
      }
      out->push_back(0);
      return;
    case TypeId::kUnknown:
      break;
  }
  out->push_back(static_cast<char>(kKeyNull));
}

void EncodeKeyRow(const Row& row, std::string* out) {
  for (const Value& v : row) EncodeKeyValue(v, out);
}

void EncodeRowIdentity(const Row& row, std::string* out) {
  for (const Value& v : row) {
    EncodeKeyValue(v, out);
    if (v.type() == TypeId::kNumeric && !v.is_null()) {
      PutBigEndian32(static_cast<uint32_t>(v.numeric_value().scale()), out);
    }
  }
}

// Serialization: one tag byte (type id, high bit = null), then the payload.
void SerializeValue(const Value& value, std::string* out) {
  uint8_t tag = static_cast<uint8_t>(value.type());
  if (value.is_null()) {
    out->push_back(static_cast<char>(tag | 0x80));
    return;
  }
  out->push_back(static_cast<char>(tag));
  switch (value.type()) {
    case TypeId::kBool:
      out->push_back(value.bool_value() ? 1 : 0);
      return;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      PutSignedVarint64(value.int_value(), out);
      return;
    case TypeId::kInterval: {
      const Interval& i = value.interval_value();
      PutSignedVarint64(i.months, out);
      PutSignedVarint64(i.days, out);
      PutSignedVarint64(i.micros, out);
      return;
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      double d = value.float_value();
      char bytes[sizeof d];
      std::memcpy(bytes, &d, sizeof d);
      out->append(bytes, sizeof d);
      return;
    }
    case TypeId::kNumeric: {
      const Decimal& d = value.numeric_value();
      __int128 u = d.unscaled();
      PutSignedVarint64(static_cast<int64_t>(u >> 64), out);
      PutVarint64(static_cast<uint64_t>(u), out);
      PutVarint64(static_cast<uint64_t>(d.scale()), out);
      return;
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kBytea:
      PutVarint64(value.string_value().size(), out);
      out->append(value.string_value());
      return;
    case TypeId::kArray:
    case TypeId::kRecord:
      PutVarint64(value.items().size(), out);
      out->push_back(value.composite().vector ? 1 : 0);
      for (const Value& item : value.items()) SerializeValue(item, out);
      return;
    case TypeId::kUnknown:
      return;
  }
}

Value DeserializeValue(std::string_view* in) {
  if (in->empty()) Corrupt();
  uint8_t tag = static_cast<uint8_t>(in->front());
  in->remove_prefix(1);
  TypeId type = static_cast<TypeId>(tag & 0x7F);
  if (tag & 0x80) return Value::Null(type);
  switch (type) {
    case TypeId::kBool: {
      if (in->empty()) Corrupt();
      bool b = in->front() != 0;
      in->remove_prefix(1);
      return Value::Bool(b);
    }
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Value::Integer(type, GetSignedVarint64(in));
    case TypeId::kInterval: {
      Interval i;
      i.months = static_cast<int32_t>(GetSignedVarint64(in));
      i.days = static_cast<int32_t>(GetSignedVarint64(in));
      i.micros = GetSignedVarint64(in);
      return Value::FromInterval(i);
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      double d;
      if (in->size() < sizeof d) Corrupt();
      std::memcpy(&d, in->data(), sizeof d);
      in->remove_prefix(sizeof d);
      return type == TypeId::kFloat32 ? Value::Float32(static_cast<float>(d)) : Value::Float64(d);
    }
    case TypeId::kNumeric: {
      int64_t high = GetSignedVarint64(in);
      uint64_t low = GetVarint64(in);
      int scale = static_cast<int>(GetVarint64(in));
      __int128 u = (static_cast<__int128>(high) << 64) | static_cast<__int128>(low);
      return Value::Numeric(Decimal(u, scale));
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kBytea: {
      uint64_t size = GetVarint64(in);
      if (in->size() < size) Corrupt();
      std::string s(in->substr(0, size));
      in->remove_prefix(size);
      if (type == TypeId::kChar) return Value::Char(std::move(s));
      if (type == TypeId::kBytea) return Value::Bytea(std::move(s));
      return type == TypeId::kText ? Value::Text(std::move(s)) : Value::Varchar(std::move(s));
    }
    case TypeId::kArray:
    case TypeId::kRecord: {
      uint64_t count = GetVarint64(in);
      if (in->empty() || count > in->size()) Corrupt();
      bool vector = in->front() != 0;
      in->remove_prefix(1);
      std::vector<Value> items;
      items.reserve(count);
      for (uint64_t i = 0; i < count; ++i) items.push_back(DeserializeValue(in));
      return type == TypeId::kArray ? Value::Array(std::move(items), vector)
                                    : Value::Record(std::move(items));
    }
    case TypeId::kUnknown:
      return Value();
  }
  Corrupt();
}

void SerializeRow(const Row& row, std::string* out) {
  PutVarint64(row.size(), out);
  for (const Value& v : row) SerializeValue(v, out);
}

Row DeserializeRow(std::string_view in) { return DeserializeRow(&in); }

Row DeserializeRow(std::string_view* in) {
  uint64_t n = GetVarint64(in);
  Row row;
  row.reserve(n);
  for (uint64_t i = 0; i < n; ++i) row.push_back(DeserializeValue(in));
  return row;
}

}  // namespace ivm
