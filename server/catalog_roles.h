// The roles pg_roles, pg_user and pg_get_userbyid list, and the one privilege check every
// has_*_privilege function asks, both over the catalog's roles (CREATE ROLE / GRANT). The
// bootstrap superuser "tributary" is always there, with PostgreSQL's oid 10.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/catalog.h"

namespace server {

struct CatalogRole {
  int64_t oid = 0;  // 10 for the bootstrap superuser; others derive from the name (stable)
  std::string name;
  bool superuser = false;
  bool can_login = false;
};

// A role's oid by name; the owner of a relation whose `owner` is empty is the bootstrap role.
int64_t RoleOid(std::string_view name);
std::string OwnerName(const sql::RelationInfo& relation);

// Every role, bootstrap superuser first.
std::vector<CatalogRole> ListRoles(const sql::Catalog& catalog);

// Whether `role` may use object `object_oid` (0: any object of the kind) for `privilege`
// ("select", "insert", "usage", "connect", ...). Unknown roles have no privileges.
bool RoleHasPrivilege(const sql::Catalog& catalog, std::string_view role, int64_t object_oid,
                      std::string_view privilege);

}  // namespace server
