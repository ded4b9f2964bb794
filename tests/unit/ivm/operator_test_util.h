// Helpers for operator tests: small rows, Z-set comparison, random change streams.
#pragma once

#include <map>
#include <random>
#include <string>

#include "ivm/operators/operator.h"
#include "ivm/state_store.h"
#include "ivm/zset.h"

namespace ivm::testing {

inline const Type kInt = Type::Of(TypeId::kInt32);

inline Row R(std::initializer_list<int> values) {
  Row row;
  for (int v : values) row.push_back(v < 0 ? Value::Null(TypeId::kInt32) : Value::Int32(v));
  return row;
}

inline ZSet Consolidated(ZSet z) {
  z.Consolidate();
  return z;
}

inline bool Equal(ZSet a, ZSet b) {
  a.Consolidate();
  b.Consolidate();
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (CompareRows(a.entries()[i].row, b.entries()[i].row) != 0) return false;
    if (a.entries()[i].weight != b.entries()[i].weight) return false;
  }
  return true;
}

inline std::string Dump(const ZSet& z) {
  std::string s;
  for (const ZSetEntry& e : z.entries()) {
    s += "{";
    for (const Value& v : e.row) s += (v.is_null() ? "NULL" : v.ToText()) + " ";
    s += "x" + std::to_string(e.weight) + "} ";
  }
  return s;
}

// A random delta over rows (key in [0,keys), value in [0,values) or NULL): inserts new
// rows and deletes rows present in `current`, so weights stay non-negative.
inline ZSet RandomDelta(std::mt19937& rng, const ZSet& current, int keys, int values, int changes) {
  ZSet delta;
  std::uniform_int_distribution<int> key(0, keys - 1), value(-1, values - 1), coin(0, 2);
  for (int i = 0; i < changes; ++i) {
    if (coin(rng) == 0 && !current.empty()) {
      const ZSetEntry& e = current.entries()[rng() % current.size()];
      delta.Add(e.row, -1);
    } else {
      delta.Add(R({key(rng), value(rng)}), 1);
    }
  }
  // Never delete more copies than exist.
  ZSet next = AddZSets(current, delta);
  ZSet fixed = Consolidated(delta);
  for (const ZSetEntry& e : next.entries()) {
    if (e.weight < 0) fixed.Add(e.row, -e.weight);
  }
  return Consolidated(fixed);
}

// A random change to a relation keyed by its first column, as a table with a primary key
// changes: rows added under free keys, deleted, or updated (the old row out, a new one in).
inline ZSet RandomKeyedDelta(std::mt19937& rng, const ZSet& current, int keys, int values,
                             int changes) {
  std::map<int64_t, Row> rows;
  for (const ZSetEntry& e : current.entries()) rows[e.row[0].int_value()] = e.row;
  std::uniform_int_distribution<int> key(0, keys - 1), value(-1, values - 1), coin(0, 2);
  ZSet delta;
  for (int i = 0; i < changes; ++i) {
    const int k = key(rng);
    auto it = rows.find(k);
    if (it != rows.end()) delta.Add(it->second, -1);
    if (it != rows.end() && coin(rng) == 0) {
      rows.erase(it);
      continue;
    }
    Row row = R({k, value(rng)});
    delta.Add(row, 1);
    rows[k] = std::move(row);
  }
  return Consolidated(delta);
}

// Runs operator steps against one persistent in-memory state.
struct Harness {
  MemoryStateStore state;
  StepStats stats;
  ZSet Step(Operator& op, std::vector<const ZSet*> inputs, bool initial = false,
            std::vector<bool> inputs_closed = {}) {
    StepContext ctx{&state, &stats, initial, std::move(inputs_closed)};
    return op.Step(inputs, ctx);
  }
};

}  // namespace ivm::testing
