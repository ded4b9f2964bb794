// PlainJsonDecoder: append-only JSON rows (Flink's 'json' format, StarRocks routine load).
// A message is one JSON object whose fields name target columns, or, with strip_outer_array,
// an array of such objects. With jsonpaths, path i gives the value of the i-th listed column
// (a missing path is NULL), below json_root when that is set. StarRocks' "__op" (a field,
// or a column in jsonpath_columns) marks a row 0 = upsert (kUpdate without before-image) or
// 1 = delete (kDelete by the row's key); rows without it are inserts.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "connectors/formats/json_message_decoder.h"

namespace connectors {

// "$.a.b" -> "/a/b", "$.a[0]" -> "/a/0", "$['x.y']" -> "/x.y", "$" -> "". Throws 22023.
std::string JsonPathToPointer(std::string_view path);

class PlainJsonDecoder final : public JsonMessageDecoder {
 public:
  // Throws 22023 when jsonpaths and columns do not line up, 42703 for an unknown column.
  PlainJsonDecoder(const FormatOptions& options, const TargetSchema& target);

 protected:
  void DecodeDocument(std::string_view key, simdjson::ondemand::document& doc,
                      ChangeSink* sink) override;

 private:
  static constexpr int kOpColumn = -2;

  void DecodeObject(simdjson::ondemand::object object, ChangeSink* sink);
  void DecodeWithPaths(simdjson::ondemand::document& doc, ChangeSink* sink);
  // One row at JSON pointer `prefix` (paths are appended to it).
  void DecodePathRow(simdjson::ondemand::document& doc, const std::string& prefix,
                     ChangeSink* sink);
  void EmitRow(ivm::Row row, const std::optional<std::string>& op, ChangeSink* sink);

  std::string root_pointer_;
  std::vector<std::string> path_pointers_;
  std::vector<int> path_columns_;  // target column per path, or kOpColumn
  std::string pointer_;            // scratch
};

}  // namespace connectors
