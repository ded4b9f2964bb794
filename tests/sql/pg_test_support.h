// Support for the sqllogictest runner (tests/sql/) and the PostgreSQL oracle
// (tests/oracle/): child processes, temporary directories, the real tributary binary on a
// free port, and a small libpq client that returns every statement's outcome as text.
//
// Nothing here depends on a test framework: failures are thrown as std::runtime_error.
// Every child process dies with the test process (PR_SET_PDEATHSIG).
#pragma once

#include <libpq-fe.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tributary_test {

// One cell in PostgreSQL's text format; std::nullopt is SQL NULL.
using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;
using Rows = std::vector<Row>;

// ---- processes and files ------------------------------------------------------------

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();
// mkdtemp under $TMPDIR (or /tmp).
std::string MakeTempDir(const std::string& prefix);
void RemoveTree(const std::string& path);
std::string ReadFile(const std::string& path, long offset = 0);
long FileSize(const std::string& path);

// fork + exec with stdout+stderr appended to `output_path` (or /dev/null when empty).
pid_t Spawn(const std::vector<std::string>& argv, const std::string& output_path);
// Waits for `pid` at most `timeout`; SIGKILLs it after that. Returns a description of how
// it ended ("exited with code 0", "killed by signal 9", ...) and sets *clean to whether
// it exited with code 0.
std::string WaitProcess(pid_t pid, std::chrono::milliseconds timeout, bool* clean);
// Runs a command to completion; returns its exit code (-1 when killed) and output.
int RunCommand(const std::vector<std::string>& argv, std::string* output,
               std::chrono::milliseconds timeout = std::chrono::seconds(60));

// ---- the tributary server -----------------------------------------------------------

class TributaryServer {
 public:
  // Makes a fresh temporary work dir (data/ and server.log) and starts the binary, with
  // `options` after --listen and --data-dir (`--query-chunk-rows 3`, say).
  explicit TributaryServer(std::string binary, std::vector<std::string> options = {});
  ~TributaryServer();  // kills the server, removes the work dir (unless TRIBUTARY_KEEP=1)
  TributaryServer(const TributaryServer&) = delete;
  TributaryServer& operator=(const TributaryServer&) = delete;

  void Start();  // waits until a connection succeeds (10 s at most)
  void Stop();   // SIGTERM; throws unless it exits with code 0
  void Kill9();  // SIGKILL
  void Restart() {
    Stop();
    Start();
  }
  void CrashRestart() {
    Kill9();
    Start();
  }

  int port() const { return port_; }
  std::string ConnInfo() const;
  std::string LogTail(size_t max_bytes = 6000) const;
  const std::string& work_dir() const { return work_dir_; }

 private:
  std::string binary_;
  std::vector<std::string> options_;
  std::string work_dir_;
  std::string data_dir_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// ---- libpq --------------------------------------------------------------------------

struct StatementResult {
  ExecStatusType status = PGRES_FATAL_ERROR;
  std::string tag;  // "INSERT 0 3", "SELECT 2", ...
  std::vector<std::string> columns;
  std::vector<Oid> types;
  Rows rows;
  std::string sqlstate;  // on error
  std::string message;   // on error
  bool ok() const {
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
  }
  std::string Describe() const;  // "ERROR 42P01: relation ... does not exist" or the tag
};

class PgConnection {
 public:
  explicit PgConnection(const std::string& conninfo);  // throws when it cannot connect
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Sends `sql` (one query string, maybe several statements) and returns every result.
  // Throws when the connection breaks or no answer arrives within `timeout`.
  std::vector<StatementResult> ExecAll(const std::string& sql,
                                       std::chrono::seconds timeout = std::chrono::seconds(120));
  // The first failing result, else the last one.
  StatementResult Exec(const std::string& sql);
  // Like Exec, but throws std::runtime_error unless it succeeds.
  StatementResult Must(const std::string& sql);

 private:
  PGconn* conn_ = nullptr;
};

// Waits (up to `timeout`) until a connection to `conninfo` succeeds.
bool WaitForConnection(const std::string& conninfo, std::chrono::milliseconds timeout);

// "NULL" for NULL, else the text.
std::string CellText(const Cell& c);
// A row as "a | b | NULL".
std::string RowText(const Row& row);

}  // namespace tributary_test
