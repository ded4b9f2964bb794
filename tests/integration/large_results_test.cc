// Large results sent as they are made: a lone SELECT of rows of one table or view (no
// ORDER BY, LIMIT or OFFSET), or a COPY TO of one, is read a chunk at a time and each
// chunk's rows go out before the next is read. The server here reads 100 rows per chunk
// (--query-chunk-rows), so that a few thousand rows take many. Checked at the byte level and
// through libpq's single-row mode: every row arrives once, an error after some rows ends the result
// as PostgreSQL ends it, the rows are those of the statement's snapshot however long the client
// takes, and a cancel stops the sending. An extended-protocol Execute of all of a SELECT's
// rows that only a Sync follows is sent the same way.
#include <libpq-fe.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/raw_client.h"
#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

constexpr int kRows = 10000;

TestServer::Options ChunksOf100() {
  TestServer::Options options;
  options.extra_args = {"--query-chunk-rows", "100"};
  return options;
}

// t(a, b, c): a = 1..kRows, b = a % 7, c a 100-character text.
void CreateRows(Connection& c) {
  c.Exec("CREATE TABLE t (a int PRIMARY KEY, b int, c text)");
  c.Exec("INSERT INTO t SELECT i, i % 7, repeat('x', 100) FROM generate_series(1, " +
         std::to_string(kRows) + ") i");
}

// wide(a, c): a = 1..kWideRows, c a 1,000-character text. 50 MB of rows, far more than a
// socket holds: the server is still reading the table when the client has the first row.
constexpr int kWideRows = 50000;

void CreateWideRows(Connection& c) {
  c.Exec("INSERT INTO wide SELECT i, repeat('y', 1000) FROM generate_series(1, " +
         std::to_string(kWideRows) + ") i");
}

void CreateWide(Connection& c) {
  c.Exec("CREATE TABLE wide (a int PRIMARY KEY, c text)");
  CreateWideRows(c);
}

// The startup exchange, up to the first ReadyForQuery.
void StartUp(RawSocket& s) {
  s.Send(Startup());
  s.ReadUntilReady();
}

// A server reading 100 rows per chunk, with t, and a raw session started on it.
struct RowsServer {
  RowsServer() : c(server), s(server.port()) {
    CreateRows(c);
    StartUp(s);
  }

  TestServer server{ChunksOf100()};
  Connection c;
  RawSocket s;
};

// The text of a DataRow's first cell.
std::string FirstCell(const RawSocket::Message& data_row) {
  const std::string& body = data_row.body;
  const uint32_t length = (static_cast<uint8_t>(body[2]) << 24) |
                          (static_cast<uint8_t>(body[3]) << 16) |
                          (static_cast<uint8_t>(body[4]) << 8) | static_cast<uint8_t>(body[5]);
  return body.substr(6, length);
}

// Rows of a query read one at a time (libpq's single-row mode), calling `after_first` once
// the first row is in. Returns the rows' first cells and the final result's SQLSTATE ("" when
// it succeeded).
// With `extended`, the query goes as Parse, Bind, Describe, Execute and Sync.
std::vector<std::string> ReadRowByRow(PGconn* conn, const std::string& sql,
                                      const std::function<void()>& after_first,
                                      std::string* sqlstate, bool extended = false) {
  if (extended) {
    REQUIRE(PQsendQueryParams(conn, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1);
  } else {
    REQUIRE(PQsendQuery(conn, sql.c_str()) == 1);
  }
  REQUIRE(PQsetSingleRowMode(conn) == 1);
  std::vector<std::string> cells;
  sqlstate->clear();
  while (PGresult* r = PQgetResult(conn)) {
    if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
      cells.push_back(PQgetvalue(r, 0, 0));
      if (cells.size() == 1) after_first();
    } else if (PQresultStatus(r) == PGRES_FATAL_ERROR) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      *sqlstate = state ? state : "?";
    }
    PQclear(r);
  }
  return cells;
}

