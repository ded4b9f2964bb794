// SourceBatch: what a SourceRunner hands the engine. The engine applies the changes to the
// table by key, records the errors in tributary_source_errors, and stores the offsets and the
// source's tributary_sources row, all in one atomic step (exactly once).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/change.h"

namespace server {

// The changes one message produced: batch.changes[first_change, first_change + changes).
struct SourceMessageSpan {
  int32_t partition = 0;
  int64_t offset = 0;
  size_t first_change = 0;
  size_t changes = 0;
};

// A message the source skipped, with why.
struct SourceErrorRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string sqlstate;
  std::string message;
  std::string payload;  // a printable prefix of the message value
};

struct SourceBatch {
  uint64_t table_id = 0;
  std::string source;  // the source's name: its key in tributary_sources

  // Row changes in the table's column order and types, in message order.
  std::vector<connectors::RowChange> changes;
  std::vector<SourceMessageSpan> spans;  // one per message that produced changes
  std::vector<SourceErrorRecord> errors;
  // Next offset to read per partition once this batch is applied (every partition whose
  // position is known, not only those this batch moved).
  std::map<int32_t, int64_t> offsets;
  int64_t messages = 0;  // messages consumed by this batch, good or bad

  // Live figures for tributary_sources.
  std::string status = "running";  // running | retrying | paused
  int32_t partitions = 0;
  int64_t lag = 0;
  std::optional<std::string> last_error;  // a new error to show (broker trouble, a pause)
};

// How the engine hands a submitted batch back: with whether it was committed, and the
// batch itself, for the submitter's thread to free. That thread allocated it; freed on the
// writer, a batch's rows cost the writer 4% of its time, and the two threads contended for
// malloc's lock on the submitter's arena.
using SourceBatchDone = std::function<void(bool committed, SourceBatch spent)>;

}  // namespace server
