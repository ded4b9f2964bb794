#include "server/pg_catalog.h"

#include <cstring>
#include <sstream>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "server/catalog_relation.h"

namespace server {
namespace {

struct Entry {
  uint64_t id;
  const CatalogRelation* relation;
};

const std::vector<Entry>& Entries() {
  static const std::vector<Entry> kEntries = [] {
    std::vector<Entry> out;
    uint64_t id = kCatalogRelationIdBase;
    for (const auto* list : {&PgCatalogRelations(), &InformationSchemaRelations()}) {
      for (const CatalogRelation& r : *list) out.push_back({id++, &r});
    }
    return out;
  }();
  return kEntries;
}

ivm::Type TypeFor(const std::string& name) {
  using ivm::TypeId;
  if (name == "bool") return ivm::Type::Of(TypeId::kBool);
  if (name == "int2") return ivm::Type::Of(TypeId::kInt16);
  if (name == "int4") return ivm::Type::Of(TypeId::kInt32);
  if (name == "int8" || name == "oid") return ivm::Type::Of(TypeId::kInt64);
  if (name == "float4") return ivm::Type::Of(TypeId::kFloat32);
  if (name == "timestamptz") return ivm::Type::Of(TypeId::kTimestampTz);
  if (name == "int2vector") return ivm::Type::Array(TypeId::kInt16, true);
  if (name == "oidvector") return ivm::Type::Array(TypeId::kInt64, true);
  if (name.ends_with("[]")) return ivm::Type::Array(TypeFor(name.substr(0, name.size() - 2)).id);
  return ivm::Type::Of(TypeId::kText);  // name, text, "char", regproc, pg_node_tree ...
}

}  // namespace

std::vector<sql::ColumnInfo> CatalogColumns(const char* spec) {
  std::vector<sql::ColumnInfo> columns;
  std::istringstream in(spec);
  std::string item;
  while (in >> item) {
    size_t colon = item.find(':');
    columns.push_back({item.substr(0, colon), TypeFor(item.substr(colon + 1)), false});
  }
  return columns;
}

std::vector<const sql::RelationInfo*> ListedRelations(const sql::Catalog& catalog) {
  return catalog.All();  // by id: user relations (small ids) before built-in ones
}

void AddCatalogRelations(sql::Catalog* catalog) {
  for (const Entry& e : Entries()) {
    sql::RelationInfo rel;
    rel.id = e.id;
    rel.schema = e.relation->schema;
    rel.name = e.relation->name;
    rel.columns = CatalogColumns(e.relation->columns);
    rel.system = true;
    catalog->Put(std::move(rel));
  }
}

bool IsCatalogRelation(uint64_t id) {
  return id >= kCatalogRelationIdBase && id < kCatalogRelationIdBase + Entries().size();
}

ivm::ZSet ReadCatalogRelation(uint64_t id, const sql::Catalog& catalog) {
  const CatalogRelation& relation = *Entries().at(id - kCatalogRelationIdBase).relation;
  ivm::ZSet out;
  if (!relation.rows) return out;
  static const SessionIdentity kDefaultIdentity;
  static const SessionSettings kDefaultSettings;
  const QueryContext* current = CurrentQueryContext();
  // The thread's context may belong to another catalog version (a transaction's own
  // writes): rows always come from the catalog the query was planned against.
  QueryContext context(catalog, current ? current->identity() : kDefaultIdentity,
                       current ? current->settings() : kDefaultSettings);
  if (current) context.set_snapshot(current->snapshot());
  // Producers write arrays and vectors in their text form ("{1,2}", "1 2"); they become
  // array values here, in the column's element type.
  static const std::vector<std::vector<ivm::Type>> kColumnTypes = [] {
    std::vector<std::vector<ivm::Type>> all;
    for (const Entry& e : Entries()) {
      std::vector<ivm::Type> types;
      for (const sql::ColumnInfo& c : CatalogColumns(e.relation->columns)) types.push_back(c.type);
      all.push_back(std::move(types));
    }
    return all;
  }();
  const std::vector<ivm::Type>& types = kColumnTypes[id - kCatalogRelationIdBase];
  for (ivm::Row& row : relation.rows(context)) {
    for (size_t i = 0; i < row.size() && i < types.size(); ++i) {
      if (types[i].id != ivm::TypeId::kArray || row[i].type() == ivm::TypeId::kArray) continue;
      row[i] = row[i].is_null() ? ivm::Value::Null(ivm::TypeId::kArray)
                                : ivm::ParseText(row[i].string_value(), types[i]);
    }
    out.Add(std::move(row), 1);
  }
  out.Consolidate();
  return out;
}

}  // namespace server

namespace server {

char RelKind(const sql::RelationInfo& rel) {
  if (IsCatalogRelation(rel.id)) return Entries()[rel.id - kCatalogRelationIdBase].relation->relkind;
  return rel.is_table() ? 'r' : rel.is_view() ? 'v' : 'm';
}

}  // namespace server
