// pg_catalog and information_schema as relations of the catalog: AddCatalogRelations puts
// them in (ids in a reserved range), ReadCatalogRelation computes one's rows for a read.
// They are system relations: read-only (42501), and views may not read them (0A000).
#pragma once

#include <cstdint>

#include "ivm/zset.h"
#include "sql/catalog.h"

namespace server {

inline constexpr uint64_t kCatalogRelationIdBase = (uint64_t{1} << 62) + 1000;

void AddCatalogRelations(sql::Catalog* catalog);
bool IsCatalogRelation(uint64_t id);
// The rows of catalog relation `id` over `catalog`, for the session of the thread's
// QueryContext (defaults without one).
ivm::ZSet ReadCatalogRelation(uint64_t id, const sql::Catalog& catalog);

}  // namespace server
