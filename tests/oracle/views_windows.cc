// Time windows (date_trunc tumbling windows, TUMBLE and HOP table functions, checked
// against PostgreSQL's date_bin), top-N (ORDER BY ... LIMIT [OFFSET] in a view, ordered
// totally), ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) filtered by rn <= k / rn = 1,
// the other window functions (ranks, lag/lead, running aggregates, over grouped rows),
// set-returning functions in FROM,
// views over views, and the shapes of the SCENARIOS.md pipelines.
#include "tests/oracle/views.h"

namespace tributary_oracle {

std::vector<ViewDef> WindowAndTopNViews() {
  return {
      {"w_date_trunc_day",
       "SELECT date_trunc('day', ts) AS day, count(*) AS c, sum(n) AS sn FROM t2 "
       "GROUP BY date_trunc('day', ts)"},
      {"w_date_trunc_hour_key",
       "SELECT date_trunc('hour', ts) AS w, k, count(*) AS c FROM t2 GROUP BY 1, 2"},
      {"w_date_trunc_week",
       "SELECT date_trunc('week', dt) AS w, count(*) AS c, max(dt) AS last FROM t1 GROUP BY 1"},
      {"w_tumble",
       "SELECT window_start, window_end, k, count(*) AS c FROM TUMBLE(t2, ts, INTERVAL '5 "
       "minutes') "
       "WHERE ts IS NOT NULL GROUP BY window_start, window_end, k",
       {},
       "SELECT date_bin(INTERVAL '5 minutes', ts, TIMESTAMP '1970-01-01') AS window_start, "
       "date_bin(INTERVAL '5 minutes', ts, TIMESTAMP '1970-01-01') + INTERVAL '5 minutes' AS "
       "window_end, "
       "k, count(*) AS c FROM t2 WHERE ts IS NOT NULL GROUP BY 1, 2, 3"},
      {"w_tumble_day",
       "SELECT window_start, window_end, sum(n) AS sn FROM TUMBLE(t2, ts, INTERVAL '1 day') "
       "WHERE ts IS NOT NULL GROUP BY window_start, window_end",
       {},
       "SELECT date_bin(INTERVAL '1 day', ts, TIMESTAMP '1970-01-01') AS window_start, "
       "date_bin(INTERVAL '1 day', ts, TIMESTAMP '1970-01-01') + INTERVAL '1 day' AS window_end, "
       "sum(n) AS sn FROM t2 WHERE ts IS NOT NULL GROUP BY 1, 2"},
      {"w_hop",
       "SELECT window_start, window_end, count(*) AS c FROM HOP(t2, ts, INTERVAL '1 hour', "
       "INTERVAL '3 hours') WHERE ts IS NOT NULL GROUP BY window_start, window_end",
       {},
       "SELECT date_bin(INTERVAL '1 hour', ts, TIMESTAMP '1970-01-01') - i * INTERVAL '1 hour' "
       "AS window_start, date_bin(INTERVAL '1 hour', ts, TIMESTAMP '1970-01-01') - i * INTERVAL "
       "'1 hour' + INTERVAL '3 hours' AS window_end, count(*) AS c FROM t2 CROSS JOIN "
       "generate_series(0, 2) AS i WHERE ts IS NOT NULL GROUP BY 1, 2"},
      {"t_topn", "SELECT id, n, k FROM t1 ORDER BY n DESC NULLS LAST, id LIMIT 5"},
      {"t_topn_keyless", "SELECT k, g, v FROM t3 ORDER BY v, k, g LIMIT 7"},
      {"t_topn_offset", "SELECT id, ts FROM t2 ORDER BY ts, id LIMIT 4 OFFSET 3"},
      {"t_topn_agg", "SELECT k, count(*) AS c FROM t3 GROUP BY k ORDER BY c DESC, k LIMIT 3"},
      {"t_topn_nulls_first", "SELECT id, g FROM t1 ORDER BY g NULLS FIRST, id DESC LIMIT 6"},
      {"t_rownum",
       "SELECT * FROM (SELECT id, k, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC, id) "
       "AS rn FROM t2) x WHERE rn <= 3"},
      {"t_rownum_keyless",
       "SELECT k, g, v, rn FROM (SELECT k, g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v "
       "DESC, k) "
       "AS rn FROM t3) x WHERE rn <= 2"},
      {"t_rownum_first",
       "SELECT id, k2, n FROM (SELECT id, k2, n, ROW_NUMBER() OVER (PARTITION BY k2 ORDER BY n, "
       "id) "
       "AS rn FROM t2) x WHERE rn = 1"},
      {"t_rownum_lt",
       "SELECT id, g FROM (SELECT id, g, ROW_NUMBER() OVER (PARTITION BY g ORDER BY id) AS rn "
       "FROM t1) x WHERE rn < 3"},
      // Window functions beyond ROW_NUMBER(): totally ordered (ties broken by a key), so
      // PostgreSQL's and Tributary's values agree row for row.
      {"wf_rank_lag",
       "SELECT id, g, n, rank() OVER (PARTITION BY g ORDER BY n DESC NULLS LAST) AS r, "
       "dense_rank() OVER (PARTITION BY g ORDER BY n DESC NULLS LAST) AS dr, "
       "lag(id) OVER (PARTITION BY g ORDER BY id) AS prev, lead(n, 1, 0) OVER (ORDER BY id) "
       "AS next_n FROM t1"},
      {"wf_running_sum",
       "SELECT id, k, sum(n) OVER (PARTITION BY k ORDER BY id) AS running, count(*) OVER "
       "(PARTITION BY k) AS in_k, max(ts) OVER (PARTITION BY k ORDER BY id) AS last_ts FROM t2"},
      {"wf_frames",
       "SELECT id, k, sum(n) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 "
       "FOLLOWING) AS s4, min(n) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS "
       "m3, count(b) OVER (ORDER BY ts, id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) AS c4, "
       "last_value(id) OVER (PARTITION BY k ORDER BY n, id RANGE BETWEEN CURRENT ROW AND UNBOUNDED "
       "FOLLOWING) AS lv FROM t2"},
      {"wf_over_groups",
       "SELECT g, sum(v) AS sv, sum(v) - lag(sum(v)) OVER (ORDER BY g) AS delta, "
       "rank() OVER (ORDER BY count(*) DESC, g) AS by_count FROM t3 GROUP BY g"},
      // Set-returning functions reading each row (unnest is linear: a change maps to a change).
      {"srf_series",
       "SELECT t2.id, s, t2.k * s AS ks FROM t2, generate_series(0, t2.k % 3) AS s"},
      {"srf_unnest_grouped",
       "SELECT x, count(*) AS c FROM t3, unnest(ARRAY[t3.k, t3.k2, t3.v]) AS x GROUP BY x"},
      {"v_base", "SELECT k, g, v FROM t3 WHERE v IS NOT NULL"},
      {"v_mid", "SELECT k, sum(v) AS sv, count(*) AS c FROM v_base GROUP BY k", {"v_base"}},
      {"v_top",
       "SELECT v_mid.k, v_mid.sv, t1.id FROM v_mid JOIN t1 ON t1.k = v_mid.k WHERE v_mid.c > 1",
       {"v_mid"}},
      {"v_dwd",
       "SELECT t2.id AS order_id, t2.n AS revenue, t2.g AS region, t1.id AS customer_id, t1.k AS "
       "age "
       "FROM t1 JOIN t2 ON t1.id = t2.k WHERE t1.id <> 3"},
      {"v_dws",
       "SELECT region, count(*) AS order_cnt, sum(revenue) AS total FROM v_dwd GROUP BY region",
       {"v_dwd"}},
      {"x_customer_account",
       "SELECT t1.id, t1.g || ' ' || t1.s AS full_name, t2.id AS account, t2.n AS balance, "
       "greatest(t1.ts, t2.ts) AS updated_at FROM t1 JOIN t2 ON t2.k = t1.id"},
      {"x_financial_insights",
       "WITH balances AS (SELECT k AS customer_id, sum(n) AS total_balance, count(*) AS accounts "
       "FROM t2 GROUP BY k), monthly AS (SELECT k AS customer_id, date_trunc('month', ts) AS "
       "month, "
       "sum(n) AS spent FROM t1 WHERE b GROUP BY k, date_trunc('month', ts)) "
       "SELECT b.customer_id, b.total_balance, b.accounts, avg(m.spent) AS "
       "average_monthly_spending "
       "FROM balances b LEFT JOIN monthly m ON m.customer_id = b.customer_id "
       "GROUP BY b.customer_id, b.total_balance, b.accounts"},
      {"x_country_sales",
       "SELECT t1.g AS country, sum(t3.v) AS revenue, count(*) AS orders FROM t3 JOIN t1 "
       "ON t3.k = t1.id GROUP BY t1.g"},
      {"x_recent_per_account",
       "SELECT id, k, ts, n FROM (SELECT id, k, ts, n, ROW_NUMBER() OVER (PARTITION BY k "
       "ORDER BY ts DESC NULLS LAST, id DESC) AS rn FROM t2) x WHERE rn <= 2"},
  };
}

std::vector<ViewDef> HandWrittenViews() {
  std::vector<ViewDef> all;
  for (auto part :
       {JoinViews, AggregateViews, SetAndSubqueryViews, ExpressionViews, WindowAndTopNViews}) {
    for (ViewDef& v : part()) all.push_back(std::move(v));
  }
  return all;
}

}  // namespace tributary_oracle
