// The listener below needs Catch2's reporter interfaces.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "tests/integration/test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#ifndef TRIBUTARY_BINARY
#error "TRIBUTARY_BINARY must be defined (path of the tributary executable)"
#endif

namespace tributary_it {
namespace {

using Clock = std::chrono::steady_clock;

// Set by the listener below when an assertion of the running test case fails, so that a
// TestServer can print its log on the way out.
bool g_test_failed = false;

struct FailureListener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(Catch::TestCaseInfo const&) override { g_test_failed = false; }
  bool assertionEnded(Catch::AssertionStats const& stats) override {
    if (!stats.assertionResult.isOk()) g_test_failed = true;
    return true;
  }
};

std::string ReadFileFrom(const std::string& path, long offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(offset);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

long FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<long>(st.st_size);
}

ExitStatus FromWaitStatus(int status) {
  ExitStatus s;
  if (WIFEXITED(status)) {
    s.exited = true;
    s.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    s.signal = WTERMSIG(status);
  }
  return s;
}

// Waits for `pid` to end, at most `timeout`; SIGKILLs it when it does not.
ExitStatus WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return FromWaitStatus(status);
    if (r < 0 && errno != EINTR) {
      ExitStatus s;
      s.code = -1;
      return s;
    }
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ExitStatus s = FromWaitStatus(status);
      s.timed_out = true;
      return s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool KeepTempDirs() {
  const char* keep = std::getenv("TRIBUTARY_IT_KEEP");
  return keep && *keep && std::string(keep) != "0";
}

bool LooksNumeric(const std::string& s, double* value) {
  if (s.empty() || s == kNull) return false;
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno == 0;
}

Result ResultFrom(PGresult* res) {
  Result r;
  r.status = PQresultStatus(res);
  r.tag = PQcmdStatus(res);
  if (r.status == PGRES_TUPLES_OK) {
    const int ncols = PQnfields(res);
    for (int c = 0; c < ncols; ++c) {
      r.columns.emplace_back(PQfname(res, c));
      r.types.push_back(PQftype(res, c));
    }
    const int nrows = PQntuples(res);
    r.rows.reserve(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<std::string> row;
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        row.emplace_back(PQgetisnull(res, i, c) ? kNull : PQgetvalue(res, i, c));
      }
      r.rows.push_back(std::move(row));
    }
  } else if (r.status == PGRES_FATAL_ERROR || r.status == PGRES_NONFATAL_ERROR) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    r.sqlstate = state ? state : "";
    r.message = msg ? msg : PQresultErrorMessage(res);
  }
  return r;
}

std::string Describe(const Result& r) {
  std::ostringstream out;
  out << PQresStatus(r.status);
  if (!r.tag.empty()) out << " tag=\"" << r.tag << "\"";
  if (!r.sqlstate.empty() || !r.message.empty()) {
    out << " sqlstate=" << r.sqlstate << " message=\"" << r.message << "\"";
  }
  return out.str();
}

}  // namespace

pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& output_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = ::fork();
  if (pid < 0) FAIL("fork failed: " << std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    if (in >= 0) ::dup2(in, 0);
    ::execv(args[0], args.data());
    const char msg[] = "exec failed\n";
    [[maybe_unused]] auto n = ::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  return pid;
}

std::string MakeTempDir(const char* prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) FAIL("mkdtemp failed: " << std::strerror(errno));
  return buf.data();
}

CATCH_REGISTER_LISTENER(FailureListener)

std::string BinaryPath() { return TRIBUTARY_BINARY; }

std::string ExitStatus::Describe() const {
  std::ostringstream out;
  if (timed_out) out << "did not end in time (killed); ";
  if (exited) {
    out << "exited with code " << code;
  } else if (signal != 0) {
    out << "killed by signal " << signal << " (" << strsignal(signal) << ")";
  } else {
    out << "unknown status";
  }
  return out.str();
}

