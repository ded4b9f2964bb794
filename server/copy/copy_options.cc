#include "server/copy/copy_options.h"

#include <cctype>
#include <set>

#include "ivm/error.h"

namespace server {
namespace {

using ivm::Error;
namespace sqlstate = ivm::sqlstate;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// PostgreSQL's defGetBoolean, plus HEADER's "match".
CopyOptions::Header HeaderValue(const sql::CopyStmt::Option& option, bool from) {
  if (!option.value) return CopyOptions::Header::kTrue;
  const std::string v = Lower(*option.value);
  if (v == "true" || v == "on" || v == "1" || v == "yes") return CopyOptions::Header::kTrue;
  if (v == "false" || v == "off" || v == "0" || v == "no") return CopyOptions::Header::kNone;
  if (v == "match") {
    if (!from) {
      throw Error(sqlstate::kFeatureNotSupported,
                  "cannot use \"match\" with HEADER in COPY TO");
    }
    return CopyOptions::Header::kMatch;
  }
  throw Error(sqlstate::kSyntaxError, "header requires a Boolean value or \"match\"");
}

const std::string& StringValue(const sql::CopyStmt::Option& option) {
  if (!option.value) throw Error(sqlstate::kSyntaxError, option.name + " requires a parameter");
  return *option.value;
}

char SingleByte(const sql::CopyStmt::Option& option, const char* what) {
  const std::string& v = StringValue(option);
  if (v.size() != 1) {
    throw Error(sqlstate::kFeatureNotSupported,
                std::string("COPY ") + what + " must be a single one-byte character");
  }
  return v[0];
}

std::vector<std::string> ColumnList(const sql::CopyStmt::Option& option) {
  if (option.columns.empty()) {
    throw Error(sqlstate::kSyntaxError,
                "argument to option \"" + option.name + "\" must be a list of column names");
  }
  return option.columns;
}

}  // namespace

CopyOptions BindCopyOptions(const sql::CopyStmt& stmt) {
  if (stmt.target != sql::CopyStmt::Target::kStdio) {
    throw Error(sqlstate::kFeatureNotSupported,
                std::string("COPY ") + (stmt.from ? "FROM" : "TO") +
                    (stmt.target == sql::CopyStmt::Target::kProgram ? " PROGRAM" : " a file") +
                    " is not supported: the server does not read or write its own files",
                "", std::string("Use COPY ... ") + (stmt.from ? "FROM STDIN" : "TO STDOUT") +
                        ", or psql's \\copy, which sends the file over the connection.");
  }
  CopyOptions o;
  std::set<std::string> seen;
  bool has_delimiter = false, has_null = false, has_quote = false, has_escape = false;
  for (const sql::CopyStmt::Option& option : stmt.options) {
    if (!seen.insert(option.name).second) {
      throw Error(sqlstate::kSyntaxError, "conflicting or redundant options");
    }
    const std::string& name = option.name;
    if (name == "format") {
      const std::string f = Lower(StringValue(option));
      if (f == "csv") {
        o.csv = true;
      } else if (f == "binary") {
        throw Error(sqlstate::kFeatureNotSupported, "COPY BINARY is not supported", "",
                    "Use FORMAT text or FORMAT csv.");
      } else if (f != "text") {
        throw Error(sqlstate::kInvalidParameterValue, "COPY format \"" + f + "\" not recognized");
      }
    } else if (name == "header") {
      o.header = HeaderValue(option, stmt.from);
    } else if (name == "delimiter") {
      o.delimiter = SingleByte(option, "delimiter");
      has_delimiter = true;
    } else if (name == "null") {
      o.null_string = StringValue(option);
      has_null = true;
    } else if (name == "quote") {
      o.quote = SingleByte(option, "quote");
      has_quote = true;
    } else if (name == "escape") {
      o.escape = SingleByte(option, "escape");
      has_escape = true;
    } else if (name == "force_quote") {
      if (option.all_columns) {
        o.force_quote_all = true;
      } else {
        o.force_quote = ColumnList(option);
      }
    } else if (name == "force_not_null") {
      o.force_not_null = ColumnList(option);
    } else if (name == "force_null") {
      o.force_null = ColumnList(option);
    } else if (name == "encoding") {
      const std::string e = Lower(StringValue(option));
      if (e != "utf8" && e != "utf-8" && e != "unicode") {
        throw Error(sqlstate::kFeatureNotSupported,
                    "COPY ENCODING \"" + StringValue(option) + "\" is not supported", "",
                    "Tributary reads and writes UTF8 only.");
      }
    } else {
      throw Error(sqlstate::kSyntaxError, "option \"" + name + "\" not recognized");
    }
  }
  if (!has_delimiter) o.delimiter = o.csv ? ',' : '\t';
  if (!has_null) o.null_string = o.csv ? "" : "\\N";
  if (!has_escape) o.escape = o.quote;

  // The checks of PostgreSQL's ProcessCopyOptions, in its order and words.
  if (o.delimiter == '\n' || o.delimiter == '\r') {
    throw Error(sqlstate::kInvalidParameterValue,
                "COPY delimiter cannot be newline or carriage return");
  }
  if (o.null_string.find_first_of("\r\n") != std::string::npos) {
    throw Error(sqlstate::kInvalidParameterValue,
                "COPY null representation cannot use newline or carriage return");
  }
  if (!o.csv && std::string("\\.abcdefghijklmnopqrstuvwxyz0123456789").find(o.delimiter) !=
                    std::string::npos) {
    throw Error(sqlstate::kInvalidParameterValue,
                std::string("COPY delimiter cannot be \"") + o.delimiter + "\"");
  }
  if (!o.csv && has_quote) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY quote available only in CSV mode");
  }
  if (o.csv && o.delimiter == o.quote) {
    throw Error(sqlstate::kInvalidParameterValue, "COPY delimiter and quote must be different");
  }
  if (!o.csv && has_escape) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY escape available only in CSV mode");
  }
  if (!o.csv && (o.force_quote_all || !o.force_quote.empty())) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY force quote available only in CSV mode");
  }
  if ((o.force_quote_all || !o.force_quote.empty()) && stmt.from) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY force quote only available using COPY TO");
  }
  if (!o.csv && !o.force_not_null.empty()) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY force not null available only in CSV mode");
  }
  if (!o.force_not_null.empty() && !stmt.from) {
    throw Error(sqlstate::kFeatureNotSupported,
                "COPY force not null only available using COPY FROM");
  }
  if (!o.csv && !o.force_null.empty()) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY force null available only in CSV mode");
  }
  if (!o.force_null.empty() && !stmt.from) {
    throw Error(sqlstate::kFeatureNotSupported, "COPY force null only available using COPY FROM");
  }
  if (o.null_string.find(o.delimiter) != std::string::npos) {
    throw Error(sqlstate::kInvalidParameterValue,
                "COPY delimiter must not appear in the NULL specification");
  }
  if (o.csv && o.null_string.find(o.quote) != std::string::npos) {
    throw Error(sqlstate::kInvalidParameterValue,
                "CSV quote character must not appear in the NULL specification");
  }
  return o;
}

}  // namespace server
