#include <catch2/catch.hpp>

#include "ivm/zset.h"

using ivm::Row;
using ivm::Value;
using ivm::ZSet;

namespace {

Row R(int a, const char* b) { return {Value::Int32(a), Value::Text(b)}; }

}  // namespace

TEST_CASE("consolidation merges equal rows, sums weights, drops zeros and sorts") {
  ZSet z;
  z.Add(R(2, "b"), 1);
  z.Add(R(1, "a"), 2);
  z.Add(R(2, "b"), -1);
  z.Add(R(1, "a"), 1);
  z.Add(R(3, "c"), -1);
  z.Consolidate();
  REQUIRE(z.size() == 2);
  CHECK(ivm::CompareRows(z.entries()[0].row, R(1, "a")) == 0);
  CHECK(z.entries()[0].weight == 3);
  CHECK(ivm::CompareRows(z.entries()[1].row, R(3, "c")) == 0);
  CHECK(z.entries()[1].weight == -1);
}

TEST_CASE("addition of Z-sets is the sum of weights per row") {
  ZSet a, b;
  a.Add(R(1, "a"), 1);
  a.Add(R(2, "b"), 2);
  b.Add(R(2, "b"), -2);
  b.Add(R(3, "c"), 5);
  ZSet sum = ivm::AddZSets(a, b);
  REQUIRE(sum.size() == 2);
  CHECK(sum.entries()[0].weight == 1);
  CHECK(sum.entries()[1].weight == 5);
}

TEST_CASE("negation flips every weight and a + (-a) is empty") {
  ZSet a;
  a.Add(R(1, "a"), 3);
  a.Add(R(2, "b"), -1);
  ZSet neg = a.Negated();
  neg.Consolidate();
  CHECK(neg.entries()[0].weight == -3);
  CHECK(neg.entries()[1].weight == 1);
  CHECK(ivm::AddZSets(a, neg).empty());
}

TEST_CASE("NULLs are equal to each other for consolidation and sort last") {
  ZSet z;
  z.Add({Value::Null(ivm::TypeId::kInt32)}, 1);
  z.Add({Value::Int32(5)}, 1);
  z.Add({Value::Null(ivm::TypeId::kInt32)}, 1);
  z.Consolidate();
  REQUIRE(z.size() == 2);
  CHECK(z.entries()[0].row[0].int_value() == 5);
  CHECK(z.entries()[1].row[0].is_null());
  CHECK(z.entries()[1].weight == 2);
}

TEST_CASE("a Z-set is consolidated when its rows are in order, once each, with weights") {
  ZSet sorted;
  sorted.Add(R(1, "a"), -1);
  sorted.Add(R(1, "b"), 1);
  sorted.Add(R(2, "a"), 2);
  CHECK(sorted.IsConsolidated());
  sorted.Consolidate();  // nothing to do: the same entries
  REQUIRE(sorted.size() == 3);
  CHECK(sorted.entries()[0].weight == -1);
  CHECK(sorted.entries()[2].weight == 2);

  ZSet unordered;
  unordered.Add(R(2, "a"), 1);
  unordered.Add(R(1, "a"), 1);
  CHECK_FALSE(unordered.IsConsolidated());
  ZSet repeated;
  repeated.Add(R(1, "a"), 1);
  repeated.Add(R(1, "a"), -1);
  CHECK_FALSE(repeated.IsConsolidated());
  repeated.Consolidate();
  CHECK(repeated.empty());
  ZSet zero;
  zero.Add(R(1, "a"), 0);
  CHECK_FALSE(zero.IsConsolidated());
  zero.Consolidate();
  CHECK(zero.empty());
  CHECK(ZSet().IsConsolidated());
}
