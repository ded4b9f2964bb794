#include "connectors/formats/format_decoder.h"

#include <cctype>
#include <string>

#include "connectors/formats/canal_json.h"
#include "connectors/formats/debezium_json.h"
#include "connectors/formats/maxwell_json.h"
#include "connectors/formats/plain_json.h"
#include "connectors/formats/upsert_json.h"
#include "ivm/error.h"

namespace connectors {
namespace {

namespace sqlstate = ivm::sqlstate;

void CheckTarget(const TargetSchema& target) {
  if (target.names.size() != target.types.size() || target.names.empty()) {
    throw ivm::Error(sqlstate::kInternalError,
                     "a decoder's target needs one type per column name, and a column");
  }
  for (int k : target.key) {
    if (k < 0 || k >= static_cast<int>(target.names.size())) {
      throw ivm::Error(sqlstate::kInternalError,
                       "a decoder's key column " + std::to_string(k) + " does not exist");
    }
  }
}

}  // namespace

std::optional<Format> FormatFromName(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "debezium-json" || n == "debezium") return Format::kDebeziumJson;
  if (n == "canal-json" || n == "canal") return Format::kCanalJson;
  if (n == "maxwell-json" || n == "maxwell") return Format::kMaxwellJson;
  if (n == "upsert-json" || n == "upsert") return Format::kUpsertJson;
  if (n == "json" || n == "plain" || n == "plain-json") return Format::kPlainJson;
  return std::nullopt;
}

const char* FormatName(Format format) {
  switch (format) {
    case Format::kDebeziumJson:
      return "debezium-json";
    case Format::kCanalJson:
      return "canal-json";
    case Format::kMaxwellJson:
      return "maxwell-json";
    case Format::kUpsertJson:
      return "upsert-json";
    case Format::kPlainJson:
      return "json";
  }
  return "json";
}

std::unique_ptr<FormatDecoder> MakeDecoder(const FormatOptions& options,
                                           const TargetSchema& target) {
  CheckTarget(target);
  const bool filters = !options.database_include.empty() || !options.table_include.empty();
  if (filters && options.format != Format::kCanalJson && options.format != Format::kMaxwellJson) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     std::string("database and table include filters apply to canal-json and "
                                 "maxwell-json, not to ") +
                         FormatName(options.format));
  }
  const bool paths = !options.jsonpaths.empty() || !options.jsonpath_columns.empty() ||
                     !options.json_root.empty() || options.strip_outer_array;
  if (paths && options.format != Format::kPlainJson) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     std::string("jsonpaths, json_root and strip_outer_array apply to plain "
                                 "JSON, not to ") +
                         FormatName(options.format));
  }
  switch (options.format) {
    case Format::kDebeziumJson:
      return std::make_unique<DebeziumJsonDecoder>(options, target);
    case Format::kCanalJson:
      return std::make_unique<CanalJsonDecoder>(options, target);
    case Format::kMaxwellJson:
      return std::make_unique<MaxwellJsonDecoder>(options, target);
    case Format::kUpsertJson:
      if (target.key.empty()) {
        throw ivm::Error(sqlstate::kInvalidTableDefinition,
                         "the upsert format needs a table with a primary key", {},
                         "Declare PRIMARY KEY (...) NOT ENFORCED on the table.");
      }
      if (!options.key_format_json) {
        throw ivm::Error(sqlstate::kFeatureNotSupported,
                         "the upsert format supports only key.format = 'json'");
      }
      return std::make_unique<UpsertJsonDecoder>(options, target);
    case Format::kPlainJson:
      return std::make_unique<PlainJsonDecoder>(options, target);
  }
  throw ivm::Error(sqlstate::kInternalError, "unknown format");
}

}  // namespace connectors
