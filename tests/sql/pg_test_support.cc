// See pg_test_support.h.
#include "tests/sql/pg_test_support.h"

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
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tributary_test {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Throw(const std::string& what) { throw std::runtime_error(what); }

bool KeepDirs() {
  const char* keep = std::getenv("TRIBUTARY_KEEP");
  return keep && *keep && std::string(keep) != "0";
}

StatementResult FromPgResult(PGresult* res) {
  StatementResult r;
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
      Row row;
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, i, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(PQgetvalue(res, i, c), PQgetlength(res, i, c)));
        }
      }
      r.rows.push_back(std::move(row));
    }
  } else if (!(r.status == PGRES_COMMAND_OK || r.status == PGRES_EMPTY_QUERY)) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    r.sqlstate = state ? state : "";
    r.message = msg ? msg : PQresultErrorMessage(res);
  }
  return r;
}

}  // namespace

// ---- processes and files ------------------------------------------------------------

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Throw("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    Throw(std::string("bind to 127.0.0.1:0 failed: ") + std::strerror(errno));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string MakeTempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    Throw("mkdtemp failed: " + std::string(std::strerror(errno)));
  return buf.data();
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string ReadFile(const std::string& path, long offset) {
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

pid_t Spawn(const std::vector<std::string>& argv, const std::string& output_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) Throw("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const char* out_name = output_path.empty() ? "/dev/null" : output_path.c_str();
    int out = ::open(out_name, O_WRONLY | O_CREAT | O_APPEND, 0644);
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

std::string WaitProcess(pid_t pid, std::chrono::milliseconds timeout, bool* clean) {
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  bool killed = false;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      if (clean) *clean = false;
      return "waitpid failed";
    }
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      killed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::ostringstream out;
  if (killed) out << "did not end in time (killed); ";
  if (WIFEXITED(status)) {
    out << "exited with code " << WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out << "killed by signal " << WTERMSIG(status);
  }
  if (clean) *clean = !killed && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return out.str();
}

int RunCommand(const std::vector<std::string>& argv, std::string* output,
               std::chrono::milliseconds timeout) {
  const std::string dir = MakeTempDir("tributary-cmd-");
  const std::string out_path = dir + "/output";
  pid_t pid = Spawn(argv, out_path);
  bool clean = false;
  std::string how = WaitProcess(pid, timeout, &clean);
  if (output) *output = ReadFile(out_path, 0);
  RemoveTree(dir);
  if (clean) return 0;
  const auto pos = how.find("code ");
  return pos == std::string::npos ? -1 : std::atoi(how.c_str() + pos + 5);
}

// ---- the tributary server -----------------------------------------------------------

TributaryServer::TributaryServer(std::string binary, std::vector<std::string> options)
    : binary_(std::move(binary)), options_(std::move(options)) {
  work_dir_ = MakeTempDir("tributary-test-");
  data_dir_ = work_dir_ + "/data";
  ::mkdir(data_dir_.c_str(), 0700);
  log_path_ = work_dir_ + "/server.log";
  port_ = FreePort();
  Start();
}

TributaryServer::~TributaryServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (KeepDirs()) {
    std::fprintf(stderr, "TRIBUTARY_KEEP: kept %s\n", work_dir_.c_str());
  } else {
    RemoveTree(work_dir_);
  }
}

std::string TributaryServer::ConnInfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=tributary dbname=tributary connect_timeout=10 sslmode=disable gssencmode=disable";
}

void TributaryServer::Start() {
  if (pid_ > 0) Throw("tributary is already running");
  for (int attempt = 0;; ++attempt) {
    const long log_offset = FileSize(log_path_);
    std::vector<std::string> argv = {binary_, "--listen", "127.0.0.1:" + std::to_string(port_),
                                     "--data-dir", data_dir_};
    argv.insert(argv.end(), options_.begin(), options_.end());
    pid_ = Spawn(argv, log_path_);
    const auto t0 = Clock::now();
    bool exited = false;
    while (!exited) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited = true;
        pid_ = -1;
        break;
      }
      if (WaitForConnection(ConnInfo(), std::chrono::milliseconds(0))) return;
      if (Clock::now() - t0 > std::chrono::seconds(10)) {
        Kill9();
        Throw("tributary did not accept a connection within 10 s; its log:\n" +
              ReadFile(log_path_, log_offset));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const std::string log = ReadFile(log_path_, log_offset);
    if (attempt < 3 && log.find("in use") != std::string::npos) {
      port_ = FreePort();  // someone took our port: try another one
      continue;
    }
    Throw("tributary exited during startup; its log:\n" + log);
  }
}

void TributaryServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  bool clean = false;
  std::string how = WaitProcess(pid_, std::chrono::seconds(10), &clean);
  pid_ = -1;
  if (!clean) Throw("after SIGTERM tributary " + how + "; its log:\n" + LogTail());
}

void TributaryServer::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string TributaryServer::LogTail(size_t max_bytes) const {
  std::string log = ReadFile(log_path_, 0);
  if (log.size() > max_bytes) log = "..." + log.substr(log.size() - max_bytes);
  return log;
}

// ---- libpq --------------------------------------------------------------------------

std::string StatementResult::Describe() const {
  if (ok()) return tag.empty() ? std::string(PQresStatus(status)) : tag;
  return "ERROR " + sqlstate + ": " + message;
}

PgConnection::PgConnection(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    Throw("connection to \"" + conninfo + "\" failed: " + msg);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

std::vector<StatementResult> PgConnection::ExecAll(const std::string& sql,
                                                   std::chrono::seconds timeout) {
  std::vector<StatementResult> results;
  if (!PQsendQuery(conn_, sql.c_str())) {
    Throw("could not send query: " + std::string(PQerrorMessage(conn_)));
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    while (PQisBusy(conn_)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0)
        Throw("no complete answer within " + std::to_string(timeout.count()) + " s");
      pollfd pfd{PQsocket(conn_), POLLIN, 0};
      ::poll(&pfd, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
      if (!PQconsumeInput(conn_)) Throw("connection lost: " + std::string(PQerrorMessage(conn_)));
    }
    PGresult* res = PQgetResult(conn_);
    if (res == nullptr) break;
    results.push_back(FromPgResult(res));
    PQclear(res);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    Throw("connection broken: " + std::string(PQerrorMessage(conn_)));
  }
  return results;
}

StatementResult PgConnection::Exec(const std::string& sql) {
  std::vector<StatementResult> results = ExecAll(sql);
  if (results.empty()) {
    StatementResult r;
    r.status = PGRES_EMPTY_QUERY;
    return r;
  }
  for (StatementResult& r : results) {
    if (!r.ok()) return std::move(r);
  }
  return std::move(results.back());
}

StatementResult PgConnection::Must(const std::string& sql) {
  StatementResult r = Exec(sql);
  if (!r.ok()) Throw("statement failed: " + r.Describe() + "\n  SQL: " + sql);
  return r;
}

bool WaitForConnection(const std::string& conninfo, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    const bool ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    if (ok) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string CellText(const Cell& c) { return c ? *c : "NULL"; }

std::string RowText(const Row& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += " | ";
    out += CellText(row[i]);
  }
  return out;
}

}  // namespace tributary_test
