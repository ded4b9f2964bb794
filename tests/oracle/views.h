// The hand-written view definitions of the oracle. Each one is a materialized view in
// Tributary whose query PostgreSQL runs after every batch; together they cover every
// construct of issue 3 item 1 over the schema in schema.h (t1, t2 keyed; t3, t4 keyless).
//
// Views are named by construct (j_ joins, a_ aggregates, s_ set operations, q_
// subqueries, e_ expressions, w_ time windows, t_ top-N, v_ views over views, x_
// scenario shapes), so TRIBUTARY_ORACLE_VIEWS='^j_' runs the joins alone. A view that
// reads other views lists them in `deps`; they are created first (in PostgreSQL as plain
// views). Where PostgreSQL has no such syntax (TUMBLE, HOP), `pg_sql` is the equivalent
// query PostgreSQL runs instead. Top-N views order totally, so results are deterministic.
#pragma once

#include <string>
#include <vector>

namespace tributary_oracle {

struct ViewDef {
  std::string name;
  std::string sql;
  std::vector<std::string> deps = {};
  std::string pg_sql = {};  // when PostgreSQL needs different text
  const std::string& PgSql() const { return pg_sql.empty() ? sql : pg_sql; }
};

std::vector<ViewDef> JoinViews();
std::vector<ViewDef> AggregateViews();
std::vector<ViewDef> SetAndSubqueryViews();
std::vector<ViewDef> ExpressionViews();
std::vector<ViewDef> WindowAndTopNViews();

// All of the above, in an order where every view comes after its deps.
std::vector<ViewDef> HandWrittenViews();

}  // namespace tributary_oracle
