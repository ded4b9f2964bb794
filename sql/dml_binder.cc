// Binding of DDL and DML: CREATE TABLE, INSERT, UPDATE, DELETE, and type names.
#include <map>
#include <set>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "sql/binder.h"
#include "sql/expression_binder.h"
#include "sql/key_values.h"

namespace sql {

using ivm::Error;
using ivm::ExprPtr;
using ivm::Type;
using ivm::TypeId;
namespace sqlstate = ivm::sqlstate;

namespace {

Scope TableScope(const RelationInfo& table, const std::string& alias) {
  Scope scope;
  for (const ColumnInfo& c : table.columns) {
    scope.push_back({alias.empty() ? table.name : alias, c.name, c.type});
  }
  return scope;
}

// Checks `expr` can be assigned to `column` (42804 otherwise).
ExprPtr AssignTo(ExprPtr expr, const ColumnInfo& column) {
  Type from = expr->type;
  bool ok = from.id == TypeId::kUnknown || from.id == column.type.id ||
            (from.IsNumeric() && column.type.IsNumeric()) ||
            (from.IsString() && column.type.IsString()) || column.type.IsString() ||
            (from.IsDateTime() && column.type.IsDateTime());
  if (!ok) {
    throw Error(sqlstate::kDatatypeMismatch,
                "column \"" + column.name + "\" is of type " + column.type.ToString() +
                    " but expression is of type " + from.ToString(),
                "", "You will need to rewrite or cast the expression.");
  }
  // A parameter of no type yet takes the column's type without its length or precision, as
  // PostgreSQL infers it from the target: the executor's assignment cast then checks or
  // rounds its value like any other (a cast to varchar(5) would cut 'toolong' to 'toolo').
  if (expr->kind == ivm::ExprKind::kParameter && from.id == TypeId::kUnknown) {
    Type type = column.type;
    type.precision = type.scale = -1;
    type.length = -1;
    return ivm::MakeCast(expr, type);
  }
  // Constants convert now, so bad literals fail before anything runs. The executor applies
  // the assignment cast (numeric(p,s) rounding, varchar(n) checks) to every value it stores.
  if (expr->kind == ivm::ExprKind::kConstant) {
    return ivm::MakeConstant(
        ivm::CastValue(expr->constant, column.type, ivm::CastKind::kAssignment), column.type);
  }
  return expr;
}

}  // namespace

std::optional<ivm::Row> KeyLookup(const RelationInfo& table, const ExprPtr& where) {
  if (!where || table.primary_key.empty()) return std::nullopt;
  std::vector<Type> types;
  for (const ColumnInfo& c : table.columns) types.push_back(c.type);
  std::map<int, ivm::Value> pinned = PinnedColumns(where, types);
  ivm::Row key;
  for (int column : table.primary_key) {
    auto it = pinned.find(column);
    if (it == pinned.end()) return std::nullopt;
    if (it->second.is_null()) return ivm::Row{};
    key.push_back(it->second);
  }
  return key;
}

Type ResolveType(const AstType& type) {
  const std::string& n = type.name;
  auto arg = [&](size_t i, int def) { return i < type.args.size() ? type.args[i] : def; };
  if (n == "int" || n == "integer" || n == "int4") return Type::Of(TypeId::kInt32);
  if (n == "bigint" || n == "int8") return Type::Of(TypeId::kInt64);
  if (n == "smallint" || n == "int2") return Type::Of(TypeId::kInt16);
  if (n == "real" || n == "float4") return Type::Of(TypeId::kFloat32);
  if (n == "double precision" || n == "float8") return Type::Of(TypeId::kFloat64);
  if (n == "float") {
    return Type::Of(arg(0, 53) <= 24 ? TypeId::kFloat32 : TypeId::kFloat64);
  }
  if (n == "numeric" || n == "decimal") {
    if (type.args.empty()) return Type::Numeric();
    int precision = arg(0, 0), scale = arg(1, 0);
    if (precision < 1 || precision > 38) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "NUMERIC precision " + std::to_string(precision) + " must be between 1 and 38",
                  "", "Tributary's NUMERIC holds 38 significant digits.");
    }
    if (scale < 0 || scale > precision) {
      throw Error(sqlstate::kInvalidParameterValue, "NUMERIC scale " + std::to_string(scale) +
                                                        " must be between 0 and precision " +
                                                        std::to_string(precision));
    }
    return Type::Numeric(precision, scale);
  }
  if (n == "text") return Type::Of(TypeId::kText);
  // The catalog's types: oids (and the reg* aliases) are bigint values; name, "char",
  // vectors and 1-D arrays are shown in their text form.
  if (n == "oid" || n == "regclass" || n == "regtype" || n == "regproc" ||
      n == "regnamespace" || n == "regrole" || n == "xid") {
    return Type::Of(TypeId::kInt64);
  }
  if (n == "int2vector") return Type::Array(TypeId::kInt16, true);
  if (n == "oidvector") return Type::Array(TypeId::kInt64, true);
  if (n.size() > 2 && n.ends_with("[]")) {
    AstType element = type;
    element.name = n.substr(0, n.size() - 2);
    Type e = ResolveType(element);
    if (e.id == TypeId::kArray) {
      throw Error(sqlstate::kFeatureNotSupported, "multidimensional arrays are not supported yet");
    }
    // Arrays keep their elements' type, not its modifiers: varchar(10)[] is varchar[].
    return Type::Array(e.id);
  }
  if (n == "name" || n == "\"char\"" || n == "pg_node_tree" || n == "aclitem") {
    return Type::Of(TypeId::kText);
  }
  if (n == "char" || n == "character" || n == "bpchar") {
    if (!type.args.empty() && type.args[0] < 1) {
      throw Error(sqlstate::kInvalidParameterValue, "length for type char must be at least 1");
    }
    return Type::Char(n == "bpchar" && type.args.empty() ? -1 : arg(0, 1));
  }
  if (n == "varchar") {
    if (!type.args.empty() && type.args[0] < 1) {
      throw Error(sqlstate::kInvalidParameterValue, "length for type varchar must be at least 1");
    }
    return Type::Varchar(arg(0, -1));
  }
  if (n == "boolean" || n == "bool") return Type::Of(TypeId::kBool);
  if (n == "date") return Type::Of(TypeId::kDate);
  if (n == "timestamp") return Type::Of(TypeId::kTimestamp);
  if (n == "timestamptz" || n == "timestamp with time zone") return Type::Of(TypeId::kTimestampTz);
  if (n == "interval") return Type::Of(TypeId::kInterval);
  if (n == "bytea") return Type::Of(TypeId::kBytea);
  if (n == "time" || n == "json" || n == "jsonb" || n == "uuid") {
    throw Error(sqlstate::kFeatureNotSupported, "type " + n + " is not supported yet");
  }
  throw Error("42704", "type \"" + n + "\" does not exist");
}

