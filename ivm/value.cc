#include "ivm/value.h"

#include <xxhash.h>

#include <cmath>
#include <cstring>

#include "ivm/bytea.h"
#include "ivm/datetime.h"
#include "ivm/float_format.h"

namespace ivm {
namespace {

// The characters that count in comparisons: character(n) ignores its trailing blanks.
std::string_view ComparableString(const Value& v) {
  std::string_view s = v.string_value();
  if (v.type() == TypeId::kChar) {
    size_t end = s.find_last_not_of(' ');
    s = end == std::string_view::npos ? std::string_view() : s.substr(0, end + 1);
  }
  return s;
}

// Families of types whose values compare with each other.
enum class Family {
  kNull,
  kBool,
  kExactNumber,
  kFloat,
  kString,
  kBytes,
  kDate,
  kTimestamp,
  kTimestampTz,
  kInterval,
  kComposite
};

Family FamilyOf(TypeId id) {
  switch (id) {
    case TypeId::kUnknown:
      return Family::kNull;
    case TypeId::kBool:
      return Family::kBool;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kNumeric:
      return Family::kExactNumber;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return Family::kFloat;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
      return Family::kString;
    case TypeId::kBytea:
      return Family::kBytes;
    case TypeId::kDate:
      return Family::kDate;
    case TypeId::kTimestamp:
      return Family::kTimestamp;
    case TypeId::kTimestampTz:
      return Family::kTimestampTz;
    case TypeId::kInterval:
      return Family::kInterval;
    case TypeId::kArray:
    case TypeId::kRecord:
      return Family::kComposite;
  }
  return Family::kNull;
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// PostgreSQL orders NaN above every other float and treats NaN = NaN.
int CompareFloats(double a, double b) {
  bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  return Cmp(a, b);
}

double AsDouble(const Value& v) {
  switch (v.type()) {
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return v.float_value();
    case TypeId::kNumeric:
      return v.numeric_value().ToDouble();
    default:
      return static_cast<double>(v.int_value());
  }
}

uint64_t HashBytes(const void* data, size_t size, uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

// An array element or record field in PostgreSQL's output syntax: double-quoted when
// empty, "NULL", or holding a delimiter, brace, quote, backslash or space.
void AppendItem(const Value& v, char delimiter, std::string* out) {
  if (v.is_null()) {
    *out += "NULL";
    return;
  }
  std::string text = v.ToText();
  bool quote = text.empty() || (delimiter == ',' && text == "NULL");
  for (char c : text) {
    if (c == delimiter || c == '{' || c == '}' || c == '(' || c == ')' || c == '"' ||
        c == '\\' || c == ' ' || c == '\t' || c == '\n') {
      quote = true;
    }
  }
  if (!quote) {
    *out += text;
    return;
  }
  *out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') *out += '\\';
    *out += c;
  }
  *out += '"';
}

}  // namespace

std::string Value::ToText() const {
  switch (type_) {
    case TypeId::kBool:
      return bool_value() ? "t" : "f";
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return std::to_string(int_value());
    case TypeId::kFloat32:
      return FormatFloat4(static_cast<float>(float_value()));
    case TypeId::kFloat64:
      return FormatFloat8(float_value());
    case TypeId::kNumeric:
      return numeric_value().ToString();
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
      return string_value();
    case TypeId::kDate:
      return datetime::FormatDate(static_cast<int32_t>(int_value()));
    case TypeId::kTimestamp:
      return datetime::FormatTimestamp(int_value());
    case TypeId::kTimestampTz:
      return datetime::FormatTimestampTz(int_value());
    case TypeId::kInterval:
      return FormatInterval(interval_value());
    case TypeId::kBytea:
      return FormatByteaHex(string_value());
    case TypeId::kArray: {
      const Composite& c = composite();
      std::string out = c.vector ? "" : "{";
      for (size_t i = 0; i < c.items.size(); ++i) {
        if (i > 0) out += c.vector ? ' ' : ',';
        if (c.vector) {
          out += c.items[i].ToText();
        } else {
          AppendItem(c.items[i], ',', &out);
        }
      }
      return c.vector ? out : out + "}";
    }
    case TypeId::kRecord: {
      std::string out = "(";
      const std::vector<Value>& fields = items();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        if (!fields[i].is_null()) AppendItem(fields[i], ',', &out);  // NULL fields are empty
      }
      return out + ")";
    }
    case TypeId::kUnknown:
      break;
  }
  return "";
}

int Value::Compare(const Value& other) const {
  // Two values of one integer-like type (integers, dates, timestamps): the common case in
  // keys and sorts, and the one each branch below would reach last.
  if (type_ == other.type_) {
    const int64_t* a = std::get_if<int64_t>(&payload_);
    const int64_t* b = std::get_if<int64_t>(&other.payload_);
    if (a != nullptr && b != nullptr) return Cmp(*a, *b);
  }
  bool a_null = is_null(), b_null = other.is_null();
  if (a_null || b_null) return a_null == b_null ? 0 : (a_null ? 1 : -1);
  Family fa = FamilyOf(type_), fb = FamilyOf(other.type_);
  if (fa == Family::kExactNumber && fb == Family::kExactNumber) {
    bool an = type_ == TypeId::kNumeric, bn = other.type_ == TypeId::kNumeric;
    if (!an && !bn) return Cmp(int_value(), other.int_value());
    Decimal a = an ? numeric_value() : Decimal::FromInt64(int_value());
    Decimal b = bn ? other.numeric_value() : Decimal::FromInt64(other.int_value());
    return a.Compare(b);
  }
  if ((fa == Family::kFloat || fa == Family::kExactNumber) &&
      (fb == Family::kFloat || fb == Family::kExactNumber)) {
    return CompareFloats(AsDouble(*this), AsDouble(other));
  }
  if (fa != fb) return Cmp(static_cast<int>(fa), static_cast<int>(fb));
  switch (fa) {
    case Family::kBool:
      return Cmp(bool_value(), other.bool_value());
    case Family::kString: {
      int c = ComparableString(*this).compare(ComparableString(other));  // byte-wise, C collation
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Family::kBytes: {
      int c = string_value().compare(other.string_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Family::kDate:
    case Family::kTimestamp:
    case Family::kTimestampTz:
      return Cmp(int_value(), other.int_value());
    case Family::kInterval:
      return interval_value().Compare(other.interval_value());
    case Family::kComposite:
      return CompareRows(items(), other.items());  // element by element, then length
    default:
      return 0;
  }
}

uint64_t Value::Hash() const {
  constexpr uint64_t kNullHash = 0x9e3779b97f4a7c15ULL;
  if (is_null()) return kNullHash;
  switch (FamilyOf(type_)) {
    case Family::kBool:
      return bool_value() ? 1 : 2;
    case Family::kExactNumber: {
      // Integers hash like the numeric of the same value so 1 and 1.0 meet.
      if (type_ == TypeId::kNumeric) return numeric_value().Hash();
      return Decimal::FromInt64(int_value()).Hash();
    }
    case Family::kFloat: {
      double d = float_value();
      if (d == 0) d = 0;  // -0 == 0
      if (std::isnan(d)) return kNullHash + 1;
      return HashBytes(&d, sizeof d, 3);
    }
    case Family::kString: {
      std::string_view s = ComparableString(*this);
      return HashBytes(s.data(), s.size(), 4);
    }
    case Family::kBytes:
      return HashBytes(string_value().data(), string_value().size(), 10);
    case Family::kDate:
    case Family::kTimestamp:
    case Family::kTimestampTz: {
      int64_t v = int_value();
      return HashBytes(&v, sizeof v, static_cast<uint64_t>(FamilyOf(type_)));
    }
    case Family::kInterval: {
      __int128 span = interval_value().Span();  // equal spans compare equal
      return HashBytes(&span, sizeof span, 9);
    }
    case Family::kComposite: {
      uint64_t h = HashRow(items());
      return HashBytes(&h, sizeof h, 11);
    }
    case Family::kNull:
      break;
  }
  return kNullHash;
}

int CompareRows(const Row& a, const Row& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int c = a[i].Compare(b[i]);
    if (c != 0) return c;
  }
  return Cmp(a.size(), b.size());
}

int CompareRowsIdentity(const Row& a, const Row& b) {
  int c = CompareRows(a, b);
  if (c != 0) return c;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type() != TypeId::kNumeric || a[i].is_null() || b[i].is_null() ||
        b[i].type() != TypeId::kNumeric) {
      continue;
    }
    int sa = a[i].numeric_value().scale(), sb = b[i].numeric_value().scale();
    if (sa != sb) return sa < sb ? -1 : 1;
  }
  return 0;
}

uint64_t HashRow(const Row& row) {
  uint64_t h = 0x51ed270b27a3f1c3ULL;
  for (const Value& v : row) {
    h ^= v.Hash() + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

}  // namespace ivm
