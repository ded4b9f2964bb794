// Multiset comparison of a view's contents (Tributary) with PostgreSQL's answer to the
// view's query. Cells compare as text; double precision/real cells that differ as text
// may still match when both parse as numbers that differ (floating-point sums maintained
// incrementally can differ in the last bits) by at most a relative 1e-9 (scaled by
// max(1, |x|, |y|)). Equal float values with different text (a formatting bug) never
// match. Column names and type OIDs are compared too.
#pragma once

#include <string>
#include <vector>

#include "tests/sql/pg_test_support.h"

namespace tributary_oracle {

struct Diff {
  tributary_test::Rows missing;      // in PostgreSQL's answer, not in the view
  tributary_test::Rows extra;        // in the view, not in PostgreSQL's answer
  std::string schema_problem;        // column count, names or types differ
  std::vector<std::string> columns;  // PostgreSQL's column names
  bool equal() const { return missing.empty() && extra.empty() && schema_problem.empty(); }
  // Human-readable: the schema problem, up to `max_rows` rows of each side, and for
  // missing/extra rows that agree in their first column, the columns that differ.
  std::string Describe(size_t max_rows = 20) const;
};

Diff CompareResults(const tributary_test::StatementResult& expected,  // PostgreSQL
                    const tributary_test::StatementResult& actual);   // Tributary

}  // namespace tributary_oracle
