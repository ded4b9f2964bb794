#include "server/parse_cache.h"

#include "sql/parser.h"

namespace server {

std::shared_ptr<const ParseCache::Statements> ParseCache::Parse(const std::string& sql) {
  if (sql.size() > kMaxCachedTextBytes) {
    return std::make_shared<const Statements>(sql::ParseScript(sql));
  }
  if (auto cached = cache_.Get(sql)) return cached;
  // Parse outside the cache's lock: two sessions may parse the same new text at once,
  // harmlessly.
  auto statements = std::make_shared<const Statements>(sql::ParseScript(sql));
  cache_.Put(sql, statements);
  return statements;
}

}  // namespace server