// DML may change ordinary tables and tables a routine load feeds (as in StarRocks); views,
// system tables and tables declared with a connector change only through their inputs.
void CheckWritable(const RelationInfo& table) {
  if (!table.is_table()) {
    throw Error(sqlstate::kWrongObjectType,
                std::string("cannot change ") + table.KindName() + " \"" + table.name + "\"");
  }
  if (table.system) {
    throw Error(sqlstate::kInsufficientPrivilege,
                "permission denied: \"" + table.name + "\" is a system catalog");
  }
  if (!table.source.empty() && !table.source.is_routine_load()) {
    throw Error(sqlstate::kWrongObjectType,
                "cannot change table \"" + table.name + "\": it is fed by Kafka topic \"" +
                    table.source.topic + "\"",
                "",
                "A Kafka-fed table changes only through its topic; views over it are ordinary.");
  }
}

const RelationInfo& Binder::LookupRelation(const QualifiedName& name) const {
  const RelationInfo* rel = catalog_.Find(name.schema, name.name);
  if (!rel) {
    throw Error(sqlstate::kUndefinedTable, "relation \"" + name.name + "\" does not exist");
  }
  return *rel;
}

RelationInfo Binder::BindCreateTable(const CreateTableStmt& stmt) {
  if (!stmt.name.schema.empty() && stmt.name.schema != kDefaultSchema) {
    throw Error("3F000", "schema \"" + stmt.name.schema + "\" does not exist");
  }
  RelationInfo table;
  table.kind = RelationKind::kTable;
  table.name = stmt.name.name;
  std::set<std::string> seen;
  for (const AstColumnDef& def : stmt.columns) {
    if (!seen.insert(def.name).second) {
      throw Error(sqlstate::kDuplicateColumn,
                  "column \"" + def.name + "\" specified more than once");
    }
    bool connector = !stmt.options.empty() || !stmt.format.empty();
    bool flink = false;
    for (const AstOption& o : stmt.options) flink = flink || o.quoted_key;
    table.columns.push_back(
        {def.name, ResolveType(connector ? FlinkType(def.type, flink) : def.type), def.not_null});
    if (def.metadata && !connector) {
      throw Error(sqlstate::kInvalidTableDefinition,
                  "column \"" + def.name + "\" is METADATA, but the table has no connector");
    }
    if (def.primary_key) {
      if (!table.primary_key.empty() || !stmt.primary_key.empty()) {
        throw Error(sqlstate::kInvalidTableDefinition,
                    "multiple primary keys for table \"" + table.name + "\" are not allowed");
      }
      table.primary_key.push_back(static_cast<int>(table.columns.size()) - 1);
    }
  }
  for (const std::string& key : stmt.primary_key) {
    int index = table.FindColumn(key);
    if (index < 0) {
      throw Error(sqlstate::kUndefinedColumn, "column \"" + key + "\" named in key does not exist");
    }
    table.primary_key.push_back(index);
  }
  for (int index : table.primary_key) table.columns[index].not_null = true;
  if (!stmt.options.empty() || !stmt.format.empty()) table.source = BindSource(stmt, table);
  if (table.columns.empty()) {
    throw Error(sqlstate::kFeatureNotSupported, "tables without columns are not supported");
  }
  return table;
}

