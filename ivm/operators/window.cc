#include "ivm/operators/window.h"

#include <algorithm>
#include <deque>

#include "ivm/cast.h"
#include "ivm/decimal.h"
#include "ivm/operators/aggregate.h"
#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"

namespace ivm {

const char* WindowFunctionName(WindowFunctionKind kind) {
  switch (kind) {
    case WindowFunctionKind::kRank:
      return "rank";
    case WindowFunctionKind::kDenseRank:
      return "dense_rank";
    case WindowFunctionKind::kPercentRank:
      return "percent_rank";
    case WindowFunctionKind::kCumeDist:
      return "cume_dist";
    case WindowFunctionKind::kNtile:
      return "ntile";
    case WindowFunctionKind::kLag:
      return "lag";
    case WindowFunctionKind::kLead:
      return "lead";
    case WindowFunctionKind::kFirstValue:
      return "first_value";
    case WindowFunctionKind::kLastValue:
      return "last_value";
    case WindowFunctionKind::kNthValue:
      return "nth_value";
    case WindowFunctionKind::kCountStar:
    case WindowFunctionKind::kCount:
      return "count";
    case WindowFunctionKind::kSum:
      return "sum";
    case WindowFunctionKind::kAvg:
      return "avg";
    case WindowFunctionKind::kMin:
      return "min";
    case WindowFunctionKind::kMax:
      return "max";
  }
  return "?";
}

std::string WindowFrame::ToString() const {
  auto bound = [](Bound b, int64_t offset) -> std::string {
    switch (b) {
      case Bound::kUnboundedPreceding:
        return "UNBOUNDED PRECEDING";
      case Bound::kPreceding:
        return std::to_string(offset) + " PRECEDING";
      case Bound::kCurrentRow:
        return "CURRENT ROW";
      case Bound::kFollowing:
        return std::to_string(offset) + " FOLLOWING";
      case Bound::kUnboundedFollowing:
        return "UNBOUNDED FOLLOWING";
    }
    return "?";
  };
  return std::string(rows ? "ROWS" : "RANGE") + " BETWEEN " + bound(start, start_offset) +
         " AND " + bound(end, end_offset);
}

void WindowOperator::FrameOf(size_t i, const std::vector<size_t>& peers, size_t* begin,
                             size_t* end) const {
  const WindowFrame& f = function_.frame;
  const int64_t n = static_cast<int64_t>(peers.size()), row = static_cast<int64_t>(i);
  // The index one past the last peer of row i.
  auto peer_end = [&] {
    size_t j = i + 1;
    while (j < peers.size() && peers[j] == peers[i]) ++j;
    return static_cast<int64_t>(j);
  };
  using Bound = WindowFrame::Bound;
  int64_t lo = 0, hi = n;
  switch (f.start) {
    case Bound::kUnboundedPreceding: lo = 0; break;
    case Bound::kPreceding: lo = row - f.start_offset; break;
    case Bound::kCurrentRow: lo = f.rows ? row : static_cast<int64_t>(peers[i]); break;
    case Bound::kFollowing: lo = row + f.start_offset; break;
    case Bound::kUnboundedFollowing: lo = n; break;
  }
  switch (f.end) {
    case Bound::kUnboundedPreceding: hi = 0; break;
    case Bound::kPreceding: hi = row - f.end_offset + 1; break;
    case Bound::kCurrentRow: hi = f.rows ? row + 1 : peer_end(); break;
    case Bound::kFollowing: hi = row + f.end_offset + 1; break;
    case Bound::kUnboundedFollowing: hi = n; break;
  }
  lo = std::clamp<int64_t>(lo, 0, n);
  hi = std::clamp<int64_t>(hi, 0, n);
  *begin = static_cast<size_t>(lo);
  *end = static_cast<size_t>(std::max(lo, hi));
}

// State: key(partition) + sort key + identity(row) -> weight, row.
ZSet WindowOperator::Output(const std::string& prefix, StepContext& ctx) const {
  std::vector<Row> rows;
  std::vector<size_t> peers;
  std::string previous_key, key;
  ctx.state->Scan(prefix, [&](std::string_view, std::string_view value) {
    ++ctx.stats->state_reads;
    int64_t weight;
    Row row = ReadWeightedRow(value, &weight);
    key.clear();
    AppendSortKey(order_, row, &key);
    for (int64_t i = 0; i < weight; ++i) {
      const bool peer = !rows.empty() && key == previous_key;
      peers.push_back(peer ? peers.back() : rows.size());
      rows.push_back(row);
      previous_key = key;
    }
    return true;
  });
  std::vector<Value> values = Compute(rows, peers);
  ZSet out;
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].push_back(std::move(values[i]));
    out.Add(std::move(rows[i]), 1);
  }
  out.Consolidate();
  return out;
}

