// A throwaway PostgreSQL 15 cluster for the differential tests: initdb into a fresh
// temporary folder, start on a free port with its own socket folder (fsync=off), and
// always stop and delete it: in the destructor, and, should the test process die without
// running it (a crash, a ctest timeout's SIGKILL), from a small guardian process that
// waits for the test process to go away. When the tests run as root the cluster runs as
// user postgres (PostgreSQL refuses root), as TOOLCHAIN.md describes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace tributary_oracle {

class PostgresCluster {
 public:
  PostgresCluster();  // throws std::runtime_error (with initdb's or the server's log)
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // Connection string for database `tributary`, owned by role `tributary` (superuser).
  std::string ConnInfo() const;
  int port() const { return port_; }

 private:
  std::string Bin(const std::string& tool) const;
  int RunAsOwner(const std::vector<std::string>& argv, std::string* output) const;
  void Init();
  void Cleanup();
  void StartGuardian();
  void StopServer();

  std::string dir_;
  int port_ = 0;
  bool as_root_ = false;
  bool started_ = false;
  int guardian_fd_ = -1;  // write end of the pipe the guardian watches
  pid_t guardian_pid_ = -1;
};

}  // namespace tributary_oracle
