// COPY's pieces in isolation: option checks, the text and CSV parsers (fed in chunks of
// every size), the batch that holds parsed rows, and the writer. Expected outputs are
// PostgreSQL 15's.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ivm/decimal.h"
#include "ivm/error.h"
#include "server/copy/copy_batch.h"
#include "server/copy/copy_options.h"
#include "server/copy/copy_parser.h"
#include "server/copy/copy_writer.h"
#include "sql/parser.h"

namespace {

using server::CopyFields;
using server::CopyOptions;

sql::CopyStmt ParseCopy(const std::string& text) {
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(text);
  REQUIRE(parsed.size() == 1);
  REQUIRE(std::holds_alternative<sql::CopyStmt>(parsed[0].statement));
  return std::get<sql::CopyStmt>(parsed[0].statement);
}

CopyOptions Options(const std::string& copy) { return server::BindCopyOptions(ParseCopy(copy)); }

// Each row as its fields joined by '|', NULL as <null>, prefixed by the line number.
std::vector<std::string> Parse(const std::string& copy, std::vector<std::string> columns,
                               const std::string& data, size_t chunk = 0) {
  std::vector<std::string> rows;
  server::CopyParser parser(Options(copy), std::move(columns),
                            [&](CopyFields& fields, int64_t line, std::string_view) {
                              std::string row = std::to_string(line) + ":";
                              for (size_t i = 0; i < fields.size(); ++i) {
                                row += (i ? "|" : "") + (fields[i] ? *fields[i] : "<null>");
                              }
                              rows.push_back(row);
                            });
  if (chunk == 0) {
    parser.Feed(data);
  } else {
    for (size_t i = 0; i < data.size(); i += chunk) parser.Feed(data.substr(i, chunk));
  }
  parser.Finish();
  return rows;
}

std::string ErrorOf(const std::string& copy, std::vector<std::string> columns,
                    const std::string& data) {
  try {
    Parse(copy, std::move(columns), data);
  } catch (const ivm::Error& e) {
    return e.sqlstate() + " " + e.message() + " / " + e.context();
  }
  return "no error";
}

using Rows = std::vector<std::string>;

}  // namespace

TEST_CASE("COPY statements parse in both option styles") {
  sql::CopyStmt s = ParseCopy("COPY public.t (a, \"B\") FROM STDIN WITH (FORMAT csv, HEADER match)");
  CHECK(s.table.schema == "public");
  CHECK(s.table.name == "t");
  CHECK(s.columns == std::vector<std::string>{"a", "B"});
  CHECK(s.from);
  CopyOptions o = server::BindCopyOptions(s);
  CHECK(o.csv);
  CHECK(o.header == CopyOptions::Header::kMatch);
  CHECK(o.delimiter == ',');
  CHECK(o.null_string.empty());

  o = Options("copy t from stdin with csv header delimiter as ';' null 'NULL' quote '''' "
              "force not null a, b");
  CHECK(o.csv);
  CHECK(o.header == CopyOptions::Header::kTrue);
  CHECK(o.delimiter == ';');
  CHECK(o.null_string == "NULL");
  CHECK(o.quote == '\'');
  CHECK(o.escape == '\'');
  CHECK(o.force_not_null == std::vector<std::string>{"a", "b"});

  o = Options("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE *, ESCAPE '\\')");
  CHECK(o.force_quote_all);
  CHECK(o.escape == '\\');
  o = Options("COPY (SELECT 1) TO STDOUT CSV FORCE QUOTE a");
  CHECK(o.force_quote == std::vector<std::string>{"a"});
  o = Options("COPY t FROM STDIN");
  CHECK(!o.csv);
  CHECK(o.delimiter == '\t');
  CHECK(o.null_string == "\\N");
}

