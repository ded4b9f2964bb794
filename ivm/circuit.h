// Circuit: the DAG of operators that maintains one view (DBSP). Nodes are added in
// topological order; sources stand for the view's input relations. A step feeds every
// source its delta and returns the output node's delta. Operator ids are the node
// indices, stable for a given plan, so stored state can be found again after a restart.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ivm/operators/operator.h"

namespace ivm {

class Circuit {
 public:
  // Adds a node that yields the delta of input `source_index`. Returns its node id.
  int AddSource(int source_index, std::string description);
  // Adds an operator over earlier nodes. Returns its node id.
  int AddOperator(std::unique_ptr<Operator> op, std::vector<int> inputs);
  void SetOutput(int node) { output_ = node; }

  // Runs one step. `sources[i]` is the delta of input relation i (may be empty).
  // `state_for(node)` returns the StateStore of a stateful node. `closed`, when given,
  // marks the inputs that are empty in this step and every later one (a one-shot query
  // that has read them): operators then skip state only later changes would need.
  ZSet Step(const std::vector<const ZSet*>& sources,
            const std::function<StateStore*(int node)>& state_for, bool initial, StepStats* stats,
            const std::vector<bool>* closed = nullptr);

  // The operator tree, one node per line, indented under its consumer.
  std::string Explain() const;
  // A fingerprint of the plan: changes whenever operators or their parameters change.
  uint64_t Fingerprint() const;
  std::vector<int> StatefulNodes() const;
  size_t num_nodes() const { return nodes_.size(); }

 private:
  struct Node {
    std::unique_ptr<Operator> op;  // null for a source
    int source_index = -1;
    std::string source_description;
    std::vector<int> inputs;
  };
  void ExplainNode(int node, int depth, std::string* out) const;

  std::vector<Node> nodes_;
  int output_ = -1;
};

}  // namespace ivm
