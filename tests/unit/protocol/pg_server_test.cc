// PgServer against real clients: libpq (sslmode=prefer exercises SSLRequest → 'N'), raw
// sockets sending garbage, and shutdown through Stop() and a signal_set.
#include <catch2/catch.hpp>

#include <libpq-fe.h>

#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/protocol/test_server.h"

namespace protocol::testing {
namespace {

using namespace std::string_literals;
namespace asio = boost::asio;

struct PgConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

PgConn Connect(const std::string& conninfo) {
  PgConn conn(PQconnectdb(conninfo.c_str()));
  REQUIRE(conn != nullptr);
  return conn;
}

PgConn ConnectOk(const TestServer& server) {
  PgConn conn = Connect(server.ConnInfo());
  INFO(PQerrorMessage(conn.get()));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
  return conn;
}

PgResult Exec(PGconn* conn, const char* sql) { return PgResult(PQexec(conn, sql)); }

std::string SqlState(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state ? state : "";
}

std::string Int32(int32_t value) {
  const auto v = static_cast<uint32_t>(value);
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string StartupMessage(const std::string& user) {
  std::string body = Int32(196608) + "user\0"s + user + "\0database\0tributary\0\0"s;
  return Int32(static_cast<int32_t>(body.size() + 4)) + body;
}

// Sends `bytes` and EOF on a fresh raw socket and returns everything the server sends until
// it closes the connection.
std::string SendRaw(uint16_t port, const std::string& bytes) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::address_v4::loopback(), port});
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(bytes), ec);
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  std::string received;
  char chunk[4096];
  while (true) {
    const size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec) break;
    received.append(chunk, n);
  }
  CHECK((ec == asio::error::eof || ec == asio::error::connection_reset));
  return received;
}

// The SQLSTATE of the last ErrorResponse in a raw byte stream, with its severity.
std::string LastError(const std::string& stream) {
  std::string found = "none";
  size_t at = 0;
  while (at + 5 <= stream.size()) {
    const char type = stream[at];
    const size_t length = static_cast<uint32_t>((static_cast<unsigned char>(stream[at + 1]) << 24) |
                                                (static_cast<unsigned char>(stream[at + 2]) << 16) |
                                                (static_cast<unsigned char>(stream[at + 3]) << 8) |
                                                static_cast<unsigned char>(stream[at + 4]));
    if (type == 'E') {
      const std::string body = stream.substr(at + 5, length - 4);
      std::string severity, code;
      for (size_t i = 0; i < body.size() && body[i] != 0;) {
        const char field = body[i];
        const size_t end = body.find('\0', i + 1);
        if (field == 'S') severity = body.substr(i + 1, end - i - 1);
        if (field == 'C') code = body.substr(i + 1, end - i - 1);
        i = end + 1;
      }
      found = severity + " " + code;
    }
    at += 1 + length;
  }
  return found;
}

TEST_CASE("libpq connects and runs simple queries", "[protocol][server]") {
  TestServer server;
  PgConn conn = ConnectOk(server);
  PGconn* c = conn.get();
  CHECK(std::string(PQparameterStatus(c, "server_version")) == "15.0");
  CHECK(std::string(PQparameterStatus(c, "client_encoding")) == "UTF8");
  CHECK(PQbackendPID(c) > 0);
  CHECK(PQtransactionStatus(c) == PQTRANS_IDLE);

  PgResult rows = Exec(c, "select");
  REQUIRE(PQresultStatus(rows.get()) == PGRES_TUPLES_OK);
  CHECK(PQnfields(rows.get()) == 2);
  CHECK(std::string(PQfname(rows.get(), 0)) == "a");
  CHECK(PQftype(rows.get(), 0) == 23);
  CHECK(PQftype(rows.get(), 1) == 25);
  REQUIRE(PQntuples(rows.get()) == 2);
  CHECK(std::string(PQgetvalue(rows.get(), 0, 0)) == "1");
  CHECK(std::string(PQgetvalue(rows.get(), 0, 1)) == "one");
  CHECK(PQgetisnull(rows.get(), 1, 1) == 1);
  CHECK(std::string(PQcmdStatus(rows.get())) == "SELECT 2");

  PgResult error = Exec(c, "bad");
  CHECK(PQresultStatus(error.get()) == PGRES_FATAL_ERROR);
  CHECK(SqlState(error.get()) == "42601");
  CHECK(std::string(PQresultErrorField(error.get(), PG_DIAG_MESSAGE_PRIMARY)) ==
        "syntax error at or near \"bad\"");
  CHECK(std::string(PQresultErrorField(error.get(), PG_DIAG_MESSAGE_HINT)) == "Try select.");
  CHECK(std::string(PQresultErrorField(error.get(), PG_DIAG_SEVERITY)) == "ERROR");

  PgResult command = Exec(c, "create");
  CHECK(PQresultStatus(command.get()) == PGRES_COMMAND_OK);
  CHECK(std::string(PQcmdStatus(command.get())) == "CREATE TABLE");

  CHECK(PQresultStatus(Exec(c, "").get()) == PGRES_EMPTY_QUERY);
  CHECK(PQresultStatus(Exec(c, "  ;  ").get()) == PGRES_EMPTY_QUERY);

  PgResult thrown = Exec(c, "throw");
  CHECK(PQresultStatus(thrown.get()) == PGRES_FATAL_ERROR);
  CHECK(SqlState(thrown.get()) == "XX000");

  CHECK(PQresultStatus(Exec(c, "begin").get()) == PGRES_COMMAND_OK);
  CHECK(PQtransactionStatus(c) == PQTRANS_INTRANS);
  CHECK(PQresultStatus(Exec(c, "commit").get()) == PGRES_COMMAND_OK);
  CHECK(PQtransactionStatus(c) == PQTRANS_IDLE);

  PgResult big = Exec(c, "big");
  REQUIRE(PQresultStatus(big.get()) == PGRES_TUPLES_OK);
  CHECK(PQntuples(big.get()) == 100000);
  CHECK(std::string(PQgetvalue(big.get(), 99999, 0)) == "99999");
}

