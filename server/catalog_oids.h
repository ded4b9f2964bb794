// Oids of catalog objects, derived from catalog ids so an oid a client cached stays valid
// across restarts: a relation with id n has oid 16384 + 4n, its primary key's index +1, the
// primary key constraint +2, its row type +3. Built-in relations (ids from 2^62) get oids
// below 16384, as PostgreSQL's own objects do. Namespaces, the database and the bootstrap
// role use PostgreSQL's well-known oids.
#pragma once

#include <cstdint>
#include <string_view>

#include "sql/catalog.h"

namespace server {

inline constexpr int64_t kPgCatalogNamespaceOid = 11;
inline constexpr int64_t kPublicNamespaceOid = 2200;
inline constexpr int64_t kInformationSchemaNamespaceOid = 13000;
inline constexpr int64_t kBootstrapRoleOid = 10;
inline constexpr int64_t kDatabaseOid = 16384;
inline constexpr int64_t kHeapAmOid = 2;
inline constexpr int64_t kBtreeAmOid = 403;
inline constexpr int64_t kDefaultCollationOid = 100;
inline constexpr int64_t kPgClassOid = 1259;  // pg_description.classoid of relations

inline constexpr const char* kInformationSchema = "information_schema";

int64_t NamespaceOid(std::string_view schema);
int64_t RelationOid(const sql::RelationInfo& rel);
inline int64_t PrimaryKeyIndexOid(const sql::RelationInfo& rel) { return RelationOid(rel) + 1; }
inline int64_t PrimaryKeyConstraintOid(const sql::RelationInfo& rel) {
  return RelationOid(rel) + 2;
}
inline int64_t RowTypeOid(const sql::RelationInfo& rel) { return RelationOid(rel) + 3; }

// What an oid names.
struct OidTarget {
  enum class Kind { kNone, kRelation, kPrimaryKeyIndex, kPrimaryKeyConstraint, kRowType };
  Kind kind = Kind::kNone;
  const sql::RelationInfo* relation = nullptr;
};
OidTarget ResolveOid(const sql::Catalog& catalog, int64_t oid);

// "t_pkey", as PostgreSQL names a table's primary key.
std::string PrimaryKeyName(const sql::RelationInfo& rel);

}  // namespace server
