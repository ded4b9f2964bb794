#include "server/catalog_roles.h"

#include "server/catalog_oids.h"

namespace server {

std::vector<CatalogRole> ListRoles() {
  return {{kBootstrapRoleOid, "tributary", /*superuser=*/true, /*can_login=*/true}};
}

bool RoleHasPrivilege(std::string_view role, int64_t, std::string_view) {
  // A superuser holds every privilege; the bootstrap superuser is the only role.
  for (const CatalogRole& r : ListRoles()) {
    if (r.name == role) return r.superuser;
  }
  return false;
}

}  // namespace server
