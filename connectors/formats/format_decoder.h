// FormatDecoder turns one Kafka message (key and value bytes) of a CDC format into row
// changes of a target table. MakeDecoder builds the decoder for a format's options.
//
// Contract of Decode():
// - Appends zero or more changes to *out and, when meta is non-null, exactly one metadata
//   entry per appended change to *meta.
// - A malformed message throws ivm::Error (SQLSTATE 22P02, 22023, 22003, 22007, ... with a
//   message saying what is wrong) and leaves *out and *meta as they were on entry: the
//   caller records the error and skips the message. With ignore_parse_errors the message
//   is skipped silently instead (counted in ignored_messages()).
// - A tombstone (empty value, whitespace, or JSON null) yields no change and no error,
//   except for the upsert format, where it deletes the row of its key.
// - Messages the format marks as not being row changes (DDL, bootstrap markers) and
//   messages rejected by the database/table filters yield nothing.
// Not thread-safe: use one decoder per consuming thread (it reuses its parse buffers).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/change.h"

namespace connectors {

enum class Format { kDebeziumJson, kCanalJson, kMaxwellJson, kUpsertJson, kPlainJson };

// "debezium-json", "debezium", "canal-json", "canal", "maxwell-json", "maxwell",
// "upsert-json", "upsert", "json", "plain" (any case); nullopt otherwise.
std::optional<Format> FormatFromName(std::string_view name);
const char* FormatName(Format format);  // "debezium-json", ...

struct FormatOptions {
  Format format = Format::kPlainJson;

  // Debezium: messages are {"schema": ..., "payload": ...} (Kafka Connect's JsonConverter with
  // schemas.enable). Both envelopes are recognised by shape whatever this says; when a schema
  // block is present its logical types (decimals as bytes, io.debezium.time.*) are used.
  bool schema_include = false;

  // Canal and Maxwell: regular expressions (ECMAScript syntax, matched against the whole
  // name, as Java's Pattern.matches) for the source database and table; empty accepts all.
  // A plain name is a regex matching itself. Rejected messages are skipped before any row is
  // converted.
  std::string database_include;
  std::string table_include;

  // Skip malformed messages silently instead of throwing (Flink's json.ignore-parse-errors).
  bool ignore_parse_errors = false;

  // Plain JSON (StarRocks routine load): "$.a.b" / "$.a[0]" / "$['a']" paths, each giving
  // the value of the column at the same position in jsonpath_columns (or, when that is
  // empty, of the target's columns in order). A column named "__op" takes StarRocks' op
  // flag (0 upsert, 1 delete) instead of a value.
  std::vector<std::string> jsonpaths;
  std::vector<std::string> jsonpath_columns;
  std::string json_root;           // "$.data": rows are read below this path
  bool strip_outer_array = false;  // a top-level JSON array holds several rows

  // Upsert: the Kafka key is a JSON object holding the key columns (key.format = 'json'); a
  // bare scalar is accepted for a one-column key.
  bool key_format_json = true;
};

class FormatDecoder {
 public:
  virtual ~FormatDecoder();

  // See the contract at the top of this file.
  virtual void Decode(std::string_view key, std::string_view value, std::vector<RowChange>* out,
                      std::vector<MessageMetadata>* meta) = 0;

  // Messages skipped because of ignore_parse_errors.
  virtual int64_t ignored_messages() const = 0;
};

// Throws ivm::Error for options that cannot work with the target: 42P16 when the upsert
// format has no primary key, 22023 for a bad regular expression or jsonpath, or when
// jsonpaths and their columns do not line up.
std::unique_ptr<FormatDecoder> MakeDecoder(const FormatOptions& options,
                                           const TargetSchema& target);

}  // namespace connectors
