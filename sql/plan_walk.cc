#include "sql/plan_walk.h"

#include <algorithm>

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

namespace {

// The smallest n such that the first n of `exprs` include a plain reference to each of
// `key` (columns of their input); 0 when they do not.
int CoveringPrefix(const std::vector<ivm::ExprPtr>& exprs, const std::vector<int>& key) {
  std::set<int> needed(key.begin(), key.end());
  if (needed.empty()) return 0;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (exprs[i]->kind == ivm::ExprKind::kColumn) needed.erase(exprs[i]->column);
    if (needed.empty()) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Columns of `node`'s output no two rows share (in any order), or empty when unknown.
std::vector<int> UniqueColumns(const PlanNode& node, const Catalog& catalog) {
  switch (node.kind) {
    case PlanNode::Kind::kFilter:
      return UniqueColumns(*node.children[0], catalog);
    case PlanNode::Kind::kScan: {
      const RelationInfo* rel = catalog.FindById(node.relation_id);
      if (!rel) return {};
      if (!rel->primary_key.empty()) return rel->primary_key;
      std::vector<int> prefix;
      for (int i = 0; i < rel->unique_prefix; ++i) prefix.push_back(i);
      return prefix;
    }
    case PlanNode::Kind::kAggregate: {
      if (node.global_aggregate) return {};
      std::vector<int> keys;
      for (size_t i = 0; i < node.group_keys.size(); ++i) keys.push_back(static_cast<int>(i));
      return keys;
    }
    case PlanNode::Kind::kJoin: {
      // A side whose unique columns are all matched by equality meets each row of the other
      // side at most once: the other side's unique columns stay unique in the join.
      const PlanNode& left = *node.children[0];
      const PlanNode& right = *node.children[1];
      auto matched = [](const std::vector<int>& unique, const std::vector<ivm::ExprPtr>& keys) {
        if (unique.empty()) return false;
        std::set<int> keyed;
        for (const ivm::ExprPtr& k : keys) {
          if (k->kind == ivm::ExprKind::kColumn) keyed.insert(k->column);
        }
        for (int c : unique) {
          if (!keyed.count(c)) return false;
        }
        return true;
      };
      std::vector<int> left_unique = UniqueColumns(left, catalog);
      std::vector<int> right_unique = UniqueColumns(right, catalog);
      if (matched(right_unique, node.right_keys) && !left_unique.empty()) return left_unique;
      if (matched(left_unique, node.left_keys) && !right_unique.empty()) {
        const int width = static_cast<int>(left.output_types.size());
        for (int& c : right_unique) c += width;
        return right_unique;
      }
      return {};
    }
    case PlanNode::Kind::kDistinct: {
      // DISTINCT keeps 1.5 and 1.50 apart (a Z-set row's identity includes a numeric's
      // display scale), which SQL equality, and so a storage key, does not.
      std::vector<int> all;
      for (size_t i = 0; i < node.output_types.size(); ++i) {
        if (node.output_types[i].id == ivm::TypeId::kNumeric) return {};
        all.push_back(static_cast<int>(i));
      }
      return all;
    }
    case PlanNode::Kind::kProject: {
      std::vector<int> below = UniqueColumns(*node.children[0], catalog);
      int n = CoveringPrefix(node.exprs, below);
      std::vector<int> out;
      for (int i = 0; i < n; ++i) out.push_back(i);
      return out;
    }
    default:
      return {};
  }
}

}  // namespace

int UniqueLeadingColumns(const PlanNode& plan, const Catalog& catalog) {
  std::vector<int> unique = UniqueColumns(plan, catalog);
  if (unique.empty()) return 0;
  int n = 0;
  for (int c : unique) n = std::max(n, c + 1);
  return n;
}

std::set<RelationRead> ReadRelations(const PlanNode& plan) {
  Seen seen;
  std::set<RelationRead> reads;
  CollectFromPlan(plan, 0, &seen, &reads);
  return reads;
}

}  // namespace sql
