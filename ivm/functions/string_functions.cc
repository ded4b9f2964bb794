// String functions: lower, upper, initcap, length, substring, position, strpos, concat,
// concat_ws, btrim/ltrim/rtrim, replace, split_part, left, right, lpad, rpad, repeat,
// reverse, starts_with; and for bytea length, octet_length, encode and decode. Lengths and
// positions count UTF-8 characters; case mapping is ASCII only (the C collation).
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "ivm/bytea.h"
#include "ivm/error.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kInt = TypeId::kInt32;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte offsets of each character start, plus the end.
std::vector<size_t> CharOffsets(std::string_view s) {
  std::vector<size_t> offsets;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsContinuation(s[i])) offsets.push_back(i);
  }
  offsets.push_back(s.size());
  return offsets;
}

int64_t CharCount(std::string_view s) {
  return static_cast<int64_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !IsContinuation(c); }));
}

// Characters [from, to) (0-based, clamped) of s.
std::string CharSlice(std::string_view s, int64_t from, int64_t to) {
  std::vector<size_t> off = CharOffsets(s);
  int64_t n = static_cast<int64_t>(off.size()) - 1;
  from = std::clamp<int64_t>(from, 0, n);
  to = std::clamp<int64_t>(to, from, n);
  return std::string(s.substr(off[from], off[to] - off[from]));
}

std::string_view Str(const Value& v) { return v.string_value(); }

Value Lower(Args a) {
  std::string s(Str(a[0]));
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Value::Text(std::move(s));
}

Value Upper(Args a) {
  std::string s(Str(a[0]));
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Value::Text(std::move(s));
}

Value Initcap(Args a) {
  std::string s(Str(a[0]));
  bool in_word = false;
  for (char& c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    c = static_cast<char>(in_word ? std::tolower(u) : std::toupper(u));
    in_word = std::isalnum(u) != 0;
  }
  return Value::Text(std::move(s));
}

Value Length(Args a) { return Value::Int32(static_cast<int32_t>(CharCount(Str(a[0])))); }
Value OctetLength(Args a) { return Value::Int32(static_cast<int32_t>(Str(a[0]).size())); }

Value Substring3(Args a) {
  int64_t start = a[1].int_value(), count = a[2].int_value();
  if (count < 0) {
    throw Error("22011", "negative substring length not allowed");
  }
  return Value::Text(CharSlice(Str(a[0]), start - 1, start - 1 + count));
}

Value Substring2(Args a) {
  return Value::Text(CharSlice(Str(a[0]), a[1].int_value() - 1, INT64_MAX / 2));
}

int32_t CharPosition(std::string_view haystack, std::string_view needle) {
  size_t at = haystack.find(needle);
  if (at == std::string_view::npos) return 0;
  return static_cast<int32_t>(CharCount(haystack.substr(0, at)) + 1);
}

// position(needle IN haystack): the parser passes (needle, haystack).
Value Position(Args a) { return Value::Int32(CharPosition(Str(a[1]), Str(a[0]))); }
Value Strpos(Args a) { return Value::Int32(CharPosition(Str(a[0]), Str(a[1]))); }

Value Concat(Args a) {
  std::string out;
  for (const Value& v : a) {
    if (v.is_null()) continue;
    out += Type::Of(v.type()).IsString() ? v.string_value() : v.ToText();
  }
  return Value::Text(std::move(out));
}

Value ConcatWs(Args a) {
  if (a[0].is_null()) return Value::Null(kText);
  std::string out;
  bool first = true;
  for (size_t i = 1; i < a.size(); ++i) {
    if (a[i].is_null()) continue;
    if (!first) out += a[0].string_value();
    first = false;
    out += Type::Of(a[i].type()).IsString() ? a[i].string_value() : a[i].ToText();
  }
  return Value::Text(std::move(out));
}

// Trims characters of `set` (UTF-8 aware) from the chosen ends.
Value Trim(std::string_view s, std::string_view set, bool leading, bool trailing) {
  std::vector<size_t> off = CharOffsets(s);
  std::vector<std::string_view> chars;
  std::vector<size_t> set_off = CharOffsets(set);
  for (size_t i = 0; i + 1 < set_off.size(); ++i) {
    chars.push_back(set.substr(set_off[i], set_off[i + 1] - set_off[i]));
  }
  auto in_set = [&](size_t i) {
    std::string_view c = s.substr(off[i], off[i + 1] - off[i]);
    return std::find(chars.begin(), chars.end(), c) != chars.end();
  };
  size_t n = off.size() - 1, begin = 0, end = n;
  if (leading) {
    while (begin < end && in_set(begin)) ++begin;
  }
  if (trailing) {
    while (end > begin && in_set(end - 1)) --end;
  }
  return Value::Text(std::string(s.substr(off[begin], off[end] - off[begin])));
}

