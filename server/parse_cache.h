// ParseCache: query text -> its parsed statements, so that a query string seen before does
// not go through ANTLR again (about 100 µs a statement, TOOLCHAIN.md). Parsing depends on
// the text alone, never on the catalog, so an entry stays valid forever; binding and
// planning still happen per execution against the current catalog. Holds the `capacity`
// most recently used texts. Thread-safe; entries are immutable and shared.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "server/lru_cache.h"
#include "sql/ast.h"

namespace server {

class ParseCache {
 public:
  using Statements = std::vector<sql::ParsedStatement>;

  // Longer texts (bulk INSERTs, generated scripts) are parsed every time: they are seldom
  // repeated, their parse is small beside their execution, and their trees are large.
  static constexpr size_t kMaxCachedTextBytes = 8192;

  explicit ParseCache(size_t capacity = 1024) : cache_(capacity) {}

  // The statements of `sql`, parsed now or earlier. Throws ivm::Error as sql::ParseScript
  // does (failures are not cached).
  std::shared_ptr<const Statements> Parse(const std::string& sql);
  // The statements of `sql` if it was parsed before and is still cached; never parses.
  std::shared_ptr<const Statements> Find(const std::string& sql) { return cache_.Get(sql); }

  size_t hits() const { return cache_.hits(); }
  size_t misses() const { return cache_.misses(); }

 private:
  LruCache<Statements> cache_;
};

}  // namespace server
