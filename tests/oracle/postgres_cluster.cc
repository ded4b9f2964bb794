// See postgres_cluster.h.
#include "tests/oracle/postgres_cluster.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "tests/sql/pg_test_support.h"

namespace tributary_oracle {

using namespace tributary_test;

namespace {
constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin/";
}

std::string PostgresCluster::Bin(const std::string& tool) const { return kPgBin + tool; }

int PostgresCluster::RunAsOwner(const std::vector<std::string>& argv, std::string* output) const {
  std::vector<std::string> full;
  if (as_root_) full = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  return RunCommand(full, output, std::chrono::seconds(60));
}

PostgresCluster::PostgresCluster() {
  try {
    Init();
  } catch (...) {
    Cleanup();
    throw;
  }
}

void PostgresCluster::Init() {
  as_root_ = ::geteuid() == 0;
  if (::access(Bin("initdb").c_str(), X_OK) != 0) {
    throw std::runtime_error("PostgreSQL 15 is not installed (" + Bin("initdb") + ")");
  }
  dir_ = MakeTempDir("tributary-oracle-pg-");
  const std::string data = dir_ + "/data", sock = dir_ + "/sock";
  ::mkdir(data.c_str(), 0700);
  ::mkdir(sock.c_str(), 0700);
  if (as_root_) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root, but there is no user postgres");
    for (const std::string& p : {dir_, data, sock}) {
      if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        throw std::runtime_error("chown " + p + " failed");
      }
    }
  }
  StartGuardian();
  std::string out;
  // C collation: text compares byte-wise, as in Tributary.
  if (RunAsOwner({Bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync"},
                 &out) != 0) {
    throw std::runtime_error("initdb failed:\n" + out);
  }
  for (int attempt = 0;; ++attempt) {
    port_ = FreePort();
    const std::string opts = "-k " + sock + " -p " + std::to_string(port_) +
                             " -c listen_addresses=127.0.0.1 -c fsync=off -c timezone=UTC"
                             " -c synchronous_commit=off -c full_page_writes=off";
    if (RunAsOwner({Bin("pg_ctl"), "-D", data, "-l", dir_ + "/server.log", "-w", "-t", "30", "-o",
                    opts, "start"},
                   &out) == 0) {
      started_ = true;
      break;
    }
    if (attempt == 2) {
      throw std::runtime_error("pg_ctl start failed:\n" + out + ReadFile(dir_ + "/server.log"));
    }
  }
  PgConnection admin("host=127.0.0.1 port=" + std::to_string(port_) +
                     " user=postgres dbname=postgres");
  admin.Must("CREATE ROLE tributary SUPERUSER LOGIN");
  admin.Must("CREATE DATABASE tributary OWNER tributary");
}

// The guardian: a child that ignores the usual termination signals and blocks reading a
// pipe whose only write end we hold (close-on-exec, so no other child inherits it). When
// we exit or die the read returns, and it stops the server and deletes the folder.
void PostgresCluster::StartGuardian() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[1]);
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGTERM, SIG_IGN);
    ::signal(SIGHUP, SIG_IGN);
    char c;
    while (::read(fds[0], &c, 1) > 0) {
    }
    std::vector<std::string> stop = {Bin("pg_ctl"), "-D", dir_ + "/data", "-m",
                                     "immediate",   "-w", "stop"};
    if (as_root_) stop.insert(stop.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    std::vector<char*> args;
    for (auto& a : stop) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t p = ::fork();
    if (p == 0) {
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    int status = 0;
    if (p > 0) ::waitpid(p, &status, 0);
    RemoveTree(dir_);
    ::_exit(0);
  }
  ::close(fds[0]);
  guardian_fd_ = fds[1];
  guardian_pid_ = pid;
}

void PostgresCluster::StopServer() {
  if (!started_) return;
  started_ = false;
  std::string out;
  RunAsOwner({Bin("pg_ctl"), "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}, &out);
}

PostgresCluster::~PostgresCluster() { Cleanup(); }

void PostgresCluster::Cleanup() {
  StopServer();
  if (guardian_fd_ >= 0) {
    ::close(guardian_fd_);  // the guardian deletes the folder and exits
    guardian_fd_ = -1;
    int status = 0;
    ::waitpid(guardian_pid_, &status, 0);
  } else if (!dir_.empty()) {
    RemoveTree(dir_);
  }
}

std::string PostgresCluster::ConnInfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=tributary dbname=tributary sslmode=disable gssencmode=disable";
}

}  // namespace tributary_oracle
