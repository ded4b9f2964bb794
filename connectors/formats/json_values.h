// JSON to SQL values, shared by the JSON CDC formats: one JSON value to a column's type (rows
// are built from these in row_converter.h), and small on-demand access helpers. The rules,
// by JSON kind:
//
// - null: NULL.
// - string: PostgreSQL's text input for the column type (Canal sends every value as a
//   string: "101", "3.14", "2016-01-16"); varchar(n) and char(n) follow assignment rules
//   (too long is 22001). Debezium's logical types reinterpret some strings, see
//   FieldEncoding.
// - number: integer columns take integral numbers (1, 1.0, 1e2; 1.5 is 22P02; out of range
//   22003); real and double precision the nearest float (the widened 3.140000104904175
//   reads as REAL 3.14); numeric the exact decimal written, then numeric(p,s) rounding
//   (3.140000104904175 as numeric(10,3) is 3.140); text the number as written; boolean 0
//   and 1; date days since 1970-01-01 (io.debezium.time.Date); timestamp and timestamptz an
//   epoch offset in the unit of the field's logical type, or, without a schema, in a unit
//   guessed from the magnitude: |v| < 10^13 milliseconds, < 10^16 microseconds, else
//   nanoseconds (exact for instants from 1970-04-26 to 2286; earlier microsecond and
//   nanosecond values would be misread, so send a schema for those).
// - true/false: boolean, or text 'true'/'false'.
// - object or array: text columns keep the JSON as written; io.debezium.data.
//   VariableScaleDecimal objects convert to numbers; anything else is 22P02.
// RowConverter (row_converter.h) prefixes errors with the column: `column "id": ...`.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/change.h"
#include "ivm/types.h"
#include "ivm/value.h"

namespace connectors {

// How a field is encoded, as a Debezium schema block says (the field's "name").
enum class JsonEncoding : uint8_t {
  kPlain,
  kDate,                  // io.debezium.time.Date, org.apache.kafka.connect.data.Date: epoch days
  kTimeMillis,            // io.debezium.time.Time, org.apache.kafka.connect.data.Time: ms of day
  kTimeMicros,            // io.debezium.time.MicroTime
  kTimeNanos,             // io.debezium.time.NanoTime
  kTimestampMillis,       // io.debezium.time.Timestamp, org.apache.kafka.connect.data.Timestamp
  kTimestampMicros,       // io.debezium.time.MicroTimestamp
  kTimestampNanos,        // io.debezium.time.NanoTimestamp
  kZonedTimestamp,        // io.debezium.time.ZonedTimestamp: ISO-8601 text with an offset
  kDecimalBytes,          // org.apache.kafka.connect.data.Decimal: base64 two's-complement
                          // big-endian unscaled integer, scale from the schema parameters
  kVariableScaleDecimal,  // io.debezium.data.VariableScaleDecimal: {"scale":s,"value":base64}
};

struct FieldEncoding {
  JsonEncoding encoding = JsonEncoding::kPlain;
  int scale = 0;  // kDecimalBytes
};

// Maps a schema field's logical type name (and parameters.scale) to its encoding; kPlain
// for names without a special encoding.
FieldEncoding EncodingFromSchemaName(std::string_view name, int scale);

// Converts one JSON value to a value of `type` by the rules above. Throws ivm::Error.
ivm::Value JsonToValue(simdjson::ondemand::value json, const ivm::Type& type,
                       FieldEncoding encoding = {});

// Decodes standard base64 (with or without padding). Throws 22P02 on bad input.
std::string DecodeBase64(std::string_view text);

// The value of field `name` of `object`, searched in any order (simdjson's
// find_field_unordered); nullopt when the object has no such field.
std::optional<simdjson::ondemand::value> FindField(simdjson::ondemand::object& object,
                                                   std::string_view name);
// `json` as an object; 22023 "`what` must be a JSON object, not an array" otherwise.
simdjson::ondemand::object ExpectObject(simdjson::ondemand::value json, std::string_view what);
// A string field (nullopt when absent or null); 22023 for another kind of JSON.
std::optional<std::string_view> OptionalString(simdjson::ondemand::object& object,
                                               std::string_view name);
// An integer field (nullopt when absent or null); 22023 for another kind of JSON.
std::optional<int64_t> OptionalInt64(simdjson::ondemand::object& object, std::string_view name);
// A JSON scalar as text: strings unquoted, numbers and booleans as written; nullopt for null;
// objects and arrays as written.
std::optional<std::string> JsonText(simdjson::ondemand::value json);

// A field's name: a view of the input when it has no escapes (no copy), else unescaped.
// Valid until the next document is parsed.
std::string_view FieldName(simdjson::ondemand::field& field);

// JSON kind names for error messages: "an object", "an array", "a string", ...
const char* JsonKindName(simdjson::ondemand::json_type type);

}  // namespace connectors
