// The extended query protocol against the real binary: libpq's prepared statements, typed
// and inferred parameters, binary parameters and results, pipeline mode, and (at the byte
// level) Execute with a row limit, PortalSuspended and discard-until-Sync after an error.
#include <arpa/inet.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/integration/raw_client.h"
#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

constexpr Oid kInt4 = 23, kInt8 = 20, kText = 25, kNumeric = 1700, kFloat8 = 701, kBool = 16,
              kDate = 1082, kTimestamp = 1114, kVarchar = 1043;

// A PGresult freed on scope exit.
struct PgResult {
  PGresult* r;
  explicit PgResult(PGresult* result) : r(result) {}
  ~PgResult() { PQclear(r); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ExecStatusType status() const { return PQresultStatus(r); }
  std::string sqlstate() const {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }
  std::string cell(int row, int col) const { return PQgetvalue(r, row, col); }
  std::string bytes(int row, int col) const {
    return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
  }
};

std::string BigEndian(uint64_t v, int bytes) {
  std::string s(static_cast<size_t>(bytes), '\0');
  for (int i = 0; i < bytes; ++i) s[i] = static_cast<char>(v >> (8 * (bytes - 1 - i)));
  return s;
}

void CreateItems(Connection& c) {
  c.Exec(
      "create table items (id int primary key, name varchar(20), price numeric(10,2), "
      "weight double precision, born date, seen timestamp, ok boolean, big bigint)");
}

}  // namespace

