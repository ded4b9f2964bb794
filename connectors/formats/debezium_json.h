// DebeziumJsonDecoder: Debezium change events as JSON, bare ({"before","after","source","op",
// "ts_ms",...}) or wrapped by Kafka Connect's JsonConverter ({"schema":...,"payload":...}).
//
// - op "c" and "r" (snapshot read) are inserts of "after"; "u" an update; "d" a delete of
//   "before". Other ops are errors ("t", truncate, is 0A000).
// - A schema block, when present before the payload, supplies logical types: decimals as
//   base64 bytes, io.debezium.time.* (see json_values.h). Its parse is cached while the
//   block stays byte-for-byte the same.
// - Missing before-images (PostgreSQL without REPLICA IDENTITY FULL): an update with a null
//   "before" becomes an upsert of "after" by key on a keyed table (before = nullopt); on a
//   keyless table it is an error. A delete needs a "before" with the key: otherwise it is
//   an error (22023) whose hint asks for REPLICA IDENTITY FULL.
// - {"schema":...,"payload":null} is a tombstone.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/formats/json_message_decoder.h"

namespace connectors {

class DebeziumJsonDecoder final : public JsonMessageDecoder {
 public:
  DebeziumJsonDecoder(const FormatOptions& options, const TargetSchema& target);

 protected:
  void DecodeDocument(std::string_view key, simdjson::ondemand::document& doc,
                      ChangeSink* sink) override;

 private:
  struct Envelope {
    bool wrapped = false;       // a "payload" field was seen
    bool null_payload = false;  // "payload": null
    std::optional<std::string_view> op;
    std::optional<ivm::Row> before;
    std::optional<ivm::Row> after;
  };

  void ReadEnvelopeField(std::string_view name, simdjson::ondemand::value value, Envelope* env,
                         ChangeSink* sink);
  std::optional<ivm::Row> ReadRow(std::string_view name, simdjson::ondemand::value value);
  void ReadSource(simdjson::ondemand::value value, MessageMetadata* meta);
  // Sets encodings_ from a schema block (cached by its text).
  void UseSchema(std::string_view schema_json);
  void Apply(Envelope* env, ChangeSink* sink);

  const FieldEncoding* encodings_ = nullptr;  // per target column, for the current message
  std::string schema_text_;                   // the block schema_encodings_ was built from
  std::vector<FieldEncoding> schema_encodings_;
  bool schema_has_encodings_ = false;
  simdjson::dom::parser schema_parser_;
};

}  // namespace connectors