Value Btrim1(Args a) { return Trim(Str(a[0]), " ", true, true); }
Value Ltrim1(Args a) { return Trim(Str(a[0]), " ", true, false); }
Value Rtrim1(Args a) { return Trim(Str(a[0]), " ", false, true); }
Value Btrim2(Args a) { return Trim(Str(a[0]), Str(a[1]), true, true); }
Value Ltrim2(Args a) { return Trim(Str(a[0]), Str(a[1]), true, false); }
Value Rtrim2(Args a) { return Trim(Str(a[0]), Str(a[1]), false, true); }

Value Replace(Args a) {
  std::string_view s = Str(a[0]), from = Str(a[1]), to = Str(a[2]);
  if (from.empty()) return Value::Text(std::string(s));
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t at = s.find(from, pos);
    if (at == std::string_view::npos) break;
    out.append(s.substr(pos, at - pos)).append(to);
    pos = at + from.size();
  }
  out.append(s.substr(pos));
  return Value::Text(std::move(out));
}

Value SplitPart(Args a) {
  std::string_view s = Str(a[0]), delim = Str(a[1]);
  int64_t n = a[2].int_value();
  if (n == 0) throw Error(sqlstate::kInvalidParameterValue, "field position must not be zero");
  std::vector<std::string_view> parts;
  if (delim.empty()) {
    parts.push_back(s);
  } else {
    size_t pos = 0;
    while (true) {
      size_t at = s.find(delim, pos);
      parts.push_back(s.substr(pos, at == std::string_view::npos ? at : at - pos));
      if (at == std::string_view::npos) break;
      pos = at + delim.size();
    }
  }
  if (s.empty()) parts.clear();  // splitting '' gives no fields
  int64_t count = static_cast<int64_t>(parts.size());
  int64_t index = n > 0 ? n - 1 : count + n;
  if (index < 0 || index >= count) return Value::Text("");
  return Value::Text(std::string(parts[index]));
}

Value Left(Args a) {
  int64_t n = a[1].int_value(), len = CharCount(Str(a[0]));
  return Value::Text(CharSlice(Str(a[0]), 0, n >= 0 ? n : len + n));
}

Value Right(Args a) {
  int64_t n = a[1].int_value(), len = CharCount(Str(a[0]));
  return Value::Text(CharSlice(Str(a[0]), n >= 0 ? len - n : -n, len));
}

// lpad/rpad: pads with `fill` (repeated) or truncates to `length` characters.
Value Pad(std::string_view s, int64_t length, std::string_view fill, bool left) {
  int64_t len = CharCount(s);
  if (length <= 0) return Value::Text("");
  if (len >= length || fill.empty()) return Value::Text(CharSlice(s, 0, length));
  std::vector<size_t> off = CharOffsets(fill);
  int64_t fill_chars = static_cast<int64_t>(off.size()) - 1;
  std::string padding;
  for (int64_t i = 0; i < length - len; ++i) {
    int64_t c = i % fill_chars;
    padding.append(fill.substr(off[c], off[c + 1] - off[c]));
  }
  return Value::Text(left ? padding + std::string(s) : std::string(s) + padding);
}

Value Lpad2(Args a) { return Pad(Str(a[0]), a[1].int_value(), " ", true); }
Value Rpad2(Args a) { return Pad(Str(a[0]), a[1].int_value(), " ", false); }
Value Lpad3(Args a) { return Pad(Str(a[0]), a[1].int_value(), Str(a[2]), true); }
Value Rpad3(Args a) { return Pad(Str(a[0]), a[1].int_value(), Str(a[2]), false); }

Value Repeat(Args a) {
  std::string out;
  for (int64_t i = 0; i < a[1].int_value(); ++i) out.append(Str(a[0]));
  return Value::Text(std::move(out));
}