TEST_CASE("prepared statements infer parameter types and run many times", "[extended]") {
  TestServer server;
  Connection c(server);
  CreateItems(c);
  PGconn* conn = c.raw();

  PgResult prep(PQprepare(conn, "ins",
                          "insert into items (id, name, price, weight, born, seen, ok, big) "
                          "values ($1, $2, $3, $4, $5, $6, $7, $8)",
                          0, nullptr));
  REQUIRE(prep.status() == PGRES_COMMAND_OK);
  PgResult described(PQdescribePrepared(conn, "ins"));
  REQUIRE(described.status() == PGRES_COMMAND_OK);
  REQUIRE(PQnparams(described.r) == 8);
  CHECK(PQparamtype(described.r, 0) == kInt4);
  CHECK(PQparamtype(described.r, 1) == kVarchar);
  CHECK(PQparamtype(described.r, 2) == kNumeric);
  CHECK(PQparamtype(described.r, 3) == kFloat8);
  CHECK(PQparamtype(described.r, 4) == kDate);
  CHECK(PQparamtype(described.r, 5) == kTimestamp);
  CHECK(PQparamtype(described.r, 6) == kBool);
  CHECK(PQparamtype(described.r, 7) == kInt8);
  CHECK(PQnfields(described.r) == 0);  // NoData

  for (int i = 1; i <= 50; ++i) {
    const std::string id = std::to_string(i), price = std::to_string(i) + ".50";
    const char* values[8] = {id.c_str(), "widget", price.c_str(), "0.25", "2024-02-29",
                             "2024-02-29 12:34:56.5", i % 2 ? "t" : "f", "9000000000"};
    PgResult r(PQexecPrepared(conn, "ins", 8, values, nullptr, nullptr, 0));
    REQUIRE(r.status() == PGRES_COMMAND_OK);
    CHECK(std::string(PQcmdStatus(r.r)) == "INSERT 0 1");
  }
  // A NULL parameter.
  {
    const char* values[8] = {"51", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    PgResult r(PQexecPrepared(conn, "ins", 8, values, nullptr, nullptr, 0));
    REQUIRE(r.status() == PGRES_COMMAND_OK);
  }
  CHECK(c.Scalar("select count(*) from items") == "51");
  CHECK(c.Scalar("select count(*) from items where name is null") == "1");

  PgResult sel(PQprepare(conn, "one", "select name, price, ok from items where id = $1", 0,
                         nullptr));
  REQUIRE(sel.status() == PGRES_COMMAND_OK);
  PgResult seldesc(PQdescribePrepared(conn, "one"));
  REQUIRE(PQnparams(seldesc.r) == 1);
  CHECK(PQparamtype(seldesc.r, 0) == kInt4);
  REQUIRE(PQnfields(seldesc.r) == 3);
  CHECK(std::string(PQfname(seldesc.r, 1)) == "price");
  CHECK(PQftype(seldesc.r, 1) == kNumeric);
  for (int i = 1; i <= 50; ++i) {
    const std::string id = std::to_string(i);
    const char* values[1] = {id.c_str()};
    PgResult r(PQexecPrepared(conn, "one", 1, values, nullptr, nullptr, 0));
    REQUIRE(r.status() == PGRES_TUPLES_OK);
    REQUIRE(PQntuples(r.r) == 1);
    CHECK(r.cell(0, 1) == std::to_string(i) + ".50");
    CHECK(r.cell(0, 2) == (i % 2 ? "t" : "f"));
  }
  // Updates and deletes through parameters.
  {
    const char* values[2] = {"99.99", "7"};
    PgResult r(PQexecParams(conn, "update items set price = $1 where id = $2", 2, nullptr,
                            values, nullptr, nullptr, 0));
    REQUIRE(r.status() == PGRES_COMMAND_OK);
    CHECK(std::string(PQcmdStatus(r.r)) == "UPDATE 1");
  }
  CHECK(c.Scalar("select price from items where id = 7") == "99.99");
  {
    const char* values[1] = {"10"};
    PgResult r(PQexecParams(conn, "delete from items where id > $1", 1, nullptr, values, nullptr,
                            nullptr, 0));
    CHECK(std::string(PQcmdStatus(r.r)) == "DELETE 41");
  }
  // Declared types win over inference: $1 as text, compared with a cast.
  {
    const Oid types[1] = {kText};
    const char* values[1] = {"3"};
    PgResult r(PQexecParams(conn, "select count(*) from items where id::text = $1", 1, types,
                            values, nullptr, nullptr, 0));
    REQUIRE(r.status() == PGRES_TUPLES_OK);
    CHECK(r.cell(0, 0) == "1");
  }
  // The same parameter used twice, and a parameter in the select list.
  {
    const char* values[1] = {"5"};
    PgResult r(PQexecParams(conn, "select $1::int + 1, count(*) from items where id < $1", 1,
                            nullptr, values, nullptr, nullptr, 0));
    REQUIRE(r.status() == PGRES_TUPLES_OK);
    CHECK(r.cell(0, 0) == "6");
    CHECK(r.cell(0, 1) == "4");
  }
}

TEST_CASE("binary parameters and binary results use PostgreSQL's formats", "[extended]") {
  TestServer server;
  Connection c(server);
  CreateItems(c);
  c.Exec(
      "insert into items values (1, 'abc', -1234.56, 1.5, '2000-01-02', '2000-01-01 00:00:01', "
      "true, -2)");
  PGconn* conn = c.raw();

  // Results in binary.
  PgResult r(PQexecParams(conn,
                          "select id, name, price, weight, born, seen, ok, big, "
                          "interval '1 day 2 hours' from items",
                          0, nullptr, nullptr, nullptr, nullptr, 1));
  REQUIRE(r.status() == PGRES_TUPLES_OK);
  REQUIRE(PQntuples(r.r) == 1);
  for (int col = 0; col < PQnfields(r.r); ++col) CHECK(PQfformat(r.r, col) == 1);
  CHECK(r.bytes(0, 0) == BigEndian(1, 4));
  CHECK(r.bytes(0, 1) == "abc");
  // numeric -1234.56 as PostgreSQL sends it: ndigits 2, weight 0, sign 0x4000, dscale 2,
  // base-10000 digits 1234 5600.
  CHECK(r.bytes(0, 2) == BigEndian(2, 2) + BigEndian(0, 2) + BigEndian(0x4000, 2) +
                             BigEndian(2, 2) + BigEndian(1234, 2) + BigEndian(5600, 2));
  double weight = 1.5;
  uint64_t weight_bits;
  std::memcpy(&weight_bits, &weight, 8);
  CHECK(r.bytes(0, 3) == BigEndian(weight_bits, 8));
  CHECK(r.bytes(0, 4) == BigEndian(1, 4));        // days since 2000-01-01
  CHECK(r.bytes(0, 5) == BigEndian(1000000, 8));  // microseconds since 2000-01-01
  CHECK(r.bytes(0, 6) == std::string(1, '\1'));
  CHECK(r.bytes(0, 7) == BigEndian(static_cast<uint64_t>(-2), 8));
  CHECK(r.bytes(0, 8) == BigEndian(7200000000ULL, 8) + BigEndian(1, 4) + BigEndian(0, 4));

  // Parameters in binary: int4, float8, numeric 0.01 (ndigits 1, weight -1, dscale 2, 100).
  const std::string id = BigEndian(2, 4);
  double w = -0.125;
  uint64_t w_bits;
  std::memcpy(&w_bits, &w, 8);
  const std::string wb = BigEndian(w_bits, 8);
  const std::string price = BigEndian(1, 2) + BigEndian(static_cast<uint16_t>(-1), 2) +
                            BigEndian(0, 2) + BigEndian(2, 2) + BigEndian(100, 2);
  const Oid types[3] = {kInt4, kFloat8, kNumeric};
  const char* values[3] = {id.data(), wb.data(), price.data()};
  const int lengths[3] = {4, 8, static_cast<int>(price.size())};
  const int formats[3] = {1, 1, 1};
  PgResult ins(PQexecParams(conn, "insert into items (id, weight, price) values ($1, $2, $3)", 3,
                            types, values, lengths, formats, 0));
  REQUIRE(ins.status() == PGRES_COMMAND_OK);
  CHECK(c.Exec("select weight, price from items where id = 2") == Rows{{"-0.125", "0.01"}});

  // A wrong-length binary int4 is 22P03, and the session goes on.
  const char* bad[1] = {"\1\2"};
  const int bad_length[1] = {2};
  const int bad_format[1] = {1};
  const Oid int4[1] = {kInt4};
  PgResult err(PQexecParams(conn, "select $1", 1, int4, bad, bad_length, bad_format, 0));
  CHECK(err.sqlstate() == "22P03");
  CHECK(c.Scalar("select count(*) from items") == "2");
}

TEST_CASE("extended-protocol errors name the problem and leave the session usable",
          "[extended]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key, v text)");
  PGconn* conn = c.raw();
  {
    PgResult r(PQprepare(conn, "bad", "selec 1", 0, nullptr));
    CHECK(r.sqlstate() == "42601");
  }
  {
    PgResult r(PQprepare(conn, "missing", "select * from nowhere where id = $1", 0, nullptr));
    CHECK(r.sqlstate() == "42P01");
  }
  {
    PgResult r(PQprepare(conn, "two", "select 1; select 2", 0, nullptr));
    CHECK(r.sqlstate() == "42601");
  }
  {
    PgResult ok(PQprepare(conn, "p", "select v from t where id = $1", 0, nullptr));
    REQUIRE(ok.status() == PGRES_COMMAND_OK);
    PgResult dup(PQprepare(conn, "p", "select 1", 0, nullptr));
    CHECK(dup.sqlstate() == "42P05");
    const char* values[1] = {"not a number"};
    PgResult bad_value(PQexecPrepared(conn, "p", 1, values, nullptr, nullptr, 0));
    CHECK(bad_value.sqlstate() == "22P02");
    PgResult no_stmt(PQexecPrepared(conn, "nope", 0, nullptr, nullptr, nullptr, 0));
    CHECK(no_stmt.sqlstate() == "26000");
  }
  {
    const char* values[1] = {"1"};
    PgResult r(PQexecParams(conn, "insert into t values ($1, 'a')", 1, nullptr, values, nullptr,
                            nullptr, 0));
    REQUIRE(r.status() == PGRES_COMMAND_OK);
    PgResult dup(PQexecParams(conn, "insert into t values ($1, 'a')", 1, nullptr, values,
                              nullptr, nullptr, 0));
    CHECK(dup.sqlstate() == "23505");
  }
  {
    // A text parameter that is not UTF-8, in text and in binary format.
    const char* values[2] = {"2", "caf\xe9"};
    const int formats[2] = {0, 0};
    PgResult text(PQexecParams(conn, "insert into t values ($1, $2)", 2, nullptr, values, nullptr,
                               formats, 0));
    CHECK(text.sqlstate() == "22021");
    const Oid types[2] = {23, 25};  // int4, text
    const uint32_t id = htonl(3);
    const char* binary_values[2] = {reinterpret_cast<const char*>(&id), "\xff"};
    const int lengths[2] = {4, 1};
    const int binary[2] = {1, 1};
    PgResult bin(PQexecParams(conn, "insert into t values ($1, $2)", 2, types, binary_values,
                              lengths, binary, 0));
    CHECK(bin.sqlstate() == "22021");
  }
  CHECK(c.Scalar("select count(*) from t") == "1");
}

