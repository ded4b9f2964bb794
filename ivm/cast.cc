#include "ivm/cast.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include "ivm/bytea.h"
#include "ivm/datetime.h"
#include "ivm/error.h"
#include "ivm/float_format.h"

namespace ivm {
namespace {

const char* IntegerTypeName(TypeId type) {
  switch (type) {
    case TypeId::kInt16:
      return "smallint";
    case TypeId::kInt32:
      return "integer";
    default:
      return "bigint";
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

[[noreturn]] void BadInput(const Type& type, std::string_view text) {
  throw Error(
      sqlstate::kInvalidTextRepresentation,
      "invalid input syntax for type " + type.ToString() + ": \"" + std::string(text) + "\"");
}

Value ParseInteger(std::string_view text, const Type& type) {
  std::string_view s = Trim(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) BadInput(type, text);
  __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') BadInput(type, text);
    v = v * 10 + (c - '0');
    if (v > (static_cast<__int128>(1) << 64)) break;  // certainly out of range
  }
  if (negative) v = -v;
  constexpr auto kMin = std::numeric_limits<int64_t>::min();
  constexpr auto kMax = std::numeric_limits<int64_t>::max();
  if (v < kMin || v > kMax || CheckIntegerRangeNoThrow(v, type.id) == false) {
    throw Error(sqlstate::kNumericValueOutOfRange,
                "value \"" + std::string(text) + "\" is out of range for type " + type.ToString());
  }
  return Value::Integer(type.id, static_cast<int64_t>(v));
}

Value ParseBool(std::string_view text) {
  std::string s(Trim(text));
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "t" || s == "true" || s == "y" || s == "yes" || s == "on" || s == "1") {
    return Value::Bool(true);
  }
  if (s == "f" || s == "false" || s == "n" || s == "no" || s == "off" || s == "0") {
    return Value::Bool(false);
  }
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type boolean: \"" + std::string(text) + "\"");
}

// Rounds half to even, as PostgreSQL's rint() does for float -> integer casts.
int64_t FloatToInteger(double d, TypeId type) {
  double r = std::nearbyint(d);
  if (std::isnan(r) || r < -9.3e18 || r > 9.3e18) {
    throw Error(sqlstate::kNumericValueOutOfRange,
                std::string(IntegerTypeName(type)) + " out of range");
  }
  return CheckIntegerRange(static_cast<__int128>(r), type);
}

Value CheckVarchar(std::string s, const Type& target, CastKind kind) {
  if (target.length >= 0 && static_cast<int64_t>(s.size()) > target.length) {
    // Lengths are in characters: count UTF-8 code points.
    size_t chars = 0, cut = s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (chars == static_cast<size_t>(target.length)) {
          cut = i;
          break;
        }
        ++chars;
      }
    }
    if (cut < s.size()) {
      bool only_spaces = s.find_first_not_of(' ', cut) == std::string::npos;
      if (kind == CastKind::kAssignment && !only_spaces) {
        throw Error(sqlstate::kStringDataRightTruncation,
                    "value too long for type " + target.ToString());
      }
      s.resize(cut);
    }
  }
  if (target.id == TypeId::kChar) {
    // character(n) is blank-padded to n characters.
    if (target.length > 0) {
      size_t chars = 0;
      for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      if (chars < static_cast<size_t>(target.length)) s.append(target.length - chars, ' ');
    }
    return Value::Char(std::move(s));
  }
  return target.id == TypeId::kText ? Value::Text(std::move(s)) : Value::Varchar(std::move(s));
}

}  // namespace

bool CheckIntegerRangeNoThrow(__int128 v, TypeId type) {
  switch (type) {
    case TypeId::kInt16:
      return v >= -32768 && v <= 32767;
    case TypeId::kInt32:
      return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
    default:
      return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
  }
}

int64_t CheckIntegerRange(__int128 v, TypeId type) {
  if (!CheckIntegerRangeNoThrow(v, type)) {
    throw Error(sqlstate::kNumericValueOutOfRange,
                std::string(IntegerTypeName(type)) + " out of range");
  }
  return static_cast<int64_t>(v);
}

bool CastExists(TypeId from, TypeId to) {
  if (from == to || from == TypeId::kUnknown) return true;
  Type f = Type::Of(from), t = Type::Of(to);
  if (from == TypeId::kRecord || to == TypeId::kRecord) return t.IsString();
  if (f.IsString() || t.IsString()) return true;  // via text I/O
  if (f.IsNumeric() && t.IsNumeric()) return true;
  if (f.IsDateTime() && t.IsDateTime()) return true;
  if ((from == TypeId::kBool && to == TypeId::kInt32) ||
      (from == TypeId::kInt32 && to == TypeId::kBool)) {
    return true;
  }
  return false;
}