std::vector<Value> WindowOperator::Compute(const std::vector<Row>& rows,
                                           const std::vector<size_t>& peers) const {
  const size_t n = rows.size();
  const WindowFunctionSpec& f = function_;
  std::vector<Value> out;
  out.reserve(n);
  // The index one past the last peer of row i.
  auto peer_end = [&](size_t i) {
    size_t j = i + 1;
    while (j < n && peers[j] == peers[i]) ++j;
    return j;
  };
  auto value_at = [&](int64_t j) -> Value {
    if (j >= 0 && j < static_cast<int64_t>(n)) return f.arg->Eval(rows[static_cast<size_t>(j)]);
    return Value::Null(f.result_type.id);
  };
  int64_t dense = 0;
  for (size_t i = 0; i < n; ++i) {
    if (peers[i] == i) ++dense;
    switch (f.kind) {
      case WindowFunctionKind::kRank:
        out.push_back(Value::Int64(static_cast<int64_t>(peers[i]) + 1));
        break;
      case WindowFunctionKind::kDenseRank:
        out.push_back(Value::Int64(dense));
        break;
      case WindowFunctionKind::kPercentRank:
        out.push_back(Value::Float64(
            n > 1 ? static_cast<double>(peers[i]) / static_cast<double>(n - 1) : 0.0));
        break;
      case WindowFunctionKind::kCumeDist:
        out.push_back(
            Value::Float64(static_cast<double>(peer_end(i)) / static_cast<double>(n)));
        break;
      case WindowFunctionKind::kNtile: {
        // The first n % buckets buckets hold one row more than the others.
        const int64_t buckets = f.offset, total = static_cast<int64_t>(n);
        const int64_t small = total / buckets, large_count = total % buckets;
        const int64_t pos = static_cast<int64_t>(i);
        const int64_t in_large = large_count * (small + 1);
        out.push_back(Value::Int32(static_cast<int32_t>(
            pos < in_large ? pos / (small + 1) + 1 : large_count + (pos - in_large) / small + 1)));
        break;
      }
      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead: {
        const int64_t j = static_cast<int64_t>(i) +
                          (f.kind == WindowFunctionKind::kLag ? -f.offset : f.offset);
        if (j >= 0 && j < static_cast<int64_t>(n)) {
          out.push_back(value_at(j));
        } else {
          out.push_back(f.default_value ? f.default_value->Eval(rows[i])
                                        : Value::Null(f.result_type.id));
        }
        break;
      }
      case WindowFunctionKind::kFirstValue:
      case WindowFunctionKind::kLastValue:
      case WindowFunctionKind::kNthValue: {
        // Within the row's frame (by default: up to its last peer).
        size_t begin, end;
        FrameOf(i, peers, &begin, &end);
        const int64_t b = static_cast<int64_t>(begin), e = static_cast<int64_t>(end);
        const int64_t at = f.kind == WindowFunctionKind::kFirstValue  ? b
                           : f.kind == WindowFunctionKind::kLastValue ? e - 1
                                                                      : b + f.offset - 1;
        out.push_back(b < e && at < e ? value_at(at) : Value::Null(f.result_type.id));
        break;
      }
      default:
        return f.frame.IsDefault() ? ComputeAggregate(rows, peers)
                                   : ComputeFramedAggregate(rows, peers);
    }
  }
  return out;
}

// Aggregates over the default frame: a running value, equal within a peer group.
std::vector<Value> WindowOperator::ComputeAggregate(const std::vector<Row>& rows,
                                                    const std::vector<size_t>& peers) const {
  const WindowFunctionSpec& f = function_;
  const size_t n = rows.size();
  std::vector<Value> out(n);
  int64_t count = 0, non_null = 0;
  Value acc = Value::Null(f.result_type.id);  // sum (as numeric or double), or min/max
  size_t i = 0;
  while (i < n) {
    size_t end = i + 1;
    while (end < n && peers[end] == peers[i]) ++end;
    for (size_t j = i; j < end; ++j) {
      ++count;
      if (f.kind == WindowFunctionKind::kCountStar) continue;
      Value v = f.arg->Eval(rows[j]);
      if (v.is_null()) continue;
      ++non_null;
      if (f.kind == WindowFunctionKind::kMin || f.kind == WindowFunctionKind::kMax) {
        const int c = acc.is_null() ? 0 : v.Compare(acc);
        if (acc.is_null() || (f.kind == WindowFunctionKind::kMin ? c < 0 : c > 0)) acc = v;
      } else if (f.kind == WindowFunctionKind::kSum || f.kind == WindowFunctionKind::kAvg) {
        AddToRunningSum(&acc, v, 1);
      }
    }
    Value result;
    switch (f.kind) {
      case WindowFunctionKind::kCountStar:
        result = Value::Int64(count);
        break;
      case WindowFunctionKind::kCount:
        result = Value::Int64(non_null);
        break;
      case WindowFunctionKind::kSum:
        result = non_null == 0 ? Value::Null(f.result_type.id) : CastValue(acc, f.result_type);
        break;
      case WindowFunctionKind::kAvg:
        if (non_null == 0) {
          result = Value::Null(f.result_type.id);
        } else if (f.result_type.id == TypeId::kNumeric) {
          result = Value::Numeric(Decimal::Average(acc.numeric_value(), non_null));
        } else {
          result = Value::Float64(acc.float_value() / static_cast<double>(non_null));
        }
        break;
      default:  // min, max
        result = acc;
        break;
    }
    for (size_t j = i; j < end; ++j) out[j] = result;
    i = end;
  }
  // Without ORDER BY every row is a peer of every other: one value for the partition.
  return out;
}

