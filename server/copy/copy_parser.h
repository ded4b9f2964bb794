// CopyParser: splits COPY FROM's text or CSV input into rows of fields as it arrives, in
// chunks of any size (a row may span chunks; a CSV row may span lines inside quotes). It
// keeps only the row being read, never the whole input. Follows PostgreSQL 15's
// CopyReadLine / CopyReadAttributesText / CopyReadAttributesCSV, including the "\." end
// marker and HEADER [MATCH].
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/copy/copy_options.h"

namespace server {

// One field of a row: its decoded text, or nullopt for NULL.
using CopyFields = std::vector<std::optional<std::string>>;

class CopyParser {
 public:
  // Called for each data row with its fields, its line number (the header is line 1 when
  // there is one) and its text. A throw from it propagates out of Feed/Finish.
  using RowFn = std::function<void(CopyFields& fields, int64_t line, std::string_view text)>;

  // `columns`: the names of the columns COPY fills, in order (for counts and HEADER MATCH).
  CopyParser(CopyOptions options, std::vector<std::string> columns, RowFn on_row);

  // Parses `data`. Throws ivm::Error (22P04 and friends) for malformed input; its
  // context() is set ("line 3: \"...\"" without the "COPY t, " prefix, which the caller adds).
  void Feed(std::string_view data);
  // End of input: parses a last line without a newline; an open CSV quote is an error.
  void Finish();

  // The number of the line being read (the last one completed, after Finish()).
  int64_t line() const { return line_; }

 private:
  void ParseLine(std::string_view line);
  void SplitText(std::string_view line);
  void SplitCsv(std::string_view line);
  void CheckHeader(std::string_view line);
  [[noreturn]] void Fail(const char* sqlstate, std::string message, std::string_view line) const;

  const CopyOptions options_;
  const std::vector<std::string> columns_;
  RowFn on_row_;
  std::string pending_;   // the line read so far, when it spans chunks
  bool in_quote_ = false;  // CSV: the line reader is inside quotes
  bool last_was_escape_ = false;
  bool after_backslash_ = false;  // text: the last byte was an escaping backslash
  bool ended_ = false;            // "\." was seen: the rest is ignored
  int64_t line_ = 0;
  CopyFields fields_;
  std::vector<bool> force_not_null_;  // per column: FORCE_NOT_NULL
  std::vector<bool> force_null_;      // per column: FORCE_NULL
};

// A line as PostgreSQL prints it in CONTEXT: at most 100 bytes, then "...".
std::string CopyContextText(std::string_view text);

}  // namespace server
