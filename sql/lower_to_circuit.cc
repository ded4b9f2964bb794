#include "sql/lower_to_circuit.h"

#include "ivm/error.h"
#include "ivm/operators/aggregate.h"
#include "ivm/operators/distinct.h"
#include "ivm/operators/filter.h"
#include "ivm/operators/join.h"
#include "ivm/operators/project.h"

namespace sql {
namespace {

int Lower(const PlanNode& node, LoweredCircuit* out) {
  ivm::Circuit& c = *out->circuit;
  std::vector<int> inputs;
  for (const PlanPtr& child : node.children) inputs.push_back(Lower(*child, out));
  switch (node.kind) {
    case PlanNode::Kind::kScan:
      out->inputs.push_back(node.relation_id);
      return c.AddSource(static_cast<int>(out->inputs.size()) - 1, "Scan " + node.relation_name);
    case PlanNode::Kind::kFilter:
      return c.AddOperator(std::make_unique<ivm::FilterOperator>(node.predicate), inputs);
    case PlanNode::Kind::kProject:
      return c.AddOperator(std::make_unique<ivm::ProjectOperator>(node.exprs), inputs);
    case PlanNode::Kind::kJoin:
      return c.AddOperator(std::make_unique<ivm::JoinOperator>(node.left_keys, node.right_keys),
                           inputs);
    case PlanNode::Kind::kAggregate:
      return c.AddOperator(std::make_unique<ivm::AggregateOperator>(
                               node.group_keys, node.aggregates, node.global_aggregate),
                           inputs);
    case PlanNode::Kind::kDistinct:
      return c.AddOperator(std::make_unique<ivm::DistinctOperator>(), inputs);
  }
  throw ivm::Error(ivm::sqlstate::kInternalError, "unhandled plan node");
}

}  // namespace

LoweredCircuit LowerToCircuit(const PlanNode& plan) {
  LoweredCircuit out;
  out.circuit = std::make_unique<ivm::Circuit>();
  out.circuit->SetOutput(Lower(plan, &out));
  return out;
}

}  // namespace sql
