// information_schema's relations, computed from the live catalog as PostgreSQL defines
// them: tables and columns list base tables and views (not materialized views, as in
// PostgreSQL), constraints are the primary keys and the NOT NULL checks.
#include <algorithm>
#include <cctype>
#include <string>

#include "ivm/functions/builtin_types.h"
#include "ivm/functions/function_registry.h"
#include "server/catalog_oids.h"
#include "server/catalog_relation.h"
#include "server/catalog_roles.h"

namespace server {
namespace {

using ivm::Row;
using ivm::TypeId;
using Rows = std::vector<Row>;

bool InTables(const sql::RelationInfo& rel) {
  char kind = RelKind(rel);
  return kind == 'r' || kind == 'v';
}

std::string YesNo(bool b) { return b ? "YES" : "NO"; }

Rows Schemata(const QueryContext& ctx) {
  Rows rows;
  for (const char* name : {sql::kSystemSchema, sql::kDefaultSchema, kInformationSchema}) {
    rows.push_back({Text(ctx.identity().database), Text(name), Text(ListRoles(ctx.catalog()).front().name),
                    NullText(), NullText(), NullText(), NullText()});
  }
  return rows;
}

Rows TablesRows(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (!InTables(*rel)) continue;
    const bool view = RelKind(*rel) == 'v';
    rows.push_back({Text(ctx.identity().database), Text(rel->schema), Text(rel->name),
                    Text(view ? "VIEW" : "BASE TABLE"), NullText(), NullText(), NullText(),
                    NullText(), NullText(),
                    Text(YesNo(!view && !rel->system && rel->source.empty())), Text("NO"),
                    NullText()});
  }
  return rows;
}

// information_schema's data_type: "character varying", "integer", "ARRAY", ...
std::string DataType(const ivm::Type& type) {
  switch (type.id) {
    case TypeId::kNumeric:
      return "numeric";
    case TypeId::kVarchar:
      return "character varying";
    case TypeId::kChar:
      return "character";
    default:
      return ivm::Type::Of(type.id).ToString();
  }
}

Rows ColumnsRows(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (!InTables(*rel)) continue;
    for (size_t i = 0; i < rel->columns.size(); ++i) {
      const sql::ColumnInfo& c = rel->columns[i];
      const ivm::Type& t = c.type;
      bool pk = std::find(rel->primary_key.begin(), rel->primary_key.end(),
                          static_cast<int>(i)) != rel->primary_key.end();
      ivm::Value char_length = NullInt4(), octet_length = NullInt4();
      if (t.IsString()) {
        if (t.length >= 0) char_length = Int4(t.length);
        octet_length = Int4(t.length >= 0 ? t.length * 4 : 1073741824);
      }
      ivm::Value precision = NullInt4(), radix = NullInt4(), scale = NullInt4();
      switch (t.id) {
        case TypeId::kInt16: precision = Int4(16), radix = Int4(2), scale = Int4(0); break;
        case TypeId::kInt32: precision = Int4(32), radix = Int4(2), scale = Int4(0); break;
        case TypeId::kInt64: precision = Int4(64), radix = Int4(2), scale = Int4(0); break;
        case TypeId::kFloat32: precision = Int4(24), radix = Int4(2); break;
        case TypeId::kFloat64: precision = Int4(53), radix = Int4(2); break;
        case TypeId::kNumeric:
          radix = Int4(10);
          if (t.precision >= 0) precision = Int4(t.precision), scale = Int4(t.scale);
          break;
        default:
          break;
      }
      ivm::Value datetime_precision = NullInt4();
      if (t.id == TypeId::kDate) datetime_precision = Int4(0);
      if (t.id == TypeId::kTimestamp || t.id == TypeId::kTimestampTz ||
          t.id == TypeId::kInterval) {
        datetime_precision = Int4(6);
      }
      const ivm::BuiltinType* bt = ivm::FindBuiltinType(ivm::TypeOid(t.id));
      const std::string db = ctx.identity().database;
      rows.push_back({Text(db), Text(rel->schema), Text(rel->name), Text(c.name),
                      Int4(static_cast<int64_t>(i) + 1), NullText(),
                      Text(YesNo(!c.not_null && !pk)), Text(DataType(t)), char_length,
                      octet_length, precision, radix, scale, datetime_precision, NullText(),
                      NullInt4(), NullText(), NullText(), NullText(), NullText(), NullText(),
                      NullText(), NullText(), NullText(), NullText(), Text(db),
                      Text("pg_catalog"), Text(bt ? bt->name : ""), NullText(), NullText(),
                      NullText(), NullInt4(), Text(std::to_string(i + 1)), Text("NO"),
                      Text("NO"), NullText(), NullText(), NullText(), NullText(), NullText(),
                      Text("NO"), Text("NEVER"), NullText(),
                      Text(YesNo(rel->is_table() && !rel->system && rel->source.empty()))});
    }
  }
  return rows;
}

