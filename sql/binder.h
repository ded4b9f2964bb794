// Binder: resolves an AST against a catalog snapshot into typed, executable form —
// bound queries (logical plans), bound DML, and new catalog entries. All name and type
// errors (42P01, 42703, 42804, 42803, ...) are raised here, before anything runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ivm/expression.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "sql/logical_plan.h"

namespace sql {

struct BoundInsert {
  uint64_t table_id = 0;
  // One expression per table column (NULL constants for columns not listed), over no input.
  std::vector<std::vector<ivm::ExprPtr>> rows;
  // INSERT ... SELECT: the query, and for each table column the query column feeding it
  // (-1 for NULL).
  std::optional<BoundQuery> query;
  std::vector<int> query_columns;
};

// UPDATE and DELETE: a predicate over the table's row, and for UPDATE the new value of
// each assigned column (over the old row).
struct BoundModify {
  uint64_t table_id = 0;
  ivm::ExprPtr where;  // null: every row
  std::vector<std::pair<int, ivm::ExprPtr>> assignments;
  // When WHERE pins every primary-key column to a constant: the key, so the engine can
  // look the row up instead of scanning the table.
  std::optional<ivm::Row> key_lookup;
};

// When `where` pins every primary-key column of `table` (`pk1 = c1 AND pk2 = $1 ...`), the
// key, with the values of the statement's parameters now; an empty row when a pinned value
// is NULL (nothing matches). BoundModify::key_lookup is this, at binding.
std::optional<ivm::Row> KeyLookup(const RelationInfo& table, const ivm::ExprPtr& where);

class Binder {
 public:
  explicit Binder(const Catalog& catalog) : catalog_(catalog) {}

  BoundQuery BindQuery(const AstQuery& query);
  // A view's query: like BindQuery, but refuses what views cannot maintain yet (0A000).
  BoundQuery BindViewQuery(const AstQuery& query);
  // The new table (id left 0 for the engine to assign), with its source when the
  // statement declares one (WITH (connector=...), FORMAT ... ENCODE ...).
  RelationInfo BindCreateTable(const CreateTableStmt& stmt);
  // CREATE ROUTINE LOAD: the existing table, with the job as its source.
  RelationInfo BindRoutineLoad(const CreateRoutineLoadStmt& stmt);
  BoundInsert BindInsert(const InsertStmt& stmt);
  BoundModify BindUpdate(const UpdateStmt& stmt);
  BoundModify BindDelete(const DeleteStmt& stmt);

  // Looks up a relation or throws 42P01.
  const RelationInfo& LookupRelation(const QualifiedName& name) const;

 private:
  const Catalog& catalog_;
};

// Throws unless DML (and COPY FROM) may change `table`: 42809 for a view or a Kafka-fed
// table, 42501 for a system table.
void CheckWritable(const RelationInfo& table);
// Maps a type name as written ("int", "numeric(12,2)", "varchar(40)") to a type.
ivm::Type ResolveType(const AstType& type);
// Flink's type names (STRING, DOUBLE, FLOAT as 4 bytes, TIMESTAMP_LTZ ...) as PostgreSQL's.
// `flink`: the DDL is Flink's (quoted option keys), so FLOAT means 4 bytes.
AstType FlinkType(AstType type, bool flink);
// A Kafka-fed table's source from its WITH (...) options and FORMAT ... ENCODE ...; throws
// 22023 for a missing, bad or unknown option and 0A000 for an unsupported one.
SourceSpec BindSource(const CreateTableStmt& stmt, const RelationInfo& table);

}  // namespace sql
