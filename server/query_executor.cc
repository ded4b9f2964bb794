#include "server/query_executor.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "ivm/error.h"
#include "ivm/interrupt.h"
#include "server/pg_catalog.h"
#include "sql/expression_binder.h"
#include "sql/key_values.h"
#include "sql/lower_to_circuit.h"
#include "sql/plan_walk.h"
#include "sql/subquery_expression.h"
#include "storage/keys.h"
#include "storage/relation_store.h"

namespace server {
namespace {

// Rows read from a stored relation per step of a query read in chunks (SetQueryChunkRows).
std::atomic<size_t> rows_per_chunk{16384};

using sql::PlanNode;

// For every scan whose one consumer is a filter, that filter's predicate. A scan that feeds
// several nodes (an outer join reads its inputs twice) must be read whole.
void FindFilteredScans(const PlanNode& node, std::set<const PlanNode*>* seen,
                       std::map<const PlanNode*, int>* consumers,
                       std::map<const PlanNode*, ivm::ExprPtr>* filters) {
  if (!seen->insert(&node).second) return;
  for (const sql::PlanPtr& child : node.children) {
    ++(*consumers)[child.get()];
    if (node.kind == PlanNode::Kind::kFilter && child->kind == PlanNode::Kind::kScan) {
      (*filters)[child.get()] = node.predicate;
    }
    FindFilteredScans(*child, seen, consumers, filters);
  }
}

// Where the rows of a relation that can pass a predicate are, when the predicate narrows
// them by key: nowhere, under one key, or within one range of keys.
struct Narrowed {
  enum class Kind { kNone, kKey, kRange } kind = Kind::kNone;
  ivm::Row key;                            // kKey: the whole storage key
  storage::RelationStore::KeyRange range;  // kRange
};

// How `predicate` narrows the rows of `rel`, when it pins the relation's leading key
// columns (its storage key in key order, or for a keyless relation its leading columns)
// or bounds the first of them it does not pin by a range: one key when it pins the whole
// storage key, a key prefix or key range otherwise. nullopt when it narrows none of them.
std::optional<Narrowed> Narrow(const sql::RelationInfo& rel, const ivm::ExprPtr& predicate) {
  std::vector<ivm::Type> types;
  for (const sql::ColumnInfo& c : rel.columns) types.push_back(c.type);
  std::map<int, ivm::Value> pinned = sql::PinnedColumns(predicate, types);
  for (const auto& [column, value] : pinned) {
    if (value.is_null()) return Narrowed{};  // "= NULL" is never true
  }
  std::vector<int> key_columns = rel.StorageKey();
  const storage::RelationStore store(rel.id, key_columns);
  const bool keyless = key_columns.empty();
  if (keyless) {
    for (size_t c = 0; c < rel.columns.size(); ++c) key_columns.push_back(static_cast<int>(c));
  }
  ivm::Row leading;
  bool extendable = true;  // whether a range on the next key column can follow `leading`
  for (int column : key_columns) {
    auto it = pinned.find(column);
    if (it == pinned.end()) break;
    leading.push_back(it->second);
    // A keyless row key carries a numeric's display scale after its value.
    if (keyless && it->second.type() == ivm::TypeId::kNumeric) {
      extendable = false;
      break;
    }
  }
  if (!keyless && leading.size() == key_columns.size()) {
    return Narrowed{Narrowed::Kind::kKey, std::move(leading), {}};
  }
  sql::ColumnRange range;
  if (extendable && leading.size() < key_columns.size()) {
    const int next = key_columns[leading.size()];
    range = sql::RangeOf(predicate, next, types[static_cast<size_t>(next)]);
    if (range.empty) return Narrowed{};  // compared with NULL: never true
  }
  if (leading.empty() && !range.low && !range.high) return std::nullopt;
  return Narrowed{Narrowed::Kind::kRange, {}, store.Keys(leading, range.low, range.high)};
}

// The rows `narrowed` leaves of `rel`, read whole.
ivm::ZSet ReadNarrowed(const sql::RelationInfo& rel, const Narrowed& narrowed,
                       storage::Reader& reader) {
  const storage::RelationStore store(rel.id, rel.StorageKey());
  ivm::ZSet rows;
  switch (narrowed.kind) {
    case Narrowed::Kind::kNone:
      break;
    case Narrowed::Kind::kKey:
      if (std::optional<ivm::Row> row = store.Lookup(reader, narrowed.key)) {
        rows.Add(std::move(*row), 1);
      }
      break;
    case Narrowed::Kind::kRange:
      rows = store.ReadKeyRange(reader, narrowed.range);
      rows.Consolidate();
      break;
  }
  return rows;
}

// The rows of `rel` that can pass `predicate`, found by key instead of by a full read (see
// Narrow); nullopt when the predicate narrows nothing.
std::optional<ivm::ZSet> ReadPinnedRows(const sql::RelationInfo& rel, const ivm::ExprPtr& predicate,
                                        storage::Reader& reader) {
  std::optional<Narrowed> narrowed = Narrow(rel, predicate);
  if (!narrowed) return std::nullopt;
  return ReadNarrowed(rel, *narrowed, reader);
}

// Projections over an optional filter over a stored relation (a table or a materialized
// view). With a filter over a table, the shape of a lookup by key.
struct FilteredScan {
  std::vector<const PlanNode*> projects;  // outermost first
  const PlanNode* filter = nullptr;       // none: every row
  const sql::RelationInfo* relation = nullptr;
};

std::optional<FilteredScan> AsProjectedScan(const PlanNode* node, const sql::Catalog& catalog) {
  FilteredScan out;
  while (node && node->kind == PlanNode::Kind::kProject) {
    out.projects.push_back(node);
    node = node->children[0].get();
  }
  if (node && node->kind == PlanNode::Kind::kFilter) {
    out.filter = node;
    node = node->children[0].get();
  }
  if (!node || node->kind != PlanNode::Kind::kScan || node->relation_id == 0 ||
      IsCatalogRelation(node->relation_id)) {
    return std::nullopt;
  }
  out.relation = catalog.FindById(node->relation_id);
  if (!out.relation) return std::nullopt;
  return out;
}

std::optional<FilteredScan> AsFilteredScan(const PlanNode* node, const sql::Catalog& catalog) {
  std::optional<FilteredScan> out = AsProjectedScan(node, catalog);
  if (!out || !out->filter || out->relation->is_view()) return std::nullopt;
  return out;
}

// The rows of `plan` among `rows` of its relation, as the Filter and Project operators
// would make them, without building a circuit.
ivm::ZSet FilterAndProject(const FilteredScan& plan, ivm::ZSet rows) {
  ivm::ZSet out;
  for (ivm::ZSetEntry& e : rows.mutable_entries()) {
    if (plan.filter && !ivm::IsTrue(plan.filter->predicate->Eval(e.row))) continue;
    ivm::Row row = std::move(e.row);
    for (auto it = plan.projects.rbegin(); it != plan.projects.rend(); ++it) {
      ivm::Row projected;
      projected.reserve((*it)->exprs.size());
      for (const ivm::ExprPtr& expr : (*it)->exprs) projected.push_back(expr->Eval(row));
      row = std::move(projected);
    }
    out.Add(std::move(row), e.weight);
  }
  out.Consolidate();
  return out;
}

// The result of a filtered scan whose filter pins key columns, computed directly;
// nullopt when the filter pins no key column.
std::optional<ivm::ZSet> EvaluatePinned(const FilteredScan& plan, storage::Reader& reader) {
  std::optional<ivm::ZSet> rows = ReadPinnedRows(*plan.relation, plan.filter->predicate, reader);
  if (!rows) return std::nullopt;
  return FilterAndProject(plan, std::move(*rows));
}

using RelationCache = std::map<uint64_t, ivm::ZSet>;

// `stream`: whether the query may read its stored relations a chunk at a time
// (StepInChunks) rather than whole and into `whole`, which a subquery's runner keeps.
std::vector<ivm::Row> Evaluate(const sql::BoundQuery& query, const sql::Catalog& catalog,
                               storage::Reader& reader, ivm::StepStats* stats, RelationCache* whole,
                               bool stream = false);

// A query's result as rows: each row as often as its weight, in the query's order, within
// its LIMIT and OFFSET, with only the visible columns.
std::vector<ivm::Row> Present(const sql::BoundQuery& query, ivm::ZSet result);

struct RowLess {
  bool operator()(const ivm::Row& a, const ivm::Row& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    for (size_t i = 0; i < a.size(); ++i) {
      if (int c = a[i].Compare(b[i])) return c < 0;
    }
    return false;
  }
};

// Runs the per-row subqueries of one query (ivm/subquery.h): each distinct set of outer
// values once, with every relation they read read once.
class QuerySubqueryRunner final : public ivm::SubqueryRunner {
 public:
  QuerySubqueryRunner(const sql::Catalog& catalog, storage::Reader& reader, ivm::StepStats* stats)
      : catalog_(catalog), reader_(reader), stats_(stats) {}

