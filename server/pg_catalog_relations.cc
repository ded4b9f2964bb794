// pg_catalog's relations, computed from the live catalog: namespaces, classes (tables,
// materialized views, primary-key indexes), attributes, types, indexes, constraints,
// database, roles, settings, access methods, functions, collations and the pg_tables-style
// views; the catalogs of features Tributary lacks (inheritance, triggers, rules, sequences,
// policies, ...) exist and are empty.
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "ivm/functions/builtin_types.h"
#include "ivm/functions/function_registry.h"
#include "server/catalog_oids.h"
#include "server/catalog_relation.h"
#include "server/catalog_roles.h"
#include "server/malloc_config.h"

namespace server {
namespace {

using ivm::Row;
using Rows = std::vector<Row>;

std::string Char(char c) { return std::string(1, c); }

// "{1,2}" (int2[] text form) or "1 2" (int2vector) of 1-based column numbers.
std::string KeyColumns(const sql::RelationInfo& rel, bool vector_form) {
  std::string out;
  for (int c : rel.primary_key) {
    if (!out.empty()) out += vector_form ? " " : ",";
    out += std::to_string(c + 1);
  }
  return vector_form ? out : "{" + out + "}";
}

Rows Namespaces(const QueryContext&) {
  Rows rows;
  for (const char* name : {sql::kSystemSchema, sql::kDefaultSchema, kInformationSchema}) {
    rows.push_back({Oid(NamespaceOid(name)), Text(name), Oid(kBootstrapRoleOid), NullText()});
  }
  return rows;
}

Rows Classes(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    const bool has_pk = !rel->primary_key.empty();
    auto row = [&](int64_t oid, const std::string& name, int64_t type_oid, int64_t am, char kind,
                   int natts, bool has_index) {
      return Row{Oid(oid), Text(name), Oid(NamespaceOid(rel->schema)), Oid(type_oid), Oid(0),
                 Oid(RoleOid(rel->owner)), Oid(am), Oid(oid), Oid(0), Int4(0),
                 ivm::Value::Float32(-1), Int4(0), Oid(0), Bool(has_index), Bool(false),
                 Text("p"), Text(Char(kind)), Int2(natts), Int2(0), Bool(false), Bool(false),
                 Bool(false), Bool(false), Bool(false), Bool(true), Text(kind == 'i' ? "n" : "d"),
                 Bool(false), Oid(0), Text("0"), Text("1"), NullText(), NullText(), NullText()};
    };
    const char kind = RelKind(*rel);
    rows.push_back(row(RelationOid(*rel), rel->name, RowTypeOid(*rel),
                       kind == 'v' ? 0 : kHeapAmOid, kind, static_cast<int>(rel->columns.size()),
                       has_pk));
    if (has_pk) {
      rows.push_back(row(PrimaryKeyIndexOid(*rel), PrimaryKeyName(*rel), 0, kBtreeAmOid, 'i',
                         static_cast<int>(rel->primary_key.size()), false));
    }
  }
  return rows;
}

Rows Attributes(const QueryContext& ctx) {
  Rows rows;
  auto attribute = [&](int64_t relid, const sql::ColumnInfo& c, int number) {
    const ivm::TypeId id = c.type.id;
    const bool collatable = c.type.IsString();
    return Row{Oid(relid), Text(c.name), Oid(ivm::TypeOid(c.type)), Int4(-1),
               Int2(ivm::TypeLength(id)), Int2(number), Int4(0), Int4(-1),
               Int4(ivm::TypeModifier(c.type)), Bool(ivm::TypeLength(id) > 0 && ivm::TypeLength(id) <= 8),
               Text(ivm::TypeLength(id) == 8 ? "d" : ivm::TypeLength(id) == 2 ? "s" : ivm::TypeLength(id) == 1 ? "c" : "i"),
               Text(ivm::TypeLength(id) > 0 ? "p" : "x"), Text(""), Bool(c.not_null), Bool(false),
               Bool(false), Text(""), Text(""), Bool(false), Bool(true), Int4(0),
               Oid(collatable ? kDefaultCollationOid : 0), NullText(), NullText(), NullText(),
               NullText()};
  };
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    for (size_t i = 0; i < rel->columns.size(); ++i) {
      sql::ColumnInfo c = rel->columns[i];
      if (std::find(rel->primary_key.begin(), rel->primary_key.end(), static_cast<int>(i)) !=
          rel->primary_key.end()) {
        c.not_null = true;  // a primary key column is NOT NULL, as in PostgreSQL
      }
      rows.push_back(attribute(RelationOid(*rel), c, static_cast<int>(i) + 1));
    }
    for (size_t k = 0; k < rel->primary_key.size(); ++k) {
      sql::ColumnInfo c = rel->columns[rel->primary_key[k]];
      c.not_null = false;
      rows.push_back(attribute(PrimaryKeyIndexOid(*rel), c, static_cast<int>(k) + 1));
    }
  }
  return rows;
}

