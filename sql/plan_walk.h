// Walks over logical plans: the expressions a node evaluates, and every relation a plan
// reads, including those read by the subqueries its expressions run per row.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "sql/logical_plan.h"

namespace sql {

// Every expression `node` evaluates itself (not its children's).
std::vector<ivm::ExprPtr> NodeExpressions(const PlanNode& node);

// A relation a plan reads: a scanned relation, or a view (CREATE VIEW) it expands.
// `through_view`: the innermost view it is read through (0: the query reads it itself);
// that view's owner's privileges apply to it, as in PostgreSQL.
struct RelationRead {
  uint64_t relation_id = 0;
  uint64_t through_view = 0;
  bool operator<(const RelationRead& o) const {
    return relation_id != o.relation_id ? relation_id < o.relation_id
                                        : through_view < o.through_view;
  }
};

// What `plan` reads, directly, through views, or in subqueries run per row.
std::set<RelationRead> ReadRelations(const PlanNode& plan);

// The smallest n such that no two rows of `plan`'s result share their first n columns, as
// far as its shape shows (a scanned relation's key carried through projections, filters
// and joins that match the other side's key, GROUP BY keys, DISTINCT); 0 when it cannot
// tell.
int UniqueLeadingColumns(const PlanNode& plan, const Catalog& catalog);

}  // namespace sql
