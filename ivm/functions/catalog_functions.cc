// Functions clients call to read the catalog and the session: version(), current_user,
// current_database(), pg_backend_pid(), pg_get_userbyid, format_type, pg_table_is_visible,
// obj_description and friends, pg_get_viewdef/constraintdef/indexdef/expr,
// pg_encoding_to_char, has_*_privilege, current_setting, to_regclass, and the regex
// operators ~ ~* !~ !~*. The catalog and the session come from the thread's CatalogContext.
#include <algorithm>
#include <cctype>
#include <regex>
#include <optional>
#include <string>
#include <vector>

#include "ivm/error.h"
#include "ivm/functions/builtin_types.h"
#include "ivm/functions/catalog_context.h"
#include "ivm/functions/function_registry.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

thread_local const CatalogContext* current_context = nullptr;

using Args = std::span<const Value>;
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kInt = TypeId::kInt32;
constexpr TypeId kOid = TypeId::kInt64;  // oids are bigint values here
constexpr TypeId kBool = TypeId::kBool;

const CatalogContext& Context(const char* function) {
  if (!current_context) {
    throw Error(sqlstate::kFeatureNotSupported,
                std::string(function) + "() is only available in queries");
  }
  return *current_context;
}

Value TextOrNull(const std::optional<std::string>& s) {
  return s ? Value::Text(*s) : Value::Null(kText);
}