TEST_CASE("a parameter stored into a column is checked as the column's value, not cut to fit",
          "[extended]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key, name varchar(5), code char(3), n numeric(5,2))");
  c.Exec("insert into t values (1, 'a', 'b', 1)");
  PGconn* conn = c.raw();
  auto run = [&](const char* sql, std::vector<const char*> values) {
    PgResult r(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                            nullptr, nullptr, 0));
    return r.status() == PGRES_COMMAND_OK ? std::string("ok") : r.sqlstate();
  };
  // PostgreSQL types these parameters varchar, bpchar and numeric, without the column's
  // length or precision; storing them is an assignment, which refuses what does not fit.
  CHECK(run("update t set name = $1 where id = 1", {"toolong"}) == "22001");
  CHECK(run("update t set code = $1 where id = 1", {"toolong"}) == "22001");
  CHECK(run("update t set n = $1 where id = 1", {"1000"}) == "22003");
  CHECK(run("insert into t values ($1, $2, 'x', 1)", {"2", "abcdefg"}) == "22001");
  // What fits is stored as the column says (rounded; char(3) pads, and || drops the pad).
  CHECK(run("update t set code = $1, n = $2 where id = 1", {"ab", "1.239"}) == "ok");
  CHECK(c.Scalar("select name || '|' || code || '|' || n from t") == "a|ab|1.24");
  // A compared parameter is not cut to the column's length either.
  c.Exec("update t set name = 'abcde' where id = 1");
  const char* longer[1] = {"abcdefg"};
  PgResult r(PQexecParams(conn, "select id from t where name = $1", 1, nullptr, longer, nullptr,
                          nullptr, 0));
  REQUIRE(r.status() == PGRES_TUPLES_OK);
  CHECK(PQntuples(r.r) == 0);
}