// Reads every row of wide one at a time, in the simple protocol and then in the extended
// one, calling `after_first` once each read has its first row, and `check` with the first
// cells read and the SQLSTATE it ended with.
void ReadWideBothWays(
    Connection& reader, const std::function<void()>& after_first,
    const std::function<void(const std::vector<std::string>&, const std::string&)>& check) {
  for (const bool extended : {false, true}) {
    INFO("extended protocol: " << extended);
    std::string sqlstate;
    std::vector<std::string> cells =
        ReadRowByRow(reader.raw(), "SELECT a, c FROM wide", after_first, &sqlstate, extended);
    check(cells, sqlstate);
  }
}

}  // namespace

TEST_CASE_METHOD(RowsServer, "a large SELECT sends every row once, a chunk at a time",
                 "[large-results]") {
  // The whole table: RowDescription, a DataRow per row in key order, CommandComplete.
  s.Send(Query("SELECT a, c FROM t"));
  std::vector<RawSocket::Message> m = s.ReadUntilReady();
  REQUIRE(m.size() == kRows + 3);
  CHECK(m.front().type == 'T');
  for (int i = 1; i <= kRows; ++i) {
    REQUIRE(m[i].type == 'D');
    CHECK(FirstCell(m[i]) == std::to_string(i));
  }
  CHECK(m[kRows + 1].type == 'C');
  CHECK(m[kRows + 1].body == std::string("SELECT ") + std::to_string(kRows) + '\0');

  // A filter that most chunks fail, and a key range: only their rows, each once.
  CHECK(c.Exec("SELECT a FROM t WHERE b = 3").size() == 1429);  // 3, 10, ... 9998
  CHECK(c.Exec("SELECT a FROM t WHERE a > 9990 AND a % 2 = 0").size() == 5);
  Rows range = c.Exec("SELECT a, b FROM t WHERE a >= 450 AND a < 2650");
  REQUIRE(range.size() == 2200);
  std::set<std::string> seen;
  for (const auto& row : range) seen.insert(row[0]);
  CHECK(seen.size() == 2200);
  CHECK(*seen.begin() == "1000");  // text order: 1000 is in, 449 and 2650 are not
  CHECK(seen.count("449") == 0);
  CHECK(seen.count("2650") == 0);

  // A materialized view's rows go the same way, with their multiplicities.
  c.Exec("CREATE MATERIALIZED VIEW bs AS SELECT b FROM t");
  Rows bs = c.Exec("SELECT b FROM bs");
  CHECK(bs.size() == kRows);
  CHECK(c.Scalar("SELECT count(*) FROM t WHERE b = 0") == "1428");
  int zeros = 0;
  for (const auto& row : bs) zeros += row[0] == "0";
  CHECK(zeros == 1428);

  // What is made whole is unchanged: ORDER BY, LIMIT, aggregates.
  CHECK(c.Scalar("SELECT a FROM t ORDER BY a DESC LIMIT 1") == "10000");
  CHECK(c.Scalar("SELECT sum(a) FROM t") == std::to_string(kRows * (kRows + 1) / 2));
}

TEST_CASE_METHOD(RowsServer,
                 "an error after some rows of a large SELECT ends it as PostgreSQL does",
                 "[large-results]") {
  // 1 / (a - 5000) fails at a = 5000, in the 50th chunk: the 49 chunks before it are out by
  // then, and ErrorResponse takes CommandComplete's place.
  s.Send(Query("SELECT 1 / (a - 5000) FROM t"));
  std::vector<RawSocket::Message> m = s.ReadUntilReady();
  REQUIRE(m.size() == 4900 + 3);
  CHECK(m.front().type == 'T');
  for (int i = 1; i <= 4900; ++i) REQUIRE(m[i].type == 'D');
  CHECK(m[4901].type == 'E');
  CHECK(m[4901].body.find("22012") != std::string::npos);
  CHECK(m[4902].type == 'Z');
  CHECK(m[4902].body == "I");

  // The session goes on.
  s.Send(Query("SELECT count(*) FROM t"));
  m = s.ReadUntilReady();
  CHECK(Types(m) == "TDCZ");
}

