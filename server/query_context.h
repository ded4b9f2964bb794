// QueryContext: the session and snapshot a read runs against, as the catalog functions
// (ivm::CatalogContext) and the pg_catalog / information_schema relations see them.
// QueryContextScope installs one on the reading thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ivm/functions/catalog_context.h"
#include "server/session_settings.h"
#include "sql/catalog.h"
#include "storage/database.h"

namespace server {

// Who a session is: set at startup.
struct SessionIdentity {
  std::string user = "tributary";
  std::string database = "tributary";
  int32_t process_id = 0;
};

class QueryContext final : public ivm::CatalogContext {
 public:
  QueryContext(const sql::Catalog& catalog, const SessionIdentity& identity,
               const SessionSettings& settings)
      : catalog_(catalog), identity_(identity), settings_(settings) {}

  const sql::Catalog& catalog() const { return catalog_; }
  const SessionIdentity& identity() const { return identity_; }
  const SessionSettings& settings() const { return settings_; }

  std::string CurrentUser() const override { return identity_.user; }
  std::string CurrentDatabase() const override { return identity_.database; }
  int32_t BackendPid() const override { return identity_.process_id; }
  std::optional<std::string> Setting(std::string_view name) const override;
  std::optional<std::string> RoleName(int64_t oid) const override;
  bool HasPrivilege(std::string_view role, int64_t oid,
                    std::string_view privilege) const override;
  std::optional<int64_t> RelationOid(std::string_view name) const override;
  std::optional<std::string> RelationName(int64_t oid) const override;
  bool RelationVisible(int64_t oid) const override;
  std::optional<std::string> ViewDefinition(int64_t oid) const override;
  std::optional<std::string> ConstraintDefinition(int64_t oid) const override;
  std::optional<std::string> IndexDefinition(int64_t oid) const override;
  std::optional<int64_t> RelationSizeBytes(int64_t oid, bool total) const override;
  int64_t DatabaseSizeBytes() const override;

  // The snapshot sizes are estimated from; without one they are unknown (NULL).
  void set_snapshot(storage::Snapshot* snapshot) { snapshot_ = snapshot; }
  storage::Snapshot* snapshot() const { return snapshot_; }
  // The storage engine's memory, when the read has a snapshot.
  std::optional<storage::StorageMemory> StorageMemory() const {
    if (!snapshot_) return std::nullopt;
    return snapshot_->Memory();
  }

 private:
  const sql::Catalog& catalog_;
  const SessionIdentity& identity_;
  const SessionSettings& settings_;
  storage::Snapshot* snapshot_ = nullptr;
};

// The context of the read on this thread, or nullptr.
const QueryContext* CurrentQueryContext();

class QueryContextScope {
 public:
  explicit QueryContextScope(const QueryContext* context);
  ~QueryContextScope();
  QueryContextScope(const QueryContextScope&) = delete;
  QueryContextScope& operator=(const QueryContextScope&) = delete;

 private:
  const QueryContext* previous_;
  ivm::CatalogContextScope functions_;
};

// "col1, col2" of a relation's primary key, quoted where needed.
std::string PrimaryKeyColumnList(const sql::RelationInfo& rel);
// An identifier as PostgreSQL's quote_ident prints it.
std::string QuoteIdent(const std::string& name);

}  // namespace server