Rows Types(const QueryContext&) {
  Rows rows;
  for (const ivm::BuiltinType& t : ivm::BuiltinTypes()) {
    const bool array = t.element_oid != 0;
    const std::string base = array ? std::string(t.name).substr(1) : t.name;
    const bool collatable = t.category == 'S' && t.oid != 19;
    rows.push_back({Oid(t.oid), Text(t.name), Oid(kPgCatalogNamespaceOid), Oid(kBootstrapRoleOid),
                    Int2(t.length), Bool(t.length > 0 && t.length <= 8), Text("b"),
                    Text(Char(t.category)), Bool(t.oid == 25 || t.oid == 701 || t.oid == 16 ||
                                                 t.oid == 1184 || t.oid == 1186 || t.oid == 26),
                    Bool(true), Text(","), Oid(0), Oid(t.element_oid), Oid(t.array_oid),
                    Text(array ? "array_in" : base + "in"), Text(array ? "array_out" : base + "out"),
                    Text(array ? "array_recv" : base + "recv"),
                    Text(array ? "array_send" : base + "send"), Text("-"), Text("-"), Text("-"),
                    Text(t.length == 8 ? "d" : t.length == 2 ? "s" : t.length == 1 ? "c" : "i"),
                    Text(t.length > 0 ? "p" : "x"), Bool(false), Oid(0), Int4(-1), Int4(0),
                    Oid(collatable ? kDefaultCollationOid : 0), NullText(), NullText(),
                    NullText()});
  }
  return rows;
}

Rows Indexes(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (rel->primary_key.empty()) continue;
    const int n = static_cast<int>(rel->primary_key.size());
    std::string zeros;
    for (int i = 0; i < n; ++i) zeros += i ? " 0" : "0";
    rows.push_back({Oid(PrimaryKeyIndexOid(*rel)), Oid(RelationOid(*rel)), Int2(n), Int2(n),
                    Bool(true), Bool(false), Bool(true), Bool(false), Bool(true), Bool(false),
                    Bool(true), Bool(false), Bool(true), Bool(true), Bool(false),
                    Text(KeyColumns(*rel, true)), Text(zeros), Text(zeros), Text(zeros),
                    NullText(), NullText()});
  }
  return rows;
}

Rows Constraints(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (rel->primary_key.empty()) continue;
    rows.push_back({Oid(PrimaryKeyConstraintOid(*rel)), Text(PrimaryKeyName(*rel)),
                    Oid(NamespaceOid(rel->schema)), Text("p"), Bool(false), Bool(false),
                    Bool(true), Oid(RelationOid(*rel)), Oid(0), Oid(PrimaryKeyIndexOid(*rel)),
                    Oid(0), Oid(0), Text(" "), Text(" "), Text(" "), Bool(true), Int4(0),
                    Bool(true), Text(KeyColumns(*rel, false)), NullText(), NullText(), NullText(),
                    NullText(), NullText(), NullText(), NullText()});
  }
  return rows;
}

Rows Databases(const QueryContext& ctx) {
  return {{Oid(kDatabaseOid), Text(ctx.identity().database), Oid(kBootstrapRoleOid), Int4(6),
           Text("c"), Bool(false), Bool(true), Int4(-1), Text("716"), Text("1"), Oid(1663),
           Text("C.UTF-8"), Text("C.UTF-8"), NullText(), NullText(), NullText()}};
}

Rows Roles(const QueryContext& ctx) {
  Rows rows;
  for (const CatalogRole& r : ListRoles(ctx.catalog())) {
    rows.push_back({Text(r.name), Bool(r.superuser), Bool(true), Bool(r.superuser),
                    Bool(r.superuser), Bool(r.can_login), Bool(r.superuser), Int4(-1),
                    Text("********"), ivm::Value::Null(ivm::TypeId::kTimestampTz),
                    Bool(r.superuser), NullText(), Oid(r.oid)});
  }
  return rows;
}

