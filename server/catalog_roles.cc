#include "server/catalog_roles.h"

#include "server/catalog_oids.h"

namespace server {
namespace {

constexpr const char* kBootstrapRole = "tributary";

}  // namespace

// FNV-1a of the name, in [2^30, 2^31): the same oid for the same role across restarts.
int64_t RoleOid(std::string_view name) {
  if (name.empty() || name == kBootstrapRole) return kBootstrapRoleOid;
  uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return (int64_t{1} << 30) + (h & ((1u << 30) - 1));
}

std::string OwnerName(const sql::RelationInfo& relation) {
  return relation.owner.empty() ? kBootstrapRole : relation.owner;
}

std::vector<CatalogRole> ListRoles(const sql::Catalog& catalog) {
  std::vector<CatalogRole> roles = {{kBootstrapRoleOid, kBootstrapRole, true, true}};
  for (const sql::RoleInfo* r : catalog.Roles()) {
    if (r->name == kBootstrapRole) continue;
    roles.push_back({RoleOid(r->name), r->name, r->superuser, r->login});
  }
  return roles;
}

bool RoleHasPrivilege(const sql::Catalog& catalog, std::string_view role, int64_t object_oid,
                      std::string_view privilege) {
  if (role == kBootstrapRole || catalog.IsSuperuser(role)) return true;
  if (!catalog.FindRole(role)) return false;
  OidTarget target = ResolveOid(catalog, object_oid);
  if (target.kind != OidTarget::Kind::kRelation) return object_oid == 0;  // schema, database
  if (privilege.find("select") != std::string_view::npos) {
    return catalog.CanSelect(role, *target.relation);
  }
  return catalog.IsOwner(role, *target.relation);
}

}  // namespace server
