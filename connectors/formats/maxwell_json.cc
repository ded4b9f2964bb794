#include "connectors/formats/maxwell_json.h"

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;
namespace sqlstate = ivm::sqlstate;

enum class MaxwellOp { kInsert, kUpdate, kDelete, kSkip };

MaxwellOp MaxwellOpFromType(std::string_view type) {
  if (type == "insert" || type == "bootstrap-insert") return MaxwellOp::kInsert;
  if (type == "update") return MaxwellOp::kUpdate;
  if (type == "delete") return MaxwellOp::kDelete;
  // bootstrap-start/-complete, and DDL events (database-create, table-alter, ...).
  if (type.starts_with("bootstrap-") || type.starts_with("database-") ||
      type.starts_with("table-")) {
    return MaxwellOp::kSkip;
  }
  throw ivm::Error(sqlstate::kInvalidParameterValue, "unknown Maxwell \"type\" value \"" +
                                                         std::string(type) +
                                                         "\" (expected insert, update or delete)");
}

}  // namespace

MaxwellJsonDecoder::MaxwellJsonDecoder(const FormatOptions& options, const TargetSchema& target)
    : JsonMessageDecoder(options, target),
      filter_(options.database_include, options.table_include) {}

void MaxwellJsonDecoder::DecodeDocument(std::string_view, ondemand::document& doc,
                                        ChangeSink* sink) {
  ondemand::object message = RootObject(doc, "a Maxwell message");
  if (filter_.active() &&
      !filter_.Accepts(OptionalString(message, "database"), OptionalString(message, "table"))) {
    return;
  }
  std::optional<std::string_view> type = OptionalString(message, "type");
  if (!type) {
    throw ivm::Error(sqlstate::kInvalidParameterValue, "not a Maxwell message: no \"type\" field");
  }
  const MaxwellOp op = MaxwellOpFromType(*type);
  if (op == MaxwellOp::kSkip) return;
  if (sink->wants_metadata()) {
    sink->metadata().op = std::string(*type);
    ReadMetadata(message, &sink->metadata());
  }

  const RowConverter& rows = converter();
  std::optional<ondemand::value> data = FindField(message, "data");
  if (!data || data->type() == ondemand::json_type::null) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "a Maxwell " + std::string(*type) + " message has no \"data\" object");
  }
  ivm::Row row = rows.Convert(ExpectObject(*data, "the Maxwell \"data\""));
  switch (op) {
    case MaxwellOp::kInsert:
      rows.RequireKey(row, "a Maxwell insert");
      sink->Insert(std::move(row));
      break;
    case MaxwellOp::kDelete:
      rows.RequireKey(row, "a Maxwell delete");
      sink->Delete(std::move(row));
      break;
    case MaxwellOp::kUpdate: {
      rows.RequireKey(row, "a Maxwell update");
      std::optional<ivm::Row> before;
      std::optional<ondemand::value> old = FindField(message, "old");
      if (old && old->type() != ondemand::json_type::null) {
        before = row;
        rows.Fill(ExpectObject(*old, "the Maxwell \"old\""), &*before);
      } else if (!rows.keyed()) {
        throw ivm::Error(sqlstate::kInvalidParameterValue,
                         "a Maxwell update without \"old\" cannot change a table without a "
                         "primary key");
      }
      sink->Update(std::move(before), std::move(row));
      break;
    }
    case MaxwellOp::kSkip:
      break;
  }
}

void MaxwellJsonDecoder::ReadMetadata(ondemand::object& message, MessageMetadata* meta) {
  std::optional<std::string_view> database = OptionalString(message, "database");
  std::optional<std::string_view> table = OptionalString(message, "table");
  meta->database = database ? std::optional<std::string>(*database) : std::nullopt;
  meta->table = table ? std::optional<std::string>(*table) : std::nullopt;
  std::optional<int64_t> ts = OptionalInt64(message, "ts");
  meta->ingestion_ts_ms = ts ? std::optional<int64_t>(*ts * 1000) : std::nullopt;
  meta->xid = OptionalInt64(message, "xid");
  meta->xoffset = OptionalInt64(message, "xoffset");
  meta->commit = false;
  if (std::optional<ondemand::value> commit = FindField(message, "commit")) {
    meta->commit = commit->type() == ondemand::json_type::boolean && bool(commit->get_bool());
  }
  meta->primary_keys.reset();
  if (std::optional<ondemand::value> pk = FindField(message, "primary_key_columns")) {
    if (pk->type() == ondemand::json_type::array) {
      meta->primary_keys.emplace();
      for (ondemand::value name : pk->get_array()) {
        meta->primary_keys->emplace_back(std::string_view(name.get_string()));
      }
    }
  }
}

}  // namespace connectors