TEST_CASE("libpq pipeline mode: results in order, an error aborts the rest until sync",
          "[extended]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key)");
  PGconn* conn = c.raw();
  REQUIRE(PQenterPipelineMode(conn) == 1);
  const char* one[1] = {"1"};
  const char* two[1] = {"2"};
  REQUIRE(PQsendQueryParams(conn, "insert into t values ($1)", 1, nullptr, one, nullptr, nullptr,
                            0) == 1);
  REQUIRE(PQsendQueryParams(conn, "insert into t values ($1)", 1, nullptr, one, nullptr, nullptr,
                            0) == 1);  // duplicate key
  REQUIRE(PQsendQueryParams(conn, "insert into t values ($1)", 1, nullptr, two, nullptr, nullptr,
                            0) == 1);  // skipped
  REQUIRE(PQpipelineSync(conn) == 1);
  REQUIRE(PQsendQueryParams(conn, "select count(*) from t", 0, nullptr, nullptr, nullptr, nullptr,
                            0) == 1);
  REQUIRE(PQpipelineSync(conn) == 1);

  std::vector<ExecStatusType> statuses;
  std::string count;
  int syncs = 0;
  while (syncs < 2) {
    PGresult* r = PQgetResult(conn);
    if (!r) continue;  // the end of one query's results
    statuses.push_back(PQresultStatus(r));
    if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) ++syncs;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) count = PQgetvalue(r, 0, 0);
    PQclear(r);
  }
  REQUIRE(PQexitPipelineMode(conn) == 1);
  CHECK(statuses == std::vector<ExecStatusType>{PGRES_COMMAND_OK, PGRES_FATAL_ERROR,
                                                PGRES_PIPELINE_ABORTED, PGRES_PIPELINE_SYNC,
                                                PGRES_TUPLES_OK, PGRES_PIPELINE_SYNC});
  // Outside a transaction block each Execute commits on its own: the first insert stays.
  CHECK(count == "1");
}