Rows Users(const QueryContext& ctx) {
  Rows rows;
  for (const CatalogRole& r : ListRoles(ctx.catalog())) {
    if (!r.can_login) continue;
    rows.push_back({Text(r.name), Oid(r.oid), Bool(r.superuser), Bool(r.superuser),
                    Bool(r.superuser), Bool(r.superuser), Text("********"),
                    ivm::Value::Null(ivm::TypeId::kTimestampTz), NullText()});
  }
  return rows;
}

Rows Settings(const QueryContext& ctx) {
  Rows rows;
  for (const SessionSettings::Listed& s : ctx.settings().List()) {
    rows.push_back({Text(s.name), Text(s.value), NullText(), Text("Client Connection Defaults"),
                    Text(s.description), NullText(), Text(s.read_only ? "internal" : "user"),
                    Text("string"), Text(s.value == s.default_value ? "default" : "session"),
                    NullText(), NullText(), NullText(), Text(s.default_value),
                    Text(s.default_value), NullText(), NullInt4(), Bool(false)});
  }
  return rows;
}

// The "VmRSS:  1234 kB"-style lines of /proc/self/status named in `fields`, in bytes (NULL
// where a field is missing), read in one pass.
std::vector<ivm::Value> ProcessStatusBytes(const std::vector<std::string>& fields) {
  std::vector<ivm::Value> out(fields.size(), ivm::Value::Null(ivm::TypeId::kInt64));
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (line.rfind(fields[i] + ":", 0) == 0) {
        out[i] = ivm::Value::Int64(std::atoll(line.c_str() + fields[i].size() + 1) * 1024);
      }
    }
  }
  return out;
}

Rows Memory(const QueryContext& ctx) {
  auto bytes = [](uint64_t b) { return ivm::Value::Int64(static_cast<int64_t>(b)); };
  const struct mallinfo2 heap = mallinfo2();
  std::vector<ivm::Value> resident = ProcessStatusBytes({"VmRSS", "VmHWM"});
  Rows rows = {
      {Text("resident"), resident[0],
       Text("the server process's memory in RAM (VmRSS), everything below included")},
      {Text("resident peak"), resident[1],
       Text("the most the server process has had in RAM since it started (VmHWM)")},
      {Text("heap in use"), bytes(heap.uordblks + heap.hblkhd),
       Text("memory allocated and not yet freed (malloc), storage engine included")},
      {Text("heap free"), bytes(heap.fordblks),
       Text("memory freed to malloc that it keeps for reuse rather than return")},
      {Text("released when idle"), bytes(FreeMemoryReleased()),
       Text("freed memory handed back to the system each time the server went idle, in all")},
  };
  if (std::optional<storage::StorageMemory> storage = ctx.StorageMemory()) {
    rows.push_back({Text("memtables"), bytes(storage->memtables),
                    Text("recent writes held in memory until flushed to table files")});
    rows.push_back({Text("block cache"), bytes(storage->block_cache),
                    Text("table-file blocks cached for reads")});
    rows.push_back({Text("block cache capacity"), bytes(storage->block_cache_capacity),
                    Text("the most the block cache holds")});
    rows.push_back({Text("table readers"), bytes(storage->table_readers),
                    Text("index and bloom filter blocks of the open table files")});
  }
  return rows;
}

Rows AccessMethods(const QueryContext&) {
  return {{Oid(kHeapAmOid), Text("heap"), Text("heap_tableam_handler"), Text("t")},
          {Oid(kBtreeAmOid), Text("btree"), Text("bthandler"), Text("i")}};
}

Rows Functions(const QueryContext&) {
  Rows rows;
  const auto& all = ivm::ScalarFunctions();
  for (size_t i = 0; i < all.size(); ++i) {
    const ivm::ScalarFunction& f = all[i];
    bool is_operator = !f.name.empty() && !std::isalpha(static_cast<unsigned char>(f.name[0]));
    if (is_operator) continue;
    std::string args;
    for (ivm::TypeId p : f.params) {
      if (!args.empty()) args += " ";
      args += std::to_string(ivm::TypeOid(p));
    }
    rows.push_back({Oid(20000 + static_cast<int64_t>(i)), Text(f.name),
                    Oid(kPgCatalogNamespaceOid), Oid(kBootstrapRoleOid), Oid(12),
                    ivm::Value::Float32(1), ivm::Value::Float32(0), Oid(f.variadic_any ? 2276 : 0),
                    Text("-"), Text("f"), Bool(false), Bool(false), Bool(f.strict), Bool(false),
                    Text(f.deterministic ? "i" : "v"), Text("s"),
                    Int2(static_cast<int>(f.params.size())), Int2(0),
                    Oid(ivm::TypeOid(f.result)), Text(args), NullText(), NullText(), NullText(),
                    NullText(), NullText(), Text(f.name), NullText(), NullText(), NullText(),
                    NullText()});
  }
  return rows;
}

