// CatalogContext: what the functions about the session and the catalog (current_user,
// pg_backend_pid, pg_table_is_visible, pg_get_viewdef, 'name'::regclass, ...) ask of the
// query calling them. server/ implements it over the snapshot's catalog and the session and
// installs one per read with CatalogContextScope; it is thread-local, as a read runs on one
// thread. Without one (the writer evaluating DML), those functions raise 0A000.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ivm {

class CatalogContext {
 public:
  virtual ~CatalogContext() = default;

  virtual std::string CurrentUser() const = 0;
  virtual std::string CurrentDatabase() const = 0;
  virtual int32_t BackendPid() const = 0;
  // current_setting(name): nullopt for an unknown parameter.
  virtual std::optional<std::string> Setting(std::string_view name) const = 0;
  // pg_get_userbyid: a role's name by oid.
  virtual std::optional<std::string> RoleName(int64_t oid) const = 0;
  // has_*_privilege: whether `role` (a name) may use object `oid` for `privilege`.
  virtual bool HasPrivilege(std::string_view role, int64_t oid,
                            std::string_view privilege) const = 0;
  // regclass input: "t", "public.t", "\"T\"" -> the relation's oid.
  virtual std::optional<int64_t> RelationOid(std::string_view name) const = 0;
  // regclass output: the relation's name, qualified when not visible on the search path.
  virtual std::optional<std::string> RelationName(int64_t oid) const = 0;
  virtual bool RelationVisible(int64_t oid) const = 0;
  // pg_get_viewdef / pg_get_constraintdef / pg_get_indexdef.
  virtual std::optional<std::string> ViewDefinition(int64_t oid) const = 0;
  virtual std::optional<std::string> ConstraintDefinition(int64_t oid) const = 0;
  virtual std::optional<std::string> IndexDefinition(int64_t oid) const = 0;
  // pg_relation_size and friends: the bytes a relation's rows take in storage, estimated
  // by the storage engine; with `total`, plus a view's operator state. nullopt for an oid
  // that names no relation; 0 for a primary-key index (it is the table's own key order).
  virtual std::optional<int64_t> RelationSizeBytes(int64_t oid, bool total) const = 0;
  // pg_database_size: the estimated bytes of everything stored.
  virtual int64_t DatabaseSizeBytes() const = 0;
};

// The context of the read running on this thread (nullptr outside one).
const CatalogContext* CurrentCatalogContext();

// Installs `context` on this thread for the scope's lifetime (scopes nest).
class CatalogContextScope {
 public:
  explicit CatalogContextScope(const CatalogContext* context);
  ~CatalogContextScope();
  CatalogContextScope(const CatalogContextScope&) = delete;
  CatalogContextScope& operator=(const CatalogContextScope&) = delete;

 private:
  const CatalogContext* previous_;
};

}  // namespace ivm
