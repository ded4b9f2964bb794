// UpsertJsonDecoder: Flink's upsert-kafka with key.format = 'json'. The Kafka key holds the
// key columns (a JSON object, or a bare scalar for a one-column key); the value is the whole
// row, which replaces the row stored for its key (a kUpdate without before-image). A
// tombstone value deletes the row of its key. Key columns come from the Kafka key when it
// is present (it wins over the value), else from the value. REQUIRES: a keyed target.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

#include "connectors/formats/json_message_decoder.h"

namespace connectors {

class UpsertJsonDecoder final : public JsonMessageDecoder {
 public:
  UpsertJsonDecoder(const FormatOptions& options, const TargetSchema& target);

 protected:
  void DecodeMessage(std::string_view key, std::string_view value, ChangeSink* sink) override;
  void DecodeDocument(std::string_view key, simdjson::ondemand::document& doc,
                      ChangeSink* sink) override;
  void DecodeTombstone(std::string_view key, ChangeSink* sink) override;

 private:
  // The key columns of the Kafka key in a row of NULLs; nullopt for an empty key.
  std::optional<ivm::Row> DecodeKey(std::string_view key);
};

}  // namespace connectors