Rows Collations(const QueryContext&) {
  auto row = [](int64_t oid, const char* name, const char* provider, int encoding,
                const char* collate) {
    return Row{Oid(oid), Text(name), Oid(kPgCatalogNamespaceOid), Oid(kBootstrapRoleOid),
               Text(provider), Bool(true), Int4(encoding),
               *collate ? Text(collate) : NullText(), *collate ? Text(collate) : NullText(),
               NullText(), NullText()};
  };
  return {row(kDefaultCollationOid, "default", "d", -1, ""), row(950, "C", "c", -1, "C"),
          row(951, "POSIX", "c", -1, "POSIX")};
}

Rows Tablespaces(const QueryContext&) {
  return {{Oid(1663), Text("pg_default"), Oid(kBootstrapRoleOid), NullText(), NullText()},
          {Oid(1664), Text("pg_global"), Oid(kBootstrapRoleOid), NullText(), NullText()}};
}

Rows Languages(const QueryContext&) {
  auto row = [](int64_t oid, const char* name) {
    return Row{Oid(oid), Text(name), Oid(kBootstrapRoleOid), Bool(false), Bool(oid != 13),
               Oid(0), Oid(0), Oid(0), NullText()};
  };
  return {row(12, "internal"), row(13, "c"), row(14, "sql")};
}

Rows Tables(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (RelKind(*rel) != 'r') continue;
    rows.push_back({Text(rel->schema), Text(rel->name), Text(OwnerName(*rel)), NullText(),
                    Bool(!rel->primary_key.empty()), Bool(false), Bool(false), Bool(false)});
  }
  return rows;
}

// Views made with CREATE VIEW (the catalog's own views have no SQL definition to show).
Rows Views(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (!rel->is_view()) continue;
    rows.push_back({Text(rel->schema), Text(rel->name), Text(OwnerName(*rel)),
                    Text(*ctx.ViewDefinition(RelationOid(*rel)))});
  }
  return rows;
}

Rows MaterializedViews(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (RelKind(*rel) != 'm') continue;
    rows.push_back({Text(rel->schema), Text(rel->name), Text(OwnerName(*rel)), NullText(),
                    Bool(!rel->primary_key.empty()), Bool(true),
                    Text(*ctx.ViewDefinition(RelationOid(*rel)))});
  }
  return rows;
}

// Activity statistics: the tables and materialized views are listed; Tributary keeps no
// scan, tuple or vacuum counters, so those are NULL (unknown) rather than made up.
Rows UserTableStatistics(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (rel->schema != sql::kDefaultSchema) continue;
    Row row{Oid(RelationOid(*rel)), Text(rel->schema), Text(rel->name)};
    for (int i = 0; i < 12; ++i) row.push_back(ivm::Value::Null(ivm::TypeId::kInt64));
    for (int i = 0; i < 4; ++i) row.push_back(ivm::Value::Null(ivm::TypeId::kTimestampTz));
    for (int i = 0; i < 4; ++i) row.push_back(ivm::Value::Null(ivm::TypeId::kInt64));
    rows.push_back(std::move(row));
  }
  return rows;
}

Rows IndexList(const QueryContext& ctx) {
  Rows rows;
  for (const sql::RelationInfo* rel : ListedRelations(ctx.catalog())) {
    if (rel->primary_key.empty()) continue;
    rows.push_back({Text(rel->schema), Text(rel->name), Text(PrimaryKeyName(*rel)), NullText(),
                    Text(*ctx.IndexDefinition(PrimaryKeyIndexOid(*rel)))});
  }
  return rows;
}

}  // namespace

