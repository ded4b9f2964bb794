#include "connectors/formats/json_values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <system_error>

#include "ivm/bytea.h"
#include "ivm/cast.h"
#include "ivm/datetime.h"
#include "ivm/decimal.h"
#include "ivm/error.h"
#include "ivm/float_format.h"

namespace connectors {
namespace {

using ivm::Type;
using ivm::TypeId;
using ivm::Value;
namespace sqlstate = ivm::sqlstate;
namespace ondemand = simdjson::ondemand;

// 1970-01-01 minus 2000-01-01, the epochs of JSON sources and of ivm's dates.
constexpr int64_t kUnixEpochDays = 10957;
constexpr int64_t kUnixEpochMicros = kUnixEpochDays * ivm::datetime::kMicrosPerDay;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

[[noreturn]] void CannotConvert(const char* kind, const Type& type, std::string_view hint = {}) {
  throw ivm::Error(sqlstate::kInvalidTextRepresentation,
                   std::string("cannot convert JSON ") + kind + " to " + type.ToString(), {},
                   std::string(hint));
}

[[noreturn]] void OutOfRange(const Type& type, std::string_view text) {
  throw ivm::Error(sqlstate::kNumericValueOutOfRange,
                   "value " + std::string(text) + " is out of range for type " + type.ToString());
}

// A string for a text, varchar(n) or char(n) column.
Value StringValue(std::string_view text, const Type& type) {
  if (type.length < 0 && type.id == TypeId::kText) return Value::Text(std::string(text));
  if (type.length < 0 && type.id == TypeId::kVarchar) return Value::Varchar(std::string(text));
  return ivm::CastValue(Value::Text(std::string(text)), type, ivm::CastKind::kAssignment);
}

Value DecimalValue(const ivm::Decimal& d, const Type& type) {
  if (type.id == TypeId::kNumeric) {
    return Value::Numeric(type.precision >= 0 ? d.CoerceTo(type.precision, type.scale) : d);
  }
  return ivm::CastValue(Value::Numeric(d), type, ivm::CastKind::kAssignment);
}

Value IntegerToken(std::string_view token, const Type& type) {
  std::string_view digits = token;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (!digits.empty() && digits.size() <= 18 &&
      digits.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    if (negative) v = -v;
    if (!ivm::CheckIntegerRangeNoThrow(v, type.id)) OutOfRange(type, token);
    return Value::Integer(type.id, v);
  }
  // Long, fractional or exponent forms: exact decimal first, then the integral check.
  ivm::Decimal d = ivm::Decimal::Parse(token);
  if (d.Compare(d.Trunc(0)) != 0) {
    throw ivm::Error(
        sqlstate::kInvalidTextRepresentation,
        "invalid input syntax for type " + type.ToString() + ": \"" + std::string(token) + "\"");
  }
  ivm::Decimal whole = d.Trunc(0);
  if (whole.unscaled() > std::numeric_limits<int64_t>::max() ||
      whole.unscaled() < std::numeric_limits<int64_t>::min() ||
      !ivm::CheckIntegerRangeNoThrow(whole.unscaled(), type.id)) {
    OutOfRange(type, token);
  }
  return Value::Integer(type.id, static_cast<int64_t>(whole.unscaled()));
}

template <typename T>
T FloatToken(std::string_view token, const Type& type) {
  T v{};
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec == std::errc::result_out_of_range) OutOfRange(type, token);
  if (ec != std::errc() || end != token.data() + token.size()) {
    throw ivm::Error(
        sqlstate::kInvalidTextRepresentation,
        "invalid input syntax for type " + type.ToString() + ": \"" + std::string(token) + "\"");
  }
  return v;
}

int64_t ParseInt64Token(std::string_view token, const char* what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc() || end != token.data() + token.size()) {
    throw ivm::Error(sqlstate::kInvalidTextRepresentation,
                     std::string(what) + " must be a 64-bit integer, not " + std::string(token));
  }
  return v;
}

Value DateFromEpochDays(int64_t days, const Type& type) {
  int64_t date = days - kUnixEpochDays;
  if (date < ivm::datetime::kMinDate || date >= ivm::datetime::kEndDate) {
    throw ivm::Error(sqlstate::kDatetimeFieldOverflow,
                     "date out of range: " + std::to_string(days) + " days since 1970-01-01");
  }
  Value v = Value::Date(static_cast<int32_t>(date));
  return type.id == TypeId::kDate ? v : ivm::CastValue(v, type, ivm::CastKind::kAssignment);
}

