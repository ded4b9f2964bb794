// COPY over the wire against the real binary: libpq's COPY API, psql's \copy, psycopg 3's
// cursor.copy(); a bad row, a duplicate key or CopyFail rejecting the whole COPY with
// nothing applied; views updated by a COPY in one step; and a million-row load.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/test_server.h"
#include "tests/oracle/postgres_cluster.h"

using namespace tributary_it;

namespace {

struct CopyOutcome {
  std::string tag;       // "COPY 3" on success
  std::string sqlstate;  // on error
  std::string message;
  std::string context;
};

std::string Field(PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? v : "";
}

CopyOutcome Outcome(PGresult* r) {
  CopyOutcome out;
  if (PQresultStatus(r) == PGRES_COMMAND_OK) {
    out.tag = PQcmdStatus(r);
  } else {
    out.sqlstate = Field(r, PG_DIAG_SQLSTATE);
    out.message = Field(r, PG_DIAG_MESSAGE_PRIMARY);
    out.context = Field(r, PG_DIAG_CONTEXT);
  }
  return out;
}

// Runs a COPY ... FROM STDIN, sending `chunks` as CopyData messages, then CopyDone (or
// CopyFail with `fail`).
CopyOutcome CopyIn(Connection& c, const std::string& sql, const std::vector<std::string>& chunks,
                   const char* fail = nullptr) {
  PGconn* conn = c.raw();
  PGresult* r = PQexec(conn, sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    CopyOutcome out = Outcome(r);
    PQclear(r);
    return out;
  }
  PQclear(r);
  for (const std::string& chunk : chunks) {
    REQUIRE(PQputCopyData(conn, chunk.data(), static_cast<int>(chunk.size())) == 1);
  }
  REQUIRE(PQputCopyEnd(conn, fail) == 1);
  r = PQgetResult(conn);
  CopyOutcome out = Outcome(r);
  PQclear(r);
  while ((r = PQgetResult(conn)) != nullptr) PQclear(r);
  return out;
}

// The data in `text` split into CopyData messages of `size` bytes.
std::vector<std::string> Chunks(const std::string& text, size_t size) {
  std::vector<std::string> chunks;
  for (size_t i = 0; i < text.size(); i += size) chunks.push_back(text.substr(i, size));
  return chunks;
}

// Runs a COPY ... TO STDOUT and returns everything it sent; `tag` gets its command tag.
std::string CopyOut(Connection& c, const std::string& sql, std::string* tag = nullptr) {
  PGconn* conn = c.raw();
  PGresult* r = PQexec(conn, sql.c_str());
  INFO(sql << ": " << PQresultErrorMessage(r));
  REQUIRE(PQresultStatus(r) == PGRES_COPY_OUT);
  PQclear(r);
  std::string data;
  char* buffer = nullptr;
  int n;
  while ((n = PQgetCopyData(conn, &buffer, 0)) > 0) {
    data.append(buffer, static_cast<size_t>(n));
    PQfreemem(buffer);
  }
  REQUIRE(n == -1);
  r = PQgetResult(conn);
  REQUIRE(PQresultStatus(r) == PGRES_COMMAND_OK);
  if (tag) *tag = PQcmdStatus(r);
  PQclear(r);
  while ((r = PQgetResult(conn)) != nullptr) PQclear(r);
  return data;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("COPY FROM STDIN in text and CSV loads a table and its views", "[copy]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key, name varchar(10), amount numeric(10,2), note text)");
  c.Exec("create materialized view totals as select count(*) as n, sum(amount) as s from t");
  const std::string text = "1\talice\t1.50\t\\N\n2\tbob\t2.25\ttab\\there\n";
  for (size_t size : {size_t{3}, size_t{1000}}) {
    c.Exec("delete from t");
    CopyOutcome out = CopyIn(c, "COPY t FROM STDIN", Chunks(text, size));
    INFO(out.message);
    CHECK(out.tag == "COPY 2");
  }
  CopyOutcome out = CopyIn(c,
                           "copy t (id, name, amount, note) from stdin with csv header",
                           {"id,name,amount,note\n3,\"c,arol\",3.00,\"multi\nline\"\n4,dave,,\"\"\n"});
  INFO(out.message);
  CHECK(out.tag == "COPY 2");
  CHECK_ROWS(c.Exec("select id, name, amount, coalesce(note, 'NULL!') from t order by id"),
             (Rows{{"1", "alice", "1.50", "NULL!"},
                   {"2", "bob", "2.25", "tab\there"},
                   {"3", "c,arol", "3.00", "multi\nline"},
                   {"4", "dave", kNull, ""}}));
  CHECK_ROWS(c.Exec("select n, s from totals"), (Rows{{"4", "6.75"}}));

  std::string tag;
  CHECK(CopyOut(c, "COPY t TO STDOUT", &tag) ==
        "1\talice\t1.50\t\\N\n2\tbob\t2.25\ttab\\there\n3\tc,arol\t3.00\tmulti\\nline\n"
        "4\tdave\t\\N\t\n");
  CHECK(tag == "COPY 4");
  CHECK(CopyOut(c, "COPY (select id, note from t where id > 1 order by id) TO STDOUT "
                   "(FORMAT csv, HEADER)") == "id,note\n2,tab\there\n3,\"multi\nline\"\n4,\"\"\n");
  CHECK(CopyOut(c, "COPY t (name, id) TO STDOUT WITH CSV FORCE QUOTE name DELIMITER '|'") ==
        "\"alice\"|1\n\"bob\"|2\n\"c,arol\"|3\n\"dave\"|4\n");
  // The end marker ends the data; what follows it is ignored.
  out = CopyIn(c, "COPY t (id, name) FROM STDIN", {"5\teve\n\\.\n6\tignored\n"});
  CHECK(out.tag == "COPY 1");
  CHECK(c.Scalar("select count(*) from t") == "5");
}

TEST_CASE("a large COPY reaches its views in slices, and a bad last row undoes it all", "[copy]") {
  // More rows than the writer hands to the views at once (DmlExecutor::kRowsPerPropagation).
  TestServer server;
  Connection c(server);
  c.Exec("create table g (id int primary key, label text)");
  c.Exec("insert into g select i, 'g' || i from generate_series(0, 6) i");
  c.Exec("create table t (id int primary key, gid int, amount int)");
  c.Exec(
      "create materialized view by_label as select g.label, count(*) as n, sum(t.amount) as s "
      "from t join g on t.gid = g.id group by g.label");
  c.Exec("create materialized view amounts as select distinct amount from t");
  std::string text;
  const int rows = 40000;
  for (int i = 1; i <= rows; ++i) {
    text +=
        std::to_string(i) + "\t" + std::to_string(i % 7) + "\t" + std::to_string(i % 500) + "\n";
  }
  CopyOutcome out = CopyIn(c, "COPY t FROM STDIN", Chunks(text, 65536));
  INFO(out.message);
  CHECK(out.tag == "COPY 40000");
  CHECK(c.Scalar("select sum(n) from by_label") == "40000");
  CHECK(c.Scalar("select count(*) from amounts") == "500");
  auto verified = [&](const std::string& view) {
    return c.Exec("VERIFY MATERIALIZED VIEW " + view).at(0).at(0) == "OK";
  };
  CHECK(verified("by_label"));
  CHECK(verified("amounts"));

  // 40,000 new rows, then a duplicate key on the last line: nothing of it stays, in the
  // table or in the views that earlier slices had reached.
  std::string more;
  for (int i = rows + 1; i <= 2 * rows; ++i) more += std::to_string(i) + "\t0\t999\n";
  more += "1\t0\t0\n";
  out = CopyIn(c, "COPY t FROM STDIN", Chunks(more, 65536));
  CHECK(out.sqlstate == "23505");
  CHECK(c.Scalar("select count(*) from t") == "40000");
  CHECK(c.Scalar("select sum(n) from by_label") == "40000");
  CHECK(c.Scalar("select count(*) from amounts where amount = 999") == "0");
  CHECK(verified("by_label"));
}

TEST_CASE("a bad row rejects the whole COPY, naming its line", "[copy]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key, name varchar(3) not null)");
  c.Exec("create materialized view n as select count(*) as n from t");
  c.Exec("insert into t values (100, 'old')");

