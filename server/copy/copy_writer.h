// Formats rows for COPY TO in text or CSV, byte for byte as PostgreSQL 15's CopyOneRowTo
// (CopyAttributeOutText / CopyAttributeOutCSV) does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/copy/copy_options.h"

namespace server {

class CopyWriter {
 public:
  // `force_quote`: per column, FORCE_QUOTE (CSV); empty means none.
  CopyWriter(CopyOptions options, std::vector<bool> force_quote);

  // Appends one row, with its newline. nullopt is NULL.
  void AppendRow(const std::vector<std::optional<std::string>>& cells, std::string* out) const;
  // Appends the header line: the column names.
  void AppendHeader(const std::vector<std::string>& names, std::string* out) const;

 private:
  void AppendText(std::string_view value, std::string* out) const;
  void AppendCsv(std::string_view value, bool force_quote, bool single_column,
                 std::string* out) const;

  const CopyOptions options_;
  const std::vector<bool> force_quote_;
};

}  // namespace server
