// ZSet: a collection of rows with integer weights (DBSP). +1 is an insert, -1 a delete,
// an update is -old +new. A consolidated Z-set (a "batch") has each row once, no zero
// weights, and rows in CompareRows order.
#pragma once

#include <cstdint>
#include <vector>

#include "ivm/value.h"

namespace ivm {

struct ZSetEntry {
  Row row;
  int64_t weight = 0;
};

class ZSet {
 public:
  ZSet() = default;

  void Add(Row row, int64_t weight) { entries_.push_back({std::move(row), weight}); }
  // Appends every entry of `other` multiplied by `sign` (1 adds, -1 subtracts).
  void Append(const ZSet& other, int64_t sign = 1);
  // The same, moving the rows out of `other` (and taking its entries whole when this is
  // empty) rather than copying them.
  void Append(ZSet&& other, int64_t sign = 1);

  // Merges equal rows, sums their weights, drops zero weights, sorts rows.
  void Consolidate();
  // Whether the rows are in order, each once, with non-zero weights (Consolidate's result).
  bool IsConsolidated() const;
  ZSet Negated() const;

  const std::vector<ZSetEntry>& entries() const { return entries_; }
  std::vector<ZSetEntry>& mutable_entries() { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  // Room for `more` entries, growing the capacity at least twofold: appending chunk by
  // chunk to one Z-set stays linear.
  void ReserveMore(size_t more);

  std::vector<ZSetEntry> entries_;
};

// Z-set sum a + b, consolidated.
ZSet AddZSets(const ZSet& a, const ZSet& b);

}  // namespace ivm