TEST_CASE("Execute with a row limit suspends the portal, and errors discard until Sync",
          "[extended]") {
  TestServer server;
  Connection c(server);
  c.Exec("create table t (id int primary key)");
  c.Exec("insert into t values (1), (2), (3), (4), (5)");

  RawSocket s(server.port());
  REQUIRE(s.Send(Startup()));
  s.ReadUntilReady();
  REQUIRE(s.Send(Parse("", "select id from t order by id") + Bind("", "", {}) +
                 Describe('P', "") + Execute("", 2) + Execute("", 2) + Execute("", 2) + Sync()));
  std::vector<RawSocket::Message> m = s.ReadUntilReady();
  CHECK(Types(m) == "12TDDsDDsDCZ");
  CHECK(m.back().body == "I");

  // A Sync outside a transaction block ends the implicit transaction, and its portals with
  // it, as in PostgreSQL: a portal left suspended is gone after it. In a block it lives on.
  REQUIRE(s.Send(Bind("", "", {}) + Execute("", 2) + Sync() + Execute("", 2) + Sync()));
  m = s.ReadUntilReady(2);
  CHECK(Types(m) == "2DDsZEZ");
  CHECK(ErrorCode(m[5]) == "34000");
  REQUIRE(s.Send(Query("begin")));
  s.ReadUntilReady();
  REQUIRE(s.Send(Bind("", "", {}) + Execute("", 2) + Sync() + Execute("", 2) + Sync()));
  m = s.ReadUntilReady(2);
  CHECK(Types(m) == "2DDsZDDsZ");
  CHECK(m.back().body == "T");
  REQUIRE(s.Send(Query("commit")));
  s.ReadUntilReady();

  // An error in Bind: Execute is skipped, Sync answers; the next pipeline works.
  REQUIRE(s.Send(Parse("q", "select id from t where id = $1") + Bind("", "q", {"x"}) +
                 Execute("") + Sync() + Bind("", "q", {"3"}) + Execute("") + Sync()));
  m = s.ReadUntilReady(2);
  CHECK(Types(m) == "1EZ2DCZ");
  CHECK(ErrorCode(m[1]) == "22P02");

  // Describe of a statement: ParameterDescription then RowDescription; Close; Flush answers
  // without a Sync.
  REQUIRE(s.Send(Describe('S', "q") + Close('S', "q") + Flush()));
  bool closed = false;
  std::string flushed = s.ReadUntilClosed(std::chrono::milliseconds(300), &closed);
  CHECK(!closed);
  REQUIRE(flushed.size() > 3);
  CHECK(flushed[0] == 't');
  REQUIRE(s.Send(Sync() + Bind("", "q", {}) + Sync()));
  m = s.ReadUntilReady(2);
  CHECK(Types(m) == "ZEZ");
  CHECK(ErrorCode(m[1]) == "26000");

  // A malformed Bind (a parameter length past the end) is a protocol violation: FATAL.
  REQUIRE(s.Send(std::string("B") + Int32(14) + std::string("\0\0", 2) + Int16(0) + Int16(1) +
                 Int32(100)));
  std::string rest = s.ReadUntilClosed(std::chrono::seconds(5), &closed);
  CHECK(closed);
  CHECK(rest.find("08P01") != std::string::npos);
  CHECK(c.Scalar("select count(*) from t") == "5");
}

namespace {

// Runs prepared `name` with `values`; returns its command tag, or "ERROR <sqlstate>".
std::string RunPrepared(PGconn* conn, const char* name, std::vector<std::string> values) {
  std::vector<const char*> pointers;
  for (const std::string& v : values) pointers.push_back(v.c_str());
  PGresult* r = PQexecPrepared(conn, name, static_cast<int>(pointers.size()), pointers.data(),
                               nullptr, nullptr, 0);
  std::string outcome = PQresultStatus(r) == PGRES_COMMAND_OK
                            ? PQcmdStatus(r)
                            : "ERROR " + std::string(PQresultErrorField(r, PG_DIAG_SQLSTATE)
                                                         ? PQresultErrorField(r, PG_DIAG_SQLSTATE)
                                                         : "");
  PQclear(r);
  return outcome;
}

bool Prepare(PGconn* conn, const char* name, const char* sql) {
  PGresult* r = PQprepare(conn, name, sql, 0, nullptr);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  return ok;
}

}  // namespace

