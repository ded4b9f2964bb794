#include "server/copy/copy_batch.h"

#include <algorithm>

#include "ivm/row_codec.h"

namespace server {

void CopyBatch::Append(const ivm::Row& row, int64_t line) {
  record_.clear();
  ivm::PutSignedVarint64(line, &record_);
  ivm::SerializeRow(row, &record_);
  // A record never makes its block grow: a new block starts instead, large enough for it.
  if (blocks_.empty() || blocks_.back().size() + record_.size() > blocks_.back().capacity()) {
    blocks_.emplace_back();
    blocks_.back().reserve(std::max(kBlockBytes, record_.size()));
  }
  blocks_.back() += record_;
  ++rows_;
}

void CopyBatch::Clear() {
  blocks_.clear();
  record_ = std::string();
  reading_ = {};
  taking_front_ = false;
  rows_ = 0;
}

bool CopyBatch::TakeNext(ivm::Row* row, int64_t* line) {
  while (reading_.empty()) {
    if (taking_front_) {
      blocks_.pop_front();  // every row of it is taken: its memory goes now
      taking_front_ = false;
    }
    if (blocks_.empty()) return false;
    reading_ = blocks_.front();
    taking_front_ = true;
  }
  *line = ivm::GetSignedVarint64(&reading_);
  *row = ivm::DeserializeRow(&reading_);
  return true;
}

}  // namespace server
