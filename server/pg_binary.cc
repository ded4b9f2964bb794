#include "server/pg_binary.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <vector>

#include "ivm/cast.h"
#include "ivm/decimal.h"
#include "ivm/error.h"
#include "ivm/interval.h"
#include "ivm/utf8.h"

namespace server {
namespace {

using ivm::TypeId;
using ivm::Value;

// numeric's binary form: base-10000 digits with a weight and a display scale.
constexpr uint16_t kNumericPositive = 0x0000;
constexpr uint16_t kNumericNegative = 0x4000;

ivm::Error BadBinary(const ivm::Type& type, const std::string& why) {
  return ivm::Error(ivm::sqlstate::kInvalidBinaryRepresentation,
                    "incorrect binary data format for type " + type.ToString(), why);
}

template <typename T>
void Put(std::string* out, T value) {
  static_assert(std::is_integral_v<T>);
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(value);
  for (int shift = (sizeof(T) - 1) * 8; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((u >> shift) & 0xff));
  }
}

template <typename T>
T Get(std::string_view bytes, size_t offset) {
  using U = std::make_unsigned_t<T>;
  U u = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    u = static_cast<U>((u << 8) | static_cast<unsigned char>(bytes[offset + i]));
  }
  return static_cast<T>(u);
}

void RequireLength(std::string_view bytes, size_t length, const ivm::Type& type) {
  if (bytes.size() != length) {
    throw BadBinary(type, "expected " + std::to_string(length) + " bytes, got " +
                              std::to_string(bytes.size()));
  }
}