TEST_CASE("one Query message yields one result per statement", "[protocol][server]") {
  TestServer server;
  PgConn conn = ConnectOk(server);
  PGconn* c = conn.get();
  REQUIRE(PQsendQuery(c, "select; create; bad; create") == 1);
  std::vector<ExecStatusType> statuses;
  std::vector<std::string> states;
  while (PGresult* raw = PQgetResult(c)) {
    PgResult result(raw);
    statuses.push_back(PQresultStatus(raw));
    states.push_back(SqlState(raw));
  }
  CHECK(statuses ==
        std::vector<ExecStatusType>{PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_FATAL_ERROR});
  CHECK(states.back() == "42601");
  // The connection is ready for the next query.
  CHECK(PQresultStatus(Exec(c, "select").get()) == PGRES_TUPLES_OK);
}

TEST_CASE("refused startups get CONNECTION_BAD with the engine's message", "[protocol][server]") {
  TestServer server;
  PgConn nobody = Connect(server.ConnInfo("nobody"));
  CHECK(PQstatus(nobody.get()) == CONNECTION_BAD);
  CHECK_THAT(PQerrorMessage(nobody.get()), Catch::Contains("role \"nobody\" does not exist"));

  PgConn no_db = Connect("host=127.0.0.1 port=" + std::to_string(server.port()) +
                         " user=tributary dbname=elsewhere sslmode=disable");
  CHECK(PQstatus(no_db.get()) == CONNECTION_BAD);
  CHECK_THAT(PQerrorMessage(no_db.get()), Catch::Contains("database \"elsewhere\" does not exist"));

  // The server is unharmed.
  PgConn conn = ConnectOk(server);
  CHECK(PQresultStatus(Exec(conn.get(), "select").get()) == PGRES_TUPLES_OK);
}

TEST_CASE("extended protocol: rows, errors, and the connection recovers at Sync",
          "[protocol][server]") {
  TestServer server;
  PgConn conn = ConnectOk(server);
  PgResult params(PQexecParams(conn.get(), "select", 0, nullptr, nullptr, nullptr, nullptr, 0));
  REQUIRE(PQresultStatus(params.get()) == PGRES_TUPLES_OK);
  CHECK(PQntuples(params.get()) == 2);
  CHECK(std::string(PQfname(params.get(), 1)) == "b");
  PgResult bad(PQexecParams(conn.get(), "bad", 0, nullptr, nullptr, nullptr, nullptr, 0));
  CHECK(PQresultStatus(bad.get()) == PGRES_FATAL_ERROR);
  CHECK(SqlState(bad.get()) == "42601");
  CHECK(PQstatus(conn.get()) == CONNECTION_OK);
  PgResult rows = Exec(conn.get(), "select");
  CHECK(PQresultStatus(rows.get()) == PGRES_TUPLES_OK);
  CHECK(PQntuples(rows.get()) == 2);
}