const std::vector<CatalogRelation>& PgCatalogRelations() {
  static const std::vector<CatalogRelation> kRelations = {
      {"pg_catalog", "pg_namespace", "oid:oid nspname:name nspowner:oid nspacl:aclitem[]",
       Namespaces},
      {"pg_catalog", "pg_class",
       "oid:oid relname:name relnamespace:oid reltype:oid reloftype:oid relowner:oid relam:oid "
       "relfilenode:oid reltablespace:oid relpages:int4 reltuples:float4 relallvisible:int4 "
       "reltoastrelid:oid relhasindex:bool relisshared:bool relpersistence:char relkind:char "
       "relnatts:int2 relchecks:int2 relhasrules:bool relhastriggers:bool relhassubclass:bool "
       "relrowsecurity:bool relforcerowsecurity:bool relispopulated:bool relreplident:char "
       "relispartition:bool relrewrite:oid relfrozenxid:xid relminmxid:xid relacl:aclitem[] "
       "reloptions:text[] relpartbound:pg_node_tree",
       Classes},
      {"pg_catalog", "pg_attribute",
       "attrelid:oid attname:name atttypid:oid attstattarget:int4 attlen:int2 attnum:int2 "
       "attndims:int4 attcacheoff:int4 atttypmod:int4 attbyval:bool attalign:char "
       "attstorage:char attcompression:char attnotnull:bool atthasdef:bool atthasmissing:bool "
       "attidentity:char attgenerated:char attisdropped:bool attislocal:bool attinhcount:int4 "
       "attcollation:oid attacl:aclitem[] attoptions:text[] attfdwoptions:text[] "
       "attmissingval:anyarray",
       Attributes},
      {"pg_catalog", "pg_type",
       "oid:oid typname:name typnamespace:oid typowner:oid typlen:int2 typbyval:bool "
       "typtype:char typcategory:char typispreferred:bool typisdefined:bool typdelim:char "
       "typrelid:oid typelem:oid typarray:oid typinput:regproc typoutput:regproc "
       "typreceive:regproc typsend:regproc typmodin:regproc typmodout:regproc "
       "typanalyze:regproc typalign:char typstorage:char typnotnull:bool typbasetype:oid "
       "typtypmod:int4 typndims:int4 typcollation:oid typdefaultbin:pg_node_tree "
       "typdefault:text typacl:aclitem[]",
       Types},
      {"pg_catalog", "pg_index",
       "indexrelid:oid indrelid:oid indnatts:int2 indnkeyatts:int2 indisunique:bool "
       "indnullsnotdistinct:bool indisprimary:bool indisexclusion:bool indimmediate:bool "
       "indisclustered:bool indisvalid:bool indcheckxmin:bool indisready:bool indislive:bool "
       "indisreplident:bool indkey:int2vector indcollation:oidvector indclass:oidvector "
       "indoption:int2vector indexprs:pg_node_tree indpred:pg_node_tree",
       Indexes},
      {"pg_catalog", "pg_constraint",
       "oid:oid conname:name connamespace:oid contype:char condeferrable:bool "
       "condeferred:bool convalidated:bool conrelid:oid contypid:oid conindid:oid "
       "conparentid:oid confrelid:oid confupdtype:char confdeltype:char confmatchtype:char "
       "conislocal:bool coninhcount:int4 connoinherit:bool conkey:int2[] confkey:int2[] "
       "conpfeqop:oid[] conppeqop:oid[] conffeqop:oid[] confdelsetcols:int2[] conexclop:oid[] "
       "conbin:pg_node_tree",
       Constraints},
      {"pg_catalog", "pg_attrdef", "oid:oid adrelid:oid adnum:int2 adbin:pg_node_tree", nullptr},
      {"pg_catalog", "pg_description",
       "objoid:oid classoid:oid objsubid:int4 description:text", nullptr},
      {"pg_catalog", "pg_shdescription", "objoid:oid classoid:oid description:text", nullptr},
      {"pg_catalog", "pg_database",
       "oid:oid datname:name datdba:oid encoding:int4 datlocprovider:char datistemplate:bool "
       "datallowconn:bool datconnlimit:int4 datfrozenxid:xid datminmxid:xid dattablespace:oid "
       "datcollate:text datctype:text daticulocale:text datcollversion:text datacl:aclitem[]",
       Databases},
      {"pg_catalog", "pg_roles",
       "rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool "
       "rolcanlogin:bool rolreplication:bool rolconnlimit:int4 rolpassword:text "
       "rolvaliduntil:timestamptz rolbypassrls:bool rolconfig:text[] oid:oid",
       Roles, 'v'},
      {"pg_catalog", "pg_user",
       "usename:name usesysid:oid usecreatedb:bool usesuper:bool userepl:bool "
       "usebypassrls:bool passwd:text valuntil:timestamptz useconfig:text[]",
       Users, 'v'},
      {"pg_catalog", "pg_auth_members",
       "oid:oid roleid:oid member:oid grantor:oid admin_option:bool", nullptr},
      {"pg_catalog", "pg_settings",
       "name:text setting:text unit:text category:text short_desc:text extra_desc:text "
       "context:text vartype:text source:text min_val:text max_val:text enumvals:text[] "
       "boot_val:text reset_val:text sourcefile:text sourceline:int4 pending_restart:bool",
       Settings, 'v'},
      {"pg_catalog", "pg_am", "oid:oid amname:name amhandler:regproc amtype:char",
       AccessMethods},
      {"pg_catalog", "pg_proc",
       "oid:oid proname:name pronamespace:oid proowner:oid prolang:oid procost:float4 "
       "prorows:float4 provariadic:oid prosupport:regproc prokind:char prosecdef:bool "
       "proleakproof:bool proisstrict:bool proretset:bool provolatile:char proparallel:char "
       "pronargs:int2 pronargdefaults:int2 prorettype:oid proargtypes:oidvector "
       "proallargtypes:oid[] proargmodes:char[] proargnames:text[] proargdefaults:pg_node_tree "
       "protrftypes:oid[] prosrc:text probin:text prosqlbody:pg_node_tree proconfig:text[] "
       "proacl:aclitem[]",
       Functions},
      {"pg_catalog", "pg_collation",
       "oid:oid collname:name collnamespace:oid collowner:oid collprovider:char "
       "collisdeterministic:bool collencoding:int4 collcollate:text collctype:text "
       "colliculocale:text collversion:text",
       Collations},
      {"pg_catalog", "pg_tablespace",
       "oid:oid spcname:name spcowner:oid spcacl:aclitem[] spcoptions:text[]", Tablespaces},
      {"pg_catalog", "pg_language",
       "oid:oid lanname:name lanowner:oid lanispl:bool lanpltrusted:bool lanplcallfoid:oid "
       "laninline:oid lanvalidator:oid lanacl:aclitem[]",
       Languages},
      {"pg_catalog", "pg_extension",
       "oid:oid extname:name extowner:oid extnamespace:oid extrelocatable:bool "
       "extversion:text extconfig:oid[] extcondition:text[]",
       nullptr},
      {"pg_catalog", "pg_tables",
       "schemaname:name tablename:name tableowner:name tablespace:name hasindexes:bool "
       "hasrules:bool hastriggers:bool rowsecurity:bool",
       Tables, 'v'},
      {"pg_catalog", "pg_views",
       "schemaname:name viewname:name viewowner:name definition:text", Views, 'v'},
      {"pg_catalog", "pg_matviews",
       "schemaname:name matviewname:name matviewowner:name tablespace:name hasindexes:bool "
       "ispopulated:bool definition:text",
       MaterializedViews, 'v'},
      {"pg_catalog", "pg_indexes",
       "schemaname:name tablename:name indexname:name tablespace:name indexdef:text",
       IndexList, 'v'},
      {"pg_catalog", "pg_stat_user_tables",
       "relid:oid schemaname:name relname:name seq_scan:int8 seq_tup_read:int8 idx_scan:int8 "
       "idx_tup_fetch:int8 n_tup_ins:int8 n_tup_upd:int8 n_tup_del:int8 n_tup_hot_upd:int8 "
       "n_live_tup:int8 n_dead_tup:int8 n_mod_since_analyze:int8 n_ins_since_vacuum:int8 "
       "last_vacuum:timestamptz last_autovacuum:timestamptz last_analyze:timestamptz "
       "last_autoanalyze:timestamptz vacuum_count:int8 autovacuum_count:int8 "
       "analyze_count:int8 autoanalyze_count:int8",
       UserTableStatistics, 'v'},
      {"pg_catalog", "pg_inherits",
       "inhrelid:oid inhparent:oid inhseqno:int4 inhdetachpending:bool", nullptr},
      {"pg_catalog", "pg_enum", "oid:oid enumtypid:oid enumsortorder:float4 enumlabel:name",
       nullptr},
      {"pg_catalog", "pg_range",
       "rngtypid:oid rngsubtype:oid rngmultitypid:oid rngcollation:oid rngsubopc:oid "
       "rngcanonical:regproc rngsubdiff:regproc",
       nullptr},
      {"pg_catalog", "pg_trigger",
       "oid:oid tgrelid:oid tgparentid:oid tgname:name tgfoid:oid tgtype:int2 tgenabled:char "
       "tgisinternal:bool tgconstrrelid:oid tgconstrindid:oid tgconstraint:oid "
       "tgdeferrable:bool tginitdeferred:bool tgnargs:int2 tgattr:int2vector tgargs:bytea "
       "tgqual:pg_node_tree tgoldtable:name tgnewtable:name",
       nullptr},
      {"pg_catalog", "pg_rewrite",
       "oid:oid rulename:name ev_class:oid ev_type:char ev_enabled:char is_instead:bool "
       "ev_qual:pg_node_tree ev_action:pg_node_tree",
       nullptr},
      {"pg_catalog", "pg_sequence",
       "seqrelid:oid seqtypid:oid seqstart:int8 seqincrement:int8 seqmax:int8 seqmin:int8 "
       "seqcache:int8 seqcycle:bool",
       nullptr},
      {"pg_catalog", "pg_policy",
       "oid:oid polname:name polrelid:oid polcmd:char polpermissive:bool polroles:oid[] "
       "polqual:pg_node_tree polwithcheck:pg_node_tree",
       nullptr},
      {"pg_catalog", "pg_event_trigger",
       "oid:oid evtname:name evtevent:name evtowner:oid evtfoid:oid evtenabled:char "
       "evttags:text[]",
       nullptr},
      {"pg_catalog", "pg_depend",
       "classid:oid objid:oid objsubid:int4 refclassid:oid refobjid:oid refobjsubid:int4 "
       "deptype:char",
       nullptr},
      {"pg_catalog", "pg_statistic_ext",
       "oid:oid stxrelid:oid stxname:name stxnamespace:oid stxowner:oid stxstattarget:int4 "
       "stxkeys:int2vector stxkind:char[] stxexprs:pg_node_tree",
       nullptr},
      {"pg_catalog", "pg_publication",
       "oid:oid pubname:name pubowner:oid puballtables:bool pubinsert:bool pubupdate:bool "
       "pubdelete:bool pubtruncate:bool pubviaroot:bool",
       nullptr},
      {"pg_catalog", "pg_publication_rel",
       "oid:oid prpubid:oid prrelid:oid prqual:pg_node_tree prattrs:int2vector", nullptr},
      {"pg_catalog", "pg_publication_namespace", "oid:oid pnpubid:oid pnnspid:oid", nullptr},
      {"pg_catalog", "pg_foreign_table", "ftrelid:oid ftserver:oid ftoptions:text[]", nullptr},
      {"pg_catalog", "pg_partitioned_table",
       "partrelid:oid partstrat:char partnatts:int2 partdefid:oid partattrs:int2vector "
       "partclass:oidvector partcollation:oidvector partexprs:pg_node_tree",
       nullptr},
      {"pg_catalog", "pg_operator",
       "oid:oid oprname:name oprnamespace:oid oprowner:oid oprkind:char oprcanmerge:bool "
       "oprcanhash:bool oprleft:oid oprright:oid oprresult:oid oprcom:oid oprnegate:oid "
       "oprcode:regproc oprrest:regproc oprjoin:regproc",
       nullptr},
      {"pg_catalog", "pg_cast",
       "oid:oid castsource:oid casttarget:oid castfunc:oid castcontext:char castmethod:char",
       nullptr},
      // aggfnoid is an oid here (regproc columns elsewhere show names): clients join it to
      // pg_proc.oid.
      {"pg_catalog", "pg_aggregate", "aggfnoid:oid aggkind:char aggnumdirectargs:int2",
       nullptr},
      {"pg_catalog", "pg_conversion",
       "oid:oid conname:name connamespace:oid conowner:oid conforencoding:int4 "
       "contoencoding:int4 conproc:regproc condefault:bool",
       nullptr},
      // Tributary's own: where the server's memory goes.
      {"pg_catalog", "tributary_memory", "component:text bytes:int8 description:text", Memory,
       'v'},
  };
  return kRelations;
}

}  // namespace server