Value Version(Args) {
  return Value::Text(
      "PostgreSQL 15.0 (Tributary 0.1) on x86_64-pc-linux-gnu, compiled by gcc, 64-bit");
}
Value CurrentUser(Args) { return Value::Text(Context("current_user").CurrentUser()); }
Value CurrentDatabase(Args) {
  return Value::Text(Context("current_database").CurrentDatabase());
}
Value CurrentSchema(Args) { return Value::Text("public"); }
// current_schemas(include_implicit): the schemas searched, as a name[] (here text[]).
Value CurrentSchemas(Args a) {
  std::vector<Value> schemas;
  if (a[0].bool_value()) schemas.push_back(Value::Text("pg_catalog"));
  schemas.push_back(Value::Text("public"));
  return Value::Array(std::move(schemas));
}
Value BackendPid(Args) { return Value::Int32(Context("pg_backend_pid").BackendPid()); }
Value CurrentSetting(Args a) {
  std::optional<std::string> v = Context("current_setting").Setting(a[0].string_value());
  if (!v) {
    throw Error(sqlstate::kUndefinedObject,
                "unrecognized configuration parameter \"" + a[0].string_value() + "\"");
  }
  return Value::Text(*v);
}
Value GetUserById(Args a) {
  std::optional<std::string> name = Context("pg_get_userbyid").RoleName(a[0].int_value());
  return Value::Text(name ? *name : "unknown (OID=" + std::to_string(a[0].int_value()) + ")");
}
// format_type(type_oid, typmod): NULL typmod means "no modifier"; NULL oid gives NULL.
Value FormatTypeFn(Args a) {
  if (a[0].is_null()) return Value::Null(kText);
  int32_t typmod = a[1].is_null() ? -1 : static_cast<int32_t>(a[1].int_value());
  return Value::Text(FormatType(static_cast<uint32_t>(a[0].int_value()), typmod));
}
Value TableIsVisible(Args a) {
  return Value::Bool(Context("pg_table_is_visible").RelationVisible(a[0].int_value()));
}
Value TypeIsVisible(Args a) {
  return Value::Bool(FindBuiltinType(static_cast<uint32_t>(a[0].int_value())) != nullptr);
}
// Tributary has no COMMENT ON: every object's description is absent, as in PostgreSQL for
// an object nobody commented.
Value NoDescription(Args) { return Value::Null(kText); }
// What Tributary has none of: partitioned tables, rewrite rules, extended statistics,
// publications, and per-index scan counters. The functions answer as PostgreSQL does for
// objects without them.
Value NullText(Args) { return Value::Null(kText); }
Value NotTracked(Args) { return Value::Null(TypeId::kInt64); }
Value NotPublishable(Args) { return Value::Bool(false); }
// Every tablespace is the default one, which has no location of its own.
Value TablespaceLocation(Args) { return Value::Text(""); }
Value ViewDef(Args a) {
  return TextOrNull(Context("pg_get_viewdef").ViewDefinition(a[0].int_value()));
}
Value ViewDefByName(Args a) {
  const CatalogContext& c = Context("pg_get_viewdef");
  std::optional<int64_t> oid = c.RelationOid(a[0].string_value());
  if (!oid) {
    throw Error(sqlstate::kUndefinedTable,
                "relation \"" + a[0].string_value() + "\" does not exist");
  }
  return TextOrNull(c.ViewDefinition(*oid));
}
Value ConstraintDef(Args a) {
  return TextOrNull(Context("pg_get_constraintdef").ConstraintDefinition(a[0].int_value()));
}
Value IndexDef(Args a) {
  return TextOrNull(Context("pg_get_indexdef").IndexDefinition(a[0].int_value()));
}
// pg_get_indexdef(oid, column, pretty): column 0 is the whole definition, n the n-th column.
Value IndexDefColumn(Args a) {
  std::optional<std::string> def = Context("pg_get_indexdef").IndexDefinition(a[0].int_value());
  if (!def) return Value::Null(kText);
  const int64_t column = a[1].int_value();
  if (column == 0) return Value::Text(*def);
  size_t open = def->rfind('('), close = def->rfind(')');
  if (open == std::string::npos || close == std::string::npos) return Value::Null(kText);
  std::string list = def->substr(open + 1, close - open - 1);
  int64_t n = 1;
  size_t start = 0;
  while (n < column) {
    start = list.find(", ", start);
    if (start == std::string::npos) return Value::Text("");
    start += 2;
    ++n;
  }
  return Value::Text(list.substr(start, list.find(", ", start) - start));
}
// pg_get_expr(expr_text, relation): the stored expressions are kept as SQL text already.
Value GetExpr(Args a) { return Value::Text(a[0].string_value()); }
Value EncodingToChar(Args a) {
  switch (a[0].int_value()) {
    case 0:
      return Value::Text("SQL_ASCII");
    case 6:
      return Value::Text("UTF8");
    default:
      return Value::Text("");
  }
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// has_table_privilege([role,] table, privilege); the table by name or by oid.
int64_t RelationOidArg(const CatalogContext& c, const Value& v) {
  if (v.type() != kText) return v.int_value();
  std::optional<int64_t> oid = c.RelationOid(v.string_value());
  if (!oid) {
    throw Error(sqlstate::kUndefinedTable, "relation \"" + v.string_value() + "\" does not exist");
  }
  return *oid;
}
Value HasTablePrivilege(Args a) {
  const CatalogContext& c = Context("has_table_privilege");
  const bool with_role = a.size() == 3;
  std::string role = with_role ? a[0].string_value() : c.CurrentUser();
  int64_t oid = RelationOidArg(c, a[with_role ? 1 : 0]);
  return Value::Bool(c.HasPrivilege(role, oid, Lower(a.back().string_value())));
}
// Schemas, databases, functions, ...: object 0 stands for "any object of that kind".
Value HasObjectPrivilege(Args a) {
  const CatalogContext& c = Context("has_privilege");
  std::string role = a.size() == 3 ? a[0].string_value() : c.CurrentUser();
  return Value::Bool(c.HasPrivilege(role, 0, Lower(a.back().string_value())));
}
Value ToRegclass(Args a) {
  std::optional<int64_t> oid = Context("to_regclass").RelationOid(a[0].string_value());
  return oid ? Value::Int64(*oid) : Value::Null(kOid);
}
// 'name'::regclass: like to_regclass, but a missing relation is an error (42P01).
Value RegclassIn(Args a) {
  std::optional<int64_t> oid = Context("regclass").RelationOid(a[0].string_value());
  if (!oid) {
    throw Error(sqlstate::kUndefinedTable,
                "relation \"" + a[0].string_value() + "\" does not exist");
  }
  return Value::Int64(*oid);
}
// 'int4'::regtype / 'integer'::regtype.
Value RegtypeIn(Args a) {
  std::string name = Lower(a[0].string_value());
  if (name.rfind("pg_catalog.", 0) == 0) name = name.substr(11);
  for (const BuiltinType& t : BuiltinTypes()) {
    if (name == t.name || name == t.sql_name) return Value::Int64(t.oid);
  }
  static const std::pair<const char*, uint32_t> kAliases[] = {
      {"int", 23},       {"integer", 23},  {"smallint", 21}, {"bigint", 20},
      {"varchar", 1043}, {"char", 1042},   {"real", 700},    {"float", 701},
      {"decimal", 1700}, {"boolean", 16},  {"timestamptz", 1184}};
  for (const auto& [alias, oid] : kAliases) {
    if (name == alias) return Value::Int64(oid);
  }
  throw Error(sqlstate::kUndefinedObject, "type \"" + a[0].string_value() + "\" does not exist");
}

// The registered function an oid of pg_proc names (oid 20000 + its registry index).
const ScalarFunction* FunctionByOid(int64_t oid) {
  const auto& all = ScalarFunctions();
  if (oid < 20000 || oid - 20000 >= static_cast<int64_t>(all.size())) return nullptr;
  return &all[static_cast<size_t>(oid - 20000)];
}
Value FunctionIsVisible(Args a) { return Value::Bool(FunctionByOid(a[0].int_value()) != nullptr); }
Value FunctionResult(Args a) {
  const ScalarFunction* f = FunctionByOid(a[0].int_value());
  if (!f) return Value::Null(kText);
  return Value::Text(Type::Of(f->result).ToString());
}
Value FunctionArguments(Args a) {
  const ScalarFunction* f = FunctionByOid(a[0].int_value());
  if (!f) return Value::Null(kText);
  std::string out;
  for (TypeId p : f->params) {
    if (!out.empty()) out += ", ";
    out += Type::Of(p).ToString();
  }
  if (f->variadic_any) out += std::string(out.empty() ? "" : ", ") + "VARIADIC \"any\"";
  return Value::Text(out);
}

// POSIX-style regular expressions, approximated by ECMAScript (std::regex): the patterns
// clients send to the catalog ("^(t)$", "^pg_toast") mean the same in both.
bool RegexMatch(const Value& s, const Value& pattern, bool icase) {
  auto flags = std::regex::ECMAScript | (icase ? std::regex::icase : std::regex::ECMAScript);
  try {
    return std::regex_search(s.string_value(), std::regex(pattern.string_value(), flags));
  } catch (const std::regex_error& e) {
    throw Error(sqlstate::kInvalidRegularExpression,
                "invalid regular expression: " + std::string(e.what()));
  }
}
Value Match(Args a) { return Value::Bool(RegexMatch(a[0], a[1], false)); }
Value MatchIcase(Args a) { return Value::Bool(RegexMatch(a[0], a[1], true)); }
Value NotMatch(Args a) { return Value::Bool(!RegexMatch(a[0], a[1], false)); }
Value NotMatchIcase(Args a) { return Value::Bool(!RegexMatch(a[0], a[1], true)); }

}  // namespace