ProcessOutput RunProcess(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  const std::string dir = MakeTempDir("tributary-it-proc-");
  const std::string out_path = dir + "/output";
  pid_t pid = SpawnProcess(argv, out_path);
  ProcessOutput result;
  result.status = WaitFor(pid, timeout);
  result.output = ReadFileFrom(out_path, 0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return result;
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    FAIL("bind to 127.0.0.1:0 failed: " << std::strerror(errno));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// ---- TestServer -------------------------------------------------------------------------

TestServer::TestServer() : TestServer(Options{}) {}

TestServer::TestServer(Options options) : options_(std::move(options)) {
  work_dir_ = MakeTempDir("tributary-it-");
  data_dir_ = work_dir_ + "/data";
  REQUIRE(::mkdir(data_dir_.c_str(), 0700) == 0);
  log_path_ = work_dir_ + "/server.log";
  port_ = FreePort();
  if (options_.start) Start();
}

TestServer::~TestServer() {
  const bool failed = g_test_failed || std::uncaught_exceptions() > 0;
  KillNow();
  if (failed) {
    std::string log = ReadFileFrom(log_path_, 0);
    constexpr size_t kTail = 8000;
    if (log.size() > kTail) log = "…" + log.substr(log.size() - kTail);
    std::cerr << "---- tributary server log (" << log_path_ << ") ----\n"
              << log << (log.empty() || log.back() == '\n' ? "" : "\n")
              << "---- end of server log ----\n";
  }
  if (KeepTempDirs()) {
    std::cerr << "TRIBUTARY_IT_KEEP: kept " << work_dir_ << "\n";
  } else {
    std::error_code ec;
    std::filesystem::remove_all(work_dir_, ec);
  }
}

std::vector<std::string> TestServer::Argv(int port) const {
  std::vector<std::string> argv = {BinaryPath(), "--listen", "127.0.0.1:" + std::to_string(port),
                                   "--data-dir", data_dir_};
  if (!options_.log_level.empty()) {
    argv.push_back("--log-level");
    argv.push_back(options_.log_level);
  }
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  return argv;
}

void TestServer::Spawn() {
  log_offset_ = FileSize(log_path_);
  pid_ = SpawnProcess(Argv(port_), log_path_);
}

std::string TestServer::Log() const { return ReadFileFrom(log_path_, log_offset_); }

std::string TestServer::ConnInfo(const std::string& user, const std::string& dbname) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + user + " dbname=" + dbname +
         " connect_timeout=10";
}

void TestServer::Start() {
  REQUIRE_FALSE(running());
  constexpr auto kStartTimeout = std::chrono::seconds(10);
  for (int attempt = 0;; ++attempt) {
    const auto t0 = Clock::now();
    Spawn();
    const std::string conninfo = ConnInfo() + " sslmode=disable gssencmode=disable";
    bool exited = false;
    ExitStatus exit_status;
    while (true) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited = true;
        exit_status = FromWaitStatus(status);
        pid_ = -1;
        break;
      }
      PGconn* conn = PQconnectdb(conninfo.c_str());
      bool ok = PQstatus(conn) == CONNECTION_OK;
      // A server that asks for a password and refuses the probe is up, too.
      const std::string error = PQerrorMessage(conn);
      if (!ok && (error.find("password") != std::string::npos ||
                  error.find("authentication") != std::string::npos)) {
        ok = true;
      }
      PQfinish(conn);
      if (ok) {
        startup_seconds_ = std::chrono::duration<double>(Clock::now() - t0).count();
        return;
      }
      if (Clock::now() - t0 > kStartTimeout) {
        KillNow();
        FAIL("tributary did not accept a connection within 10 s on port " << port_ << "; its log:\n"
                                                                          << Log());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // The process ended before accepting connections. Our free port may have been taken
    // by someone else in the meantime: retry on another one.
    const std::string log = Log();
    if (exited && attempt < 3 &&
        (log.find("in use") != std::string::npos || log.find("EADDRINUSE") != std::string::npos)) {
      port_ = FreePort();
      continue;
    }
    FAIL("tributary exited during startup (" << exit_status.Describe() << "); its log:\n" << log);
  }
}

ExitStatus TestServer::Signal(int sig) {
  REQUIRE(running());
  ::kill(pid_, sig);
  ExitStatus status = WaitFor(pid_, std::chrono::seconds(10));
  pid_ = -1;
  return status;
}

void TestServer::Stop() {
  ExitStatus status = Signal(SIGTERM);
  INFO("server log:\n" << Log());
  INFO("after SIGTERM the server " << status.Describe());
  REQUIRE(status.exited);
  REQUIRE(status.code == 0);
}

void TestServer::Kill9() {
  REQUIRE(running());
  KillNow();
}

void TestServer::Restart() {
  Stop();
  Start();
}

void TestServer::KillNow() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
}

// ---- Connection -------------------------------------------------------------------------

int RunClients(const TestServer& server, int clients,
               const std::function<void(int client, PGconn* conn)>& body) {
  const std::string conninfo = server.ConnInfo();
  std::vector<std::thread> threads;
  std::vector<int> refused(static_cast<size_t>(clients), 0);
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      PGconn* conn = PQconnectdb(conninfo.c_str());
      if (PQstatus(conn) == CONNECTION_OK) {
        body(t, conn);
      } else {
        refused[static_cast<size_t>(t)] = 1;
      }
      PQfinish(conn);
    });
  }
  for (std::thread& thread : threads) thread.join();
  int total = 0;
  for (int r : refused) total += r;
  return total;
}

Connection::Connection(const TestServer& server) : Connection(server.ConnInfo()) {}

Connection::Connection(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    FAIL("connection to \"" << conninfo << "\" failed: " << msg);
  }
  // Collect notices instead of letting libpq print them to stderr.
  PQsetNoticeProcessor(
      conn_,
      [](void* arg, const char* message) {
        static_cast<std::vector<std::string>*>(arg)->emplace_back(message);
      },
      &notices_);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

