// sqllogictest runner over libpq: runs one .slt file against a fresh tributary server
// (temporary data dir, free port), or against any PostgreSQL-protocol server given by
// --conninfo (used to check that the expected results are PostgreSQL's).
//
//   slt_runner --binary path/to/tributary file.slt
//   slt_runner --conninfo "host=... port=..." file.slt     (restart/kill9 are skipped; with
//                                       engine postgresql, the default for --conninfo,
//                                       MATERIALIZED VIEW becomes VIEW, so PostgreSQL can
//                                       check the expected results of maintained views)
//   slt_runner --binary ... --complete file.slt > new.slt  (prints the file with every
//                                                           query's actual results)
//
// Records (separated by blank lines; '#' starts a comment line):
//   statement ok | statement error [SQLSTATE | message regex] | statement count N
//   query <types> [nosort|rowsort|valuesort] [label]   then SQL, '----', expected rows
//   query error [SQLSTATE | regex]                      then SQL
//   skipif <engine> / onlyif <engine>  before a record  (engines: tributary, postgresql)
//   restart   graceful restart of the server on the same data dir
//   kill9     kill -9, then start again on the same data dir
//   halt      stop reading the file
// Query results: one row per line, values separated by tabs or spaces, NULL as NULL and
// the empty string as (empty). Runs of whitespace compare equal (values with leading,
// trailing or doubled spaces need quoting in SQL, e.g. '[' || x || ']'). <types> only
// fixes the number of columns; values are compared in the server's text form exactly.
// Exit code 0 when every record passed; failures print file:line, SQL, expected, actual.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/sql/pg_test_support.h"

namespace {

using namespace tributary_test;

struct Record {
  enum class Kind { kStatement, kQuery, kRestart, kKill9, kHalt } kind = Kind::kStatement;
  int line = 0;        // line of the record's first line
  std::string header;  // the record's first line, as written
  std::string sql;
  bool expect_error = false;
  std::string error_pattern;  // SQLSTATE or regex; empty = any error
  long expect_count = -1;     // statement count N
  std::string types;
  std::string sort = "nosort";
  std::vector<std::string> expected;  // result lines
  bool skip = false;                  // skipif/onlyif said so
};

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Splits an expected row into values: on tabs if it has any, else on runs of spaces.
std::vector<std::string> SplitValues(const std::string& line) {
  if (line.find('\t') == std::string::npos) return Words(line);
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string v; std::getline(in, v, '\t');) out.push_back(Trim(v));
  return out;
}

// Values joined by single spaces, runs of whitespace collapsed.
std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    for (const auto& w : Words(v)) out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

[[noreturn]] void ParseError(const std::string& file, int line, const std::string& msg) {
  std::cerr << file << ":" << line << ": " << msg << "\n";
  std::exit(2);
}

std::vector<Record> Parse(const std::string& file, const std::string& engine) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "cannot open " << file << "\n";
    std::exit(2);
  }
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  std::vector<Record> records;
  bool skip_next = false;
  size_t i = 0;
  auto block_end = [&](size_t from) {  // first blank line at or after `from`
    while (from < lines.size() && !Trim(lines[from]).empty()) ++from;
    return from;
  };
  while (i < lines.size()) {
    const std::string line = Trim(lines[i]);
    if (line.empty() || line[0] == '#') {
      ++i;
      continue;
    }
    std::vector<std::string> w = Words(line);
    Record r;
    r.line = static_cast<int>(i + 1);
    r.header = line;
    if (w[0] == "skipif" || w[0] == "onlyif") {
      if (w.size() < 2) ParseError(file, r.line, "skipif/onlyif needs an engine name");
      const bool match = w[1] == engine;
      if ((w[0] == "skipif") == match) skip_next = true;
      ++i;
      continue;
    }
    if (w[0] == "hash-threshold") {
      ++i;
      continue;
    }
    if (w[0] == "halt" || w[0] == "restart" || w[0] == "kill9") {
      r.kind = w[0] == "halt"      ? Record::Kind::kHalt
               : w[0] == "restart" ? Record::Kind::kRestart
                                   : Record::Kind::kKill9;
      r.skip = skip_next;
      skip_next = false;
      records.push_back(r);
      ++i;
      continue;
    }
    if (w[0] != "statement" && w[0] != "query") {
      ParseError(file, r.line, "unknown record \"" + line + "\"");
    }
    if (w.size() < 2) ParseError(file, r.line, "\"" + w[0] + "\" needs an argument");
    const size_t end = block_end(i + 1);
    size_t sql_end = end;
    if (w[0] == "query" && w[1] != "error") {
      for (size_t j = i + 1; j < end; ++j) {
        if (Trim(lines[j]) == "----") {
          sql_end = j;
          break;
        }
      }
    }
    for (size_t j = i + 1; j < sql_end; ++j) r.sql += (j > i + 1 ? "\n" : "") + lines[j];
    if (Trim(r.sql).empty()) ParseError(file, r.line, "record without SQL");
    if (w[1] == "error") {
      r.kind = w[0] == "query" ? Record::Kind::kQuery : Record::Kind::kStatement;
      r.expect_error = true;
      const auto pos = line.find("error");
      r.error_pattern = Trim(line.substr(pos + 5));
    } else if (w[0] == "statement") {
      if (w[1] == "count" && w.size() == 3) {
        r.expect_count = std::stol(w[2]);
      } else if (w[1] != "ok") {
        ParseError(file, r.line, "expected statement ok|error|count N");
      }
    } else {
      r.kind = Record::Kind::kQuery;
      r.types = w[1];
      if (w.size() >= 3) r.sort = w[2];
      if (r.sort != "nosort" && r.sort != "rowsort" && r.sort != "valuesort") {
        ParseError(file, r.line, "unknown sort mode " + r.sort);
      }
      for (size_t j = sql_end + 1; j < end; ++j) r.expected.push_back(lines[j]);
    }
    r.skip = skip_next;
    skip_next = false;
    records.push_back(r);
    i = end;
  }
  return records;
}