std::string EncodeNumeric(const ivm::Decimal& d) {
  // From the decimal text: split at the point, pad both parts to whole base-10000 groups.
  std::string text = Value::Numeric(d).ToText();
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.erase(0, 1);
  const size_t point = text.find('.');
  std::string integer = text.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
  const int dscale = static_cast<int>(fraction.size());
  integer.insert(0, (4 - integer.size() % 4) % 4, '0');
  fraction.append((4 - fraction.size() % 4) % 4, '0');
  std::vector<int16_t> digits;
  for (size_t i = 0; i < integer.size(); i += 4) {
    digits.push_back(static_cast<int16_t>(std::stoi(integer.substr(i, 4))));
  }
  int weight = static_cast<int>(digits.size()) - 1;
  for (size_t i = 0; i < fraction.size(); i += 4) {
    digits.push_back(static_cast<int16_t>(std::stoi(fraction.substr(i, 4))));
  }
  // PostgreSQL strips leading and trailing zero groups.
  size_t first = 0;
  while (first < digits.size() && digits[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = digits.size();
  while (last > first && digits[last - 1] == 0) --last;
  std::string out;
  const size_t count = last - first;
  Put<int16_t>(&out, static_cast<int16_t>(count));
  Put<int16_t>(&out, static_cast<int16_t>(count == 0 ? 0 : weight));
  Put<uint16_t>(&out, count != 0 && negative ? kNumericNegative : kNumericPositive);
  Put<int16_t>(&out, static_cast<int16_t>(dscale));
  for (size_t i = first; i < last; ++i) Put<int16_t>(&out, digits[i]);
  return out;
}

ivm::Decimal DecodeNumeric(std::string_view bytes, const ivm::Type& type) {
  if (bytes.size() < 8) throw BadBinary(type, "numeric header is 8 bytes");
  const int count = Get<int16_t>(bytes, 0);
  const int weight = Get<int16_t>(bytes, 2);
  const uint16_t sign = Get<uint16_t>(bytes, 4);
  const int dscale = Get<int16_t>(bytes, 6);
  if (count < 0 || bytes.size() != 8 + 2 * static_cast<size_t>(count)) {
    throw BadBinary(type, "numeric digit count does not match the length");
  }
  if (sign != kNumericPositive && sign != kNumericNegative) {
    throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                     "numeric NaN and infinity are not supported");
  }
  if (dscale < 0 || dscale > ivm::Decimal::kMaxScale) throw BadBinary(type, "invalid scale");
  // Digit i stands for digit * 10000^(weight - i): write the number out in decimal.
  std::string integer, fraction;
  for (int i = 0; i < count; ++i) {
    const int16_t digit = Get<int16_t>(bytes, 8 + 2 * static_cast<size_t>(i));
    if (digit < 0 || digit > 9999) throw BadBinary(type, "invalid numeric digit");
    std::string group = std::to_string(digit);
    group.insert(0, 4 - group.size(), '0');
    if (weight - i >= 0) {
      integer += group;
    } else {
      fraction += group;
    }
  }
  if (weight >= count) integer.append(static_cast<size_t>(4 * (weight - count + 1)), '0');
  if (weight < -1) fraction.insert(0, static_cast<size_t>(4 * (-1 - weight)), '0');
  std::string text = (sign == kNumericNegative ? "-" : "") + (integer.empty() ? "0" : integer);
  if (!fraction.empty()) text += "." + fraction;
  return ivm::Decimal::Parse(text).Rescale(dscale);
}

// An element or field: its length (-1 for NULL) and its binary form.
void AppendBinaryItem(const Value& item, std::string* out) {
  if (item.is_null()) {
    Put<int32_t>(out, -1);
    return;
  }
  std::string bytes = EncodeBinary(item);
  Put<int32_t>(out, static_cast<int32_t>(bytes.size()));
  *out += bytes;
}

Value DecodeArray(std::string_view bytes, const ivm::Type& type) {
  if (bytes.size() < 12) throw BadBinary(type, "truncated array header");
  const int32_t dimensions = Get<int32_t>(bytes, 0);
  if (dimensions == 0) return Value::Array({}, type.vector);
  if (dimensions != 1) {
    throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                     "multidimensional arrays are not supported yet");
  }
  if (bytes.size() < 20) throw BadBinary(type, "truncated array header");
  const int32_t count = Get<int32_t>(bytes, 12);
  if (count < 0) throw BadBinary(type, "invalid array size");
  size_t at = 20;
  std::vector<Value> items;
  for (int32_t i = 0; i < count; ++i) {
    if (bytes.size() < at + 4) throw BadBinary(type, "truncated array element");
    const int32_t length = Get<int32_t>(bytes, at);
    at += 4;
    if (length < 0) {
      items.push_back(Value::Null(type.element));
      continue;
    }
    if (bytes.size() - at < static_cast<size_t>(length)) {
      throw BadBinary(type, "truncated array element");
    }
    items.push_back(DecodeBinary(bytes.substr(at, static_cast<size_t>(length)), type.ElementType()));
    at += static_cast<size_t>(length);
  }
  if (at != bytes.size()) throw BadBinary(type, "trailing bytes after the array");
  return Value::Array(std::move(items), type.vector);
}

}  // namespace

ivm::Type TypeFromOid(uint32_t oid) {
  for (int id = static_cast<int>(TypeId::kBool); id <= static_cast<int>(TypeId::kBytea); ++id) {
    const auto type_id = static_cast<TypeId>(id);
    if (ivm::TypeOid(type_id) == oid) {
      return type_id == TypeId::kChar ? ivm::Type::Char() : ivm::Type::Of(type_id);
    }
  }
  for (int id = static_cast<int>(TypeId::kBool); id <= static_cast<int>(TypeId::kBytea); ++id) {
    const auto element = static_cast<TypeId>(id);
    if (ivm::ArrayTypeOid(element) == oid) return ivm::Type::Array(element);
  }
  if (oid == 22) return ivm::Type::Array(TypeId::kInt16, true);  // int2vector
  if (oid == 26 || oid == 2205 || oid == 2206) return ivm::Type::Of(TypeId::kInt64);  // oid, reg*
  if (oid == 19) return ivm::Type::Of(TypeId::kText);  // name
  if (oid == 705) return ivm::Type::Of(TypeId::kUnknown);  // "unknown": infer it
  throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                   "parameters of type oid " + std::to_string(oid) + " are not supported");
}

