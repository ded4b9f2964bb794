#include "server/system_tables.h"

namespace server {
namespace {

using ivm::TypeId;
using ivm::Value;

ivm::Type T(TypeId id) { return ivm::Type::Of(id); }

// Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
constexpr int64_t kUnixToPostgresEpochMicros = 946684800LL * 1000000;

Value TextOrNull(const std::optional<std::string>& s) {
  return s ? Value::Text(*s) : Value::Null(TypeId::kText);
}

}  // namespace

ivm::Value TimestampTzFromUnixMs(int64_t unix_ms) {
  return Value::TimestampTz(unix_ms * 1000 - kUnixToPostgresEpochMicros);
}

void AddSystemTables(sql::Catalog* catalog) {
  sql::RelationInfo sources;
  sources.id = kSourcesTableId;
  sources.schema = sql::kSystemSchema;
  sources.name = "tributary_sources";
  sources.system = true;
  sources.columns = {
      {"name", T(TypeId::kText), true},          {"kind", T(TypeId::kText), true},
      {"table_name", T(TypeId::kText), true},    {"topic", T(TypeId::kText), true},
      {"format", T(TypeId::kText), true},        {"status", T(TypeId::kText), true},
      {"partitions", T(TypeId::kInt32), true},   {"offsets", T(TypeId::kText), true},
      {"lag", T(TypeId::kInt64), true},          {"messages", T(TypeId::kInt64), true},
      {"rows_applied", T(TypeId::kInt64), true}, {"errors", T(TypeId::kInt64), true},
      {"last_error", T(TypeId::kText), false},   {"updated_at", T(TypeId::kTimestampTz), true}};
  sources.primary_key = {0};
  catalog->Put(std::move(sources));

  sql::RelationInfo errors;
  errors.id = kSourceErrorsTableId;
  errors.schema = sql::kSystemSchema;
  errors.name = "tributary_source_errors";
  errors.system = true;
  errors.columns = {{"source", T(TypeId::kText), true},
                    {"seq", T(TypeId::kInt64), true},
                    {"topic", T(TypeId::kText), true},
                    {"partition", T(TypeId::kInt32), true},
                    {"offset", T(TypeId::kInt64), true},
                    {"sqlstate", T(TypeId::kText), true},
                    {"error", T(TypeId::kText), true},
                    {"payload", T(TypeId::kText), true},
                    {"recorded_at", T(TypeId::kTimestampTz), true}};
  errors.primary_key = {0, 1};
  catalog->Put(std::move(errors));
}

std::string FormatOffsets(const std::map<int32_t, int64_t>& offsets) {
  std::string out;
  for (const auto& [partition, offset] : offsets) {
    if (!out.empty()) out += ",";
    out += std::to_string(partition) + ":" + std::to_string(offset);
  }
  return out;
}

ivm::Row SourceRow::ToRow() const {
  return {Value::Text(name),          Value::Text(kind),
          Value::Text(table_name),    Value::Text(topic),
          Value::Text(format),        Value::Text(status),
          Value::Int32(partitions),   Value::Text(FormatOffsets(offsets)),
          Value::Int64(lag),          Value::Int64(messages),
          Value::Int64(rows_applied), Value::Int64(errors),
          TextOrNull(last_error),     TimestampTzFromUnixMs(updated_unix_ms)};
}

SourceRow SourceRow::FromRow(const ivm::Row& row) {
  SourceRow s;
  s.name = row[0].string_value();
  s.kind = row[1].string_value();
  s.table_name = row[2].string_value();
  s.topic = row[3].string_value();
  s.format = row[4].string_value();
  s.status = row[5].string_value();
  s.partitions = static_cast<int32_t>(row[6].int_value());
  const std::string& offsets = row[7].string_value();
  size_t pos = 0;
  while (pos < offsets.size()) {
    size_t colon = offsets.find(':', pos);
    size_t comma = offsets.find(',', pos);
    if (comma == std::string::npos) comma = offsets.size();
    if (colon == std::string::npos || colon > comma) break;
    s.offsets[std::stoi(offsets.substr(pos, colon - pos))] =
        std::stoll(offsets.substr(colon + 1, comma - colon - 1));
    pos = comma + 1;
  }
  s.lag = row[8].int_value();
  s.messages = row[9].int_value();
  s.rows_applied = row[10].int_value();
  s.errors = row[11].int_value();
  if (!row[12].is_null()) s.last_error = row[12].string_value();
  s.updated_unix_ms = (row[13].int_value() + kUnixToPostgresEpochMicros) / 1000;
  return s;
}

ivm::Row SourceErrorRow(const std::string& source, const std::string& topic, int32_t partition,
                        int64_t offset, const std::string& sqlstate, const std::string& error,
                        const std::string& payload_prefix, int64_t seq, int64_t unix_ms) {
  return {Value::Text(source),     Value::Int64(seq),           Value::Text(topic),
          Value::Int32(partition), Value::Int64(offset),        Value::Text(sqlstate),
          Value::Text(error),      Value::Text(payload_prefix), TimestampTzFromUnixMs(unix_ms)};
}

}  // namespace server
