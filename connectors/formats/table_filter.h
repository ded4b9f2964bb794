// TableFilter: Flink's canal-json.database.include / table.include. Each is a regular
// expression that must match the whole name (Java's Pattern.matches); an empty pattern
// accepts every name. The last answer is cached, since a topic usually carries one table.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace connectors {

class TableFilter {
 public:
  // Throws 22023 for a pattern std::regex (ECMAScript) cannot compile.
  TableFilter(const std::string& database_pattern, const std::string& table_pattern);

  bool active() const { return database_.has_value() || table_.has_value(); }
  // A name the message does not carry (nullopt) is rejected by an active pattern.
  bool Accepts(std::optional<std::string_view> database, std::optional<std::string_view> table);

 private:
  static bool Matches(const std::optional<std::regex>& pattern,
                      std::optional<std::string_view> name);

  std::optional<std::regex> database_;
  std::optional<std::regex> table_;
  // Cache of the last (database, table) asked about.
  bool cached_ = false;
  std::optional<std::string> cached_database_, cached_table_;
  bool cached_answer_ = false;
};

}  // namespace connectors