TEST_CASE("COPY options are checked as PostgreSQL checks them") {
  auto code = [](const std::string& copy) {
    try {
      Options(copy);
    } catch (const ivm::Error& e) {
      return e.sqlstate() + " " + e.message();
    }
    return std::string("ok");
  };
  CHECK(code("COPY t FROM STDIN (FORMAT binary)") == "0A000 COPY BINARY is not supported");
  CHECK(code("COPY t FROM STDIN BINARY") == "0A000 COPY BINARY is not supported");
  CHECK(code("COPY t FROM STDIN (FORMAT xml)") == "22023 COPY format \"xml\" not recognized");
  CHECK(code("COPY t FROM STDIN (DELIMITER ',', DELIMITER ';')") ==
        "42601 conflicting or redundant options");
  CHECK(code("COPY t FROM STDIN (DELIMITER ',,')") ==
        "0A000 COPY delimiter must be a single one-byte character");
  CHECK(code("COPY t FROM STDIN (QUOTE '\"')") == "0A000 COPY quote available only in CSV mode");
  CHECK(code("COPY t FROM STDIN (FORMAT csv, DELIMITER '\"')") ==
        "22023 COPY delimiter and quote must be different");
  CHECK(code("COPY t FROM STDIN (DELIMITER 'a')") == "22023 COPY delimiter cannot be \"a\"");
  CHECK(code("COPY t FROM STDIN (NULL 'a\tb')") ==
        "22023 COPY delimiter must not appear in the NULL specification");
  CHECK(code("COPY t TO STDOUT (HEADER match)") ==
        "0A000 cannot use \"match\" with HEADER in COPY TO");
  CHECK(code("COPY t FROM STDIN (FORMAT csv, FORCE_QUOTE (a))") ==
        "0A000 COPY force quote only available using COPY TO");
  CHECK(code("COPY t TO STDOUT (FORMAT csv, FORCE_NOT_NULL (a))") ==
        "0A000 COPY force not null only available using COPY FROM");
  CHECK(code("COPY t FROM STDIN (FREEZE)") == "42601 option \"freeze\" not recognized");
  CHECK(code("COPY t FROM STDIN (ENCODING 'LATIN1')") ==
        "0A000 COPY ENCODING \"LATIN1\" is not supported");
  CHECK(code("COPY t FROM STDIN (ENCODING 'UTF8')") == "ok");
  CHECK(code("COPY t FROM '/etc/passwd'").rfind("0A000 COPY FROM a file is not supported", 0) ==
        0);
  CHECK(code("COPY t TO PROGRAM 'ls'").rfind("0A000 COPY TO PROGRAM is not supported", 0) == 0);
}

TEST_CASE("COPY text format: escapes, NULL and the end marker") {
  const std::string data =
      "1\tplain\n"
      "2\t\\N\n"
      "3\ttab\\there\\nnewline\\\\backslash\n"
      "4\t\\b\\f\\r\\v\\101\\x41\\x4a\\7\n"
      "5\t\\\\N\n"
      "6\t\n"
      "7\ta\\\tb\n"
      "\\.\n"
      "8\tignored after the end marker\n";
  const Rows expected = {
      "1:1|plain",
      "2:2|<null>",
      "3:3|tab\there\nnewline\\backslash",
      "4:4|\b\f\r\vAAJ\a",
      "5:5|\\N",
      "6:6|",
      "7:7|a\tb",
  };
  for (size_t chunk : {0, 1, 2, 3, 7}) {
    INFO("chunk " << chunk);
    CHECK(Parse("COPY t FROM STDIN", {"a", "b"}, data, chunk) == expected);
  }
  // CRLF line ends, a last line without a newline, an escaped newline inside a field.
  CHECK(Parse("COPY t FROM STDIN", {"a", "b"}, "1\tx\r\n2\ty\\\nz") ==
        Rows{"1:1|x", "2:2|y\nz"});
  CHECK(Parse("COPY t FROM STDIN (DELIMITER '|', NULL '')", {"a", "b", "c"}, "1||\\|\n") ==
        Rows{"1:1|<null>||"});
  CHECK(Parse("COPY t FROM STDIN (HEADER)", {"a"}, "a\n1\n") == Rows{"2:1"});
}

