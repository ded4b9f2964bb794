// The abstract syntax tree: what the user wrote, before names are resolved. Built from
// the ANTLR parse tree by sql/parser.cc; consumed by the binder.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ivm/value.h"

namespace sql {

struct AstQuery;

struct AstType {
  std::string name;       // lower case: "int", "numeric", "double precision", "varchar" ...
  std::vector<int> args;  // (p, s), (n)
};

struct AstExpr;
using AstExprPtr = std::shared_ptr<AstExpr>;

struct AstOrderItem {
  AstExprPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;
};

// A window frame bound: UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or
// UNBOUNDED FOLLOWING (offset set for the n forms).
struct AstFrameBound {
  enum class Kind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
  Kind kind = Kind::kCurrentRow;
  std::shared_ptr<AstExpr> offset;
};

// OVER (... ROWS|RANGE|GROUPS BETWEEN start AND end).
struct AstWindowFrame {
  enum class Unit { kRows, kRange, kGroups };
  Unit unit = Unit::kRange;
  AstFrameBound start;
  AstFrameBound end;  // CURRENT ROW when only a start was written
};

struct AstExpr {
  enum class Kind {
    kLiteral,         // literal_kind, text
    kTypedLiteral,    // type 'text'
    kColumnRef,       // [qualifier.]name
    kFunction,        // name(args) / name(*) / name(DISTINCT args)
    kUnary,           // op: "-", "+", "NOT"
    kBinary,          // op: + - * / % || = <> < <= > >= AND OR
    kCast,            // args[0]::type
    kIsNull,          // args[0] IS [NOT] NULL (negated)
    kInList,          // args[0] [NOT] IN (args[1..])
    kBetween,         // args[0] [NOT] BETWEEN args[1] AND args[2]
    kLike,            // args[0] [NOT] LIKE args[1]
    kCase,            // CASE [operand] WHEN .. THEN .. [ELSE ..] END
    kSubquery,        // (SELECT ...) as a scalar
    kExists,          // [NOT] EXISTS (SELECT ...) (negated by an enclosing NOT)
    kInSubquery,      // args[0] [NOT] IN (SELECT ...)
    kIsDistinctFrom,  // args[0] IS [NOT] DISTINCT FROM args[1] (negated: IS NOT DISTINCT)
    kInterval,        // INTERVAL 'text' [unit]: text in `name`, unit (lower case) in `op`
    kParameter,       // $n: parameter_index is n - 1
    kArray,           // ARRAY[args...]
    kArraySubquery,   // ARRAY(SELECT ...)
    kSubscript,       // args[0][args[1]]
    kQuantified,      // args[0] op ANY|ALL (args[1]) over an array (name: "any" / "all")
    kFieldSelect,     // (args[0]).name: a field of a record
  };
  enum class LiteralKind { kInteger, kDecimal, kString, kTrue, kFalse, kNull };

