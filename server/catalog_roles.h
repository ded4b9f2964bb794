// The roles pg_roles, pg_user and pg_get_userbyid list, and the one privilege check every
// has_*_privilege function asks. Until roles exist (CREATE ROLE / GRANT), there is one role:
// the bootstrap superuser, named after the server's startup user.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace server {

struct CatalogRole {
  int64_t oid = 0;
  std::string name;
  bool superuser = false;
  bool can_login = false;
};

// Every role, bootstrap superuser first.
std::vector<CatalogRole> ListRoles();

// Whether `role` may use object `object_oid` (0: any object of the kind) for `privilege`
// ("select", "usage", "connect", ...). Unknown roles have no privileges.
bool RoleHasPrivilege(std::string_view role, int64_t object_oid, std::string_view privilege);

}  // namespace server
