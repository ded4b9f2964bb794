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
#include "ivm/operators/outer_pad.h"
#include "ivm/operators/semi_join.h"
#include "ivm/operators/set_operation.h"
#include "ivm/operators/sort_key.h"
#include "ivm/operators/window.h"
#include "sql/catalog.h"

namespace sql {

struct PlanNode;
using PlanPtr = std::shared_ptr<PlanNode>;

// A node may be the child of several nodes (an outer join reads each input twice); it is
// lowered once.
struct PlanNode {
  enum class Kind {
    kScan,
    kFilter,
    kProject,
    kJoin,
    kAggregate,
    kDistinct,
    kUnion,         // weighted sum of the children (signs)
    kSetOperation,  // INTERSECT/EXCEPT [ALL] of two children
    kOuterPad,      // children: one join side and the inner join; see OuterPadOperator
    kSemiJoin,      // children: outer and inner; see SemiJoinOperator
    kSingleRow,     // a scalar subquery's one row
    kTopN,          // ORDER BY ... LIMIT per partition, or ROW_NUMBER()
    kWindowAssign,  // TUMBLE/HOP: window_start, window_end appended to each row
    kUnnest,        // set-returning calls (exprs): their rows' values appended to each row
    kWindow,        // a window function over partition/order: its value appended to each row
  };
  Kind kind = Kind::kScan;
  std::vector<ivm::Type> output_types;
  std::vector<PlanPtr> children;

  uint64_t relation_id = 0;                         // kScan
  std::string relation_name;                        // kScan
  bool rows_unique = false;  // kScan: the relation holds each row at most once (a key)
  ivm::ExprPtr predicate;                           // kFilter
  std::vector<ivm::ExprPtr> exprs;                  // kProject
  std::vector<ivm::ExprPtr> left_keys, right_keys;  // kJoin (over each child's row)
  std::vector<ivm::ExprPtr> group_keys;             // kAggregate
  std::vector<ivm::AggregateSpec> aggregates;       // kAggregate
  bool global_aggregate = false;                    // kAggregate without GROUP BY
  std::vector<int> signs;                           // kUnion
  ivm::SetOperationKind set_kind = ivm::SetOperationKind::kIntersect;  // kSetOperation
  int pad_offset = 0, pad_count = 0;                                   // kOuterPad
  bool pad_side_first = true;                                          // kOuterPad
  ivm::MatchMode pad_mode = ivm::MatchMode::kPadUnmatched;             // kOuterPad
  ivm::SemiJoinKind semi_kind = ivm::SemiJoinKind::kSemi;  // kSemiJoin (keys: left/right_keys)
  std::vector<ivm::ExprPtr> partition;                     // kTopN
  std::vector<ivm::SortSpec> order;                        // kTopN
  std::optional<int64_t> limit;                            // kTopN
  int64_t offset = 0;                                      // kTopN
  bool row_number = false;                                 // kTopN: append ROW_NUMBER()
  ivm::WindowFunctionSpec window_function;                 // kWindow (with partition, order)
  ivm::ExprPtr window_time;                                // kWindowAssign
  int64_t window_size = 0, window_slide = 0;               // kWindowAssign, microseconds
  bool expand_records = false;  // kUnnest: a record's fields become columns (FROM items)
  // Set on the root of a view's expanded query: the view (CREATE VIEW) it stands for, whose
  // owner's privileges apply to what it reads.
  uint64_t view_id = 0;
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
  std::vector<uint64_t> views;  // the views (CREATE VIEW) expanded in the plan
};

}  // namespace sql
