// Random view queries over the oracle schema (schema.h), built only from constructs of
// issue 3 item 1: one to three tables joined (inner, LEFT, RIGHT, FULL) on equalities of
// shared columns with optional residual conditions; WHERE predicates with AND/OR/NOT,
// comparisons, IS [NOT] NULL, BETWEEN and IN lists; then either a projection of column
// expressions (optionally DISTINCT) or a GROUP BY with aggregates and an optional HAVING.
// Every output column gets an alias (c0, c1, ...), and three-table queries always
// aggregate so results stay small. The same seed always gives the same queries.
#include "tests/oracle/query_gen.h"

#include <algorithm>
#include <random>

#include "tests/oracle/schema.h"

namespace tributary_oracle {
namespace {

struct Source {
  std::string alias;
  const Table* table;
};

struct ColRef {
  std::string sql;  // "a.k"
  ColKind kind;
};

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  std::string Query() {
    std::vector<Source> from;
    const int ntables = Pick({50, 35, 15}) + 1;
    std::string from_sql;
    for (int i = 0; i < ntables; ++i) {
      const Table* t = &Tables()[Uniform(0, static_cast<int>(Tables().size()) - 1)];
      Source s{std::string(1, static_cast<char>('a' + i)), t};
      if (i == 0) {
        from_sql = t->name + " " + s.alias;
      } else {
        static const char* kJoins[] = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"};
        const char* join = kJoins[Pick({55, 25, 10, 10})];
        from_sql += std::string(" ") + join + " " + t->name + " " + s.alias + " ON " +
                    JoinCondition(from, s);
      }
      from.push_back(s);
    }
    std::vector<ColRef> cols;
    for (const Source& s : from) {
      for (const Column& c : s.table->columns) cols.push_back({s.alias + "." + c.name, c.kind});
    }
    std::string where;
    if (Chance(0.6)) where = " WHERE " + Predicate(cols, Uniform(1, 2));
    const bool aggregate = ntables == 3 || Chance(0.5);
    if (aggregate) return AggregateQuery(cols, from_sql, where);
    std::string select;
    const int n = Uniform(2, 4);
    for (int i = 0; i < n; ++i) {
      select += (i ? ", " : "") + Expression(cols[Uniform(0, static_cast<int>(cols.size()) - 1)]) +
                " AS c" + std::to_string(i);
    }
    return std::string("SELECT ") + (Chance(0.2) ? "DISTINCT " : "") + select + " FROM " +
           from_sql + where;
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Pick(std::vector<int> weights) {
    return std::discrete_distribution<int>(weights.begin(), weights.end())(rng_);
  }

  static bool HasColumn(const Table& t, const std::string& name) {
    for (const Column& c : t.columns) {
      if (c.name == name) return true;
    }
    return false;
  }

  // Equalities on columns both sides have (k always; g and k2 where present), plus
  // sometimes a residual comparison.
  std::string JoinCondition(const std::vector<Source>& left, const Source& right) {
    const Source& l = left[Uniform(0, static_cast<int>(left.size()) - 1)];
    std::vector<std::string> shared;
    for (const char* c : {"k", "g", "k2"}) {
      if (HasColumn(*l.table, c) && HasColumn(*right.table, c)) shared.push_back(c);
    }
    std::string cond;
    const std::string first = shared[Uniform(0, static_cast<int>(shared.size()) - 1)];
    cond = l.alias + "." + first + " = " + right.alias + "." + first;
    for (const std::string& c : shared) {
      if (c != first && Chance(0.3))
        cond += " AND " + l.alias + "." + c + " = " + right.alias + "." + c;
    }
    if (Chance(0.25)) {
      const std::string lcol = HasColumn(*l.table, "id") ? "id" : "k";
      cond +=
          " AND " + l.alias + "." + lcol + (Chance(0.5) ? " < " : " >= ") + right.alias + ".k * 3";
    }
    return cond;
  }

  std::string Constant(ColKind kind) {
    switch (kind) {
      case ColKind::kInt:
      case ColKind::kBigint:
        return std::to_string(Uniform(-5, 12));
      case ColKind::kNumeric:
        return std::to_string(Uniform(-5000, 5000)) + ".50";
      case ColKind::kDouble:
        return std::to_string(Uniform(-50, 50)) + ".25";
      case ColKind::kText: {
        static const char* kText[] = {"'a'", "'b'", "'ab'", "''", "'c'", "'hello world'"};
        return kText[Uniform(0, 5)];
      }
      case ColKind::kBool:
        return Chance(0.5) ? "true" : "false";
      case ColKind::kDate:
        return "DATE '2024-01-" + std::to_string(Uniform(10, 28)) + "'";
      case ColKind::kTimestamp:
        return "TIMESTAMP '2024-02-" + std::to_string(Uniform(10, 28)) + " 12:00:00'";
    }
    return "NULL";
  }

  std::string Atom(const std::vector<ColRef>& cols) {
    const ColRef& c = cols[Uniform(0, static_cast<int>(cols.size()) - 1)];
    switch (Uniform(0, 5)) {
      case 0:
        return c.sql + (Chance(0.5) ? " IS NULL" : " IS NOT NULL");
      case 1:
        if (c.kind == ColKind::kBool) return c.sql;
        return c.sql + " BETWEEN " + Constant(c.kind) + " AND " + Constant(c.kind);
      case 2:
        if (c.kind == ColKind::kBool) return "NOT " + c.sql;
        return c.sql + (Chance(0.3) ? " NOT IN (" : " IN (") + Constant(c.kind) + ", " +
               Constant(c.kind) + (Chance(0.2) ? ", NULL)" : ")");
      default: {
        static const char* kOps[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
        return c.sql + kOps[Uniform(0, 5)] + Constant(c.kind);
      }
    }
  }

  std::string Predicate(const std::vector<ColRef>& cols, int atoms) {
    std::string p = Atom(cols);
    for (int i = 1; i < atoms; ++i)
      p = "(" + p + (Chance(0.6) ? " AND " : " OR ") + Atom(cols) + ")";
    return Chance(0.15) ? "NOT " + p : p;
  }

  std::string Expression(const ColRef& c) {
    if (Chance(0.5)) return c.sql;
    switch (c.kind) {
      case ColKind::kInt:
        return Chance(0.5) ? c.sql + " + " + std::to_string(Uniform(1, 9)) : c.sql + " * 2";
      case ColKind::kNumeric:
        return Chance(0.5) ? c.sql + " * 2" : c.sql + " - 0.25";
      case ColKind::kText:
        return Chance(0.5) ? "upper(" + c.sql + ")" : c.sql + " || '!'";
      case ColKind::kDouble:
        return c.sql + " * 0.5";
      case ColKind::kBool:
        return "NOT " + c.sql;
      case ColKind::kDate:
        return c.sql + " + 1";
      default:
        return c.sql;
    }
  }

  std::string Aggregate(const std::vector<ColRef>& cols) {
    const ColRef& c = cols[Uniform(0, static_cast<int>(cols.size()) - 1)];
    const bool summable = c.kind == ColKind::kInt || c.kind == ColKind::kBigint ||
                          c.kind == ColKind::kNumeric || c.kind == ColKind::kDouble;
    switch (Uniform(0, 6)) {
      case 0:
        return "count(*)";
      case 1:
        return "count(" + c.sql + ")";
      case 2:
        return summable ? "sum(" + c.sql + ")" : "count(DISTINCT " + c.sql + ")";
      case 3:
        return summable && c.kind != ColKind::kDouble ? "avg(" + c.sql + ")" : "count(*)";
      case 4:
        return c.kind == ColKind::kBool ? "bool_or(" + c.sql + ")" : "min(" + c.sql + ")";
      case 5:
        return c.kind == ColKind::kBool ? "bool_and(" + c.sql + ")" : "max(" + c.sql + ")";
      default:
        return "count(DISTINCT " + c.sql + ")";
    }
  }

  std::string AggregateQuery(const std::vector<ColRef>& cols, const std::string& from,
                             const std::string& where) {
    std::vector<ColRef> keys;
    for (const ColRef& c : cols) {
      if (c.kind == ColKind::kInt || c.kind == ColKind::kText || c.kind == ColKind::kBool ||
          c.kind == ColKind::kDate) {
        keys.push_back(c);
      }
    }
    std::string select, group;
    std::vector<std::string> used;
    const int nkeys = Uniform(0, 2);
    for (int i = 0; i < nkeys; ++i) {
      const std::string key = keys[Uniform(0, static_cast<int>(keys.size()) - 1)].sql;
      if (std::find(used.begin(), used.end(), key) != used.end()) continue;
      used.push_back(key);
      group += (group.empty() ? "" : ", ") + key;
      select += key + " AS c" + std::to_string(i) + ", ";
    }
    const int naggs = Uniform(1, 3);
    for (int i = 0; i < naggs; ++i) {
      select += (i ? ", " : "") + Aggregate(cols) + " AS a" + std::to_string(i);
    }
    std::string sql = "SELECT " + select + " FROM " + from + where;
    if (!group.empty()) sql += " GROUP BY " + group;
    if (!group.empty() && Chance(0.2)) sql += " HAVING count(*) > " + std::to_string(Uniform(1, 4));
    return sql;
  }

  std::mt19937_64 rng_;
};

}  // namespace

std::vector<ViewDef> RandomViews(uint64_t seed, int count) {
  Gen gen(seed * 7919 + 17);
  std::vector<ViewDef> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({"r" + std::to_string(seed) + "_" + std::to_string(i), gen.Query()});
  }
  return out;
}

}  // namespace tributary_oracle