std::string EncodeBinary(const Value& value) {
  std::string out;
  switch (value.type()) {
    case TypeId::kBool:
      out.push_back(value.bool_value() ? 1 : 0);
      break;
    case TypeId::kInt16:
      Put<int16_t>(&out, static_cast<int16_t>(value.int_value()));
      break;
    case TypeId::kInt32:
    case TypeId::kDate:  // days since 2000-01-01, as PostgreSQL counts
      Put<int32_t>(&out, static_cast<int32_t>(value.int_value()));
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:  // microseconds since 2000-01-01
    case TypeId::kTimestampTz:
      Put<int64_t>(&out, value.int_value());
      break;
    case TypeId::kFloat32:
      Put<uint32_t>(&out, std::bit_cast<uint32_t>(static_cast<float>(value.float_value())));
      break;
    case TypeId::kFloat64:
      Put<uint64_t>(&out, std::bit_cast<uint64_t>(value.float_value()));
      break;
    case TypeId::kNumeric:
      out = EncodeNumeric(value.numeric_value());
      break;
    case TypeId::kInterval: {
      const ivm::Interval& i = value.interval_value();
      Put<int64_t>(&out, i.micros);
      Put<int32_t>(&out, i.days);
      Put<int32_t>(&out, i.months);
      break;
    }
    case TypeId::kBytea:
      out = value.string_value();  // the raw bytes
      break;
    case TypeId::kArray: {
      // array_send: dimensions, has-nulls flag, element type, then per dimension its size
      // and lower bound, then each element as a length and its binary form (-1: NULL).
      const std::vector<Value>& items = value.items();
      uint32_t element_oid = 25;
      bool has_nulls = false;
      for (const Value& item : items) {
        if (item.is_null()) {
          has_nulls = true;
        } else {
          element_oid = ivm::TypeOid(item.type());
        }
      }
      Put<int32_t>(&out, items.empty() ? 0 : 1);
      Put<int32_t>(&out, has_nulls ? 1 : 0);
      Put<uint32_t>(&out, element_oid);
      if (!items.empty()) {
        Put<int32_t>(&out, static_cast<int32_t>(items.size()));
        Put<int32_t>(&out, value.composite().vector ? 0 : 1);
      }
      for (const Value& item : items) AppendBinaryItem(item, &out);
      break;
    }
    case TypeId::kRecord:
      // record_send: the field count, then each field's type, length and binary form.
      Put<int32_t>(&out, static_cast<int32_t>(value.items().size()));
      for (const Value& field : value.items()) {
        Put<uint32_t>(&out, ivm::TypeOid(field.type()));
        AppendBinaryItem(field, &out);
      }
      break;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kUnknown:
      out = value.ToText();
      break;
  }
  return out;
}

Value DecodeBinary(std::string_view bytes, const ivm::Type& type) {
  switch (type.id) {
    case TypeId::kBool:
      RequireLength(bytes, 1, type);
      return Value::Bool(bytes[0] != 0);
    case TypeId::kInt16:
      RequireLength(bytes, 2, type);
      return Value::Int16(Get<int16_t>(bytes, 0));
    case TypeId::kInt32:
      RequireLength(bytes, 4, type);
      return Value::Int32(Get<int32_t>(bytes, 0));
    case TypeId::kDate:
      RequireLength(bytes, 4, type);
      return Value::Date(Get<int32_t>(bytes, 0));
    case TypeId::kInt64:
      RequireLength(bytes, 8, type);
      return Value::Int64(Get<int64_t>(bytes, 0));
    case TypeId::kTimestamp:
      RequireLength(bytes, 8, type);
      return Value::Timestamp(Get<int64_t>(bytes, 0));
    case TypeId::kTimestampTz:
      RequireLength(bytes, 8, type);
      return Value::TimestampTz(Get<int64_t>(bytes, 0));
    case TypeId::kFloat32:
      RequireLength(bytes, 4, type);
      return Value::Float32(std::bit_cast<float>(Get<uint32_t>(bytes, 0)));
    case TypeId::kFloat64:
      RequireLength(bytes, 8, type);
      return Value::Float64(std::bit_cast<double>(Get<uint64_t>(bytes, 0)));
    case TypeId::kNumeric:
      return Value::Numeric(DecodeNumeric(bytes, type));
    case TypeId::kInterval: {
      RequireLength(bytes, 16, type);
      ivm::Interval i;
      i.micros = Get<int64_t>(bytes, 0);
      i.days = Get<int32_t>(bytes, 8);
      i.months = Get<int32_t>(bytes, 12);
      return Value::FromInterval(i);
    }
    case TypeId::kBytea:
      return Value::Bytea(std::string(bytes));
    case TypeId::kArray:
      return DecodeArray(bytes, type);
    case TypeId::kRecord:
      break;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kUnknown:
      // The binary form of text is its bytes; the column's own rules (length, padding)
      // apply when the value is cast to it.
      return Value::Text(std::string(bytes));
  }
  throw BadBinary(type, "unsupported type");
}

