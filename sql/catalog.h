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

struct ColumnInfo {
  std::string name;
  ivm::Type type;
  bool not_null = false;
};

enum class RelationKind { kTable, kMaterializedView };

struct RelationInfo {
  uint64_t id = 0;
  RelationKind kind = RelationKind::kTable;
  std::string schema = kDefaultSchema;
  std::string name;
  std::vector<ColumnInfo> columns;
  std::vector<int> primary_key;   // column indexes; empty for a keyless (multiset) relation
  std::string definition;         // materialized view: its query text
  std::vector<uint64_t> inputs;   // materialized view: the relations it reads, per source
  uint64_t plan_fingerprint = 0;  // materialized view: fingerprint of its circuit

  bool is_table() const { return kind == RelationKind::kTable; }
  int FindColumn(std::string_view column) const;
  // "table" or "materialized view", for messages.
  const char* KindName() const;
};

class Catalog {
 public:
  // Looks a relation up by name; an empty schema means the default one.
  const RelationInfo* Find(std::string_view schema, std::string_view name) const;
  const RelationInfo* FindById(uint64_t id) const;
  // Relations whose definitions read `id` directly.
  std::vector<const RelationInfo*> Dependents(uint64_t id) const;
  std::vector<const RelationInfo*> All() const;

  void Put(RelationInfo relation);
  void Remove(uint64_t id);

 private:
  std::map<uint64_t, std::shared_ptr<const RelationInfo>> by_id_;
};

}  // namespace sql
