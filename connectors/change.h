// RowChange: one decoded change to a table, independent of Kafka and of the wire format.
// TargetSchema: the table a decoder fills. MessageMetadata: what a format says about the
// message (source database and table, timestamps, transaction markers) for METADATA columns.
//
// Rows are always in the target table's column order and types. For a keyed table the
// engine applies every change by key (DESIGN.md, "A keyed table is a map"), so a before-image
// only has to carry the key: it may be partial or stale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ivm/types.h"
#include "ivm/value.h"

namespace connectors {

struct RowChange {
  enum class Kind { kInsert, kUpdate, kDelete };

  // kInsert: `after` only. kUpdate: `after`, and `before` when the source sent one (it may be
  // partial; without it the update is an upsert of `after` by key). kDelete: `before`, whose
  // key columns are set (other columns may be NULL when the source sent only the key).
  Kind kind = Kind::kInsert;
  std::optional<ivm::Row> before;
  std::optional<ivm::Row> after;
};

struct TargetSchema {
  std::vector<std::string> names;
  std::vector<ivm::Type> types;
  std::vector<int> key;  // primary-key column indexes; empty for a keyless table
};

// Per change, what its message said about where it came from. Fields a format does not
// carry stay empty. Timestamps are milliseconds since 1970-01-01 UTC.
struct MessageMetadata {
  std::string op;  // as written: "c", "r", "u", "d" / "INSERT", ... / "insert", ... / "0", "1"
  std::optional<std::string> database;     // Debezium source.db, Canal/Maxwell "database"
  std::optional<std::string> schema;       // Debezium source.schema (PostgreSQL)
  std::optional<std::string> table;        // Debezium source.table, Canal/Maxwell "table"
  std::optional<int64_t> ingestion_ts_ms;  // Debezium payload.ts_ms, Canal ts, Maxwell ts*1000
  std::optional<int64_t> event_ts_ms;      // Debezium source.ts_ms, Canal es

  // Debezium: the "schema" block as written (debezium-json.schema), and every property of
  // "source" with its value as text (debezium-json.source.properties; JSON null is nullopt).
  std::optional<std::string> schema_json;
  std::vector<std::pair<std::string, std::optional<std::string>>> source_properties;

  // Canal pkNames, Maxwell primary_key_columns (nullopt when the message has none).
  std::optional<std::vector<std::string>> primary_keys;
  // Canal sqlType: column name -> JDBC type code.
  std::vector<std::pair<std::string, int>> sql_types;

  // Maxwell transaction markers: every row of a transaction has its xid; all but the last
  // have xoffset, the last has commit = true.
  std::optional<int64_t> xid;
  std::optional<int64_t> xoffset;
  bool commit = false;
};

}  // namespace connectors
