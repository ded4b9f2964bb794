// ParseCache: query text -> its parsed statements, so that a query string seen before does
// not go through ANTLR again (about 100 µs a statement, TOOLCHAIN.md). Parsing depends on
// the text alone, never on the catalog, so an entry stays valid forever; binding and
// planning still happen per execution against the current catalog. Holds the `capacity`
// most recently used texts. Thread-safe; entries are immutable and shared.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql/ast.h"

namespace server {

class ParseCache {
 public:
  using Statements = std::vector<sql::ParsedStatement>;

  // Longer texts (bulk INSERTs, generated scripts) are parsed every time: they are seldom
  // repeated, their parse is small beside their execution, and their trees are large.
  static constexpr size_t kMaxCachedTextBytes = 8192;

  explicit ParseCache(size_t capacity = 1024) : capacity_(capacity) {}

  // The statements of `sql`, parsed now or earlier. Throws ivm::Error as sql::ParseScript
  // does (failures are not cached).
  std::shared_ptr<const Statements> Parse(const std::string& sql);

  size_t hits() const;
  size_t misses() const;

 private:
  struct Entry {
    std::shared_ptr<const Statements> statements;
    std::list<std::string>::iterator age;  // position in lru_
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;                      // GUARDED_BY(mu_), most recent first
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  size_t hits_ = 0, misses_ = 0;                    // GUARDED_BY(mu_)
};

}  // namespace server
