// See compare.h.
#include "tests/oracle/compare.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

namespace tributary_oracle {

using tributary_test::Cell;
using tributary_test::Row;
using tributary_test::Rows;
using tributary_test::StatementResult;

namespace {

constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

bool ParseDouble(const std::string& s, double* out) {
  if (s == "NaN") {
    *out = NAN;
    return true;
  }
  char* end = nullptr;
  errno = 0;
  *out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

bool CloseFloats(const Cell& a, const Cell& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  double x = 0, y = 0;
  if (!ParseDouble(*a, &x) || !ParseDouble(*b, &y)) return false;
  if (x == y) return false;  // the same value printed differently: a formatting bug
  if (std::isinf(x) || std::isinf(y) || std::isnan(x) || std::isnan(y)) return false;
  const double scale = std::max({1.0, std::fabs(x), std::fabs(y)});
  return std::fabs(x - y) <= 1e-9 * scale;
}

bool RowsClose(const Row& a, const Row& b, const std::vector<bool>& is_float) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (!is_float[i] || !CloseFloats(a[i], b[i])) return false;
  }
  return true;
}

std::string TypeList(const StatementResult& r) {
  std::string out;
  for (size_t i = 0; i < r.columns.size(); ++i) {
    out += (i ? ", " : "") + r.columns[i] + ":" + std::to_string(r.types[i]);
  }
  return out;
}

}  // namespace

Diff CompareResults(const StatementResult& expected, const StatementResult& actual) {
  Diff diff;
  diff.columns = expected.columns;
  if (expected.columns.size() != actual.columns.size()) {
    diff.schema_problem = "column count differs: postgres (" + TypeList(expected) +
                          ") tributary (" + TypeList(actual) + ")";
    return diff;
  }
  if (expected.columns != actual.columns || expected.types != actual.types) {
    diff.schema_problem = "column names or type OIDs differ: postgres (" + TypeList(expected) +
                          ") tributary (" + TypeList(actual) + ")";
  }
  std::vector<bool> is_float;
  for (Oid t : expected.types) is_float.push_back(t == kFloat4Oid || t == kFloat8Oid);

  // Exact multiset difference first.
  std::map<Row, long> count;
  for (const Row& r : expected.rows) ++count[r];
  for (const Row& r : actual.rows) --count[r];
  for (const auto& [row, n] : count) {
    for (long i = 0; i < n; ++i) diff.missing.push_back(row);
    for (long i = 0; i < -n; ++i) diff.extra.push_back(row);
  }
  // Then pair up float noise.
  if (std::find(is_float.begin(), is_float.end(), true) != is_float.end()) {
    for (auto m = diff.missing.begin(); m != diff.missing.end();) {
      auto e = std::find_if(diff.extra.begin(), diff.extra.end(),
                            [&](const Row& x) { return RowsClose(*m, x, is_float); });
      if (e != diff.extra.end()) {
        diff.extra.erase(e);
        m = diff.missing.erase(m);
      } else {
        ++m;
      }
    }
  }
  return diff;
}

std::string Diff::Describe(size_t max_rows) const {
  std::string out;
  if (!schema_problem.empty()) out += "  " + schema_problem + "\n";
  auto list = [&](const char* title, const Rows& rows) {
    if (rows.empty()) return;
    out += "  " + std::string(title) + " (" + std::to_string(rows.size()) + " rows):\n";
    for (size_t i = 0; i < rows.size() && i < max_rows; ++i) {
      out += "    " + tributary_test::RowText(rows[i]) + "\n";
    }
    if (rows.size() > max_rows) out += "    ...\n";
  };
  list("missing from the view (PostgreSQL has them)", missing);
  list("extra in the view (PostgreSQL does not have them)", extra);
  // Pair rows by their first column and name the cells that differ.
  std::string hints;
  size_t shown = 0;
  for (const Row& m : missing) {
    if (shown == 5 || m.empty()) break;
    for (const Row& e : extra) {
      if (e.size() != m.size() || e[0] != m[0]) continue;
      std::string cells;
      for (size_t c = 1; c < m.size(); ++c) {
        if (m[c] == e[c]) continue;
        cells += " " + (c < columns.size() ? columns[c] : "#" + std::to_string(c)) + ": postgres " +
                 tributary_test::CellText(m[c]) + ", tributary " + tributary_test::CellText(e[c]) +
                 ";";
      }
      if (!cells.empty()) {
        hints += "    first column " + tributary_test::CellText(m[0]) + ":" + cells + "\n";
        ++shown;
      }
      break;
    }
  }
  if (!hints.empty()) out += "  differing cells (rows paired by their first column):\n" + hints;
  return out;
}

}  // namespace tributary_oracle
