// Harness for the integration tests: runs the real build/tributary binary on a free
// loopback port with a fresh temporary data directory, and talks to it over libpq.
//
// Every process a TestServer starts is killed when the TestServer is destroyed (also when
// a REQUIRE fails and unwinds the test), and dies with the test process if that crashes
// (PR_SET_PDEATHSIG). Set TRIBUTARY_IT_KEEP=1 to keep the temporary directories (data
// dir and server log) for inspection; the server log is printed when a test fails.
#pragma once

#include <libpq-fe.h>
#include <sys/types.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <functional>
#include <string>
#include <vector>

namespace tributary_it {

// A result set: rows of cells in PostgreSQL's text format; SQL NULL is kNull.
using Rows = std::vector<std::vector<std::string>>;
inline constexpr const char* kNull = "NULL";

// Path of the server binary under test (set by CMake).
std::string BinaryPath();

// How a child process ended.
struct ExitStatus {
  bool exited = false;     // exited by itself (then `code` is valid)
  int code = -1;           // exit code
  int signal = 0;          // terminating signal when !exited
  bool timed_out = false;  // did not end in time and was killed with SIGKILL
  std::string Describe() const;
};

// Runs `argv` (argv[0] is the program) to completion with stdout+stderr captured;
// kills it after `timeout`.
struct ProcessOutput {
  ExitStatus status;
  std::string output;
};
ProcessOutput RunProcess(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int FreePort();

// fork + exec of `argv` with stdout and stderr appended to `output_path` and stdin from
// /dev/null; the child dies with the test process (PR_SET_PDEATHSIG). Fails the test when
// it cannot fork.
pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& output_path);
// A new directory $TMPDIR/<prefix>XXXXXX (TMPDIR defaults to /tmp).
std::string MakeTempDir(const char* prefix);

class TestServer {
 public:
  struct Options {
    std::string log_level;  // passed as --log-level when not empty
    bool start = true;      // start in the constructor
    // More arguments for the binary (--auth, --tls-cert ...). With a password method the
    // readiness probe counts an authentication failure (28P01) as "up".
    std::vector<std::string> extra_args;
  };

  TestServer();
  explicit TestServer(Options options);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts the server on the data dir and waits (10 s at most) until a libpq connection
  // succeeds. Fails the test when it does not come up.
  void Start();
  // Sends `sig` and waits (10 s at most) for the process to end; returns how it ended.
  ExitStatus Signal(int sig);
  // SIGTERM, then requires a clean exit with code 0.
  void Stop();
  // SIGKILL (no chance to flush anything), waits for the process to be gone.
  void Kill9();
  // Stop() then Start() on the same data dir.
  void Restart();
  // Replaces Options::extra_args for the next Start().
  void set_extra_args(std::vector<std::string> args) { options_.extra_args = std::move(args); }

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& work_dir() const { return work_dir_; }
  // Server output (stdout+stderr) since the last Start().
  std::string Log() const;
  // Seconds from fork/exec to the first successful connection in the last Start().
  double startup_seconds() const { return startup_seconds_; }
  // "host=127.0.0.1 port=… user=… dbname=…"
  std::string ConnInfo(const std::string& user = "tributary",
                       const std::string& dbname = "tributary") const;
  // argv that starts this binary on this data dir and port (for hand-made processes).
  std::vector<std::string> Argv(int port) const;

 private:
  void Spawn();
  void KillNow();

  Options options_;
  std::string work_dir_;  // mkdtemp root: holds data/ and server.log
  std::string data_dir_;
  std::string log_path_;
  long log_offset_ = 0;
  int port_ = 0;
  pid_t pid_ = -1;
  double startup_seconds_ = 0;
};

// One statement's outcome.
struct Result {
  ExecStatusType status = PGRES_FATAL_ERROR;
  std::string tag;                   // PQcmdStatus: "INSERT 0 3", "SELECT 2", …
  std::vector<std::string> columns;  // column names of a result set
  std::vector<Oid> types;            // column type OIDs of a result set
  Rows rows;
  std::string sqlstate;  // on error
  std::string message;   // on error
  bool ok() const { return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK; }
};

// Runs body(t, conn) for t in [0, clients) on as many threads at once, each with a libpq
// connection of its own. Catch2's assertions are not thread-safe: bodies count what went
// wrong, the caller checks. Returns how many clients could not connect.
int RunClients(const TestServer& server, int clients,
               const std::function<void(int client, PGconn* conn)>& body);

class Connection {
 public:
  explicit Connection(const TestServer& server);
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` (may hold several statements); every statement must succeed. Returns the
  // rows of the last result; Tag() is its command tag.
  Rows Exec(const std::string& sql);
  // Runs `sql` and returns every result (one per statement, in order) without judging.
  std::vector<Result> ExecAll(const std::string& sql);
  // Exec that must return exactly one row with one column.
  std::string Scalar(const std::string& sql);
  // Runs `sql`, requires it to fail with `sqlstate`, then requires the connection to
  // still answer "select 1". Returns the error message.
  std::string ExpectError(const std::string& sql, const std::string& sqlstate);

  // NOTICE/WARNING messages received so far (e.g. "drop cascades to 2 other objects").
  const std::vector<std::string>& Notices() const { return notices_; }
  const std::string& Tag() const { return last_.tag; }
  const Result& Last() const { return last_; }
  std::string ParameterStatus(const std::string& name) const;
  PGconn* raw() { return conn_; }

 private:
  PGconn* conn_ = nullptr;
  Result last_;
  std::vector<std::string> notices_;
};

// Tries to connect; on failure, returns the SQLSTATE the server sent (empty when none)
// and libpq's message.
struct ConnectOutcome {
  bool connected = false;
  std::string sqlstate;
  std::string message;
};
ConnectOutcome TryConnect(const std::string& conninfo);

// Row comparison: cells equal as text, or (for long or exponent renderings of floats)
// both numeric and within a relative 1e-9
// (floating-point aggregates maintained incrementally may differ in the last bits).
bool SameRows(const Rows& actual, const Rows& expected);
std::string FormatRows(const Rows& rows);

}  // namespace tributary_it

// CHECK that two row sets are equal (see SameRows), printing both as tables otherwise.
#define CHECK_ROWS(actual_expr, expected_expr)                                            \
  do {                                                                                    \
    const ::tributary_it::Rows tit_actual_ = (actual_expr);                               \
    const ::tributary_it::Rows tit_expected_ = (expected_expr);                           \
    INFO("actual   (" #actual_expr "):\n"                                                 \
         << ::tributary_it::FormatRows(tit_actual_) << "expected (" #expected_expr "):\n" \
         << ::tributary_it::FormatRows(tit_expected_));                                   \
    CHECK(::tributary_it::SameRows(tit_actual_, tit_expected_));                          \
  } while (false)