// An instant as microseconds since 1970-01-01, converted to a column type.
Value InstantFromEpochMicros(__int128 micros, const Type& type, std::string_view token) {
  __int128 since_2000 = micros - kUnixEpochMicros;
  if (since_2000 < ivm::datetime::kMinTimestamp || since_2000 >= ivm::datetime::kEndTimestamp) {
    throw ivm::Error(sqlstate::kDatetimeFieldOverflow,
                     "timestamp out of range: " + std::string(token));
  }
  int64_t ts = static_cast<int64_t>(since_2000);
  switch (type.id) {
    case TypeId::kTimestamp:
      return Value::Timestamp(ts);
    case TypeId::kTimestampTz:
      return Value::TimestampTz(ts);
    case TypeId::kDate:
      return ivm::CastValue(Value::Timestamp(ts), type);
    default:
      if (type.IsString()) return StringValue(ivm::datetime::FormatTimestamp(ts), type);
      if (type.IsInteger()) return IntegerToken(token, type);
      CannotConvert("timestamp number", type);
  }
}

// "HH:MM:SS" with ".ffffff" (trailing zeros trimmed) when there is a fraction.
std::string FormatTimeOfDay(int64_t micros) {
  bool negative = micros < 0;
  if (negative) micros = -micros;
  int64_t secs = micros / 1000000, frac = micros % 1000000;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%s%02lld:%02lld:%02lld", negative ? "-" : "",
                        static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                        static_cast<long long>(secs % 60));
  std::string out(buf, n);
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

Value TimeOfDay(int64_t micros, const Type& type, std::string_view token) {
  if (type.id == TypeId::kInterval) return Value::FromInterval(ivm::Interval{0, 0, micros});
  if (type.IsString()) return StringValue(FormatTimeOfDay(micros), type);
  if (type.IsInteger()) return IntegerToken(token, type);
  CannotConvert("time-of-day number", type, "time columns read as interval or text");
}

Value NumberToValue(std::string_view token, const Type& type, FieldEncoding encoding) {
  switch (encoding.encoding) {
    case JsonEncoding::kDate:
      if (type.id == TypeId::kDate || type.IsDateTime()) {
        return DateFromEpochDays(ParseInt64Token(token, "an io.debezium.time.Date"), type);
      }
      if (type.IsString()) {
        Value d = DateFromEpochDays(ParseInt64Token(token, "an io.debezium.time.Date"),
                                    Type::Of(TypeId::kDate));
        return StringValue(ivm::datetime::FormatDate(static_cast<int32_t>(d.int_value())), type);
      }
      break;
    case JsonEncoding::kTimeMillis:
      return TimeOfDay(ParseInt64Token(token, "a time") * 1000, type, token);
    case JsonEncoding::kTimeMicros:
      return TimeOfDay(ParseInt64Token(token, "a time"), type, token);
    case JsonEncoding::kTimeNanos:
      return TimeOfDay(ParseInt64Token(token, "a time") / 1000, type, token);
    case JsonEncoding::kTimestampMillis:
      return InstantFromEpochMicros(
          static_cast<__int128>(ParseInt64Token(token, "a timestamp")) * 1000, type, token);
    case JsonEncoding::kTimestampMicros:
      return InstantFromEpochMicros(ParseInt64Token(token, "a timestamp"), type, token);
    case JsonEncoding::kTimestampNanos: {
      int64_t ns = ParseInt64Token(token, "a timestamp");
      int64_t us = ns / 1000 - (ns % 1000 < 0 ? 1 : 0);  // floor
      return InstantFromEpochMicros(us, type, token);
    }
    default:
      break;
  }
  switch (type.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return IntegerToken(token, type);
    case TypeId::kFloat32:
      return Value::Float32(FloatToken<float>(token, type));
    case TypeId::kFloat64:
      return Value::Float64(FloatToken<double>(token, type));
    case TypeId::kNumeric:
      return DecimalValue(ivm::Decimal::Parse(token), type);
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
      return StringValue(token, type);
    case TypeId::kBool:
      if (token == "0" || token == "1") return Value::Bool(token == "1");
      throw ivm::Error(sqlstate::kInvalidTextRepresentation,
                       "invalid input syntax for type boolean: " + std::string(token));
    case TypeId::kDate:
      return DateFromEpochDays(ParseInt64Token(token, "a date"), type);
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      int64_t v = ParseInt64Token(token, "a timestamp");
      __int128 magnitude = v < 0 ? -static_cast<__int128>(v) : v;
      __int128 micros = magnitude < 10'000'000'000'000       ? static_cast<__int128>(v) * 1000
                        : magnitude < 10'000'000'000'000'000 ? static_cast<__int128>(v)
                                                             : static_cast<__int128>(v) / 1000;
      return InstantFromEpochMicros(micros, type, token);
    }
    default:
      break;
  }
  CannotConvert("number", type);
}

