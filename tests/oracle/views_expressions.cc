// Expression views: arithmetic (integer division, modulo, numeric scales), comparisons,
// three-valued AND/OR/NOT, CASE (both forms), COALESCE, NULLIF, GREATEST, LEAST, CAST and
// ::, LIKE/ILIKE (with ESCAPE), BETWEEN, IN lists with NULLs, IS [NOT] NULL,
// IS [NOT] DISTINCT FROM, and the string, numeric and date/time functions of issue 3.
#include "tests/oracle/views.h"

namespace tributary_oracle {

std::vector<ViewDef> ExpressionViews() {
  return {
      {"e_arith_int", "SELECT k, v, k + v * 2 - 1 AS a, v / 3 AS q, v % 7 AS m, -v AS neg FROM t3"},
      {"e_arith_numeric",
       "SELECT n, n * 3 AS n3, n / 4 AS n4, n + v AS nv, n * n AS nn, v / 2.0 AS half FROM t3"},
      {"e_arith_double", "SELECT d, d * 2 + 1 AS d2, d / 4 AS d4, d + v AS dv FROM t3"},
      {"e_arith_bigint",
       "SELECT id, bi + 1 AS b1, bi - k AS bk, bi / 1000 AS bq, bi % 1000 AS bm FROM t1"},
      {"e_compare",
       "SELECT id, k < 5 AS lt, g >= 'b' AS ge, n <> 0 AS ne, dt <= DATE '2024-01-15' AS early, "
       "ts > TIMESTAMP '2024-02-01 00:00:00' AS late FROM t1"},
      {"e_three_valued",
       "SELECT id, b AND k > 3 AS x, b OR k > 3 AS y, NOT b AS z, (g = 'a') IS NULL AS w, "
       "b IS NOT NULL AS bn FROM t1"},
      {"e_where_three_valued", "SELECT id FROM t1 WHERE NOT (k > 3 AND b) OR g IS NULL"},
      {"e_case",
       "SELECT id, CASE WHEN n > 0 THEN 'pos' WHEN n < 0 THEN 'neg' ELSE 'zero-or-null' END AS "
       "sign, "
       "CASE k WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS kk, "
       "CASE WHEN b THEN n ELSE 0 END AS bn FROM t1"},
      {"e_case_in_agg",
       "SELECT k2, sum(CASE WHEN v > 0 THEN v ELSE 0 END) AS pos, "
       "count(CASE WHEN g = 'a' THEN 1 END) AS ca FROM t3 GROUP BY k2"},
      {"e_coalesce_nullif",
       "SELECT id, coalesce(g, s, '?') AS c, nullif(k, 0) AS nk, coalesce(n, 0) AS cn, "
       "nullif(g, '') AS ng FROM t1"},
      {"e_greatest_least",
       "SELECT id, greatest(k, 3) AS gk, least(n, 100.5) AS ln, greatest(dt, DATE '2024-02-01') AS "
       "gd, "
       "least(g, s) AS lgs, greatest(k, NULL, 2) AS gn FROM t1"},
      {"e_cast",
       "SELECT id, CAST(k AS text) || g AS kg, n::int AS ni, CAST(k AS bigint) * 3 AS kb, "
       "CAST(dt AS timestamp) AS dts, CAST(ts AS date) AS tsd, CAST(b AS text) AS bt, "
       "CAST(n AS double precision) AS nd, '12'::int + k AS twelve FROM t1"},
      {"e_cast_double_int",
       "SELECT d, CAST(d AS int) AS di, CAST(d AS numeric(10,1)) AS dn FROM t3"},
      {"e_like",
       "SELECT id, g, s FROM t1 WHERE g LIKE 'a%' OR s LIKE '%b\\_c' OR s ILIKE '%mixed%' "
       "OR s NOT LIKE '%a%'"},
      {"e_like_values",
       "SELECT id, g LIKE '_' AS one_char, s LIKE 'a!%%' ESCAPE '!' AS esc, g NOT ILIKE 'A%' AS "
       "nil "
       "FROM t1"},
      {"e_between_in",
       "SELECT id, k BETWEEN 2 AND 5 AS bt, k NOT BETWEEN 2 AND 5 AS nbt, k IN (1, 3, NULL) AS "
       "inl, "
       "g NOT IN ('a', 'b') AS ninl, dt BETWEEN DATE '2024-01-01' AND DATE '2024-01-31' AS jan "
       "FROM t1"},
      {"e_distinct_from",
       "SELECT t1.id, t2.id AS id2 FROM t1 JOIN t2 ON t1.k = t2.k WHERE t1.g IS NOT DISTINCT FROM "
       "t2.g"},
      {"e_distinct_from_values",
       "SELECT id, b IS DISTINCT FROM true AS x, g IS NOT DISTINCT FROM NULL AS y, "
       "k IS DISTINCT FROM 3 AS z FROM t1"},
      {"e_string_fn1",
       "SELECT id, lower(s) AS lo, upper(g) AS up, length(s) AS len, substring(s from 2 for 3) AS "
       "sub, "
       "substring(s, 3) AS sub2, position('a' in s) AS pos FROM t1"},
      {"e_string_fn2",
       "SELECT id, concat(g, '-', k, '-', s) AS c, g || '/' || s AS cc, trim(s) AS t, "
       "'[' || ltrim(s) || ']' AS lt, '[' || rtrim(s) || ']' AS rt, replace(s, 'a', 'A') AS r, "
       "split_part(s, ',', 2) AS sp, left(s, 3) AS l3, right(s, 2) AS r2 FROM t1"},
      {"e_string_fn3",
       "SELECT id, trim(both 'x' from s) AS tb, trim(leading ' ' from s) AS tl, "
       "length(g || s) AS l2, upper(substring(g, 1, 1)) || lower(s) AS cap FROM t1"},
      {"e_numeric_fn",
       "SELECT id, abs(n) AS a, round(n) AS r0, round(n, 1) AS r1, trunc(n) AS t0, trunc(n, 1) AS "
       "t1, "
       "floor(n) AS f, ceil(n) AS c, mod(k, 3) AS m, mod(bi, 7) AS mb FROM t1"},
      {"e_numeric_fn2",
       "SELECT id, power(k, 2) AS pk, sqrt(abs(n)) AS sq, power(n, 2) AS pn, abs(-k) AS ak, "
       "sqrt(CAST(k AS double precision)) AS sk FROM t1"},
      {"e_double_fn",
       "SELECT d, abs(d) AS a, round(d) AS r, floor(d) AS f, ceil(d) AS c, trunc(d) AS t, "
       "power(d, 2) AS p, sqrt(abs(d)) AS s FROM t3"},
      {"e_date_fn",
       "SELECT id, date_trunc('month', ts) AS m, date_trunc('hour', ts) AS h, date_trunc('day', "
       "dt) AS dd, "
       "dt + 7 AS week_later, dt - 3 AS before, dt - DATE '2024-01-01' AS days FROM t1"},
      {"e_extract",
       "SELECT id, extract(year from ts) AS y, extract(month from dt) AS mo, extract(dow from dt) "
       "AS dow, "
       "extract(hour from ts) AS h, date_part('day', ts) AS dp, extract(epoch from ts) AS ep FROM "
       "t1"},
      {"e_interval",
       "SELECT id, ts + INTERVAL '1 hour' AS plus_hour, ts - INTERVAL '2 days' AS minus_days, "
       "ts + INTERVAL '90 minutes' AS plus90, dt + INTERVAL '1 day' AS dt_plus FROM t1"},
      {"e_to_char",
       "SELECT id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS') AS full_ts, to_char(dt, 'YYYY-MM') AS ym, "
       "to_char(ts, 'HH12:MI AM') AS h12, to_char(dt, 'DD Mon YYYY') AS dmy FROM t1"},
      {"e_filter_fn",
       "SELECT id, s FROM t1 WHERE length(s) > 5 AND upper(s) <> s AND ts < TIMESTAMP "
       "'2024-02-15'"},
  };
}

}  // namespace tributary_oracle
