#include "sql/lower_to_circuit.h"

#include <algorithm>
#include <map>

#include "ivm/error.h"
#include "ivm/operators/aggregate.h"
#include "ivm/operators/distinct.h"
#include "ivm/operators/filter.h"
#include "ivm/operators/join.h"
#include "ivm/operators/outer_pad.h"
#include "ivm/operators/project.h"
#include "ivm/operators/semi_join.h"
#include "ivm/operators/set_operation.h"
#include "ivm/operators/single_row.h"
#include "ivm/operators/top_n.h"
#include "ivm/operators/union.h"
#include "ivm/operators/unnest.h"
#include "ivm/operators/window.h"
#include "ivm/operators/window_assign.h"

namespace sql {
namespace {

std::vector<ivm::TypeId> TypeIds(const std::vector<ivm::Type>& types, size_t begin, size_t end) {
  std::vector<ivm::TypeId> ids;
  for (size_t i = begin; i < end; ++i) ids.push_back(types[i].id);
  return ids;
}

int LowerNode(const PlanNode& node, LoweredCircuit* out, std::map<const PlanNode*, int>* done);

// Whether `node` holds each row at most once, whatever the changes: a table with a primary
// key, and what filtering, grouping, joining, semi-joining or a projection keeping every
// column of such relations gives. (A projection that drops a column may make two rows one; other
// nodes are not looked into.)
bool RowsUnique(const PlanNode& node) {
  switch (node.kind) {
    case PlanNode::Kind::kScan:
      return node.rows_unique;
    case PlanNode::Kind::kFilter:
      return RowsUnique(*node.children[0]);
    case PlanNode::Kind::kProject: {
      const PlanNode& input = *node.children[0];
      std::vector<bool> kept(input.output_types.size(), false);
      for (const ivm::ExprPtr& e : node.exprs) {
        if (e->kind == ivm::ExprKind::kColumn && e->column >= 0 &&
            static_cast<size_t>(e->column) < kept.size()) {
          kept[e->column] = true;
        }
      }
      return std::find(kept.begin(), kept.end(), false) == kept.end() && RowsUnique(input);
    }
    case PlanNode::Kind::kJoin:
      return RowsUnique(*node.children[0]) && RowsUnique(*node.children[1]);
    case PlanNode::Kind::kSemiJoin:  // some of the outer rows, or each with a mark
      return RowsUnique(*node.children[0]);
    case PlanNode::Kind::kAggregate:
    case PlanNode::Kind::kDistinct:
      return true;
    default:
      return false;
  }
}

int Lower(const PlanNode& node, LoweredCircuit* out, std::map<const PlanNode*, int>* done) {
  auto it = done->find(&node);
  if (it != done->end()) return it->second;
  int id = LowerNode(node, out, done);
  done->emplace(&node, id);
  return id;
}

int LowerNode(const PlanNode& node, LoweredCircuit* out, std::map<const PlanNode*, int>* done) {
  ivm::Circuit& c = *out->circuit;
  std::vector<int> inputs;
  for (const PlanPtr& child : node.children) inputs.push_back(Lower(*child, out, done));
  switch (node.kind) {
    case PlanNode::Kind::kScan:
      out->inputs.push_back(node.relation_id);
      out->input_nodes.push_back(&node);
      return c.AddSource(static_cast<int>(out->inputs.size()) - 1, "Scan " + node.relation_name);
    case PlanNode::Kind::kFilter:
      return c.AddOperator(std::make_unique<ivm::FilterOperator>(node.predicate), inputs);
    case PlanNode::Kind::kProject:
      return c.AddOperator(std::make_unique<ivm::ProjectOperator>(node.exprs), inputs);
    case PlanNode::Kind::kJoin:
      return c.AddOperator(std::make_unique<ivm::JoinOperator>(node.left_keys, node.right_keys,
                                                               RowsUnique(*node.children[0]),
                                                               RowsUnique(*node.children[1])),
                           inputs);
    case PlanNode::Kind::kAggregate:
      return c.AddOperator(std::make_unique<ivm::AggregateOperator>(
                               node.group_keys, node.aggregates, node.global_aggregate),
                           inputs);
    case PlanNode::Kind::kDistinct:
      return c.AddOperator(std::make_unique<ivm::DistinctOperator>(), inputs);
    case PlanNode::Kind::kUnion:
      return c.AddOperator(std::make_unique<ivm::UnionOperator>(node.signs), inputs);
    case PlanNode::Kind::kSetOperation:
      return c.AddOperator(std::make_unique<ivm::SetOperationOperator>(node.set_kind), inputs);
    case PlanNode::Kind::kOuterPad: {
      // The other side's columns: everything in the join row outside the padded range.
      const auto& join_types = node.children[1]->output_types;
      std::vector<ivm::TypeId> other =
          node.pad_side_first
              ? TypeIds(join_types, node.pad_offset + node.pad_count, join_types.size())
              : TypeIds(join_types, 0, node.pad_offset);
      return c.AddOperator(
          std::make_unique<ivm::OuterPadOperator>(node.pad_offset, node.pad_count, other,
                                                  node.pad_side_first, node.pad_mode),
          inputs);
    }
    case PlanNode::Kind::kSemiJoin:
      return c.AddOperator(
          std::make_unique<ivm::SemiJoinOperator>(node.semi_kind, node.left_keys, node.right_keys,
                                                  RowsUnique(*node.children[0])),
          inputs);
    case PlanNode::Kind::kSingleRow:
      return c.AddOperator(std::make_unique<ivm::SingleRowOperator>(
                               TypeIds(node.output_types, 0, node.output_types.size())),
                           inputs);
    case PlanNode::Kind::kTopN:
      return c.AddOperator(
          std::make_unique<ivm::TopNOperator>(node.partition, node.order, node.limit, node.offset,
                                              node.row_number),
          inputs);
    case PlanNode::Kind::kWindowAssign:
      return c.AddOperator(std::make_unique<ivm::WindowAssignOperator>(
                               node.window_time, node.window_size, node.window_slide),
                           inputs);
    case PlanNode::Kind::kWindow:
      return c.AddOperator(
          std::make_unique<ivm::WindowOperator>(node.partition, node.order, node.window_function),
          inputs);
    case PlanNode::Kind::kUnnest:
      return c.AddOperator(
          std::make_unique<ivm::UnnestOperator>(
              node.exprs, std::vector<bool>(node.exprs.size(), node.expand_records)),
          inputs);
  }
  throw ivm::Error(ivm::sqlstate::kInternalError, "unhandled plan node");
}

}  // namespace

LoweredCircuit LowerToCircuit(const PlanNode& plan) {
  LoweredCircuit out;
  out.circuit = std::make_unique<ivm::Circuit>();
  std::map<const PlanNode*, int> done;
  out.circuit->SetOutput(Lower(plan, &out, &done));
  return out;
}

}  // namespace sql
