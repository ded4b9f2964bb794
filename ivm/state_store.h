// StateStore: the ordered key/value space one operator keeps its state in. storage/
// implements it over RocksDB (scoped to the operator's prefix, reading through the step's
// uncommitted writes); MemoryStateStore serves one-shot queries and tests.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ivm {

class StateStore {
 public:
  virtual ~StateStore() = default;

  // Returns true and fills *value when `key` is present.
  virtual bool Get(std::string_view key, std::string* value) = 0;
  // Get for many keys at once: calls visit(i, value) for each keys[i] that is present, in
  // order of i (`value` lives only during the call). Stores that can look keys up together
  // (RocksDB's MultiGet) override it. REQUIRES: `keys` sorted.
  virtual void MultiGet(const std::vector<std::string_view>& keys,
                        const std::function<void(size_t, std::string_view)>& visit);
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;
  // Visits the keys that start with `prefix` in ascending order while `visit` returns true.
  virtual void Scan(
      std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) = 0;
  // The greatest key that starts with `prefix`; false when there is none.
  virtual bool Last(std::string_view prefix, std::string* key, std::string* value) = 0;
};

class MemoryStateStore final : public StateStore {
 public:
  bool Get(std::string_view key, std::string* value) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  void Scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& visit) override;
  bool Last(std::string_view prefix, std::string* key, std::string* value) override;

  size_t size() const { return map_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> map_;
};

// The smallest string greater than every string starting with `prefix` ("" if none).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace ivm
