#include "server/role_commands.h"

#include <algorithm>

#include "ivm/error.h"
#include "protocol/auth/md5_password.h"
#include "protocol/auth/scram.h"
#include "server/catalog_codec.h"
#include "storage/keys.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

constexpr const char* kReservedName = "42939";

// A password as given is stored as its SCRAM secret, unless it already is a secret
// (PostgreSQL accepts pre-hashed md5 and SCRAM passwords as they are).
std::string SecretFor(const std::string& password) {
  if (protocol::IsMd5Secret(password) || protocol::ParseScramSecret(password)) return password;
  return protocol::ScramVerifier(password);
}

void ApplyOptions(const sql::RoleOptions& options, sql::RoleInfo* role) {
  if (options.login) role->login = *options.login;
  if (options.superuser) role->superuser = *options.superuser;
  if (options.set_password) {
    // An empty password is no password, as in PostgreSQL.
    role->secret = options.password && !options.password->empty() ? SecretFor(*options.password)
                                                                  : std::string();
  }
}

void CheckRoleName(const std::string& name) {
  if (name == sql::kPublicGrantee || name == "none" || name.rfind("pg_", 0) == 0) {
    throw Error(kReservedName, "role name \"" + name + "\" is reserved",
                name.rfind("pg_", 0) == 0 ? "Role names starting with \"pg_\" are reserved." : "");
  }
}

const sql::RoleInfo& FindRole(const sql::Catalog& catalog, const std::string& name) {
  const sql::RoleInfo* role = catalog.FindRole(name);
  if (!role) throw Error(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
  return *role;
}

void StoreRole(const sql::RoleInfo& role, sql::Catalog* catalog, storage::StepBatch& batch) {
  batch.Put(RoleKey(role.name), EncodeRole(role));
  catalog->PutRole(role);
}

void StoreRelation(sql::RelationInfo relation, sql::Catalog* catalog, storage::StepBatch& batch) {
  batch.Put(storage::CatalogKey(relation.id), EncodeRelation(relation));
  catalog->Put(std::move(relation));
}

std::string CreateRole(const sql::CreateRoleStmt& stmt, sql::Catalog* catalog,
                       storage::StepBatch& batch) {
  CheckRoleName(stmt.name);
  if (catalog->FindRole(stmt.name)) {
    throw Error(sqlstate::kDuplicateObject, "role \"" + stmt.name + "\" already exists");
  }
  sql::RoleInfo role;
  role.name = stmt.name;
  role.login = stmt.is_user;
  ApplyOptions(stmt.options, &role);
  StoreRole(role, catalog, batch);
  return "CREATE ROLE";
}

std::string AlterRole(const sql::AlterRoleStmt& stmt, const std::string& bootstrap,
                      sql::Catalog* catalog, storage::StepBatch& batch) {
  sql::RoleInfo role = FindRole(*catalog, stmt.name);
  if (stmt.rename_to.empty()) {
    ApplyOptions(stmt.options, &role);
    if (role.name == bootstrap && (!role.superuser || !role.login)) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "the bootstrap superuser \"" + bootstrap + "\" must keep SUPERUSER and LOGIN");
    }
    StoreRole(role, catalog, batch);
    return "ALTER ROLE";
  }
  if (stmt.name == bootstrap) {
    throw Error(sqlstate::kFeatureNotSupported,
                "the bootstrap superuser \"" + bootstrap + "\" cannot be renamed");
  }
  CheckRoleName(stmt.rename_to);
  if (catalog->FindRole(stmt.rename_to)) {
    throw Error(sqlstate::kDuplicateObject, "role \"" + stmt.rename_to + "\" already exists");
  }
  // An md5 secret is salted with the role name: it no longer matches, as in PostgreSQL.
  if (protocol::IsMd5Secret(role.secret)) role.secret.clear();
  batch.Delete(RoleKey(role.name));
  catalog->RemoveRole(role.name);
  role.name = stmt.rename_to;
  StoreRole(role, catalog, batch);
  for (const sql::RelationInfo* relation : catalog->All()) {
    sql::RelationInfo updated = *relation;
    bool changed = false;
    if (updated.owner == stmt.name) {
      updated.owner = stmt.rename_to;
      changed = true;
    }
    for (std::string& grantee : updated.select_grantees) {
      if (grantee == stmt.name) {
        grantee = stmt.rename_to;
        changed = true;
      }
    }
    if (changed) StoreRelation(std::move(updated), catalog, batch);
  }
  return "ALTER ROLE";
}

