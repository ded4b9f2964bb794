// OperatorState: an ivm::StateStore for one operator of one view, scoped to its key
// prefix and reading/writing through the step's batch (or a scratch batch).
#pragma once

#include <string>

#include "ivm/state_store.h"
#include "storage/database.h"

namespace storage {

class OperatorState final : public ivm::StateStore {
 public:
  OperatorState(StepBatch* batch, std::string prefix) : batch_(batch), prefix_(std::move(prefix)) {}

  bool Get(std::string_view key, std::string* value) override;
  void MultiGet(const std::vector<std::string_view>& keys,
                const std::function<void(size_t, std::string_view)>& visit) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  void Scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& visit) override;
  bool Last(std::string_view prefix, std::string* key, std::string* value) override;

 private:
  std::string Full(std::string_view key) const { return prefix_ + std::string(key); }

  StepBatch* batch_;
  std::string prefix_;
};

}  // namespace storage