TEST_CASE("garbage on one socket closes only that connection", "[protocol][server]") {
  TestServer server;
  PgConn conn = ConnectOk(server);
  const uint16_t port = server.port();

  // An HTTP request: "GET " read as a startup length is far too long.
  CHECK(LastError(SendRaw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")) == "FATAL 08P01");
  // Protocol 2.0.
  CHECK(LastError(SendRaw(port, Int32(8) + Int32(2 << 16))) == "FATAL 0A000");
  // A startup packet cut short, then EOF: closed without a word.
  CHECK(SendRaw(port, Int32(40) + Int32(196608) + "user").empty());
  // Length word too small.
  CHECK(LastError(SendRaw(port, Int32(2))) == "FATAL 08P01");
  // After a good startup: an oversized Query, an unknown message type, a bad length.
  const std::string hello = StartupMessage("tributary");
  CHECK(LastError(SendRaw(port, hello + "Q" + Int32(0x7fffffff))) == "FATAL 08P01");
  CHECK(LastError(SendRaw(port, hello + "z" + Int32(4))) == "FATAL 08P01");
  CHECK(LastError(SendRaw(port, hello + "Q" + Int32(1))) == "FATAL 08P01");
  CHECK(LastError(SendRaw(port, hello + "Q" + Int32(8) + "abcd")) == "FATAL 08P01");
  // A refused user over a raw socket; and a clean Terminate.
  CHECK(LastError(SendRaw(port, StartupMessage("nobody"))) == "FATAL 28000");
  CHECK(LastError(SendRaw(port, hello + "X" + Int32(4))) == "none");
  // SSLRequest, then garbage: the 'N' comes first.
  CHECK(SendRaw(port, Int32(8) + Int32(80877103) + Int32(3)).substr(0, 1) == "N");
  // A CancelRequest is answered by closing.
  CHECK(SendRaw(port, Int32(16) + Int32(80877102) + Int32(1) + Int32(2)).empty());

  PgResult rows = Exec(conn.get(), "select");
  CHECK(PQresultStatus(rows.get()) == PGRES_TUPLES_OK);
  CHECK(PQntuples(rows.get()) == 2);
}

TEST_CASE("pipelined Query messages are all answered", "[protocol][server]") {
  TestServer server;
  const std::string hello = StartupMessage("tributary");
  std::string queries;
  for (const char* sql : {"select", "create", "bad"}) {
    queries += "Q" + Int32(static_cast<int32_t>(std::string(sql).size() + 5)) + sql + '\0';
  }
  const std::string stream = SendRaw(server.port(), hello + queries + "X" + Int32(4));
  size_t ready = 0;
  for (size_t at = 0; at + 5 <= stream.size();) {
    if (stream[at] == 'Z') ++ready;
    at += 1 + static_cast<uint32_t>((static_cast<unsigned char>(stream[at + 1]) << 24) |
                                    (static_cast<unsigned char>(stream[at + 2]) << 16) |
                                    (static_cast<unsigned char>(stream[at + 3]) << 8) |
                                    static_cast<unsigned char>(stream[at + 4]));
  }
  CHECK(ready == 4);  // one after startup, one per query
  CHECK(LastError(stream) == "ERROR 42601");
}

TEST_CASE("many clients at once", "[protocol][server]") {
  TestServer server;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&] {
      PgConn conn(PQconnectdb(server.ConnInfo().c_str()));
      if (PQstatus(conn.get()) != CONNECTION_OK) return;
      for (int q = 0; q < 30; ++q) {
        PgResult result(PQexec(conn.get(), q % 2 ? "select" : "create"));
        if (PQresultStatus(result.get()) == (q % 2 ? PGRES_TUPLES_OK : PGRES_COMMAND_OK)) ++ok;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  CHECK(ok == 6 * 30);
}

TEST_CASE("Stop closes live connections and lets io.run() return", "[protocol][server]") {
  TestServer server;
  PgConn conn = ConnectOk(server);
  CHECK(PQresultStatus(Exec(conn.get(), "select").get()) == PGRES_TUPLES_OK);
  // A raw client that sends nothing more, so no RST can race the goodbye message.
  asio::io_context io;
  asio::ip::tcp::socket raw(io);
  raw.connect({asio::ip::address_v4::loopback(), server.port()});
  asio::write(raw, asio::buffer(StartupMessage("tributary")));
  std::string received;
  boost::system::error_code ec;
  char chunk[4096];
  while (received.find("Z\0\0\0\x05I"s) == std::string::npos && !ec) {
    received.append(chunk, raw.read_some(asio::buffer(chunk), ec));
  }
  REQUIRE(!ec);

  server.server().Stop();
  server.Join();  // hangs here if anything still holds the io_context
  received.clear();
  while (!ec) received.append(chunk, raw.read_some(asio::buffer(chunk), ec));
  CHECK(LastError(received) == "FATAL 57P01");
  CHECK(PQresultStatus(Exec(conn.get(), "select").get()) != PGRES_TUPLES_OK);
  server.server().Stop();  // idempotent
}

TEST_CASE("Stop from a signal_set handler", "[protocol][server]") {
  TestServer server;
  asio::signal_set signals(server.io(), SIGUSR1);
  std::atomic<bool> handled{false};
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    handled = true;
    server.server().Stop();
  });
  PgConn conn = ConnectOk(server);
  std::raise(SIGUSR1);
  server.Join();
  CHECK(handled);
  CHECK(PQresultStatus(Exec(conn.get(), "select").get()) != PGRES_TUPLES_OK);
}

TEST_CASE("binding a port in use throws std::system_error", "[protocol][server]") {
  TestServer server;
  asio::io_context io;
  FakeBackend backend;
  // SO_REUSEADDR does not allow two listeners on one port.
  CHECK_THROWS_AS(PgServer(io, backend, {asio::ip::address_v4::loopback(), server.port()}),
                  std::system_error);
}

}  // namespace
}  // namespace protocol::testing
