// CopyBatch: the rows of one COPY FROM, parsed and typed on the session's side, waiting to
// be applied by the engine's writer in one transaction (Engine::SubmitCopy).
//
// The rows are held serialized (ivm::SerializeRow), each after its input line, in blocks of
// about 1 MiB: a few bytes per field rather than a Value and a vector per row, which made a
// million-row COPY hold 200 MiB before its first row was applied. The writer takes them
// back in order, and each block is freed once its last row is taken.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "ivm/types.h"
#include "ivm/value.h"

namespace server {

class CopyBatch {
 public:
  uint64_t table_id = 0;
  std::string table_name;
  std::vector<ivm::Type> column_types;  // the table's, when parsed: it must not have changed

  // Adds a full table row, cast to the column types, read from input line `line`.
  // REQUIRES: no row has been taken yet.
  void Append(const ivm::Row& row, int64_t line);
  // Drops every row (the COPY failed while its data was still arriving).
  void Clear();
  // The rows appended, taken or not.
  uint64_t size() const { return rows_; }

  // Takes the next row in input order and its line; false once every row is taken.
  bool TakeNext(ivm::Row* row, int64_t* line);

 private:
  static constexpr size_t kBlockBytes = 1 << 20;

  std::deque<std::string> blocks_;
  std::string record_;        // Append's scratch
  std::string_view reading_;  // the rest of blocks_.front() once taking has begun
  bool taking_front_ = false;
  uint64_t rows_ = 0;
};

}  // namespace server
