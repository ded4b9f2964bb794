// Each operator, driven incrementally over random change streams, must at every step hold
// exactly what a naive recomputation over the accumulated inputs gives.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "ivm/operators/aggregate.h"
#include "ivm/operators/distinct.h"
#include "ivm/operators/filter.h"
#include "ivm/operators/join.h"
#include "ivm/operators/project.h"
#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"

using namespace ivm;

#include "tests/unit/ivm/operator_test_util.h"

using namespace ivm::testing;

namespace {

AggregateSpec Spec(AggregateKind kind, ExprPtr arg, Type type) {
  AggregateSpec spec;
  spec.kind = kind;
  spec.arg = std::move(arg);
  spec.result_type = type;
  return spec;
}

// The join of two whole relations on equal, non-NULL values of `column`, by nested loops.
ZSet NestedLoopJoin(const ZSet& left, const ZSet& right, size_t column) {
  ZSet out;
  for (const ZSetEntry& a : left.entries()) {
    for (const ZSetEntry& b : right.entries()) {
      const Value& x = a.row[column];
      const Value& y = b.row[column];
      if (x.is_null() || y.is_null() || x.Compare(y) != 0) continue;
      Row joined = a.row;
      joined.insert(joined.end(), b.row.begin(), b.row.end());
      out.Add(joined, a.weight * b.weight);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("filter and project map deltas to deltas") {
  FilterOperator filter(
      MakeCompare(CompareOp::kGt, MakeColumn(1, kInt), MakeConstant(Value::Int32(5), kInt)));
  ProjectOperator project(
      {MakeArith(ArithOp::kAdd, MakeColumn(0, kInt), MakeColumn(1, kInt), kInt)});
  Harness h;
  ZSet in;
  in.Add(R({1, 10}), 1);
  in.Add(R({2, 3}), 1);
  in.Add(R({3, -1}), -1);  // NULL > 5 is not true
  in.Consolidate();
  ZSet f = h.Step(filter, {&in});
  REQUIRE(f.size() == 1);
  ZSet p = h.Step(project, {&f});
  REQUIRE(p.size() == 1);
  CHECK(p.entries()[0].row[0].int_value() == 11);
}

TEST_CASE("join follows random changes on both sides exactly") {
  std::mt19937 rng(GENERATE(1, 2, 3));
  JoinOperator join({MakeColumn(0, kInt)}, {MakeColumn(0, kInt)});
  Harness h;
  ZSet left, right, output;
  for (int round = 0; round < 40; ++round) {
    ZSet dl = RandomDelta(rng, left, 6, 4, 5);
    ZSet dr = RandomDelta(rng, right, 6, 4, round % 3 == 0 ? 0 : 5);
    output = AddZSets(output, h.Step(join, {&dl, &dr}));
    left = AddZSets(left, dl);
    right = AddZSets(right, dr);
    ZSet expected = NestedLoopJoin(left, right, 0);
    INFO("round " << round << " got " << Dump(output) << " want " << Dump(Consolidated(expected)));
    REQUIRE(Equal(output, expected));
  }
}

TEST_CASE("a join keeps no arrangement of a side whose other side is closed") {
  std::mt19937 rng(GENERATE(7, 8));
  // As a one-shot query runs it: the right side's rows first, then the left's, with the
  // right closed once read.
  JoinOperator join({MakeColumn(0, kInt)}, {MakeColumn(0, kInt)});
  Harness h;
  ZSet left, right, output, none;
  for (int round = 0; round < 5; ++round) {
    ZSet dr = RandomDelta(rng, right, 6, 4, 5);
    output = AddZSets(output, h.Step(join, {&none, &dr}, round == 0));
    right = AddZSets(right, dr);
  }
  const size_t right_entries = h.state.size();
  for (int round = 0; round < 5; ++round) {
    ZSet dl = RandomDelta(rng, left, 6, 4, 5);
    output = AddZSets(output, h.Step(join, {&dl, &none}, false, {false, true}));
    left = AddZSets(left, dl);
    INFO("round " << round << " got " << Dump(output));
    REQUIRE(Equal(output, NestedLoopJoin(left, right, 0)));
  }
  CHECK(h.state.size() == right_entries);  // the left side's rows were not stored
}

TEST_CASE("a join of keyed inputs writes its arrangements without reading them") {
  std::mt19937 rng(GENERATE(4, 5, 6));
  // Joined on the non-key column, as orders join customers on customer_id.
  JoinOperator unique({MakeColumn(1, kInt)}, {MakeColumn(1, kInt)}, true, true);
  JoinOperator any({MakeColumn(1, kInt)}, {MakeColumn(1, kInt)});
  Harness h_unique, h_any;
  ZSet left, right, output;
  for (int round = 0; round < 40; ++round) {
    ZSet dl = RandomKeyedDelta(rng, left, 8, 4, 5);
    ZSet dr = RandomKeyedDelta(rng, right, 8, 4, round % 3 == 0 ? 0 : 5);
    ZSet out = h_unique.Step(unique, {&dl, &dr});
    REQUIRE(Equal(out, h_any.Step(any, {&dl, &dr})));
    output = AddZSets(output, out);
    left = AddZSets(left, dl);
    right = AddZSets(right, dr);
    ZSet expected = NestedLoopJoin(left, right, 1);
    INFO("round " << round << " got " << Dump(output) << " want " << Dump(Consolidated(expected)));
    REQUIRE(Equal(output, expected));
  }
  REQUIRE(h_unique.state.size() == h_any.state.size());
  // A row whose key matches nothing reads nothing at all.
  ZSet lone, none;
  lone.Add(R({100, 3000}), 1);
  h_unique.stats = StepStats();
  h_any.stats = StepStats();
  CHECK(h_unique.Step(unique, {&lone, &none}).empty());
  CHECK(h_any.Step(any, {&lone, &none}).empty());
  CHECK(h_unique.stats.state_reads == 0);
  CHECK(h_any.stats.state_reads == 1);
}

TEST_CASE("aggregate follows random changes and MIN and MAX survive deleting the extreme") {
  std::mt19937 rng(GENERATE(7, 8, 9));
  ExprPtr value = MakeColumn(1, kInt);
  std::vector<AggregateSpec> specs = {
      Spec(AggregateKind::kCountStar, nullptr, Type::Of(TypeId::kInt64)),
      Spec(AggregateKind::kCount, value, Type::Of(TypeId::kInt64)),
      Spec(AggregateKind::kSum, value, Type::Of(TypeId::kInt64)),
      Spec(AggregateKind::kMin, value, kInt),
      Spec(AggregateKind::kMax, value, kInt),
  };
  AggregateOperator agg({MakeColumn(0, kInt)}, specs, false);
  Harness h;
  ZSet input, output;
  for (int round = 0; round < 60; ++round) {
    ZSet delta = RandomDelta(rng, input, 4, 6, 4);
    output = AddZSets(output, h.Step(agg, {&delta}));
    input = AddZSets(input, delta);
    struct G {
      int64_t count = 0, nn = 0, sum = 0;
      std::multiset<int64_t> values;
    };
    std::map<int64_t, G> groups;
    for (const ZSetEntry& e : input.entries()) {
      G& g = groups[e.row[0].int_value()];
      g.count += e.weight;
      if (e.row[1].is_null()) continue;
      g.nn += e.weight;
      g.sum += e.weight * e.row[1].int_value();
      for (int64_t i = 0; i < e.weight; ++i) g.values.insert(e.row[1].int_value());
    }
    ZSet expected;
    for (const auto& [key, g] : groups) {
      if (g.count == 0) continue;
      Row row = {Value::Int32(static_cast<int32_t>(key)), Value::Int64(g.count),
                 Value::Int64(g.nn)};
      if (g.nn == 0) {
        row.push_back(Value::Null(TypeId::kInt64));
        row.push_back(Value::Null(TypeId::kInt32));
        row.push_back(Value::Null(TypeId::kInt32));
      } else {
        row.push_back(Value::Int64(g.sum));
        row.push_back(Value::Int32(static_cast<int32_t>(*g.values.begin())));
        row.push_back(Value::Int32(static_cast<int32_t>(*g.values.rbegin())));
      }
      expected.Add(row, 1);
    }
    INFO("round " << round << " got " << Dump(output) << " want " << Dump(Consolidated(expected)));
    REQUIRE(Equal(output, expected));
  }
}

TEST_CASE("a global aggregate has one row even over no input") {
  AggregateOperator agg({},
                        {Spec(AggregateKind::kCountStar, nullptr, Type::Of(TypeId::kInt64)),
                         Spec(AggregateKind::kSum, MakeColumn(0, kInt), Type::Of(TypeId::kInt64))},
                        true);
  Harness h;
  ZSet empty;
  ZSet out = h.Step(agg, {&empty}, /*initial=*/true);
  REQUIRE(out.size() == 1);
  CHECK(out.entries()[0].row[0].int_value() == 0);
  CHECK(out.entries()[0].row[1].is_null());
  ZSet one;
  one.Add(R({5}), 1);
  ZSet change = h.Step(agg, {&one});
  ZSet now = AddZSets(out, change);
  REQUIRE(now.size() == 1);
  CHECK(now.entries()[0].row[0].int_value() == 1);
  CHECK(now.entries()[0].row[1].int_value() == 5);
  ZSet gone = one.Negated();
  now = AddZSets(now, h.Step(agg, {&gone}));
  REQUIRE(now.size() == 1);
  CHECK(now.entries()[0].row[0].int_value() == 0);
}

TEST_CASE("distinct emits a row when its weight crosses zero") {
  DistinctOperator distinct;
  Harness h;
  ZSet a;
  a.Add(R({1}), 2);
  ZSet out = h.Step(distinct, {&a});
  REQUIRE(out.size() == 1);
  CHECK(out.entries()[0].weight == 1);
  ZSet b;
  b.Add(R({1}), -1);
  CHECK(h.Step(distinct, {&b}).empty());
  ZSet out2 = h.Step(distinct, {&b});
  REQUIRE(out2.size() == 1);
  CHECK(out2.entries()[0].weight == -1);
}

TEST_CASE("a join step reads state in proportion to the delta, not the table") {
  auto cost_at = [](int rows) {
    JoinOperator join({MakeColumn(0, kInt)}, {MakeColumn(0, kInt)});
    Harness h;
    ZSet left, right;
    for (int i = 0; i < rows; ++i) {
      left.Add(R({i, i}), 1);
      right.Add(R({i, 0}), 1);
    }
    left.Consolidate();
    right.Consolidate();
    h.Step(join, {&left, &right}, true);
    h.stats = StepStats();
    ZSet one, none;
    one.Add(R({rows / 2, 99}), 1);
    h.Step(join, {&one, &none});
    return h.stats.state_reads + h.stats.state_writes;
  };
  CHECK(cost_at(100) == cost_at(10000));
}

TEST_CASE("weighted rows written a slice at a time end as one AddWeightedRow after another") {
  // Over several slices, with keys repeated within and across slices and weights that
  // reach zero, against the same changes made one at a time.
  MemoryStateStore one_by_one, sliced;
  StepStats stats;
  WeightedRowWriter writer(&sliced, &stats);
  std::mt19937 random(7);
  std::vector<Row> rows;
  for (int i = 0; i < 10000; ++i) rows.push_back({Value::Int64(i % 3000), Value::Text("r")});
  for (int round = 0; round < 2; ++round) {
    for (const Row& row : rows) {
      const int64_t weight = static_cast<int64_t>(random() % 5) - 2;
      std::string key;
      EncodeRowIdentity(row, &key);
      AddWeightedRow(&one_by_one, key, row, weight, &stats);
      writer.Add(key, row, weight);
    }
    writer.Flush();
  }
  REQUIRE(sliced.size() == one_by_one.size());
  std::map<std::string, std::string> a, b;
  one_by_one.Scan("", [&](std::string_view k, std::string_view v) {
    a.emplace(k, v);
    return true;
  });
  sliced.Scan("", [&](std::string_view k, std::string_view v) {
    b.emplace(k, v);
    return true;
  });
  CHECK(a == b);
  CHECK(a.size() > 1000);  // most keys keep a non-zero weight
}
