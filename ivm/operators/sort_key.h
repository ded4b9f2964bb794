// Sort keys as bytes: ORDER BY items (with DESC and NULLS FIRST/LAST) encoded so that
// byte order is the sort order. Used by top-N, row numbering and ordered aggregates.
#pragma once

#include <string>
#include <vector>

#include "ivm/expression.h"

namespace ivm {

struct SortSpec {
  ExprPtr expr;
  bool descending = false;
  bool nulls_first = false;
};

// Appends the encoded sort key of `row` under `specs` to `out`.
void AppendSortKey(const std::vector<SortSpec>& specs, const Row& row, std::string* out);
std::string DescribeSort(const std::vector<SortSpec>& specs);

}  // namespace ivm