  CopyOutcome out = CopyIn(c, "COPY t FROM STDIN", Chunks("1\ta\n2\tb\nthree\tc\n4\td\n", 5));
  CHECK(out.sqlstate == "22P02");
  CHECK(out.message == "invalid input syntax for type integer: \"three\"");
  CHECK(out.context == "COPY t, line 3, column id: \"three\"");

  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n2\tb\t9\n"});
  CHECK(out.sqlstate == "22P04");
  CHECK(out.message == "extra data after last expected column");
  CHECK(out.context == "COPY t, line 2: \"2\tb\t9\"");

  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n2\n"});
  CHECK(out.sqlstate == "22P04");
  CHECK(out.message == "missing data for column \"name\"");

  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n2\t\\N\n"});
  CHECK(out.sqlstate == "23502");
  CHECK(out.context == "COPY t, line 2: \"2\t\\N\"");

  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n2\ttoo long\n"});
  CHECK(out.sqlstate == "22001");
  CHECK(out.context == "COPY t, line 2, column name: \"too long\"");

  // Duplicate keys, within the COPY and against the table, are found by the writer.
  out = CopyIn(c, "COPY t FROM STDIN (FORMAT csv)", {"1,a\n2,b\n1,c\n"});
  CHECK(out.sqlstate == "23505");
  CHECK(out.context == "COPY t, line 3");
  out = CopyIn(c, "COPY t FROM STDIN (FORMAT csv, HEADER)", {"id,name\n1,a\n100,b\n"});
  CHECK(out.sqlstate == "23505");
  CHECK(out.message == "duplicate key value violates unique constraint \"t_pkey\"");
  CHECK(out.context == "COPY t, line 3");

