#include "sql/catalog.h"

namespace sql {

int RelationInfo::FindColumn(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> RelationInfo::StorageKey() const {
  if (!keyed_rows) return primary_key;
  std::vector<int> key;
  for (int i = 0; i < unique_prefix; ++i) key.push_back(i);
  return key;
}

const char* RelationInfo::KindName() const {
  return kind == RelationKind::kTable  ? "table"
         : kind == RelationKind::kView ? "view"
                                       : "materialized view";
}

const RelationInfo* Catalog::Find(std::string_view schema, std::string_view name) const {
  if (schema.empty()) {
    const RelationInfo* rel = Find(kDefaultSchema, name);
    return rel ? rel : Find(kSystemSchema, name);
  }
  for (const auto& [id, rel] : by_id_) {
    if (rel->name == name && rel->schema == schema) return rel.get();
  }
  return nullptr;
}

const RelationInfo* Catalog::FindById(uint64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

std::vector<const RelationInfo*> Catalog::Dependents(uint64_t id) const {
  std::vector<const RelationInfo*> result;
  for (const auto& [other_id, rel] : by_id_) {
    bool reads = false;
    for (uint64_t input : rel->inputs) reads = reads || input == id;
    for (uint64_t view : rel->view_references) reads = reads || view == id;
    if (reads) result.push_back(rel.get());
  }
  return result;
}

std::vector<const RelationInfo*> Catalog::All() const {
  std::vector<const RelationInfo*> result;
  for (const auto& [id, rel] : by_id_) result.push_back(rel.get());
  return result;
}

void Catalog::Put(RelationInfo relation) {
  uint64_t id = relation.id;
  by_id_[id] = std::make_shared<const RelationInfo>(std::move(relation));
}

void Catalog::Remove(uint64_t id) { by_id_.erase(id); }

const RoleInfo* Catalog::FindRole(std::string_view name) const {
  auto it = roles_.find(name);
  return it == roles_.end() ? nullptr : it->second.get();
}

std::vector<const RoleInfo*> Catalog::Roles() const {
  std::vector<const RoleInfo*> result;
  for (const auto& [name, role] : roles_) result.push_back(role.get());
  return result;
}

void Catalog::PutRole(RoleInfo role) {
  std::string name = role.name;
  roles_[name] = std::make_shared<const RoleInfo>(std::move(role));
}

void Catalog::RemoveRole(std::string_view name) {
  auto it = roles_.find(name);
  if (it != roles_.end()) roles_.erase(it);
}

bool Catalog::IsSuperuser(std::string_view role) const {
  const RoleInfo* info = FindRole(role);
  return info && info->superuser;
}

bool Catalog::IsOwner(std::string_view role, const RelationInfo& relation) const {
  return IsSuperuser(role) || (!relation.owner.empty() && relation.owner == role);
}

bool Catalog::CanSelect(std::string_view role, const RelationInfo& relation) const {
  if (relation.system || IsOwner(role, relation)) return true;
  for (const std::string& grantee : relation.select_grantees) {
    if (grantee == kPublicGrantee || grantee == role) return true;
  }
  return false;
}

}  // namespace sql
