#include "server/catalog_oids.h"

#include <string>

namespace server {

namespace {
constexpr uint64_t kBuiltinIdBase = uint64_t{1} << 62;
}  // namespace

int64_t NamespaceOid(std::string_view schema) {
  if (schema == sql::kSystemSchema) return kPgCatalogNamespaceOid;
  if (schema == kInformationSchema) return kInformationSchemaNamespaceOid;
  return kPublicNamespaceOid;
}

int64_t RelationOid(const sql::RelationInfo& rel) {
  if (rel.id >= kBuiltinIdBase) return 10000 + 4 * static_cast<int64_t>(rel.id - kBuiltinIdBase);
  return 16384 + 4 * static_cast<int64_t>(rel.id);
}

OidTarget ResolveOid(const sql::Catalog& catalog, int64_t oid) {
  uint64_t id = 0;
  if (oid >= 16388) {
    id = static_cast<uint64_t>((oid - 16384) / 4);
  } else if (oid >= 10000 && oid < 16384) {
    id = kBuiltinIdBase + static_cast<uint64_t>((oid - 10000) / 4);
  } else {
    return {};
  }
  const sql::RelationInfo* rel = catalog.FindById(id);
  if (!rel) return {};
  using K = OidTarget::Kind;
  switch (oid - RelationOid(*rel)) {
    case 0:
      return {K::kRelation, rel};
    case 1:
      return rel->primary_key.empty() ? OidTarget{} : OidTarget{K::kPrimaryKeyIndex, rel};
    case 2:
      return rel->primary_key.empty() ? OidTarget{} : OidTarget{K::kPrimaryKeyConstraint, rel};
    default:
      return {K::kRowType, rel};
  }
}

std::string PrimaryKeyName(const sql::RelationInfo& rel) { return rel.name + "_pkey"; }

}  // namespace server
