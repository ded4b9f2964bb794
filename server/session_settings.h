// SessionSettings: the run-time parameters of one session (SET / RESET / SHOW, and the
// parameters a client sends in its startup packet), with PostgreSQL's names, defaults and
// messages. A value Tributary cannot honour is refused with 0A000 rather than accepted and
// ignored; an unknown name is 42704, a read-only one 55P02, a bad value 22023.
// Not thread-safe: a session runs one statement at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/backend.h"
#include "sql/ast.h"

namespace server {

class SessionSettings {
 public:
  SessionSettings();

  // Applies SET / RESET. Throws ivm::Error. (Reported() before and after says which
  // ParameterStatus messages a client needs.)
  void Apply(const sql::SetStmt& stmt);
  // Applies one startup-packet parameter (user and database are not settings; `options`
  // carries command-line switches, see ApplyStartupOptions).
  void ApplyStartup(const std::string& name, const std::string& value);
  // The startup packet's `options` (libpq's options=, PGOPTIONS), read as PostgreSQL's
  // pg_split_opts does: blank-separated switches, a backslash keeping the next character.
  // `-c name=value` and `--name=value` set a setting; any other switch is refused (42601).
  void ApplyStartupOptions(const std::string& options);
  // The authenticated role, which session_authorization and is_superuser report.
  void SetSessionUser(const std::string& user, bool superuser);
  // SHOW name / SHOW ALL as a result set. Throws ivm::Error (42704).
  protocol::StatementResult Show(const sql::ShowStmt& stmt) const;

  // The current value of a parameter by canonical or lower-case name ("" if unknown).
  std::string Get(const std::string& name) const;
  // Whether a write waits for its step to be synced to disk (synchronous_commit is not off).
  bool SynchronousCommit() const;
  // statement_timeout in milliseconds (0: no limit).
  int64_t StatementTimeoutMs() const;
  // The reported parameters and their values, for the ParameterStatus after startup.
  std::vector<std::pair<std::string, std::string>> Reported() const;

  // Every parameter, for pg_settings: name, current value, default, description, read-only.
  struct Listed {
    std::string name, value, default_value, description;
    bool read_only = false;
  };
  std::vector<Listed> List() const;

 private:
  // The value of a setting by its lower-case name, without copying (these run for every
  // statement).
  const std::string& Lowered(std::string_view lower_name) const;

  std::map<std::string, std::string, std::less<>> values_;  // by lower-case name
};

}  // namespace server