namespace {

// PostgreSQL's array input: "{1,2,NULL}", "{\"a b\",c}", or for a vector type "1 2".
Value ParseArray(std::string_view text, const Type& target) {
  const Type element = target.ElementType();
  std::vector<Value> items;
  auto malformed = [&](const char* detail) {
    return Error(sqlstate::kInvalidTextRepresentation,
                 "malformed array literal: \"" + std::string(text) + "\"", detail);
  };
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  if (target.vector) {
    while (true) {
      skip_space();
      if (i >= text.size()) break;
      size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      items.push_back(ParseText(text.substr(start, i - start), element));
    }
    return Value::Array(std::move(items), true);
  }
  skip_space();
  if (i >= text.size() || text[i] != '{') {
    throw malformed("Array value must start with \"{\" or dimension information.");
  }
  ++i;
  skip_space();
  if (i < text.size() && text[i] == '}') {
    ++i;
  } else {
    while (true) {
      skip_space();
      if (i >= text.size()) throw malformed("Unexpected end of input.");
      if (text[i] == '{') {
        throw Error(sqlstate::kFeatureNotSupported,
                    "multidimensional arrays are not supported yet");
      }
      std::string item;
      bool quoted = false;
      if (text[i] == '"') {
        quoted = true;
        for (++i; i < text.size() && text[i] != '"'; ++i) {
          if (text[i] == '\\' && i + 1 < text.size()) ++i;
          item += text[i];
        }
        if (i >= text.size()) throw malformed("Unexpected end of input.");
        ++i;
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '}') {
          if (text[i] == '\\' && i + 1 < text.size()) ++i;
          item += text[i++];
        }
        size_t end = item.find_last_not_of(" \t\n\r");
        item.resize(end == std::string::npos ? 0 : end + 1);
        if (item.empty()) throw malformed("Unexpected \",\" character.");
      }
      bool is_null = !quoted && item.size() == 4 && (item[0] | 0x20) == 'n' &&
                     (item[1] | 0x20) == 'u' && (item[2] | 0x20) == 'l' && (item[3] | 0x20) == 'l';
      items.push_back(is_null ? Value::Null(element.id) : ParseText(item, element));
      skip_space();
      if (i >= text.size()) throw malformed("Unexpected end of input.");
      if (text[i] == '}') {
        ++i;
        break;
      }
      if (text[i] != ',') throw malformed("Unexpected array element.");
      ++i;
    }
  }
  skip_space();
  if (i != text.size()) throw malformed("Junk after closing right brace.");
  return Value::Array(std::move(items));
}

}  // namespace

