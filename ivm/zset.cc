#include "ivm/zset.h"

#include <algorithm>

namespace ivm {

void ZSet::ReserveMore(size_t more) {
  const size_t needed = entries_.size() + more;
  if (needed > entries_.capacity()) entries_.reserve(std::max(needed, 2 * entries_.capacity()));
}

void ZSet::Append(const ZSet& other, int64_t sign) {
  ReserveMore(other.entries_.size());
  for (const ZSetEntry& e : other.entries_) entries_.push_back({e.row, e.weight * sign});
}

void ZSet::Append(ZSet&& other, int64_t sign) {
  if (entries_.empty()) {
    entries_ = std::move(other.entries_);
    if (sign != 1) {
      for (ZSetEntry& e : entries_) e.weight *= sign;
    }
  } else {
    ReserveMore(other.entries_.size());
    for (ZSetEntry& e : other.entries_) entries_.push_back({std::move(e.row), e.weight * sign});
  }
  other.entries_.clear();
}

bool ZSet::IsConsolidated() const {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].weight == 0) return false;
    if (i > 0 && CompareRowsIdentity(entries_[i - 1].row, entries_[i].row) >= 0) return false;
  }
  return true;
}

void ZSet::Consolidate() {
  // A delta built in row order (a keyed table's, whose key leads its columns) often is
  // consolidated already: one comparison per entry, where sorting takes log n.
  if (IsConsolidated()) return;
  std::sort(entries_.begin(), entries_.end(), [](const ZSetEntry& a, const ZSetEntry& b) {
    return CompareRowsIdentity(a.row, b.row) < 0;
  });
  size_t out = 0;
  for (size_t i = 0; i < entries_.size();) {
    size_t j = i + 1;
    int64_t weight = entries_[i].weight;
    while (j < entries_.size() && CompareRowsIdentity(entries_[i].row, entries_[j].row) == 0) {
      weight += entries_[j].weight;
      ++j;
    }
    if (weight != 0) {
      if (out != i) entries_[out].row = std::move(entries_[i].row);
      entries_[out].weight = weight;
      ++out;
    }
    i = j;
  }
  entries_.resize(out);
}

ZSet ZSet::Negated() const {
  ZSet result;
  result.Append(*this, -1);
  return result;
}

ZSet AddZSets(const ZSet& a, const ZSet& b) {
  ZSet result = a;
  result.Append(b);
  result.Consolidate();
  return result;
}

}  // namespace ivm
