#include "storage/relation_store.h"

#include "ivm/error.h"
#include "ivm/interrupt.h"
#include "ivm/operators/weighted_rows.h"
#include "ivm/row_codec.h"
#include "ivm/state_store.h"
#include "storage/keys.h"
#include "storage/operator_state.h"

namespace storage {
namespace {

// A stored row's value: its weight, then the row.
ivm::ZSetEntry DecodeEntry(std::string_view value) {
  int64_t weight = ivm::GetSignedVarint64(&value);
  return ivm::ZSetEntry{ivm::DeserializeRow(value), weight};
}

}  // namespace

RelationStore::RelationStore(uint64_t relation_id, std::vector<int> key_columns)
    : relation_id_(relation_id),
      key_columns_(std::move(key_columns)),
      prefix_(RelationPrefix(relation_id)) {}

std::string RelationStore::RowKey(const ivm::Row& row) const {
  std::string key = prefix_;
  if (key_columns_.empty()) {
    ivm::EncodeRowIdentity(row, &key);
  } else {
    for (int c : key_columns_) ivm::EncodeKeyValue(row[c], &key);
  }
  return key;
}

void RelationStore::Scan(Reader& reader,
                         const std::function<bool(const ivm::Row&, int64_t)>& visit) const {
  uint32_t rows = 0;
  reader.Scan(prefix_, [&](std::string_view, std::string_view value) {
    ivm::CheckInterruptEvery(&rows);  // a cancelled or timed-out query stops here
    int64_t weight = ivm::GetSignedVarint64(&value);
    return visit(ivm::DeserializeRow(value), weight);
  });
}

ivm::ZSet RelationStore::ReadAll(Reader& reader) const { return ReadKeyRange(reader, AllKeys()); }

RelationStore::KeyRange RelationStore::AllKeys() const {
  return {prefix_, ivm::PrefixSuccessor(prefix_)};
}

RelationStore::KeyRange RelationStore::Keys(const ivm::Row& leading,
                                            const std::optional<ivm::Value>& low,
                                            const std::optional<ivm::Value>& high) const {
  std::string prefix = prefix_;
  ivm::EncodeKeyRow(leading, &prefix);
  KeyRange range{prefix, prefix};
  if (low) ivm::EncodeKeyValue(*low, &range.start);
  // Past every key whose next column equals `high` (a longer key may follow its bytes).
  if (high) ivm::EncodeKeyValue(*high, &range.end);
  range.end = ivm::PrefixSuccessor(range.end);
  return range;
}

void RelationStore::ReadChunks(Reader& reader, const KeyRange& range, size_t rows,
                               const std::function<void(ivm::ZSet chunk)>& consume) const {
  KeyRange rest = range;
  while (rest.start != rest.end) {
    ivm::ZSet chunk = ReadChunk(reader, &rest, rows);
    if (!chunk.empty()) consume(std::move(chunk));
  }
}

ivm::ZSet RelationStore::ReadChunk(Reader& reader, KeyRange* range, size_t rows) const {
  ivm::ZSet chunk;
  std::string last;  // the chunk's last key, when the range may go on past it
  uint32_t seen = 0;
  reader.ScanRange(range->start, range->end, [&](std::string_view key, std::string_view value) {
    ivm::CheckInterruptEvery(&seen);
    ivm::ZSetEntry e = DecodeEntry(value);
    chunk.Add(std::move(e.row), e.weight);
    if (chunk.size() < rows) return true;
    last.assign(key);
    return false;
  });
  if (last.empty()) {
    range->start = range->end;
  } else {
    range->start = std::move(last);
    range->start.push_back('\0');  // the first key after the chunk's last
  }
  return chunk;
}

ivm::ZSet RelationStore::ReadKeyRange(Reader& reader, const KeyRange& range) const {
  ivm::ZSet out;
  ReadChunks(reader, range, SIZE_MAX, [&](ivm::ZSet chunk) { out = std::move(chunk); });
  return out;
}

std::optional<ivm::Row> RelationStore::Lookup(Reader& reader, const ivm::Row& key_values) const {
  std::string key = prefix_;
  ivm::EncodeKeyRow(key_values, &key);
  std::string value;
  if (!reader.Get(key, &value)) return std::nullopt;
  std::string_view in = value;
  ivm::GetSignedVarint64(&in);
  return ivm::DeserializeRow(in);
}

void RelationStore::Apply(StepBatch& batch, const ivm::ZSet& delta) const {
  // A keyed row that changes is retracted and inserted under the same key: the
  // retractions go first, whatever the order of the two rows.
  if (!key_columns_.empty()) {
    ApplyEntries(batch, delta, [](int64_t weight) { return weight < 0; });
    ApplyEntries(batch, delta, [](int64_t weight) { return weight > 0; });
  } else {
    ApplyEntries(batch, delta, [](int64_t) { return true; });
  }
}

void RelationStore::ApplyEntries(StepBatch& batch, const ivm::ZSet& delta,
                                 bool (*selected)(int64_t weight)) const {
  // Rows are stored as `weight, row` under their row keys, as an operator keeps weighted
  // rows: the batch itself is the state (no prefix), and the writer reads the keys a slice
  // of entries touches at once rather than a Get each.
  OperatorState rows(&batch, "");
  ivm::WeightedRowWriter writer(&rows, nullptr, [this](int64_t weight) {
    if (weight < 0 || (!key_columns_.empty() && weight > 1)) {
      throw ivm::Error(ivm::sqlstate::kInternalError, "relation " + std::to_string(relation_id_) +
                                                          " would hold a row " +
                                                          std::to_string(weight) + " times");
    }
  });
  for (const ivm::ZSetEntry& e : delta.entries()) {
    if (selected(e.weight)) writer.Add(RowKey(e.row), e.row, e.weight);
  }
  writer.Flush();
}

void RelationStore::PutKeyed(StepBatch& batch, const ivm::Row& row) const {
  PutKeyed(batch, RowKey(row), row);
}

void RelationStore::PutKeyed(StepBatch& batch, std::string_view row_key,
                             const ivm::Row& row) const {
  std::string value;
  ivm::PutSignedVarint64(1, &value);
  ivm::SerializeRow(row, &value);
  batch.Put(row_key, value);
}

void RelationStore::EraseKey(StepBatch& batch, const ivm::Row& key_values) const {
  std::string key = prefix_;
  ivm::EncodeKeyRow(key_values, &key);
  batch.Delete(key);
}

std::optional<ivm::ZSetEntry> RelationStore::LookupKey(Reader& reader,
                                                       const std::string& row_key) const {
  std::string value;
  if (!reader.Get(row_key, &value)) return std::nullopt;
  return DecodeEntry(value);
}

std::vector<std::optional<ivm::ZSetEntry>> RelationStore::LookupKeys(
    StepBatch& batch, const std::vector<std::string_view>& row_keys) const {
  std::vector<std::optional<ivm::ZSetEntry>> out(row_keys.size());
  batch.MultiGet(row_keys, [&](size_t i, std::string_view value) { out[i] = DecodeEntry(value); });
  return out;
}

void RelationStore::Clear(StepBatch& batch) const { batch.DeletePrefix(prefix_); }

}  // namespace storage