TEST_CASE("COPY CSV format: quoting, quoted newlines, quoted empty versus NULL") {
  const std::string data =
      "1,plain,\n"
      "2,\"\",\"\"\n"
      "3,\"a,b\",\"say \"\"hi\"\"\"\n"
      "4,\"two\nlines\",x\n"
      "5,  spaced  ,\"\\N\"\n"
      "\\.\n"
      "6,after,end\n";
  const Rows expected = {
      "1:1|plain|<null>",
      "2:2||",
      "3:3|a,b|say \"hi\"",
      "4:4|two\nlines|x",
      "5:5|  spaced  |\\N",
  };
  for (size_t chunk : {0, 1, 2, 5}) {
    INFO("chunk " << chunk);
    CHECK(Parse("COPY t FROM STDIN (FORMAT csv)", {"a", "b", "c"}, data, chunk) == expected);
  }
  CHECK(Parse("COPY t FROM STDIN (FORMAT csv, ESCAPE '\\')", {"a"}, "\"a\\\"b\\\\c\"\n") ==
        Rows{"1:a\"b\\c"});
  CHECK(Parse("COPY t FROM STDIN (FORMAT csv, HEADER match)", {"a", "b"}, "a,b\n1,2\n") ==
        Rows{"2:1|2"});
  CHECK(Parse("COPY t FROM STDIN (FORMAT csv, FORCE_NOT_NULL (b), FORCE_NULL (c))",
              {"a", "b", "c"}, "1,,\"\"\n") == Rows{"1:1||<null>"});
  CHECK(Parse("COPY t FROM STDIN WITH CSV NULL 'NA'", {"a", "b"}, "NA,\"NA\"\n") ==
        Rows{"1:<null>|NA"});
}

TEST_CASE("COPY input errors name the line, as PostgreSQL's do") {
  CHECK(ErrorOf("COPY t FROM STDIN", {"a", "b"}, "1\t2\n3\t4\t5\n") ==
        "22P04 extra data after last expected column / line 2: \"3\t4\t5\"");
  CHECK(ErrorOf("COPY t FROM STDIN", {"a", "b"}, "1\t2\n3\n") ==
        "22P04 missing data for column \"b\" / line 2: \"3\"");
  CHECK(ErrorOf("COPY t FROM STDIN (FORMAT csv)", {"a", "b"}, "1,2\n3,\"open\n") ==
        "22P04 unterminated CSV quoted field / line 2: \"3,\"open\n\"");
  CHECK(ErrorOf("COPY t FROM STDIN (FORMAT csv, HEADER match)", {"a", "b"}, "a,c\n") ==
        "22P04 column name mismatch in header line field 2: got \"c\", expected \"b\" / line 1: "
        "\"a,c\"");
  CHECK(ErrorOf("COPY t FROM STDIN (FORMAT csv, HEADER match)", {"a", "b"}, "a\n") ==
        "22P04 wrong number of fields in header line: got 1, expected 2 / line 1: \"a\"");
  CHECK(ErrorOf("COPY t FROM STDIN", {"a"}, "\\377\n") ==
        "22021 invalid byte sequence for encoding \"UTF8\": 0xff / line 1: \"\\377\"");
  CHECK(ErrorOf("COPY t FROM STDIN", {"a"}, "a\rb\n") ==
        "22P04 literal carriage return found in data / line 1: \"a\rb\"");
  CHECK(ErrorOf("COPY t FROM STDIN (FORMAT csv, FORCE_NULL (z))", {"a"}, "") ==
        "42P10 FORCE_NULL column \"z\" not referenced by COPY / ");
  // Long lines are cut at 100 bytes in the context.
  const std::string err = ErrorOf("COPY t FROM STDIN", {"a"}, std::string(300, 'x') + "\ty\n");
  CHECK(err == "22P04 extra data after last expected column / line 1: \"" + std::string(100, 'x') +
                   "...\"");
}

