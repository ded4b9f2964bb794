// The built-in relations of pg_catalog that Tributary keeps itself: tributary_sources (one
// row per Kafka-fed table or routine load) and tributary_source_errors (messages a source
// skipped). They are stored like tables, written by the engine in the same atomic step as
// the rows and offsets they describe, so a reader sees them consistent with every table and
// view. Read-only to users (42501).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "ivm/value.h"
#include "sql/catalog.h"

namespace server {

// Ids above every id the engine hands out (next_id_ counts up from 1).
inline constexpr uint64_t kSourcesTableId = (uint64_t{1} << 62) + 1;
inline constexpr uint64_t kSourceErrorsTableId = (uint64_t{1} << 62) + 2;

// Each source keeps its newest kErrorsKept error rows; older ones are deleted.
inline constexpr int64_t kErrorsKept = 10000;

// Puts the system relations into `catalog`.
void AddSystemTables(sql::Catalog* catalog);

// One row of tributary_sources, typed.
struct SourceRow {
  std::string name;        // the table's name, or the routine load job's
  std::string kind;        // "table" or "routine load"
  std::string table_name;  // the table it feeds
  std::string topic;
  std::string format;                  // "debezium-json", ...
  std::string status;                  // running | paused | retrying | stopped
  int32_t partitions = 0;              // partitions assigned
  std::map<int32_t, int64_t> offsets;  // next offset per partition (stored with the rows)
  int64_t lag = 0;                     // messages behind the high watermarks when last polled
  int64_t messages = 0;                // messages consumed (applied, skipped or empty)
  int64_t rows_applied = 0;            // row changes applied to the table
  int64_t errors = 0;  // messages skipped because of an error (also the last error's seq)
  std::optional<std::string> last_error;
  int64_t updated_unix_ms = 0;

  ivm::Row ToRow() const;
  static SourceRow FromRow(const ivm::Row& row);
};

// "0:15,1:20": partition:next offset, ascending partitions.
std::string FormatOffsets(const std::map<int32_t, int64_t>& offsets);

// One row of tributary_source_errors.
ivm::Row SourceErrorRow(const std::string& source, const std::string& topic, int32_t partition,
                        int64_t offset, const std::string& sqlstate, const std::string& error,
                        const std::string& payload_prefix, int64_t seq, int64_t unix_ms);

// A timestamptz value from milliseconds since 1970-01-01 UTC.
ivm::Value TimestampTzFromUnixMs(int64_t unix_ms);

}  // namespace server