std::string FormatCell(const Cell& c) {
  if (!c) return "NULL";
  if (c->empty()) return "(empty)";
  return *c;
}

// Actual and expected results in comparable form: a list of normalized lines (or values
// for valuesort), sorted as the record asks.
std::vector<std::string> Normalize(const std::vector<std::vector<std::string>>& rows,
                                   const std::string& sort) {
  std::vector<std::string> out;
  for (const auto& row : rows) {
    if (sort == "valuesort") {
      for (const auto& v : row) out.push_back(Join({v}));
    } else {
      out.push_back(Join(row));
    }
  }
  if (sort != "nosort") std::sort(out.begin(), out.end());
  return out;
}

bool ErrorMatches(const StatementResult& r, const std::string& pattern) {
  if (pattern.empty()) return true;
  static const std::regex kSqlstate("^[0-9A-Z]{5}$");
  if (std::regex_match(pattern, kSqlstate)) return r.sqlstate == pattern;
  return std::regex_search(r.message, std::regex(pattern));
}

class Runner {
 public:
  Runner(std::string file, std::string binary, std::string conninfo, bool complete)
      : file_(std::move(file)),
        binary_(std::move(binary)),
        conninfo_(std::move(conninfo)),
        complete_(complete) {}

  int Run(const std::string& engine) {
    rewrite_views_ = engine == "postgresql";
    std::vector<Record> records = Parse(file_, engine);
    if (!binary_.empty()) server_ = std::make_unique<TributaryServer>(binary_);
    Connect();
    int failures = 0, executed = 0;
    for (const Record& r : records) {
      if (r.skip) continue;
      if (r.kind == Record::Kind::kHalt) break;
      ++executed;
      try {
        if (!RunRecord(r)) ++failures;
      } catch (const std::exception& e) {
        Fail(r, std::string("exception: ") + e.what());
        ++failures;
        if (server_) std::cerr << "---- server log ----\n" << server_->LogTail() << "\n";
        Connect();
      }
    }
    if (failures && server_) std::cerr << "---- server log ----\n" << server_->LogTail() << "\n";
    std::cerr << file_ << ": " << executed << " records, " << failures << " failed\n";
    return failures ? 1 : 0;
  }

 private:
  void Connect() {
    conn_.reset();
    conn_ = std::make_unique<PgConnection>(server_ ? server_->ConnInfo() : conninfo_);
  }

  void Fail(const Record& r, const std::string& what) {
    std::cerr << file_ << ":" << r.line << ": FAILED: " << r.header << "\n";
    if (!r.sql.empty()) std::cerr << "  SQL:\n    " << r.sql << "\n";
    std::cerr << what << "\n\n";
  }