Value ParseText(std::string_view text, const Type& target) {
  switch (target.id) {
    case TypeId::kBool:
      return ParseBool(text);
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return ParseInteger(text, target);
    case TypeId::kFloat32:
      return Value::Float32(ParseFloat4(text));
    case TypeId::kFloat64:
      return Value::Float64(ParseFloat8(text));
    case TypeId::kNumeric: {
      Decimal d = Decimal::Parse(text);
      return Value::Numeric(target.precision >= 0 ? d.CoerceTo(target.precision, target.scale) : d);
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
      return CheckVarchar(std::string(text), target, CastKind::kExplicit);
    case TypeId::kDate:
      return Value::Date(datetime::ParseDate(text));
    case TypeId::kTimestamp:
      return Value::Timestamp(datetime::ParseTimestamp(text));
    case TypeId::kTimestampTz:
      return Value::TimestampTz(datetime::ParseTimestampTz(text));
    case TypeId::kInterval:
      return Value::FromInterval(ParseInterval(text));
    case TypeId::kBytea:
      return Value::Bytea(ParseBytea(text));
    case TypeId::kArray:
      return ParseArray(text, target);
    case TypeId::kRecord:
      throw Error(sqlstate::kFeatureNotSupported, "input of anonymous composite types is not implemented");
    case TypeId::kUnknown:
      break;
  }
  return Value::Text(std::string(text));
}

Value CastValue(const Value& value, const Type& target, CastKind kind) {
  if (value.is_null()) return Value::Null(target.id);
  TypeId from = value.type();
  switch (target.id) {
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar: {
      std::string s = Type::Of(from).IsString() ? value.string_value()
                      : from == TypeId::kBool   ? (value.bool_value() ? "true" : "false")
                                                : value.ToText();
      // character(n) loses its trailing blanks as text, as in PostgreSQL.
      if (from == TypeId::kChar && target.id != TypeId::kChar) {
        size_t end = s.find_last_not_of(' ');
        s.resize(end == std::string::npos ? 0 : end + 1);
      }
      return CheckVarchar(std::move(s), target, kind);
    }
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      switch (from) {
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64:
          return Value::Integer(target.id, CheckIntegerRange(value.int_value(), target.id));
        case TypeId::kFloat32:
        case TypeId::kFloat64:
          return Value::Integer(target.id, FloatToInteger(value.float_value(), target.id));
        case TypeId::kNumeric: {
          Decimal r = value.numeric_value().Round(0);
          if (r.unscaled() > std::numeric_limits<int64_t>::max() ||
              r.unscaled() < std::numeric_limits<int64_t>::min()) {
            CheckIntegerRange(static_cast<__int128>(1) << 70, target.id);  // throws
          }
          return Value::Integer(target.id, CheckIntegerRange(r.unscaled(), target.id));
        }
        case TypeId::kBool:
          return Value::Integer(target.id, value.bool_value() ? 1 : 0);
        default:
          break;
      }
      break;
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      double d;
      if (from == TypeId::kFloat32 || from == TypeId::kFloat64) {
        d = value.float_value();
      } else if (from == TypeId::kNumeric) {
        d = value.numeric_value().ToDouble();
      } else if (Type::Of(from).IsInteger()) {
        d = static_cast<double>(value.int_value());
      } else {
        break;
      }
      if (target.id == TypeId::kFloat32) {
        if (std::isfinite(d) && std::fabs(d) > std::numeric_limits<float>::max()) {
          throw Error(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
        }
        return Value::Float32(static_cast<float>(d));
      }
      return Value::Float64(d);
    }
    case TypeId::kNumeric: {
      Decimal d;
      if (from == TypeId::kNumeric) {
        d = value.numeric_value();
      } else if (Type::Of(from).IsInteger()) {
        d = Decimal::FromInt64(value.int_value());
      } else if (from == TypeId::kFloat32) {
        d = Decimal::Parse(FormatFloat4(static_cast<float>(value.float_value())));
      } else if (from == TypeId::kFloat64) {
        d = Decimal::FromDouble(value.float_value());
      } else {
        break;
      }
      return Value::Numeric(target.precision >= 0 ? d.CoerceTo(target.precision, target.scale) : d);
    }
    case TypeId::kBool:
      if (from == TypeId::kBool) return value;
      if (from == TypeId::kInt32) return Value::Bool(value.int_value() != 0);
      break;
    case TypeId::kDate:
      if (from == TypeId::kDate) return value;
      if (from == TypeId::kTimestamp || from == TypeId::kTimestampTz) {
        if (value.int_value() == datetime::kTimestampPositiveInfinity) {
          return Value::Date(datetime::kDatePositiveInfinity);
        }
        if (value.int_value() == datetime::kTimestampNegativeInfinity) {
          return Value::Date(datetime::kDateNegativeInfinity);
        }
        int64_t micros = value.int_value();
        int64_t days = micros / 86400000000LL - (micros % 86400000000LL < 0 ? 1 : 0);
        return Value::Date(static_cast<int32_t>(days));
      }
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      // The session TimeZone is UTC, so timestamp and timestamptz share their microseconds.
      if (from == TypeId::kTimestamp || from == TypeId::kTimestampTz) {
        return Value::Integer(target.id, value.int_value());
      }
      if (from == TypeId::kDate) {
        int64_t date = value.int_value();
        int64_t micros =
            date == datetime::kDatePositiveInfinity   ? datetime::kTimestampPositiveInfinity
            : date == datetime::kDateNegativeInfinity ? datetime::kTimestampNegativeInfinity
                                                      : date * datetime::kMicrosPerDay;
        if (micros >= datetime::kEndTimestamp && micros != datetime::kTimestampPositiveInfinity) {
          throw Error(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
        }
        return Value::Integer(target.id, micros);
      }
      break;
    }
    case TypeId::kInterval:
      if (from == TypeId::kInterval) return value;
      break;
    case TypeId::kBytea:
      if (from == TypeId::kBytea) return value;
      break;
    case TypeId::kArray:
      if (from == TypeId::kArray) {  // element by element; int2vector::int2[] and back
        std::vector<Value> items;
        for (const Value& item : value.items()) {
          items.push_back(CastValue(item, target.ElementType(), kind));
        }
        return Value::Array(std::move(items), target.vector);
      }
      break;
    case TypeId::kRecord:
      if (from == TypeId::kRecord) return value;
      break;
    case TypeId::kUnknown:
      return value;
  }
  if (Type::Of(from).IsString()) return ParseText(value.string_value(), target);
  throw Error("42846",
              "cannot cast type " + Type::Of(from).ToString() + " to " + target.ToString());
}

}  // namespace ivm
