#include "server/query_executor.h"

#include <algorithm>
#include <map>
#include <memory>

#include "ivm/error.h"
#include "sql/lower_to_circuit.h"
#include "storage/relation_store.h"

namespace server {

ivm::ZSet ReadRelation(uint64_t id, const sql::Catalog& catalog, storage::Reader& reader) {
  if (id == 0) {
    ivm::ZSet one;
    one.Add({}, 1);
    return one;
  }
  const sql::RelationInfo* rel = catalog.FindById(id);
  if (!rel) throw ivm::Error(ivm::sqlstate::kUndefinedTable, "relation was dropped");
  ivm::ZSet all = storage::RelationStore(id, rel->primary_key).ReadAll(reader);
  all.Consolidate();
  return all;
}

std::vector<ivm::Row> RunQuery(const sql::BoundQuery& query, const sql::Catalog& catalog,
                               storage::Reader& reader, ivm::StepStats* stats) {
  sql::LoweredCircuit lowered = sql::LowerToCircuit(*query.plan);
  std::map<uint64_t, ivm::ZSet> inputs;
  std::vector<const ivm::ZSet*> sources;
  for (uint64_t id : lowered.inputs) {
    auto it = inputs.find(id);
    if (it == inputs.end()) it = inputs.emplace(id, ReadRelation(id, catalog, reader)).first;
    sources.push_back(&it->second);
  }
  std::map<int, std::unique_ptr<ivm::MemoryStateStore>> state;
  auto state_for = [&](int node) -> ivm::StateStore* {
    auto& slot = state[node];
    if (!slot) slot = std::make_unique<ivm::MemoryStateStore>();
    return slot.get();
  };
  ivm::StepStats local;
  ivm::ZSet result = lowered.circuit->Step(sources, state_for, true, stats ? stats : &local);

  std::vector<ivm::Row> rows;
  for (ivm::ZSetEntry& e : result.mutable_entries()) {
    if (e.weight < 0) {
      throw ivm::Error(ivm::sqlstate::kInternalError, "query produced a negative row count");
    }
    for (int64_t i = 1; i < e.weight; ++i) rows.push_back(e.row);
    rows.push_back(std::move(e.row));
  }
  if (!query.order_by.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const ivm::Row& a, const ivm::Row& b) {
      for (const sql::SortKey& key : query.order_by) {
        const ivm::Value& x = a[key.column];
        const ivm::Value& y = b[key.column];
        if (x.is_null() || y.is_null()) {
          if (x.is_null() == y.is_null()) continue;
          return x.is_null() == key.nulls_first;
        }
        int c = x.Compare(y);
        if (c != 0) return key.descending ? c > 0 : c < 0;
      }
      return false;
    });
  }
  size_t begin = std::min<size_t>(rows.size(), static_cast<size_t>(query.offset));
  size_t end = rows.size();
  if (query.limit) end = std::min(end, begin + static_cast<size_t>(*query.limit));
  std::vector<ivm::Row> out(std::make_move_iterator(rows.begin() + begin),
                            std::make_move_iterator(rows.begin() + end));
  for (ivm::Row& row : out) row.resize(query.visible_columns);
  return out;
}

}  // namespace server
