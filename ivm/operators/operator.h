// Operator: one node of a circuit. Each step it maps its inputs' deltas (consolidated
// Z-sets) to its output delta, reading and updating its own state. Linear operators keep
// no state; joins, aggregates and distinct keep theirs in a StateStore.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ivm/state_store.h"
#include "ivm/zset.h"

namespace ivm {

// Work counters: proof that a step's cost follows its delta, not the state size.
struct StepStats {
  uint64_t rows_in = 0;       // input delta rows seen by operators
  uint64_t rows_out = 0;      // output delta rows produced by operators
  uint64_t state_reads = 0;   // state entries read (gets and scanned entries)
  uint64_t state_writes = 0;  // state entries written or deleted

  void Add(const StepStats& o) {
    rows_in += o.rows_in;
    rows_out += o.rows_out;
    state_reads += o.state_reads;
    state_writes += o.state_writes;
  }
};

struct StepContext {
  StateStore* state = nullptr;  // this operator's state (null for stateless operators)
  StepStats* stats = nullptr;
  bool initial = false;  // the view's first step (its backfill)
  // For each input, whether it is closed: it changes neither in this step nor in any
  // later one, so state kept only to join later changes of the others is not needed.
  // Empty when every input may change (a view's inputs always may).
  std::vector<bool> inputs_closed;
};

class Operator {
 public:
  virtual ~Operator() = default;

  // Returns the output delta for this step's input deltas (one per input, consolidated).
  virtual ZSet Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) = 0;
  // One line for EXPLAIN: "HashJoin keys=[#0 = #1]".
  virtual std::string Describe() const = 0;
  virtual bool HasState() const { return false; }
};

}  // namespace ivm
