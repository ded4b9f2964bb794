#include "server/query_context.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "ivm/functions/quote.h"
#include "server/catalog_oids.h"
#include "server/catalog_roles.h"
#include "storage/keys.h"

namespace server {
namespace {

thread_local const QueryContext* current_context = nullptr;

// "public.t", "\"My T\"", "T" -> its parts: quoted parts keep their case, others fold to
// lower case. Empty on a malformed name.
std::vector<std::string> SplitQualifiedName(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      parts.emplace_back();
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (quoted || parts.size() > 2) return {};
  for (const std::string& p : parts) {
    if (p.empty()) return {};
  }
  return parts;
}

}  // namespace

std::string QuoteIdent(const std::string& name) { return ivm::QuoteIdentifier(name); }

std::string PrimaryKeyColumnList(const sql::RelationInfo& rel) {
  std::string out;
  for (int column : rel.primary_key) {
    if (!out.empty()) out += ", ";
    out += QuoteIdent(rel.columns[column].name);
  }
  return out;
}

std::optional<std::string> QueryContext::Setting(std::string_view name) const {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "server_version") return "15.0";
  if (lower == "server_version_num") return "150000";
  if (lower == "server_encoding") return "UTF8";
  if (lower == "is_superuser") return "on";
  if (lower == "session_authorization") return identity_.user;
  for (const SessionSettings::Listed& s : settings_.List()) {
    std::string n = s.name;
    std::transform(n.begin(), n.end(), n.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (n == lower) return s.value;
  }
  return std::nullopt;
}

std::optional<std::string> QueryContext::RoleName(int64_t oid) const {
  for (const CatalogRole& r : ListRoles(catalog_)) {
    if (r.oid == oid) return r.name;
  }
  return std::nullopt;
}

bool QueryContext::HasPrivilege(std::string_view role, int64_t oid,
                                std::string_view privilege) const {
  return RoleHasPrivilege(catalog_, role, oid, privilege);
}

std::optional<int64_t> QueryContext::RelationOid(std::string_view name) const {
  std::vector<std::string> parts = SplitQualifiedName(name);
  if (parts.empty()) return std::nullopt;
  const sql::RelationInfo* rel = parts.size() == 2 ? catalog_.Find(parts[0], parts[1])
                                                   : catalog_.Find("", parts[0]);
  if (!rel) return std::nullopt;
  return server::RelationOid(*rel);
}

std::optional<int64_t> QueryContext::RelationSizeBytes(int64_t oid, bool total) const {
  OidTarget t = ResolveOid(catalog_, oid);
  if (t.kind == OidTarget::Kind::kPrimaryKeyIndex) return 0;
  if (t.kind != OidTarget::Kind::kRelation || !snapshot_) return std::nullopt;
  int64_t bytes = static_cast<int64_t>(
      snapshot_->ApproximateBytes(storage::RelationPrefix(t.relation->id)));
  if (total && t.relation->is_materialized_view()) {
    bytes += static_cast<int64_t>(
        snapshot_->ApproximateBytes(storage::ViewStatePrefix(t.relation->id)));
  }
  return bytes;
}

int64_t QueryContext::DatabaseSizeBytes() const {
  return snapshot_ ? static_cast<int64_t>(snapshot_->ApproximateBytes("")) : 0;
}

std::optional<std::string> QueryContext::RelationName(int64_t oid) const {
  OidTarget t = ResolveOid(catalog_, oid);
  if (t.kind != OidTarget::Kind::kRelation) return std::nullopt;
  if (RelationVisible(oid)) return QuoteIdent(t.relation->name);
  return QuoteIdent(t.relation->schema) + "." + QuoteIdent(t.relation->name);
}

bool QueryContext::RelationVisible(int64_t oid) const {
  OidTarget t = ResolveOid(catalog_, oid);
  if (t.kind == OidTarget::Kind::kNone || t.kind == OidTarget::Kind::kRowType) return false;
  if (t.kind == OidTarget::Kind::kPrimaryKeyIndex) {
    return t.relation->schema == sql::kDefaultSchema || t.relation->schema == sql::kSystemSchema;
  }
  // Visible when unqualified lookup finds this very relation (search path public, pg_catalog).
  return catalog_.Find("", t.relation->name) == t.relation;
}

std::optional<std::string> QueryContext::ViewDefinition(int64_t oid) const {
  OidTarget t = ResolveOid(catalog_, oid);
  if (t.kind != OidTarget::Kind::kRelation || t.relation->is_table()) return std::nullopt;
  std::string def = t.relation->definition;
  while (!def.empty() && (std::isspace(static_cast<unsigned char>(def.back())) || def.back() == ';')) {
    def.pop_back();
  }
  return " " + def + ";";
}

std::optional<std::string> QueryContext::ConstraintDefinition(int64_t oid) const {
  OidTarget t = ResolveOid(catalog_, oid);
  if (t.kind != OidTarget::Kind::kPrimaryKeyConstraint) return std::nullopt;
  return "PRIMARY KEY (" + PrimaryKeyColumnList(*t.relation) + ")";
}

std::optional<std::string> QueryContext::IndexDefinition(int64_t oid) const {
  OidTarget t = ResolveOid(catalog_, oid);
  if (t.kind != OidTarget::Kind::kPrimaryKeyIndex) return std::nullopt;
  const sql::RelationInfo& rel = *t.relation;
  return "CREATE UNIQUE INDEX " + QuoteIdent(PrimaryKeyName(rel)) + " ON " +
         QuoteIdent(rel.schema) + "." + QuoteIdent(rel.name) + " USING btree (" +
         PrimaryKeyColumnList(rel) + ")";
}

const QueryContext* CurrentQueryContext() { return current_context; }

QueryContextScope::QueryContextScope(const QueryContext* context)
    : previous_(current_context), functions_(context) {
  current_context = context;
}

QueryContextScope::~QueryContextScope() { current_context = previous_; }

}  // namespace server
