#include "sql/plan_walk.h"

#include "sql/subquery_expression.h"

namespace sql {
namespace {

void CollectFromExpression(const ivm::ExprPtr& e, std::set<const PlanNode*>* seen,
                           std::set<uint64_t>* relations);

void CollectFromPlan(const PlanNode& node, std::set<const PlanNode*>* seen,
                     std::set<uint64_t>* relations) {
  if (!seen->insert(&node).second) return;  // shared children are visited once
  if (node.kind == PlanNode::Kind::kScan) relations->insert(node.relation_id);
  for (const ivm::ExprPtr& e : NodeExpressions(node)) CollectFromExpression(e, seen, relations);
  for (const PlanPtr& child : node.children) CollectFromPlan(*child, seen, relations);
}

void CollectFromExpression(const ivm::ExprPtr& e, std::set<const PlanNode*>* seen,
                           std::set<uint64_t>* relations) {
  if (e->kind == ivm::ExprKind::kSubquery) {
    const auto& subquery = static_cast<const SubqueryQuery&>(*e->subquery);
    CollectFromPlan(*subquery.query.plan, seen, relations);
  }
  for (const ivm::ExprPtr& arg : e->args) CollectFromExpression(arg, seen, relations);
}

}  // namespace

std::vector<ivm::ExprPtr> NodeExpressions(const PlanNode& node) {
  std::vector<ivm::ExprPtr> exprs = node.exprs;
  for (const auto* list : {&node.left_keys, &node.right_keys, &node.group_keys, &node.partition}) {
    exprs.insert(exprs.end(), list->begin(), list->end());
  }
  if (node.predicate) exprs.push_back(node.predicate);
  if (node.window_time) exprs.push_back(node.window_time);
  for (const ivm::AggregateSpec& a : node.aggregates) {
    if (a.arg) exprs.push_back(a.arg);
    for (const ivm::SortSpec& s : a.order_by) exprs.push_back(s.expr);
  }
  for (const ivm::SortSpec& s : node.order) exprs.push_back(s.expr);
  if (node.window_function.arg) exprs.push_back(node.window_function.arg);
  if (node.window_function.default_value) exprs.push_back(node.window_function.default_value);
  return exprs;
}

std::set<uint64_t> ReadRelations(const PlanNode& plan) {
  std::set<const PlanNode*> seen;
  std::set<uint64_t> relations;
  CollectFromPlan(plan, &seen, &relations);
  return relations;
}

}  // namespace sql
