// CanalJsonDecoder: Alibaba Canal's flat JSON messages. One message holds several rows of one
// statement ("data" is an array); values are usually JSON strings, converted by the target
// column types. An UPDATE's "old" array holds, per row, only the changed columns: the
// before-image is the "data" row with its "old" entry laid over it (a key present with
// null means the old value was NULL). DDL messages (isDdl true, or a DDL "type") are
// skipped. The database/table filters run before any row is converted. Canal's message
// "id" is not unique and is not used.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "connectors/formats/json_message_decoder.h"
#include "connectors/formats/table_filter.h"

namespace connectors {

class CanalJsonDecoder final : public JsonMessageDecoder {
 public:
  CanalJsonDecoder(const FormatOptions& options, const TargetSchema& target);

 protected:
  void DecodeDocument(std::string_view key, simdjson::ondemand::document& doc,
                      ChangeSink* sink) override;

 private:
  void ReadMetadata(simdjson::ondemand::object& message, MessageMetadata* meta);

  TableFilter filter_;
  std::vector<ivm::Row> rows_;  // the "data" rows of the current message (reused)
};

}  // namespace connectors
