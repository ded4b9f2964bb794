// The catalog model: tables and materialized views with their columns, keys and
// dependencies. A Catalog value is immutable once published: the engine copies it to make
// a change and publishes the new version with the step that commits it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ivm/types.h"

namespace sql {

inline constexpr const char* kDefaultSchema = "public";
inline constexpr const char* kSystemSchema = "pg_catalog";

struct ColumnInfo {
  std::string name;
  ivm::Type type;
  bool not_null = false;
};

// A view (CREATE VIEW) is a stored query, expanded wherever it is read; a materialized
// view keeps its rows, maintained incrementally.
enum class RelationKind { kTable, kMaterializedView, kView };

// Where a Kafka-fed table's rows come from, as declared in any of the three dialects
// (RisingWave WITH ... FORMAT ... ENCODE, Flink WITH ('connector'=...), StarRocks
// CREATE ROUTINE LOAD), normalised. Empty connector: an ordinary table.
struct SourceSpec {
  std::string connector;  // "kafka" or "upsert-kafka"
  std::string topic;
  std::string bootstrap_servers;
  std::string group_id;
  std::string startup_mode = "earliest";  // earliest | latest | group-offsets
  std::string format;                     // debezium | canal | maxwell | upsert | plain
  bool schema_include = false;            // Debezium {"schema":..., "payload":...}
  std::string database_include;           // Canal filters (regular expressions)
  std::string table_include;
  bool ignore_parse_errors = false;
  bool stop_on_error = false;          // 'on.error'='stop' pauses the source
  std::vector<std::string> jsonpaths;  // routine load: "$.a" per listed column
  std::vector<int> load_columns;       // routine load COLUMNS (...): column indexes, -1 for __op
  bool strip_outer_array = false;      // routine load: a message is a JSON array of rows
  std::string json_root;               // routine load: rows are read below this path
  std::vector<std::pair<int, std::string>> metadata;  // column index -> metadata key
  std::map<std::string, std::string> properties;      // passed to librdkafka
  std::string job;                                    // routine load job name
  bool paused = false;  // PAUSE ROUTINE LOAD: declared, but not consuming until RESUME

  bool empty() const { return connector.empty(); }
  bool is_routine_load() const { return !job.empty(); }
};

struct RelationInfo {
  uint64_t id = 0;
  RelationKind kind = RelationKind::kTable;
  std::string schema = kDefaultSchema;
  std::string name;
  std::vector<ColumnInfo> columns;
  std::vector<int> primary_key;   // column indexes; empty for a keyless (multiset) relation
  std::string definition;         // view or materialized view: its query text
  std::vector<uint64_t> inputs;   // materialized view: the relations it reads, per source;
                                  // view: the stored relations its query reads
  std::vector<uint64_t> view_references;  // (materialized) view: the views its query expands
  // Materialized view: no two of its rows share their first `unique_prefix` columns
  // (inferred from its plan: a base table's key kept, or the GROUP BY keys); 0: unknown.
  int unique_prefix = 0;
  // Materialized view: its rows are stored under their first `unique_prefix` columns, so
  // that a changed row replaces the old one under the same key instead of leaving a
  // deleted key behind for every later scan to step over. Views from catalogs before
  // version 6 key each row by the whole row.
  bool keyed_rows = false;
  uint64_t plan_fingerprint = 0;  // materialized view: fingerprint of its circuit
  SourceSpec source;              // a table fed by a connector (read-only to DML)
  bool system = false;            // a built-in pg_catalog relation (tributary_sources, ...)
  std::string owner;              // the role that created it; empty: the bootstrap superuser
  std::vector<std::string> select_grantees;  // roles granted SELECT; "public" is PUBLIC

  bool is_table() const { return kind == RelationKind::kTable; }
  bool is_view() const { return kind == RelationKind::kView; }
  bool is_materialized_view() const { return kind == RelationKind::kMaterializedView; }
  int FindColumn(std::string_view column) const;
  // The columns its stored rows are keyed by: the primary key, or a materialized view's
  // unique prefix; empty when each row is keyed by the whole row (a multiset).
  std::vector<int> StorageKey() const;
  // "table", "view" or "materialized view", for messages.
  const char* KindName() const;
};

// A role (CREATE ROLE / USER). `secret` is PostgreSQL's rolpassword form
// ("SCRAM-SHA-256$...", "md5...") or empty: the password itself is never stored.
struct RoleInfo {
  std::string name;
  bool login = false;
  bool superuser = false;
  std::string secret;
};

inline constexpr const char* kPublicGrantee = "public";

class Catalog {
 public:
  // Looks a relation up by name. An empty schema searches the default schema, then
  // pg_catalog (which is always on the search path, as in PostgreSQL).
  const RelationInfo* Find(std::string_view schema, std::string_view name) const;
  const RelationInfo* FindById(uint64_t id) const;
  // Relations whose definitions read `id` directly (views expanded in them count).
  std::vector<const RelationInfo*> Dependents(uint64_t id) const;
  std::vector<const RelationInfo*> All() const;

  void Put(RelationInfo relation);
  void Remove(uint64_t id);

  // Roles, by name (pg_roles is built from Roles()).
  const RoleInfo* FindRole(std::string_view name) const;
  std::vector<const RoleInfo*> Roles() const;
  void PutRole(RoleInfo role);
  void RemoveRole(std::string_view name);

  // Privileges, as of this catalog version. A superuser may do anything; a relation's
  // owner may read and write it; others may read it when granted SELECT (to them or to
  // PUBLIC). pg_catalog relations are readable by everyone.
  bool IsSuperuser(std::string_view role) const;
  bool CanSelect(std::string_view role, const RelationInfo& relation) const;
  bool IsOwner(std::string_view role, const RelationInfo& relation) const;

 private:
  std::map<uint64_t, std::shared_ptr<const RelationInfo>> by_id_;
  std::map<std::string, std::shared_ptr<const RoleInfo>, std::less<>> roles_;
};

}  // namespace sql