__int128 UnscaledFromBytes(std::string_view bytes) {
  if (bytes.empty()) return 0;
  if (bytes.size() > 16) {
    throw ivm::Error(
        sqlstate::kNumericValueOutOfRange,
        "decimal of " + std::to_string(bytes.size()) + " bytes exceeds numeric's 38 digits");
  }
  // Two's complement, big-endian: sign-extend from the first byte.
  unsigned __int128 u =
      static_cast<signed char>(bytes[0]) < 0 ? ~static_cast<unsigned __int128>(0) : 0;
  for (char c : bytes) u = (u << 8) | static_cast<unsigned char>(c);
  return static_cast<__int128>(u);
}

Value BytesDecimal(std::string_view base64, int scale, const Type& type) {
  std::string bytes = DecodeBase64(base64);
  return DecimalValue(ivm::Decimal(UnscaledFromBytes(bytes), scale), type);
}

Value StringToValue(std::string_view text, const Type& type, FieldEncoding encoding) {
  if (encoding.encoding == JsonEncoding::kDecimalBytes) {
    return BytesDecimal(text, encoding.scale, type);
  }
  if (encoding.encoding == JsonEncoding::kZonedTimestamp && !type.IsString()) {
    int64_t ts = ivm::datetime::ParseTimestampTz(text);
    if (type.id == TypeId::kTimestampTz) return Value::TimestampTz(ts);
    return ivm::CastValue(Value::TimestampTz(ts), type, ivm::CastKind::kAssignment);
  }
  if (type.IsString()) return StringValue(text, type);
  if (type.id == TypeId::kBytea) {
    // Debezium writes binary columns as base64 (binary.handling.mode=bytes); text in
    // bytea's own hex form is taken too.
    if (text.starts_with("\\x")) return Value::Bytea(ivm::ParseBytea(text));
    return Value::Bytea(DecodeBase64(text));
  }
  if (type.id == TypeId::kNumeric) {
    try {
      return DecimalValue(ivm::Decimal::Parse(text), type);
    } catch (const ivm::Error& e) {
      if (e.sqlstate() != sqlstate::kInvalidTextRepresentation) throw;
      throw ivm::Error(e.sqlstate(), e.message(), e.detail(),
                       "Debezium's decimal.handling.mode=precise writes decimals as base64 "
                       "bytes: include the schema block (debezium-json.schema-include) or set "
                       "decimal.handling.mode to string or double.");
    }
  }
  return ivm::ParseText(text, type);
}

Value VariableScaleDecimal(ondemand::object object, const Type& type) {
  std::optional<int64_t> scale;
  std::optional<std::string> bytes;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    if (key == "scale") {
      scale = field.value().get_int64();
    } else if (key == "value") {
      bytes = DecodeBase64(field.value().get_string());
    }
  }
  if (!scale || !bytes || *scale < 0 || *scale > ivm::Decimal::kMaxScale) {
    throw ivm::Error(sqlstate::kInvalidTextRepresentation,
                     "an io.debezium.data.VariableScaleDecimal needs \"scale\" and \"value\"");
  }
  return DecimalValue(ivm::Decimal(UnscaledFromBytes(*bytes), static_cast<int>(*scale)), type);
}


}  // namespace

FieldEncoding EncodingFromSchemaName(std::string_view name, int scale) {
  struct Entry {
    std::string_view name;
    JsonEncoding encoding;
  };
  static constexpr Entry kEntries[] = {
      {"io.debezium.time.Date", JsonEncoding::kDate},
      {"org.apache.kafka.connect.data.Date", JsonEncoding::kDate},
      {"io.debezium.time.Time", JsonEncoding::kTimeMillis},
      {"org.apache.kafka.connect.data.Time", JsonEncoding::kTimeMillis},
      {"io.debezium.time.MicroTime", JsonEncoding::kTimeMicros},
      {"io.debezium.time.NanoTime", JsonEncoding::kTimeNanos},
      {"io.debezium.time.Timestamp", JsonEncoding::kTimestampMillis},
      {"org.apache.kafka.connect.data.Timestamp", JsonEncoding::kTimestampMillis},
      {"io.debezium.time.MicroTimestamp", JsonEncoding::kTimestampMicros},
      {"io.debezium.time.NanoTimestamp", JsonEncoding::kTimestampNanos},
      {"io.debezium.time.ZonedTimestamp", JsonEncoding::kZonedTimestamp},
      {"org.apache.kafka.connect.data.Decimal", JsonEncoding::kDecimalBytes},
      {"io.debezium.data.VariableScaleDecimal", JsonEncoding::kVariableScaleDecimal},
  };
  for (const Entry& e : kEntries) {
    if (e.name == name) return FieldEncoding{e.encoding, scale};
  }
  return {};
}

