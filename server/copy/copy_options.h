// CopyOptions: a COPY statement's format options, checked as PostgreSQL 15 checks them
// (ProcessCopyOptions), with its defaults filled in. One struct serves both directions.
#pragma once

#include <string>
#include <vector>

#include "sql/ast.h"

namespace server {

struct CopyOptions {
  enum class Header { kNone, kTrue, kMatch };  // kMatch: COPY FROM only

  bool csv = false;
  Header header = Header::kNone;
  char delimiter = '\t';          // text: tab, csv: comma
  std::string null_string = "\\N";  // text: \N, csv: the empty string
  char quote = '"';               // csv only
  char escape = '"';              // csv only; defaults to the quote
  bool force_quote_all = false;   // FORCE_QUOTE *
  std::vector<std::string> force_quote;     // csv, COPY TO
  std::vector<std::string> force_not_null;  // csv, COPY FROM
  std::vector<std::string> force_null;      // csv, COPY FROM
};

// Checks `stmt`'s options for its direction and returns them with defaults. Throws
// ivm::Error: 42601 for an unknown or repeated option, 22023 for a bad value, 0A000 for
// what is not supported (BINARY, an encoding other than UTF8, options of the wrong mode).
CopyOptions BindCopyOptions(const sql::CopyStmt& stmt);

}  // namespace server