  Kind kind = Kind::kLiteral;
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string text;  // literal text, or the SQL text of the expression (for column names)
  std::string qualifier;
  std::string name;  // column or function name, lower-cased unless quoted
  std::string op;
  bool negated = false;
  bool distinct = false;
  bool star = false;
  int parameter_index = -1;
  AstType type;
  std::vector<AstExprPtr> args;
  // kCase: operand (may be null), then WHEN/THEN pairs in args, then else_expr.
  AstExprPtr case_operand;
  AstExprPtr else_expr;
  std::shared_ptr<AstQuery> subquery;
  // kFunction: ORDER BY inside an aggregate's parentheses (string_agg(x, ',' ORDER BY y)).
  std::vector<AstOrderItem> order_by;
  // kFunction with WITHIN GROUP (ORDER BY ...): an ordered-set aggregate (order_by).
  bool within_group = false;
  // kFunction with OVER (...): a window function.
  bool has_over = false;
  std::vector<AstExprPtr> partition_by;
  std::vector<AstOrderItem> window_order_by;
  std::optional<AstWindowFrame> frame;  // absent: the default frame
};

struct AstFromItem;
using AstFromItemPtr = std::shared_ptr<AstFromItem>;

struct AstFromItem {
  enum class Kind { kTable, kSubquery, kJoin, kFunction };
  enum class JoinType { kInner, kCross, kLeft, kRight, kFull };
  Kind kind = Kind::kTable;
  std::string schema;
  std::string name;
  std::string alias;
  std::shared_ptr<AstQuery> subquery;
  JoinType join_type = JoinType::kInner;
  AstFromItemPtr left;
  AstFromItemPtr right;
  AstExprPtr condition;
  std::vector<std::string> using_columns;  // JOIN ... USING (a, b)
  bool natural = false;                    // NATURAL JOIN
  std::vector<AstExprPtr> function_args;   // kFunction: TUMBLE(t, col, INTERVAL '5 minutes')
  std::vector<std::string> column_aliases;  // AS alias(a, b): names for the item's columns
};

struct AstSelectItem {
  enum class Kind { kStar, kQualifiedStar, kExpr };
  Kind kind = Kind::kExpr;
  std::string qualifier;
  AstExprPtr expr;
  std::string alias;  // empty when none was given
};

struct AstSelect {
  bool distinct = false;
  std::vector<AstSelectItem> items;
  std::vector<AstFromItemPtr> from;
  AstExprPtr where;
  std::vector<AstExprPtr> group_by;
  AstExprPtr having;
};

// A query's body: a SELECT, a set operation over two bodies, or a parenthesized query.
struct AstQueryBody {
  enum class Kind { kSelect, kSetOperation, kNested };
  enum class SetOp { kUnion, kIntersect, kExcept };
  Kind kind = Kind::kSelect;
  AstSelect select;
  SetOp op = SetOp::kUnion;
  bool all = false;
  std::shared_ptr<AstQueryBody> left;
  std::shared_ptr<AstQueryBody> right;
  std::shared_ptr<AstQuery> nested;
};

struct AstCte {
  std::string name;
  std::vector<std::string> column_names;
  std::shared_ptr<AstQuery> query;
};

struct AstQuery {
  std::vector<AstCte> ctes;
  AstQueryBody body;
  std::vector<AstOrderItem> order_by;
  AstExprPtr limit;
  AstExprPtr offset;
  std::string text;  // the query's SQL text as written
};

struct AstColumnDef {
  std::string name;
  AstType type;
  bool not_null = false;
  bool primary_key = false;
  // Flink: col type METADATA [FROM 'key'] [VIRTUAL] — filled from the message's metadata.
  bool metadata = false;
  std::string metadata_key;  // empty: the column's name
};

// An option of WITH (...) or a StarRocks property: key and value as written (unquoted).
struct AstOption {
  std::string key;
  std::string value;
  bool quoted_key = false;  // 'connector' (Flink style) rather than connector
};

struct QualifiedName {
  std::string schema;  // empty when unqualified
  std::string name;
};

struct CreateTableStmt {
  QualifiedName name;
  bool if_not_exists = false;
  std::vector<AstColumnDef> columns;
  std::vector<std::string> primary_key;  // from a table constraint
  // A table fed by a connector: WITH (...) options and FORMAT ... ENCODE ... (RisingWave).
  std::vector<AstOption> options;
  std::string format;  // lower case, empty when absent
  std::string encode;
  std::vector<std::string> watermark_columns;  // accepted, not used: views are exact
};

// StarRocks: CREATE ROUTINE LOAD job ON table COLUMNS (...) PROPERTIES (...) FROM KAFKA (...)
struct CreateRoutineLoadStmt {
  QualifiedName job;
  QualifiedName table;
  std::vector<std::string> columns;
  std::vector<AstOption> properties;
  std::vector<AstOption> kafka;
};

// SHOW ROUTINE LOAD [FOR job], PAUSE / RESUME / STOP ROUTINE LOAD FOR job.
struct RoutineLoadControlStmt {
  enum class Action { kShow, kPause, kResume, kStop };
  Action action = Action::kShow;
  std::optional<QualifiedName> job;
};

// CREATE [MATERIALIZED] VIEW.
struct CreateMaterializedViewStmt {
  QualifiedName name;
  bool materialized = true;  // false: a view, a stored query expanded where it is read
  bool if_not_exists = false;
  std::vector<std::string> column_names;
  std::shared_ptr<AstQuery> query;
};

struct DropStmt {
  enum class Kind { kTable, kMaterializedView, kView };
  Kind kind = Kind::kTable;
  std::vector<QualifiedName> names;
  bool if_exists = false;
  bool cascade = false;
};

struct InsertStmt {
  QualifiedName table;
  std::vector<std::string> columns;
  std::vector<std::vector<AstExprPtr>> rows;  // VALUES
  std::shared_ptr<AstQuery> query;            // or INSERT ... SELECT
};

struct UpdateStmt {
  QualifiedName table;
  std::string alias;
  std::vector<std::pair<std::string, AstExprPtr>> assignments;
  AstExprPtr where;
};

struct DeleteStmt {
  QualifiedName table;
  std::string alias;
  AstExprPtr where;
};

struct ExplainStmt {
  std::shared_ptr<AstQuery> query;                          // EXPLAIN SELECT
  std::shared_ptr<CreateMaterializedViewStmt> create_view;  // EXPLAIN CREATE MATERIALIZED VIEW
  std::optional<QualifiedName> view;                        // EXPLAIN MATERIALIZED VIEW v
};

struct SelectStmt {
  std::shared_ptr<AstQuery> query;
};

// VERIFY MATERIALIZED VIEW v: recompute and compare with the maintained contents.
struct VerifyStmt {
  QualifiedName view;
};

// SET name TO value[, ...] (values as written: strings unquoted, words lower-cased; DEFAULT
// is `to_default`), RESET name, RESET ALL (name "all").
struct SetStmt {
  std::string name;  // lower case, dots kept
  std::vector<std::string> values;
  bool to_default = false;  // SET ... TO DEFAULT, or RESET
  bool reset = false;       // written as RESET (its command tag)
  bool local = false;       // SET LOCAL
};

// SHOW name, SHOW ALL (name "all").
struct ShowStmt {
  std::string name;  // lower case
};

// BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK / ABORT.
struct TransactionStmt {
  enum class Kind { kBegin, kCommit, kRollback };
  Kind kind = Kind::kBegin;
  bool read_only = false;  // BEGIN ... READ ONLY
  bool chain = false;      // COMMIT AND CHAIN: a new transaction starts at once
};

// DISCARD ALL | PLANS | TEMP | SEQUENCES (what: lower case).
struct DiscardStmt {
  std::string what;
};

// CREATE ROLE / USER options; unset ones keep their default (or, in ALTER ROLE, their value).
struct RoleOptions {
  std::optional<bool> login;
  std::optional<bool> superuser;
  bool set_password = false;            // PASSWORD given
  std::optional<std::string> password;  // nullopt: PASSWORD NULL
};

struct CreateRoleStmt {
  std::string name;
  bool is_user = false;  // CREATE USER: LOGIN by default
  RoleOptions options;
};

// ALTER ROLE name [WITH] options, or ALTER ROLE name RENAME TO new_name.
struct AlterRoleStmt {
  std::string name;
  RoleOptions options;
  std::string rename_to;  // non-empty: a rename
};

struct DropRoleStmt {
  std::vector<std::string> names;
  bool if_exists = false;
};

// GRANT / REVOKE SELECT. Grantee "public" is PUBLIC (no role can take that name).
struct GrantStmt {
  bool revoke = false;
  std::vector<QualifiedName> relations;
  std::string all_tables_in_schema;  // non-empty: ON ALL TABLES IN SCHEMA
  std::vector<std::string> grantees;
};

// COPY t [(cols)] FROM STDIN / TO STDOUT, COPY (query) TO STDOUT. Old-style options
// (WITH CSV HEADER DELIMITER ',') arrive here in the WITH (...) form: name lower case,
// value as written (a keyword lower case), column lists for FORCE_QUOTE and friends.
struct CopyStmt {
  struct Option {
    std::string name;
    std::optional<std::string> value;  // none: the option alone (HEADER, FORCE_QUOTE *)
    std::vector<std::string> columns;
    bool all_columns = false;  // FORCE_QUOTE *
  };
  enum class Target { kStdio, kFile, kProgram };
  QualifiedName table;
  std::vector<std::string> columns;
  std::shared_ptr<AstQuery> query;  // COPY (query) TO
  bool from = false;                // FROM (into the table) or TO (out of it)
  Target target = Target::kStdio;
  std::string file;  // kFile, kProgram
  std::vector<Option> options;
};

using Statement = std::variant<CreateTableStmt, CreateMaterializedViewStmt, DropStmt, InsertStmt,
                               UpdateStmt, DeleteStmt, ExplainStmt, SelectStmt, VerifyStmt,
                               CreateRoutineLoadStmt, RoutineLoadControlStmt, SetStmt, ShowStmt,
                               TransactionStmt, DiscardStmt, CreateRoleStmt, AlterRoleStmt,
                               DropRoleStmt, GrantStmt, CopyStmt>;

// INSERT, UPDATE or DELETE.
inline bool IsDml(const Statement& s) {
  return std::holds_alternative<InsertStmt>(s) || std::holds_alternative<UpdateStmt>(s) ||
         std::holds_alternative<DeleteStmt>(s);
}

struct ParsedStatement {
  Statement statement;
  std::string text;  // the statement's SQL text
  // A prepared statement's bound parameters ($1 is index 0), each of its type; the engine
  // binds the statement with these types and evaluates it with these values.
  std::vector<ivm::Type> parameter_types;
  std::vector<ivm::Value> parameter_values;
};

}  // namespace sql