  static std::string Lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += "    " + l + "\n";
    return out.empty() ? "    (no rows)\n" : out;
  }

  bool RunRecord(const Record& r) {
    switch (r.kind) {
      case Record::Kind::kRestart:
      case Record::Kind::kKill9:
        if (!server_) return true;  // an external server: cannot restart it
        conn_.reset();
        if (r.kind == Record::Kind::kRestart) {
          server_->Restart();
        } else {
          server_->CrashRestart();
        }
        Connect();
        return true;
      case Record::Kind::kStatement:
      case Record::Kind::kQuery:
        break;
      case Record::Kind::kHalt:
        return true;
    }
    std::string sql = r.sql;
    bool rewritten = false;
    if (rewrite_views_) {
      // PostgreSQL does not maintain materialized views: check the expected results against
      // plain views, which it recomputes on every read.
      static const std::regex kMatView("MATERIALIZED VIEW", std::regex::icase);
      const std::string plain = std::regex_replace(sql, kMatView, "VIEW");
      rewritten = plain != sql;
      sql = plain;
    }
    StatementResult res = conn_->Exec(sql);
    if (r.expect_error) {
      if (res.ok()) {
        Fail(r, "  expected an error" +
                    (r.error_pattern.empty() ? "" : " matching " + r.error_pattern) +
                    ", but it succeeded: " + res.Describe());
        return false;
      }
      if (!ErrorMatches(res, r.error_pattern)) {
        Fail(r,
             "  expected an error matching " + r.error_pattern + "\n  actual: " + res.Describe());
        return false;
      }
      return true;
    }
    if (!res.ok()) {
      Fail(r, "  unexpected error: " + res.Describe());
      if (complete_ && r.kind == Record::Kind::kQuery) PrintCompleted(r, {});
      return false;
    }
    if (r.kind == Record::Kind::kStatement) {
      if (r.expect_count >= 0 && !rewritten) {
        const auto words = Words(res.tag);
        const long n = words.empty() ? -1 : std::atol(words.back().c_str());
        if (n != r.expect_count) {
          Fail(r, "  expected count " + std::to_string(r.expect_count) + ", got tag \"" + res.tag +
                      "\"");
          return false;
        }
      }
      return true;
    }
    std::vector<std::vector<std::string>> actual;
    for (const Row& row : res.rows) {
      std::vector<std::string> cells;
      for (const Cell& c : row) cells.push_back(FormatCell(c));
      actual.push_back(cells);
    }
    if (complete_) PrintCompleted(r, actual);
    if (res.columns.size() != r.types.size()) {
      Fail(r, "  expected " + std::to_string(r.types.size()) + " columns (\"" + r.types +
                  "\"), got " + std::to_string(res.columns.size()));
      return false;
    }
    std::vector<std::vector<std::string>> expected;
    for (const std::string& l : r.expected) expected.push_back(SplitValues(l));
    const auto a = Normalize(actual, r.sort);
    const auto e = Normalize(expected, r.sort);
    if (a != e) {
      Fail(r, "  expected (" + r.sort + "):\n" + Lines(e) + "  actual:\n" + Lines(a));
      return false;
    }
    return true;
  }

  // --complete: the record with the actual result, to paste into the file after checking.
  void PrintCompleted(const Record& r, const std::vector<std::vector<std::string>>& actual) {
    std::cout << "# " << file_ << ":" << r.line << "\n" << r.header << "\n" << r.sql << "\n----\n";
    std::vector<std::string> lines;
    for (const auto& row : actual) {
      std::string l;
      for (size_t i = 0; i < row.size(); ++i) l += (i ? " " : "") + row[i];
      lines.push_back(l);
    }
    if (r.sort == "rowsort") std::sort(lines.begin(), lines.end());
    for (const auto& l : lines) std::cout << l << "\n";
    std::cout << "\n";
  }

  std::string file_, binary_, conninfo_;
  bool complete_;
  bool rewrite_views_ = false;
  std::unique_ptr<TributaryServer> server_;
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string binary, conninfo, file, engine;
  bool complete = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--binary" && i + 1 < argc) {
      binary = argv[++i];
    } else if (a == "--conninfo" && i + 1 < argc) {
      conninfo = argv[++i];
    } else if (a == "--engine" && i + 1 < argc) {
      engine = argv[++i];
    } else if (a == "--complete") {
      complete = true;
    } else if (!a.empty() && a[0] != '-' && file.empty()) {
      file = a;
    } else {
      file.clear();
      break;
    }
  }
  if (file.empty() || binary.empty() == conninfo.empty()) {
    std::cerr << "usage: slt_runner (--binary TRIBUTARY | --conninfo CONNINFO) [--engine NAME] "
                 "[--complete] FILE.slt\n";
    return 2;
  }
  if (engine.empty()) engine = binary.empty() ? "postgresql" : "tributary";
  try {
    return Runner(file, binary, conninfo, complete).Run(engine);
  } catch (const std::exception& e) {
    std::cerr << file << ": " << e.what() << "\n";
    return 1;
  }
}
