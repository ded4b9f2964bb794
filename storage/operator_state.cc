#include "storage/operator_state.h"

namespace storage {

bool OperatorState::Get(std::string_view key, std::string* value) {
  return batch_->Get(Full(key), value);
}

void OperatorState::MultiGet(const std::vector<std::string_view>& keys,
                             const std::function<void(size_t, std::string_view)>& visit) {
  if (prefix_.empty()) {  // the keys are whole already
    batch_->MultiGet(keys, visit);
    return;
  }
  std::vector<std::string> full;
  full.reserve(keys.size());
  for (std::string_view key : keys) full.push_back(Full(key));
  batch_->MultiGet(std::vector<std::string_view>(full.begin(), full.end()), visit);
}

void OperatorState::Put(std::string_view key, std::string_view value) {
  batch_->Put(Full(key), value);
}

void OperatorState::Delete(std::string_view key) { batch_->Delete(Full(key)); }

void OperatorState::Scan(std::string_view prefix,
                         const std::function<bool(std::string_view, std::string_view)>& visit) {
  batch_->Scan(Full(prefix), [&](std::string_view key, std::string_view value) {
    return visit(key.substr(prefix_.size()), value);
  });
}

bool OperatorState::Last(std::string_view prefix, std::string* key, std::string* value) {
  if (!batch_->Last(Full(prefix), key, value)) return false;
  key->erase(0, prefix_.size());
  return true;
}

}  // namespace storage