const char* JsonKindName(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::object:
      return "an object";
    case ondemand::json_type::array:
      return "an array";
    case ondemand::json_type::string:
      return "a string";
    case ondemand::json_type::number:
      return "a number";
    case ondemand::json_type::boolean:
      return "a boolean";
    case ondemand::json_type::null:
      return "null";
  }
  return "a JSON value";
}

std::string_view FieldName(ondemand::field& field) {
  const char* start = field.key().raw();
  // The key's closing quote is there: simdjson's first stage has found every string.
  for (const char* p = start;; ++p) {
    if (*p == '"') return std::string_view(start, static_cast<size_t>(p - start));
    if (*p == '\\') break;
  }
  return field.unescaped_key();
}

std::optional<ondemand::value> FindField(ondemand::object& object, std::string_view name) {
  ondemand::value value;
  simdjson::error_code error = object.find_field_unordered(name).get(value);
  if (error == simdjson::NO_SUCH_FIELD) return std::nullopt;
  if (error) throw simdjson::simdjson_error(error);
  return value;
}

ondemand::object ExpectObject(ondemand::value json, std::string_view what) {
  ondemand::json_type type = json.type();
  if (type != ondemand::json_type::object) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     std::string(what) + " must be a JSON object, not " + JsonKindName(type));
  }
  return json.get_object();
}

std::optional<std::string_view> OptionalString(ondemand::object& object, std::string_view name) {
  std::optional<ondemand::value> value = FindField(object, name);
  if (!value) return std::nullopt;
  ondemand::json_type type = value->type();
  if (type == ondemand::json_type::null) return std::nullopt;
  if (type != ondemand::json_type::string) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "\"" + std::string(name) + "\" must be a string, not " + JsonKindName(type));
  }
  return std::string_view(value->get_string());
}

std::optional<int64_t> OptionalInt64(ondemand::object& object, std::string_view name) {
  std::optional<ondemand::value> value = FindField(object, name);
  if (!value) return std::nullopt;
  ondemand::json_type type = value->type();
  if (type == ondemand::json_type::null) return std::nullopt;
  int64_t v = 0;
  if (type != ondemand::json_type::number || value->get_int64().get(v) != simdjson::SUCCESS) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "\"" + std::string(name) + "\" must be an integer");
  }
  return v;
}

std::optional<std::string> JsonText(ondemand::value json) {
  switch (json.type()) {
    case ondemand::json_type::null:
      return std::nullopt;
    case ondemand::json_type::string:
      return std::string(std::string_view(json.get_string()));
    case ondemand::json_type::object: {
      ondemand::object object = json.get_object();
      return std::string(TrimRight(object.raw_json()));
    }
    case ondemand::json_type::array: {
      ondemand::array array = json.get_array();
      return std::string(TrimRight(array.raw_json()));
    }
    default:
      return std::string(TrimRight(json.raw_json_token()));
  }
}

Value JsonToValue(ondemand::value json, const Type& type, FieldEncoding encoding) {
  switch (json.type()) {
    case ondemand::json_type::null:
      if (bool is_null = json.is_null(); !is_null) {
        throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
      }
      return Value::Null(type.id);
    case ondemand::json_type::string:
      return StringToValue(json.get_string(), type, encoding);
    case ondemand::json_type::number:
      return NumberToValue(TrimRight(json.raw_json_token()), type, encoding);
    case ondemand::json_type::boolean: {
      bool b = json.get_bool();
      if (type.id == TypeId::kBool) return Value::Bool(b);
      if (type.IsString()) return StringValue(b ? "true" : "false", type);
      CannotConvert("boolean", type);
    }
    case ondemand::json_type::object: {
      ondemand::object object = json.get_object();
      if (encoding.encoding == JsonEncoding::kVariableScaleDecimal) {
        return VariableScaleDecimal(object, type);
      }
      if (type.IsString()) return StringValue(TrimRight(object.raw_json()), type);
      CannotConvert("object", type);
    }
    case ondemand::json_type::array: {
      ondemand::array array = json.get_array();
      if (type.IsString()) return StringValue(TrimRight(array.raw_json()), type);
      CannotConvert("array", type);
    }
  }
  CannotConvert("value", type);
}

std::string DecodeBase64(std::string_view text) {
  try {
    return ivm::DecodeBase64(text);
  } catch (const ivm::Error&) {
    throw ivm::Error(sqlstate::kInvalidTextRepresentation,
                     "invalid base64 data: \"" + std::string(text.substr(0, 64)) + "\"");
  }
}

}  // namespace connectors
