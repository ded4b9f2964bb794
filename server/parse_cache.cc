#include "server/parse_cache.h"

#include "sql/parser.h"

namespace server {

std::shared_ptr<const ParseCache::Statements> ParseCache::Parse(const std::string& sql) {
  if (sql.size() > kMaxCachedTextBytes) {
    return std::make_shared<const Statements>(sql::ParseScript(sql));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(sql);
    if (it != entries_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.age);
      ++hits_;
      return it->second.statements;
    }
    ++misses_;
  }
  // Parse outside the lock: two sessions may parse the same new text at once, harmlessly.
  auto statements = std::make_shared<const Statements>(sql::ParseScript(sql));
  std::lock_guard<std::mutex> lock(mu_);
  if (capacity_ == 0 || entries_.count(sql)) return statements;
  lru_.push_front(sql);
  entries_.emplace(sql, Entry{statements, lru_.begin()});
  while (entries_.size() > capacity_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  return statements;
}

size_t ParseCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

size_t ParseCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace server