TEST_CASE_METHOD(RowsServer, "COPY TO sends a large table's lines as they are made",
                 "[large-results]") {
  // CopyOutResponse, a CopyData per row in key order, CopyDone, CommandComplete.
  s.Send(Query("COPY t (a, b) TO STDOUT"));
  std::vector<RawSocket::Message> m = s.ReadUntilReady();
  REQUIRE(m.size() == kRows + 4);
  CHECK(m.front().type == 'H');
  for (int i = 1; i <= kRows; ++i) {
    REQUIRE(m[i].type == 'd');
    CHECK(m[i].body == std::to_string(i) + '\t' + std::to_string(i % 7) + '\n');
  }
  CHECK(m[kRows + 1].type == 'c');
  CHECK(m[kRows + 2].body == std::string("COPY ") + std::to_string(kRows) + '\0');

  // A failing row ends the COPY with an ErrorResponse after the lines before it, without
  // CopyDone, as PostgreSQL does; the session goes on.
  s.Send(Query("COPY (SELECT 1 / (a - 5000) FROM t) TO STDOUT"));
  m = s.ReadUntilReady();
  REQUIRE(m.size() == 4900 + 3);
  CHECK(m.front().type == 'H');
  for (int i = 1; i <= 4900; ++i) REQUIRE(m[i].type == 'd');
  CHECK(m[4901].type == 'E');
  CHECK(m[4901].body.find("22012") != std::string::npos);
  s.Send(Query("COPY (SELECT a FROM t WHERE a <= 3) TO STDOUT WITH (FORMAT csv, HEADER)"));
  CHECK(Types(s.ReadUntilReady()) == "HddddcCZ");
}

TEST_CASE("a large SELECT's rows are those of its snapshot, however slowly they are read",
          "[large-results]") {
  TestServer server(ChunksOf100());
  Connection c(server);
  CreateWide(c);
  Connection reader(server);
  Connection writer(server);
  // Once the first row is in (most are still to be read from the table), another session
  // deletes every row and adds another: the rows still to come are those the statement
  // began with.
  ReadWideBothWays(
      reader,
      [&] {
        writer.Exec("DELETE FROM wide");
        writer.Exec("INSERT INTO wide VALUES (-1, 'new')");
      },
      [&](const std::vector<std::string>& cells, const std::string& sqlstate) {
        CHECK(sqlstate.empty());
        REQUIRE(cells.size() == kWideRows);
        for (int i = 0; i < kWideRows; ++i) REQUIRE(cells[i] == std::to_string(i + 1));
        CHECK(reader.Scalar("SELECT count(*) FROM wide") == "1");
        writer.Exec("DELETE FROM wide");
        CreateWideRows(writer);
      });
}

TEST_CASE("a cancel stops a large SELECT that is being sent", "[large-results]") {
  TestServer server(ChunksOf100());
  Connection c(server);
  CreateWide(c);
  Connection reader(server);
  ReadWideBothWays(
      reader,
      [&] {
        PGcancel* cancel = PQgetCancel(reader.raw());
        char error[256];
        CHECK(PQcancel(cancel, error, sizeof error) == 1);
        PQfreeCancel(cancel);
      },
      [&](const std::vector<std::string>& cells, const std::string& sqlstate) {
        CHECK(sqlstate == "57014");
        CHECK(cells.size() < kWideRows);
        CHECK(reader.Scalar("SELECT count(*) FROM wide") == std::to_string(kWideRows));
      });
}

// The messages of Parse, Bind (with `formats` for the results), Execute of every row and
// Sync of `sql`.
std::string ExecuteAll(const std::string& sql, const std::vector<int16_t>& formats = {}) {
  return Parse("", sql) + Bind("", "", {}, formats) + Execute("") + Sync();
}

// The big-endian int4 in a DataRow's first cell, sent in binary.
int32_t FirstInt4(const RawSocket::Message& data_row) {
  const std::string cell = FirstCell(data_row);
  REQUIRE(cell.size() == 4);
  uint32_t v = 0;
  for (char byte : cell) v = (v << 8) | static_cast<uint8_t>(byte);
  return static_cast<int32_t>(v);
}