Rows TableConstraints(const QueryContext& ctx) {
  Rows rows;
  const std::string db = ctx.identity().database;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (RelKind(*rel) != 'r' || rel->primary_key.empty()) continue;
    rows.push_back({Text(db), Text(rel->schema), Text(PrimaryKeyName(*rel)), Text(db),
                    Text(rel->schema), Text(rel->name), Text("PRIMARY KEY"), Text("NO"),
                    Text("NO"), Text("YES"), NullText()});
  }
  return rows;
}

Rows KeyColumnUsage(const QueryContext& ctx) {
  Rows rows;
  const std::string db = ctx.identity().database;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (RelKind(*rel) != 'r') continue;
    for (size_t k = 0; k < rel->primary_key.size(); ++k) {
      rows.push_back({Text(db), Text(rel->schema), Text(PrimaryKeyName(*rel)), Text(db),
                      Text(rel->schema), Text(rel->name),
                      Text(rel->columns[rel->primary_key[k]].name),
                      Int4(static_cast<int64_t>(k) + 1), NullInt4()});
    }
  }
  return rows;
}

Rows Routines(const QueryContext& ctx) {
  Rows rows;
  const std::string db = ctx.identity().database;
  const auto& all = ivm::ScalarFunctions();
  for (size_t i = 0; i < all.size(); ++i) {
    const ivm::ScalarFunction& f = all[i];
    if (f.name.empty() || !std::isalpha(static_cast<unsigned char>(f.name[0]))) continue;
    const std::string specific = f.name + "_" + std::to_string(20000 + i);
    const ivm::BuiltinType* bt = ivm::FindBuiltinType(ivm::TypeOid(f.result));
    rows.push_back({Text(db), Text("pg_catalog"), Text(specific), Text(db), Text("pg_catalog"),
                    Text(f.name), Text("FUNCTION"), Text(ivm::Type::Of(f.result).ToString()),
                    Text(bt ? bt->name : ""), Text("EXTERNAL"), Text("INTERNAL"),
                    Text(YesNo(f.deterministic))});
  }
  return rows;
}

}  // namespace

const std::vector<CatalogRelation>& InformationSchemaRelations() {
  static const std::vector<CatalogRelation> kRelations = {
      {kInformationSchema, "schemata",
       "catalog_name:name schema_name:name schema_owner:name "
       "default_character_set_catalog:name default_character_set_schema:name "
       "default_character_set_name:name sql_path:text",
       Schemata, 'v'},
      {kInformationSchema, "tables",
       "table_catalog:name table_schema:name table_name:name table_type:text "
       "self_referencing_column_name:name reference_generation:text "
       "user_defined_type_catalog:name user_defined_type_schema:name "
       "user_defined_type_name:name is_insertable_into:text is_typed:text commit_action:text",
       TablesRows, 'v'},
      {kInformationSchema, "views",
       "table_catalog:name table_schema:name table_name:name view_definition:text "
       "check_option:text is_updatable:text is_insertable_into:text "
       "is_trigger_updatable:text is_trigger_deletable:text is_trigger_insertable_into:text",
       nullptr, 'v'},
      {kInformationSchema, "columns",
       "table_catalog:name table_schema:name table_name:name column_name:name "
       "ordinal_position:int4 column_default:text is_nullable:text data_type:text "
       "character_maximum_length:int4 character_octet_length:int4 numeric_precision:int4 "
       "numeric_precision_radix:int4 numeric_scale:int4 datetime_precision:int4 "
       "interval_type:text interval_precision:int4 character_set_catalog:name "
       "character_set_schema:name character_set_name:name collation_catalog:name "
       "collation_schema:name collation_name:name domain_catalog:name domain_schema:name "
       "domain_name:name udt_catalog:name udt_schema:name udt_name:name scope_catalog:name "
       "scope_schema:name scope_name:name maximum_cardinality:int4 dtd_identifier:name "
       "is_self_referencing:text is_identity:text identity_generation:text "
       "identity_start:text identity_increment:text identity_maximum:text "
       "identity_minimum:text identity_cycle:text is_generated:text "
       "generation_expression:text is_updatable:text",
       ColumnsRows, 'v'},
      {kInformationSchema, "table_constraints",
       "constraint_catalog:name constraint_schema:name constraint_name:name "
       "table_catalog:name table_schema:name table_name:name constraint_type:text "
       "is_deferrable:text initially_deferred:text enforced:text nulls_distinct:text",
       TableConstraints, 'v'},
      {kInformationSchema, "key_column_usage",
       "constraint_catalog:name constraint_schema:name constraint_name:name "
       "table_catalog:name table_schema:name table_name:name column_name:name "
       "ordinal_position:int4 position_in_unique_constraint:int4",
       KeyColumnUsage, 'v'},
      {kInformationSchema, "referential_constraints",
       "constraint_catalog:name constraint_schema:name constraint_name:name "
       "unique_constraint_catalog:name unique_constraint_schema:name "
       "unique_constraint_name:name match_option:text update_rule:text delete_rule:text",
       nullptr, 'v'},
      {kInformationSchema, "routines",
       "specific_catalog:name specific_schema:name specific_name:name routine_catalog:name "
       "routine_schema:name routine_name:name routine_type:text data_type:text "
       "type_udt_name:name routine_body:text external_language:text is_deterministic:text",
       Routines, 'v'},
  };
  return kRelations;
}

}  // namespace server