  std::vector<ivm::Row> Run(const ivm::SubqueryPlan& plan,
                            const std::vector<ivm::Value>& outer) override {
    auto& results = results_[&plan];
    auto it = results.find(outer);
    if (it != results.end()) return it->second;
    ivm::OuterValues values(&outer);
    const sql::BoundQuery& query = static_cast<const sql::SubqueryQuery&>(plan).query;
    std::vector<ivm::Row> rows = Evaluate(query, catalog_, reader_, stats_, &relations_);
    results.emplace(outer, rows);
    return rows;
  }

  RelationCache& relations() { return relations_; }

 private:
  const sql::Catalog& catalog_;
  storage::Reader& reader_;
  ivm::StepStats* stats_;
  RelationCache relations_;
  std::map<const ivm::SubqueryPlan*, std::map<ivm::Row, std::vector<ivm::Row>, RowLess>> results_;
};

}  // namespace

struct QueryStream::Plan {
  Plan(FilteredScan shape, const sql::Catalog& catalog, storage::Reader& reader)
      : shape(std::move(shape)),
        store(this->shape.relation->id, this->shape.relation->StorageKey()),
        reader(reader),
        runner(catalog, reader, &stats) {}

  FilteredScan shape;
  storage::RelationStore store;
  storage::Reader& reader;
  ivm::StepStats stats;
  QuerySubqueryRunner runner;  // keeps what subqueries read and found from chunk to chunk
};

QueryStream::QueryStream(const sql::BoundQuery& query, std::vector<ivm::Value> parameters)
    : query_(query), parameters_(std::move(parameters)) {}

QueryStream::~QueryStream() = default;

std::unique_ptr<QueryStream> QueryStream::Open(const sql::BoundQuery& query,
                                               const sql::Catalog& catalog, storage::Reader& reader,
                                               std::vector<ivm::Value> parameters) {
  if (!query.order_by.empty() || query.limit || query.offset != 0) return nullptr;
  std::optional<FilteredScan> shape = AsProjectedScan(query.plan.get(), catalog);
  if (!shape) return nullptr;
  std::unique_ptr<QueryStream> stream(new QueryStream(query, std::move(parameters)));
  ivm::ParameterValues values(&stream->parameters_);  // WHERE id = $1 is a lookup
  const sql::RelationInfo& rel = *shape->relation;
  std::optional<Narrowed> narrowed;
  if (shape->filter) narrowed = Narrow(rel, shape->filter->predicate);
  if (narrowed && narrowed->kind != Narrowed::Kind::kRange) return nullptr;
  stream->plan_ = std::make_unique<Plan>(std::move(*shape), catalog, reader);
  stream->range_ = narrowed ? std::move(narrowed->range) : stream->plan_->store.AllKeys();
  return stream;
}

std::vector<ivm::Row> QueryStream::Next() {
  ivm::ParameterValues values(&parameters_);
  ivm::SubqueryRunner::Scope scope(&plan_->runner);
  std::vector<ivm::Row> rows;
  const size_t chunk_rows = rows_per_chunk.load(std::memory_order_relaxed);
  while (rows.empty() && !finished()) {
    ivm::CheckInterrupt();  // a chunk may hold fewer rows than ReadChunk checks after
    ivm::ZSet chunk = plan_->store.ReadChunk(plan_->reader, &range_, chunk_rows);
    chunk.Consolidate();  // in row order, as a whole relation read is
    rows = Present(query_, FilterAndProject(plan_->shape, std::move(chunk)));
  }
  return rows;
}

bool IsKeyLookup(const sql::BoundQuery& query, const sql::Catalog& catalog) {
  std::optional<FilteredScan> plan = AsFilteredScan(query.plan.get(), catalog);
  if (!plan) return false;
  const sql::RelationInfo* rel = plan->relation;
  const PlanNode* node = plan->filter;
  std::vector<const PlanNode*> chain = plan->projects;
  chain.push_back(node);
  // A table's primary key, or the leading columns a materialized view's rows never share
  // (read by key prefix: at most one row).
  std::vector<int> key = rel->primary_key;
  if (key.empty()) {
    for (int i = 0; i < rel->unique_prefix; ++i) key.push_back(i);
  }
  if (key.empty()) return false;
  // Nothing in the chain may run a subquery: that work is not bounded.
  std::function<bool(const ivm::ExprPtr&)> runs_subquery = [&](const ivm::ExprPtr& e) {
    if (e->kind == ivm::ExprKind::kSubquery) return true;
    for (const ivm::ExprPtr& a : e->args) {
      if (runs_subquery(a)) return true;
    }
    return false;
  };
  for (const PlanNode* n : chain) {
    for (const ivm::ExprPtr& e : sql::NodeExpressions(*n)) {
      if (runs_subquery(e)) return false;
    }
  }
  // Every primary-key column equal to a constant or a parameter.
  std::vector<ivm::ExprPtr> conjuncts;
  sql::SplitConjuncts(node->predicate, &conjuncts);
  auto fixed = [](ivm::ExprPtr e) {
    while (e->kind == ivm::ExprKind::kCast) e = e->args[0];
    return e->kind == ivm::ExprKind::kConstant || e->kind == ivm::ExprKind::kParameter;
  };
  std::set<int> pinned;
  for (const ivm::ExprPtr& c : conjuncts) {
    if (c->kind != ivm::ExprKind::kCompare || c->compare != ivm::CompareOp::kEq) continue;
    for (int side = 0; side < 2; ++side) {
      if (c->args[side]->kind == ivm::ExprKind::kColumn && fixed(c->args[1 - side])) {
        pinned.insert(c->args[side]->column);
      }
    }
  }
  for (int k : key) {
    if (!pinned.count(k)) return false;
  }
  return true;
}

ivm::ZSet ReadRelation(uint64_t id, const sql::Catalog& catalog, storage::Reader& reader) {
  if (id == 0) {
    ivm::ZSet one;
    one.Add({}, 1);
    return one;
  }
  if (IsCatalogRelation(id)) return ReadCatalogRelation(id, catalog);
  const sql::RelationInfo* rel = catalog.FindById(id);
  if (!rel) throw ivm::Error(ivm::sqlstate::kUndefinedTable, "relation was dropped");
  ivm::ZSet all = storage::RelationStore(id, rel->StorageKey()).ReadAll(reader);
  all.Consolidate();
  return all;
}

void SetQueryChunkRows(size_t rows) { rows_per_chunk.store(std::max<size_t>(rows, 1)); }

std::vector<ivm::Row> RunQuery(const sql::BoundQuery& query, const sql::Catalog& catalog,
                               storage::Reader& reader, ivm::StepStats* stats) {
  ivm::StepStats local;
  if (!stats) stats = &local;
  QuerySubqueryRunner runner(catalog, reader, stats);
  ivm::SubqueryRunner::Scope scope(&runner);
  return Evaluate(query, catalog, reader, stats, &runner.relations(), /*stream=*/true);
}

namespace {

// An input a query reads in chunks: a relation, or the range of its keys a WHERE leaves.
struct StreamedInput {
  const sql::RelationInfo* relation = nullptr;  // null: the input is not read in chunks
  std::optional<Narrowed> narrowed;             // a key range; none: every key
};

// Runs `circuit` over its inputs as a view would take them in: a first step with the
// inputs in `sources`, then one step per chunk of each input `streamed` names (whose
// entry in `sources` is ignored), with every other input's change empty. The result is the
// sum of the steps' outputs. A query over a large table then holds one chunk of it and
// the circuit's state (an aggregate's groups), not the table: `SELECT count(*)` over 1M
// rows held all of them, 150 MiB.
// The smallest relations go first, and an input once read is closed: a join of a large
// table with small ones then keeps the small ones' rows and only joins the large one's.
ivm::ZSet StepInChunks(ivm::Circuit& circuit, std::vector<const ivm::ZSet*> sources,
                       const std::vector<StreamedInput>& streamed, storage::Reader& reader,
                       const std::function<ivm::StateStore*(int)>& state_for,
                       ivm::StepStats* stats) {
  static const ivm::ZSet kNothing;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (streamed[i].relation) sources[i] = &kNothing;
  }
  ivm::ZSet result;
  const size_t chunk_rows = rows_per_chunk.load(std::memory_order_relaxed);
  size_t consolidated = 0;  // the result's size when last consolidated
  bool initial = true;
  std::vector<bool> closed(sources.size(), false);
  auto step = [&] {
    result.Append(circuit.Step(sources, state_for, initial, stats, &closed));
    initial = false;
    // Each step retracts what an earlier one added to a group: keep that from piling up.
    if (result.size() > std::max(chunk_rows, 2 * consolidated)) {
      result.Consolidate();
      consolidated = result.size();
    }
  };
  step();
  std::fill(sources.begin(), sources.end(), &kNothing);
  std::vector<std::pair<uint64_t, size_t>> order;  // (approximate bytes, input)
  for (size_t i = 0; i < streamed.size(); ++i) {
    if (streamed[i].relation) {
      order.emplace_back(0, i);
    } else {
      closed[i] = true;
    }
  }
  if (order.size() > 1) {
    for (auto& [bytes, i] : order) {
      bytes = reader.ApproximateBytes(storage::RelationPrefix(streamed[i].relation->id));
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  for (const auto& [bytes, i] : order) {
    const sql::RelationInfo& rel = *streamed[i].relation;
    const storage::RelationStore store(rel.id, rel.StorageKey());
    const std::optional<Narrowed>& narrowed = streamed[i].narrowed;
    store.ReadChunks(reader, narrowed ? narrowed->range : store.AllKeys(), chunk_rows,
                     [&](ivm::ZSet chunk) {
                       chunk.Consolidate();  // in row order, as a whole relation read is
                       sources[i] = &chunk;
                       step();
                       sources[i] = &kNothing;
                     });
    closed[i] = true;
  }
  result.Consolidate();
  return result;
}

std::vector<ivm::Row> Evaluate(const sql::BoundQuery& query, const sql::Catalog& catalog,
                               storage::Reader& reader, ivm::StepStats* stats, RelationCache* whole,
                               bool stream) {
  if (std::optional<FilteredScan> plan = AsFilteredScan(query.plan.get(), catalog)) {
    if (std::optional<ivm::ZSet> result = EvaluatePinned(*plan, reader)) {
      return Present(query, std::move(*result));
    }
  }
  sql::LoweredCircuit lowered = sql::LowerToCircuit(*query.plan);
  std::set<const PlanNode*> seen;
  std::map<const PlanNode*, int> consumers;
  std::map<const PlanNode*, ivm::ExprPtr> filters;
  FindFilteredScans(*query.plan, &seen, &consumers, &filters);

  std::deque<ivm::ZSet> pinned;  // rows found by key, per scan
  // An input read at once: the rows its narrowing leaves, or all of it (kept in `whole`).
  auto read_at_once = [&](uint64_t id, const sql::RelationInfo* rel,
                          const std::optional<Narrowed>& narrowed) -> const ivm::ZSet* {
    if (narrowed) return &pinned.emplace_back(ReadNarrowed(*rel, *narrowed, reader));
    auto it = whole->find(id);
    if (it == whole->end()) it = whole->emplace(id, ReadRelation(id, catalog, reader)).first;
    return &it->second;
  };
  std::vector<const ivm::ZSet*> sources;
  std::vector<StreamedInput> streamed(lowered.inputs.size());
  bool streams = false;
  for (size_t i = 0; i < lowered.inputs.size(); ++i) {
    const uint64_t id = lowered.inputs[i];
    const PlanNode* scan = lowered.input_nodes[i];
    auto filter = filters.find(scan);
    const sql::RelationInfo* rel = id == 0 ? nullptr : catalog.FindById(id);
    const bool stored = rel && !IsCatalogRelation(id);
    std::optional<Narrowed> narrowed;
    if (stored && filter != filters.end() && consumers[scan] == 1) {
      narrowed = Narrow(*rel, filter->second);
    }
    // Chunks for a relation read whole or by key range; a point lookup reads at once.
    if (stream && stored && (!narrowed || narrowed->kind == Narrowed::Kind::kRange)) {
      streamed[i] = {rel, std::move(narrowed)};
      streams = true;
      sources.push_back(nullptr);
      continue;
    }
    sources.push_back(read_at_once(id, rel, narrowed));
  }
  std::map<int, std::unique_ptr<ivm::MemoryStateStore>> state;
  auto state_for = [&](int node) -> ivm::StateStore* {
    auto& slot = state[node];
    if (!slot) slot = std::make_unique<ivm::MemoryStateStore>();
    return slot.get();
  };
  if (streams) {
    std::optional<ivm::ZSet> result;
    try {
      result = StepInChunks(*lowered.circuit, sources, streamed, reader, state_for, stats);
    } catch (const ivm::Error& e) {
      if (e.sqlstate() == ivm::sqlstate::kQueryCanceled) throw;
      // A step may fail on a state the whole relations never make: 1 / (count(*) - 3)
      // once three rows are in, an outer join's row without the match a later chunk
      // brings. The query is then run again over them whole, which fails only if the
      // query itself does.
    }
    if (result) return Present(query, std::move(*result));
    state.clear();
    for (size_t i = 0; i < streamed.size(); ++i) {
      if (const sql::RelationInfo* rel = streamed[i].relation) {
        sources[i] = read_at_once(rel->id, rel, streamed[i].narrowed);
      }
    }
  }
  return Present(query, lowered.circuit->Step(sources, state_for, true, stats));
}

std::vector<ivm::Row> Present(const sql::BoundQuery& query, ivm::ZSet result) {
  size_t count = 0;
  for (const ivm::ZSetEntry& e : result.entries()) {
    if (e.weight < 0) {
      throw ivm::Error(ivm::sqlstate::kInternalError, "query produced a negative row count");
    }
    count += static_cast<size_t>(e.weight);
  }
  std::vector<ivm::Row> rows;
  rows.reserve(count);
  for (ivm::ZSetEntry& e : result.mutable_entries()) {
    for (int64_t i = 1; i < e.weight; ++i) rows.push_back(e.row);
    rows.push_back(std::move(e.row));
  }
  result = ivm::ZSet();  // its rows are moved out: let go of the entries now
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
  const size_t begin = std::min<size_t>(rows.size(), static_cast<size_t>(query.offset));
  size_t end = rows.size();
  if (query.limit) end = std::min(end, begin + static_cast<size_t>(*query.limit));
  rows.erase(rows.begin() + static_cast<ptrdiff_t>(end), rows.end());
  rows.erase(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(begin));
  for (ivm::Row& row : rows) row.resize(query.visible_columns);
  return rows;
}

}  // namespace

}  // namespace server
