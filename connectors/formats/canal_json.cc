#include "connectors/formats/canal_json.h"

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;
namespace sqlstate = ivm::sqlstate;

enum class CanalOp { kInsert, kUpdate, kDelete, kSkip };

// Canal's EventType names. Everything but row changes is skipped.
CanalOp CanalOpFromType(std::string_view type) {
  if (type == "INSERT") return CanalOp::kInsert;
  if (type == "UPDATE") return CanalOp::kUpdate;
  if (type == "DELETE") return CanalOp::kDelete;
  static constexpr std::string_view kSkipped[] = {
      "CREATE", "ALTER",  "ERASE", "QUERY",    "TRUNCATE",   "RENAME",
      "CINDEX", "DINDEX", "GTID",  "XACOMMIT", "XAROLLBACK", "MHEARTBEAT"};
  for (std::string_view s : kSkipped) {
    if (type == s) return CanalOp::kSkip;
  }
  throw ivm::Error(sqlstate::kInvalidParameterValue,
                   "unknown Canal \"type\" value \"" + std::string(type) +
                       "\" (expected INSERT, UPDATE, DELETE or a DDL type)");
}

}  // namespace

CanalJsonDecoder::CanalJsonDecoder(const FormatOptions& options, const TargetSchema& target)
    : JsonMessageDecoder(options, target),
      filter_(options.database_include, options.table_include) {}

void CanalJsonDecoder::DecodeDocument(std::string_view, ondemand::document& doc, ChangeSink* sink) {
  ondemand::object message = RootObject(doc, "a Canal message");
  if (std::optional<ondemand::value> ddl = FindField(message, "isDdl")) {
    if (ddl->type() == ondemand::json_type::boolean && bool(ddl->get_bool())) return;
  }
  if (filter_.active() &&
      !filter_.Accepts(OptionalString(message, "database"), OptionalString(message, "table"))) {
    return;
  }
  std::optional<std::string_view> type = OptionalString(message, "type");
  if (!type) {
    throw ivm::Error(sqlstate::kInvalidParameterValue, "not a Canal message: no \"type\" field");
  }
  const CanalOp op = CanalOpFromType(*type);
  if (op == CanalOp::kSkip) return;
  if (sink->wants_metadata()) {
    sink->metadata().op = std::string(*type);
    ReadMetadata(message, &sink->metadata());
  }

  const RowConverter& rows = converter();
  std::optional<ondemand::value> data = FindField(message, "data");
  if (!data || data->type() != ondemand::json_type::array) {
    throw ivm::Error(sqlstate::kInvalidParameterValue, "the \"data\" field of a Canal " +
                                                           std::string(*type) +
                                                           " message must be an array of rows");
  }
  rows_.clear();
  for (ondemand::value element : data->get_array()) {
    rows_.push_back(rows.Convert(ExpectObject(element, "a Canal \"data\" row")));
  }

  if (op == CanalOp::kInsert) {
    for (ivm::Row& row : rows_) {
      rows.RequireKey(row, "a row of a Canal INSERT");
      sink->Insert(std::move(row));
    }
    return;
  }
  if (op == CanalOp::kDelete) {
    for (ivm::Row& row : rows_) {
      rows.RequireKey(row, "a row of a Canal DELETE");
      sink->Delete(std::move(row));
    }
    return;
  }

  // UPDATE: before-images from "old", entry i for row i.
  std::vector<std::optional<ivm::Row>> befores(rows_.size());
  std::optional<ondemand::value> old = FindField(message, "old");
  if (old && old->type() != ondemand::json_type::null) {
    if (old->type() != ondemand::json_type::array) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "the \"old\" field of a Canal UPDATE must be an array");
    }
    size_t i = 0;
    for (ondemand::value element : old->get_array()) {
      if (i >= rows_.size()) {
        throw ivm::Error(sqlstate::kInvalidParameterValue,
                         "a Canal UPDATE has more \"old\" entries than \"data\" rows");
      }
      befores[i] = rows_[i];
      rows.Fill(ExpectObject(element, "a Canal \"old\" entry"), &*befores[i]);
      ++i;
    }
    if (i != rows_.size()) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "a Canal UPDATE has " + std::to_string(i) + " \"old\" entries for " +
                           std::to_string(rows_.size()) + " \"data\" rows");
    }
  } else if (!rows.keyed()) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "a Canal UPDATE without \"old\" cannot change a table without a primary "
                     "key");
  }
  for (size_t i = 0; i < rows_.size(); ++i) {
    rows.RequireKey(rows_[i], "a row of a Canal UPDATE");
    sink->Update(std::move(befores[i]), std::move(rows_[i]));
  }
}

void CanalJsonDecoder::ReadMetadata(ondemand::object& message, MessageMetadata* meta) {
  std::optional<std::string_view> database = OptionalString(message, "database");
  std::optional<std::string_view> table = OptionalString(message, "table");
  meta->database = database ? std::optional<std::string>(*database) : std::nullopt;
  meta->table = table ? std::optional<std::string>(*table) : std::nullopt;
  meta->ingestion_ts_ms = OptionalInt64(message, "ts");
  meta->event_ts_ms = OptionalInt64(message, "es");
  meta->primary_keys.reset();
  if (std::optional<ondemand::value> pk = FindField(message, "pkNames")) {
    if (pk->type() == ondemand::json_type::array) {
      meta->primary_keys.emplace();
      for (ondemand::value name : pk->get_array()) {
        meta->primary_keys->emplace_back(std::string_view(name.get_string()));
      }
    }
  }
  meta->sql_types.clear();
  if (std::optional<ondemand::value> types = FindField(message, "sqlType")) {
    if (types->type() == ondemand::json_type::object) {
      for (auto field : types->get_object()) {
        std::string name(std::string_view(field.unescaped_key()));
        meta->sql_types.emplace_back(std::move(name),
                                     static_cast<int>(int64_t(field.value().get_int64())));
      }
    }
  }
}

}  // namespace connectors