std::vector<Value> WindowOperator::ComputeFramedAggregate(const std::vector<Row>& rows,
                                                          const std::vector<size_t>& peers) const {
  const WindowFunctionSpec& f = function_;
  const size_t n = rows.size();
  std::vector<Value> values(n);
  if (f.kind != WindowFunctionKind::kCountStar) {
    for (size_t j = 0; j < n; ++j) values[j] = f.arg->Eval(rows[j]);
  }
  const bool extreme = f.kind == WindowFunctionKind::kMin || f.kind == WindowFunctionKind::kMax;
  auto better = [&](const Value& a, const Value& b) {  // a wins over b as the extreme
    const int c = a.Compare(b);
    return f.kind == WindowFunctionKind::kMin ? c <= 0 : c >= 0;
  };
  std::vector<Value> out(n);
  size_t lo = 0, hi = 0;  // the window [lo, hi) currently summed
  int64_t count = 0, non_null = 0;
  Value sum = Value::Null(TypeId::kNumeric);
  std::deque<size_t> candidates;  // min/max: indexes with values improving from front to back
  for (size_t i = 0; i < n; ++i) {
    size_t begin, end;
    FrameOf(i, peers, &begin, &end);
    if (begin >= end) begin = end = std::max(hi, begin);  // an empty frame; keep moving forward
    for (; hi < end; ++hi) {  // rows entering the frame
      ++count;
      if (f.kind == WindowFunctionKind::kCountStar || values[hi].is_null()) continue;
      ++non_null;
      if (extreme) {
        while (!candidates.empty() && better(values[hi], values[candidates.back()])) {
          candidates.pop_back();
        }
        candidates.push_back(hi);
      } else if (f.kind != WindowFunctionKind::kCount) {
        AddToRunningSum(&sum, values[hi], 1);
      }
    }
    for (; lo < begin; ++lo) {  // rows leaving it
      --count;
      if (f.kind == WindowFunctionKind::kCountStar || values[lo].is_null()) continue;
      --non_null;
      if (extreme) {
        if (!candidates.empty() && candidates.front() == lo) candidates.pop_front();
      } else if (f.kind != WindowFunctionKind::kCount) {
        AddToRunningSum(&sum, values[lo], -1);
      }
    }
    switch (f.kind) {
      case WindowFunctionKind::kCountStar:
        out[i] = Value::Int64(count);
        break;
      case WindowFunctionKind::kCount:
        out[i] = Value::Int64(non_null);
        break;
      case WindowFunctionKind::kSum:
        out[i] = non_null == 0 ? Value::Null(f.result_type.id) : CastValue(sum, f.result_type);
        break;
      case WindowFunctionKind::kAvg:
        if (non_null == 0) {
          out[i] = Value::Null(f.result_type.id);
        } else if (f.result_type.id == TypeId::kNumeric) {
          out[i] = Value::Numeric(Decimal::Average(sum.numeric_value(), non_null));
        } else {
          out[i] = Value::Float64(sum.float_value() / static_cast<double>(non_null));
        }
        break;
      default:  // min, max
        out[i] = candidates.empty() ? Value::Null(f.result_type.id) : values[candidates.front()];
        break;
    }
  }
  return out;
}

ZSet WindowOperator::Step(const std::vector<const ZSet*>& inputs, StepContext& ctx) {
  auto row_key = [this](const Row& row) {
    std::string key;
    AppendSortKey(order_, row, &key);
    EncodeRowIdentity(row, &key);  // ties break on the whole row
    return key;
  };
  return RecomputeTouchedPartitions(
      *inputs[0], partition_, row_key,
      [&](const std::string& prefix) { return Output(prefix, ctx); }, ctx);
}

std::string WindowOperator::Describe() const {
  std::string s = std::string("Window ") + WindowFunctionName(function_.kind) + "(";
  if (function_.arg) s += function_.arg->ToString();
  s += ")";
  if (!partition_.empty()) {
    s += " partition=[";
    for (size_t i = 0; i < partition_.size(); ++i) s += (i ? ", " : "") + partition_[i]->ToString();
    s += "]";
  }
  if (!order_.empty()) s += " order=[" + DescribeSort(order_) + "]";
  if (!function_.frame.IsDefault()) s += " frame=[" + function_.frame.ToString() + "]";
  return s;
}

}  // namespace ivm
