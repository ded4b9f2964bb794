// LruCache: a thread-safe map from string keys to shared immutable values that keeps the
// `capacity` most recently used entries. The parse and plan caches are built on it.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace server {

template <typename V>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  // The value stored under `key`, or null (counted as a hit or a miss).
  std::shared_ptr<const V> Get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      ++misses_;
      return nullptr;
    }
    lru_.splice(lru_.begin(), lru_, it->second.age);
    ++hits_;
    return it->second.value;
  }

  // Stores `value` under `key`, replacing what was there, evicting the least recently used.
  void Put(const std::string& key, std::shared_ptr<const V> value) {
    std::lock_guard<std::mutex> lock(mu_);
    if (capacity_ == 0) return;
    if (auto it = entries_.find(key); it != entries_.end()) {
      it->second.value = std::move(value);
      lru_.splice(lru_.begin(), lru_, it->second.age);
      return;
    }
    lru_.push_front(key);
    entries_.emplace(key, Entry{std::move(value), lru_.begin()});
    while (entries_.size() > capacity_) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
  }

  size_t hits() const {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_;
  }
  size_t misses() const {
    std::lock_guard<std::mutex> lock(mu_);
    return misses_;
  }

 private:
  struct Entry {
    std::shared_ptr<const V> value;
    std::list<std::string>::iterator age;  // position in lru_
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;                      // GUARDED_BY(mu_), most recent first
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  size_t hits_ = 0, misses_ = 0;                    // GUARDED_BY(mu_)
};

}  // namespace server
