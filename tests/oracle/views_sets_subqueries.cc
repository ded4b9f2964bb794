// Set operations (UNION, INTERSECT, EXCEPT and their ALL forms, mixed precedence) and
// subqueries: in FROM, WITH, IN / NOT IN with SQL's NULL rules (also as a value),
// correlated EXISTS / NOT EXISTS, uncorrelated scalar subqueries (also over empty input).
#include "tests/oracle/views.h"

namespace tributary_oracle {

std::vector<ViewDef> SetAndSubqueryViews() {
  return {
      {"s_union", "SELECT k, g FROM t3 UNION SELECT k, g FROM t4"},
      {"s_union_all", "SELECT k, g FROM t3 UNION ALL SELECT k, g FROM t1"},
      {"s_intersect", "SELECT k, g FROM t1 INTERSECT SELECT k, g FROM t3"},
      {"s_intersect_all", "SELECT k, g FROM t3 INTERSECT ALL SELECT k, g FROM t4"},
      {"s_except", "SELECT k, g FROM t3 EXCEPT SELECT k, g FROM t4"},
      {"s_except_all", "SELECT k FROM t3 EXCEPT ALL SELECT k FROM t2"},
      {"s_precedence",
       "SELECT k FROM t1 UNION SELECT k FROM t2 INTERSECT SELECT k FROM t3 EXCEPT SELECT k2 FROM "
       "t3"},
      {"s_union_all_agg",
       "SELECT k, count(*) AS c FROM (SELECT k FROM t1 UNION ALL SELECT k FROM t3) u GROUP BY k"},
      {"s_union_types", "SELECT id, n FROM t1 WHERE k < 3 UNION SELECT v, n FROM t3 WHERE v > 40"},
      {"q_from",
       "SELECT x.k, x.c FROM (SELECT k, count(*) AS c FROM t1 GROUP BY k) x WHERE x.c > 2"},
      {"q_from_nested",
       "SELECT y.g, y.m FROM (SELECT g, max(c) AS m FROM (SELECT g, k, count(*) AS c FROM t3 "
       "GROUP BY g, k) x GROUP BY g) y"},
      {"q_with",
       "WITH a AS (SELECT k, sum(n) AS total FROM t1 GROUP BY k), "
       "b AS (SELECT k, count(*) AS c FROM t3 GROUP BY k) "
       "SELECT a.k, a.total, b.c FROM a JOIN b ON a.k = b.k"},
      {"q_with_twice",
       "WITH x AS (SELECT k, g, v FROM t3 WHERE v > 20) "
       "SELECT a.k, a.g, b.g AS g2 FROM x a JOIN x b ON a.k = b.k AND a.g < b.g"},
      {"q_with_columns",
       "WITH c(key, cnt) AS (SELECT k, count(*) FROM t4 GROUP BY k) SELECT key, cnt FROM c WHERE "
       "cnt > 1"},
      {"q_in", "SELECT id, k FROM t1 WHERE k IN (SELECT k FROM t3 WHERE v > 10)"},
      {"q_not_in_nulls", "SELECT id, k FROM t1 WHERE k NOT IN (SELECT k FROM t4)"},
      {"q_not_in_filtered", "SELECT id, k FROM t1 WHERE k NOT IN (SELECT k FROM t3 WHERE g = 'a')"},
      {"q_not_in_text", "SELECT t2.id, t2.g FROM t2 WHERE g NOT IN (SELECT g FROM t4 WHERE k = 3)"},
      {"q_in_value", "SELECT id, k IN (SELECT k FROM t4 WHERE g = 'b') AS found FROM t2"},
      {"q_not_in_value", "SELECT id, k NOT IN (SELECT k FROM t3 WHERE v > 30) AS nf FROM t2"},
      {"q_exists",
       "SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t3 WHERE t3.k = t1.k AND t3.v > t1.k)"},
      {"q_not_exists",
       "SELECT id, g FROM t2 WHERE NOT EXISTS (SELECT 1 FROM t4 WHERE t4.k = t2.k AND t4.g = "
       "t2.g)"},
      {"q_exists_keyless",
       "SELECT k, v FROM t3 WHERE EXISTS (SELECT * FROM t2 WHERE t2.k2 = t3.k2 AND t2.b)"},
      {"q_scalar", "SELECT id, n, (SELECT max(n) FROM t2) AS maxn FROM t1 WHERE k = 1"},
      {"q_scalar_where", "SELECT id, n FROM t1 WHERE n > (SELECT avg(n) FROM t1)"},
      {"q_scalar_empty", "SELECT id, (SELECT min(v) FROM t3 WHERE k > 1000) AS nothing FROM t2"},
      {"q_scalar_in_agg",
       "SELECT k, count(*) AS c FROM t3 WHERE v < (SELECT max(k) FROM t1) GROUP BY k"},
  };
}

}  // namespace tributary_oracle
