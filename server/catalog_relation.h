// The virtual relations of pg_catalog and information_schema: each is a name, its columns
// and a function computing its rows from the catalog of the snapshot being read (never a
// stored copy, so a CREATE shows at once) and the session (QueryContext).
#pragma once

#include <string>
#include <vector>

#include "ivm/value.h"
#include "server/query_context.h"
#include "sql/catalog.h"

namespace server {

using CatalogRows = std::vector<ivm::Row> (*)(const QueryContext& context);

struct CatalogRelation {
  const char* schema;
  const char* name;
  // "name:type ..." with PostgreSQL type names (oid, name, text, "char", bool, int2, int4,
  // int8, float4, timestamptz; arrays and other types are shown as text).
  const char* columns;
  CatalogRows rows;  // nullptr: always empty (pg_inherits, pg_trigger, ...)
  char relkind = 'r';  // pg_class.relkind: 'r' tables, 'v' views (pg_tables, information_schema)
};

const std::vector<CatalogRelation>& PgCatalogRelations();
const std::vector<CatalogRelation>& InformationSchemaRelations();

// Parses CatalogRelation::columns.
std::vector<sql::ColumnInfo> CatalogColumns(const char* spec);

// Row-building shorthands shared by both schemas.
inline ivm::Value Oid(int64_t v) { return ivm::Value::Int64(v); }
inline ivm::Value Text(std::string v) { return ivm::Value::Text(std::move(v)); }
inline ivm::Value NullText() { return ivm::Value::Null(ivm::TypeId::kText); }
inline ivm::Value NullInt4() { return ivm::Value::Null(ivm::TypeId::kInt32); }
inline ivm::Value Bool(bool v) { return ivm::Value::Bool(v); }
inline ivm::Value Int2(int v) { return ivm::Value::Int16(static_cast<int16_t>(v)); }
inline ivm::Value Int4(int64_t v) { return ivm::Value::Int32(static_cast<int32_t>(v)); }

// User relations first, then built-in ones, by id: the relations the catalog lists.
std::vector<const sql::RelationInfo*> ListedRelations(const sql::Catalog& catalog);
// pg_class.relkind of a relation: 'r' table, 'm' materialized view, 'v' catalog view.
char RelKind(const sql::RelationInfo& rel);

}  // namespace server
