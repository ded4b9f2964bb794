// Join views: inner, LEFT, RIGHT, FULL, multi-column keys, residual ON conditions (also
// on outer joins, where they must not filter the preserved side), USING, NATURAL,
// self-joins, CROSS JOIN, comma joins, non-equi joins and multi-way joins.
#include "tests/oracle/views.h"

namespace tributary_oracle {

std::vector<ViewDef> JoinViews() {
  return {
      {"j_inner", "SELECT t1.id, t1.k, t1.g, t2.id AS id2, t2.n FROM t1 JOIN t2 ON t1.k = t2.k"},
      {"j_inner_multikey",
       "SELECT t2.id, t3.v, t3.d FROM t2 INNER JOIN t3 ON t2.k = t3.k AND t2.k2 = t3.k2"},
      {"j_inner_text_key", "SELECT t3.v, t4.s, t4.g FROM t3 JOIN t4 ON t3.g = t4.g"},
      {"j_left", "SELECT t1.id, t1.g, t3.v FROM t1 LEFT JOIN t3 ON t1.k = t3.k"},
      {"j_left_outer_kw",
       "SELECT t2.id, t4.s FROM t2 LEFT OUTER JOIN t4 ON t2.k = t4.k AND t2.g = t4.g"},
      {"j_right", "SELECT t2.id, t4.s, t4.dt FROM t4 RIGHT JOIN t2 ON t4.k = t2.k"},
      {"j_full",
       "SELECT t1.id, t1.k AS k1, t2.id AS id2, t2.k AS k2 FROM t1 FULL JOIN t2 "
       "ON t1.k = t2.k AND t1.g = t2.g"},
      {"j_full_keyless", "SELECT t3.v, t3.g, t4.s FROM t3 FULL OUTER JOIN t4 ON t3.k = t4.k"},
      {"j_inner_residual", "SELECT t1.id, t3.v FROM t1 JOIN t3 ON t1.k = t3.k AND t3.v < t1.k * 5"},
      {"j_left_residual",
       "SELECT t1.id, t2.id AS id2 FROM t1 LEFT JOIN t2 ON t1.k = t2.k AND t2.n > t1.n"},
      {"j_right_residual",
       "SELECT t1.id, t4.s, t4.dt FROM t1 RIGHT JOIN t4 ON t1.k = t4.k AND t1.dt < t4.dt"},
      {"j_full_residual",
       "SELECT t3.v, t3.g AS g3, t4.g AS g4 FROM t3 FULL JOIN t4 ON t3.k = t4.k AND t3.g <> t4.g"},
      {"j_left_on_constant", "SELECT t2.id, t3.v FROM t2 LEFT JOIN t3 ON t2.k = t3.k AND t2.b"},
      {"j_on_or", "SELECT t2.id, t4.s FROM t2 JOIN t4 ON t2.k = t4.k OR t2.g = t4.g"},
      {"j_using", "SELECT k, t1.id, t3.v FROM t1 JOIN t3 USING (k)"},
      {"j_using_multi", "SELECT k, g, t1.id, t4.s FROM t1 JOIN t4 USING (k, g)"},
      {"j_full_using", "SELECT k, t2.id, t4.s FROM t2 FULL JOIN t4 USING (k)"},
      {"j_left_using_star", "SELECT * FROM t4 LEFT JOIN (SELECT k, id, b FROM t2) x USING (k)"},
      {"j_natural",
       "SELECT * FROM (SELECT id, k, g FROM t1) a NATURAL JOIN (SELECT k, g, v FROM t3) b"},
      {"j_natural_left",
       "SELECT * FROM (SELECT k, s FROM t4) a NATURAL LEFT JOIN (SELECT k, id FROM t2) b"},
      {"j_self", "SELECT a.id, b.id AS other FROM t1 a JOIN t1 b ON a.k = b.k AND a.id < b.id"},
      {"j_self_left",
       "SELECT a.id, a.k2, b.id AS parent, b.g FROM t2 a LEFT JOIN t2 b ON a.k2 = b.id"},
      {"j_three_way",
       "SELECT t1.id, t2.id AS id2, t3.v FROM t1 JOIN t2 ON t1.k = t2.k "
       "JOIN t3 ON t2.k2 = t3.k2 AND t3.g = t1.g"},
      {"j_three_way_outer",
       "SELECT t2.id, t4.s, t1.id AS id1 FROM t2 LEFT JOIN t4 ON t4.k = t2.k2 "
       "LEFT JOIN t1 ON t1.id = t2.k AND t1.g = t4.g"},
      {"j_cross",
       "SELECT a.k2, b.g FROM (SELECT DISTINCT k2 FROM t2) a CROSS JOIN (SELECT DISTINCT g FROM "
       "t4) b"},
      {"j_comma_where", "SELECT t1.id, t3.v FROM t1, t3 WHERE t1.k = t3.k AND t3.v > 0"},
      {"j_nonequi",
       "SELECT a.id, b.id AS id2 FROM t2 a JOIN t2 b ON a.k2 = b.k2 AND a.n < b.n AND a.g = 'a'"},
      {"j_anti_left", "SELECT t1.id, t1.k FROM t1 LEFT JOIN t2 ON t1.k = t2.k WHERE t2.id IS NULL"},
      {"j_agg_inputs",
       "SELECT a.k, a.c, b.total FROM (SELECT k, count(*) AS c FROM t3 GROUP BY k) a "
       "FULL JOIN (SELECT k, sum(n) AS total FROM t1 GROUP BY k) b ON a.k = b.k"},
  };
}

}  // namespace tributary_oracle