TEST_CASE("prepared writes with synchronous_commit off answer as on the writer", "[extended]") {
  // Such writes run from the connection's I/O thread: in place when the writer is idle and
  // nothing overlaps, otherwise queued and finished on the pool. Four sessions at once mix
  // both, with errors, and the tables and the view must come out as if run one by one.
  TestServer server;
  {
    Connection c(server);
    c.Exec("create table accounts (aid int primary key, bid int, abalance int)");
    c.Exec("insert into accounts select i, i % 10, 0 from generate_series(0, 399) i");
    c.Exec(
        "create materialized view branch_totals as select bid, count(*) as n, sum(abalance) as "
        "total from accounts group by bid");
  }
  constexpr int kClients = 4, kRounds = 150;
  std::vector<std::vector<std::string>> problems(kClients);
  CHECK(
      RunClients(server, kClients, [&](int t, PGconn* conn) {
        auto expect = [&](const std::string& got, const std::string& want,
                          const std::string& what) {
          if (got != want) problems[t].push_back(what + ": " + got + " instead of " + want);
        };
        PGresult* set = PQexec(conn, "set synchronous_commit = off");
        PQclear(set);
        if (!Prepare(conn, "bump", "update accounts set abalance = abalance + $1 where aid = $2") ||
            !Prepare(conn, "add", "insert into accounts values ($1, $2, $3)") ||
            !Prepare(conn, "drop", "delete from accounts where aid = $1") ||
            !Prepare(conn, "branch",
                     "update accounts set abalance = abalance + 0 where bid = $1")) {
          problems[t].push_back("prepare failed");
          return;
        }
        for (int i = 0; i < kRounds; ++i) {
          const std::string aid = std::to_string(t * 100 + i % 100);
          expect(RunPrepared(conn, "bump", {"1", aid}), "UPDATE 1", "bump " + aid);
          if (i % 10 == 0) {
            const std::string extra = std::to_string(1000 + t * 1000 + i);
            expect(RunPrepared(conn, "add", {extra, std::to_string(t), "5"}), "INSERT 0 1",
                   "add " + extra);
            expect(RunPrepared(conn, "add", {extra, "0", "0"}), "ERROR 23505", "add again");
            expect(RunPrepared(conn, "drop", {extra}), "DELETE 1", "drop " + extra);
          }
          if (i % 25 == 0) {  // a write over many rows: never in place
            expect(RunPrepared(conn, "branch", {std::to_string(t)}), "UPDATE 40", "branch");
          }
        }
      }) == 0);
  for (int t = 0; t < kClients; ++t) {
    INFO("client " << t);
    CHECK(problems[t].empty());
    for (const std::string& p : problems[t]) WARN(p);
  }
  Connection c(server);
  // Each client bumped its 100 accounts kRounds times in all.
  CHECK(c.Scalar("select sum(abalance) from accounts") == std::to_string(kClients * kRounds));
  CHECK(c.Scalar("select count(*) from accounts") == "400");
  CHECK(c.Exec("select bid, n, total from branch_totals order by bid") ==
        c.Exec("select bid, count(*), sum(abalance) from accounts group by bid order by bid"));
  // A pipeline of prepared writes under one Sync: each answers in order.
  PGconn* conn = c.raw();
  c.Exec("set synchronous_commit = off");
  REQUIRE(Prepare(conn, "bump", "update accounts set abalance = abalance + $1 where aid = $2"));
  REQUIRE(Prepare(conn, "wide", "update accounts set abalance = abalance + $1 where bid = $2"));
  REQUIRE(PQenterPipelineMode(conn) == 1);
  const char* first[2] = {"10", "1"};
  const char* wide[2] = {"0", "2"};  // not a key write: queued, the rest goes on on the pool
  const char* last[2] = {"20", "3"};
  REQUIRE(PQsendQueryPrepared(conn, "bump", 2, first, nullptr, nullptr, 0) == 1);
  REQUIRE(PQsendQueryPrepared(conn, "wide", 2, wide, nullptr, nullptr, 0) == 1);
  REQUIRE(PQsendQueryPrepared(conn, "bump", 2, last, nullptr, nullptr, 0) == 1);
  REQUIRE(PQpipelineSync(conn) == 1);
  std::vector<std::string> tags;
  for (;;) {
    PGresult* r = PQgetResult(conn);
    if (!r) continue;
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    if (!sync) tags.push_back(PQcmdStatus(r));
    PQclear(r);
    if (sync) break;
  }
  REQUIRE(PQexitPipelineMode(conn) == 1);
  CHECK(tags == std::vector<std::string>{"UPDATE 1", "UPDATE 40", "UPDATE 1"});
  CHECK(c.Scalar("select sum(abalance) from accounts") == std::to_string(kClients * kRounds + 30));
  CHECK(c.Exec("select bid, n, total from branch_totals order by bid") ==
        c.Exec("select bid, count(*), sum(abalance) from accounts group by bid order by bid"));
}