std::string DropRole(const sql::DropRoleStmt& stmt, const std::string& bootstrap,
                     sql::Catalog* catalog, storage::StepBatch& batch) {
  for (const std::string& name : stmt.names) {
    if (!catalog->FindRole(name)) {
      if (stmt.if_exists) continue;
      throw Error(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
    }
    if (name == bootstrap) {
      throw Error(sqlstate::kDependentObjectsStillExist,
                  "cannot drop role " + name + " because it is required by the database system");
    }
    std::string detail;
    for (const sql::RelationInfo* relation : catalog->All()) {
      const auto& grantees = relation->select_grantees;
      if (relation->owner == name) {
        detail += (detail.empty() ? "" : "\n") + std::string("owner of ") + relation->KindName() +
                  " " + relation->name;
      } else if (std::find(grantees.begin(), grantees.end(), name) != grantees.end()) {
        detail += (detail.empty() ? "" : "\n") + std::string("privileges for ") +
                  relation->KindName() + " " + relation->name;
      }
    }
    if (!detail.empty()) {
      throw Error(sqlstate::kDependentObjectsStillExist,
                  "role \"" + name + "\" cannot be dropped because some objects depend on it",
                  detail, "Drop those objects or REVOKE those privileges first.");
    }
    batch.Delete(RoleKey(name));
    catalog->RemoveRole(name);
  }
  return "DROP ROLE";
}

std::string Grant(const sql::GrantStmt& stmt, sql::Catalog* catalog, storage::StepBatch& batch) {
  for (const std::string& grantee : stmt.grantees) {
    if (grantee != sql::kPublicGrantee) FindRole(*catalog, grantee);
  }
  std::vector<const sql::RelationInfo*> relations;
  if (!stmt.all_tables_in_schema.empty()) {
    if (stmt.all_tables_in_schema != sql::kDefaultSchema &&
        stmt.all_tables_in_schema != sql::kSystemSchema) {
      throw Error("3F000", "schema \"" + stmt.all_tables_in_schema + "\" does not exist");
    }
    for (const sql::RelationInfo* relation : catalog->All()) {
      if (relation->schema == stmt.all_tables_in_schema) relations.push_back(relation);
    }
  }
  for (const sql::QualifiedName& name : stmt.relations) {
    const sql::RelationInfo* relation = catalog->Find(name.schema, name.name);
    if (!relation) {
      throw Error(sqlstate::kUndefinedTable, "relation \"" + name.name + "\" does not exist");
    }
    relations.push_back(relation);
  }
  std::vector<sql::RelationInfo> updated;
  for (const sql::RelationInfo* relation : relations) updated.push_back(*relation);
  for (sql::RelationInfo& relation : updated) {
    std::vector<std::string>& grantees = relation.select_grantees;
    for (const std::string& grantee : stmt.grantees) {
      auto it = std::find(grantees.begin(), grantees.end(), grantee);
      if (stmt.revoke && it != grantees.end()) grantees.erase(it);
      if (!stmt.revoke && it == grantees.end()) grantees.push_back(grantee);
    }
    StoreRelation(std::move(relation), catalog, batch);
  }
  return stmt.revoke ? "REVOKE" : "GRANT";
}

}  // namespace

std::string RolePrefix() { return storage::MetaKey("role/"); }
std::string RoleKey(const std::string& name) { return RolePrefix() + name; }

bool IsRoleStatement(const sql::Statement& s) {
  return std::holds_alternative<sql::CreateRoleStmt>(s) ||
         std::holds_alternative<sql::AlterRoleStmt>(s) ||
         std::holds_alternative<sql::DropRoleStmt>(s) || std::holds_alternative<sql::GrantStmt>(s);
}

std::string ExecuteRoleStatement(const sql::Statement& s, const std::string& bootstrap,
                                 sql::Catalog* catalog, storage::StepBatch& batch) {
  if (auto* create = std::get_if<sql::CreateRoleStmt>(&s))
    return CreateRole(*create, catalog, batch);
  if (auto* alter = std::get_if<sql::AlterRoleStmt>(&s)) {
    return AlterRole(*alter, bootstrap, catalog, batch);
  }
  if (auto* drop = std::get_if<sql::DropRoleStmt>(&s))
    return DropRole(*drop, bootstrap, catalog, batch);
  return Grant(std::get<sql::GrantStmt>(s), catalog, batch);
}

void EnsureBootstrapRole(const std::string& bootstrap, sql::Catalog* catalog) {
  sql::RoleInfo role;
  if (const sql::RoleInfo* existing = catalog->FindRole(bootstrap)) role = *existing;
  role.name = bootstrap;
  role.login = role.superuser = true;
  catalog->PutRole(std::move(role));
}

}  // namespace server