const CatalogContext* CurrentCatalogContext() { return current_context; }

CatalogContextScope::CatalogContextScope(const CatalogContext* context)
    : previous_(current_context) {
  current_context = context;
}
CatalogContextScope::~CatalogContextScope() { current_context = previous_; }

void AddCatalogFunctions(std::vector<ScalarFunction>* out) {
  // Session functions give the same answer throughout a query, but not across sessions:
  // not deterministic, so views never fold them.
  auto session = [&](const char* name, std::vector<TypeId> params, TypeId result,
                     ScalarBody body) {
    out->push_back({name, std::move(params), result, body, /*strict=*/true,
                    /*deterministic=*/false});
  };
  session("version", {}, kText, Version);
  for (const char* name : {"current_user", "session_user", "user", "current_role"}) {
    session(name, {}, kText, CurrentUser);
  }
  session("current_database", {}, kText, CurrentDatabase);
  session("current_catalog", {}, kText, CurrentDatabase);
  session("current_schema", {}, kText, CurrentSchema);
  session("current_schemas", {kBool}, TypeId::kArray, CurrentSchemas);
  session("pg_backend_pid", {}, kInt, BackendPid);
  session("current_setting", {kText}, kText, CurrentSetting);
  session("pg_get_userbyid", {kOid}, kText, GetUserById);
  out->push_back({"format_type", {kOid, kInt}, kText, FormatTypeFn, /*strict=*/false});
  session("pg_table_is_visible", {kOid}, kBool, TableIsVisible);
  session("pg_type_is_visible", {kOid}, kBool, TypeIsVisible);
  session("obj_description", {kOid}, kText, NoDescription);
  session("obj_description", {kOid, kText}, kText, NoDescription);
  session("col_description", {kOid, kInt}, kText, NoDescription);
  session("shobj_description", {kOid, kText}, kText, NoDescription);
  session("pg_get_viewdef", {kOid}, kText, ViewDef);
  session("pg_get_viewdef", {kOid, kBool}, kText, ViewDef);
  session("pg_get_viewdef", {kText}, kText, ViewDefByName);
  session("pg_get_viewdef", {kText, kBool}, kText, ViewDefByName);
  session("pg_get_constraintdef", {kOid}, kText, ConstraintDef);
  session("pg_get_constraintdef", {kOid, kBool}, kText, ConstraintDef);
  session("pg_get_indexdef", {kOid}, kText, IndexDef);
  session("pg_get_indexdef", {kOid, kInt, kBool}, kText, IndexDefColumn);
  session("pg_get_expr", {kText, kOid}, kText, GetExpr);
  session("pg_get_expr", {kText, kOid, kBool}, kText, GetExpr);
  session("pg_encoding_to_char", {kInt}, kText, EncodingToChar);
  session("has_table_privilege", {kText, kText}, kBool, HasTablePrivilege);
  session("has_table_privilege", {kOid, kText}, kBool, HasTablePrivilege);
  session("has_table_privilege", {kText, kText, kText}, kBool, HasTablePrivilege);
  session("has_table_privilege", {kText, kOid, kText}, kBool, HasTablePrivilege);
  for (const char* name : {"has_schema_privilege", "has_database_privilege",
                           "has_function_privilege", "has_any_column_privilege"}) {
    session(name, {kText, kText}, kBool, HasObjectPrivilege);
    session(name, {kOid, kText}, kBool, HasObjectPrivilege);
    session(name, {kText, kText, kText}, kBool, HasObjectPrivilege);
    session(name, {kText, kOid, kText}, kBool, HasObjectPrivilege);
  }
  session("to_regclass", {kText}, kOid, ToRegclass);
  session("regclassin", {kText}, kOid, RegclassIn);
  out->push_back({"regtypein", {kText}, kOid, RegtypeIn});
  out->push_back({"pg_function_is_visible", {kOid}, kBool, FunctionIsVisible});
  out->push_back({"pg_get_partkeydef", {kOid}, kText, NullText});
  out->push_back({"pg_get_ruledef", {kOid}, kText, NullText});
  out->push_back({"pg_get_ruledef", {kOid, kBool}, kText, NullText});
  out->push_back({"pg_get_statisticsobjdef_columns", {kOid}, kText, NullText});
  out->push_back({"pg_relation_is_publishable", {kOid}, kBool, NotPublishable});
  out->push_back({"pg_tablespace_location", {kOid}, kText, TablespaceLocation});
  session("pg_stat_get_numscans", {kOid}, TypeId::kInt64, NotTracked);
  out->push_back({"pg_get_function_result", {kOid}, kText, FunctionResult});
  out->push_back({"pg_get_function_arguments", {kOid}, kText, FunctionArguments});
  out->push_back({"pg_get_function_identity_arguments", {kOid}, kText, FunctionArguments});
  out->push_back({"~", {kText, kText}, kBool, Match});
  out->push_back({"~*", {kText, kText}, kBool, MatchIcase});
  out->push_back({"!~", {kText, kText}, kBool, NotMatch});
  out->push_back({"!~*", {kText, kText}, kBool, NotMatchIcase});
}

}  // namespace ivm
