#include "ivm/state_store.h"

namespace ivm {

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char last = static_cast<unsigned char>(s.back());
    if (last != 0xFF) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

void StateStore::MultiGet(const std::vector<std::string_view>& keys,
                          const std::function<void(size_t, std::string_view)>& visit) {
  std::string value;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (Get(keys[i], &value)) visit(i, value);
  }
}

bool MemoryStateStore::Get(std::string_view key, std::string* value) {
  auto it = map_.find(key);
  if (it == map_.end()) return false;
  *value = it->second;
  return true;
}

void MemoryStateStore::Put(std::string_view key, std::string_view value) {
  map_.insert_or_assign(std::string(key), std::string(value));
}

void MemoryStateStore::Delete(std::string_view key) {
  auto it = map_.find(key);
  if (it != map_.end()) map_.erase(it);
}

void MemoryStateStore::Scan(std::string_view prefix,
                            const std::function<bool(std::string_view, std::string_view)>& visit) {
  for (auto it = map_.lower_bound(prefix); it != map_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!visit(it->first, it->second)) break;
  }
}

bool MemoryStateStore::Last(std::string_view prefix, std::string* key, std::string* value) {
  std::string end = PrefixSuccessor(prefix);
  auto it = end.empty() ? map_.end() : map_.lower_bound(end);
  if (it == map_.begin()) return false;
  --it;
  if (it->first.compare(0, prefix.size(), prefix) != 0) return false;
  *key = it->first;
  *value = it->second;
  return true;
}

}  // namespace ivm
