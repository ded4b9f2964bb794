#include "sql/plan_walk.h"

#include "sql/subquery_expression.h"

namespace sql {
namespace {

using Seen = std::set<std::pair<const PlanNode*, uint64_t>>;

void CollectFromExpression(const ivm::ExprPtr& e, uint64_t view, Seen* seen,
                           std::set<RelationRead>* reads);

void CollectFromPlan(const PlanNode& node, uint64_t view, Seen* seen,
                     std::set<RelationRead>* reads) {
  if (!seen->insert({&node, view}).second) return;  // shared children are visited once
  if (node.view_id != 0) {
    reads->insert({node.view_id, view});
    view = node.view_id;
  }
  if (node.kind == PlanNode::Kind::kScan) reads->insert({node.relation_id, view});
  for (const ivm::ExprPtr& e : NodeExpressions(node)) CollectFromExpression(e, view, seen, reads);
  for (const PlanPtr& child : node.children) CollectFromPlan(*child, view, seen, reads);
}

void CollectFromExpression(const ivm::ExprPtr& e, uint64_t view, Seen* seen,
                           std::set<RelationRead>* reads) {
  if (e->kind == ivm::ExprKind::kSubquery) {
    const auto& subquery = static_cast<const SubqueryQuery&>(*e->subquery);
    CollectFromPlan(*subquery.query.plan, view, seen, reads);
  }
  for (const ivm::ExprPtr& arg : e->args) CollectFromExpression(arg, view, seen, reads);
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

std::set<RelationRead> ReadRelations(const PlanNode& plan) {
  Seen seen;
  std::set<RelationRead> reads;
  CollectFromPlan(plan, 0, &seen, &reads);
  return reads;
}

}  // namespace sql