  out = CopyIn(c, "COPY t FROM STDIN (FORMAT csv)", {"1,\"unterminated\n"});
  CHECK(out.sqlstate == "22P04");
  CHECK(out.message == "unterminated CSV quoted field");

  // Bytes that are not UTF-8, raw or escaped; the context leaves the line's text out.
  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n2\tb\xff\n"});
  CHECK(out.sqlstate == "22021");
  CHECK(out.message == "invalid byte sequence for encoding \"UTF8\": 0xff");
  CHECK(out.context == "COPY t, line 2");
  out = CopyIn(c, "COPY t FROM STDIN (FORMAT csv)", {"1,\"caf\xe9\"\n"});
  CHECK(out.sqlstate == "22021");
  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\\377\n"});
  CHECK(out.sqlstate == "22021");

  // Nothing of any of them was applied, views included; the session carries on.
  CHECK(c.Exec("select id, name from t") == Rows{{"100", "old"}});
  CHECK(c.Scalar("select n from n") == "1");
  out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n2\tb\n"});
  CHECK(out.tag == "COPY 2");
  CHECK(c.Scalar("select n from n") == "3");
}

TEST_CASE("CopyFail and refused forms of COPY", "[copy]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int, name text)");
  c.Exec("create materialized view v as select count(*) as n from t");

  CopyOutcome out = CopyIn(c, "COPY t FROM STDIN", {"1\ta\n"}, "the client gave up");
  CHECK(out.sqlstate == "57014");
  CHECK(out.message == "COPY from stdin failed: the client gave up");
  CHECK(c.Scalar("select count(*) from t") == "0");

  CHECK(c.ExpectError("COPY t FROM '/etc/passwd'", "0A000") ==
        "COPY FROM a file is not supported: the server does not read or write its own files");
  c.ExpectError("COPY t TO '/tmp/out.txt'", "0A000");
  c.ExpectError("COPY t TO PROGRAM 'cat'", "0A000");
  CHECK(c.ExpectError("COPY t FROM STDIN (FORMAT binary)", "0A000") ==
        "COPY BINARY is not supported");
  c.ExpectError("COPY t TO STDOUT BINARY", "0A000");
  c.ExpectError("COPY nope FROM STDIN", "42P01");
  c.ExpectError("COPY t (nope) FROM STDIN", "42703");
  c.ExpectError("COPY v FROM STDIN", "42809");
  CHECK(c.ExpectError("COPY v TO STDOUT", "42809") ==
        "cannot copy from materialized view \"v\"");
  c.ExpectError("COPY t FROM STDIN (DELIMITER ',', DELIMITER ';')", "42601");
  c.ExpectError("COPY t FROM STDIN; select 1", "0A000");

  // Inside a block: refused, and the block is failed.
  c.Exec("begin");
  std::vector<Result> r = c.ExecAll("COPY t FROM STDIN");
  CHECK(r.back().sqlstate == "0A000");
  r = c.ExecAll("select 1");
  CHECK(r.back().sqlstate == "25P02");
  c.Exec("rollback");
  // COPY TO inside a block reads the block's snapshot.
  c.Exec("begin");
  CHECK(CopyOut(c, "COPY t TO STDOUT").empty());
  c.Exec("commit");

  // The extended protocol: COPY TO works, COPY FROM is refused clearly.
  PGresult* res = PQexecParams(c.raw(), "COPY (select 1, 'x') TO STDOUT", 0, nullptr, nullptr,
                               nullptr, nullptr, 0);
  CHECK(PQresultStatus(res) == PGRES_COPY_OUT);
  PQclear(res);
  char* buffer = nullptr;
  REQUIRE(PQgetCopyData(c.raw(), &buffer, 0) > 0);
  CHECK(std::string(buffer) == "1\tx\n");
  PQfreemem(buffer);
  CHECK(PQgetCopyData(c.raw(), &buffer, 0) == -1);
  while ((res = PQgetResult(c.raw())) != nullptr) PQclear(res);
  res = PQexecParams(c.raw(), "COPY t FROM STDIN", 0, nullptr, nullptr, nullptr, nullptr, 0);
  CHECK(Field(res, PG_DIAG_SQLSTATE) == "0A000");
  PQclear(res);
  CHECK(c.Scalar("select 1") == "1");
}

