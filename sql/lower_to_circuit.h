// Lowers a logical plan to an ivm::Circuit. Lowering is deterministic, so the same plan
// always yields the same operator ids and fingerprint (stored state stays attachable).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ivm/circuit.h"
#include "sql/logical_plan.h"

namespace sql {

struct LoweredCircuit {
  std::unique_ptr<ivm::Circuit> circuit;
  // The relation feeding each source of the circuit (0: the one-row source of a SELECT
  // without FROM). A relation read twice (self-join) appears twice.
  std::vector<uint64_t> inputs;
  // The scan node of each input, parallel to `inputs`.
  std::vector<const PlanNode*> input_nodes;
};

LoweredCircuit LowerToCircuit(const PlanNode& plan);

}  // namespace sql