Value Reverse(Args a) {
  std::string_view s = Str(a[0]);
  std::vector<size_t> off = CharOffsets(s);
  std::string out;
  for (size_t i = off.size() - 1; i > 0; --i) out.append(s.substr(off[i - 1], off[i] - off[i - 1]));
  return Value::Text(std::move(out));
}

Value StartsWith(Args a) { return Value::Bool(Str(a[0]).starts_with(Str(a[1]))); }

// The encodings of encode() and decode().
enum class Encoding { kHex, kBase64, kEscape };

Encoding EncodingNamed(std::string_view name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "hex") return Encoding::kHex;
  if (lower == "base64") return Encoding::kBase64;
  if (lower == "escape") return Encoding::kEscape;
  throw Error(sqlstate::kInvalidParameterValue, "unrecognized encoding: \"" + std::string(name) + "\"");
}

Value Encode(Args a) {
  std::string_view bytes = Str(a[0]);
  switch (EncodingNamed(Str(a[1]))) {
    case Encoding::kHex:
      return Value::Text(FormatByteaHex(bytes).substr(2));
    case Encoding::kBase64:
      return Value::Text(EncodeBase64(bytes));
    case Encoding::kEscape:
      return Value::Text(FormatByteaEscape(bytes));
  }
  return Value::Null(TypeId::kText);
}

Value Decode(Args a) {
  std::string_view text = Str(a[0]);
  switch (EncodingNamed(Str(a[1]))) {
    case Encoding::kHex:
      return Value::Bytea(DecodeHex(text));
    case Encoding::kBase64:
      return Value::Bytea(DecodeBase64(text));
    case Encoding::kEscape:
      return Value::Bytea(ParseBytea(text));
  }
  return Value::Null(TypeId::kBytea);
}

}  // namespace

void AddStringFunctions(std::vector<ScalarFunction>* out) {
  auto add = [&](const char* name, std::vector<TypeId> params, TypeId result, ScalarBody body) {
    out->push_back({name, std::move(params), result, body});
  };
  add("lower", {kText}, kText, Lower);
  add("upper", {kText}, kText, Upper);
  add("initcap", {kText}, kText, Initcap);
  add("length", {kText}, kInt, Length);
  add("char_length", {kText}, kInt, Length);
  add("character_length", {kText}, kInt, Length);
  add("octet_length", {kText}, kInt, OctetLength);
  add("substring", {kText, kInt, kInt}, kText, Substring3);
  add("substring", {kText, kInt}, kText, Substring2);
  add("substr", {kText, kInt, kInt}, kText, Substring3);
  add("substr", {kText, kInt}, kText, Substring2);
  add("position", {kText, kText}, kInt, Position);
  add("strpos", {kText, kText}, kInt, Strpos);
  add("btrim", {kText}, kText, Btrim1);
  add("trim", {kText}, kText, Btrim1);  // TRIM(x) and TRIM(x, chars) without FROM
  add("trim", {kText, kText}, kText, Btrim2);
  add("ltrim", {kText}, kText, Ltrim1);
  add("rtrim", {kText}, kText, Rtrim1);
  add("btrim", {kText, kText}, kText, Btrim2);
  add("ltrim", {kText, kText}, kText, Ltrim2);
  add("rtrim", {kText, kText}, kText, Rtrim2);
  add("replace", {kText, kText, kText}, kText, Replace);
  add("split_part", {kText, kText, kInt}, kText, SplitPart);
  add("left", {kText, kInt}, kText, Left);
  add("right", {kText, kInt}, kText, Right);
  add("lpad", {kText, kInt}, kText, Lpad2);
  add("rpad", {kText, kInt}, kText, Rpad2);
  add("lpad", {kText, kInt, kText}, kText, Lpad3);
  add("rpad", {kText, kInt, kText}, kText, Rpad3);
  add("repeat", {kText, kInt}, kText, Repeat);
  add("reverse", {kText}, kText, Reverse);
  add("starts_with", {kText, kText}, TypeId::kBool, StartsWith);
  add("length", {TypeId::kBytea}, kInt, OctetLength);
  add("octet_length", {TypeId::kBytea}, kInt, OctetLength);
  add("encode", {TypeId::kBytea, kText}, kText, Encode);
  add("decode", {kText, kText}, TypeId::kBytea, Decode);
  out->push_back({"concat", {}, kText, Concat, /*strict=*/false, true, /*variadic_any=*/true});
  out->push_back({"concat_ws", {kText}, kText, ConcatWs, false, true, true});
}

}  // namespace ivm