TEST_CASE("a COPY batch gives back its rows and their lines in order, across its blocks") {
  // Row i: (i, text, numeric with its scale, NULL bigint, bool). Row 500 holds 3 MiB of
  // text, more than a block; the others 100 bytes, 40,000 of them several blocks.
  auto make = [](int i) {
    const size_t text = i == 500 ? 3u << 20 : 100;
    return ivm::Row{ivm::Value::Int32(i), ivm::Value::Text(std::string(text, 'a' + i % 26)),
                    ivm::Value::Numeric(ivm::Decimal::Parse(std::to_string(i) + ".50")),
                    ivm::Value::Null(ivm::TypeId::kInt64), ivm::Value::Bool(i % 2 == 0)};
  };
  constexpr int kCount = 40000;
  server::CopyBatch batch;
  for (int i = 0; i < kCount; ++i) batch.Append(make(i), 2 * i + 1);
  CHECK(batch.size() == kCount);
  ivm::Row row;
  int64_t line = 0;
  for (int i = 0; i < kCount; ++i) {
    REQUIRE(batch.TakeNext(&row, &line));
    REQUIRE(line == 2 * i + 1);
    const ivm::Row expected = make(i);
    REQUIRE(row.size() == expected.size());
    for (size_t c = 0; c < row.size(); ++c) {
      REQUIRE(row[c].type() == expected[c].type());
      REQUIRE(row[c].is_null() == expected[c].is_null());
      if (!row[c].is_null()) REQUIRE(row[c].ToText() == expected[c].ToText());  // "7.50"
    }
  }
  CHECK_FALSE(batch.TakeNext(&row, &line));
  CHECK_FALSE(batch.TakeNext(&row, &line));
  CHECK(batch.size() == kCount);

  server::CopyBatch failed;
  failed.Append(make(1), 1);
  failed.Clear();
  CHECK(failed.size() == 0);
  CHECK_FALSE(failed.TakeNext(&row, &line));
  CHECK_FALSE(server::CopyBatch().TakeNext(&row, &line));
}

TEST_CASE("COPY TO formats text and CSV as PostgreSQL does") {
  using Cells = std::vector<std::optional<std::string>>;
  auto format = [](const std::string& copy, const Cells& cells, std::vector<bool> force = {}) {
    server::CopyWriter writer(Options(copy), std::move(force));
    std::string out;
    writer.AppendRow(cells, &out);
    return out;
  };
  CHECK(format("COPY t TO STDOUT", {"a\tb\nc\\d\re\bf\fg\vh", std::nullopt, ""}) ==
        "a\\tb\\nc\\\\d\\re\\bf\\fg\\vh\t\\N\t\n");
  CHECK(format("COPY t TO STDOUT (DELIMITER '|')", {"a|b", "\x01"}) == "a\\|b|\x01\n");
  CHECK(format("COPY t TO STDOUT (FORMAT csv)", {"plain", "", std::nullopt, "a,b", "q\"q", "n\nl"}) ==
        "plain,\"\",,\"a,b\",\"q\"\"q\",\"n\nl\"\n");
  CHECK(format("COPY t TO STDOUT (FORMAT csv)", {"\\."}) == "\"\\.\"\n");
  CHECK(format("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE *)", {"a", std::nullopt}) ==
        "\"a\",\n");
  CHECK(format("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE (b))", {"a", "b"}, {false, true}) ==
        "a,\"b\"\n");
  CHECK(format("COPY t TO STDOUT (FORMAT csv, NULL 'NA', ESCAPE '\\')", {"NA", "x\"y\\"}) ==
        "\"NA\",\"x\\\"y\\\\\"\n");
  // What the writer writes, the parser reads back.
  for (const std::string copy : {"COPY t FROM STDIN", "COPY t FROM STDIN (FORMAT csv)"}) {
    const Cells cells = {"a\tb\nc\\d,\"e", std::nullopt, "", "\\N"};
    server::CopyWriter writer(Options(copy), {});
    std::string out;
    writer.AppendRow(cells, &out);
    server::CopyParser parser(Options(copy), {"a", "b", "c", "d"},
                              [&](CopyFields& fields, int64_t, std::string_view) {
                                CHECK(fields == cells);
                              });
    parser.Feed(out);
    parser.Finish();
  }
}
