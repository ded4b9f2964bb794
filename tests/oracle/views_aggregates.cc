// Aggregate views: count(*)/count(x)/count(DISTINCT x), sum/avg/min/max over every type
// (PostgreSQL's result types and numeric scales), bool_and/bool_or, string_agg with
// ORDER BY, GROUP BY on expressions, HAVING, global aggregates (one row, also over an
// empty input), DISTINCT, MIN/MAX surviving deletion of the extreme, and aggregates over
// joins.
#include "tests/oracle/views.h"

namespace tributary_oracle {

std::vector<ViewDef> AggregateViews() {
  return {
      {"a_group_basic",
       "SELECT k, count(*) AS c, count(g) AS cg, sum(n) AS sn, avg(n) AS an, min(n) AS mn, "
       "max(n) AS xn FROM t1 GROUP BY k"},
      {"a_group_types",
       "SELECT g, sum(bi) AS sbi, avg(bi) AS abi, sum(k) AS sk, avg(k) AS ak, min(ts) AS mts, "
       "max(dt) AS xdt, min(s) AS ms, max(bi) AS xbi FROM t1 GROUP BY g"},
      {"a_group_double",
       "SELECT k2, sum(d) AS sd, avg(d) AS ad, min(d) AS md, max(d) AS xd, count(d) AS cd "
       "FROM t3 GROUP BY k2"},
      {"a_group_two_keys", "SELECT k, k2, count(*) AS c, sum(v) AS sv FROM t3 GROUP BY k, k2"},
      {"a_avg_int", "SELECT g, avg(v) AS av, avg(k) AS ak, sum(v) AS sv FROM t3 GROUP BY g"},
      {"a_minmax",
       "SELECT k2, min(v) AS mv, max(v) AS xv, min(g) AS mg, max(g) AS xg, "
       "min(n) AS mn, max(d) AS xd FROM t3 GROUP BY k2"},
      {"a_minmax_dates",
       "SELECT k, min(dt) AS mdt, max(dt) AS xdt, min(ts) AS mts, max(ts) AS xts FROM t1 GROUP BY "
       "k"},
      {"a_count_distinct",
       "SELECT k, count(DISTINCT g) AS dg, count(DISTINCT v) AS dv, sum(DISTINCT v) AS sdv "
       "FROM t3 GROUP BY k"},
      {"a_count_distinct_global",
       "SELECT count(DISTINCT g) AS dg, count(DISTINCT k2) AS dk2, count(*) AS c FROM t3"},
      {"a_bool", "SELECT k, bool_and(b) AS all_b, bool_or(b) AS any_b FROM t1 GROUP BY k"},
      {"a_bool_expr",
       "SELECT g, bool_and(v > 0) AS all_pos, bool_or(v IS NULL) AS any_null FROM t3 GROUP BY g"},
      {"a_string_agg", "SELECT k, string_agg(g, ',' ORDER BY g) AS gs FROM t3 GROUP BY k"},
      {"a_string_agg_desc",
       "SELECT k, string_agg(s || '#' || CAST(id AS text), '; ' ORDER BY id DESC) AS ss "
       "FROM t1 GROUP BY k"},
      {"a_having", "SELECT k, count(*) AS c, sum(v) AS sv FROM t3 GROUP BY k HAVING count(*) > 3"},
      {"a_having_hidden_aggs", "SELECT g FROM t1 GROUP BY g HAVING sum(n) > 0 AND min(k) < 5"},
      {"a_global",
       "SELECT count(*) AS c, sum(n) AS sn, avg(n) AS an, min(d) AS md, max(ts) AS xts, "
       "count(DISTINCT k) AS dk FROM t1"},
      {"a_global_empty",
       "SELECT count(*) AS c, sum(v) AS sv, max(g) AS xg, avg(n) AS an, bool_and(v > 0) AS ba, "
       "string_agg(g, ',' ORDER BY g) AS gs FROM t3 WHERE k > 1000"},
      {"a_global_sometimes_empty",
       "SELECT count(*) AS c, sum(n) AS sn, min(id) AS mid FROM t1 WHERE k = 7 AND b"},
      {"a_global_having", "SELECT count(*) AS c FROM t2 HAVING count(*) > 45"},
      {"a_group_expr",
       "SELECT k % 3 AS m, upper(g) AS ug, count(*) AS c FROM t1 GROUP BY k % 3, upper(g)"},
      {"a_group_position", "SELECT k2 + 1 AS k21, count(*) AS c FROM t2 GROUP BY 1"},
      {"a_group_bool_key", "SELECT b, count(*) AS c, sum(n) AS sn FROM t2 GROUP BY b"},
      {"a_group_by_not_selected", "SELECT sum(v) AS sv, count(*) AS c FROM t3 GROUP BY g"},
      {"a_expr_of_aggs",
       "SELECT k, sum(v) * 2 + count(*) AS x, max(v) - min(v) AS spread, "
       "CAST(sum(n) AS numeric(20,1)) AS sn1 FROM t3 GROUP BY k"},
      {"a_distinct", "SELECT DISTINCT k, g FROM t3"},
      {"a_distinct_bool", "SELECT DISTINCT k2, b FROM t2"},
      {"a_over_join",
       "SELECT t1.g, count(*) AS c, sum(t3.v) AS sv, max(t1.n) AS xn FROM t1 JOIN t3 "
       "ON t1.k = t3.k GROUP BY t1.g"},
      {"a_over_left_join",
       "SELECT t2.id, count(t4.s) AS cs, string_agg(t4.s, ',' ORDER BY t4.s) AS ss "
       "FROM t2 LEFT JOIN t4 ON t2.k = t4.k GROUP BY t2.id"},
      {"a_count_join_keyless",
       "SELECT t3.k, count(*) AS c FROM t3 JOIN t4 ON t3.k = t4.k GROUP BY t3.k"},
  };
}

}  // namespace tributary_oracle
