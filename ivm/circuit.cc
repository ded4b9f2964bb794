#include "ivm/circuit.h"

#include <xxhash.h>

#include "ivm/interrupt.h"

namespace ivm {

int Circuit::AddSource(int source_index, std::string description) {
  Node node;
  node.source_index = source_index;
  node.source_description = std::move(description);
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size()) - 1;
}

int Circuit::AddOperator(std::unique_ptr<Operator> op, std::vector<int> inputs) {
  Node node;
  node.op = std::move(op);
  node.inputs = std::move(inputs);
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size()) - 1;
}

ZSet Circuit::Step(const std::vector<const ZSet*>& sources,
                   const std::function<StateStore*(int)>& state_for, bool initial, StepStats* stats,
                   const std::vector<bool>* closed) {
  std::vector<ZSet> owned(nodes_.size());
  // A node is closed when every input it depends on is.
  std::vector<bool> node_closed(nodes_.size(), false);
  std::vector<const ZSet*> outputs(nodes_.size(), nullptr);
  // A node's output is freed once its last consumer has run, so that a large step (a
  // backfill, a bulk INSERT) holds only the deltas still to be read, not every one.
  std::vector<size_t> last_use(nodes_.size(), 0);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (int in : nodes_[i].inputs) last_use[in] = i;
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& node = nodes_[i];
    if (!node.op) {
      outputs[i] = sources[node.source_index];
      node_closed[i] = closed && (*closed)[node.source_index];
      continue;
    }
    node_closed[i] = closed != nullptr;
    for (int in : node.inputs) node_closed[i] = node_closed[i] && node_closed[in];
    std::vector<const ZSet*> inputs;
    bool all_empty = true;
    for (int in : node.inputs) {
      inputs.push_back(outputs[in]);
      all_empty = all_empty && outputs[in]->empty();
    }
    // An empty delta changes nothing, except a global aggregate's first step.
    if (all_empty && !initial) {
      outputs[i] = &owned[i];
      continue;
    }
    CheckInterrupt();
    StepContext ctx;
    ctx.state = node.op->HasState() ? state_for(static_cast<int>(i)) : nullptr;
    ctx.stats = stats;
    ctx.initial = initial;
    if (closed) {
      for (int in : node.inputs) ctx.inputs_closed.push_back(node_closed[in]);
    }
    owned[i] = node.op->Step(inputs, ctx);
    outputs[i] = &owned[i];
    for (int in : node.inputs) {
      if (last_use[in] == i && in != output_) owned[in] = ZSet();
    }
  }
  if (!nodes_[output_].op) return *outputs[output_];
  return std::move(owned[output_]);
}

void Circuit::ExplainNode(int index, int depth, std::string* out) const {
  const Node& node = nodes_[index];
  out->append(static_cast<size_t>(depth) * 2, ' ');
  if (depth > 0) out->append("-> ");
  if (!node.op) {
    out->append(node.source_description);
  } else {
    out->append(node.op->Describe());
  }
  out->append("  (op " + std::to_string(index) + ")\n");
  for (int in : node.inputs) ExplainNode(in, depth + 1, out);
}

std::string Circuit::Explain() const {
  std::string out;
  if (output_ >= 0) ExplainNode(output_, 0, &out);
  return out;
}

uint64_t Circuit::Fingerprint() const {
  std::string text;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    text += std::to_string(i) + ":" + (node.op ? node.op->Describe() : node.source_description);
    for (int in : node.inputs) text += "," + std::to_string(in);
    text += "\n";
  }
  text += "out:" + std::to_string(output_);
  return XXH3_64bits(text.data(), text.size());
}

std::vector<int> Circuit::StatefulNodes() const {
  std::vector<int> result;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].op && nodes_[i].op->HasState()) result.push_back(static_cast<int>(i));
  }
  return result;
}

}  // namespace ivm
