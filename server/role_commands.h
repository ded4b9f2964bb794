// CREATE / ALTER / DROP ROLE and GRANT / REVOKE SELECT: applied to the writer's working
// catalog and written to the step batch (roles under storage::MetaKey("role/" + name),
// grants inside each relation's catalog entry). Privileges are checked before, by
// server/privileges.h. REQUIRES: the writer thread.
#pragma once

#include <memory>
#include <string>

#include "sql/ast.h"
#include "sql/catalog.h"
#include "storage/database.h"

namespace server {

// The storage key of a role, and the prefix of every role key.
std::string RoleKey(const std::string& name);
std::string RolePrefix();

// Whether `statement` is one of the statements ExecuteRoleStatement runs.
bool IsRoleStatement(const sql::Statement& statement);

// Runs a role or privilege statement and returns its command tag. `bootstrap` is the
// superuser the server starts with, which cannot be dropped, renamed or demoted.
// Throws ivm::Error (42710, 42704, 2BP01, 42939 ...).
std::string ExecuteRoleStatement(const sql::Statement& statement, const std::string& bootstrap,
                                 sql::Catalog* catalog, storage::StepBatch& batch);

// Adds the bootstrap superuser to `catalog` if it is missing (in memory; it is written once
// it changes) and makes sure it may log in as a superuser.
void EnsureBootstrapRole(const std::string& bootstrap, sql::Catalog* catalog);

}  // namespace server