std::vector<Result> Connection::ExecAll(const std::string& sql) {
  std::vector<Result> results;
  REQUIRE(conn_ != nullptr);
  if (!PQsendQuery(conn_, sql.c_str())) {
    FAIL("could not send \"" << sql << "\": " << PQerrorMessage(conn_));
  }
  // Wait for the results with a deadline, so a hung server fails the test instead of
  // hanging it.
  constexpr auto kStatementTimeout = std::chrono::seconds(60);
  const auto deadline = Clock::now() + kStatementTimeout;
  for (;;) {
    while (PQisBusy(conn_)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        FAIL("no complete answer to \"" << sql << "\" within 60 s");
      }
      pollfd pfd{PQsocket(conn_), POLLIN, 0};
      ::poll(&pfd, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
      if (!PQconsumeInput(conn_)) {
        FAIL("connection lost while running \"" << sql << "\": " << PQerrorMessage(conn_));
      }
    }
    PGresult* res = PQgetResult(conn_);
    if (res == nullptr) break;
    results.push_back(ResultFrom(res));
    PQclear(res);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    FAIL("connection broken after \"" << sql << "\": " << PQerrorMessage(conn_));
  }
  return results;
}

Rows Connection::Exec(const std::string& sql) {
  std::vector<Result> results = ExecAll(sql);
  if (results.empty()) FAIL("no result for \"" << sql << "\"");
  for (const Result& r : results) {
    if (!r.ok() && r.status != PGRES_EMPTY_QUERY) {
      FAIL("statement failed: \"" << sql << "\" -> " << Describe(r));
    }
  }
  last_ = std::move(results.back());
  return last_.rows;
}

std::string Connection::Scalar(const std::string& sql) {
  Rows rows = Exec(sql);
  INFO("query: " << sql << "\nresult:\n" << FormatRows(rows));
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].size() == 1);
  return rows[0][0];
}

std::string Connection::ExpectError(const std::string& sql, const std::string& sqlstate) {
  std::vector<Result> results = ExecAll(sql);
  INFO("statement: " << sql);
  REQUIRE_FALSE(results.empty());
  const Result& r = results.back();
  INFO("result: " << Describe(r));
  CHECK(r.status == PGRES_FATAL_ERROR);
  CHECK(r.sqlstate == sqlstate);
  CHECK_FALSE(r.message.empty());
  last_ = r;
  // The session must survive the error.
  std::vector<Result> after = ExecAll("select 1");
  INFO("after the error, select 1 -> " << (after.empty() ? "nothing" : Describe(after.back())));
  REQUIRE(after.size() == 1);
  CHECK(after[0].rows == Rows{{"1"}});
  return r.message;
}

std::string Connection::ParameterStatus(const std::string& name) const {
  const char* v = PQparameterStatus(conn_, name.c_str());
  return v ? v : "";
}

ConnectOutcome TryConnect(const std::string& conninfo) {
  ConnectOutcome out;
  PGconn* conn = PQconnectStart(conninfo.c_str());
  REQUIRE(conn != nullptr);
  // Verbose errors carry the SQLSTATE ("FATAL:  28000: role ... does not exist"); libpq
  // has no other way to expose the SQLSTATE of a failed connection.
  PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;
  while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
    if (Clock::now() > deadline) break;
    pollfd pfd{PQsocket(conn), static_cast<short>(st == PGRES_POLLING_READING ? POLLIN : POLLOUT),
               0};
    if (pfd.fd >= 0) ::poll(&pfd, 1, 100);
    st = PQconnectPoll(conn);
  }
  out.connected = PQstatus(conn) == CONNECTION_OK;
  out.message = PQerrorMessage(conn);
  // Find "SEVERITY:  XXXXX: " in the verbose message.
  for (const char* sev : {"FATAL:  ", "ERROR:  "}) {
    auto pos = out.message.find(sev);
    if (pos != std::string::npos) {
      std::string rest = out.message.substr(pos + std::strlen(sev));
      if (rest.size() >= 6 && rest[5] == ':') out.sqlstate = rest.substr(0, 5);
      break;
    }
  }
  PQfinish(conn);
  return out;
}

// ---- Rows -------------------------------------------------------------------------------

bool SameRows(const Rows& actual, const Rows& expected) {
  if (actual.size() != expected.size()) return false;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i].size() != expected[i].size()) return false;
    for (size_t c = 0; c < actual[i].size(); ++c) {
      const std::string& a = actual[i][c];
      const std::string& e = expected[i][c];
      if (a == e) continue;
      // Only long renderings (floating-point noise such as 32.750000000000004) get a
      // tolerance; "100.5" never equals "100.50" (NUMERIC keeps its scale).
      if (std::max(a.size(), e.size()) < 12 && a.find('e') == std::string::npos &&
          e.find('e') == std::string::npos) {
        return false;
      }
      double x = 0, y = 0;
      if (!LooksNumeric(a, &x) || !LooksNumeric(e, &y)) return false;
      const double scale = std::max({1.0, std::fabs(x), std::fabs(y)});
      if (std::fabs(x - y) > 1e-9 * scale) return false;
    }
  }
  return true;
}

std::string FormatRows(const Rows& rows) {
  std::ostringstream out;
  if (rows.empty()) out << "  (no rows)\n";
  for (const auto& row : rows) {
    out << "  ";
    for (size_t c = 0; c < row.size(); ++c) out << (c ? " | " : "") << row[c];
    out << "\n";
  }
  return out.str();
}

}  // namespace tributary_it
