// The logical plan: a tree of relational operators over bound expressions, produced by
// the binder and lowered to an ivm::Circuit. Bound statements (queries and DML) carry it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ivm/expression.h"
#include "ivm/operators/aggregate.h"
#include "sql/catalog.h"

namespace sql {

struct PlanNode;
using PlanPtr = std::shared_ptr<PlanNode>;

struct PlanNode {
  enum class Kind { kScan, kFilter, kProject, kJoin, kAggregate, kDistinct };
  Kind kind = Kind::kScan;
  std::vector<ivm::Type> output_types;
  std::vector<PlanPtr> children;

  uint64_t relation_id = 0;                         // kScan
  std::string relation_name;                        // kScan
  ivm::ExprPtr predicate;                           // kFilter
  std::vector<ivm::ExprPtr> exprs;                  // kProject
  std::vector<ivm::ExprPtr> left_keys, right_keys;  // kJoin (over each child's row)
  std::vector<ivm::ExprPtr> group_keys;             // kAggregate
  std::vector<ivm::AggregateSpec> aggregates;       // kAggregate
  bool global_aggregate = false;                    // kAggregate without GROUP BY
};

struct SortKey {
  int column = 0;
  bool descending = false;
  bool nulls_first = false;
};

// A bound SELECT: the relational plan a view maintains, plus the presentation a one-shot
// query applies to the result (ORDER BY, LIMIT, hidden sort columns).
struct BoundQuery {
  PlanPtr plan;
  std::vector<std::string> column_names;  // visible columns only
  std::vector<ivm::Type> column_types;
  size_t visible_columns = 0;  // the plan may carry extra sort columns after these
  std::vector<SortKey> order_by;
  std::optional<int64_t> limit;
  int64_t offset = 0;
};

}  // namespace sql