TEST_CASE_METHOD(RowsServer,
                 "an extended-protocol Execute of a large SELECT sends its rows as they are made",
                 "[large-results]") {
  // ParseComplete, BindComplete, a DataRow per row in key order, CommandComplete counting
  // them all.
  s.Send(ExecuteAll("SELECT a, c FROM t"));
  std::vector<RawSocket::Message> m = s.ReadUntilReady();
  REQUIRE(m.size() == kRows + 4);
  CHECK(m[0].type == '1');
  CHECK(m[1].type == '2');
  for (int i = 1; i <= kRows; ++i) {
    REQUIRE(m[i + 1].type == 'D');
    CHECK(FirstCell(m[i + 1]) == std::to_string(i));
  }
  CHECK(m[kRows + 2].body == std::string("SELECT ") + std::to_string(kRows) + '\0');
  CHECK(m[kRows + 3].type == 'Z');

  // Binary results: every chunk's rows are re-encoded, not only the first one's.
  s.Send(ExecuteAll("SELECT a FROM t", {1}));
  m = s.ReadUntilReady();
  REQUIRE(m.size() == kRows + 4);
  for (int i = 1; i <= kRows; ++i) REQUIRE(FirstInt4(m[i + 1]) == i);

  // An error after some rows: the rows before it, then ErrorResponse; the Sync still ends
  // the implicit transaction and the session goes on.
  s.Send(ExecuteAll("SELECT 1 / (a - 5000) FROM t"));
  m = s.ReadUntilReady();
  REQUIRE(m.size() == 2 + 4900 + 2);
  for (int i = 2; i < 4902; ++i) REQUIRE(m[i].type == 'D');
  CHECK(m[4902].type == 'E');
  CHECK(ErrorCode(m[4902]) == "22012");
  CHECK(m[4903].body == "I");
  s.Send(ExecuteAll("SELECT count(*) FROM t"));
  CHECK(Types(s.ReadUntilReady()) == "12DCZ");

  // Fetched a few rows at a time, a portal keeps the rest until Sync, as before.
  s.Send(Parse("", "SELECT a FROM t WHERE a <= 250") + Bind("", "", {}) + Execute("", 200) +
         Execute("", 0) + Execute("", 0) + Sync());
  m = s.ReadUntilReady();
  REQUIRE(m.size() == 2 + 200 + 1 + 50 + 1 + 1 + 1);
  CHECK(m[202].type == 's');
  CHECK(FirstCell(m[203]) == "201");
  CHECK(m[253].body == std::string("SELECT 50") + '\0');
  CHECK(m[254].body == std::string("SELECT 0") + '\0');

  // Two statements before one Sync: each result whole and in order.
  s.Send(Parse("big", "SELECT a FROM t") + Bind("", "big", {}) + Execute("") + Bind("", "big", {}) +
         Execute("") + Sync());
  m = s.ReadUntilReady();
  CHECK(Types(m) == "12" + std::string(kRows, 'D') + "C2" + std::string(kRows, 'D') + "CZ");

  // COPY TO in the extended protocol: its lines as they are made, in key order.
  s.Send(ExecuteAll("COPY (SELECT a FROM t) TO STDOUT"));
  m = s.ReadUntilReady();
  REQUIRE(Types(m) == "12H" + std::string(kRows, 'd') + "cCZ");
  for (int i = 1; i <= kRows; ++i) REQUIRE(m[i + 2].body == std::to_string(i) + '\n');
  CHECK(m[kRows + 4].body == std::string("COPY ") + std::to_string(kRows) + '\0');
}

TEST_CASE("a SELECT that pins its key by literals reads that row, not the table",
          "[large-results]") {
  TestServer server(ChunksOf100());
  Connection c(server);
  CreateRows(c);
  // Literals become parameters of a shared plan (literal_parameters.h); the key they pin
  // must still narrow the read to one row. Read whole, the row a = 8 would fail the filter's
  // first conjunct. (1 / (a - 8) is 0 for a = 5 and 6: integer division.) Twice: parsed,
  // then from the plan cache.
  for (int i = 0; i < 2; ++i) {
    CHECK(c.Scalar("SELECT b FROM t WHERE 1 / (a - 8) < 0 AND a = 7") == "0");
    CHECK(c.Exec("SELECT b FROM t WHERE 1 / (a - 8) < 0 AND a BETWEEN 5 AND 7").size() == 1);
  }
}
