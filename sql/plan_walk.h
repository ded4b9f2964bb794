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

// The ids of the relations `plan` scans, directly or in subqueries run per row.
std::set<uint64_t> ReadRelations(const PlanNode& plan);

}  // namespace sql