BoundInsert Binder::BindInsert(const InsertStmt& stmt) {
  const RelationInfo& table = LookupRelation(stmt.table);
  CheckWritable(table);
  std::vector<int> targets;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < table.columns.size(); ++i) targets.push_back(static_cast<int>(i));
  } else {
    for (const std::string& name : stmt.columns) {
      int index = table.FindColumn(name);
      if (index < 0) {
        throw Error(sqlstate::kUndefinedColumn,
                    "column \"" + name + "\" of relation \"" + table.name + "\" does not exist");
      }
      for (int t : targets) {
        if (t == index) {
          throw Error(sqlstate::kDuplicateColumn,
                      "column \"" + name + "\" specified more than once");
        }
      }
      targets.push_back(index);
    }
  }
  // Without a column list, fewer values than columns fill the first columns (the rest get
  // NULL), as in PostgreSQL; VALUES rows must then all be as long.
  const bool implicit_targets = stmt.columns.empty();
  BoundInsert result;
  result.table_id = table.id;
  if (stmt.query) {
    BoundQuery q = BindQuery(*stmt.query);
    if (implicit_targets && q.column_types.size() < targets.size()) {
      targets.resize(q.column_types.size());
    }
    if (q.column_types.size() > targets.size()) {
      throw Error(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
    }
    if (q.column_types.size() < targets.size()) {
      throw Error(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
    }
    result.query_columns.assign(table.columns.size(), -1);
    for (size_t i = 0; i < targets.size(); ++i) {
      AssignTo(ivm::MakeColumn(0, q.column_types[i]), table.columns[targets[i]]);  // type check
      result.query_columns[targets[i]] = static_cast<int>(i);
    }
    result.query = std::move(q);
    return result;
  }
  ExpressionBinder binder({}, "VALUES");
  if (implicit_targets && !stmt.rows.empty() && stmt.rows[0].size() < targets.size()) {
    for (const auto& row : stmt.rows) {
      if (row.size() != stmt.rows[0].size()) {
        throw Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length");
      }
    }
    targets.resize(stmt.rows[0].size());
  }
  for (const auto& row : stmt.rows) {
    if (row.size() > targets.size()) {
      throw Error(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
    }
    if (row.size() < targets.size()) {
      throw Error(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
    }
    std::vector<ExprPtr> exprs;
    for (const ColumnInfo& c : table.columns) {
      exprs.push_back(ivm::MakeConstant(ivm::Value::Null(c.type.id), c.type));
    }
    for (size_t i = 0; i < row.size(); ++i) {
      exprs[targets[i]] = AssignTo(binder.Bind(*row[i]), table.columns[targets[i]]);
    }
    result.rows.push_back(std::move(exprs));
  }
  return result;
}

BoundModify Binder::BindUpdate(const UpdateStmt& stmt) {
  const RelationInfo& table = LookupRelation(stmt.table);
  CheckWritable(table);
  Scope scope = TableScope(table, stmt.alias);
  BoundModify result;
  result.table_id = table.id;
  ExpressionBinder binder(scope, "UPDATE");
  for (const auto& [name, value] : stmt.assignments) {
    int index = table.FindColumn(name);
    if (index < 0) {
      throw Error(sqlstate::kUndefinedColumn,
                  "column \"" + name + "\" of relation \"" + table.name + "\" does not exist");
    }
    if (ContainsAggregate(*value)) {
      throw Error(sqlstate::kGroupingError, "aggregate functions are not allowed in UPDATE");
    }
    result.assignments.emplace_back(index, AssignTo(binder.Bind(*value), table.columns[index]));
  }
  if (stmt.where) result.where = ExpressionBinder(scope, "WHERE").BindPredicate(*stmt.where);
  result.key_lookup = KeyLookup(table, result.where);
  return result;
}

BoundModify Binder::BindDelete(const DeleteStmt& stmt) {
  const RelationInfo& table = LookupRelation(stmt.table);
  CheckWritable(table);
  BoundModify result;
  result.table_id = table.id;
  if (stmt.where) {
    result.where =
        ExpressionBinder(TableScope(table, stmt.alias), "WHERE").BindPredicate(*stmt.where);
  }
  result.key_lookup = KeyLookup(table, result.where);
  return result;
}

}  // namespace sql