TEST_CASE("psql backslash-copy both ways", "[copy]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table items (id int primary key, label text, price numeric(8,2))");
  const std::string dir = MakeTempDir("tributary-copy-");
  const std::string in_path = dir + "/in.csv", out_path = dir + "/out.csv";
  const std::string csv = "id,label,price\n1,plain,1.00\n2,\"with, comma\",\n3,\"quote \"\"q\"\"\",3.50\n";
  std::ofstream(in_path) << csv;
  ProcessOutput load = RunProcess({"/usr/bin/psql", server.ConnInfo(), "-X", "-v",
                                   "ON_ERROR_STOP=1", "-c",
                                   "\\copy items from '" + in_path + "' with (format csv, header)"});
  INFO(load.output);
  REQUIRE(load.status.exited);
  CHECK(load.status.code == 0);
  CHECK(load.output.find("COPY 3") != std::string::npos);
  ProcessOutput dump = RunProcess({"/usr/bin/psql", server.ConnInfo(), "-X", "-v",
                                   "ON_ERROR_STOP=1", "-c",
                                   "\\copy items to '" + out_path + "' with csv header"});
  INFO(dump.output);
  CHECK(dump.status.code == 0);
  CHECK(ReadFile(out_path) == csv);
  // A bad file: psql reports the line, nothing is loaded.
  std::ofstream(in_path) << "4,ok,1\n5,bad,notanumber\n";
  ProcessOutput bad = RunProcess({"/usr/bin/psql", server.ConnInfo(), "-X", "-c",
                                  "\\copy items from '" + in_path + "' csv"});
  CHECK(bad.output.find("invalid input syntax for type numeric: \"notanumber\"") !=
        std::string::npos);
  CHECK(bad.output.find("COPY items, line 2, column price: \"notanumber\"") != std::string::npos);
  CHECK(c.Scalar("select count(*) from items") == "3");
}

TEST_CASE("psycopg 3 cursor.copy(): write_row and read back", "[copy]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table people (id int primary key, name text, born date)");
  const std::string script = R"PY(
import sys, datetime, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    cur = conn.cursor()
    with cur.copy("COPY people (id, name, born) FROM STDIN") as copy:
        copy.write_row((1, "tab\there", datetime.date(1990, 5, 17)))
        copy.write_row((2, None, None))
        copy.write_row((3, "back\\slash\nnewline", datetime.date(2000, 1, 1)))
    print("tag", cur.statusmessage)
    with cur.copy("COPY (select id, name, born from people order by id) TO STDOUT") as copy:
        copy.set_types(["int4", "text", "date"])
        for row in copy.rows():
            print("row", repr(row))
    try:
        with cur.copy("COPY people FROM STDIN (FORMAT csv)") as copy:
            copy.write("9,x,2020-01-01\n")
            copy.write("10,y,not a date\n")
    except psycopg.Error as e:
        print("error", e.diag.sqlstate, e.diag.context)
    cur.execute("select count(*) from people")
    print("count", cur.fetchone()[0])
)PY";
  const std::string path = MakeTempDir("tributary-psycopg-") + "/copy_client.py";
  std::ofstream(path) << script;
  ProcessOutput out = RunProcess({"/usr/bin/python3", path, server.ConnInfo()},
                                 std::chrono::seconds(60));
  INFO(out.output);
  CHECK(out.status.code == 0);
  CHECK(out.output.find("tag COPY 3") != std::string::npos);
  CHECK(out.output.find("row (1, 'tab\\there', datetime.date(1990, 5, 17))") != std::string::npos);
  CHECK(out.output.find("row (2, None, None)") != std::string::npos);
  CHECK(out.output.find("row (3, 'back\\\\slash\\nnewline', datetime.date(2000, 1, 1))") !=
        std::string::npos);
  CHECK(out.output.find("error 22007 COPY people, line 2, column born: \"not a date\"") !=
        std::string::npos);
  CHECK(out.output.find("count 3") != std::string::npos);
}

