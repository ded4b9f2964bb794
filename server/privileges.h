// Privilege checks (docs/security.md): a superuser may do anything; a relation's owner may
// read, write and drop it; any other role may read a relation granted SELECT to it or to
// PUBLIC, and nothing else. Roles are checked against the catalog version a statement runs
// on, so a GRANT or REVOKE takes effect at the next statement, cached plans included.
// An empty role is the engine itself (tests, tools) and is never refused.
#pragma once

#include <string_view>

#include "ivm/error.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "sql/logical_plan.h"

namespace server {

// 42501 "permission denied for table x" (or "for materialized view x").
ivm::Error PermissionDenied(const sql::RelationInfo& relation);

// Throws 42501 unless `role` may read every relation `plan` scans (joins, subqueries, CTEs).
void CheckSelectPlan(const sql::Catalog& catalog, std::string_view role, const sql::PlanNode& plan);

// Throws 42501 unless `role` may run `statement` against `catalog` (binding the queries it
// reads to find their relations). SET, SHOW and transaction control are always allowed.
void CheckStatement(const sql::Catalog& catalog, std::string_view role,
                    const sql::Statement& statement);

}  // namespace server
