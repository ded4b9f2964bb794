#include "connectors/formats/table_filter.h"

#include "ivm/error.h"

namespace connectors {
namespace {

std::optional<std::regex> Compile(const std::string& pattern, const char* what) {
  if (pattern.empty()) return std::nullopt;
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                     std::string("invalid regular expression for ") + what + ": \"" + pattern +
                         "\": " + e.what());
  }
}

bool SameName(const std::optional<std::string>& cached, std::optional<std::string_view> name) {
  return cached.has_value() == name.has_value() && (!name || *cached == *name);
}

}  // namespace

TableFilter::TableFilter(const std::string& database_pattern, const std::string& table_pattern)
    : database_(Compile(database_pattern, "the database include filter")),
      table_(Compile(table_pattern, "the table include filter")) {}

bool TableFilter::Matches(const std::optional<std::regex>& pattern,
                          std::optional<std::string_view> name) {
  if (!pattern) return true;
  if (!name) return false;
  return std::regex_match(name->begin(), name->end(), *pattern);
}

bool TableFilter::Accepts(std::optional<std::string_view> database,
                          std::optional<std::string_view> table) {
  if (!active()) return true;
  if (cached_ && SameName(cached_database_, database) && SameName(cached_table_, table)) {
    return cached_answer_;
  }
  cached_answer_ = Matches(database_, database) && Matches(table_, table);
  cached_database_ = database ? std::optional<std::string>(*database) : std::nullopt;
  cached_table_ = table ? std::optional<std::string>(*table) : std::nullopt;
  cached_ = true;
  return cached_answer_;
}

}  // namespace connectors