TEST_CASE("a million-row COPY is one step and streams", "[copy]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table big (id bigint primary key, grp int, label text)");
  c.Exec("create materialized view by_grp as select grp, count(*) as n from big group by grp");
  constexpr int kRows = 1000000;
  PGconn* conn = c.raw();
  const auto start = std::chrono::steady_clock::now();
  PGresult* r = PQexec(conn, "COPY big FROM STDIN");
  REQUIRE(PQresultStatus(r) == PGRES_COPY_IN);
  PQclear(r);
  std::string buffer;
  for (int i = 0; i < kRows; ++i) {
    buffer += std::to_string(i) + "\t" + std::to_string(i % 10) + "\tlabel number " +
              std::to_string(i) + "\n";
    if (buffer.size() > 65536 || i == kRows - 1) {
      REQUIRE(PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) == 1);
      buffer.clear();
    }
  }
  REQUIRE(PQputCopyEnd(conn, nullptr) == 1);
  r = PQgetResult(conn);
  CopyOutcome out = Outcome(r);
  PQclear(r);
  while ((r = PQgetResult(conn)) != nullptr) PQclear(r);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(out.message);
  CHECK(out.tag == "COPY 1000000");
  std::cout << "COPY FROM STDIN: " << kRows << " rows in " << seconds << " s = "
            << static_cast<long>(kRows / seconds) << " rows/s" << std::endl;
  CHECK_ROWS(c.Exec("select grp, n from by_grp where grp < 2 order by grp"),
             (Rows{{"0", "100000"}, {"1", "100000"}}));
  const auto out_start = std::chrono::steady_clock::now();
  std::string tag;
  const std::string dumped = CopyOut(c, "COPY big TO STDOUT", &tag);
  const double out_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - out_start).count();
  CHECK(tag == "COPY 1000000");
  CHECK(dumped.rfind("0\t0\tlabel number 0\n", 0) == 0);
  std::cout << "COPY TO STDOUT: " << kRows << " rows in " << out_seconds << " s = "
            << static_cast<long>(kRows / out_seconds) << " rows/s" << std::endl;
}

