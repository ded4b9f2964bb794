#include "sql/catalog.h"

namespace sql {

int RelationInfo::FindColumn(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

const char* RelationInfo::KindName() const {
  return kind == RelationKind::kTable ? "table" : "materialized view";
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
    for (uint64_t input : rel->inputs) {
      if (input == id) {
        result.push_back(rel.get());
        break;
      }
    }
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

}  // namespace sql