Value DecodeParameter(const std::optional<std::string>& raw, int16_t format,
                      const ivm::Type& type) {
  if (!raw) return Value::Null(type.id);
  // Text comes in the client encoding, UTF8, and PostgreSQL refuses malformed text (22021):
  // a text-format parameter of any type, a binary one of a text type.
  const bool text_type = type.id == TypeId::kText || type.id == TypeId::kVarchar ||
                         type.id == TypeId::kChar || type.id == TypeId::kUnknown;
  if (format != 1 || text_type) ivm::CheckUtf8(*raw);
  Value v = format == 1 ? DecodeBinary(*raw, type) : ivm::ParseText(*raw, type);
  // Text arrives as text; the column's rules (length, padding) apply when it becomes one.
  if (v.type() != type.id) v = ivm::CastValue(v, type, ivm::CastKind::kAssignment);
  return v;
}

void ApplyResultFormats(const std::vector<int16_t>& formats,
                        std::vector<protocol::FieldDescription>* fields) {
  if (formats.size() > 1 && formats.size() != fields->size()) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation,
                     "bind message has " + std::to_string(formats.size()) +
                         " result formats but query has " + std::to_string(fields->size()) +
                         " columns");
  }
  for (size_t i = 0; i < fields->size(); ++i) {
    (*fields)[i].format = formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[i];
  }
}

namespace {

// Re-encodes the text cells of `rows` in the columns of `fields` that are binary.
void EncodeBinaryColumns(const std::vector<protocol::FieldDescription>& fields,
                         std::vector<protocol::Cells>* rows) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].format == 0) continue;
    const ivm::Type type = TypeFromOid(fields[i].type_oid);
    if (type.IsString() || type.id == TypeId::kUnknown) continue;  // binary text is the text
    for (auto& row : *rows) {
      if (row[i]) row[i] = EncodeBinary(ivm::ParseText(*row[i], type));
    }
  }
}

}  // namespace

void ApplyResultFormats(const std::vector<int16_t>& formats, protocol::StatementResult* result) {
  if (result->kind != protocol::StatementResult::Kind::kRows) return;
  ApplyResultFormats(formats, &result->fields);
  EncodeBinaryColumns(result->fields, &result->rows);
  const bool binary =
      std::any_of(result->fields.begin(), result->fields.end(),
                  [](const protocol::FieldDescription& f) { return f.format != 0; });
  if (!result->more_rows || !binary) return;
  result->more_rows = [more_rows = std::move(result->more_rows),
                       fields = result->fields](std::function<void(protocol::MoreRows)> next) {
    more_rows([fields, next = std::move(next)](protocol::MoreRows more) {
      try {
        EncodeBinaryColumns(fields, &more.rows);
      } catch (const ivm::Error& e) {
        more.rows.clear();
        more.error = e;
        more.last = true;
      }
      next(std::move(more));
    });
  };
}

}  // namespace server