TEST_CASE("COPY TO matches PostgreSQL 15 byte for byte, and COPY FROM errors match", "[copy]") {
  TestServer server;
  tributary_oracle::PostgresCluster postgres;
  Connection ours(server), theirs(postgres.ConnInfo());
  const std::string ddl =
      "create table mix (id int primary key, big bigint, name text, code varchar(12), "
      "amount numeric(12,3), ok boolean, day date, at timestamp, ratio float8)";
  ours.Exec(ddl);
  theirs.Exec(ddl);
  // Values that exercise every escape and quoting rule.
  const std::vector<std::string> names = {
      "plain", "", "tab\\there", "new\\nline", "back\\\\slash", "comma,here", "quote\"q",
      "apos'trophe", "\\\\.", "\\\\N", "NULL", "  spaced  ", "ünïcødé ✓", "cr\\rhere",
      "pipe|bar", "semi;colon", "\\x41\\101"};
  std::string text;
  for (size_t i = 0; i < 60; ++i) {
    const std::string name = names[i % names.size()];
    text += std::to_string(i) + "\t" + (i % 7 == 0 ? "\\N" : std::to_string(i * 1000003LL - 7)) +
            "\t" + (i % 11 == 5 ? "\\N" : name) + "\t" + (i % 6 == 0 ? "\\N" : "c" + std::to_string(i % 13) + (i % 2 ? ",q" : "")) +
            "\t" + (i % 5 == 0 ? "\\N" : std::to_string(i) + "." + std::to_string(i % 10) + "5") +
            "\t" + (i % 3 == 0 ? "t" : i % 3 == 1 ? "f" : "\\N") + "\t2024-0" +
            std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "\t2024-03-0" +
            std::to_string(1 + i % 9) + " 12:3" + std::to_string(i % 10) + ":00" +
            (i % 2 ? ".25" : "") + "\t" + (i % 4 == 0 ? "\\N" : std::to_string(i) + ".125") + "\n";
  }
  for (Connection* c : {&ours, &theirs}) {
    CopyOutcome out = CopyIn(*c, "COPY mix FROM STDIN", Chunks(text, 97));
    INFO(out.message << " " << out.context);
    REQUIRE(out.tag == "COPY 60");
  }
  const std::vector<std::string> copies = {
      "COPY mix TO STDOUT",
      "COPY mix TO STDOUT (FORMAT csv)",
      "COPY mix TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE *)",
      "COPY mix (name, id, code) TO STDOUT WITH CSV HEADER DELIMITER '|' NULL 'NULL'",
      "COPY mix (id, name) TO STDOUT (FORMAT csv, QUOTE '''', ESCAPE '\\', FORCE_QUOTE (name))",
      "COPY mix TO STDOUT (DELIMITER ';', NULL '<none>', HEADER)",
      "COPY (select name from mix) TO STDOUT (FORMAT csv)",
      "COPY (select id, name || '!' as shout, amount * 2 as twice from mix where id < 30) TO STDOUT",
  };
  // Row order is not part of COPY's contract: compare the sorted lines, and the sizes.
  auto sorted_lines = [](const std::string& data) {
    std::vector<std::string> lines;
    std::stringstream in(data);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  for (const std::string& copy : copies) {
    INFO(copy);
    const std::string a = CopyOut(ours, copy), b = CopyOut(theirs, copy);
    CHECK(sorted_lines(a) == sorted_lines(b));
    CHECK(a.size() == b.size());
  }
  // What PostgreSQL wrote as CSV, both read back into the same table.
  const std::string csv = CopyOut(theirs, "COPY mix TO STDOUT (FORMAT csv, HEADER)");
  for (Connection* c : {&ours, &theirs}) {
    c->Exec("create table mix2 (id int primary key, big bigint, name text, code varchar(12), "
            "amount numeric(12,3), ok boolean, day date, at timestamp, ratio float8)");
    CopyOutcome out =
        CopyIn(*c, "COPY mix2 FROM STDIN (FORMAT csv, HEADER match)", Chunks(csv, 50));
    INFO(out.message << " " << out.context);
    CHECK(out.tag == "COPY 60");
  }
  CHECK(sorted_lines(CopyOut(ours, "COPY mix2 TO STDOUT")) ==
        sorted_lines(CopyOut(theirs, "COPY mix2 TO STDOUT")));

  // The same bad inputs fail the same way on both.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"COPY mix (id, name) FROM STDIN", "1000\ta\n1001\tb\tc\n"},
      {"COPY mix (id, name) FROM STDIN", "1000\ta\n1001\n"},
      {"COPY mix (id, big) FROM STDIN", "1000\t1\n1001\tx\n"},
      {"COPY mix (id, code) FROM STDIN", "1000\tthis is too long\n"},
      {"COPY mix (id, day) FROM STDIN (FORMAT csv)", "1000,2024-13-01\n"},
      {"COPY mix (id, name) FROM STDIN (FORMAT csv)", "1000,\"open\n"},
      {"COPY mix (id, name) FROM STDIN (FORMAT csv, HEADER match)", "id,nome\n"},
      {"COPY mix (id, name) FROM STDIN", "\\N\tx\n"},
      {"COPY mix (id, name) FROM STDIN", "1\tdup\n"},
  };
  for (const auto& [copy, data] : bad) {
    INFO(copy << " with " << data);
    CopyOutcome a = CopyIn(ours, copy, {data}), b = CopyIn(theirs, copy, {data});
    CHECK(a.sqlstate == b.sqlstate);
    CHECK(a.message == b.message);
    CHECK(a.context == b.context);
  }
}

TEST_CASE("pgjdbc CopyManager copyIn and copyOut", "[copy]") {
  TestServer server;
  const std::string classes = MakeTempDir("tributary-jdbc-copy-");
  const std::string jar = "/usr/share/java/postgresql.jar";
  const std::string clients = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/integration/clients";
  ProcessOutput compiled =
      RunProcess({"/usr/bin/javac", "-cp", jar, "-d", classes, clients + "/JdbcCopyClient.java"},
                 std::chrono::seconds(120));
  INFO(compiled.output);
  REQUIRE(compiled.status.code == 0);
  const std::string url = "jdbc:postgresql://127.0.0.1:" + std::to_string(server.port()) +
                          "/tributary?user=tributary";
  ProcessOutput out =
      RunProcess({"/usr/bin/java", "-cp", classes + ":" + jar, "JdbcCopyClient", url},
                 std::chrono::seconds(120));
  INFO(out.output);
  CHECK(out.status.code == 0);
  CHECK(out.output.find("jdbc copy: all checks passed") != std::string::npos);
}
