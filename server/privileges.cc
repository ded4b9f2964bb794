#include "server/privileges.h"

#include <set>
#include <string>

#include "sql/binder.h"
#include "sql/plan_walk.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

void CheckQuery(const sql::Catalog& catalog, std::string_view role, const sql::AstQuery& query) {
  sql::BoundQuery bound = sql::Binder(catalog).BindQuery(query);
  CheckSelectPlan(catalog, role, *bound.plan);
}

Error MustBeOwner(const sql::RelationInfo& relation) {
  return Error(sqlstate::kInsufficientPrivilege,
               "must be owner of " + std::string(relation.KindName()) + " " + relation.name);
}

void CheckOwner(const sql::Catalog& catalog, std::string_view role,
                const sql::QualifiedName& name) {
  const sql::RelationInfo* relation = catalog.Find(name.schema, name.name);
  if (relation && !catalog.IsOwner(role, *relation)) throw MustBeOwner(*relation);
}

void CheckWrite(const sql::Catalog& catalog, std::string_view role,
                const sql::QualifiedName& name) {
  const sql::RelationInfo* relation = catalog.Find(name.schema, name.name);
  if (relation && !relation->system && !catalog.IsOwner(role, *relation)) {
    throw PermissionDenied(*relation);
  }
}

void RequireSuperuser(const sql::Catalog& catalog, std::string_view role, const char* what) {
  if (!catalog.IsSuperuser(role)) {
    throw Error(sqlstate::kInsufficientPrivilege, std::string("permission denied to ") + what,
                "Only superusers may " + std::string(what) + ".");
  }
}

}  // namespace

Error PermissionDenied(const sql::RelationInfo& relation) {
  return Error(sqlstate::kInsufficientPrivilege,
               "permission denied for " + std::string(relation.KindName()) + " " + relation.name);
}

void CheckSelectPlan(const sql::Catalog& catalog, std::string_view role,
                     const sql::PlanNode& plan) {
  if (role.empty() || catalog.IsSuperuser(role)) return;
  // Subqueries run per row read relations too. What a view reads is checked for the
  // view's owner, as in PostgreSQL: granting SELECT on a view shares its rows only.
  for (const sql::RelationRead& read : sql::ReadRelations(plan)) {
    const sql::RelationInfo* relation = catalog.FindById(read.relation_id);
    if (!relation) continue;
    std::string_view reader = role;
    if (read.through_view != 0) {
      const sql::RelationInfo* view = catalog.FindById(read.through_view);
      std::string_view owner = view ? std::string_view(view->owner) : std::string_view();
      if (owner.empty() || catalog.IsSuperuser(owner)) continue;  // the bootstrap superuser
      reader = owner;
    }
    if (!catalog.CanSelect(reader, *relation)) throw PermissionDenied(*relation);
  }
}

void CheckStatement(const sql::Catalog& catalog, std::string_view role, const sql::Statement& s) {
  if (role.empty() || catalog.IsSuperuser(role)) return;
  if (auto* select = std::get_if<sql::SelectStmt>(&s))
    return CheckQuery(catalog, role, *select->query);
  if (auto* explain = std::get_if<sql::ExplainStmt>(&s)) {
    if (explain->query) CheckQuery(catalog, role, *explain->query);
    if (explain->create_view) CheckQuery(catalog, role, *explain->create_view->query);
    if (explain->view) {
      const sql::RelationInfo* view = catalog.Find(explain->view->schema, explain->view->name);
      if (view && !catalog.CanSelect(role, *view)) throw PermissionDenied(*view);
    }
    return;
  }
  if (auto* verify = std::get_if<sql::VerifyStmt>(&s)) {
    const sql::RelationInfo* view = catalog.Find(verify->view.schema, verify->view.name);
    if (view && !catalog.CanSelect(role, *view)) throw PermissionDenied(*view);
    return;
  }
  if (auto* view = std::get_if<sql::CreateMaterializedViewStmt>(&s)) {
    return CheckQuery(catalog, role, *view->query);
  }
  if (auto* insert = std::get_if<sql::InsertStmt>(&s)) {
    CheckWrite(catalog, role, insert->table);
    if (insert->query) CheckQuery(catalog, role, *insert->query);
    return;
  }
  if (auto* update = std::get_if<sql::UpdateStmt>(&s))
    return CheckWrite(catalog, role, update->table);
  if (auto* del = std::get_if<sql::DeleteStmt>(&s)) return CheckWrite(catalog, role, del->table);
  if (auto* copy = std::get_if<sql::CopyStmt>(&s)) {
    if (copy->from) return CheckWrite(catalog, role, copy->table);
    if (copy->query) return CheckQuery(catalog, role, *copy->query);
    const sql::RelationInfo* relation = catalog.Find(copy->table.schema, copy->table.name);
    if (relation && !catalog.CanSelect(role, *relation)) throw PermissionDenied(*relation);
    return;
  }
  if (auto* drop = std::get_if<sql::DropStmt>(&s)) {
    for (const sql::QualifiedName& name : drop->names) CheckOwner(catalog, role, name);
    return;
  }
  if (auto* load = std::get_if<sql::CreateRoutineLoadStmt>(&s)) {
    return CheckOwner(catalog, role, load->table);
  }
  if (auto* control = std::get_if<sql::RoutineLoadControlStmt>(&s)) {
    if (control->action != sql::RoutineLoadControlStmt::Action::kShow) {
      RequireSuperuser(catalog, role, "control routine loads");
    }
    return;
  }
  if (std::holds_alternative<sql::CreateRoleStmt>(s)) {
    return RequireSuperuser(catalog, role, "create role");
  }
  if (std::holds_alternative<sql::DropRoleStmt>(s)) {
    return RequireSuperuser(catalog, role, "drop role");
  }
  if (auto* alter = std::get_if<sql::AlterRoleStmt>(&s)) {
    // A role may change its own password, and nothing else about itself.
    const bool own_password = alter->name == role && alter->rename_to.empty() &&
                              !alter->options.login && !alter->options.superuser;
    if (!own_password) RequireSuperuser(catalog, role, "alter role");
    return;
  }
  if (auto* grant = std::get_if<sql::GrantStmt>(&s)) {
    for (const sql::QualifiedName& name : grant->relations) CheckOwner(catalog, role, name);
    if (!grant->all_tables_in_schema.empty()) {
      for (const sql::RelationInfo* relation : catalog.All()) {
        if (relation->schema == grant->all_tables_in_schema && !catalog.IsOwner(role, *relation)) {
          throw MustBeOwner(*relation);
        }
      }
    }
  }
}

}  // namespace server
