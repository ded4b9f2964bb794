// MaxwellJsonDecoder: Maxwell's daemon JSON, one row per message ("data" is an object).
// "type" is insert, update or delete (bootstrap-insert counts as insert; bootstrap markers
// and DDL types are skipped). An update's "old" holds only the changed columns: the
// before-image is "data" with "old" laid over it. "ts" is in seconds. Transaction markers
// (xid, xoffset, commit) go to the metadata. The database/table filters apply as for Canal.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "connectors/formats/json_message_decoder.h"
#include "connectors/formats/table_filter.h"

namespace connectors {

class MaxwellJsonDecoder final : public JsonMessageDecoder {
 public:
  MaxwellJsonDecoder(const FormatOptions& options, const TargetSchema& target);

 protected:
  void DecodeDocument(std::string_view key, simdjson::ondemand::document& doc,
                      ChangeSink* sink) override;

 private:
  void ReadMetadata(simdjson::ondemand::object& message, MessageMetadata* meta);

  TableFilter filter_;
};

}  // namespace connectors
